// What the alerting API does, one function per verb: routes validate, call these, map errors.
// Rules from the config file are owned by code and read-only here, like checks as code.
import { randomUUID } from 'node:crypto';
import { DOC, type InstanceDoc, type StoredMaintenanceWindow, type StoredRule, type StoredSilence } from '../../alerts/documents.ts';
import { runbookIndex } from '../../alerts/evaluator.ts';
import { ALERT_EVENT_KIND, type AlertEvent } from '../../alerts/history.ts';
import { validateRule, type RuleDiagnostic } from '../../alerts/rule.ts';
import type { RunbookLibrary } from '../../alerts/runbooks/library.ts';
import { validateMaintenanceWindow, validateMatchers, type Matcher } from '../../alerts/silences.ts';
import type { ControlStore } from '../../store/index.ts';
import { TelltaleError } from '../errors.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { openRuleOrNull, resolveRuleMasks, sealRule } from './seal-rules.ts';

export interface AlertsContext {
  control: ControlStore;
  runbooks: RunbookLibrary;
  now: () => number;
  /** Seals webhook header secrets at rest. */
  secrets: SecretBox;
}

/** A rule body failed validation: every problem, with its path. */
export class RuleInvalidError extends TelltaleError {
  constructor(readonly diagnostics: RuleDiagnostic[]) {
    super('TELLTALE_ERR_RULE_INVALID', `the rule is invalid: ${diagnostics.map((d) => `${d.path} ${d.message}`).join('; ')}`);
  }
}

export async function storedRule(ctx: AlertsContext, id: string): Promise<StoredRule> {
  const doc = await ctx.control.document(DOC.rule, id);
  if (!doc) throw new TelltaleError('TELLTALE_ERR_RULE_NOT_FOUND', `no alert rule with id "${id}"`);
  return doc.body as StoredRule;
}

/**
 * The rule as it will be stored: valid, masked secrets sent back (a PUT of what GET returned)
 * resolved to the stored ones, every secret sealed.
 */
function checked(ctx: AlertsContext, body: unknown, previous: StoredRule | undefined): { id: string; sealed: StoredRule['rule'] } {
  const resolved = resolveRuleMasks(ctx.secrets, body, previous?.rule ?? null);
  if (!resolved.ok) throw new RuleInvalidError(resolved.problems);
  const result = validateRule(resolved.document, runbookIndex(ctx.runbooks));
  if (!result.ok) throw new RuleInvalidError(result.diagnostics);
  return { id: result.rule.id, sealed: sealRule(ctx.secrets, resolved.document as StoredRule['rule']) };
}

/** Creates a rule; 409 when the id is taken. */
export async function createRule(ctx: AlertsContext, body: unknown): Promise<StoredRule> {
  const rule = checked(ctx, body, undefined);
  if (await ctx.control.document(DOC.rule, rule.id)) throw new TelltaleError('TELLTALE_ERR_RULE_EXISTS', `an alert rule with id "${rule.id}" exists; PUT replaces it`);
  const now = ctx.now();
  const stored: StoredRule = { rule: rule.sealed, origin: 'api', createdAtMs: now, updatedAtMs: now };
  await ctx.control.commit({ put: [{ kind: DOC.rule, id: rule.id, body: stored, updatedAtMs: now }] });
  return stored;
}

/** Creates or replaces a rule at `id`; rules from the config file cannot be changed here. */
export async function replaceRule(ctx: AlertsContext, id: string, body: unknown): Promise<{ stored: StoredRule; created: boolean }> {
  const previous = (await ctx.control.document(DOC.rule, id))?.body as StoredRule | undefined;
  const rule = checked(ctx, body, previous);
  if (rule.id !== id) throw new RuleInvalidError([{ path: '/id', message: `"${rule.id}" is not the id in the path, "${id}"` }]);
  if (previous?.origin === 'code') throw ownedByCode(id);
  const now = ctx.now();
  const stored: StoredRule = { rule: rule.sealed, origin: 'api', createdAtMs: previous?.createdAtMs ?? now, updatedAtMs: now };
  await ctx.control.commit({ put: [{ kind: DOC.rule, id, body: stored, updatedAtMs: now }] });
  return { stored, created: previous === undefined };
}

export async function deleteRule(ctx: AlertsContext, id: string): Promise<void> {
  const previous = await storedRule(ctx, id);
  if (previous.origin === 'code') throw ownedByCode(id);
  // Its alerts and groups are dropped by the next evaluation.
  await ctx.control.commit({ delete: [{ kind: DOC.rule, id }] });
}

function ownedByCode(id: string): TelltaleError {
  return new TelltaleError('TELLTALE_ERR_RULE_OWNED_BY_CODE', `alert rule "${id}" is defined in the config file: change it there`);
}

/** Problems in the config file's rules, one line each; empty when all are valid. */
export function validateCodeRules(ctx: Pick<AlertsContext, 'runbooks'>, rules: readonly unknown[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const [i, body] of rules.entries()) {
    const result = validateRule(body, runbookIndex(ctx.runbooks));
    const name = typeof (body as { id?: unknown } | null)?.id === 'string' ? `"${(body as { id: string }).id}"` : `#${i + 1}`;
    if (!result.ok) problems.push(...result.diagnostics.map((d) => `alertRules ${name}: ${d.path} ${d.message}`));
    else if (ids.has(result.rule.id)) problems.push(`alertRules ${name}: the id is used twice`);
    else ids.add(result.rule.id);
  }
  return problems;
}

