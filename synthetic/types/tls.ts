// `tls`: a handshake with host:port; fails when the certificate has fewer than `minDaysLeft`
// days left or (with `verifyChain`) the chain or host name does not verify.
import { Type, type Static } from '@sinclair/typebox';
import { commonFields, type Assertion, type AssertionKind } from '../schema.ts';
import { AssertionSchema } from '../schema.ts';
import type { AssertionResult } from '../result-schema.ts';
import { describeFailures, evaluateAssertions } from '../assertions.ts';
import { runError } from '../errors.ts';
import { timedConnect } from '../net-connect.ts';
import { validateAssertions, validateHost } from '../validate-parts.ts';
import type { CheckType } from './check-type.ts';

export const TLS_DEFAULTS = { port: 443, minDaysLeft: 14, verifyChain: true } as const;

export const TlsCheckSchema = Type.Object({
  ...commonFields,
  type: Type.Literal('tls'),
  host: Type.String({ minLength: 1, maxLength: 253 }),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: TLS_DEFAULTS.port })),
  /** SNI name when it differs from `host` (e.g. connecting to an IP). */
  servername: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  minDaysLeft: Type.Optional(Type.Number({ minimum: 0, default: TLS_DEFAULTS.minDaysLeft })),
  verifyChain: Type.Optional(Type.Boolean({ default: TLS_DEFAULTS.verifyChain })),
  assertions: Type.Optional(Type.Array(AssertionSchema, { maxItems: 50 })),
}, { additionalProperties: false });
export type TlsCheck = Static<typeof TlsCheckSchema>;

const KINDS: readonly AssertionKind[] = ['latency', 'tlsDaysLeft'];

export const tlsCheckType: CheckType<TlsCheck> = {
  type: 'tls',
  schema: TlsCheckSchema,
  validate: (check, options) => [
    ...validateHost(check.host, '/host', options),
    ...validateAssertions(check.assertions, '/assertions', KINDS, 'tls'),
  ],
  async run(check, ctx) {
    const minDaysLeft = check.minDaysLeft ?? TLS_DEFAULTS.minDaysLeft;
    const connected = await timedConnect({
      host: check.host, port: check.port ?? TLS_DEFAULTS.port, deadline: ctx.deadline, policy: ctx.policy, now: ctx.now,
      tls: { ...(check.servername ? { servername: check.servername } : {}), ...(ctx.ca ? { ca: ctx.ca } : {}) },
      ...(ctx.lookup ? { lookup: ctx.lookup } : {}),
    });
    const base = { statusCode: null, phases: connected.phases, traceId: null };
    const tls = connected.tls;
    if (connected.error || !tls) {
      return { ...base, assertions: [], error: connected.error ?? runError('tls_error', 'the server sent no certificate') };
    }
    const days = Math.round(tls.daysLeft * 100) / 100;
    const results: AssertionResult[] = [{ kind: 'tlsDaysLeft', expected: `>= ${minDaysLeft} days`, actual: days, pass: tls.daysLeft >= minDaysLeft }];
    const verifyChain = check.verifyChain ?? TLS_DEFAULTS.verifyChain;
    if (verifyChain) results.push({ kind: 'tlsChain', expected: 'valid', actual: tls.authorized ? 'valid' : tls.authorizationError, pass: tls.authorized });
    const extra: readonly Assertion[] = check.assertions ?? [];
    results.push(...evaluateAssertions(extra, { statusCode: null, headers: {}, bodyText: '', json: () => ({ ok: false }), phases: connected.phases, tls }));
    const chainBad = verifyChain && !tls.authorized;
    const error = chainBad
      ? runError('tls_error', `certificate not trusted: ${tls.authorizationError ?? 'unknown reason'}`)
      : results.some((r) => !r.pass) ? runError('assertion_failed', describeFailures(results)) : null;
    return { ...base, assertions: results, error, tls };
  },
};
