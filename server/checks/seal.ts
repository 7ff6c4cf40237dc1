// Which values of a check are secrets, and how they look stored (sealed), shown (masked) and
// run (open). Secrets: header values whose name looks secret (authorization, cookie,
// x-api-key, anything with token/secret/key/password/auth/session/credential in it), in an
// http check's request or a multistep check's steps, and multistep variables named that way.
import type { Diagnostic } from '../../synthetic/index.ts';
import { SecretKeyError, type SecretBox } from './secrets.ts';

/** What the API shows instead of a secret: `••••` and, for values of 12+ characters, the last 4. */
export const MASK_PREFIX = '••••';
const SECRET_NAME = /authorization|cookie|api-key|token|secret|key|password|passwd|auth|session|credential/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function mask(plain: string): string {
  // Already a mask (a file exported from the API): it stays as it is.
  if (plain.startsWith(MASK_PREFIX)) return plain;
  return plain.length >= 12 ? MASK_PREFIX + plain.slice(-4) : MASK_PREFIX;
}

type Path = Array<string | number>;

// With a lost or replaced key, listing and editing checks must keep working: such a secret
// reads as unknown (its check fails to run, loudly, until the value is sent again).
function openOrNull(box: SecretBox, value: string, context: string): string | null {
  try {
    return box.open(value, context);
  } catch (err) {
    if (err instanceof SecretKeyError) return null;
    throw err;
  }
}

interface Slot {
  /** Where the value is, in this definition. */
  path: Path;
  /** Where it is by meaning (step name, lower-case header): stable across reordering and case. */
  key: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function headerSlots(request: unknown, path: Path, key: string): Slot[] {
  if (!isRecord(request) || !isRecord(request.headers)) return [];
  return Object.entries(request.headers)
    .filter(([name, value]) => typeof value === 'string' && isSecretName(name))
    .map(([name]) => ({ path: [...path, 'headers', name], key: `${key}/headers/${name.toLowerCase()}` }));
}

/** Every secret value of a definition; defensive, since API input is not validated yet. */
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

function read(root: unknown, path: Path): string {
  let node: unknown = root;
  for (const part of path) node = (node as Record<string | number, unknown>)[part];
  return node as string;
}

function write(root: unknown, path: Path, value: string): void {
  let node: unknown = root;
  for (const part of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[part];
  (node as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}

const pointer = (path: Path) => `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
/** The authenticated context of a sealed value: which check, which place in it. */
const contextOf = (checkId: string, slot: Slot) => `${checkId}\u0000${slot.key}`;

function transform(definition: unknown, each: (value: string, slot: Slot) => string): unknown {
  const slots = slotsOf(definition);
  if (slots.length === 0) return definition;
  const copy = structuredClone(definition);
  for (const slot of slots) write(copy, slot.path, each(read(copy, slot.path), slot));
  return copy;
}

/**
 * Puts back the stored secret wherever the input sends its mask (a PUT of what GET returned,
 * an exported file applied again). A mask that matches no stored secret is a diagnostic.
 */
export function resolveMasks(box: SecretBox, checkId: string, input: unknown, stored: unknown): { ok: true; definition: unknown } | { ok: false; diagnostics: Diagnostic[] } {
  const previous = new Map<string, string>();
  for (const slot of slotsOf(stored)) {
    const plain = openOrNull(box, read(stored, slot.path), contextOf(checkId, slot));
    if (plain !== null) previous.set(slot.key, plain);
  }
  const diagnostics: Diagnostic[] = [];
  const definition = transform(input, (value, slot) => {
    if (!value.startsWith(MASK_PREFIX)) return value;
    const plain = previous.get(slot.key);
    if (plain !== undefined && mask(plain) === value) return plain;
    diagnostics.push({ path: pointer(slot.path), message: 'is a masked secret that matches no stored value here: send the full value' });
    return value;
  });
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, definition };
}

/** The definition as stored: every secret sealed. */
export function sealSecrets<T>(box: SecretBox, checkId: string, definition: T): T {
  return transform(definition, (value, slot) => box.seal(value, contextOf(checkId, slot))) as T;
}

/** The definition as run: every secret in the clear. */
export function openSecrets<T>(box: SecretBox, checkId: string, definition: T): T {
  return transform(definition, (value, slot) => box.open(value, contextOf(checkId, slot))) as T;
}

/** The definition as the API shows it; a value that no longer opens shows as a bare mask. */
export function maskSecrets<T>(box: SecretBox, checkId: string, definition: T): T {
  return transform(definition, (value, slot) => mask(openOrNull(box, value, contextOf(checkId, slot)) ?? MASK_PREFIX)) as T;
}

/** The plaintexts of a stored definition's secrets, to scrub from what a run records. */
export function secretValues(box: SecretBox, checkId: string, stored: unknown): string[] {
  return slotsOf(stored).map((slot) => box.open(read(stored, slot.path), contextOf(checkId, slot)));
}
