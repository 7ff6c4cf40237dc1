// An alert rule's secrets: the values of its webhook targets' headers named like secrets
// (Authorization, X-Api-Key …). Stored sealed, shown masked, opened when rules are evaluated;
// the outbox holds them sealed again, bound to the target's URL and header name, and the
// webhook notifier opens them just before posting. (How: server/secrets/secret-fields.ts.)
import { SecretKeyError, type SecretBox } from '../secrets/secret-box.ts';
import * as fields from '../secrets/secret-fields.ts';
import { headerSlots, isRecord, type SecretSlots } from '../secrets/secret-fields.ts';

/** The authenticated context of a sealed webhook header value, in a rule and in the outbox. */
export const webhookHeaderContext = (url: string, name: string): string => `webhook-header\u0000${url}\u0000${name.toLowerCase()}`;

const ruleSecrets: SecretSlots = {
  slots(rule) {
    if (!isRecord(rule) || !Array.isArray(rule.notify)) return [];
    return rule.notify.flatMap((target: unknown, i) =>
      isRecord(target) && target.type === 'webhook' && typeof target.url === 'string' ? headerSlots(target, ['notify', i], target.url) : []);
  },
  // The key is `<url>/headers/<lower-case name>`.
  context: (slot) => {
    const at = slot.key.lastIndexOf('/headers/');
    return webhookHeaderContext(slot.key.slice(0, at), slot.key.slice(at + '/headers/'.length));
  },
};

export const sealRule = <T>(box: SecretBox, rule: T): T => fields.sealSecrets(box, ruleSecrets, rule);
export const openRule = <T>(box: SecretBox, rule: T): T => fields.openSecrets(box, ruleSecrets, rule);
/** The rule in the clear, or null when a secret no longer opens (the key was replaced). */
export function openRuleOrNull<T>(box: SecretBox, rule: T): T | null {
  try {
    return openRule(box, rule);
  } catch (err) {
    if (err instanceof SecretKeyError) return null;
    throw err;
  }
}
export const maskRule = <T>(box: SecretBox, rule: T): T => fields.maskSecrets(box, ruleSecrets, rule);
export const resolveRuleMasks = (box: SecretBox, input: unknown, stored: unknown) => fields.resolveMasks(box, ruleSecrets, input, stored);

/** Webhook headers for the outbox: secret-looking values sealed for this URL. */
export function sealHeaders(box: SecretBox, url: string, headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) =>
    [name, fields.isSecretName(name) ? box.seal(value, webhookHeaderContext(url, name)) : value]));
}

/** Webhook headers as posted: sealed values opened (plain ones pass through). */
export function openHeaders(box: SecretBox, url: string, headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, box.open(value, webhookHeaderContext(url, name))]));
}
