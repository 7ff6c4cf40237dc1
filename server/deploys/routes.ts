// POST /api/v1/deploys (a CI pipeline tells Telltale it deployed) and GET /api/v1/deploys
// (the markers the dashboard draws and alert emails name).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DEPLOY_EVENT_KIND, type DeployEvent } from '../../alerts/deploys.ts';
import type { ControlStore } from '../../store/index.ts';
import { TelltaleError } from '../errors.ts';
import { parseTime } from '../query/time.ts';

const Str = Type.String();
const OneLine = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\r\\n]*$' });
const DeployView = Type.Object({
  service: Str, version: Str, at: Str, source: Type.Union([Type.Literal('api'), Type.Literal('traces')]),
  environment: Type.Optional(Str), description: Type.Optional(Str),
});

const view = (d: DeployEvent) => ({
  service: d.service, version: d.version, at: new Date(d.timeMs).toISOString(), source: d.source,
  ...(d.environment ? { environment: d.environment } : {}), ...(d.description ? { description: d.description } : {}),
});

export interface DeployRoutesOptions {
  control: ControlStore;
  now: () => number;
}

export const deployRoutes: FastifyPluginAsyncTypebox<DeployRoutesOptions> = async (app, { control, now }) => {
  const tags = ['deploys'];
  const time = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    const ms = parseTime(text, now());
    if (ms === null) throw new TelltaleError('TELLTALE_ERR_BAD_TIME_RANGE', `${name}: not a time: ${JSON.stringify(text)}`);
    return ms;
  };

  app.post('/deploys', {
    config: { scope: 'ingest' },
    schema: {
      tags, summary: 'Record a deploy (from a CI pipeline); alert emails and charts show it',
      body: Type.Object({
        service: OneLine(200), version: OneLine(200),
        at: Type.Optional(Type.String({ description: 'When it happened (ISO-8601 or epoch ms); default now.' })),
        environment: Type.Optional(OneLine(100)), description: Type.Optional(Type.String({ maxLength: 2000 })),
      }, { additionalProperties: false }),
      response: { 201: DeployView },
    },
  }, async (request, reply) => {
    const b = request.body;
    const deploy: DeployEvent = {
      service: b.service, version: b.version, timeMs: time(b.at, now(), 'at'), source: 'api',
      ...(b.environment ? { environment: b.environment } : {}), ...(b.description ? { description: b.description } : {}),
    };
    await control.commit({ events: [{ kind: DEPLOY_EVENT_KIND, key: deploy.service, atMs: deploy.timeMs, body: deploy }] });
    return reply.code(201).send(view(deploy));
  });

  app.get('/deploys', {
    config: { scope: 'read' },
    schema: {
      tags, summary: 'Deploys in a window, newest first (told through the API or seen as a new service.version in traces)',
      querystring: Type.Object({
        service: Type.Optional(Type.String({ maxLength: 200 })), from: Type.Optional(Str), to: Type.Optional(Str),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
      }),
      response: { 200: Type.Object({ deploys: Type.Array(DeployView) }) },
    },
  }, async (request) => {
    const q = request.query;
    const toMs = time(q.to, now(), 'to');
    const fromMs = time(q.from, toMs - 7 * 86_400_000, 'from');
    const events = await control.events({
      kind: DEPLOY_EVENT_KIND, ...(q.service ? { key: q.service } : {}), fromMs, toMs: toMs + 1, limit: q.limit ?? 200,
    });
    return { deploys: events.map((e) => view(e.body as DeployEvent)) };
  });
};
