// Serves the built React dashboard (dashboard/dist) at `/`, public like any static site: the
// data it shows comes from the API, which needs a token. Until it is built, a placeholder.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { placeholderPage } from './placeholder-page.ts';

export const DASHBOARD_DIST = fileURLToPath(new URL('../dashboard/dist/', import.meta.url));

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
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: 'index.html' });
  // Client-side routes (/routes/…, /traces/…) are deep links: answer them with the app shell.
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    if (/^\/(api|v1)\//.test(request.url)) return reply.code(404).send({ statusCode: 404, code: 'TELLTALE_ERR_NOT_FOUND', message: 'not found' });
    return reply.sendFile('index.html');
  });
};
