// The alerting API: rules, alerts (with history and acknowledgement), silences, maintenance
// windows and the notification outbox. Routes validate, call a verb, map errors.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DOC, type StoredMaintenanceWindow, type StoredRule, type StoredSilence } from '../../alerts/documents.ts';
import { AlertRuleSchema } from '../../alerts/rule.ts';
import { TelltaleError } from '../errors.ts';
import { parseTime } from '../query/time.ts';
import {
  acknowledge, createMaintenanceWindow, createRule, createSilence, deleteMaintenanceWindow, deleteRule, expireSilence, replaceRule,
  storedRule, type AlertsContext,
} from './verbs.ts';
import { listAlerts, messageView, silenceView } from './view.ts';
import { maskRule } from './seal-rules.ts';

const Num = Type.Number();
const Str = Type.String();
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const ErrorBody = Type.Object({ statusCode: Num, code: Str, message: Str });
const InvalidBody = Type.Object({ statusCode: Num, code: Str, message: Str, diagnostics: Type.Optional(Type.Array(Type.Object({ path: Str, message: Str }))) });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Labels = Type.Record(Str, Str);
const Matcher = Type.Object({
  name: Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$', maxLength: 100 }),
  op: Type.Union([Type.Literal('='), Type.Literal('!='), Type.Literal('=~'), Type.Literal('!~')]),
  value: Type.String({ maxLength: 256 }),
}, { additionalProperties: false });
const TimeParam = Type.String({ description: 'ISO-8601 or epoch milliseconds (or `now`).' });

const RuleView = Type.Object({
  rule: AlertRuleSchema, origin: Type.Union([Type.Literal('code'), Type.Literal('api')]),
  readOnly: Type.Boolean({ description: 'Defined in the config file: change it there.' }),
  createdAt: Str, updatedAt: Str,
});
const Delivery = Type.Object({
  id: Str, channel: Str, status: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')]), attempts: Num,
  lastError: NullableStr, target: Str, subject: NullableStr, createdAt: Str, settledAt: NullableStr, nextAttemptAt: NullableStr,
});
const AlertView = Type.Object({
  fingerprint: Str, ruleId: Str,
  ruleName: Type.Union([Str, Type.Null()], { description: 'Null when the rule was deleted (the alert is dropped at the next evaluation).' }),
  kind: Type.Union([Str, Type.Null()]), runbookId: Type.Union([Str, Type.Null()], { description: "The rule's runbook, or its kind's default." }),
  state: Type.Union([Type.Literal('pending'), Type.Literal('firing'), Type.Literal('resolved'), Type.Literal('inactive')]),
  labels: Labels, summary: Str, value: Type.Union([Num, Type.Null()]), threshold: Num, unit: Str,
  activeSince: NullableStr, firingSince: NullableStr, resolvedAt: NullableStr,
  acknowledged: Type.Union([Type.Object({ at: Str, by: Str }), Type.Null()]),
  silencedBy: Type.Array(Str), maintenanceBy: Type.Array(Str),
  history: Type.Array(Type.Object({
    at: Str, event: Str, value: Type.Union([Num, Type.Null()]), summary: Str, by: Type.Optional(Str), deliveries: Type.Optional(Type.Array(Delivery)),
  })),
});
const SilenceView = Type.Object({
  id: Str, matchers: Type.Array(Matcher), startsAt: Str, endsAt: Str, comment: Str, author: Str, createdAt: Str,
  state: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('expired')]),
});
const WindowView = Type.Object({ id: Str, cron: Str, durationMs: Num, matchers: Type.Array(Matcher), comment: Type.Optional(Str), createdAt: Str });

// Webhook header secrets are write-only: shown masked, and a mask sent back keeps the stored value.
const ruleView = (ctx: AlertsContext, s: StoredRule) => ({
  rule: maskRule(ctx.secrets, s.rule), origin: s.origin, readOnly: s.origin === 'code', createdAt: new Date(s.createdAtMs).toISOString(), updatedAt: new Date(s.updatedAtMs).toISOString(),
});
const windowView = (w: StoredMaintenanceWindow) => ({
  id: w.id, cron: w.cron, durationMs: w.durationMs, matchers: w.matchers, ...(w.comment ? { comment: w.comment } : {}), createdAt: new Date(w.createdAtMs).toISOString(),
});

