// The phases of recent runs as stacked horizontal bars (DNS, connect, TLS, first byte,
// download), all on the scale of the slowest run so runs compare at a glance.
import type { CheckRun } from '../api/checks.ts';
import { formatDateTime, formatMs } from '../lib/format.ts';
import { PHASES, phaseBars } from '../lib/check-runs.ts';

export function PhaseBars({ runs, count = 20 }: { runs: CheckRun[]; count?: number }) {
  const bars = phaseBars(runs, count);
  if (bars.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <div>
      <div className="phase-legend" aria-hidden="true">
        {PHASES.map((p, i) => <span key={p.key}><span className={`phase-key p${i}`} />{p.label}</span>)}
      </div>
      <div className="phase-rows" id="phase-bars">
        {bars.map((bar, i) => (
          <div className="phase-row" key={`${bar.startedAtMs}-${i}`}>
            <span className="muted nowrap">{formatDateTime(bar.startedAtMs)}</span>
            <div className="phase-track" role="img" aria-label={bar.segments.map((s) => `${s.label} ${formatMs(s.ms)}`).join(', ')}>
              {bar.segments.map((s, i) => s.width > 0 && (
                <span key={s.label} className={`phase-seg p${i}`} title={`${s.label}: ${formatMs(s.ms)}`}
                  style={{ left: `${s.offset * 100}%`, width: `${Math.max(s.width * 100, 0.3)}%` }} />
              ))}
            </div>
            <span className="num">{formatMs(bar.totalMs)}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
