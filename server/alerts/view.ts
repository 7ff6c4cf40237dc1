// Alerts as the API shows them: state, labels, what mutes them, the runbook, and a history of
// state changes and notifications with each message's delivery status.
import { DOC, type InstanceDoc, type StoredMaintenanceWindow, type StoredRule, type StoredSilence } from '../../alerts/documents.ts';
import type { AlertRuleInput } from '../../alerts/rule.ts';
import { ALERT_EVENT_KIND, type AlertEvent } from '../../alerts/history.ts';
import { maintenanceBy, silencedBy } from '../../alerts/silences.ts';
import type { OutboxMessage } from '../../store/index.ts';
import type { AlertsContext } from './verbs.ts';

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** A message as the API lists it: never its body, which may hold webhook credentials. */
export function messageView(m: OutboxMessage) {
  const body = m.body as { subject?: unknown; to?: unknown; url?: unknown } | null;
  const target = Array.isArray(body?.to) ? body.to.join(', ') : typeof body?.url === 'string' ? new URL(body.url).origin : '';
  return {
    id: m.id, channel: m.channel, status: m.status, attempts: m.attempts, lastError: m.lastError, target,
    subject: typeof body?.subject === 'string' ? body.subject : null,
    createdAt: iso(m.createdAtMs)!, settledAt: iso(m.settledAtMs), nextAttemptAt: m.status === 'pending' ? iso(m.nextAttemptAtMs) : null,
  };
}

async function historyOf(ctx: AlertsContext, fingerprint: string, limit: number) {
  const events = await ctx.control.events({ kind: ALERT_EVENT_KIND, key: fingerprint, fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, limit });
  const out = [];
  for (const e of events) {
    const body = e.body as AlertEvent;
    const deliveries = [];
    for (const id of body.messageIds ?? []) {
      const m = await ctx.control.message(id);
      if (m) deliveries.push(messageView(m));
    }
    out.push({ at: iso(e.atMs)!, event: body.event, value: body.value, summary: body.summary, ...(body.actor ? { by: body.actor } : {}), ...(deliveries.length ? { deliveries } : {}) });
  }
  return out;
}

/** The rule's name, kind and effective runbook, so a client need not repeat the evaluator's choice. */
function ruleFacts(ctx: AlertsContext, rule: AlertRuleInput | undefined) {
  if (!rule) return { ruleName: null, kind: null, runbookId: null };
  return { ruleName: rule.name, kind: rule.kind, runbookId: rule.runbook ?? ctx.runbooks.defaultFor(rule.kind)?.id ?? null };
}

export interface AlertListQuery {
  state?: 'firing' | 'pending' | 'resolved';
  historyLimit: number;
}

/** Current alerts (pending, firing, recently resolved), with their history, worst first. */
export async function listAlerts(ctx: AlertsContext, query: AlertListQuery) {
  const now = ctx.now();
  const [instances, silences, windows, rules] = await Promise.all([
    ctx.control.documents(DOC.instance), ctx.control.documents(DOC.silence), ctx.control.documents(DOC.maintenance), ctx.control.documents(DOC.rule),
  ]);
  const ruleById = new Map(rules.map((d) => [d.id, (d.body as StoredRule).rule]));
  const rank = { firing: 0, pending: 1, resolved: 2, inactive: 3 };
  const docs = instances.map((d) => d.body as InstanceDoc)
    .filter((d) => query.state === undefined || d.state.status === query.state)
    .sort((a, b) => rank[a.state.status] - rank[b.state.status] || (a.state.activeSinceMs ?? 0) - (b.state.activeSinceMs ?? 0));
  const out = [];
  for (const doc of docs) {
    out.push({
      fingerprint: doc.fingerprint, ruleId: doc.ruleId, ...ruleFacts(ctx, ruleById.get(doc.ruleId)), state: doc.state.status, labels: doc.labels, summary: doc.summary,
      value: doc.state.lastValue, threshold: doc.threshold, unit: doc.unit,
      activeSince: iso(doc.state.activeSinceMs), firingSince: iso(doc.state.firingSinceMs), resolvedAt: iso(doc.state.resolvedAtMs),
      acknowledged: doc.acknowledgedAtMs === null ? null : { at: iso(doc.acknowledgedAtMs)!, by: doc.acknowledgedBy ?? '' },
      silencedBy: silencedBy(doc.labels, silences.map((s) => s.body as StoredSilence), now),
      maintenanceBy: maintenanceBy(doc.labels, windows.map((w) => w.body as StoredMaintenanceWindow), now),
      history: await historyOf(ctx, doc.fingerprint, query.historyLimit),
    });
  }
  return out;
}

export function silenceView(s: StoredSilence, nowMs: number) {
  const state = nowMs < s.startsAtMs ? 'pending' as const : nowMs < s.endsAtMs ? 'active' as const : 'expired' as const;
  return {
    id: s.id, matchers: s.matchers, startsAt: iso(s.startsAtMs)!, endsAt: iso(s.endsAtMs)!, comment: s.comment ?? '', author: s.author ?? '',
    createdAt: iso(s.createdAtMs)!, state,
  };
}
