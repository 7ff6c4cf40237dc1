// API tokens: random secrets shown once, stored only as SHA-256 (they carry 192 bits of
// entropy, so a slow password hash adds nothing), compared in constant time.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Store, TokenRecord, TokenScope } from '../../store/index.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Which scopes each scope grants: admin everything, write includes read; ingest stands alone. */
const GRANTS: Record<TokenScope, readonly TokenScope[]> = {
  admin: ['admin', 'write', 'read', 'ingest'],
  write: ['write', 'read'],
  read: ['read'],
  ingest: ['ingest'],
};

export function scopeAllows(held: TokenScope, needed: TokenScope): boolean {
  return GRANTS[held].includes(needed);
}

/** Creates a token, stores its hash, and returns the secret: the only time it is ever visible. */
export async function createToken(store: Store, scope: TokenScope, name: string, now = Date.now()): Promise<{ token: string; record: TokenRecord }> {
  const token = `tt_${randomBytes(24).toString('base64url')}`;
  const record: TokenRecord = { id: randomUUID(), name, scope, hash: hashToken(token), createdAtMs: now };
  await store.createToken(record);
  return { token, record };
}

export interface TokenVerifier {
  /** The scope of a presented token, or null when it is unknown. */
  verify(token: string): Promise<TokenScope | null>;
}

export function tokenVerifier(store: Store, bootstrapToken: string | null): TokenVerifier {
  const bootstrapHash = bootstrapToken ? Buffer.from(hashToken(bootstrapToken), 'hex') : null;
  return {
    async verify(token) {
      const hash = hashToken(token);
      if (bootstrapHash && timingSafeEqual(Buffer.from(hash, 'hex'), bootstrapHash)) return 'admin';
      // The lookup is by hash, so timing reveals nothing about the secret; compare anyway.
      const record = await store.findTokenByHash(hash);
      if (!record) return null;
      return timingSafeEqual(Buffer.from(record.hash, 'hex'), Buffer.from(hash, 'hex')) ? record.scope : null;
    },
  };
}
