// A fastify validator compiler for routes whose body a capability validates itself (checks,
// SLOs, schedules: every problem with its path, not the first schema error): the body passes
// through untouched, while params and query are converted and checked against their schemas.
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { TelltaleError } from './errors.ts';

export function passBodyCompiler<S>({ schema: routeSchema, httpPart }: FastifyRouteSchemaDef<S>): ReturnType<FastifySchemaCompiler<S>> {
  const schema = routeSchema as unknown as TSchema;
  if (httpPart === 'body') return (value: unknown) => ({ value });
  return (value: unknown) => {
    const converted = Value.Convert(schema, value);
    if (Value.Check(schema, converted)) return { value: converted };
    const first = Value.Errors(schema, converted).First();
    return { error: new TelltaleError('TELLTALE_ERR_BAD_REQUEST', `${httpPart ?? 'request'}${first?.path ?? ''}: ${first?.message ?? 'invalid'}`) };
  };
}
