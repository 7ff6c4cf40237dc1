// `multistep`: HTTP steps in order, each able to extract variables for the ones after it. The
// whole flow shares one trace id, so the backend shows it as one trace; the first failed step
// ends the flow, since later steps depend on what it should have produced.
import { Type, type Static } from '@sinclair/typebox';
import { LIMITS, StepSchema, commonFields } from '../schema.ts';
import { addPhases, zeroPhases, type StepResult, type TlsInfo } from '../result-schema.ts';
import { runExchange } from '../http/exchange.ts';
import { runExtractions } from '../extract.ts';
import { runError } from '../errors.ts';
import type { StepOutput } from '../template.ts';
import { validateAssertions, validateExtractions, validateRequest } from '../validate-parts.ts';
import { HTTP_ASSERTION_KINDS } from './http.ts';
import type { CheckType, Diagnostic } from './check-type.ts';

export const MultistepCheckSchema = Type.Object({
  ...commonFields,
  type: Type.Literal('multistep'),
  /** Starting values for `{{ vars.<name> }}`, e.g. a base URL. */
  variables: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }), Type.String())),
  steps: Type.Array(StepSchema, { minItems: 1, maxItems: LIMITS.maxSteps }),
}, { additionalProperties: false });
export type MultistepCheck = Static<typeof MultistepCheckSchema>;

function validate(check: MultistepCheck, options: Parameters<CheckType<MultistepCheck>['validate']>[1]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const steps = new Set<string>();
  const vars = new Set(Object.keys(check.variables ?? {}));
  check.steps.forEach((step, i) => {
    const at = `/steps/${i}`;
    if (steps.has(step.name)) out.push({ path: `${at}/name`, message: `step name "${step.name}" is used twice` });
    out.push(...validateRequest(step.request, `${at}/request`, options, { multistep: true, steps, vars }));
    out.push(...validateAssertions(step.assertions, `${at}/assertions`, HTTP_ASSERTION_KINDS, 'multistep'));
    out.push(...validateExtractions(step.extract, `${at}/extract`));
    // Only later steps see this step and its variables.
    steps.add(step.name);
    for (const rule of step.extract ?? []) vars.add(rule.name);
  });
  return out;
}

export const multistepCheckType: CheckType<MultistepCheck> = {
  type: 'multistep',
  schema: MultistepCheckSchema,
  validate,
  async run(check, ctx) {
    const outputs = new Map<string, StepOutput>();
    const vars = new Map(Object.entries(check.variables ?? {}));
    const results: StepResult[] = [];
    let phases = zeroPhases();
    let tls: TlsInfo | null = null;
    for (const step of check.steps) {
      const exchange = await runExchange(step.request, step.assertions, ctx, { steps: outputs, vars });
      const result: StepResult = { name: step.name, ...exchange.result };
      phases = addPhases(phases, result.phases);
      tls ??= exchange.tls;
      if (result.ok) {
        const extracted = runExtractions(step.extract ?? [], exchange.output, vars);
        if (!extracted.ok) Object.assign(result, { ok: false, error: runError('extract_failed', extracted.error) });
      }
      results.push(result);
      outputs.set(step.name, exchange.output);
      if (!result.ok) break;
    }
    const failed = results.find((r) => !r.ok);
    const last = results[results.length - 1];
    return {
      statusCode: last?.statusCode ?? null,
      phases,
      assertions: results.flatMap((r) => r.assertions.map((a) => ({ ...a, target: `${r.name}${a.target ? `: ${a.target}` : ''}` }))),
      error: failed?.error ? { code: failed.error.code, message: `step ${failed.name}: ${failed.error.message}` } : null,
      traceId: ctx.traceId,
      steps: results,
      ...(tls ? { tls } : {}),
    };
  },
};
