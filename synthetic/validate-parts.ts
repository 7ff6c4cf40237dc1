// Rules beyond the schema for the parts check types share (requests, assertions, extraction).
// Each returns every problem it finds, with a JSON Pointer path, so one pass reports them all.
import type { Assertion, AssertionKind, Extraction, HttpRequestDefinition } from './schema.ts';
import { ASSERTION_OPERATORS } from './schema.ts';
import type { Diagnostic, ValidateOptions } from './types/check-type.ts';
import { checkHost, checkUrl, type AddressPolicy } from './address-policy.ts';
import { regexProblem } from './bounded-regex.ts';
import { parseJsonPath } from './json-path.ts';
import { templateRefs } from './template.ts';
import { compileJsonSchema } from './assertions.ts';

/** What templates may refer to at this point of a check: nothing for a plain http check. */
export interface TemplateContext {
  multistep: boolean;
  /** Steps that run before this one. */
  steps: ReadonlySet<string>;
  /** Variables declared up front or extracted by earlier steps. */
  vars: ReadonlySet<string>;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Without a policy, still refuse what every policy refuses (link-local, metadata) and bad schemes.
const LENIENT: AddressPolicy = { allowPrivate: 'all' };

function diag(path: string, message: string): Diagnostic {
  return { path, message };
}

/** Problems with the `{{ … }}` references in one string. */
export function templateProblems(text: string, path: string, ctx: TemplateContext): Diagnostic[] {
  if (!text.includes('{{')) return [];
  const { refs, errors } = templateRefs(text);
  const out = errors.map((e) => diag(path, e));
  for (const ref of refs) {
    if (!ctx.multistep) out.push(diag(path, `${ref.text}: templates are only available in multistep checks`));
    else if (ref.source === 'vars' && !ctx.vars.has(ref.name)) out.push(diag(path, `${ref.text}: no variable "${ref.name}" is declared or extracted by an earlier step`));
    else if (ref.source === 'step' && !ctx.steps.has(ref.step)) out.push(diag(path, `${ref.text}: no earlier step named "${ref.step}"`));
  }
  return out;
}

function jsonTemplateProblems(value: unknown, path: string, ctx: TemplateContext): Diagnostic[] {
  if (typeof value === 'string') return templateProblems(value, path, ctx);
  if (Array.isArray(value)) return value.flatMap((item, i) => jsonTemplateProblems(item, `${path}/${i}`, ctx));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => jsonTemplateProblems(v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, ctx));
  }
  return [];
}

export function validateRequest(req: HttpRequestDefinition, path: string, options: ValidateOptions, ctx: TemplateContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const policy = options.policy ?? LENIENT;
  if (req.url.includes('{{')) {
    out.push(...templateProblems(req.url, `${path}/url`, ctx));
    // With the scheme written out, a placeholder-free version of the URL must still parse and be allowed.
    const literal = req.url.slice(0, req.url.indexOf('{{'));
    if (literal.includes('://')) {
      const checked = checkUrl(req.url.replace(/\{\{[^{}]*\}\}/g, 'x'), policy);
      if (!checked.ok && checked.error.code !== 'invalid_url') out.push(diag(`${path}/url`, checked.error.message));
    }
  } else {
    const checked = checkUrl(req.url, policy);
    if (!checked.ok) out.push(diag(`${path}/url`, checked.error.message));
  }
  if (req.body !== undefined && req.json !== undefined) out.push(diag(`${path}/json`, 'set either body or json, not both'));
  if (req.body !== undefined) out.push(...templateProblems(req.body, `${path}/body`, ctx));
  if (req.json !== undefined) out.push(...jsonTemplateProblems(req.json, `${path}/json`, ctx));
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    const at = `${path}/headers/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!HEADER_NAME.test(name)) out.push(diag(at, `"${name}" is not a valid header name`));
    if (/[\r\n\0]/.test(value)) out.push(diag(at, 'header values may not contain line breaks or NUL'));
    out.push(...templateProblems(value, at, ctx));
  }
  return out;
}

/** Every `pattern` and `patternProperties` key in a JSON Schema must pass the bounded-regex rules too. */
function schemaPatternProblems(schema: unknown, path: string): Diagnostic[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const out: Diagnostic[] = [];
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === 'pattern' && typeof value === 'string') {
      const problem = regexProblem(value);
      if (problem) out.push(diag(`${path}/pattern`, problem));
    }
    if (key === 'patternProperties' && typeof value === 'object' && value !== null) {
      for (const p of Object.keys(value)) {
        const problem = regexProblem(p);
        if (problem) out.push(diag(`${path}/patternProperties`, `${p}: ${problem}`));
      }
    }
    out.push(...schemaPatternProblems(value, `${path}/${key}`));
  }
  return out;
}

function assertionProblems(a: Assertion, at: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const operators = ASSERTION_OPERATORS[a.kind];
  const set = operators.filter((op) => (a as Record<string, unknown>)[op] !== undefined);
  if (set.length !== 1) out.push(diag(at, `a ${a.kind} assertion needs exactly one of ${operators.join(', ')}${set.length > 1 ? ` (got ${set.join(', ')})` : ''}`));
  if (a.kind === 'status' && a.range && a.range[0] > a.range[1]) out.push(diag(`${at}/range`, 'range must be [min, max] with min <= max'));
  if (a.kind === 'header' && a.matches !== undefined) {
    const problem = regexProblem(a.matches);
    if (problem) out.push(diag(`${at}/matches`, problem));
  }
  if (a.kind === 'jsonPath') {
    const parsed = parseJsonPath(a.path);
    if (!parsed.ok) out.push(diag(`${at}/path`, parsed.error));
  }
  if (a.kind === 'jsonSchema') {
    const compiled = compileJsonSchema(a.schema);
    if (!compiled.ok) out.push(diag(`${at}/schema`, `invalid JSON schema: ${compiled.error}`));
    out.push(...schemaPatternProblems(a.schema, `${at}/schema`));
  }
  return out;
}

/** Problems with a list of assertions, including kinds this check type cannot evaluate. */
export function validateAssertions(list: readonly Assertion[] | undefined, path: string, allowed: readonly AssertionKind[], typeName: string): Diagnostic[] {
  return (list ?? []).flatMap((a, i) => {
    const at = `${path}/${i}`;
    if (!allowed.includes(a.kind)) return [diag(`${at}/kind`, `${typeName} checks cannot assert ${a.kind}; allowed: ${allowed.join(', ')}`)];
    return assertionProblems(a, at);
  });
}

export function validateExtractions(list: readonly Extraction[] | undefined, path: string): Diagnostic[] {
  return (list ?? []).flatMap((rule, i): Diagnostic[] => {
    if (rule.from === 'json') {
      const parsed = parseJsonPath(rule.path);
      return parsed.ok ? [] : [diag(`${path}/${i}/path`, parsed.error)];
    }
    if (rule.from === 'regex') {
      const problem = regexProblem(rule.pattern);
      if (problem) return [diag(`${path}/${i}/pattern`, problem)];
      // Matching the empty alternative yields an array with one slot per capture group.
      const groups = (new RegExp(`${rule.pattern}|`).exec('')?.length ?? 1) - 1;
      return rule.group !== undefined && rule.group > groups ? [diag(`${path}/${i}/group`, `the pattern has ${groups} capture group(s)`)] : [];
    }
    return [];
  });
}

/** An IP-literal host must be allowed by the policy (names are judged when they resolve). */
export function validateHost(host: string, path: string, options: ValidateOptions): Diagnostic[] {
  const error = checkHost(host, options.policy ?? LENIENT);
  return error ? [diag(path, error.message)] : [];
}