export interface AlertRoutesOptions {
  ctx: AlertsContext;
}

export const alertRoutes: FastifyPluginAsyncTypebox<AlertRoutesOptions> = async (app, { ctx }) => {
  const read = { scope: 'read' as const };
  const write = { scope: 'write' as const };
  const time = (text: string, name: string): number => {
    const ms = parseTime(text, ctx.now());
    if (ms === null) throw new TelltaleError('TELLTALE_ERR_BAD_REQUEST', `${name}: not a time: ${JSON.stringify(text)}`);
    return ms;
  };

  let tags = ['alert rules'];
  app.get('/alert-rules', { config: read, schema: { tags, summary: 'All alert rules', response: { 200: Type.Object({ rules: Type.Array(RuleView) }) } } },
    async () => ({ rules: (await ctx.control.documents(DOC.rule)).map((d) => ruleView(ctx, d.body as StoredRule)) }));
  app.get('/alert-rules/:id', { config: read, schema: { tags, summary: 'One alert rule', params: IdParams, response: { 200: RuleView, 404: ErrorBody } } },
    async (request) => ruleView(ctx, await storedRule(ctx, request.params.id)));
  app.post('/alert-rules', {
    config: write,
    schema: { tags, summary: 'Create an alert rule (its runbook must exist)', body: Type.Unknown(), response: { 201: RuleView, 400: InvalidBody, 409: ErrorBody } },
  }, async (request, reply) => reply.code(201).send(ruleView(ctx, await createRule(ctx, request.body))));
  app.put('/alert-rules/:id', {
    config: write,
    schema: { tags, summary: 'Create or replace an alert rule', params: IdParams, body: Type.Unknown(), response: { 200: RuleView, 201: RuleView, 400: InvalidBody, 409: ErrorBody } },
  }, async (request, reply) => {
    const { stored, created } = await replaceRule(ctx, request.params.id, request.body);
    return reply.code(created ? 201 : 200).send(ruleView(ctx, stored));
  });
  app.delete('/alert-rules/:id', { config: write, schema: { tags, summary: 'Delete an alert rule', params: IdParams, response: { 204: Type.Null(), 404: ErrorBody, 409: ErrorBody } } },
    async (request, reply) => {
      await deleteRule(ctx, request.params.id);
      return reply.code(204).send(null);
    });

  tags = ['alerts'];
  const State = Type.Union([Type.Literal('firing'), Type.Literal('pending'), Type.Literal('resolved')]);
  app.get('/alerts', {
    config: read,
    schema: {
      tags, summary: 'Pending, firing and recently resolved alerts, with their history and delivery status',
      querystring: Type.Object({ state: Type.Optional(State), history: Type.Optional(Type.Integer({ minimum: 0, maximum: 200, default: 20 })) }),
      response: { 200: Type.Object({ alerts: Type.Array(AlertView) }) },
    },
  }, async (request) => ({ alerts: await listAlerts(ctx, { ...(request.query.state ? { state: request.query.state } : {}), historyLimit: Math.max(1, request.query.history ?? 20) }) }));
  app.get('/alerts/:id', { config: read, schema: { tags, summary: 'One alert by fingerprint, with up to 200 history entries', params: IdParams, response: { 200: AlertView, 404: ErrorBody } } },
    async (request) => {
      const found = (await listAlerts(ctx, { historyLimit: 200 })).find((a) => a.fingerprint === request.params.id);
      if (!found) throw new TelltaleError('TELLTALE_ERR_ALERT_NOT_FOUND', `no current alert with fingerprint "${request.params.id}"`);
      return found;
    });
  app.post('/alerts/:id/ack', {
    config: write,
    schema: {
      tags, summary: 'Acknowledge a firing alert: it stops repeating until it resolves', params: IdParams,
      body: Type.Optional(Type.Object({ by: Type.Optional(Type.String({ maxLength: 100 })), comment: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false })),
      response: { 200: Type.Object({ fingerprint: Str, acknowledgedAt: Str, by: Str }), 404: ErrorBody },
    },
  }, async (request) => {
    const by = request.body?.by ?? 'api';
    const doc = await acknowledge(ctx, request.params.id, by, request.body?.comment);
    return { fingerprint: doc.fingerprint, acknowledgedAt: new Date(doc.acknowledgedAtMs ?? 0).toISOString(), by };
  });

  tags = ['silences'];
  app.get('/silences', { config: read, schema: { tags, summary: 'Silences, newest first', response: { 200: Type.Object({ silences: Type.Array(SilenceView) }) } } },
    async () => ({
      silences: (await ctx.control.documents(DOC.silence)).map((d) => d.body as StoredSilence)
        .sort((a, b) => b.createdAtMs - a.createdAtMs).map((s) => silenceView(s, ctx.now())),
    }));
  app.post('/silences', {
    config: write,
    schema: {
      tags, summary: 'Create a silence: alerts whose labels match every matcher are not notified between startsAt and endsAt',
      body: Type.Object({
        matchers: Type.Array(Matcher, { minItems: 1, maxItems: 20 }), startsAt: Type.Optional(TimeParam), endsAt: TimeParam,
        comment: Type.String({ minLength: 1, maxLength: 1000 }), author: Type.String({ minLength: 1, maxLength: 100 }),
      }, { additionalProperties: false }),
      response: { 201: SilenceView, 400: ErrorBody },
    },
  }, async (request, reply) => {
    const b = request.body;
    const silence = await createSilence(ctx, {
      matchers: b.matchers, startsAtMs: b.startsAt ? time(b.startsAt, 'startsAt') : ctx.now(), endsAtMs: time(b.endsAt, 'endsAt'), comment: b.comment, author: b.author,
    });
    return reply.code(201).send(silenceView(silence, ctx.now()));
  });
  app.delete('/silences/:id', { config: write, schema: { tags, summary: 'Expire a silence now', params: IdParams, response: { 200: SilenceView, 404: ErrorBody } } },
    async (request) => silenceView(await expireSilence(ctx, request.params.id), ctx.now()));

  app.get('/maintenance-windows', { config: read, schema: { tags, summary: 'Recurring maintenance windows', response: { 200: Type.Object({ windows: Type.Array(WindowView) }) } } },
    async () => ({ windows: (await ctx.control.documents(DOC.maintenance)).map((d) => windowView(d.body as StoredMaintenanceWindow)) }));
  app.post('/maintenance-windows', {
    config: write,
    schema: {
      tags, summary: 'Create a recurring maintenance window: opens when the UTC cron fires, mutes matching alerts for durationMs (no matchers: all)',
      body: Type.Object({
        cron: Type.String({ minLength: 9, maxLength: 100 }), durationMs: Type.Integer({ minimum: 60_000 }),
        matchers: Type.Optional(Type.Array(Matcher, { maxItems: 20 })), comment: Type.Optional(Type.String({ maxLength: 1000 })),
      }, { additionalProperties: false }),
      response: { 201: WindowView, 400: ErrorBody },
    },
  }, async (request, reply) => {
    const b = request.body;
    const window = await createMaintenanceWindow(ctx, { cron: b.cron, durationMs: b.durationMs, matchers: b.matchers ?? [], ...(b.comment ? { comment: b.comment } : {}) });
    return reply.code(201).send(windowView(window));
  });
  app.delete('/maintenance-windows/:id', { config: write, schema: { tags, summary: 'Delete a maintenance window', params: IdParams, response: { 204: Type.Null(), 404: ErrorBody } } },
    async (request, reply) => {
      await deleteMaintenanceWindow(ctx, request.params.id);
      return reply.code(204).send(null);
    });

  tags = ['notifications'];
  app.get('/notifications', {
    config: read,
    schema: {
      tags, summary: 'The outbox: notifications and reports, pending, sent or failed (bodies are not shown)',
      querystring: Type.Object({
        status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')])),
        channel: Type.Optional(Type.String({ maxLength: 50 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }),
      response: { 200: Type.Object({ notifications: Type.Array(Delivery) }) },
    },
  }, async (request) => {
    const { status, channel, limit } = request.query;
    const messages = await ctx.control.messages({ ...(status ? { status } : {}), ...(channel ? { channel } : {}), limit: limit ?? 100 });
    return { notifications: messages.map(messageView) };
  });
};
