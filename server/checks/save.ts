// The verbs that change checks through the API: create, replace (or create at an id), delete.
// Input is validated with every problem reported; code-owned checks are refused with 409.
import type { CheckOrigin, CheckRecord } from '../../store/index.ts';
import { canonicalJson, validateCheck, type Check, type Diagnostic } from '../../synthetic/index.ts';
import { TelltaleError } from '../errors.ts';
import { notify, type ChecksContext } from './context.ts';
import { openSecrets, resolveMasks, sealSecrets } from './seal.ts';

export type SaveOutcome =
  | { ok: true; record: CheckRecord; created: boolean; changed: boolean }
  | { ok: false; diagnostics: Diagnostic[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function ownedByCode(id: string): TelltaleError {
  return new TelltaleError('TELLTALE_ERR_CHECK_OWNED_BY_CODE', `check "${id}" is defined in code (the config file or the checks folder): change it there, and Telltale reloads it`);
}

export function notFound(id: string): TelltaleError {
  return new TelltaleError('TELLTALE_ERR_CHECK_NOT_FOUND', `no check "${id}"`);
}

/** The plaintext definition a stored record holds. */
export function openDefinition(ctx: ChecksContext, record: CheckRecord): Check {
  return openSecrets(ctx.secrets, record.id, record.definition as Check);
}

/**
 * Stores `check` (plaintext) under `origin` when it differs from `stored`; secrets are sealed
 * on the way in. Shared by the API and the loader of checks as code.
 */
export async function writeCheck(ctx: ChecksContext, check: Check, origin: CheckOrigin, stored: CheckRecord | null, dryRun = false): Promise<{ record: CheckRecord; changed: boolean }> {
  const same = stored !== null && stored.origin === origin && canonicalJson(openDefinition(ctx, stored)) === canonicalJson(check);
  if (same) return { record: stored, changed: false };
  const now = ctx.now();
  const record: CheckRecord = {
    id: check.id, definition: sealSecrets(ctx.secrets, check.id, check), origin, createdAtMs: stored?.createdAtMs ?? now, updatedAtMs: now,
  };
  if (dryRun) return { record, changed: true };
  await ctx.store.putCheck(record);
  notify(ctx, { kind: 'put', check: record.definition as Check });
  return { record, changed: true };
}

async function save(ctx: ChecksContext, id: string, input: unknown, stored: CheckRecord | null, dryRun: boolean): Promise<SaveOutcome> {
  const resolved = resolveMasks(ctx.secrets, id, input, stored?.definition ?? null);
  const validated = validateCheck(resolved.ok ? resolved.definition : input, { policy: ctx.policy });
  const diagnostics = [...(resolved.ok ? [] : resolved.diagnostics), ...validated.diagnostics];
  if (!validated.ok || diagnostics.length > 0) return { ok: false, diagnostics };
  const { record, changed } = await writeCheck(ctx, validated.check, 'api', stored, dryRun);
  return { ok: true, record, created: stored === null, changed };
}

/** POST: a new check; its id must be free. */
export async function createCheck(ctx: ChecksContext, input: unknown): Promise<SaveOutcome> {
  const id = isRecord(input) && typeof input.id === 'string' ? input.id : null;
  if (id === null) return { ok: false, diagnostics: validateCheck(input).diagnostics };
  const stored = await ctx.store.getCheck(id);
  if (stored) {
    if (stored.origin === 'code') throw ownedByCode(id);
    throw new TelltaleError('TELLTALE_ERR_CHECK_EXISTS', `check "${id}" exists: PUT /api/v1/checks/${id} replaces it`);
  }
  return save(ctx, id, input, null, false);
}

/** PUT: creates or replaces the check at `id`; with dryRun, only says whether it would change. */
export async function replaceCheck(ctx: ChecksContext, id: string, input: unknown, dryRun = false): Promise<SaveOutcome> {
  if (isRecord(input) && input.id !== undefined && input.id !== id) {
    return { ok: false, diagnostics: [{ path: '/id', message: `must be "${id}", the id in the URL (ids do not change; create a new check instead)` }] };
  }
  const stored = await ctx.store.getCheck(id);
  if (stored?.origin === 'code') throw ownedByCode(id);
  return save(ctx, id, isRecord(input) ? { ...input, id } : input, stored, dryRun);
}

export async function deleteCheck(ctx: ChecksContext, id: string): Promise<void> {
  const stored = await ctx.store.getCheck(id);
  if (!stored) throw notFound(id);
  if (stored.origin === 'code') throw ownedByCode(id);
  await ctx.store.deleteCheck(id);
  notify(ctx, { kind: 'delete', id });
}
