// Owner, severity, what a runbook applies to and where it comes from: shown in the list and on
// a runbook's page the same way.
import type { RunbookSummary } from '../api/runbooks.ts';

export function SeverityBadge({ severity }: { severity: string | null }) {
  if (!severity) return <span className="muted">—</span>;
  const level = severity === 'page' || severity === 'critical' ? 'page' : severity === 'ticket' || severity === 'warning' ? 'ticket' : 'other';
  return <span className={`runbook-severity ${level}`}>{severity}</span>;
}

export function AppliesTo({ runbook }: { runbook: RunbookSummary }) {
  if (runbook.appliesTo.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="runbook-kinds">
      {runbook.appliesTo.map((kind) => (
        <li key={kind} className={runbook.defaultFor.includes(kind) ? 'default' : undefined}
          title={runbook.defaultFor.includes(kind) ? `The default runbook of ${kind} rules that name none` : undefined}>
          <span className="mono">{kind}</span>{runbook.defaultFor.includes(kind) && <span className="visually-hidden"> (default)</span>}
        </li>
      ))}
    </ul>
  );
}

export function Origin({ origin }: { origin: RunbookSummary['origin'] }) {
  const title = origin === 'team' ? 'From the team’s runbooks folder (TELLTALE_RUNBOOKS_DIR)' : 'Shipped with Telltale';
  return <span className="origin" title={title}>{origin}</span>;
}
