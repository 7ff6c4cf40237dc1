// Where SLO definitions live: ControlStore documents of kind `slo`, each remembering whether the
// config file (`code`, read-only through the API) or the API (`api`) owns it.
import type { ControlDocument, ControlStore } from '../store/control.ts';
import type { Slo } from './slo-schema.ts';

export const SLO_KIND = 'slo';

/** Who owns an SLO definition: the config file (`code`) or the API (`api`). */
export type SloOrigin = 'code' | 'api';

/** An SLO as stored. */
export interface StoredSlo {
  slo: Slo;
  origin: SloOrigin;
  createdAtMs: number;
  updatedAtMs: number;
}

interface SloBody {
  slo: Slo;
  origin: SloOrigin;
  createdAtMs: number;
}

function fromDocument(doc: ControlDocument): StoredSlo {
  const body = doc.body as SloBody;
  return { slo: body.slo, origin: body.origin, createdAtMs: body.createdAtMs, updatedAtMs: doc.updatedAtMs };
}

export function sloDocument(stored: StoredSlo): ControlDocument {
  const body: SloBody = { slo: stored.slo, origin: stored.origin, createdAtMs: stored.createdAtMs };
  return { kind: SLO_KIND, id: stored.slo.id, body, updatedAtMs: stored.updatedAtMs };
}

/** Every SLO, by id. */
export async function listSlos(control: ControlStore): Promise<StoredSlo[]> {
  return (await control.documents(SLO_KIND)).map(fromDocument).sort((a, b) => a.slo.id.localeCompare(b.slo.id));
}

export async function getSlo(control: ControlStore, id: string): Promise<StoredSlo | null> {
  const doc = await control.document(SLO_KIND, id);
  return doc ? fromDocument(doc) : null;
}
