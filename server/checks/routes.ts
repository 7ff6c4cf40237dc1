// The checks API: routes validate input, call a verb, map errors. Check bodies are validated
// by synthetic/'s validateCheck (every problem, with its path), not by the route's schema,
// which is there for the OpenAPI document; everything else is validated as usual.
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { CheckRunResultSchema, CheckSchema, type Check, type CheckRunResult, type Diagnostic } from '../../synthetic/index.ts';
import { IngestOverloadedError, StoreUnavailableError } from '../../collector/ingest-queue.ts';
import { TelltaleError } from '../errors.ts';
import { passBodyCompiler } from '../pass-body-compiler.ts';
import { parseTime } from '../query/time.ts';
import type { ChecksContext } from './context.ts';
import { runAndRecord } from './run.ts';
import { createCheck, deleteCheck, notFound, replaceCheck, type SaveOutcome } from './save.ts';
import { checkDetail, toView } from './view.ts';

const Num = Type.Number();
const NullableNum = Type.Union([Type.Number(), Type.Null()]);
const ErrorBody = Type.Object({ statusCode: Num, code: Type.String(), message: Type.String() });
const InvalidBody = Type.Object({
  statusCode: Num, code: Type.String(), message: Type.String(),
  // Absent when the body is not even JSON (the parser's 400 has no diagnostics).
  diagnostics: Type.Optional(Type.Array(Type.Object({ path: Type.String({ description: 'JSON Pointer into the check' }), message: Type.String() }))),
});
/** A schema's JSON without `default`s: the serializer would otherwise fill them into every answer. */
function withoutDefaults(schema: TSchema): unknown {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) => (key === 'default' ? undefined : value));
}

