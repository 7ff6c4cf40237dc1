// `tcp`: host:port accepts a connection within the timeout.
import { Type, type Static } from '@sinclair/typebox';
import { AssertionSchema, commonFields, type AssertionKind } from '../schema.ts';
import { describeFailures, evaluateAssertions } from '../assertions.ts';
import { runError } from '../errors.ts';
import { timedConnect } from '../net-connect.ts';
import { validateAssertions, validateHost } from '../validate-parts.ts';
import type { CheckType } from './check-type.ts';

export const TcpCheckSchema = Type.Object({
  ...commonFields,
  type: Type.Literal('tcp'),
  host: Type.String({ minLength: 1, maxLength: 253 }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  assertions: Type.Optional(Type.Array(AssertionSchema, { maxItems: 50 })),
}, { additionalProperties: false });
export type TcpCheck = Static<typeof TcpCheckSchema>;

const KINDS: readonly AssertionKind[] = ['latency'];

export const tcpCheckType: CheckType<TcpCheck> = {
  type: 'tcp',
  schema: TcpCheckSchema,
  validate: (check, options) => [
    ...validateHost(check.host, '/host', options),
    ...validateAssertions(check.assertions, '/assertions', KINDS, 'tcp'),
  ],
  async run(check, ctx) {
    const connected = await timedConnect({
      host: check.host, port: check.port, deadline: ctx.deadline, policy: ctx.policy, now: ctx.now,
      ...(ctx.lookup ? { lookup: ctx.lookup } : {}),
    });
    const base = { statusCode: null, phases: connected.phases, traceId: null };
    if (connected.error) return { ...base, assertions: [], error: connected.error };
    const results = evaluateAssertions(check.assertions ?? [], {
      statusCode: null, headers: {}, bodyText: '', json: () => ({ ok: false }), phases: connected.phases, tls: null,
    });
    return { ...base, assertions: results, error: results.some((r) => !r.pass) ? runError('assertion_failed', describeFailures(results)) : null };
  },
};
