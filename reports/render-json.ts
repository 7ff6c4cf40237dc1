// The SLA report as JSON: times as ISO-8601, `attained` in percent, `met` true or false (null
// when nothing counted), non-finite numbers as null.
import type { SlaReportJson } from './report-schema.ts';
import { scopeText, type LatencySummary, type ReportIncident, type SlaReport } from './sla-report.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const num = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);

function latency(l: LatencySummary) {
  return { p50Ms: num(l.p50), p95Ms: num(l.p95), p99Ms: num(l.p99) };
}

function incident(i: ReportIncident) {
  return {
    fingerprint: i.fingerprint, rule: i.ruleName, ruleId: i.ruleId, severity: i.severity, summary: i.summary, labels: { ...i.labels },
    start: iso(i.startMs), end: i.endMs === null ? null : iso(i.endMs), durationMinutes: i.durationMs / 60_000,
    runbookId: i.runbookId, runbookUrl: i.runbookUrl,
  };
}

/** The JSON document the API answers and the CLI prints. */
export function toJsonReport(r: SlaReport): SlaReportJson {
  return {
    generatedAt: iso(r.generatedAtMs),
    from: iso(r.period.fromMs),
    to: iso(r.period.toMs),
    timeZone: r.timeZone,
    scope: scopeText(r.scope),
    summary: {
      slos: r.slos.length,
      met: r.slos.filter((s) => s.met === true).length,
      breached: r.slos.filter((s) => s.met === false).length,
      noData: r.slos.filter((s) => s.met === null).length,
    },
    slos: r.slos.map((s) => ({
      id: s.id, name: s.name, indicator: s.indicator, basis: s.basis, target: s.target,
      attained: num(s.attained), met: s.met,
      downtimeMinutes: s.downtimeMinutes, maintenanceMinutes: s.maintenanceMinutes, noDataMinutes: s.noDataMinutes,
      goodEvents: s.goodEvents, badEvents: s.badEvents,
      budget: { unit: s.budget.unit, total: s.budget.total, consumed: s.budget.consumed, remaining: s.budget.remaining },
      errorBudgetConsumed: num(s.errorBudgetConsumed),
      latency: latency(s.latency),
      incidents: s.incidents.map(incident),
      worstRoutes: s.worstRoutes.map((w) => ({ ...w })),
      daily: s.daily.map((d) => ({ from: iso(d.fromMs), to: iso(d.toMs), attained: num(d.attained) })),
      burn: s.burn.map((p) => ({ time: iso(p.timeMs), remainingRatio: num(p.remainingRatio) })),
    })),
    checks: r.checks.map((c) => ({
      id: c.id, name: c.name, uptime: num(c.uptime), downtimeMinutes: c.downtimeMinutes, runs: c.runs, failedRuns: c.failedRuns,
      latency: latency(c.latency), incidents: c.incidents.map(incident),
    })),
    incidents: r.incidents.map(incident),
  };
}

export function renderJson(r: SlaReport): string {
  return `${JSON.stringify(toJsonReport(r), null, 2)}\n`;
}
