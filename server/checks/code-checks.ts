// Checks as code on the server: read the config file's `checks:` and the YAML files of the
// checks folder, and make the stored code-owned checks exactly those. Checks created in the
// API are left alone, except one whose id a file now defines: code takes it over.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCheckFiles, type Check, type CheckFile, type CheckFilesResult, type FileDiagnostic, type LoadedCheck } from '../../synthetic/index.ts';
import type { CheckRecord } from '../../store/index.ts';
import { notify, type ChecksContext } from './context.ts';
import { writeCheck } from './save.ts';
import { resolveMasks } from './seal.ts';

export interface CodeCheckSources {
  /** The Telltale config file, whose `checks:` section is read; null when there is none. */
  configFile: string | null;
  /** Folder of `*.yaml` / `*.yml` check files; a missing folder holds no checks. */
  checksDir: string;
}

/** Stops start (or a reload) with every problem, one per line. */
export class CodeChecksError extends Error {
  constructor(readonly diagnostics: FileDiagnostic[], format: (d: FileDiagnostic) => string) {
    super(`invalid checks:\n${diagnostics.map((d) => `  ${format(d)}`).join('\n')}`);
  }
}

/** The YAML files of a folder, by name; none when it does not exist. */
export async function checkFilesIn(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((n) => /\.ya?ml$/i.test(n) && !n.startsWith('.')).sort().map((n) => join(dir, n));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export async function readCheckFiles(sources: CodeCheckSources): Promise<CheckFile[]> {
  const files: CheckFile[] = [];
  if (sources.configFile) files.push({ file: sources.configFile, text: await readFile(sources.configFile, 'utf8'), kind: 'config' });
  for (const file of await checkFilesIn(sources.checksDir)) files.push({ file, text: await readFile(file, 'utf8') });
  return files;
}

export async function loadCodeChecks(ctx: ChecksContext, sources: CodeCheckSources): Promise<CheckFilesResult> {
  return parseCheckFiles(await readCheckFiles(sources), { policy: ctx.policy });
}

export interface SyncSummary {
  created: string[];
  changed: string[];
  deleted: string[];
  /** Problems that kept the sync from writing anything (a masked secret with nothing stored behind it). */
  diagnostics: FileDiagnostic[];
}

/** Makes the stored code-owned checks exactly `loaded`; all or nothing. */
export async function syncCodeChecks(ctx: ChecksContext, loaded: readonly LoadedCheck[]): Promise<SyncSummary> {
  const summary: SyncSummary = { created: [], changed: [], deleted: [], diagnostics: [] };
  const stored = new Map((await ctx.store.listChecks()).map((r) => [r.id, r]));
  const plans: Array<{ check: Check; previous: CheckRecord | null }> = [];
  for (const { check, file, line } of loaded) {
    const previous = stored.get(check.id) ?? null;
    // A file may hold masks exported from the API: they stand for the secret stored at this id.
    const resolved = resolveMasks(ctx.secrets, check.id, check, previous?.definition ?? null);
    if (!resolved.ok) summary.diagnostics.push(...resolved.diagnostics.map((d) => ({ file, line, path: d.path, message: d.message })));
    else plans.push({ check: resolved.definition as Check, previous });
  }
  if (summary.diagnostics.length > 0) return summary;
  for (const { check, previous } of plans) {
    const { changed } = await writeCheck(ctx, check, 'code', previous);
    if (!previous) summary.created.push(check.id);
    else if (changed) summary.changed.push(check.id);
  }
  const wanted = new Set(loaded.map((l) => l.check.id));
  for (const record of stored.values()) {
    if (record.origin !== 'code' || wanted.has(record.id)) continue;
    await ctx.store.deleteCheck(record.id);
    notify(ctx, { kind: 'delete', id: record.id });
    summary.deleted.push(record.id);
  }
  return summary;
}
