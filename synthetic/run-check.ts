// Runs a check: attempts until one passes or `retries` are used up, then reports the last
// attempt as the run. Never throws — an unexpected exception is an `internal_error` result — so
// a scheduler can await it without a try/catch and one broken check never stops the others.
import type { LookupFunction } from 'node:net';
import { DEFAULT_ADDRESS_POLICY, type AddressPolicy } from './address-policy.ts';
import { DEFAULTS } from './schema.ts';
import { zeroPhases, type CheckRunResult } from './result-schema.ts';
import { describeFailures } from './assertions.ts';
import { runError } from './errors.ts';
import { newSpanId, newTraceId } from './http/exchange.ts';
import { runAttempt, type Check } from './types/index.ts';
import type { AttemptOutcome } from './types/check-type.ts';

/** What a run needs from outside; every field has a production default and tests swap them. */
export interface RunDeps {
  /** Wall clock, epoch ms (`startedAtMs`, `durationMs`, certificate days left). Default Date.now. */
  now?: () => number;
  /** Default `rfc1918`; the server passes the parsed `TELLTALE_CHECKS_ALLOW_PRIVATE`. */
  policy?: AddressPolicy;
  /** Name resolution for http/tcp/tls (dns.lookup-compatible, honouring `{ all: true }`); always wrapped by the policy. */
  lookup?: LookupFunction;
  /** Servers for dns checks (`ip` or `ip:port`); default the system's. */
  dnsServers?: string[];
  /** Extra trusted CA certificates (PEM) for https and tls checks. */
  ca?: string[];
  /** Response header limit in bytes; default 16 KiB. */
  maxHeaderSize?: number;
  /** Telltale's version for the User-Agent. */
  version?: string;
  /** New W3C trace id per attempt (32 lower-case hex). */
  newTraceId?: () => string;
}

/** The User-Agent every check request sends, so target owners can tell Telltale's traffic apart. */
export function userAgent(version: string, checkId: string): string {
  return `Telltale-Synthetic/${version} (+check ${checkId})`;
}

function settle(outcome: AttemptOutcome): AttemptOutcome & { ok: boolean } {
  const stepsOk = outcome.steps?.every((s) => s.ok) ?? true;
  const ok = outcome.error === null && stepsOk && outcome.assertions.every((a) => a.pass);
  if (ok || outcome.error) return { ...outcome, ok };
  return { ...outcome, ok, error: runError('assertion_failed', describeFailures(outcome.assertions) || 'a step failed') };
}

async function attempt(check: Check, deps: RunDeps, now: () => number): Promise<AttemptOutcome & { ok: boolean }> {
  const traceId = (deps.newTraceId ?? newTraceId)();
  try {
    const outcome = await runAttempt(check, {
      checkId: check.id,
      traceId,
      newSpanId,
      deadline: performance.now() + (check.timeoutMs ?? DEFAULTS.timeoutMs),
      now,
      policy: deps.policy ?? DEFAULT_ADDRESS_POLICY,
      maxHeaderSize: deps.maxHeaderSize ?? DEFAULTS.maxHeaderSize,
      userAgent: userAgent(deps.version ?? 'dev', check.id),
      ...(deps.lookup ? { lookup: deps.lookup } : {}),
      ...(deps.dnsServers ? { dnsServers: deps.dnsServers } : {}),
      ...(deps.ca ? { ca: deps.ca } : {}),
    });
    return settle(outcome);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, statusCode: null, phases: zeroPhases(), assertions: [], error: runError('internal_error', message), traceId };
  }
}

/** Runs `check` now. Resolves with the result of the last attempt; never rejects. */
export async function runCheck(check: Check, deps: RunDeps = {}): Promise<CheckRunResult> {
  const now = deps.now ?? Date.now;
  const startedAtMs = now();
  const maxAttempts = 1 + (check.retries ?? DEFAULTS.retries);
  let attempts = 0;
  let last: AttemptOutcome & { ok: boolean };
  do {
    attempts++;
    last = await attempt(check, deps, now);
  } while (!last.ok && attempts < maxAttempts);
  const degraded = last.ok && check.degradedLatencyMs !== undefined && last.phases.totalMs > check.degradedLatencyMs;
  return {
    checkId: check.id,
    type: check.type,
    ok: last.ok,
    degraded,
    startedAtMs,
    durationMs: Math.max(0, now() - startedAtMs),
    statusCode: last.statusCode,
    phases: last.phases,
    assertions: last.assertions,
    error: last.error,
    traceId: last.traceId,
    attempts,
    ...(last.tls ? { tls: last.tls } : {}),
    ...(last.steps ? { steps: last.steps } : {}),
  };
}
