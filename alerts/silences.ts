// Silences and recurring maintenance windows: both mute notifications, neither stops evaluation,
// so the API can still show a muted alert and say what muted it.
import { cronMatches, parseCron } from './cron.ts';
import type { Labels } from './grouping.ts';

/** Alertmanager matcher operators. */
export type MatchOp = '=' | '!=' | '=~' | '!~';

/** One label matcher; regexes are anchored at both ends, as in Alertmanager. */
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

/** A silence: matchers plus the interval [startsAtMs, endsAtMs) in which it mutes. */
export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAtMs: number;
  endsAtMs: number;
  comment?: string;
  author?: string;
}

/** A recurring maintenance window: opens when the UTC cron fires, stays open `durationMs`. */
export interface MaintenanceWindow {
  id: string;
  cron: string;
  durationMs: number;
  /** Which alerts it mutes; empty mutes every alert. */
  matchers: Matcher[];
}

/** Longest pattern a matcher accepts: matching runs on every alert at every evaluation. */
export const MAX_PATTERN_LENGTH = 256;
/** Longest maintenance window: bounds the backward search for its opening minute. */
export const MAX_WINDOW_MS = 7 * 24 * 3_600_000;
const MINUTE_MS = 60_000;

/** Why a pattern is refused, or null when it is safe to run: no backreferences, no nested quantifiers. */
export function checkPattern(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern longer than ${MAX_PATTERN_LENGTH} characters`;
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed';
  // Catastrophic backtracking needs a quantified group that itself contains a quantifier, e.g. (a+)+.
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\') {
      i += 1;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') groups.push(false);
    else if (c === ')') {
      const hadQuantifier = groups.pop();
      if (hadQuantifier === undefined) return 'unbalanced parenthesis';
      const next = pattern[i + 1];
      // An optional group (x+)? cannot backtrack exponentially, so `?` alone does not count.
      const quantified = next === '*' || next === '+' || next === '{';
      if (hadQuantifier && quantified) return 'nested quantifiers are not allowed';
      // The group as a whole counts as quantified content for any group around it.
      if ((hadQuantifier || quantified) && groups.length > 0) groups[groups.length - 1] = true;
    } else if ((c === '*' || c === '+' || c === '{') && groups.length > 0) groups[groups.length - 1] = true;
  }
  if (groups.length > 0) return 'unbalanced parenthesis';
  try {
    new RegExp(pattern);
  } catch (err) {
    return (err as Error).message;
  }
  return null;
}

/** Every problem with a matcher list (empty when valid), collected rather than thrown. */
export function validateMatchers(matchers: readonly Matcher[]): string[] {
  const problems: string[] = [];
  matchers.forEach((m, i) => {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(m.name)) problems.push(`matchers[${i}]: bad label name "${m.name}"`);
    if (!['=', '!=', '=~', '!~'].includes(m.op)) problems.push(`matchers[${i}]: unknown operator "${m.op}"`);
    if (m.op === '=~' || m.op === '!~') {
      const why = checkPattern(m.value);
      if (why) problems.push(`matchers[${i}]: ${why}`);
    }
  });
  return problems;
}

/** Whether one matcher accepts the labels; a missing label reads as "", as in Alertmanager. A refused pattern never matches. */
export function matcherMatches(m: Matcher, labels: Labels): boolean {
  const value = labels[m.name] ?? '';
  switch (m.op) {
    case '=': return value === m.value;
    case '!=': return value !== m.value;
    case '=~':
    case '!~': {
      // A refused pattern mutes nothing: a delivered alert beats a hung evaluator or a silent outage.
      if (checkPattern(m.value) !== null) return false;
      const hit = new RegExp(`^(?:${m.value})$`).test(value);
      return m.op === '=~' ? hit : !hit;
    }
  }
}

/** Whether every matcher accepts the labels. */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  return matchers.every((m) => matcherMatches(m, labels));
}

/** Ids of the silences muting these labels at `nowMs`. */
export function silencedBy(labels: Labels, silences: readonly Silence[], nowMs: number): string[] {
  return silences
    .filter((s) => s.startsAtMs <= nowMs && nowMs < s.endsAtMs && s.matchers.length > 0 && matchesAll(s.matchers, labels))
    .map((s) => s.id);
}

/** Whether any silence mutes these labels at `nowMs`. An empty silence mutes nothing (Alertmanager refuses them). */
export function isSilenced(labels: Labels, silences: readonly Silence[], nowMs: number): boolean {
  return silencedBy(labels, silences, nowMs).length > 0;
}

/** Every problem with a maintenance window (empty when valid). */
export function validateMaintenanceWindow(w: MaintenanceWindow): string[] {
  const problems = validateMatchers(w.matchers);
  const parsed = parseCron(w.cron);
  if (!parsed.ok) problems.push(`cron: ${parsed.error}`);
  if (!(w.durationMs >= MINUTE_MS && w.durationMs <= MAX_WINDOW_MS)) problems.push(`durationMs must be between ${MINUTE_MS} and ${MAX_WINDOW_MS}`);
  return problems;
}

/** Whether the window is open at `nowMs`: the cron fired at some minute t with t ≤ now < t + duration. */
export function inMaintenance(w: MaintenanceWindow, nowMs: number): boolean {
  const parsed = parseCron(w.cron);
  if (!parsed.ok) return false;
  const durationMs = Math.min(w.durationMs, MAX_WINDOW_MS);
  const thisMinute = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  // Walking back minute by minute crosses midnight, month and year ends with no special cases.
  for (let t = thisMinute; t > nowMs - durationMs; t -= MINUTE_MS) {
    if (cronMatches(parsed.schedule, t)) return true;
  }
  return false;
}

/** Ids of the open maintenance windows whose matchers accept these labels. */
export function maintenanceBy(labels: Labels, windows: readonly MaintenanceWindow[], nowMs: number): string[] {
  return windows.filter((w) => matchesAll(w.matchers, labels) && inMaintenance(w, nowMs)).map((w) => w.id);
}