/** Makes the stored code-owned rules exactly the config file's; an API rule with a code id is taken over. */
export async function syncCodeRules(ctx: AlertsContext, rules: readonly unknown[]): Promise<void> {
  const problems = validateCodeRules(ctx, rules);
  if (problems.length > 0) throw new Error(`invalid alert rules:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const now = ctx.now();
  const existing = new Map((await ctx.control.documents(DOC.rule)).map((d) => [d.id, d.body as StoredRule]));
  const wanted = new Map(rules.map((body) => [(body as { id: string }).id, body as StoredRule['rule']]));
  const put = [...wanted].map(([id, rule]) => {
    const before = existing.get(id);
    const sealed = sealRule(ctx.secrets, rule);
    // Unchanged means: the same rule in the clear, and its secrets (if any) already sealed. A
    // secret that no longer opens (the key was replaced) is taken from the file again.
    const same = before?.origin === 'code' && JSON.stringify(openRuleOrNull(ctx.secrets, before.rule)) === JSON.stringify(rule)
      && (sealed === rule || JSON.stringify(before.rule) !== JSON.stringify(rule));
    const stored: StoredRule = same && before ? before : { rule: sealed, origin: 'code', createdAtMs: before?.createdAtMs ?? now, updatedAtMs: now };
    return { kind: DOC.rule, id, body: stored, updatedAtMs: now };
  });
  const remove = [...existing].filter(([id, s]) => s.origin === 'code' && !wanted.has(id)).map(([id]) => ({ kind: DOC.rule, id }));
  await ctx.control.commit({ put, delete: remove });
}

export async function acknowledge(ctx: AlertsContext, fingerprint: string, by: string, comment: string | undefined): Promise<InstanceDoc> {
  const doc = (await ctx.control.document(DOC.instance, fingerprint))?.body as InstanceDoc | undefined;
  if (!doc || doc.state.status !== 'firing') throw new TelltaleError('TELLTALE_ERR_ALERT_NOT_FOUND', `no firing alert with fingerprint "${fingerprint}"`);
  const now = ctx.now();
  const acked: InstanceDoc = { ...doc, acknowledgedAtMs: now, acknowledgedBy: by };
  const event: AlertEvent = {
    fingerprint, ruleId: doc.ruleId, ruleName: doc.labels.alertname ?? doc.ruleId, kind: 'error_rate', severity: doc.labels.severity ?? '',
    labels: doc.labels, event: 'acknowledged', value: doc.state.lastValue, summary: comment ?? doc.summary,
    firingSinceMs: doc.state.firingSinceMs, runbookId: null, actor: by,
  };
  const stored = (await ctx.control.document(DOC.rule, doc.ruleId))?.body as StoredRule | undefined;
  if (stored) {
    event.kind = stored.rule.kind;
    event.ruleName = stored.rule.name;
  }
  await ctx.control.commit({ put: [{ kind: DOC.instance, id: fingerprint, body: acked, updatedAtMs: now }], events: [{ kind: ALERT_EVENT_KIND, key: fingerprint, atMs: now, body: event }] });
  return acked;
}

function matcherProblems(matchers: readonly Matcher[]): string[] {
  return matchers.length === 0 ? [] : validateMatchers(matchers);
}

export async function createSilence(ctx: AlertsContext, input: Omit<StoredSilence, 'id' | 'createdAtMs'>): Promise<StoredSilence> {
  const problems = [...matcherProblems(input.matchers), ...(input.matchers.length === 0 ? ['a silence needs at least one matcher'] : [])];
  if (!(input.endsAtMs > input.startsAtMs)) problems.push('endsAt must be after startsAt');
  if (input.endsAtMs <= ctx.now()) problems.push('endsAt is in the past');
  if (problems.length > 0) throw new TelltaleError('TELLTALE_ERR_SILENCE_INVALID', problems.join('; '));
  const now = ctx.now();
  const silence: StoredSilence = { ...input, id: randomUUID(), createdAtMs: now };
  await ctx.control.commit({ put: [{ kind: DOC.silence, id: silence.id, body: silence, updatedAtMs: now }] });
  return silence;
}

/** Ends a silence now (Alertmanager expires rather than forgets: it stays listed until it ages out). */
export async function expireSilence(ctx: AlertsContext, id: string): Promise<StoredSilence> {
  const doc = await ctx.control.document(DOC.silence, id);
  if (!doc) throw new TelltaleError('TELLTALE_ERR_SILENCE_NOT_FOUND', `no silence with id "${id}"`);
  const now = ctx.now();
  const silence = doc.body as StoredSilence;
  const expired: StoredSilence = { ...silence, endsAtMs: Math.min(silence.endsAtMs, now) };
  await ctx.control.commit({ put: [{ kind: DOC.silence, id, body: expired, updatedAtMs: now }] });
  return expired;
}

export async function createMaintenanceWindow(ctx: AlertsContext, input: Omit<StoredMaintenanceWindow, 'id' | 'createdAtMs'>): Promise<StoredMaintenanceWindow> {
  const now = ctx.now();
  const window: StoredMaintenanceWindow = { ...input, id: randomUUID(), createdAtMs: now };
  const problems = validateMaintenanceWindow(window);
  if (problems.length > 0) throw new TelltaleError('TELLTALE_ERR_SILENCE_INVALID', problems.join('; '));
  await ctx.control.commit({ put: [{ kind: DOC.maintenance, id: window.id, body: window, updatedAtMs: now }] });
  return window;
}

export async function deleteMaintenanceWindow(ctx: AlertsContext, id: string): Promise<void> {
  if (!(await ctx.control.document(DOC.maintenance, id))) throw new TelltaleError('TELLTALE_ERR_SILENCE_NOT_FOUND', `no maintenance window with id "${id}"`);
  await ctx.control.commit({ delete: [{ kind: DOC.maintenance, id }] });
}
