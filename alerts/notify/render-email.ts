// The alert email: a subject, a plain-text part and an HTML part, rendered from a Notification
// when it is enqueued. The first screen answers what fired, how bad, since when and what to do;
// each alert's details follow. Pure: the email notifier sends what this returns.
import type { Notification, NotifiedAlert } from '../notification.ts';
import {
  MAX_CONTRIBUTORS, MAX_DETAILED_ALERTS, MAX_STEPS, MAX_TRACES, alertSubject, briefLine, contributorLine, firingCount, headlineOf, labelPairs, leadAlert, runbooksOf,
  severityLine, sinceLine, summaryOf, whereOf,
} from './email-view.ts';
import { renderAlertHtml } from './render-email-html.ts';
import { formatDuration, formatValue, isoUtc, oneLine, plainText, sparkline, traceUrl } from './text.ts';
import type { MailMessage } from './mail-message.ts';

/** A rendered alert email, without its recipients. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Renders one group's notification as an email: header-safe subject, plain text and escaped HTML. */
export function renderAlertEmail(n: Notification): RenderedEmail {
  return { subject: alertSubject(n), text: renderAlertText(n), html: renderAlertHtml(n) };
}

/** The outbox body of an `email` message for a rule's email target. */
export function alertMailMessage(n: Notification, to: readonly string[]): MailMessage {
  return { to: [...to], ...renderAlertEmail(n), ...mailThreadIds(n, to) };
}

/** FNV-1a, 32 bits, as hex: a short stable token (not a security measure). */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function idHost(externalUrl: string): string {
  try {
    const host = new URL(externalUrl).hostname.replace(/[^A-Za-z0-9.-]/g, '');
    return host !== '' ? host : 'telltale.invalid';
  } catch {
    return 'telltale.invalid';
  }
}

/**
 * Message-IDs of a notification's email: its own, stable per notification and recipient list (so
 * an at-least-once re-send is recognisably the same message), and its group's thread, so the
 * firing, repeat and resolved emails of one group are one conversation.
 */
export function mailThreadIds(n: Notification, to: readonly string[]): { messageId: string; references: string[] } {
  const host = idHost(n.externalUrl);
  const token = (s: string): string => s.replace(/[^A-Za-z0-9_+=-]+/g, '.').replace(/^\.+|\.+$/g, '').slice(0, 80) || 'x';
  return {
    messageId: `<${token(n.id)}.${shortHash(`${n.id}\n${[...to].sort().join(',')}`)}@${host}>`,
    references: [`<group.${token(n.receiver)}.${shortHash(`${n.receiver}\n${n.groupKey}`)}@${host}>`],
  };
}

const RULE = '─'.repeat(48);

function indent(text: string, prefix: string): string {
  return plainText(text).split('\n').map((l) => `${prefix}${l}`).join('\n');
}

