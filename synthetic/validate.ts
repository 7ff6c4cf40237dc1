// Validation of check definitions as diagnostics: every problem, each with the JSON Pointer of
// the field it is about, in one pass (as Checkly's constructs do), never a throw on the first.
// Unions are narrowed by their discriminator (`type`, `kind`, `from`) so a mistake inside an
// assertion is reported at its field, not as "expected union value" at the whole assertion.
import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { commonFields } from './schema.ts';
import { parseSchedule } from './schedule.ts';
import { CHECK_TYPES, CHECK_TYPE_NAMES, isCheckTypeName, validateByType, type Check } from './types/index.ts';
import type { Diagnostic, ValidateOptions } from './types/check-type.ts';

export type ValidationResult = { ok: true; check: Check; diagnostics: [] } | { ok: false; diagnostics: Diagnostic[] };

const CommonSchema = Type.Object(commonFields);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function constOf(schema: TSchema): unknown {
  return (schema as { const?: unknown }).const;
}

function literalProps(schema: TSchema): Array<[string, unknown]> {
  const props = (schema as { properties?: Record<string, TSchema> }).properties ?? {};
  return Object.entries(props).filter(([, s]) => 'const' in s).map(([k, s]) => [k, constOf(s)]);
}

function explain(error: ValueError): Diagnostic[] {
  const path = error.path || '/';
  if (error.type === ValueErrorType.ObjectRequiredProperty) return [{ path, message: 'is required' }];
  if (error.type === ValueErrorType.ObjectAdditionalProperties) return [{ path, message: 'is not a known field' }];
  if (error.type !== ValueErrorType.Union) return [{ path, message: error.message }];
  const variants = (error.schema as { anyOf?: TSchema[] }).anyOf ?? [];
  if (variants.length > 0 && variants.every((v) => 'const' in v)) {
    return [{ path, message: `must be one of ${variants.map((v) => JSON.stringify(constOf(v))).join(', ')}` }];
  }
  const value = error.value;
  const discriminated = variants.map(literalProps);
  const key = discriminated[0]?.[0]?.[0];
  if (isRecord(value) && key !== undefined) {
    const matching = discriminated.flatMap((literals, i) => (literals.every(([k, v]) => value[k] === v) ? [i] : []));
    const only = matching.length === 1 ? error.errors[matching[0]!] : undefined;
    if (only) return [...only].flatMap(explain);
    if (matching.length === 0) {
      const allowed = discriminated.map((l) => JSON.stringify(l.find(([k]) => k === key)?.[1])).join(', ');
      return [{ path: `${error.path}/${key}`, message: value[key] === undefined ? `is required (one of ${allowed})` : `must be one of ${allowed}` }];
    }
  }
  return [{ path, message: error.message }];
}

/** Every schema problem of `value`; the first message per path, as later ones repeat it. */
export function schemaDiagnostics(schema: TSchema, value: unknown): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of Value.Errors(schema, value)) {
    for (const d of explain(error)) {
      if (seen.has(d.path)) continue;
      seen.add(d.path);
      out.push(d);
    }
  }
  return out;
}

/**
 * Validates one check definition (as parsed from JSON or YAML). On success the same object is
 * returned typed as a Check; defaults are not filled in (the runner applies them where used).
 */
export function validateCheck(input: unknown, options: ValidateOptions = {}): ValidationResult {
  if (!isRecord(input)) return { ok: false, diagnostics: [{ path: '/', message: 'a check must be an object' }] };
  const diagnostics: Diagnostic[] = [];
  const type = input.type;
  if (isCheckTypeName(type)) {
    diagnostics.push(...schemaDiagnostics(CHECK_TYPES[type].schema, input));
  } else {
    diagnostics.push({ path: '/type', message: `${type === undefined ? 'is required' : 'must be'} one of ${CHECK_TYPE_NAMES.join(', ')}` });
    diagnostics.push(...schemaDiagnostics(CommonSchema, input));
  }
  if (typeof input.schedule === 'string') {
    const schedule = parseSchedule(input.schedule);
    if (!schedule.ok) diagnostics.push({ path: '/schedule', message: schedule.error });
  }
  if (diagnostics.length === 0) {
    // Schema-valid, so the type's own rules may rely on its shape.
    diagnostics.push(...validateByType(input as unknown as Check, options));
  }
  return diagnostics.length === 0 ? { ok: true, check: input as unknown as Check, diagnostics: [] } : { ok: false, diagnostics };
}

/** Validates a set of checks (a YAML file, a plan); paths are prefixed with the index, and ids must be unique. */
export function validateChecks(inputs: readonly unknown[], options: ValidateOptions = {}): { ok: boolean; checks: Check[]; diagnostics: Diagnostic[] } {
  const checks: Check[] = [];
  const diagnostics: Diagnostic[] = [];
  const firstIndex = new Map<string, number>();
  inputs.forEach((input, i) => {
    const result = validateCheck(input, options);
    const prefix = (path: string) => `/${i}${path === '/' ? '' : path}`;
    if (result.ok) checks.push(result.check);
    else diagnostics.push(...result.diagnostics.map((d) => ({ path: prefix(d.path), message: d.message })));
    const id = isRecord(input) && typeof input.id === 'string' ? input.id : undefined;
    if (id === undefined) return;
    const first = firstIndex.get(id);
    if (first === undefined) firstIndex.set(id, i);
    else diagnostics.push({ path: prefix('/id'), message: `id "${id}" is already used by check ${first}` });
  });
  return { ok: diagnostics.length === 0, checks, diagnostics };
}
