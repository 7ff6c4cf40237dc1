// The composition root: builds the fastify apps from their dependencies. Nothing here opens
// files or ports; main.ts does that, and tests build the same app with their own store and clock.
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IngestCounters } from '../collector/counters.ts';
import { gatewayLogReceiver } from '../collector/gateway-receiver.ts';
import { IngestQueue } from '../collector/ingest-queue.ts';
import { LogFormats } from '../collector/log-formats.ts';
import { RouteBook } from '../collector/route-book.ts';
import { RpcCode, sendRpcStatus } from '../collector/otlp/endpoint.ts';
import { otlpTraceReceiver } from '../collector/otlp/receiver.ts';
import { otlpLogsReceiver } from '../collector/otlp/logs-receiver.ts';
import type { ControlStore, Store } from '../store/index.ts';
import { loadRunbookLibrary, type RunbookLibrary } from '../alerts/runbooks/library.ts';
import { authPlugin } from './auth/plugin.ts';
import { tokenVerifier } from './auth/tokens.ts';
import { TokenRateLimiter } from './auth/rate-limit.ts';
import type { Config, ConfigFile, Role } from './config.ts';
import { TelltaleError } from './errors.ts';
import type { TelltaleMetrics } from './metrics.ts';
import { queryRoutes } from './query/routes.ts';
import { tokenRoutes } from './tokens-routes.ts';
import { dashboardPlugin } from './dashboard-plugin.ts';
import { createChecksContext, type ChecksContext } from './checks/context.ts';
import { checkRoutes } from './checks/routes.ts';
import { runbookRoutes } from './runbooks/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { alertRoutes } from './alerts/routes.ts';
import { deployRoutes } from './deploys/routes.ts';

/** The runbooks Telltale ships, in the repository's `runbooks/`. */
export const SHIPPED_RUNBOOKS_DIR = fileURLToPath(new URL('../runbooks/', import.meta.url));

export interface AppDeps {
  config: Pick<Config, 'bootstrapToken' | 'maxBodyBytes' | 'ingestQueueMax' | 'consumerAttributes' | 'publicUrl' | 'logLevel' | 'maxRoutesPerService'>
    & Partial<Pick<Config, 'dataDir' | 'secretKey' | 'checksAllowPrivate' | 'runbooksDir' | 'ingestRateBytesPerSecond' | 'ingestBurstBytes' | 'roles'>>
    & Partial<Pick<Config, 'ingestMaxAgeMs' | 'ingestMaxFutureMs' | 'ingestMemoryMaxBytes' | 'ingestTimeoutMs'>>
    & { file?: Pick<ConfigFile, 'logFormats' | 'routeTemplates'> };
  store: Store;
  /** Alert rules and state, silences, SLOs, schedules, the outbox: always SQLite. */
  control: ControlStore;
  metrics: TelltaleMetrics;
  now: () => number;
}

/** Long-lived parts shared by the main app and the OTLP-port app. */
export interface Runtime extends AppDeps {
  queue: IngestQueue;
  counters: IngestCounters;
  routes: RouteBook;
  formats: LogFormats;
  /** Synthetic checks: what their API and scheduler share (store, secrets, the ingest path of runs). */
  checks: ChecksContext;
  runbooks: RunbookLibrary;
  /** Per-token ingest limits; null when unlimited. */
  ingestLimiter: TokenRateLimiter | null;
  /** Set when shutdown begins: /readyz answers 503 from then on. */
  draining: boolean;
}

