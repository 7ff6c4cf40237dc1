// Secret values inside stored documents (a check's headers, an alert rule's webhook headers),
// and how they look stored (sealed), shown (masked) and used (open). A document kind says
// where its secrets are (slots) and what each is bound to (context, authenticated with the
// value, so a sealed value copied elsewhere does not open); the rest is the same for every kind.
import { SecretKeyError, type SecretBox } from './secret-box.ts';

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

export type Path = Array<string | number>;

export interface Slot {
  /** Where the value is, in this document. */
  path: Path;
  /** Where it is by meaning (step name, lower-case header): stable across reordering and case. */
  key: string;
}

/** Where a kind of document keeps its secrets. */
export interface SecretSlots {
  /** Every secret value of a document; defensive, since API input may not be validated yet. */
  slots(document: unknown): Slot[];
  /** The authenticated context of the value in `slot`. */
  context(slot: Slot): string;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The secret header values of an HTTP request object (`{ headers: {…} }`) at `path`. */
export function headerSlots(request: unknown, path: Path, key: string): Slot[] {
  if (!isRecord(request) || !isRecord(request.headers)) return [];
  return Object.entries(request.headers)
    .filter(([name, value]) => typeof value === 'string' && isSecretName(name))
    .map(([name]) => ({ path: [...path, 'headers', name], key: `${key}/headers/${name.toLowerCase()}` }));
}

// With a lost or replaced key, listing and editing must keep working: such a secret reads as
// unknown (what uses it fails, loudly, until the value is sent again).
function openOrNull(box: SecretBox, value: string, context: string): string | null {
  try {
    return box.open(value, context);
  } catch (err) {
    if (err instanceof SecretKeyError) return null;
    throw err;
  }
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

function transform(kind: SecretSlots, document: unknown, each: (value: string, slot: Slot) => string): unknown {
  const slots = kind.slots(document);
  if (slots.length === 0) return document;
  const copy = structuredClone(document);
  for (const slot of slots) write(copy, slot.path, each(read(copy, slot.path), slot));
  return copy;
}

/**
 * Puts back the stored secret wherever the input sends its mask (a PUT of what GET returned,
 * an exported file applied again). A mask that matches no stored secret is a problem at its path.
 */
export function resolveMasks(box: SecretBox, kind: SecretSlots, input: unknown, stored: unknown):
  { ok: true; document: unknown } | { ok: false; problems: Array<{ path: string; message: string }> } {
  const previous = new Map<string, string>();
  for (const slot of kind.slots(stored)) {
    const plain = openOrNull(box, read(stored, slot.path), kind.context(slot));
    if (plain !== null) previous.set(slot.key, plain);
  }
  const problems: Array<{ path: string; message: string }> = [];
  const document = transform(kind, input, (value, slot) => {
    if (!value.startsWith(MASK_PREFIX)) return value;
    const plain = previous.get(slot.key);
    if (plain !== undefined && mask(plain) === value) return plain;
    problems.push({ path: pointer(slot.path), message: 'is a masked secret that matches no stored value here: send the full value' });
    return value;
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, document };
}

/** The document as stored: every secret sealed. */
export function sealSecrets<T>(box: SecretBox, kind: SecretSlots, document: T): T {
  return transform(kind, document, (value, slot) => box.seal(value, kind.context(slot))) as T;
}

/** The document as used: every secret in the clear. */
export function openSecrets<T>(box: SecretBox, kind: SecretSlots, document: T): T {
  return transform(kind, document, (value, slot) => box.open(value, kind.context(slot))) as T;
}

/** The document as the API shows it; a value that no longer opens shows as a bare mask. */
export function maskSecrets<T>(box: SecretBox, kind: SecretSlots, document: T): T {
  return transform(kind, document, (value, slot) => mask(openOrNull(box, value, kind.context(slot)) ?? MASK_PREFIX)) as T;
}

/** The plaintexts of a stored document's secrets, to scrub from what is recorded. */
export function secretValues(box: SecretBox, kind: SecretSlots, stored: unknown): string[] {
  return kind.slots(stored).map((slot) => box.open(read(stored, slot.path), kind.context(slot)));
}
