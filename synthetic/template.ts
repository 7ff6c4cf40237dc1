// `{{ steps.login.json.token }}` substitution for multistep checks. Templates are parsed once so
// validation can name unknown steps and variables before anything runs; a reference with no value
// at run time is an error (the step fails with `template_error`), never a silent empty string.
import { parseJsonPath, readJsonPath, type JsonPathSegment } from './json-path.ts';

export type TemplateRef =
  | { source: 'vars'; name: string; text: string }
  | { source: 'step'; step: string; field: 'status'; text: string }
  | { source: 'step'; step: string; field: 'body'; text: string }
  | { source: 'step'; step: string; field: 'header'; name: string; text: string }
  | { source: 'step'; step: string; field: 'json'; path: JsonPathSegment[]; text: string };

export type TemplatePart = string | TemplateRef;

/** What a finished step offers to later ones. */
export interface StepOutput {
  statusCode: number | null;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  bodyText: string;
  /** The body parsed as JSON, once, on first use. */
  json: () => { ok: true; value: unknown } | { ok: false };
}

export interface TemplateScope {
  steps: ReadonlyMap<string, StepOutput>;
  vars: ReadonlyMap<string, string>;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

function parseRef(expr: string): TemplateRef | string {
  const text = `{{ ${expr} }}`;
  const vars = /^vars\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expr);
  if (vars?.[1]) return { source: 'vars', name: vars[1], text };
  const step = /^steps\.([A-Za-z][A-Za-z0-9_-]*)\.(status|body|headers|json)(.*)$/.exec(expr);
  if (!step?.[1] || !step[2]) return `${text}: expected vars.<name> or steps.<step>.(status|body|headers.<name>|json.<path>)`;
  const [, name, field, rest = ''] = step;
  if (field === 'status' || field === 'body') {
    if (rest !== '') return `${text}: nothing may follow .${field}`;
    return field === 'status' ? { source: 'step', step: name, field, text } : { source: 'step', step: name, field, text };
  }
  if (field === 'headers') {
    const header = /^\.([A-Za-z0-9_-]+)$/.exec(rest);
    return header?.[1] ? { source: 'step', step: name, field: 'header', name: header[1].toLowerCase(), text } : `${text}: expected headers.<name>`;
  }
  const path = parseJsonPath(`$${rest}`);
  return path.ok ? { source: 'step', step: name, field: 'json', path: path.segments, text } : `${text}: ${path.error}`;
}

/** Splits a string into literal text and references, or lists what is malformed. */
export function parseTemplate(input: string): { ok: true; parts: TemplatePart[] } | { ok: false; errors: string[] } {
  const parts: TemplatePart[] = [];
  const errors: string[] = [];
  let last = 0;
  for (const m of input.matchAll(PLACEHOLDER)) {
    const start = m.index;
    if (start > last) parts.push(input.slice(last, start));
    const ref = parseRef((m[1] ?? '').trim());
    if (typeof ref === 'string') errors.push(ref);
    else parts.push(ref);
    last = start + m[0].length;
  }
  const tail = input.slice(last);
  if (tail.includes('{{')) errors.push(`unclosed "{{" in ${input.slice(0, 80)}`);
  if (tail) parts.push(tail);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, parts };
}

/** Every reference in a string (for validation); malformed placeholders are in `errors`. */
export function templateRefs(input: string): { refs: TemplateRef[]; errors: string[] } {
  const parsed = parseTemplate(input);
  if (!parsed.ok) return { refs: [], errors: parsed.errors };
  return { refs: parsed.parts.filter((p): p is TemplateRef => typeof p !== 'string'), errors: [] };
}

function resolveRef(ref: TemplateRef, scope: TemplateScope): { ok: true; value: unknown } | { ok: false; error: string } {
  if (ref.source === 'vars') {
    const value = scope.vars.get(ref.name);
    return value === undefined ? { ok: false, error: `${ref.text}: no variable "${ref.name}"` } : { ok: true, value };
  }
  const step = scope.steps.get(ref.step);
  if (!step) return { ok: false, error: `${ref.text}: step "${ref.step}" has not run` };
  if (ref.field === 'status') return step.statusCode === null ? { ok: false, error: `${ref.text}: no status` } : { ok: true, value: step.statusCode };
  if (ref.field === 'body') return { ok: true, value: step.bodyText };
  if (ref.field === 'header') {
    const value = step.headers[ref.name];
    return value === undefined ? { ok: false, error: `${ref.text}: no header "${ref.name}"` } : { ok: true, value };
  }
  const json = step.json();
  if (!json.ok) return { ok: false, error: `${ref.text}: the body of step "${ref.step}" is not JSON` };
  const found = readJsonPath(json.value, ref.path);
  return found.found ? { ok: true, value: found.value } : { ok: false, error: `${ref.text}: no value at that path` };
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? 'null';
}

/** Fills in every reference; the first one without a value is the error. */
export function renderTemplate(input: string, scope: TemplateScope): { ok: true; value: string } | { ok: false; error: string } {
  if (!input.includes('{{')) return { ok: true, value: input };
  const parsed = parseTemplate(input);
  if (!parsed.ok) return { ok: false, error: parsed.errors.join('; ') };
  let out = '';
  for (const part of parsed.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const resolved = resolveRef(part, scope);
    if (!resolved.ok) return resolved;
    out += asText(resolved.value);
  }
  return { ok: true, value: out };
}

/**
 * Fills in the strings of a JSON body. A string that is exactly one reference takes the referenced
 * value with its JSON type, so `"id": "{{ steps.create.json.id }}"` sends a number as a number.
 */
export function renderJsonTemplate(value: unknown, scope: TemplateScope): { ok: true; value: unknown } | { ok: false; error: string } {
  if (typeof value === 'string') {
    const parsed = parseTemplate(value);
    const only = parsed.ok && parsed.parts.length === 1 ? parsed.parts[0] : undefined;
    if (only !== undefined && typeof only !== 'string') return resolveRef(only, scope);
    return renderTemplate(value, scope);
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const rendered = renderJsonTemplate(item, scope);
      if (!rendered.ok) return rendered;
      out.push(rendered.value);
    }
    return { ok: true, value: out };
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const rendered = renderJsonTemplate(item, scope);
      if (!rendered.ok) return rendered;
      out[key] = rendered.value;
    }
    return { ok: true, value: out };
  }
  return { ok: true, value };
}
