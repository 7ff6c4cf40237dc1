// The HTML part of the alert email. Email clients run no scripts and many drop <style> and SVG,
// so the layout is tables with inline CSS and the chart is a row of table cells of set heights.
// Every dynamic string is escaped, and only absolute http(s) URLs become links. Pure.
import type { Notification, NotifiedAlert } from '../notification.ts';
import {
  MAX_CONTRIBUTORS, MAX_DETAILED_ALERTS, MAX_STEPS, MAX_TRACES, briefLine, contributorLine, firingCount, headlineOf, labelPairs, leadAlert, runbooksOf, severityLine, sinceLine,
  summaryOf, whereOf,
} from './email-view.ts';
import { escapeHtml as e, formatDuration, formatValue, isoUtc, safeHref, scaleSeries, traceUrl } from './text.ts';

const FONT = 'font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;';
const RED = '#b91c1c';
const GREEN = '#15803d';
const GREY = '#6b7280';
const BAR_GREY = '#9ca3af';
const CHART_HEIGHT_PX = 48;

function link(url: string, text: string): string {
  const href = safeHref(url);
  if (href === null) return `${e(text)} <span style="color:${GREY}">(link omitted: not an http(s) URL)</span>`;
  return `<a href="${e(href)}" style="color:#1d4ed8">${e(text)}</a>`;
}

function statusColor(status: NotifiedAlert['status']): string {
  return status === 'firing' ? RED : GREEN;
}

/** A bar chart as table cells: bars above the threshold red, the rest grey, gaps empty. */
export function barChart(a: NotifiedAlert): string {
  if (a.series.length === 0) return '';
  const heights = scaleSeries(a.series, a.threshold);
  const cells = a.series.map((p, i) => {
    const h = heights[i] ?? null;
    const title = e(`${isoUtc(p.timeMs)}: ${formatValue(p.value, a.unit)}`);
    if (h === null) return `<td title="${title}" style="vertical-align:bottom;height:${CHART_HEIGHT_PX}px;width:6px;padding:0 1px 0 0"></td>`;
    const px = Math.max(1, Math.round(h * CHART_HEIGHT_PX));
    const color = p.value !== null && p.value > a.threshold && a.kind !== 'no_data' ? RED : BAR_GREY;
    return `<td title="${title}" style="vertical-align:bottom;height:${CHART_HEIGHT_PX}px;width:6px;padding:0 1px 0 0">`
      + `<div style="height:${px}px;width:6px;background-color:${color};font-size:0;line-height:0">&nbsp;</div></td>`;
  });
  const first = a.series[0];
  const last = a.series[a.series.length - 1];
  const caption = first && last ? `${isoUtc(first.timeMs)} → ${isoUtc(last.timeMs)} · threshold ${formatValue(a.threshold, a.unit)}` : '';
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:4px 0"><tr>${cells.join('')}</tr></table>`
    + `<div style="${FONT}font-size:11px;color:${GREY}">${e(caption)}</div>`;
}

function row(name: string, valueHtml: string): string {
  return `<tr><td style="${FONT}font-size:13px;color:${GREY};padding:2px 12px 2px 0;vertical-align:top;white-space:nowrap">${e(name)}</td>`
    + `<td style="${FONT}font-size:13px;padding:2px 0;vertical-align:top">${valueHtml}</td></tr>`;
}

function list(items: string[]): string {
  return `<ul style="margin:0;padding-left:18px">${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

function alertSection(a: NotifiedAlert, index: number, n: Notification): string {
  const rows: string[] = [];
  rows.push(row('Value', e(severityLine(a))));
  rows.push(row('Since', e(sinceLine(a, n.createdAtMs))));
  if (a.series.length > 0) rows.push(row('Trend', barChart(a)));
  rows.push(row('Severity', `${e(a.severity)} · rule <code>${e(a.ruleId)}</code> (${e(a.kind)})`));
  rows.push(row('Labels', labelPairs(a.labels).map(([k, v]) => `<code style="background:#f3f4f6;padding:0 3px">${e(k)}=${e(v)}</code>`).join(' ')));
  if (a.contributors.length > 0) {
    rows.push(row('Top contributors', list(a.contributors.slice(0, MAX_CONTRIBUTORS).map((c) => `${e(c.label)}: ${e(contributorLine(c.calls, c.errors))}`))));
  }
  if (a.exampleTraceIds.length > 0) {
    rows.push(row('Example traces', list(a.exampleTraceIds.slice(0, MAX_TRACES).map((id) => link(traceUrl(n.externalUrl, id), id)))));
  }
  if (a.deploys.length > 0) {
    rows.push(row('Deploys before', list(a.deploys.map((d) => {
      const before = a.startsAtMs - d.timeMs;
      const rel = before >= 0 ? `${formatDuration(before)} before it started` : `${formatDuration(-before)} after it started`;
      return e(`${d.service} ${d.version} at ${isoUtc(d.timeMs)} (${rel})`);
    }))));
  }
  const description = a.annotations.description;
  if (description !== undefined && description !== '') rows.push(row('Description', `<div style="white-space:pre-wrap">${e(description)}</div>`));
  const links = [link(a.dashboardUrl, 'Open in dashboard')];
  if (a.status === 'firing') links.push(link(a.silenceUrl, 'Silence'));
  rows.push(row('Links', links.join(' · ')));
  const where = whereOf(a.labels);
  const ack = a.acknowledged ? ` <span style="color:${GREY}">[acknowledged]</span>` : '';
  return `<div style="border-left:4px solid ${statusColor(a.status)};padding:4px 0 4px 12px;margin:16px 0">`
    + `<div style="${FONT}font-size:15px;font-weight:bold">${n.alerts.length > 1 ? `${index + 1}. ` : ''}`
    + `<span style="color:${statusColor(a.status)}">${e(a.status.toUpperCase())}</span> ${e(a.ruleName)}${where !== '' ? ` on ${e(where)}` : ''} — ${e(summaryOf(a))}${ack}</div>`
    + `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin-top:6px">${rows.join('')}</table></div>`;
}

