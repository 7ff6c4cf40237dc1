// Runbooks: Markdown files with front matter, the shipped ones in `runbooks/` and the team's
// own from TELLTALE_RUNBOOKS_DIR. Loaded once at start; a rule names one by id.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleKind } from '../notification.ts';
import { parseFrontMatter } from './front-matter.ts';
import { renderRunbookMarkdown } from './markdown.ts';

/** One runbook, parsed and rendered. */
export interface Runbook {
  id: string;
  title: string;
  /** The team to escalate to. */
  owner: string | null;
  severity: string | null;
  /** Rule kinds (or tags) it is written for; the first runbook applying to a kind is that kind's default. */
  appliesTo: string[];
  /** The Markdown body, front matter removed. */
  markdown: string;
  /** Sanitized HTML of the body. */
  html: string;
  /** The first few steps as plain text, for emails. */
  firstSteps: string[];
  origin: 'shipped' | 'team';
}

export interface RunbookLibrary {
  get(id: string): Runbook | undefined;
  /** Every runbook, by id. */
  list(): Runbook[];
  /** The runbook a rule of this kind gets when it names none. */
  defaultFor(kind: RuleKind): Runbook | undefined;
}

export interface RunbookSources {
  /** The shipped runbooks (the repository's `runbooks/`). */
  shippedDir: string;
  /** The team's folder; its runbooks replace shipped ones with the same id. */
  teamDir: string | null;
}

/** Larger runbook files are refused: a runbook is read at 3 a.m., not a manual. */
export const MAX_RUNBOOK_BYTES = 256 * 1024;

/** Every problem found, one per line as `file: reason`; thrown once after all files were read. */
export class RunbookLibraryError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length === 1 ? 'a runbook is' : `${problems.length} runbook problems are`} in the way:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RunbookLibraryError';
  }
}

/** Reads and validates every runbook; throws listing every problem. */
export function loadRunbookLibrary(sources: RunbookSources): RunbookLibrary {
  const problems: string[] = [];
  const shipped = readFolder(sources.shippedDir, 'shipped', problems);
  const team = sources.teamDir === null ? [] : readFolder(sources.teamDir, 'team', problems);
  if (problems.length > 0) throw new RunbookLibraryError(problems);
  return buildLibrary(shipped, team);
}

/**
 * Shipped ids first (a team runbook with a shipped id takes its place), then the team's own,
 * each group by id: so a kind's default stays the shipped one unless the team replaces it.
 */
export function buildLibrary(shipped: Runbook[], team: Runbook[]): RunbookLibrary {
  const teamById = new Map(team.map((r) => [r.id, r]));
  const shippedIds = new Set(shipped.map((r) => r.id));
  const byId = (a: Runbook, b: Runbook) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const precedence = [
    ...[...shipped].sort(byId).map((r) => teamById.get(r.id) ?? r),
    ...team.filter((r) => !shippedIds.has(r.id)).sort(byId),
  ];
  const index = new Map(precedence.map((r) => [r.id, r]));
  const listed = [...precedence].sort(byId);
  return {
    get: (id) => index.get(id),
    list: () => [...listed],
    defaultFor: (kind) => precedence.find((r) => r.appliesTo.includes(kind)),
  };
}

function readFolder(dir: string, origin: Runbook['origin'], problems: string[]): Runbook[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.md')).sort();
  } catch (err) {
    problems.push(`${dir}: cannot read the ${origin} runbooks folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    return [];
  }
  const runbooks: Runbook[] = [];
  const files = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    const runbook = readRunbook(file, origin, problems);
    if (!runbook) continue;
    const other = files.get(runbook.id);
    if (other !== undefined) {
      problems.push(`${file}: duplicate id "${runbook.id}" (also in ${other})`);
      continue;
    }
    files.set(runbook.id, file);
    runbooks.push(runbook);
  }
  return runbooks;
}

function readRunbook(file: string, origin: Runbook['origin'], problems: string[]): Runbook | null {
  let text: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return null;
    if (stat.size > MAX_RUNBOOK_BYTES) {
      problems.push(`${file}: ${stat.size} bytes is larger than the ${MAX_RUNBOOK_BYTES / 1024} KB a runbook may be`);
      return null;
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    return null;
  }
  const parsed = parseFrontMatter(text);
  if (!parsed.ok) {
    for (const problem of parsed.problems) problems.push(`${file}: ${problem}`);
    return null;
  }
  const { id, title, owner, severity, applies_to: appliesTo } = parsed.frontMatter;
  const markdown = parsed.body.replace(/^\s*\n/, '');
  const { html, firstSteps } = renderRunbookMarkdown(markdown);
  return { id, title, owner: owner ?? null, severity: severity ?? null, appliesTo: appliesTo ?? [], markdown, html, firstSteps, origin };
}
