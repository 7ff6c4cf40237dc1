// `http`: one request, its assertions (a 2xx status when there are none).
import { Type, type Static } from '@sinclair/typebox';
import { Assertions, HttpRequestSchema, commonFields, type AssertionKind } from '../schema.ts';
import { runExchange } from '../http/exchange.ts';
import { validateAssertions, validateRequest } from '../validate-parts.ts';
import type { CheckType } from './check-type.ts';

export const HttpCheckSchema = Type.Object({
  ...commonFields,
  type: Type.Literal('http'),
  request: HttpRequestSchema,
  assertions: Assertions,
}, { additionalProperties: false });
export type HttpCheck = Static<typeof HttpCheckSchema>;

export const HTTP_ASSERTION_KINDS: readonly AssertionKind[] = ['status', 'latency', 'header', 'body', 'jsonPath', 'jsonSchema', 'tlsDaysLeft'];
const NO_TEMPLATES = { multistep: false, steps: new Set<string>(), vars: new Set<string>() };

export const httpCheckType: CheckType<HttpCheck> = {
  type: 'http',
  schema: HttpCheckSchema,
  validate(check, options) {
    return [
      ...validateRequest(check.request, '/request', options, NO_TEMPLATES),
      ...validateAssertions(check.assertions, '/assertions', HTTP_ASSERTION_KINDS, 'http'),
    ];
  },
  async run(check, ctx) {
    const { result, tls } = await runExchange(check.request, check.assertions, ctx);
    return {
      statusCode: result.statusCode, phases: result.phases, assertions: result.assertions, error: result.error,
      traceId: ctx.traceId, ...(tls ? { tls } : {}),
    };
  },
};
