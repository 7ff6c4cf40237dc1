// Assertions are pure: a response (or a socket's timing) in, one result per assertion out, each
// with a readable `expected` and the `actual` value seen, so a failed run explains itself.
import { isDeepStrictEqual } from 'node:util';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Assertion } from './schema.ts';
import type { AssertionActual, AssertionResult, Phases, TlsInfo } from './result-schema.ts';
import { queryJsonPath } from './json-path.ts';
import { boundedExec, compileBoundedRegex } from './bounded-regex.ts';

/** What assertions look at; a check type fills in what it has (a tcp check has no status). */
export interface AssertionSubject {
  statusCode: number | null;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  bodyText: string;
  json: () => { ok: true; value: unknown } | { ok: false };
  phases: Phases;
  tls: TlsInfo | null;
}

/** A check with no assertions expects a 2xx status. */
export const DEFAULT_HTTP_ASSERTIONS: readonly Assertion[] = [{ kind: 'status', range: [200, 299] }];

const EXCERPT_CHARS = 120;

function excerpt(text: string, around = -1): string {
  const start = around < 0 ? 0 : Math.max(0, around - 40);
  const cut = text.slice(start, start + EXCERPT_CHARS);
  return `${start > 0 ? '…' : ''}${cut}${start + EXCERPT_CHARS < text.length ? '…' : ''}`;
}

