// SLOs (/api/v1/slos), SLA reports (/api/v1/reports/sla) and report schedules
// (/api/v1/report-schedules). Routes validate input, call a verb, map errors. SLO and schedule
// bodies are validated by reports/' validators (every problem, with its path), not by the route
// schema, which is there for the OpenAPI document.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { ControlStore, Store } from '../../store/index.ts';
import { listSlos } from '../../reports/index.ts';
import { SloSchema } from '../../reports/index.ts';
import { ReportScheduleSchema } from '../../reports/index.ts';
import { SlaReportJsonSchema, type SlaReportJson } from '../../reports/index.ts';
import { passBodyCompiler } from '../pass-body-compiler.ts';
import { ReportsError } from './errors.ts';
import { createSlo, deleteSlo, replaceSlo, storedSlo } from './slos.ts';
import { sloSeries, sloStatusView, sloView } from './slo-view.ts';
import { slaReportResponse } from './sla.ts';
import { createSchedule, deleteSchedule, deliveries, listSchedules, replaceSchedule, scheduleView, storedSchedule } from './schedules-api.ts';

export interface ReportRoutesOptions {
  store: Store;
  control: ControlStore;
  now: () => number;
  /** Base of links in reports (runbooks); default the request's own origin is not used, links stay relative. */
  publicUrl?: string;
}

