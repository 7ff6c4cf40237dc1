// Regular expressions written by check authors run against bodies we do not control, so they
// run in a bounded engine: patterns that can backtrack exponentially are refused when the check
// is defined, the input is capped, and each match runs under a wall-clock limit (V8 can
// interrupt a regex running inside `vm` with a timeout; it cannot interrupt one on the main realm).
import { createContext, Script, type Context } from 'node:vm';

export const REGEX_LIMITS = {
  maxPatternLength: 256,
  /** Longer input is cut to this many characters before matching. */
  maxInputChars: 64 * 1024,
  maxRepeatCount: 1000,
  matchTimeoutMs: 100,
} as const;

interface Frame {
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

/** Reads a quantifier at `i`; returns its length and largest repeat count (Infinity when unbounded). */
function quantifierAt(pattern: string, i: number): { length: number; max: number; bad?: string } | null {
  const c = pattern[i];
  let length = 0;
  let max = 0;
  if (c === '*' || c === '+') [length, max] = [1, Infinity];
  else if (c === '?') [length, max] = [1, 1];
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (!m) return null;
    const min = Number(m[1]);
    max = m[2] === undefined ? min : m[3] === '' || m[3] === undefined ? Infinity : Number(m[3]);
    length = m[0].length;
    if (min > REGEX_LIMITS.maxRepeatCount || (max !== Infinity && max > REGEX_LIMITS.maxRepeatCount)) {
      return { length, max, bad: `repeat counts above ${REGEX_LIMITS.maxRepeatCount} are not allowed` };
    }
  } else return null;
  if (pattern[i + length] === '?') length++; // lazy form
  return { length, max };
}

/**
 * Why `pattern` is refused, or null. Refused: longer than the limit, invalid, backreferences,
 * lookaround, a quantified group that contains a quantifier (`(a+)+`, `(\d*x)*`), and an
 * alternation repeated more than once (`(a|aa)+`) — the shapes that backtrack exponentially.
 */
export function regexProblem(pattern: string): string | null {
  if (pattern.length > REGEX_LIMITS.maxPatternLength) return `pattern is longer than ${REGEX_LIMITS.maxPatternLength} characters`;
  try {
    new RegExp(pattern);
  } catch (err) {
    return `invalid regular expression: ${(err as Error).message}`;
  }
  const stack: Frame[] = [{ hasQuantifier: false, hasAlternation: false }];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    const top = stack[stack.length - 1]!;
    let atomEnd = i + 1;
    let closed: Frame | null = null;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'backreferences are not allowed';
      atomEnd = i + 2;
    } else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      atomEnd = j + 1;
    } else if (c === '(') {
      if (/^\(\?<?[=!]/.test(pattern.slice(i))) return 'lookahead and lookbehind are not allowed';
      stack.push({ hasQuantifier: false, hasAlternation: false });
      const named = /^\(\?(<[A-Za-z_$][\w$]*>|:)/.exec(pattern.slice(i));
      i += named ? named[0].length : 1;
      continue;
    } else if (c === ')') {
      closed = stack.pop()!;
    } else if (c === '|') {
      top.hasAlternation = true;
      i++;
      continue;
    }
    const q = quantifierAt(pattern, atomEnd);
    const frame = stack[stack.length - 1]!;
    if (q?.bad) return q.bad;
    if (closed) {
      if (q && q.max > 1 && closed.hasQuantifier) return 'nested quantifiers (a quantified group containing a quantifier) are not allowed';
      if (q && q.max > 1 && closed.hasAlternation) return 'a repeated alternation group is not allowed';
      frame.hasQuantifier ||= closed.hasQuantifier || q !== null;
    } else if (q) {
      frame.hasQuantifier = true;
    }
    i = atomEnd + (q?.length ?? 0);
  }
  return null;
}

/** Compiles a pattern that passed `regexProblem`, or says why not. */
export function compileBoundedRegex(pattern: string): { ok: true; re: RegExp } | { ok: false; error: string } {
  const problem = regexProblem(pattern);
  return problem ? { ok: false, error: problem } : { ok: true, re: new RegExp(pattern) };
}

let sandbox: { context: Context; script: Script } | undefined;

/** Runs `re.exec` on at most `maxInputChars` of `input`, giving up after `matchTimeoutMs`. */
export function boundedExec(re: RegExp, input: string): { ok: true; match: RegExpExecArray | null } | { ok: false; error: string } {
  // Created on first use: no work at import time, one context for the life of the process.
  sandbox ??= { context: createContext(Object.create(null) as object), script: new Script('re.exec(input)') };
  const context = sandbox.context as { re?: RegExp; input?: string };
  context.re = re;
  context.input = input.length > REGEX_LIMITS.maxInputChars ? input.slice(0, REGEX_LIMITS.maxInputChars) : input;
  try {
    return { ok: true, match: sandbox.script.runInContext(sandbox.context, { timeout: REGEX_LIMITS.matchTimeoutMs }) as RegExpExecArray | null };
  } catch {
    return { ok: false, error: `regular expression ran longer than ${REGEX_LIMITS.matchTimeoutMs} ms` };
  } finally {
    context.re = undefined;
    context.input = undefined;
  }
}
