// Deploys as the control store records them (events of kind `deploy`, keyed by service): from
// the deploys API (a CI pipeline) or seen in traces as a new `service.version`. Alert emails
// name the deploys shortly before an alert began; the dashboard marks them on charts.
import type { ControlStore } from '../store/index.ts';
import type { DeployMarker } from './notification.ts';

export const DEPLOY_EVENT_KIND = 'deploy';

/** One recorded deploy. */
export interface DeployEvent extends DeployMarker {
  /** `api` (told), or `traces` (a new service.version appeared). */
  source: 'api' | 'traces';
  environment?: string;
  description?: string;
}

/** How long before an alert began a deploy is worth naming in its notification. */
export const DEPLOY_LOOKBACK_MS = 30 * 60_000;

/** Deploys of a service in [fromMs, toMs), oldest first. */
export async function deploysOf(control: ControlStore, service: string, fromMs: number, toMs: number, limit = 20): Promise<DeployEvent[]> {
  const events = await control.events({ kind: DEPLOY_EVENT_KIND, key: service, fromMs, toMs, limit });
  return events.map((e) => e.body as DeployEvent).reverse();
}