/** The HTML part: the first screen (what, how bad, since when, what to do), then each alert. */
export function renderAlertHtml(n: Notification): string {
  const lead = leadAlert(n);
  const firing = firingCount(n);
  const resolved = n.alerts.length - firing;
  const color = n.status === 'firing' ? RED : GREEN;
  const counts = [firing > 0 ? `${firing} firing` : '', resolved > 0 ? `${resolved} resolved` : ''].filter((s) => s !== '').join(', ');
  const parts: string[] = [];
  parts.push(`<div style="${FONT}font-size:12px;font-weight:bold;color:${color};letter-spacing:0.05em">`
    + `${e(n.status.toUpperCase())} · ${e(lead?.severity ?? '')} · ${e(counts)}</div>`);
  parts.push(`<h1 style="${FONT}font-size:20px;margin:4px 0 8px 0">${e(headlineOf(n, lead))}</h1>`);
  if (lead) {
    parts.push(`<p style="${FONT}font-size:15px;margin:0 0 4px 0"><b>${e(lead.status === 'firing' ? 'Now ' : '')}${e(severityLine(lead))}</b></p>`);
    parts.push(`<p style="${FONT}font-size:14px;margin:0 0 4px 0">${e(lead.status === 'firing' ? 'Since' : 'Was firing')} ${e(sinceLine(lead, n.createdAtMs))}</p>`);
    if (firing > 0 && n.alerts.filter((a) => a.status === 'firing').every((a) => a.acknowledged)) {
      parts.push(`<p style="${FONT}font-size:14px;margin:0 0 4px 0;color:${GREY}">Acknowledged: someone is on it; repeats are paused until it changes.</p>`);
    }
  }
  for (const rb of runbooksOf(n)) {
    const owner = rb.owner !== null && rb.owner !== '' ? ` <span style="color:${GREY}">(escalate to ${e(rb.owner)})</span>` : '';
    const steps = rb.firstSteps.slice(0, MAX_STEPS).map((s) => `<li style="margin:2px 0">${e(s)}</li>`).join('');
    parts.push(`<div style="${FONT}font-size:14px;background:#fffbeb;border:1px solid #fcd34d;padding:8px 12px;margin:12px 0">`
      + `<div style="font-weight:bold">What to do — ${e(rb.title)}${owner}</div>`
      + (steps !== '' ? `<ol style="margin:6px 0;padding-left:20px">${steps}</ol>` : '')
      + `<div>${link(rb.url, 'Full runbook')}</div></div>`);
  }
  if (lead) {
    const links = [link(lead.dashboardUrl, 'Open in dashboard')];
    if (lead.status === 'firing') links.push(link(lead.silenceUrl, 'Silence'));
    parts.push(`<p style="${FONT}font-size:14px;margin:8px 0">${links.join(' · ')}</p>`);
  }
  n.alerts.slice(0, MAX_DETAILED_ALERTS).forEach((a, i) => parts.push(alertSection(a, i, n)));
  const rest = n.alerts.slice(MAX_DETAILED_ALERTS);
  if (rest.length > 0) {
    parts.push(`<p style="${FONT}font-size:14px;font-weight:bold;margin:16px 0 4px 0">${rest.length} more alerts in this group</p>`
      + `<ol start="${MAX_DETAILED_ALERTS + 1}" style="${FONT}font-size:13px;margin:0;padding-left:28px">`
      + rest.map((a) => `<li style="color:${statusColor(a.status)}"><span style="color:#111827">${e(briefLine(a, n.createdAtMs))}</span></li>`).join('')
      + '</ol>');
  }
  parts.push(`<p style="${FONT}font-size:11px;color:${GREY};margin-top:24px">Sent by Telltale at ${e(isoUtc(n.createdAtMs))} · group ${e(n.groupKey)} · notification ${e(n.id)}</p>`);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(headlineOf(n, lead))}</title></head>`
    + `<body style="margin:0;padding:16px;background:#ffffff;color:#111827">${parts.join('\n')}</body></html>\n`;
}
