// One evaluation of every alert rule: conditions → per-instance state machine → notification
// groups → outbox, all committed in one control-store transaction. A crash before the commit
// repeats the evaluation; after it, nothing is evaluated or enqueued twice. Delivery happens
// elsewhere: this never waits on a mail server.
import type { ControlChange, ControlDocument, ControlStore, OutboxMessage, Store } from '../store/index.ts';
import { evaluateRuleConditions, type InstanceVerdict } from './conditions.ts';
import { DOC, type GroupDoc, type InstanceDoc, type StoredMaintenanceWindow, type StoredRule, type StoredSilence } from './documents.ts';
import { enrichAlert, type EnrichContext } from './enrich.ts';
import { decideNotification, fingerprint, groupKey, markNotified, type GroupAlert, type GroupState, type Labels } from './grouping.ts';
import { ALERT_EVENT_KIND, type AlertEvent } from './history.ts';
import type { Notification, NotifiedAlert, NotifyTarget } from './notification.ts';
import { validateRule, type AlertRule, type RunbookIndex } from './rule.ts';
import type { RunbookLibrary } from './runbooks/library.ts';
import { isSilenced, maintenanceBy } from './silences.ts';
import type { SloSource } from './slo-source.ts';
import { initialState, step, type AlertState } from './state.ts';

/** An outbox message's channel and body for one target (rendered by the notifiers). */
export type RenderMessage = (notification: Notification, target: NotifyTarget) => { channel: string; body: unknown };

export interface EvaluatorDeps {
  store: Store;
  control: ControlStore;
  runbooks: RunbookLibrary;
  slos?: SloSource;
  publicUrl: string;
  render: RenderMessage;
  /** How a stored rule reads with its secrets open (webhook header values); default as stored. */
  openRule?: (stored: unknown) => unknown;
  /** Told when a rule cannot be evaluated (its state is kept as it was). */
  onRuleError?: (ruleId: string, err: unknown) => void;
}

/** What one evaluation did, for metrics and tests. */
export interface EvaluationSummary {
  rules: number;
  transitions: number;
  notifications: number;
  messages: number;
  /** Instances by status after the evaluation. */
  states: Record<'pending' | 'firing' | 'resolved', number>;
}

/** The runbook index validation needs, from the library. */
export function runbookIndex(library: RunbookLibrary): RunbookIndex {
  return { has: (id) => library.get(id) !== undefined, defaultFor: (kind) => library.defaultFor(kind)?.id ?? null };
}

/** The valid, enabled rules in the control store; a rule that no longer validates is skipped. */
export async function loadRules(control: ControlStore, runbooks: RunbookLibrary, openRule: (stored: unknown) => unknown = (r) => r): Promise<AlertRule[]> {
  const index = runbookIndex(runbooks);
  const rules: AlertRule[] = [];
  for (const doc of await control.documents(DOC.rule)) {
    const checked = validateRule(openRule((doc.body as StoredRule).rule), index);
    if (checked.ok && checked.rule.enabled) rules.push(checked.rule);
  }
  return rules;
}

const bodies = <T>(docs: ControlDocument[]): T[] => docs.map((d) => d.body as T);

