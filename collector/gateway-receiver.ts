// POST /v1/gateway-logs: access-log lines pushed over HTTP (Fluent Bit, Vector, a cron'd curl).
// Newline-separated lines or a JSON array of records, gzip accepted; the answer counts what was
// kept and names the first bad lines, and a bad line never costs the good ones.
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IngestCounters } from './counters.ts';
import { GatewayFormatError } from './gateway/index.ts';
import { parseGatewayInput, splitLines } from './gateway-lines.ts';
import { BodyError, mediaType, readBody } from './http-body.ts';
import { IngestOverloadedError, type IngestQueue } from './ingest-queue.ts';
import type { LogFormats } from './log-formats.ts';
import type { RouteBook } from './route-book.ts';
import type { AcceptedWindow } from './otlp/time-window.ts';

export interface GatewayReceiverOptions {
  queue: IngestQueue;
  counters: IngestCounters;
  formats: LogFormats;
  routes: RouteBook;
  maxBodyBytes: number;
  /** How far from now a pushed line's time may be; absent: any time. */
  acceptedWindow?: AcceptedWindow;
}

const TEXT_TYPES = new Set(['', 'text/plain', 'application/x-ndjson', 'application/jsonl', 'application/json', 'application/octet-stream']);

const Result = Type.Object({
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  errors: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String() })),
});
const Failure = Type.Object({ statusCode: Type.Integer(), code: Type.String(), message: Type.String() });

export const gatewayLogReceiver: FastifyPluginAsyncTypebox<GatewayReceiverOptions> = async (app, options) => {
  const { queue, counters, formats, routes, maxBodyBytes, acceptedWindow } = options;
  const receiver = 'gateway_push';
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const fail = (statusCode: number, code: string, message: string) => ({ statusCode, code, message });

  app.post('/v1/gateway-logs', {
    config: { scope: 'ingest' },
    bodyLimit: maxBodyBytes,
    schema: {
      tags: ['ingest'],
      summary: 'Push gateway access-log lines (newline-separated, or a JSON array of records)',
      querystring: Type.Object({
        format: Type.String({ description: 'nginx, nginx-timed, envoy, envoy-json, kong, traefik, aws, or a name from logFormats in the config file' }),
        service: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "The service these calls belong to (default: the gateway's own name for it, else `unknown`)." })),
        consumer: Type.Optional(Type.Union([Type.Literal('log'), Type.Literal('client-address'), Type.Literal('none')], { default: 'log' })),
      }),
      response: { 200: Result, 400: Type.Union([Result, Failure]), 413: Failure, 415: Failure, 503: Failure },
    },
  }, async (request, reply) => {
    const { format: formatName, service, consumer } = request.query;
    let format;
    try {
      format = formats.create(formatName);
    } catch (err) {
      if (err instanceof GatewayFormatError) return reply.code(400).send(fail(400, 'TELLTALE_ERR_BAD_REQUEST', err.message));
      throw err;
    }
    let body: Buffer;
    try {
      if (!TEXT_TYPES.has(mediaType(request))) throw new BodyError(415, 'unsupported_media', `unsupported Content-Type "${mediaType(request)}": send text lines or a JSON array`);
      body = await readBody(request, maxBodyBytes);
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      counters.discarded(receiver, err.reason, 1);
      return reply.code(err.httpStatus).send(fail(err.httpStatus, 'TELLTALE_ERR_BAD_BODY', err.message));
    }
    const text = body.toString('utf8');
    let inputs: unknown[];
    if (text.trimStart().startsWith('[')) {
      try {
        inputs = JSON.parse(text) as unknown[];
      } catch {
        counters.discarded(receiver, 'undecodable', 1);
        return reply.code(400).send(fail(400, 'TELLTALE_ERR_BAD_BODY', 'body starts with [ but is not a valid JSON array'));
      }
    } else {
      inputs = splitLines(text);
    }
    // The same body sent again gets the same ids, so a retried push is stored once.
    const digest = createHash('sha256').update(`${service ?? ''}\n${formatName}\n`).update(body).digest('hex').slice(0, 16);
    const now = acceptedWindow?.now();
    const window = acceptedWindow && now !== undefined ? { earliestMs: now - acceptedWindow.maxAgeMs, latestMs: now + acceptedWindow.maxFutureMs } : undefined;
    const result = parseGatewayInput(inputs, format, { service: service ?? null, routes, consumerFrom: (consumer ?? 'log'), ...(window ? { window } : {}) }, (i) => `push:${digest}:${i}`);
    try {
      await queue.submitRequest({ calls: result.calls, spans: [] });
    } catch (err) {
      counters.discarded(receiver, err instanceof IngestOverloadedError ? err.reason : 'store_unavailable', result.calls.length);
      void reply.header('retry-after', err instanceof IngestOverloadedError ? String(err.retryAfterSeconds) : '5');
      return reply.code(503).send(fail(503, 'TELLTALE_ERR_UNAVAILABLE', (err as Error).message));
    }
    counters.accepted(receiver, 0, result.calls.length);
    if (result.rejected > result.outOfWindow) counters.discarded(receiver, 'invalid_line', result.rejected - result.outOfWindow);
    if (result.outOfWindow > 0) counters.discarded(receiver, 'out_of_window', result.outOfWindow);
    // Nothing usable at all is the sender's mistake (wrong format, say): 400, so it is not retried.
    const status = result.calls.length === 0 && result.rejected > 0 ? 400 : 200;
    return reply.code(status).send({ accepted: result.calls.length, rejected: result.rejected, errors: result.errors });
  });
};
