// The closed registry of check types. Adding a type means one new file here and one line in
// CHECK_TYPES; nothing else branches on `type`.
import { Type } from '@sinclair/typebox';
import { httpCheckType, HttpCheckSchema, type HttpCheck } from './http.ts';
import { multistepCheckType, MultistepCheckSchema, type MultistepCheck } from './multistep.ts';
import { tlsCheckType, TlsCheckSchema, type TlsCheck } from './tls.ts';
import { tcpCheckType, TcpCheckSchema, type TcpCheck } from './tcp.ts';
import { dnsCheckType, DnsCheckSchema, type DnsCheck } from './dns.ts';
import type { AttemptContext, AttemptOutcome, CheckType, Diagnostic, ValidateOptions } from './check-type.ts';

export type { HttpCheck, MultistepCheck, TlsCheck, TcpCheck, DnsCheck };
export { HttpCheckSchema, MultistepCheckSchema, TlsCheckSchema, TcpCheckSchema, DnsCheckSchema };

/** A check definition of any type. */
export type Check = HttpCheck | MultistepCheck | TlsCheck | TcpCheck | DnsCheck;
export type CheckTypeName = Check['type'];

/** One schema for any check (for the API's OpenAPI document); validate.ts narrows by `type` for clearer errors. */
export const CheckSchema = Type.Union([HttpCheckSchema, MultistepCheckSchema, TlsCheckSchema, TcpCheckSchema, DnsCheckSchema]);

export const CHECK_TYPES: { readonly [K in CheckTypeName]: CheckType<Extract<Check, { type: K }>> } = {
  http: httpCheckType,
  multistep: multistepCheckType,
  tls: tlsCheckType,
  tcp: tcpCheckType,
  dns: dnsCheckType,
};
export const CHECK_TYPE_NAMES = Object.keys(CHECK_TYPES) as CheckTypeName[];

export function isCheckTypeName(value: unknown): value is CheckTypeName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CHECK_TYPES, value);
}

// The registry is keyed by the union member, so this cast only restates what the key guarantees.
function typeOf<C extends Check>(check: C): CheckType<C> {
  return CHECK_TYPES[check.type] as unknown as CheckType<C>;
}

export function validateByType(check: Check, options: ValidateOptions): Diagnostic[] {
  return typeOf(check).validate(check, options);
}

export function runAttempt(check: Check, ctx: AttemptContext): Promise<AttemptOutcome> {
  return typeOf(check).run(check, ctx);
}