/** A JSON value as an assertion's `actual`: scalars as they are, objects and arrays as (cut) JSON text. */
function asActual(value: unknown): AssertionActual {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return excerpt(JSON.stringify(value) ?? 'undefined');
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

let ajv: Ajv | undefined;
// Keyed by the schema's JSON text, not its object: the scheduler may hand us a fresh copy of a
// check on every run, and ajv keeps every schema object it compiled. Bounded, then started over.
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 1000;

/**
 * Compiles a JSON Schema once per distinct schema. Formats are not validated: ajv ships none and
 * `ajv-formats` is not a dependency, so `format` is an annotation here rather than a compile error.
 * `addUsedSchema: false` keeps two checks that reuse one `$id` from clashing in the shared instance.
 */
export function compileJsonSchema(schema: unknown): { ok: true; validate: ValidateFunction } | { ok: false; error: string } {
  const key = JSON.stringify(schema) ?? 'undefined';
  const cached = compiled.get(key);
  if (cached) return { ok: true, validate: cached };
  if (!ajv || compiled.size >= MAX_COMPILED) {
    ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false, addUsedSchema: false });
    compiled.clear();
  }
  try {
    const validate = ajv.compile(schema as object | boolean);
    compiled.set(key, validate);
    return { ok: true, validate };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

function result(a: { kind: string; target?: string }, expected: string, actual: AssertionActual, pass: boolean): AssertionResult {
  return a.target === undefined ? { kind: a.kind, expected, actual, pass } : { kind: a.kind, target: a.target, expected, actual, pass };
}

function evaluateJsonPath(a: Extract<Assertion, { kind: 'jsonPath' }>, subject: AssertionSubject): AssertionResult {
  const head = { kind: a.kind, target: a.path };
  const json = subject.json();
  const found = json.ok ? queryJsonPath(json.value, a.path) : { found: false as const };
  if (a.exists !== undefined) return result(head, a.exists ? 'exists' : 'does not exist', found.found, found.found === a.exists);
  if (!json.ok) return result(head, 'a JSON body', 'body is not JSON', false);
  const value = found.found ? found.value : undefined;
  const actual = found.found ? asActual(value) : null;
  if (a.greaterThan !== undefined || a.lessThan !== undefined) {
    const n = asNumber(value);
    const gt = a.greaterThan !== undefined;
    const bound = gt ? a.greaterThan! : a.lessThan!;
    return result(head, `${gt ? '>' : '<'} ${bound}`, actual, n !== null && (gt ? n > bound : n < bound));
  }
  if (a.contains !== undefined) {
    const pass = typeof value === 'string' && typeof a.contains === 'string'
      ? value.includes(a.contains)
      : Array.isArray(value) && value.some((item) => isDeepStrictEqual(item, a.contains));
    return result(head, `contains ${JSON.stringify(a.contains)}`, actual, pass);
  }
  return result(head, `equals ${JSON.stringify(a.equals)}`, actual, found.found && isDeepStrictEqual(value, a.equals));
}

/** Evaluates one assertion. Validation guarantees one operator; the first set one wins otherwise. */
export function evaluateAssertion(a: Assertion, subject: AssertionSubject): AssertionResult {
  switch (a.kind) {
    case 'status': {
      const s = subject.statusCode;
      if (a.equals !== undefined) return result(a, `equals ${a.equals}`, s, s === a.equals);
      if (a.in !== undefined) return result(a, `in [${a.in.join(', ')}]`, s, s !== null && a.in.includes(s));
      const [min, max] = a.range ?? [200, 299];
      return result(a, `in ${min}..${max}`, s, s !== null && s >= min && s <= max);
    }
    case 'latency': {
      const phase = a.phase ?? 'total';
      const ms = subject.phases[`${phase}Ms`];
      return result({ kind: a.kind, target: phase }, `< ${a.lessThan} ms`, ms, ms < a.lessThan);
    }
    case 'header': {
      const head = { kind: a.kind, target: a.name.toLowerCase() };
      const value = subject.headers[head.target] ?? null;
      if (a.equals !== undefined) return result(head, `equals ${JSON.stringify(a.equals)}`, value, value === a.equals);
      if (a.contains !== undefined) return result(head, `contains ${JSON.stringify(a.contains)}`, value, value !== null && value.includes(a.contains));
      const pattern = a.matches ?? '';
      const re = compileBoundedRegex(pattern);
      if (!re.ok) return result(head, `matches /${pattern}/`, re.error, false);
      const match = value === null ? null : boundedExec(re.re, value);
      if (match && !match.ok) return result(head, `matches /${pattern}/`, match.error, false);
      return result(head, `matches /${pattern}/`, value, match !== null && match.match !== null);
    }
    case 'body': {
      const needle = a.contains ?? a.notContains ?? '';
      const at = subject.bodyText.indexOf(needle);
      const actual = excerpt(subject.bodyText, at);
      if (a.contains !== undefined) return result(a, `contains ${JSON.stringify(needle)}`, actual, at >= 0);
      return result(a, `does not contain ${JSON.stringify(needle)}`, actual, at < 0);
    }
    case 'jsonPath':
      return evaluateJsonPath(a, subject);
    case 'jsonSchema': {
      const json = subject.json();
      if (!json.ok) return result(a, 'matches the JSON schema', 'body is not JSON', false);
      const validator = compileJsonSchema(a.schema);
      if (!validator.ok) return result(a, 'matches the JSON schema', `invalid schema: ${validator.error}`, false);
      const pass = validator.validate(json.value);
      const first = validator.validate.errors?.[0];
      const actual = pass ? 'valid' : `${first?.instancePath || '/'} ${first?.message ?? 'does not match'}`;
      return result(a, 'matches the JSON schema', actual, pass);
    }
    case 'tlsDaysLeft': {
      const days = subject.tls ? Math.round(subject.tls.daysLeft * 100) / 100 : null;
      return result(a, `> ${a.greaterThan} days`, days, days !== null && days > a.greaterThan);
    }
  }
}

export function evaluateAssertions(assertions: readonly Assertion[], subject: AssertionSubject): AssertionResult[] {
  return assertions.map((a) => evaluateAssertion(a, subject));
}

/** One line naming the failed assertions, for the run's `error.message`. */
export function describeFailures(results: readonly AssertionResult[]): string {
  return results
    .filter((r) => !r.pass)
    .map((r) => `${r.kind}${r.target ? ` ${r.target}` : ''}: expected ${r.expected}, got ${JSON.stringify(r.actual)}`)
    .join('; ');
}
