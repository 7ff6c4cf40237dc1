// Checks as code: YAML files in a team's repository. A file holds a list of checks, a mapping
// with a `checks:` list (the config file's shape), or one check; `---` separates documents.
// Every problem in every file is reported at once, each with its file, line and JSON Pointer,
// so `telltale checks validate` and a refused start say exactly where to look.
import { LineCounter, isMap, isSeq, parseAllDocuments, stringify, type Document, type Node } from 'yaml';
import { validateCheck } from './validate.ts';
import type { Check } from './types/index.ts';
import type { ValidateOptions } from './types/check-type.ts';

export interface CheckFile {
  /** How the file is named in diagnostics (a path as the user gave it). */
  file: string;
  text: string;
  /** `config`: the Telltale config file, whose other sections are not checks and are ignored here. */
  kind?: 'checks' | 'config';
}

export interface FileDiagnostic {
  file: string;
  /** 1-based line of the field, or of the nearest enclosing one that exists; null when unknown. */
  line: number | null;
  /** JSON Pointer from the document's root. */
  path: string;
  message: string;
}

export interface LoadedCheck {
  check: Check;
  file: string;
  line: number | null;
}

export interface CheckFilesResult {
  ok: boolean;
  checks: LoadedCheck[];
  diagnostics: FileDiagnostic[];
}

/** `checks/api.yaml:12 /checks/0/request/url: must be …` */
export function formatDiagnostic(d: FileDiagnostic): string {
  return `${d.file}${d.line === null ? '' : `:${d.line}`} ${d.path}: ${d.message}`;
}

const SHAPE = 'a check file holds a list of checks, a mapping with `checks:`, or one check';

function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function pointerOf(segments: readonly (string | number)[]): string {
  return segments.length === 0 ? '/' : `/${segments.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** The line of the deepest node on `segments` that exists. */
function lineOf(doc: Document, lines: LineCounter, segments: readonly (string | number)[]): number | null {
  let node: unknown = doc.contents;
  let found: Node | null = isMap(node) || isSeq(node) ? node : null;
  for (const segment of segments) {
    const next: unknown = isSeq(node) ? node.get(Number(segment), true) : isMap(node) ? node.get(String(segment), true) : undefined;
    if (!next || typeof next !== 'object' || !('range' in next)) break;
    node = next;
    found = next as Node;
  }
  const offset = found?.range?.[0];
  return offset === undefined ? null : lines.linePos(offset).line;
}

interface Entry {
  value: unknown;
  base: Array<string | number>;
}

function entriesOf(doc: Document, kind: CheckFile['kind'], problems: (base: Array<string | number>, message: string) => void): Entry[] {
  const contents = doc.contents;
  if (contents === null) return [];
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (Array.isArray(value)) return (value as unknown[]).map((v, i) => ({ value: v, base: [i] }));
  if (isMap(contents) && value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (!('checks' in record)) return kind === 'config' ? [] : [{ value, base: [] }];
    if (kind !== 'config') {
      for (const key of Object.keys(record)) if (key !== 'checks') problems([key], `is not a known field (${SHAPE})`);
    }
    const checks = record.checks;
    if (checks === null || checks === undefined) return [];
    if (!Array.isArray(checks)) {
      problems(['checks'], 'must be a list of checks');
      return [];
    }
    return (checks as unknown[]).map((v, i) => ({ value: v, base: ['checks', i] }));
  }
  problems([], SHAPE);
  return [];
}

/**
 * Parses and validates check files. Ids must be unique across all of them. On success every
 * check is returned with where it was defined.
 */
export function parseCheckFiles(files: readonly CheckFile[], options: ValidateOptions = {}): CheckFilesResult {
  const checks: LoadedCheck[] = [];
  const diagnostics: FileDiagnostic[] = [];
  const firstDefined = new Map<string, string>();
  for (const { file, text, kind = 'checks' } of files) {
    const lines = new LineCounter();
    for (const doc of parseAllDocuments(text, { lineCounter: lines, prettyErrors: false })) {
      if (doc.errors.length > 0) {
        for (const err of doc.errors) diagnostics.push({ file, line: lines.linePos(err.pos[0]).line, path: '/', message: `not valid YAML: ${err.message.split('\n')[0]}` });
        continue;
      }
      const report = (segments: Array<string | number>, message: string) =>
        diagnostics.push({ file, line: lineOf(doc, lines, segments), path: pointerOf(segments), message });
      for (const { value, base } of entriesOf(doc, kind, report)) {
        const result = validateCheck(value, options);
        if (!result.ok) {
          for (const d of result.diagnostics) report([...base, ...pointerSegments(d.path)], d.message);
          continue;
        }
        const line = lineOf(doc, lines, base);
        const where = `${file}${line === null ? '' : `:${line}`}`;
        const first = firstDefined.get(result.check.id);
        if (first) {
          report([...base, 'id'], `id "${result.check.id}" is already defined at ${first}`);
          continue;
        }
        firstDefined.set(result.check.id, where);
        checks.push({ check: result.check, file, line });
      }
    }
  }
  return { ok: diagnostics.length === 0, checks: diagnostics.length === 0 ? checks : [], diagnostics };
}

/** Checks as a YAML document in the `checks:` shape, loadable by parseCheckFiles and pasteable into the config file. */
export function checksToYaml(checks: readonly unknown[], header?: string): string {
  const body = stringify({ checks }, { lineWidth: 0 });
  return header ? `${header.split('\n').map((l) => `# ${l}`).join('\n')}\n${body}` : body;
}