export function createRuntime(deps: AppDeps): Runtime {
  const { metrics } = deps;
  const counters: IngestCounters = {
    accepted: (receiver, spans, calls) => {
      metrics.ingestSpans.inc({ receiver }, spans);
      metrics.ingestCalls.inc({ receiver }, calls);
    },
    discarded: (receiver, reason, items) => metrics.discarded.inc({ receiver, reason }, items),
  };
  const queue = new IngestQueue({
    store: deps.store,
    maxQueuedItems: deps.config.ingestQueueMax,
    answerWithinMs: deps.config.ingestTimeoutMs,
    memoryMaxBytes: deps.config.ingestMemoryMaxBytes ?? 0,
    onFlush: (_items, durationMs) => metrics.storeWriteDuration.observe(durationMs / 1000),
  });
  metrics.queueDepthSource = () => queue.depth;
  const routes = new RouteBook({ maxRoutesPerService: deps.config.maxRoutesPerService, templates: deps.config.file?.routeTemplates });
  // Throws GatewayFormatError for a bad custom format: a configuration error, reported at start.
  const formats = new LogFormats(deps.config.file?.logFormats);
  const { secretKey, dataDir, checksAllowPrivate } = deps.config;
  const checks = createChecksContext({ store: deps.store, now: deps.now, submit: (batch) => queue.submit(batch), secretKey, dataDir, allowPrivate: checksAllowPrivate });
  // Throws listing every bad runbook: like a bad log format, a configuration error at start.
  const runbooks = loadRunbookLibrary({ shippedDir: SHIPPED_RUNBOOKS_DIR, teamDir: deps.config.runbooksDir ?? null });
  const rate = deps.config.ingestRateBytesPerSecond ?? 0;
  const ingestLimiter = rate > 0 ? new TokenRateLimiter({ bytesPerSecond: rate, burstBytes: deps.config.ingestBurstBytes ?? 2 * rate }) : null;
  return { ...deps, queue, counters, routes, formats, checks, runbooks, ingestLimiter, draining: false };
}

const isOtlpPath = (url: string) => url.startsWith('/v1/');
/** The accepted time window of pushed data, when configured (TELLTALE_INGEST_MAX_AGE / _MAX_FUTURE). */
const acceptedWindowOf = (runtime: Runtime) => {
  const { ingestMaxAgeMs, ingestMaxFutureMs } = runtime.config;
  return ingestMaxAgeMs !== undefined && ingestMaxFutureMs !== undefined
    ? { acceptedWindow: { maxAgeMs: ingestMaxAgeMs, maxFutureMs: ingestMaxFutureMs, now: runtime.now } }
    : {};
};
/** Whether this process has a role; without a roles setting (tests, embedding) it has them all. */
const hasRole = (runtime: Runtime, role: Role) => runtime.config.roles?.has(role) ?? true;

function baseApp(runtime: Runtime): FastifyInstance {
  const app = Fastify({
    logger: { level: runtime.config.logLevel },
    // Two log lines per request would cost more than ingesting the request; metrics cover traffic.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Request ids in our logs are ours, never copied from a client's header.
    requestIdHeader: false,
    routerOptions: { ignoreDuplicateSlashes: false },
  }).withTypeProvider<TypeBoxTypeProvider>();

  void app.register(authPlugin, {
    verifier: tokenVerifier(runtime.store, runtime.config.bootstrapToken),
    ...(runtime.ingestLimiter ? { ingestLimiter: runtime.ingestLimiter } : {}),
    now: runtime.now,
    limited: (request, reply, retryAfterS) => {
      const path = request.url.split('?')[0] ?? '';
      const receiver = path === '/v1/traces' ? 'otlp_traces' : path === '/v1/logs' ? 'otlp_logs' : 'gateway_push';
      runtime.counters.discarded(receiver, 'rate_limited', 1);
      const message = `ingest rate limit of this token exceeded; retry after ${retryAfterS} s`;
      // OTLP clients read a google.rpc.Status; 429 is one of the codes they retry.
      if (receiver !== 'gateway_push') return sendRpcStatus(request, reply, 429, RpcCode.RESOURCE_EXHAUSTED, message);
      return reply.code(429).send({ statusCode: 429, code: 'TELLTALE_ERR_RATE_LIMITED', message });
    },
    deny: (request, reply, statusCode, message) => {
      if (isOtlpPath(request.url)) return sendRpcStatus(request, reply, statusCode, statusCode === 401 ? RpcCode.UNAUTHENTICATED : RpcCode.PERMISSION_DENIED, message);
      return reply.code(statusCode).send({ statusCode, code: statusCode === 401 ? 'TELLTALE_ERR_UNAUTHENTICATED' : 'TELLTALE_ERR_FORBIDDEN', message });
    },
  });

  app.setErrorHandler((error: FastifyError | TelltaleError, request, reply) => {
    if (error instanceof TelltaleError) {
      const diagnostics = 'diagnostics' in error ? { diagnostics: error.diagnostics } : {};
      return reply.code(error.statusCode).send({ statusCode: error.statusCode, code: error.code, message: error.message, ...diagnostics });
    }
    if ('validation' in error && error.validation) return reply.code(400).send({ statusCode: 400, code: 'TELLTALE_ERR_BAD_REQUEST', message: error.message });
    const statusCode = error.statusCode ?? 500;
    if (statusCode < 500) return reply.code(statusCode).send({ statusCode, code: error.code ?? 'TELLTALE_ERR_BAD_REQUEST', message: error.message });
    // 5xx bodies never carry internals; the log does.
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ statusCode: 500, code: 'TELLTALE_ERR_INTERNAL', message: 'internal error' });
  });

  app.addHook('onResponse', async (request, reply) => {
    runtime.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_class: `${Math.floor(reply.statusCode / 100)}xx` },
      reply.elapsedTime / 1000,
    );
  });

  app.get('/livez', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    if (runtime.draining) return reply.code(503).send({ status: 'draining' });
    if (runtime.queue.underMemoryPressure) return reply.code(503).send({ status: 'unavailable', reason: 'memory use is above the ingest watermark' });
    try {
      await runtime.store.checkWritable();
      return { status: 'ready' };
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', reason: (err as Error).message });
    }
  });

  if (!hasRole(runtime, 'ingest')) return app;
  void app.register(otlpTraceReceiver, {
    queue: runtime.queue,
    counters: runtime.counters,
    maxBodyBytes: runtime.config.maxBodyBytes,
    normalize: { consumerAttributes: runtime.config.consumerAttributes, routes: runtime.routes },
    ...acceptedWindowOf(runtime),
  });
  void app.register(otlpLogsReceiver, {
    queue: runtime.queue, counters: runtime.counters, maxBodyBytes: runtime.config.maxBodyBytes, consumerAttributes: runtime.config.consumerAttributes,
    routes: runtime.routes, formats: runtime.formats, ...acceptedWindowOf(runtime),
  });
  return app;
}