// Unsafe<Check>: the same JSON schema, typed as synthetic/'s Check (the provider's inference of a
// five-way union of closed objects differs from it in optional-field details only). Requests
// document the defaults; answers show a check exactly as it was written, so it round-trips.
const CheckJson = Type.Unsafe<Check>(CheckSchema);
const CheckAsWritten = Type.Unsafe<Check>(withoutDefaults(CheckSchema) as TSchema);
const RunJson = Type.Unsafe<CheckRunResult>(CheckRunResultSchema);
const viewFields = {
  check: CheckAsWritten,
  origin: Type.Union([Type.Literal('code'), Type.Literal('api')]),
  readOnly: Type.Boolean({ description: 'Defined in code (config file or checks folder): change it there.' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};
const CheckView = Type.Object(viewFields);
const WindowStats = Type.Object({ runs: Num, okRuns: Num, uptime: NullableNum, p50: NullableNum, p95: NullableNum, p99: NullableNum });
const CheckDetail = Type.Object({
  ...viewFields,
  stats: Type.Object({ '24h': WindowStats, '7d': WindowStats, '30d': WindowStats }, { description: 'Uptime (share of passing runs) and latency percentiles in ms, from the rollups.' }),
  lastRun: Type.Union([RunJson, Type.Null()]),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const TimeParam = Type.String({ description: 'ISO-8601, epoch milliseconds, or relative: `now`, `now-15m`, `now-7d`.' });


function invalid(reply: FastifyReply, diagnostics: Diagnostic[]) {
  return reply.code(400).send({
    statusCode: 400, code: 'TELLTALE_ERR_CHECK_INVALID',
    message: `the check is invalid: ${diagnostics.map((d) => `${d.path} ${d.message}`).join('; ')}`, diagnostics,
  });
}

export interface CheckRoutesOptions {
  checks: ChecksContext;
}

export const checkRoutes: FastifyPluginAsyncTypebox<CheckRoutesOptions> = async (app, { checks: ctx }) => {
  const read = { scope: 'read' as const };
  const write = { scope: 'write' as const };
  const tags = ['checks'];
  const stored = async (id: string) => {
    const record = await ctx.store.getCheck(id);
    if (!record) throw notFound(id);
    return record;
  };
  const answer = (reply: FastifyReply, outcome: SaveOutcome) => {
    if (!outcome.ok) return invalid(reply, outcome.diagnostics);
    return reply.code(outcome.created ? 201 : 200).send({ ...toView(ctx, outcome.record), changed: outcome.changed });
  };
  const Saved = Type.Object({ ...viewFields, changed: Type.Boolean() });

  app.get('/checks', {
    config: read,
    schema: { tags, summary: 'All checks (secret header values masked)', response: { 200: Type.Object({ checks: Type.Array(CheckView) }) } },
  }, async () => ({ checks: (await ctx.store.listChecks()).map((r) => toView(ctx, r)) }));

  app.post('/checks', {
    config: write,
    validatorCompiler: passBodyCompiler,
    schema: { tags, summary: 'Create a check', body: CheckJson, response: { 201: Saved, 400: InvalidBody, 409: ErrorBody } },
  }, async (request, reply) => answer(reply, await createCheck(ctx, request.body)));

  app.get('/checks/:id', {
    config: read,
    schema: { tags, summary: 'One check with its uptime and latency over 24h, 7d and 30d, and its last run', params: IdParams, response: { 200: CheckDetail, 404: ErrorBody } },
  }, async (request) => checkDetail(ctx, await stored(request.params.id)));

  app.put('/checks/:id', {
    config: write,
    validatorCompiler: passBodyCompiler,
    schema: {
      tags, summary: 'Create or replace a check; masked secret values sent back keep the stored secret',
      params: IdParams, querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean({ description: 'Only answer whether it would change.' })) }),
      body: CheckJson, response: { 200: Saved, 201: Saved, 400: InvalidBody, 409: ErrorBody },
    },
  }, async (request, reply) => answer(reply, await replaceCheck(ctx, request.params.id, request.body, request.query.dryRun ?? false)));

  app.delete('/checks/:id', {
    config: write,
    schema: { tags, summary: 'Delete a check and its run history', params: IdParams, response: { 204: Type.Null(), 404: ErrorBody, 409: ErrorBody } },
  }, async (request, reply) => {
    await deleteCheck(ctx, request.params.id);
    return reply.code(204).send(null);
  });

  app.post('/checks/:id/run', {
    config: write,
    schema: { tags, summary: 'Run a check now; the run is stored and returned', params: IdParams, response: { 200: RunJson, 404: ErrorBody, 503: ErrorBody } },
  }, async (request): Promise<CheckRunResult> => {
    const record = await stored(request.params.id);
    try {
      return await runAndRecord(ctx, record.definition as Check);
    } catch (err) {
      if (err instanceof IngestOverloadedError || err instanceof StoreUnavailableError) throw new TelltaleError('TELLTALE_ERR_UNAVAILABLE', `the run could not be stored: ${err.message}`);
      throw err;
    }
  });

  app.get('/checks/:id/runs', {
    config: read,
    schema: {
      tags, summary: 'Runs of a check, newest first, with phases and assertion results',
      params: IdParams,
      querystring: Type.Object({
        from: Type.Optional({ ...TimeParam, default: 'now-24h' }), to: Type.Optional({ ...TimeParam, default: 'now' }),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }),
      response: { 200: Type.Object({ from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }), runs: Type.Array(RunJson) }), 400: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const { id } = request.params;
    await stored(id);
    const nowMs = ctx.now();
    const fromMs = parseTime(request.query.from ?? 'now-24h', nowMs);
    const toMs = parseTime(request.query.to ?? 'now', nowMs);
    if (fromMs === null || toMs === null || toMs <= fromMs) throw new TelltaleError('TELLTALE_ERR_BAD_TIME_RANGE', 'from and to must be times (ISO-8601, epoch ms or now-…) with from before to');
    // `to` is inclusive of a run started at this very millisecond.
    const runs = await ctx.store.checkRuns({ checkId: id, fromMs, toMs: toMs + 1, limit: request.query.limit ?? 100 });
    return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), runs: runs.map((r) => r.result as CheckRunResult) };
  });
};