/** Runs one evaluation at `nowMs`. */
export async function evaluateAlerts(deps: EvaluatorDeps, nowMs: number): Promise<EvaluationSummary> {
  const { control } = deps;
  const [rules, instanceDocs, groupDocs, silenceDocs, windowDocs] = await Promise.all([
    loadRules(control, deps.runbooks, deps.openRule),
    control.documents(DOC.instance), control.documents(DOC.group), control.documents(DOC.silence), control.documents(DOC.maintenance),
  ]);
  const instances = new Map(bodies<InstanceDoc>(instanceDocs).map((d) => [d.fingerprint, d]));
  const groups = new Map(groupDocs.map((d) => [d.id, d.body as GroupDoc]));
  const silences = bodies<StoredSilence>(silenceDocs);
  const windows = bodies<StoredMaintenanceWindow>(windowDocs);
  const change: Required<Pick<ControlChange, 'put' | 'delete' | 'events' | 'enqueue'>> = { put: [], delete: [], events: [], enqueue: [] };
  const summary: EvaluationSummary = { rules: rules.length, transitions: 0, notifications: 0, messages: 0, states: { pending: 0, firing: 0, resolved: 0 } };
  const ruleIds = new Set(rules.map((r) => r.id));

  // Instances and groups of deleted or disabled rules go, without notifications: nobody to tell.
  for (const doc of instances.values()) if (!ruleIds.has(doc.ruleId)) change.delete.push({ kind: DOC.instance, id: doc.fingerprint });
  for (const [id, group] of groups) if (!ruleIds.has(group.ruleId)) change.delete.push({ kind: DOC.group, id });

  const enrich: EnrichContext = { store: deps.store, control, runbooks: deps.runbooks, publicUrl: deps.publicUrl };
  for (const rule of rules) {
    const mine = [...instances.values()].filter((d) => d.ruleId === rule.id);
    let verdicts: InstanceVerdict[];
    try {
      verdicts = await evaluateRuleConditions(rule, deps, nowMs, mine.map((d) => d.dims));
    } catch (err) {
      deps.onRuleError?.(rule.id, err);
      continue;
    }
    const current = stepInstances(rule, verdicts, mine, nowMs, change.events);
    summary.transitions += current.transitions;
    for (const doc of current.docs) {
      if (doc.state.status === 'inactive') {
        if (instances.has(doc.fingerprint)) change.delete.push({ kind: DOC.instance, id: doc.fingerprint });
        continue;
      }
      summary.states[doc.state.status] += 1;
      change.put.push({ kind: DOC.instance, id: doc.fingerprint, body: doc, updatedAtMs: nowMs });
    }
    const muted = (labels: Labels) => isSilenced(labels, silences, nowMs) || maintenanceBy(labels, windows, nowMs).length > 0;
    for (const [groupId, group] of groupsOf(rule, current.docs, current.resolvedNow, groups, muted, nowMs)) {
      const decision = decideNotification(group.state, rule, nowMs);
      let state: GroupState = group.state;
      if (decision.notify) {
        const byFp = new Map(current.docs.map((d) => [d.fingerprint, d]));
        const alerts: NotifiedAlert[] = [];
        for (const [list, status] of [[decision.firing, 'firing'], [decision.resolved, 'resolved']] as const) {
          for (const a of list) {
            const doc = byFp.get(a.fingerprint);
            if (doc) alerts.push(await enrichAlert(rule, doc, status, enrich, nowMs));
          }
        }
        const notification: Notification = {
          id: `${rule.id}:${fingerprint(group.labels)}:${nowMs}`,
          status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
          receiver: rule.id, groupKey: `${rule.id}:${group.key}`, groupLabels: group.labels, alerts,
          externalUrl: deps.publicUrl, createdAtMs: nowMs,
        };
        const messages = rule.notify.map((target, i): OutboxMessage => ({
          id: `${notification.id}:${i}`, ...deps.render(notification, target), createdAtMs: nowMs,
          status: 'pending', attempts: 0, nextAttemptAtMs: nowMs, lastError: null, settledAtMs: null,
        }));
        change.enqueue.push(...messages);
        for (const a of alerts) {
          const doc = byFp.get(a.fingerprint);
          if (doc) change.events.push(eventOf(rule, doc, 'notified', nowMs, { messageIds: messages.map((m) => m.id) }));
        }
        summary.notifications += 1;
        summary.messages += messages.length;
        state = markNotified(group.state, decision, nowMs);
      }
      if (state.firing.length === 0 && state.resolved.length === 0) {
        if (groups.has(groupId)) change.delete.push({ kind: DOC.group, id: groupId });
      } else {
        change.put.push({ kind: DOC.group, id: groupId, body: { ...group, state } satisfies GroupDoc, updatedAtMs: nowMs });
      }
    }
  }
  await control.commit(change);
  return summary;
}

function eventOf(rule: AlertRule, doc: InstanceDoc, event: AlertEvent['event'], atMs: number, extra: Partial<AlertEvent> = {}) {
  const body: AlertEvent = {
    fingerprint: doc.fingerprint, ruleId: rule.id, ruleName: rule.name, kind: rule.kind, severity: rule.severity, labels: doc.labels,
    event, value: doc.state.lastValue, summary: doc.summary, firingSinceMs: doc.state.firingSinceMs, runbookId: rule.runbook, ...extra,
  };
  return { kind: ALERT_EVENT_KIND, key: doc.fingerprint, atMs, body };
}

