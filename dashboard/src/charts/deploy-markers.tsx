// Deploys on charts: the markers TimeChart and MarkedChart draw for them, and the list below a
// chart with what a canvas label cannot hold (the whole version, time, source, description).
// Everything is rendered as React text, so a version or description carrying markup stays text.
import type { Window } from '../api/client.ts';
import { listDeploys, type Deploy } from '../api/deploys.ts';
import { formatDateTime } from '../lib/format.ts';
import { useQuery, type QueryState } from '../shell/use-query.ts';
import type { Marker } from './chart-marks.ts';
import './deploy-markers.css';

export const DEPLOY_COLOR_VAR = '--accent';

/** One dashed marker per deploy, labelled with its version. */
export function deployMarkers(deploys: readonly Deploy[]): Marker[] {
  return deploys.map((d) => ({ timeMs: Date.parse(d.at), label: d.version, colorVar: DEPLOY_COLOR_VAR, dashed: true }));
}

/**
 * The deploys of `service` in `w` (none asked for while `service` is null). `followWindow`
 * false is for pages with a window of their own (the alert page), named by `subject`.
 */
export function useDeploys(service: string | null, w: Window, options: { subject?: string; followWindow?: boolean } = {}): QueryState<Deploy[]> {
  const subject = service === null ? null : `deploys:${service}:${options.subject ?? ''}`;
  return useQuery(subject, (api, signal) => listDeploys(api, w, { service }, signal), { followWindow: options.followWindow ?? true });
}

const sourceText = (d: Deploy) => (d.source === 'api' ? 'reported through the API' : `seen in traces (service.version)`);

/** The deploys as a list, newest first, each with its version, time, source and description. */
export function DeployList({ deploys, id }: { deploys: readonly Deploy[]; id: string }) {
  if (deploys.length === 0) return null;
  return (
    <ul className="deploy-list" id={id} aria-label="Deploys">
      {deploys.map((d) => {
        const ms = Date.parse(d.at);
        return (
          <li key={`${d.service}\u0000${d.version}\u0000${d.at}`} data-source={d.source}
            title={[`${d.service} ${d.version}`, formatDateTime(ms), sourceText(d), d.environment, d.description].filter(Boolean).join('\n')}>
            <span className="deploy-swatch" aria-hidden="true" />
            <span className="deploy-version">{d.version}</span>
            <time className="deploy-time" dateTime={d.at}>{formatDateTime(ms)}</time>
            <span className="deploy-source">{sourceText(d)}</span>
            {d.environment && <span className="deploy-environment">{d.environment}</span>}
            {d.description && <span className="deploy-description">{d.description}</span>}
          </li>
        );
      })}
    </ul>
  );
}

/** Each service's newest deploy in a newest-first list. */
export function latestDeployByService(deploys: readonly Deploy[]): Map<string, Deploy> {
  const latest = new Map<string, Deploy>();
  for (const d of deploys) if (!latest.has(d.service)) latest.set(d.service, d);
  return latest;
}
