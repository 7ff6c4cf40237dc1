// One HTTP step as a check sees it: templates filled in, Telltale's headers added, the engine
// run, assertions evaluated. Shared by the http and multistep check types.
import { randomBytes } from 'node:crypto';
import type { Assertion, HttpRequestDefinition } from '../schema.ts';
import { DEFAULTS } from '../schema.ts';
import { zeroPhases, type StepResult, type TlsInfo } from '../result-schema.ts';
import type { AttemptContext } from '../types/check-type.ts';
import type { StepOutput, TemplateScope } from '../template.ts';
import { renderJsonTemplate, renderTemplate } from '../template.ts';
import { DEFAULT_HTTP_ASSERTIONS, describeFailures, evaluateAssertions } from '../assertions.ts';
import { runError } from '../errors.ts';
import { performRequest, type EngineRequest } from './request.ts';

export interface ExchangeResult {
  result: Omit<StepResult, 'name'>;
  output: StepOutput;
  tls: TlsInfo | null;
}

const EMPTY_SCOPE: TemplateScope = { steps: new Map(), vars: new Map() };

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}
export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}

function lazyJson(text: string): StepOutput['json'] {
  let parsed: { ok: true; value: unknown } | { ok: false } | undefined;
  return () => {
    if (!parsed) {
      try {
        parsed = { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        parsed = { ok: false };
      }
    }
    return parsed;
  };
}

/** Templates filled in and headers settled; `traceparent` is always ours (sampled) so the run links to its trace. */
function buildRequest(def: HttpRequestDefinition, scope: TemplateScope, ctx: AttemptContext): { ok: true; req: EngineRequest } | { ok: false; error: string } {
  const url = renderTemplate(def.url, scope);
  if (!url.ok) return url;
  const headers: Record<string, string> = { 'user-agent': ctx.userAgent, accept: '*/*' };
  for (const [name, value] of Object.entries(def.headers ?? {})) {
    const rendered = renderTemplate(value, scope);
    if (!rendered.ok) return rendered;
    headers[name.toLowerCase()] = rendered.value;
  }
  headers.traceparent = `00-${ctx.traceId}-${ctx.newSpanId()}-01`;
  let body: Buffer | undefined;
  if (def.json !== undefined) {
    const rendered = renderJsonTemplate(def.json, scope);
    if (!rendered.ok) return rendered;
    body = Buffer.from(JSON.stringify(rendered.value));
    headers['content-type'] ??= 'application/json';
  } else if (def.body !== undefined) {
    const rendered = renderTemplate(def.body, scope);
    if (!rendered.ok) return rendered;
    body = Buffer.from(rendered.value);
  }
  return { ok: true, req: { method: def.method ?? DEFAULTS.method, url: url.value, headers, ...(body ? { body } : {}) } };
}

/** Runs one request definition; never throws. */
export async function runExchange(
  def: HttpRequestDefinition, assertions: readonly Assertion[] | undefined, ctx: AttemptContext, scope: TemplateScope = EMPTY_SCOPE,
): Promise<ExchangeResult> {
  const built = buildRequest(def, scope, ctx);
  if (!built.ok) {
    const error = runError('template_error', built.error);
    const result = { ok: false, url: def.url, statusCode: null, phases: zeroPhases(), assertions: [], error };
    return { result, output: { statusCode: null, headers: {}, bodyText: '', json: () => ({ ok: false }) }, tls: null };
  }
  const outcome = await performRequest(built.req, {
    deadline: ctx.deadline,
    maxResponseBytes: def.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    maxHeaderSize: ctx.maxHeaderSize,
    followRedirects: def.followRedirects ?? DEFAULTS.followRedirects,
    maxRedirects: def.maxRedirects ?? DEFAULTS.maxRedirects,
    tlsVerify: def.tlsVerify ?? DEFAULTS.tlsVerify,
    policy: ctx.policy,
    now: ctx.now,
    ...(ctx.lookup ? { lookup: ctx.lookup } : {}),
    ...(ctx.ca ? { ca: ctx.ca } : {}),
  });
  const response = outcome.response;
  const bodyText = response && !outcome.error ? response.body.toString('utf8') : '';
  const output: StepOutput = { statusCode: response?.statusCode ?? null, headers: response?.headers ?? {}, bodyText, json: lazyJson(bodyText) };
  const tls = response?.tls ?? null;
  const base = { url: built.req.url, statusCode: output.statusCode, phases: outcome.phases };
  if (outcome.error) return { result: { ...base, ok: false, assertions: [], error: outcome.error }, output, tls };
  const results = evaluateAssertions(assertions && assertions.length > 0 ? assertions : DEFAULT_HTTP_ASSERTIONS, {
    statusCode: output.statusCode, headers: output.headers, bodyText, json: output.json, phases: outcome.phases, tls,
  });
  const failed = results.some((r) => !r.pass);
  const error = failed ? runError('assertion_failed', describeFailures(results)) : null;
  return { result: { ...base, ok: !failed, assertions: results, error }, output, tls };
}
