// Token administration (admin scope). A token's secret is returned once, at creation.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TOKEN_SCOPES, type Store } from '../store/index.ts';
import { createToken } from './auth/tokens.ts';
import { TelltaleError } from './errors.ts';

const TokenInfo = Type.Object({ id: Type.String(), name: Type.String(), scope: Type.String(), createdAt: Type.String({ format: 'date-time' }) });
const Scope = Type.Union(TOKEN_SCOPES.map((s) => Type.Literal(s)));

export const tokenRoutes: FastifyPluginAsyncTypebox<{ store: Store; now: () => number }> = async (app, { store, now }) => {
  const admin = { scope: 'admin' as const };
  app.get('/tokens', {
    config: admin,
    schema: { tags: ['tokens'], summary: 'List tokens (never their secrets)', response: { 200: Type.Object({ tokens: Type.Array(TokenInfo) }) } },
  }, async () => ({
    tokens: (await store.listTokens()).map((t) => ({ id: t.id, name: t.name, scope: t.scope, createdAt: new Date(t.createdAtMs).toISOString() })),
  }));

  app.post('/tokens', {
    config: admin,
    schema: {
      tags: ['tokens'], summary: 'Create a token; the secret is in this response only',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), scope: Scope }),
      response: { 201: Type.Object({ token: Type.String(), id: Type.String(), name: Type.String(), scope: Type.String() }) },
    },
  }, async (request, reply) => {
    const { token, record } = await createToken(store, request.body.scope, request.body.name, now());
    return reply.code(201).send({ token, id: record.id, name: record.name, scope: record.scope });
  });

  app.delete('/tokens/:id', {
    config: admin,
    schema: { tags: ['tokens'], summary: 'Revoke a token', params: Type.Object({ id: Type.String({ maxLength: 64 }) }) },
  }, async (request, reply) => {
    if (!(await store.deleteToken(request.params.id))) throw new TelltaleError('TELLTALE_ERR_NOT_FOUND', `no token ${request.params.id}`);
    return reply.code(204).send();
  });
};