function alertBlock(a: NotifiedAlert, index: number, total: number, n: Notification): string[] {
  const out: string[] = [];
  const where = whereOf(a.labels);
  out.push(`${total > 1 ? `${index + 1}. ` : ''}${a.status.toUpperCase()}  ${oneLine(a.ruleName, 120)}${where !== '' ? ` on ${where}` : ''} — ${summaryOf(a)}${a.acknowledged ? '  [acknowledged]' : ''}`);
  out.push(`   Value:     ${severityLine(a)}`);
  out.push(`   Since:     ${sinceLine(a, n.createdAtMs)}`);
  if (a.series.length > 0) {
    const known = a.series.filter((p) => p.value !== null);
    const first = a.series[0];
    const last = a.series[a.series.length - 1];
    const span = first && last ? ` over ${formatDuration(last.timeMs - first.timeMs)}` : '';
    const range = known.length > 0
      ? `, min ${formatValue(Math.min(...known.map((p) => p.value ?? 0)), a.unit)}, max ${formatValue(Math.max(...known.map((p) => p.value ?? 0)), a.unit)}`
      : ', no data';
    out.push(`   Trend:     ${sparkline(a.series, a.threshold)}  (${a.series.length} points${span}${range})`);
  }
  out.push(`   Severity:  ${oneLine(a.severity, 40)} · rule ${oneLine(a.ruleId, 80)} (${a.kind})`);
  out.push(`   Labels:    ${labelPairs(a.labels).map(([k, v]) => `${oneLine(k, 60)}=${oneLine(v, 120)}`).join(' ')}`);
  if (a.contributors.length > 0) {
    out.push('   Top contributors:');
    for (const c of a.contributors.slice(0, MAX_CONTRIBUTORS)) out.push(`     - ${oneLine(c.label, 120)}: ${contributorLine(c.calls, c.errors)}`);
  }
  if (a.exampleTraceIds.length > 0) {
    out.push('   Example traces:');
    for (const id of a.exampleTraceIds.slice(0, MAX_TRACES)) out.push(`     - ${traceUrl(n.externalUrl, id)}`);
  }
  if (a.deploys.length > 0) {
    out.push('   Deploys shortly before:');
    for (const d of a.deploys) {
      const before = a.startsAtMs - d.timeMs;
      const rel = before >= 0 ? `${formatDuration(before)} before it started` : `${formatDuration(-before)} after it started`;
      out.push(`     - ${oneLine(d.service, 80)} ${oneLine(d.version, 80)} at ${isoUtc(d.timeMs)} (${rel})`);
    }
  }
  const description = a.annotations.description;
  if (description !== undefined && description !== '') out.push('   Description:', indent(description, '     '));
  out.push(`   Dashboard: ${oneLine(a.dashboardUrl, 2000)}`);
  if (a.status === 'firing') out.push(`   Silence:   ${oneLine(a.silenceUrl, 2000)}`);
  return out;
}

/** The plain-text part. */
export function renderAlertText(n: Notification): string {
  const lead = leadAlert(n);
  const firing = firingCount(n);
  const resolved = n.alerts.length - firing;
  const out: string[] = [];
  const counts = [firing > 0 ? `${firing} firing` : '', resolved > 0 ? `${resolved} resolved` : ''].filter((s) => s !== '').join(', ');
  out.push(`${n.status.toUpperCase()} · ${lead ? oneLine(lead.severity, 40) : ''} · ${counts}`);
  out.push(headlineOf(n, lead));
  if (lead) {
    out.push(`${lead.status === 'firing' ? 'Now ' : ''}${severityLine(lead)}.`);
    out.push(`${lead.status === 'firing' ? 'Since' : 'Was firing'} ${sinceLine(lead, n.createdAtMs)}.`);
    if (firing > 0 && n.alerts.filter((a) => a.status === 'firing').every((a) => a.acknowledged)) {
      out.push('Acknowledged: someone is on it; repeats are paused until it changes.');
    }
  }
  out.push('');
  for (const rb of runbooksOf(n)) {
    out.push(`What to do — ${oneLine(rb.title, 160)}${rb.owner !== null && rb.owner !== '' ? ` (escalate to ${oneLine(rb.owner, 80)})` : ''}`);
    rb.firstSteps.slice(0, MAX_STEPS).forEach((s, i) => out.push(`  ${i + 1}. ${oneLine(s, 400)}`));
    out.push(`  Full runbook: ${oneLine(rb.url, 2000)}`, '');
  }
  if (lead) {
    out.push(`Dashboard: ${oneLine(lead.dashboardUrl, 2000)}`);
    if (lead.status === 'firing') out.push(`Silence:   ${oneLine(lead.silenceUrl, 2000)}`);
  }
  n.alerts.slice(0, MAX_DETAILED_ALERTS).forEach((a, i) => out.push('', RULE, ...alertBlock(a, i, n.alerts.length, n)));
  const rest = n.alerts.slice(MAX_DETAILED_ALERTS);
  if (rest.length > 0) {
    out.push('', RULE, `${rest.length} more alerts in this group:`);
    rest.forEach((a, i) => out.push(`${MAX_DETAILED_ALERTS + i + 1}. ${briefLine(a, n.createdAtMs)}`));
  }
  out.push('', RULE, `Sent by Telltale at ${isoUtc(n.createdAtMs)} · group ${oneLine(n.groupKey, 200)} · notification ${oneLine(n.id, 120)}`);
  return `${out.join('\n')}\n`;
}
