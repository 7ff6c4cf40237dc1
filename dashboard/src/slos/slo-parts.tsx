// The SLO status badge and the remaining-budget bar, shared by the list, an SLO's page and the
// overview's "SLOs at risk".
import { formatRemaining, STATE_TEXT, type SloState } from './slo-format.ts';

export function SloStatusBadge({ state }: { state: SloState }) {
  return <span className={`slo-status ${state}`}>{STATE_TEXT[state]}</span>;
}

export function BudgetBar({ ratio, state }: { ratio: number | null; state: SloState }) {
  const width = ratio === null ? 0 : Math.max(0, Math.min(1, ratio)) * 100;
  const text = formatRemaining(ratio);
  return (
    <div className="budget-cell">
      <div className={`budget-bar ${state}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(width)} aria-label={`Error budget remaining: ${text}`}>
        <span style={{ width: `${width}%` }} />
      </div>
      <span className="budget-text">{text}</span>
    </div>
  );
}
