// The verbs that change SLOs through the API: create, replace (or create at an id), delete.
// Every problem of a definition is reported; SLOs from the config file are refused with 409.
import type { ControlStore } from '../../store/index.ts';
import { getSlo, sloDocument, type StoredSlo } from '../../reports/index.ts';
import { describeDiagnostics, validateSlo, type Slo } from '../../reports/index.ts';
import { ReportsError } from './errors.ts';

export function sloNotFound(id: string): ReportsError {
  return new ReportsError('TELLTALE_ERR_SLO_NOT_FOUND', `no SLO "${id}"`);
}

function ownedByCode(id: string): ReportsError {
  return new ReportsError('TELLTALE_ERR_SLO_OWNED_BY_CODE', `SLO "${id}" is defined in the config file (slos:): change it there`);
}

function validated(input: unknown): Slo {
  const v = validateSlo(input);
  if (!v.ok) throw new ReportsError('TELLTALE_ERR_SLO_INVALID', `the SLO is invalid: ${describeDiagnostics(v.diagnostics)}`, v.diagnostics);
  return v.slo;
}

export async function storedSlo(control: ControlStore, id: string): Promise<StoredSlo> {
  const stored = await getSlo(control, id);
  if (!stored) throw sloNotFound(id);
  return stored;
}

/** POST: a new SLO; its id must be free. */
export async function createSlo(control: ControlStore, nowMs: number, input: unknown): Promise<StoredSlo> {
  const slo = validated(input);
  const existing = await getSlo(control, slo.id);
  if (existing) throw existing.origin === 'code' ? ownedByCode(slo.id) : new ReportsError('TELLTALE_ERR_SLO_EXISTS', `SLO "${slo.id}" exists: PUT /slos/${slo.id} replaces it`);
  const stored: StoredSlo = { slo, origin: 'api', createdAtMs: nowMs, updatedAtMs: nowMs };
  await control.commit({ put: [sloDocument(stored)] });
  return stored;
}

/** PUT: replaces the SLO at `id`, or creates it; the body's id (when given) must be the path's. */
export async function replaceSlo(control: ControlStore, nowMs: number, id: string, input: unknown): Promise<{ stored: StoredSlo; created: boolean }> {
  const body = typeof input === 'object' && input !== null && !Array.isArray(input) ? { id, ...(input as Record<string, unknown>) } : input;
  const slo = validated(body);
  if (slo.id !== id) throw new ReportsError('TELLTALE_ERR_SLO_INVALID', `the body's id "${slo.id}" is not the path's "${id}"`, [{ path: '/id', message: `must be "${id}"` }]);
  const existing = await getSlo(control, id);
  if (existing?.origin === 'code') throw ownedByCode(id);
  const stored: StoredSlo = { slo, origin: 'api', createdAtMs: existing?.createdAtMs ?? nowMs, updatedAtMs: nowMs };
  await control.commit({ put: [sloDocument(stored)] });
  return { stored, created: existing === null };
}

export async function deleteSlo(control: ControlStore, id: string): Promise<void> {
  const existing = await storedSlo(control, id);
  if (existing.origin === 'code') throw ownedByCode(id);
  await control.commit({ delete: [{ kind: 'slo', id }] });
}
