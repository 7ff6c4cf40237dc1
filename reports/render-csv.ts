// The SLA report as CSV (RFC 4180): one row per SLO and per critical check. Text cells that a
// spreadsheet would run as a formula (starting with = + - @, or a tab or CR) get a leading `'`;
// numbers are ours and are written plainly, so a negative remaining budget stays a number.
import type { SlaReport } from './sla-report.ts';

export const CSV_COLUMNS = [
  'kind', 'id', 'name', 'indicator', 'target_percent', 'attained_percent', 'met', 'downtime_minutes',
  'error_budget_consumed_percent', 'budget_unit', 'budget_total', 'budget_consumed', 'budget_remaining',
  'good_events', 'bad_events', 'p50_ms', 'p95_ms', 'p99_ms', 'incidents', 'worst_route', 'worst_route_error_share_percent',
  'period_from', 'period_to',
] as const;

type Cell = string | number | boolean | null;

/** A text cell made safe from formula injection. */
export function neutralize(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One RFC 4180 field. */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(Number(cell.toFixed(6))) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  const text = neutralize(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',');
}

export function renderCsv(r: SlaReport): string {
  const from = new Date(r.period.fromMs).toISOString();
  const to = new Date(r.period.toMs).toISOString();
  const lines = [CSV_COLUMNS.join(',')];
  for (const s of r.slos) {
    const worst = s.worstRoutes[0];
    lines.push(csvLine([
      'slo', s.id, s.name, s.indicator, s.target, s.attained, s.met, s.downtimeMinutes,
      s.errorBudgetConsumed, s.budget.unit, s.budget.total, s.budget.consumed, s.budget.remaining,
      s.goodEvents, s.badEvents, s.latency.p50, s.latency.p95, s.latency.p99, s.incidents.length,
      worst ? `${worst.method} ${worst.route} (${worst.service})` : null, worst ? worst.errorShare * 100 : null, from, to,
    ]));
  }
  for (const c of r.checks) {
    lines.push(csvLine([
      'check', c.id, c.name, `check ${c.id}`, null, c.uptime, null, c.downtimeMinutes,
      null, 'events', null, c.failedRuns, null, c.runs - c.failedRuns, c.failedRuns,
      c.latency.p50, c.latency.p95, c.latency.p99, c.incidents.length, null, null, from, to,
    ]));
  }
  return `${lines.join('\r\n')}\r\n`;
}
