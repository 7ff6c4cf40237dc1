// SLOs as code: the config file's `slos:` section. At start the stored code-owned SLOs become
// exactly those; SLOs created through the API are left alone, except one whose id the file now
// defines (code takes it over). A bad definition stops start with every problem listed.
import type { ControlStore } from '../../store/index.ts';
import { listSlos, sloDocument, SLO_KIND } from '../../reports/index.ts';
import { validateSlo, type Slo } from '../../reports/index.ts';

/** Every problem of the `slos:` section, one per line. */
export class CodeSlosError extends Error {}

export interface CodeSlosSummary {
  created: string[];
  changed: string[];
  deleted: string[];
}

/** Validates `slos` (all of them, every problem) and syncs the stored code-owned SLOs to them. */
export async function loadCodeSlos(control: ControlStore, slos: readonly unknown[] | undefined, nowMs: number = Date.now()): Promise<CodeSlosSummary> {
  const problems: string[] = [];
  const valid: Slo[] = [];
  const seen = new Set<string>();
  (slos ?? []).forEach((input, i) => {
    const v = validateSlo(input);
    if (!v.ok) {
      for (const d of v.diagnostics) problems.push(`slos[${i}]${d.path}: ${d.message}`);
      return;
    }
    if (seen.has(v.slo.id)) problems.push(`slos[${i}]/id: "${v.slo.id}" is defined twice`);
    seen.add(v.slo.id);
    valid.push(v.slo);
  });
  if (problems.length > 0) throw new CodeSlosError(`invalid SLOs in the config file:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const stored = new Map((await listSlos(control)).map((s) => [s.slo.id, s]));
  const summary: CodeSlosSummary = { created: [], changed: [], deleted: [] };
  const put = [];
  for (const slo of valid) {
    const previous = stored.get(slo.id);
    if (previous && previous.origin === 'code' && JSON.stringify(previous.slo) === JSON.stringify(slo)) continue;
    put.push(sloDocument({ slo, origin: 'code', createdAtMs: previous?.createdAtMs ?? nowMs, updatedAtMs: nowMs }));
    (previous ? summary.changed : summary.created).push(slo.id);
  }
  const remove = [...stored.values()].filter((s) => s.origin === 'code' && !seen.has(s.slo.id)).map((s) => ({ kind: SLO_KIND, id: s.slo.id }));
  summary.deleted.push(...remove.map((r) => r.id));
  if (put.length > 0 || remove.length > 0) await control.commit({ put, delete: remove });
  return summary;
}
