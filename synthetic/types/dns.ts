// `dns`: a name resolves, optionally to expected values. Queries go to the operator's resolvers
// (injectable servers), not to a host the check names, so there is no address policy here.
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Type, type Static } from '@sinclair/typebox';
import { AssertionSchema, commonFields, type AssertionKind } from '../schema.ts';
import { zeroPhases, type AssertionResult } from '../result-schema.ts';
import { describeFailures, evaluateAssertions } from '../assertions.ts';
import { runError } from '../errors.ts';
import { ipv6Groups } from '../address-policy.ts';
import { validateAssertions } from '../validate-parts.ts';
import type { CheckType, Diagnostic } from './check-type.ts';

const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'MX'] as const;
type RecordType = (typeof RECORD_TYPES)[number];

export const DnsCheckSchema = Type.Object({
  ...commonFields,
  type: Type.Literal('dns'),
  /** The name queried (not `name`, which every check has as its display name). */
  domain: Type.String({ minLength: 1, maxLength: 253 }),
  recordType: Type.Union(RECORD_TYPES.map((t) => Type.Literal(t))),
  /** Values that must be among the answers (`includes`, the default) or be exactly the answers (`exact`). MX: the exchange name. */
  expected: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 50 })),
  match: Type.Optional(Type.Union([Type.Literal('includes'), Type.Literal('exact')])),
  assertions: Type.Optional(Type.Array(AssertionSchema, { maxItems: 50 })),
}, { additionalProperties: false });
export type DnsCheck = Static<typeof DnsCheckSchema>;

const KINDS: readonly AssertionKind[] = ['latency'];

/** Comparable form: names lower-case without the root dot, IPv6 fully expanded. */
function normalize(type: RecordType, value: string): string {
  if (type === 'AAAA') return ipv6Groups(value)?.map((g) => g.toString(16)).join(':') ?? value;
  if (type === 'CNAME' || type === 'MX') return value.toLowerCase().replace(/\.$/, '');
  return value;
}

async function resolve(resolver: Resolver, name: string, type: RecordType): Promise<string[]> {
  switch (type) {
    case 'A': return resolver.resolve4(name);
    case 'AAAA': return resolver.resolve6(name);
    case 'CNAME': return resolver.resolveCname(name);
    case 'TXT': return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
    case 'MX': return (await resolver.resolveMx(name)).sort((a, b) => a.priority - b.priority).map((mx) => mx.exchange);
  }
}

function validate(check: DnsCheck): Diagnostic[] {
  const out = validateAssertions(check.assertions, '/assertions', KINDS, 'dns');
  const family = check.recordType === 'A' ? 4 : check.recordType === 'AAAA' ? 6 : 0;
  check.expected?.forEach((value, i) => {
    if (family !== 0 && isIP(value) !== family) out.push({ path: `/expected/${i}`, message: `"${value}" is not an IPv${family} address` });
  });
  if (check.match !== undefined && check.expected === undefined) out.push({ path: '/match', message: 'match needs expected values' });
  return out;
}

export const dnsCheckType: CheckType<DnsCheck> = {
  type: 'dns',
  schema: DnsCheckSchema,
  validate,
  async run(check, ctx) {
    const t0 = performance.now();
    const remaining = Math.max(1, Math.floor(ctx.deadline - t0));
    const resolver = new Resolver({ timeout: remaining, tries: 1 });
    if (ctx.dnsServers) resolver.setServers(ctx.dnsServers);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), remaining)));
    let answers: string[] | 'timeout';
    let failure: string | null = null;
    try {
      answers = await Promise.race([resolve(resolver, check.domain, check.recordType), deadline]);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      answers = code === 'ETIMEOUT' ? 'timeout' : [];
      failure = `${check.recordType} ${check.domain}: ${code || (err as Error).message}`;
    } finally {
      clearTimeout(timer);
      resolver.cancel();
    }
    const phases = zeroPhases();
    phases.dnsMs = phases.totalMs = Math.round((performance.now() - t0) * 1000) / 1000;
    const base = { statusCode: null, phases, traceId: null };
    if (answers === 'timeout') return { ...base, assertions: [], error: runError('timeout', `no DNS answer before the timeout for ${check.recordType} ${check.domain}`) };
    if (failure) return { ...base, assertions: [], error: runError('dns_failed', failure) };
    const got = answers.map((v) => normalize(check.recordType, v));
    const want = (check.expected ?? []).map((v) => normalize(check.recordType, v));
    const exact = check.match === 'exact';
    const pass = want.length === 0
      ? got.length > 0
      : want.every((v) => got.includes(v)) && (!exact || got.every((v) => want.includes(v)));
    const records: AssertionResult = {
      kind: 'dnsRecords', target: `${check.recordType} ${check.domain}`,
      expected: want.length === 0 ? 'at least one record' : `${exact ? 'exactly' : 'includes'} [${want.join(', ')}]`,
      actual: answers.join(', '), pass,
    };
    const results = [records, ...evaluateAssertions(check.assertions ?? [], {
      statusCode: null, headers: {}, bodyText: '', json: () => ({ ok: false }), phases, tls: null,
    })];
    return { ...base, assertions: results, error: results.some((r) => !r.pass) ? runError('assertion_failed', describeFailures(results)) : null };
  },
};
