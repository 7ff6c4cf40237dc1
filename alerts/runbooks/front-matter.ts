// A runbook file is YAML front matter between `---` lines, then Markdown. This splits the two
// and checks the front matter against its schema, returning every problem instead of the first.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseDocument } from 'yaml';

export const RUNBOOK_ID_PATTERN = '^[a-z0-9][a-z0-9-]*$';

/** The front matter as written; unknown keys are refused so a typo (`applies-to`) is not silently ignored. */
export const RunbookFrontMatterSchema = Type.Object({
  id: Type.String({ pattern: RUNBOOK_ID_PATTERN, maxLength: 64, description: 'Lowercase letters, digits and dashes; what a rule names in `runbook`.' }),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  owner: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'The team to escalate to, e.g. `platform-oncall`.' })),
  severity: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  applies_to: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50, description: 'Rule kinds (`error_rate` …) or check tags (`tls`).' })),
}, { additionalProperties: false });

export type RunbookFrontMatter = Static<typeof RunbookFrontMatterSchema>;

export type FrontMatterResult =
  | { ok: true; frontMatter: RunbookFrontMatter; body: string }
  | { ok: false; problems: string[] };

// The closing fence is `---` (or YAML's `...`) alone on a line.
const FENCED = /^---[ \t]*\r?\n([\s\S]*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m;

/** Splits and validates; `problems` are reasons without the file name (the caller adds it). */
export function parseFrontMatter(text: string): FrontMatterResult {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (!/^---[ \t]*\r?\n/.test(source)) return { ok: false, problems: ['no front matter: the file must start with a `---` line'] };
  const match = FENCED.exec(source);
  if (!match || match.index !== 0) return { ok: false, problems: ['front matter is not closed by a `---` line'] };
  const doc = parseDocument(match[1] ?? '', { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) return { ok: false, problems: doc.errors.map((e) => `front matter is not valid YAML: ${e.message.split('\n')[0] ?? e.code}`) };
  const data: unknown = doc.toJS({ maxAliasCount: 20 });
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, problems: ['front matter must be a YAML mapping (id, title, owner, severity, applies_to)'] };
  // An empty value (`owner:`) means the key is not set.
  const fields = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null));
  if (!Value.Check(RunbookFrontMatterSchema, fields)) {
    const problems = describeErrors(fields);
    return { ok: false, problems: problems.length > 0 ? problems : ['front matter does not match the runbook schema'] };
  }
  return { ok: true, frontMatter: fields, body: source.slice(match[0].length) };
}

function describeErrors(data: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const known = new Set(Object.keys(RunbookFrontMatterSchema.properties));
  for (const required of ['id', 'title']) {
    if (data[required] === undefined) problems.push(`front matter has no ${required}`);
  }
  for (const key of Object.keys(data)) {
    if (!known.has(key)) problems.push(`unknown front matter key "${key}" (known: ${[...known].join(', ')})`);
  }
  for (const error of Value.Errors(RunbookFrontMatterSchema, data)) {
    const key = error.path.split('/')[1] ?? '';
    // Missing and unknown keys are reported above, by name.
    if (!known.has(key) || data[key] === undefined) continue;
    const reason = key === 'id' && typeof data['id'] === 'string' && error.path === '/id'
      ? `id "${data['id']}" must be lowercase letters, digits and dashes (${RUNBOOK_ID_PATTERN}), at most 64 characters`
      : `${error.path.slice(1)}: ${error.message}`;
    if (!problems.includes(reason)) problems.push(reason);
  }
  return problems;
}