const Num = Type.Number();
const NullableNum = Type.Union([Type.Number(), Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const ErrorBody = Type.Object({ statusCode: Num, code: Type.String(), message: Type.String() });
const InvalidBody = Type.Object({
  statusCode: Num, code: Type.String(), message: Type.String(),
  // Absent when the body is not even JSON (the parser's 400 has no diagnostics).
  diagnostics: Type.Optional(Type.Array(Type.Object({ path: Type.String({ description: 'JSON Pointer into the body' }), message: Type.String() }))),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const TimeParam = Type.String({ description: 'ISO-8601, epoch milliseconds, or relative: `now`, `now-7d`.' });

const SloView = Type.Object({
  slo: SloSchema,
  origin: Type.Union([Type.Literal('code'), Type.Literal('api')]),
  readOnly: Type.Boolean({ description: 'Defined in the config file: change it there.' }),
  createdAt: Time,
  updatedAt: Time,
});
const BudgetJson = Type.Object({ total: Num, consumed: Num, remaining: Num });
const SloStatus = Type.Object({
  ...SloView.properties,
  window: Type.Object({ from: Time, to: Time }),
  basis: Type.Union([Type.Literal('requests'), Type.Literal('time')], { description: 'requests: counts calls; time: counts check-minutes' }),
  attainment: Type.Union([Num, Type.Null()], { description: 'Percent of good events (or time) in the window; null without data' }),
  met: Type.Union([Type.Boolean(), Type.Null()]),
  budget: Type.Object({
    events: BudgetJson,
    minutes: Type.Union([BudgetJson, Type.Null()], { description: 'Time-based (check) SLOs only' }),
    consumedRatio: NullableNum,
    remainingRatio: NullableNum,
  }),
  burnRate: Type.Number({ description: 'Error ratio over the last hour ÷ (1 − target)' }),
  tally: Type.Object({
    goodEvents: Num, badEvents: Num, maintenanceMinutes: Num,
    goodMinutes: NullableNum, badMinutes: NullableNum, noDataMinutes: NullableNum,
  }, { description: 'Events, and for time-based SLOs minutes up, down and without data (request-based: downtime minutes are in the SLA report)' }),
});
const SeriesBody = Type.Object({
  window: Type.Object({ from: Time, to: Time }),
  stepMs: Num,
  points: Type.Array(Type.Object({
    from: Time, to: Time,
    remainingRatio: Type.Union([Num, Type.Null()], { description: 'Share of the whole window\'s budget left at `to`' }),
    attainment: NullableNum, goodEvents: Num, badEvents: Num, badMinutes: Type.Union([Num, Type.Null()], { description: 'Time-based SLOs only' }),
  })),
});
const ScheduleView = Type.Object({
  schedule: ReportScheduleSchema,
  origin: Type.Union([Type.Literal('code'), Type.Literal('api')]),
  readOnly: Type.Boolean({ description: 'Defined in the config file: change it there.' }),
  createdAt: Time, updatedAt: Time,
  nextRunAt: Type.Union([Time, Type.Null()], { description: 'Next time the schedule fires; null when disabled' }),
});
const Delivery = Type.Object({
  id: Type.String(), status: Type.String(), attempts: Num, createdAt: Time, settledAt: Type.Union([Time, Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]), subject: Type.String(), to: Type.Array(Type.String()),
});


/** Invalid bodies answer 400 with every diagnostic; other coded errors go to the app's handler. */
async function answer<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ReportsError && err.diagnostics.length > 0) {
      return reply.code(400).send({ statusCode: 400, code: err.code, message: err.message, diagnostics: err.diagnostics });
    }
    throw err;
  }
}

export const reportRoutes: FastifyPluginAsyncTypebox<ReportRoutesOptions> = async (app, opts) => {
  const { store, control, now } = opts;
  const publicUrl = opts.publicUrl ?? '';
  const read = { scope: 'read' as const };
  const write = { scope: 'write' as const };
  const slosTag = ['slos'];
  const reportsTag = ['reports'];

  app.get('/slos', {
    config: read,
    schema: { tags: slosTag, summary: 'All SLOs', response: { 200: Type.Object({ slos: Type.Array(SloView) }) } },
  }, async () => ({ slos: (await listSlos(control)).map(sloView) }));

  app.post('/slos', {
    config: write,
    validatorCompiler: passBodyCompiler,
    schema: { tags: slosTag, summary: 'Create an SLO', body: SloSchema, response: { 201: SloView, 400: InvalidBody, 409: ErrorBody } },
  }, async (request, reply) => answer(reply, async () => reply.code(201).send(sloView(await createSlo(control, now(), request.body)))));

  // One request for a list of SLOs with their numbers (the dashboard's SLO page and overview).
  app.get('/slo-status', {
    config: read,
    schema: { tags: slosTag, summary: 'Every SLO with its attainment, error budget and current burn rate', response: { 200: Type.Object({ slos: Type.Array(SloStatus) }) } },
  }, async () => {
    const at = now();
    const slos = [];
    // One at a time: each reads rollups on the one SQLite connection anyway.
    for (const slo of await listSlos(control)) slos.push(await sloStatusView(store, slo, at));
    return { slos };
  });

  app.get('/slos/:id', {
    config: read,
    schema: { tags: slosTag, summary: 'One SLO with its attainment, error budget and current burn rate over its window', params: IdParams, response: { 200: SloStatus, 404: ErrorBody } },
  }, async (request) => sloStatusView(store, await storedSlo(control, request.params.id), now()));

  app.get('/slos/:id/series', {
    config: read,
    schema: {
      tags: slosTag, summary: 'Remaining error budget (and attainment) over the SLO window, step by step', params: IdParams,
      querystring: Type.Object({ step: Type.Optional(Type.String({ description: 'Bin width: `1h`, `6h`, `1d` … (default 1h up to 7 days, else 6h); at least 1m' })) }),
      response: { 200: SeriesBody, 400: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => sloSeries(store, await storedSlo(control, request.params.id), now(), request.query.step));

  app.put('/slos/:id', {
    config: write,
    validatorCompiler: passBodyCompiler,
    schema: { tags: slosTag, summary: 'Create or replace an SLO', params: IdParams, body: SloSchema, response: { 200: SloView, 201: SloView, 400: InvalidBody, 409: ErrorBody } },
  }, async (request, reply) => answer(reply, async () => {
    const { stored, created } = await replaceSlo(control, now(), request.params.id, request.body);
    return reply.code(created ? 201 : 200).send(sloView(stored));
  }));

  app.delete('/slos/:id', {
    config: write,
    schema: { tags: slosTag, summary: 'Delete an SLO', params: IdParams, response: { 204: Type.Null(), 404: ErrorBody, 409: ErrorBody } },
  }, async (request, reply) => {
    await deleteSlo(control, request.params.id);
    return reply.code(204).send(null);
  });

  app.get('/reports/sla', {
    config: read,
    schema: {
      tags: reportsTag,
      summary: 'SLA report for a period and scope: per SLO target, attained (percent), met, downtime, budget spent, p50/p95/p99, incidents, worst routes; per critical check its uptime',
      querystring: Type.Object({
        from: Type.Optional({ ...TimeParam, default: 'now-30d' }),
        to: Type.Optional({ ...TimeParam, default: 'now' }),
        scope: Type.Optional(Type.String({ default: 'all', description: '`all`, `tag:<tag>` or `service:<name>`' })),
        format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('html')], { default: 'json' })),
        timeZone: Type.Optional(Type.String({ default: 'UTC', description: 'Zone of the daily breakdown and of times in HTML' })),
      }),
      response: { 200: { ...SlaReportJsonSchema, description: 'The JSON report; with `format=csv` or `html` the body is `text/csv` or `text/html` instead' }, 400: ErrorBody },
    },
  }, async (request, reply) => {
    const out = await slaReportResponse({ store, control, nowMs: now(), publicUrl, ...request.query });
    if (out.kind === 'json') return reply.type(out.contentType).send(out.body);
    // Text goes out as it is: fastify serializes only non-string payloads against the schema.
    return reply.type(out.contentType).send(out.body as unknown as SlaReportJson);
  });

  const schedulesTag = ['report schedules'];
  app.get('/report-schedules', {
    config: read,
    schema: { tags: schedulesTag, summary: 'All report schedules', response: { 200: Type.Object({ schedules: Type.Array(ScheduleView) }) } },
  }, async () => ({ schedules: (await listSchedules(control)).map((s) => scheduleView(s, now())) }));

  app.get('/report-schedules/:id', {
    config: read,
    schema: { tags: schedulesTag, summary: 'One report schedule', params: IdParams, response: { 200: ScheduleView, 404: ErrorBody } },
  }, async (request) => scheduleView(await storedSchedule(control, request.params.id), now()));

  app.post('/report-schedules', {
    config: write,
    validatorCompiler: passBodyCompiler,
    schema: { tags: schedulesTag, summary: 'Create a report schedule', body: ReportScheduleSchema, response: { 201: ScheduleView, 400: InvalidBody, 409: ErrorBody } },
  }, async (request, reply) => answer(reply, async () => reply.code(201).send(scheduleView(await createSchedule(control, now(), request.body), now()))));

  app.put('/report-schedules/:id', {
    config: write,
    validatorCompiler: passBodyCompiler,
    schema: { tags: schedulesTag, summary: 'Create or replace a report schedule', params: IdParams, body: ReportScheduleSchema, response: { 200: ScheduleView, 201: ScheduleView, 400: InvalidBody, 409: ErrorBody } },
  }, async (request, reply) => answer(reply, async () => {
    const { stored, created } = await replaceSchedule(control, now(), request.params.id, request.body);
    return reply.code(created ? 201 : 200).send(scheduleView(stored, now()));
  }));

  app.delete('/report-schedules/:id', {
    config: write,
    schema: { tags: schedulesTag, summary: 'Delete a report schedule (its sent reports stay in the outbox history)', params: IdParams, response: { 204: Type.Null(), 404: ErrorBody, 409: ErrorBody } },
  }, async (request, reply) => {
    await deleteSchedule(control, request.params.id);
    return reply.code(204).send(null);
  });

  app.get('/report-schedules/:id/deliveries', {
    config: read,
    schema: { tags: schedulesTag, summary: 'The report emails a schedule produced (outbox messages), newest first', params: IdParams, response: { 200: Type.Object({ deliveries: Type.Array(Delivery) }), 404: ErrorBody } },
  }, async (request) => {
    await storedSchedule(control, request.params.id);
    return { deliveries: await deliveries(control, request.params.id) };
  });
};
