// Multistep variables: after a step, its `extract` rules read values from the response into
// `vars`, for later steps' templates. A rule that finds nothing fails the step (`extract_failed`)
// so a flow never continues with a missing token.
import type { Extraction } from './schema.ts';
import type { StepOutput } from './template.ts';
import { queryJsonPath } from './json-path.ts';
import { boundedExec, compileBoundedRegex } from './bounded-regex.ts';

function asVariable(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? 'null';
}

/** One rule's value, or why there is none. */
export function extractValue(rule: Extraction, output: StepOutput): { ok: true; value: string } | { ok: false; error: string } {
  if (rule.from === 'header') {
    const value = output.headers[rule.header.toLowerCase()];
    return value === undefined ? { ok: false, error: `${rule.name}: no header "${rule.header}"` } : { ok: true, value };
  }
  if (rule.from === 'json') {
    const json = output.json();
    if (!json.ok) return { ok: false, error: `${rule.name}: the body is not JSON` };
    const found = queryJsonPath(json.value, rule.path);
    return found.found ? { ok: true, value: asVariable(found.value) } : { ok: false, error: `${rule.name}: nothing at ${rule.path}` };
  }
  const compiled = compileBoundedRegex(rule.pattern);
  if (!compiled.ok) return { ok: false, error: `${rule.name}: ${compiled.error}` };
  const result = boundedExec(compiled.re, output.bodyText);
  if (!result.ok) return { ok: false, error: `${rule.name}: ${result.error}` };
  if (!result.match) return { ok: false, error: `${rule.name}: /${rule.pattern}/ did not match the body` };
  const group = rule.group ?? (result.match.length > 1 ? 1 : 0);
  const value = result.match[group];
  return value === undefined ? { ok: false, error: `${rule.name}: group ${group} did not take part in the match` } : { ok: true, value };
}

/** Applies a step's rules in order; later rules overwrite earlier variables of the same name. */
export function runExtractions(
  rules: readonly Extraction[], output: StepOutput, vars: Map<string, string>,
): { ok: true } | { ok: false; error: string } {
  for (const rule of rules) {
    const result = extractValue(rule, output);
    if (!result.ok) return result;
    vars.set(rule.name, result.value);
  }
  return { ok: true };
}
