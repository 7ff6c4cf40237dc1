// The SLA report as one self-contained HTML document: inline CSS, inline SVG charts, no script,
// no external resource, so it reads the same in an email client, a browser and on paper
// (@media print). Every piece of text from data is escaped.
import { localTime } from './periods.ts';
import { scopeText, type LatencySummary, type ReportIncident, type SlaReport, type SlaSloRow } from './sla-report.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const e = escapeHtml;
const pad = (n: number) => String(n).padStart(2, '0');

function when(ms: number, timeZone: string): string {
  const t = localTime(ms, timeZone);
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}`;
}

function day(ms: number, timeZone: string): string {
  const t = localTime(ms, timeZone);
  return `${t.year}-${pad(t.month)}-${pad(t.day)}`;
}

function pct(x: number | null, digits = 3): string {
  if (x === null || !Number.isFinite(x)) return '—';
  return `${Number(x.toFixed(digits))}%`;
}

function ms(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  return x >= 1000 ? `${Number((x / 1000).toFixed(2))} s` : `${Number(x.toFixed(1))} ms`;
}

function minutes(x: number): string {
  if (x < 60) return `${Number(x.toFixed(1))} min`;
  return `${Math.floor(x / 60)} h ${Math.round(x % 60)} min`;
}

function status(met: boolean | null): string {
  if (met === null) return '<span class="badge nodata">no data</span>';
  return met ? '<span class="badge met">met</span>' : '<span class="badge breached">breached</span>';
}

const latencyCells = (l: LatencySummary) => `<td class="num">${ms(l.p50)}</td><td class="num">${ms(l.p95)}</td><td class="num">${ms(l.p99)}</td>`;

const CSS = `
body{margin:0;padding:0;background:#f4f5f7;color:#1f2933;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
.page{max-width:880px;margin:0 auto;padding:24px;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d9dde3;padding-bottom:4px}
h3{font-size:15px;margin:20px 0 6px}.meta{color:#52606d;margin:0 0 16px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e4e7eb;vertical-align:top}
th{background:#f0f2f5;font-weight:600;font-size:12px;color:#3e4c59}.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.met{background:#e3f9e5;color:#207227}.breached{background:#ffe3e3;color:#a61b1b}.nodata{background:#eef0f3;color:#52606d}
.cards td{border:1px solid #e4e7eb;text-align:center;width:25%}.cards .big{font-size:22px;font-weight:700;display:block}
.charts td{border:none;padding:0 8px 0 0;width:50%}.caption{font-size:12px;color:#52606d}
.slo{page-break-inside:avoid;break-inside:avoid}.muted{color:#7b8794}a{color:#1c5fb8}
svg{display:block;max-width:100%;height:auto}
@media print{body{background:#fff}.page{max-width:none;padding:0}h2{page-break-after:avoid;break-after:avoid}a{color:#1f2933;text-decoration:none}tr{page-break-inside:avoid;break-inside:avoid}}
`;

const W = 400;
const H = 110;
const PAD = 24;

/** Daily attainment as bars against the target line; red bars missed it. */
export function dailyChart(row: SlaSloRow, timeZone: string): string {
  const values = row.daily.map((d) => d.attained).filter((v): v is number => v !== null);
  const floorValue = Math.min(row.target, ...values);
  const lo = Math.max(0, 100 - Math.max(2 * (100 - floorValue), 0.1));
  const y = (v: number) => PAD / 2 + (H - PAD) * (1 - (v - lo) / (100 - lo));
  const n = Math.max(1, row.daily.length);
  const bw = (W - PAD) / n;
  const bars = row.daily.map((d, i) => {
    const x = PAD + i * bw;
    const label = `${day(d.fromMs, timeZone)}: ${pct(d.attained)}`;
    if (d.attained === null) return `<rect x="${(x + bw * 0.15).toFixed(1)}" y="${(H - PAD / 2 - 2).toFixed(1)}" width="${(bw * 0.7).toFixed(1)}" height="2" fill="#cbd2d9"><title>${e(label)} (no data)</title></rect>`;
    const top = y(Math.max(lo, d.attained));
    const fill = d.attained >= row.target ? '#3ebd93' : '#e12d39';
    return `<rect x="${(x + bw * 0.15).toFixed(1)}" y="${top.toFixed(1)}" width="${(bw * 0.7).toFixed(1)}" height="${Math.max(1, H - PAD / 2 - top).toFixed(1)}" fill="${fill}"><title>${e(label)}</title></rect>`;
  }).join('');
  const ty = y(row.target).toFixed(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="Daily attainment of ${e(row.name)}">`
    + `<title>Daily attainment of ${e(row.name)}</title>`
    + `<text x="2" y="${(PAD / 2 + 4).toFixed(1)}" font-size="9" fill="#7b8794">100%</text><text x="2" y="${(H - PAD / 2).toFixed(1)}" font-size="9" fill="#7b8794">${e(pct(lo, 2))}</text>`
    + bars
    + `<line x1="${PAD}" x2="${W}" y1="${ty}" y2="${ty}" stroke="#1f2933" stroke-dasharray="4 3" stroke-width="1"/>`
    + `<text x="${W - 2}" y="${(Number(ty) - 3).toFixed(1)}" font-size="9" text-anchor="end" fill="#1f2933">target ${e(pct(row.target))}</text></svg>`;
}

/** Remaining error budget over the period, from 100% down; below zero it is overspent. */
export function burnChart(row: SlaSloRow): string {
  const points = [1, ...row.burn.map((p) => (p.remainingRatio === null || !Number.isFinite(p.remainingRatio) ? null : p.remainingRatio))];
  const known = points.filter((p): p is number => p !== null);
  const lo = Math.min(0, ...known);
  const y = (v: number) => PAD / 2 + (H - PAD) * (1 - (v - lo) / (1 - lo || 1));
  const n = Math.max(1, points.length - 1);
  const coords = points.map((p, i) => (p === null ? null : `${(PAD + (i * (W - PAD)) / n).toFixed(1)},${y(p).toFixed(1)}`)).filter((c): c is string => c !== null);
  const last = known[known.length - 1] ?? 1;
  const color = last < 0 ? '#e12d39' : last < 0.25 ? '#f0b429' : '#2186eb';
  const zero = y(0).toFixed(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="Error budget remaining for ${e(row.name)}">`
    + `<title>Error budget remaining for ${e(row.name)}</title>`
    + `<text x="2" y="${(y(1) + 4).toFixed(1)}" font-size="9" fill="#7b8794">100%</text><text x="2" y="${(Number(zero) + 3).toFixed(1)}" font-size="9" fill="#7b8794">0%</text>`
    + `<line x1="${PAD}" x2="${W}" y1="${zero}" y2="${zero}" stroke="#9aa5b1" stroke-width="1"/>`
    + (coords.length > 1 ? `<polyline fill="none" stroke="${color}" stroke-width="2" points="${coords.join(' ')}"/>` : '')
    + `<text x="${W - 2}" y="${(PAD / 2 + 4).toFixed(1)}" font-size="9" text-anchor="end" fill="${color}">${e(pct(last * 100, 1))} left</text></svg>`;
}

function incidentRows(list: readonly ReportIncident[], timeZone: string): string {
  if (list.length === 0) return '<p class="muted">No incidents in the period.</p>';
  const rows = list.map((i) => `<tr><td>${e(i.ruleName)}<br><span class="muted">${e(i.summary)}</span></td><td>${e(i.severity)}</td>`
    + `<td class="num">${e(when(i.startMs, timeZone))}</td><td class="num">${i.endMs === null ? 'ongoing' : e(when(i.endMs, timeZone))}</td>`
    + `<td class="num">${e(minutes(i.durationMs / 60_000))}</td>`
    + `<td>${i.runbookUrl ? `<a href="${e(i.runbookUrl)}">${e(i.runbookId ?? 'runbook')}</a>` : '—'}</td></tr>`).join('');
  return `<table><thead><tr><th>Alert</th><th>Severity</th><th>Start</th><th>End</th><th>Duration</th><th>Runbook</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function sloSection(s: SlaSloRow, timeZone: string): string {
  const routes = s.worstRoutes.length === 0 ? '' : `<table><thead><tr><th>Worst routes</th><th class="num">Calls</th><th class="num">Errors</th><th class="num">Share of errors</th></tr></thead><tbody>${
    s.worstRoutes.map((w) => `<tr><td>${e(w.method)} ${e(w.route)} <span class="muted">${e(w.service)}</span></td><td class="num">${w.calls}</td><td class="num">${w.errors}</td><td class="num">${pct(w.errorShare * 100, 1)}</td></tr>`).join('')
  }</tbody></table>`;
  const unit = s.budget.unit === 'minutes' ? 'min' : 'events';
  return `<div class="slo"><h3>${e(s.name)} ${status(s.met)}</h3>`
    + `<p class="meta">${e(s.indicator)} · target ${pct(s.target)} · attained ${pct(s.attained)} · budget ${Number(s.budget.total.toFixed(2))} ${unit}, spent ${Number(s.budget.consumed.toFixed(2))} (${pct(s.errorBudgetConsumed, 1)})</p>`
    + `<table class="charts"><tr><td>${dailyChart(s, timeZone)}<div class="caption">Attainment per day (${e(timeZone)})</div></td><td>${burnChart(s)}<div class="caption">Error budget remaining</div></td></tr></table>`
    + routes + incidentRows(s.incidents, timeZone) + '</div>';
}

export function renderHtml(r: SlaReport): string {
  const tz = r.timeZone;
  const met = r.slos.filter((s) => s.met === true).length;
  const breached = r.slos.filter((s) => s.met === false).length;
  const title = `SLA report ${day(r.period.fromMs, tz)} – ${day(r.period.toMs - 1, tz)}`;
  const sloTable = r.slos.length === 0 ? '<p class="muted">No SLOs in this scope.</p>' : `<table><thead><tr><th>SLO</th><th class="num">Target</th><th class="num">Attained</th><th>Status</th><th class="num">Downtime</th><th class="num">Budget spent</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">Incidents</th></tr></thead><tbody>${
    r.slos.map((s) => `<tr><td>${e(s.name)}<br><span class="muted">${e(s.indicator)}</span></td><td class="num">${pct(s.target)}</td><td class="num">${pct(s.attained)}</td><td>${status(s.met)}</td>`
      + `<td class="num">${e(minutes(s.downtimeMinutes))}</td><td class="num">${pct(s.errorBudgetConsumed, 1)}</td>${latencyCells(s.latency)}<td class="num">${s.incidents.length}</td></tr>`).join('')
  }</tbody></table>`;
  const checkTable = r.checks.length === 0 ? '' : `<h2>Critical checks</h2><table><thead><tr><th>Check</th><th class="num">Uptime</th><th class="num">Downtime</th><th class="num">Runs</th><th class="num">Failed</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">Incidents</th></tr></thead><tbody>${
    r.checks.map((c) => `<tr><td>${e(c.name)}<br><span class="muted">${e(c.id)}</span></td><td class="num">${pct(c.uptime)}</td><td class="num">${e(minutes(c.downtimeMinutes))}</td><td class="num">${c.runs}</td><td class="num">${c.failedRuns}</td>${latencyCells(c.latency)}<td class="num">${c.incidents.length}</td></tr>`).join('')
  }</tbody></table>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title><style>${CSS}</style></head>
<body><div class="page">
<h1>${e(title)}</h1>
<p class="meta">${e(when(r.period.fromMs, tz))} to ${e(when(r.period.toMs, tz))} (${e(tz)}) · scope ${e(scopeText(r.scope))} · generated ${e(when(r.generatedAtMs, tz))}</p>
<table class="cards"><tr><td><span class="big">${r.slos.length}</span>SLOs</td><td><span class="big">${met}</span>met</td><td><span class="big">${breached}</span>breached</td><td><span class="big">${r.incidents.length}</span>incidents</td></tr></table>
<h2>Service level objectives</h2>
${sloTable}
${r.slos.map((s) => sloSection(s, tz)).join('\n')}
${checkTable}
<h2>Incidents</h2>
${incidentRows(r.incidents, tz)}
<p class="muted">Attainment counts good events (or, for checks, good time) outside maintenance windows; see the accounting rules in the Telltale README.${r.publicUrl ? ` <a href="${e(r.publicUrl)}">${e(r.publicUrl)}</a>` : ''}</p>
</div></body></html>
`;
}
