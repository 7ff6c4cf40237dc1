// Default-deny authorization: every route declares `config.scope` or `config.public`;
// a route that declares neither is refused, so a forgotten declaration fails closed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { TokenScope } from '../../store/index.ts';
import type { TokenRateLimiter } from './rate-limit.ts';
import { hashToken, scopeAllows, type TokenVerifier } from './tokens.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a caller needs. */
    scope?: TokenScope;
    /** No token needed (health, static dashboard files, API docs). */
    public?: boolean;
  }
}

export interface AuthOptions {
  verifier: TokenVerifier;
  /** Per-token limit on ingest routes: charged the request's declared size once its token is known. */
  ingestLimiter?: TokenRateLimiter;
  now?: () => number;
  /** Shapes the 429 body (OTLP: google.rpc.Status RESOURCE_EXHAUSTED). */
  limited?: (request: FastifyRequest, reply: FastifyReply, retryAfterS: number) => FastifyReply;
  /** Shapes the 401/403 body; OTLP answers google.rpc.Status, the API its own error shape. */
  deny?: (request: FastifyRequest, reply: FastifyReply, statusCode: 401 | 403, message: string) => FastifyReply;
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

export const authPlugin = fp<AuthOptions>((app: FastifyInstance, options) => {
  const deny = options.deny ?? ((_req, reply, statusCode, message) => reply.code(statusCode).send({ statusCode, code: statusCode === 401 ? 'TELLTALE_ERR_UNAUTHENTICATED' : 'TELLTALE_ERR_FORBIDDEN', message }));
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    if (config.public) return;
    // Unknown routes fall through to the 404 handler; everything routed must declare a scope.
    if (!request.routeOptions.url) return;
    const needed = config.scope;
    if (!needed) return deny(request, reply, 403, 'route declares no scope');
    const token = bearer(request);
    if (!token) {
      void reply.header('www-authenticate', 'Bearer');
      return deny(request, reply, 401, 'missing bearer token');
    }
    const held = await options.verifier.verify(token);
    if (!held) {
      void reply.header('www-authenticate', 'Bearer error="invalid_token"');
      return deny(request, reply, 401, 'unknown token');
    }
    if (!scopeAllows(held, needed)) return deny(request, reply, 403, `token scope "${held}" cannot ${needed}`);
    if (needed === 'ingest' && options.ingestLimiter) {
      // The declared length is what the sender asks to send; a chunked body is charged 64 KiB.
      const declared = Number(request.headers['content-length'] ?? 65_536);
      const decision = options.ingestLimiter.take(hashToken(token), Number.isFinite(declared) ? declared : 65_536, (options.now ?? Date.now)());
      if (!decision.ok) {
        void reply.header('retry-after', String(decision.retryAfterS));
        return options.limited
          ? options.limited(request, reply, decision.retryAfterS)
          : reply.code(429).send({ statusCode: 429, code: 'TELLTALE_ERR_RATE_LIMITED', message: `ingest rate limit of this token exceeded; retry after ${decision.retryAfterS} s` });
      }
    }
  });
}, { name: 'telltale-auth' });
