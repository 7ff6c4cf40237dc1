// Serves the built React dashboard (dashboard/dist) at `/`, public like any static site: the
// data it shows comes from the API, which needs a token. Until it is built, a placeholder.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { placeholderPage } from './placeholder-page.ts';

export const DASHBOARD_DIST = fileURLToPath(new URL('../dashboard/dist/', import.meta.url));

/**
 * The dashboard loads only its own files and talks only to its own origin, so everything else
 * is refused: span names and attributes come from anyone holding an ingest token, and this
 * keeps a rendering slip from becoming script execution. No inline script or style is needed
 * (React and uPlot set styles through the CSSOM, which CSP does not restrict).
 */
export const DASHBOARD_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** Vite puts a content hash in every file name under /assets/: they never change, cache for a year. */
const HASHED_ASSET = /^\/assets\/[^/?]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+(\?|$)/;

export const dashboardPlugin: FastifyPluginAsync<{ root?: string }> = async (app, options) => {
  const root = options.root ?? DASHBOARD_DIST;
  if (!existsSync(`${root}index.html`)) {
    app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply.type('text/html').send(placeholderPage()));
    return;
  }
  // Everything in this plugin is static content.
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, public: true };
  });
  // Hooks added here apply only to this plugin's routes (not encapsulated away by fastify-plugin).
  app.addHook('onSend', async (request, reply) => {
    void reply.header('content-security-policy', DASHBOARD_CSP);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('cross-origin-opener-policy', 'same-origin');
    // index.html (and every deep link answered with it) must be revalidated so a deploy shows at once.
    const immutable = reply.statusCode === 200 && HASHED_ASSET.test(request.url);
    void reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  });
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: 'index.html', cacheControl: false });
  // Client-side routes (/routes/…, /traces/…) are deep links: answer them with the app shell.
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    // A missing asset is a 404, never the app shell (which a browser would try to run as script).
    if (/^\/(api|v1|assets)\//.test(request.url)) return reply.code(404).send({ statusCode: 404, code: 'TELLTALE_ERR_NOT_FOUND', message: 'not found' });
    return reply.sendFile('index.html');
  });
};
