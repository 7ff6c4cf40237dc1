// Which values of a check are secrets: header values whose name looks secret (authorization,
// cookie, x-api-key, anything with token/secret/key/password/auth/session/credential in it), in
// an http check's request or a multistep check's steps, and multistep variables named that way.
// How they are sealed, masked and opened is server/secrets/secret-fields.ts.
import type { Diagnostic } from '../../synthetic/index.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import * as fields from '../secrets/secret-fields.ts';
import { headerSlots, isRecord, isSecretName, type SecretSlots, type Slot } from '../secrets/secret-fields.ts';

export { MASK_PREFIX, isSecretName, mask } from '../secrets/secret-fields.ts';

function slotsOf(definition: unknown): Slot[] {
  if (!isRecord(definition)) return [];
  const slots = headerSlots(definition.request, ['request'], 'request');
  if (Array.isArray(definition.steps)) {
    definition.steps.forEach((step: unknown, i) => {
      if (isRecord(step)) slots.push(...headerSlots(step.request, ['steps', i, 'request'], `steps:${String(step.name)}/request`));
    });
  }
  if (isRecord(definition.variables)) {
    for (const [name, value] of Object.entries(definition.variables)) {
      if (typeof value === 'string' && isSecretName(name)) slots.push({ path: ['variables', name], key: `variables/${name}` });
    }
  }
  return slots;
}

/** A check's secrets, bound to the check id and their place in it. */
const checkSecrets = (checkId: string): SecretSlots => ({ slots: slotsOf, context: (slot) => `${checkId}\u0000${slot.key}` });

export function resolveMasks(box: SecretBox, checkId: string, input: unknown, stored: unknown): { ok: true; definition: unknown } | { ok: false; diagnostics: Diagnostic[] } {
  const resolved = fields.resolveMasks(box, checkSecrets(checkId), input, stored);
  return resolved.ok ? { ok: true, definition: resolved.document } : { ok: false, diagnostics: resolved.problems };
}

export const sealSecrets = <T>(box: SecretBox, checkId: string, definition: T): T => fields.sealSecrets(box, checkSecrets(checkId), definition);
export const openSecrets = <T>(box: SecretBox, checkId: string, definition: T): T => fields.openSecrets(box, checkSecrets(checkId), definition);
export const maskSecrets = <T>(box: SecretBox, checkId: string, definition: T): T => fields.maskSecrets(box, checkSecrets(checkId), definition);
export const secretValues = (box: SecretBox, checkId: string, stored: unknown): string[] => fields.secretValues(box, checkSecrets(checkId), stored);
