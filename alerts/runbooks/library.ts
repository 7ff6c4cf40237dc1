// Runbooks: Markdown files with front matter, the shipped ones in `runbooks/` and the team's
// own from TELLTALE_RUNBOOKS_DIR. Loaded once at start; a rule names one by id.
import type { RuleKind } from '../notification.ts';

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

/** Reads and validates every runbook; throws listing every problem. */
export function loadRunbookLibrary(_sources: RunbookSources): RunbookLibrary {
  // Filled in with the runbooks feature; an empty library keeps the app composable meanwhile.
  return { get: () => undefined, list: () => [], defaultFor: () => undefined };
}