/** The main app: dashboard, API, OpenAPI docs, metrics and OTLP on one port. */
export async function buildApp(runtime: Runtime): Promise<FastifyInstance> {
  const app = baseApp(runtime);
  app.addHook('onRoute', (route) => {
    // The docs UI and its assets are public; the API they describe is not.
    if (route.url.startsWith('/api/docs')) route.config = { ...route.config, public: true };
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Telltale API', version: '1', description: 'Query API of Telltale. Send `Authorization: Bearer <token>`.' },
      servers: [{ url: runtime.config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    // Each operation documents the token scope it needs, so clients (and the auth test) can read it.
    transform: ({ schema, url, route }) => {
      const config = (route.config ?? {}) as { scope?: string; public?: boolean };
      return { schema: { ...schema, security: config.public ? [] : [{ bearer: [config.scope ?? 'admin'] }] }, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { deepLinking: true }, uiHooks: {}, staticCSP: true });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  app.get('/metrics', { config: { scope: 'read' }, schema: { hide: true } }, async (_request, reply) => {
    return reply.type(runtime.metrics.registry.contentType).send(await runtime.metrics.registry.metrics());
  });
  if (hasRole(runtime, 'ingest')) {
    await app.register(gatewayLogReceiver, {
      queue: runtime.queue, counters: runtime.counters, formats: runtime.formats, routes: runtime.routes, maxBodyBytes: runtime.config.maxBodyBytes, ...acceptedWindowOf(runtime),
    });
  }
  // An ingest-only instance answers ingest, health and metrics; the API lives on the control instance.
  if (!hasRole(runtime, 'query')) return app;
  await app.register(queryRoutes, { prefix: '/api/v1', store: runtime.store, now: runtime.now });
  await app.register(tokenRoutes, { prefix: '/api/v1', store: runtime.store, now: runtime.now });
  await app.register(checkRoutes, { prefix: '/api/v1', checks: runtime.checks });
  await app.register(alertRoutes, { prefix: '/api/v1', ctx: { control: runtime.control, runbooks: runtime.runbooks, now: runtime.now, secrets: runtime.checks.secrets } });
  await app.register(deployRoutes, { prefix: '/api/v1', control: runtime.control, now: runtime.now });
  await app.register(runbookRoutes, { prefix: '/api/v1', library: runtime.runbooks });
  await app.register(reportRoutes, { prefix: '/api/v1', store: runtime.store, control: runtime.control, now: runtime.now, publicUrl: runtime.config.publicUrl });
  await app.register(dashboardPlugin);
  return app;
}

/** The second listener on the conventional OTLP port: only OTLP and health. */
export async function buildOtlpApp(runtime: Runtime): Promise<FastifyInstance> {
  const app = baseApp(runtime);
  await app.ready();
  return app;
}
