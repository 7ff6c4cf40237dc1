// Encryption at rest for secret values (check headers, alert webhook headers). A
// database copy or backup alone does not reveal them: AES-256-GCM with a key from
// TELLTALE_SECRET_KEY or a key file beside the database, created on first use with mode 0600.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Sealed values carry their format version, so the format can change without guessing. */
export const SEALED_PREFIX = 'enc:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where the key comes from; with neither set, an in-memory key that lasts the process (embedded tests only). */
export interface SecretKeySource {
  /** Base64 of 32 bytes (TELLTALE_SECRET_KEY). */
  key?: string | null;
  /** The data folder; the key file is `<dataDir>/secret.key`. */
  dataDir?: string;
}

/** Thrown when the key is missing, malformed, or not the one the values were sealed with. */
export class SecretKeyError extends Error {}

function decodeKey(base64: string, where: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new SecretKeyError(`${where}: the secret key must be base64 of ${KEY_BYTES} bytes`);
  return key;
}

function keyFromFile(dataDir: string): Buffer {
  const file = join(dataDir, 'secret.key');
  try {
    return decodeKey(readFileSync(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    // `wx`: if another process created it meanwhile, theirs wins and is read back below.
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return decodeKey(readFileSync(file, 'utf8'), file);
  }
}

/**
 * Seals and opens secret strings. `context` (the check id and the value's place in it) is
 * authenticated with the value, so a sealed value copied to another check or header does not open.
 */
export class SecretBox {
  readonly #source: SecretKeySource;
  #key: Buffer | null = null;

  constructor(source: SecretKeySource) {
    this.#source = source;
  }

  // Lazy: the key file is created only when the first secret is stored.
  #getKey(): Buffer {
    this.#key ??= this.#source.key
      ? decodeKey(this.#source.key, 'TELLTALE_SECRET_KEY')
      : this.#source.dataDir ? keyFromFile(this.#source.dataDir) : randomBytes(KEY_BYTES);
    return this.#key;
  }

  static isSealed(value: string): boolean {
    return value.startsWith(SEALED_PREFIX);
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#getKey(), iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The plaintext of a sealed value; a value that is not sealed is returned as is. */
  open(value: string, context: string): string {
    if (!SecretBox.isSealed(value)) return value;
    const raw = Buffer.from(value.slice(SEALED_PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretKeyError('a sealed secret is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.#getKey(), raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError('a stored secret does not open with this key (was TELLTALE_SECRET_KEY or secret.key changed?)');
    }
  }
}