/** Steps every instance of a rule; instances the condition no longer mentions are stepped as inactive. */
function stepInstances(
  rule: AlertRule, verdicts: readonly InstanceVerdict[], previous: readonly InstanceDoc[], nowMs: number, events: ControlChange['events'] & object,
): { docs: InstanceDoc[]; resolvedNow: Set<string>; transitions: number } {
  const docs: InstanceDoc[] = [];
  const resolvedNow = new Set<string>();
  let transitions = 0;
  const seen = new Set<string>();
  const byFp = new Map(previous.map((d) => [d.fingerprint, d]));
  const advance = (labels: Labels, dims: Labels, verdict: Omit<InstanceVerdict, 'labels'> | null) => {
    const fp = fingerprint(labels);
    if (seen.has(fp)) return;
    seen.add(fp);
    const before = byFp.get(fp);
    const active = verdict?.result.active ?? false;
    const value = verdict?.result.value ?? before?.state.lastValue ?? 0;
    const { state, transition } = step(before?.state ?? initialState(), { active, value, nowMs }, rule);
    const resolvedAgain = transition === 'pending' || transition === 'firing';
    const doc: InstanceDoc = {
      fingerprint: fp, ruleId: rule.id, labels, dims, state: state satisfies AlertState,
      summary: verdict?.result.summary ?? before?.summary ?? '', threshold: verdict?.threshold ?? before?.threshold ?? rule.threshold,
      unit: verdict?.unit ?? before?.unit ?? 'count',
      // An acknowledgement covers one firing: a new one after a resolve needs a new acknowledgement.
      acknowledgedAtMs: resolvedAgain || state.status === 'inactive' ? null : before?.acknowledgedAtMs ?? null,
      acknowledgedBy: resolvedAgain || state.status === 'inactive' ? null : before?.acknowledgedBy ?? null,
      lastEvaluatedAtMs: nowMs,
    };
    docs.push(doc);
    if (transition) {
      transitions += 1;
      events.push(eventOf(rule, doc, transition, nowMs));
      if (transition === 'resolved') resolvedNow.add(fp);
    }
  };
  for (const v of verdicts) advance(instanceLabels(rule, v.labels), v.labels, v);
  for (const d of previous) if (!seen.has(d.fingerprint)) advance(d.labels, d.dims, null);
  return { docs, resolvedNow, transitions };
}

/** alertname (the rule id), severity, the rule's labels, then the instance's own. */
export function instanceLabels(rule: AlertRule, dims: Labels): Labels {
  return { ...rule.labels, ...dims, alertname: rule.id, severity: rule.severity };
}

/** The rule's groups after this evaluation: firing (unmuted) alerts now, resolves to announce. */
function groupsOf(
  rule: AlertRule, docs: readonly InstanceDoc[], resolvedNow: ReadonlySet<string>, stored: ReadonlyMap<string, GroupDoc>,
  muted: (labels: Labels) => boolean, nowMs: number,
): Map<string, GroupDoc> {
  const out = new Map<string, GroupDoc>();
  for (const [id, g] of stored) if (g.ruleId === rule.id) out.set(id, { ...g, state: { ...g.state, firing: [] } });
  for (const doc of docs) {
    const key = groupKey(doc.labels, rule.groupBy);
    const id = `${rule.id}|${key}`;
    const entry: GroupAlert = { fingerprint: doc.fingerprint, labels: doc.labels, acknowledged: doc.acknowledgedAtMs !== null };
    const firing = doc.state.status === 'firing' && !muted(doc.labels);
    if (!firing && !resolvedNow.has(doc.fingerprint)) continue;
    const group = out.get(id) ?? {
      ruleId: rule.id, key, labels: groupLabels(doc.labels, rule.groupBy),
      state: { firing: [], resolved: [], createdAtMs: nowMs, lastNotifiedAtMs: null, notifiedFiring: [] },
    };
    // A resolve is news only to whoever heard it fire; one that fired and resolved inside group_wait is dropped.
    const announced = group.state.notifiedFiring.includes(doc.fingerprint);
    if (firing) group.state.firing.push(entry);
    else if (announced && !group.state.resolved.some((a) => a.fingerprint === doc.fingerprint)) group.state.resolved.push(entry);
    out.set(id, group);
  }
  return out;
}

function groupLabels(labels: Labels, groupBy: readonly string[]): Labels {
  if (groupBy.includes('...')) return labels;
  const out: Record<string, string> = {};
  for (const name of groupBy) if (labels[name] !== undefined) out[name] = labels[name];
  return out;
}
