// The peer certificate of a TLS socket as a run records it; shared by https requests and tls checks.
import type { TLSSocket } from 'node:tls';
import type { TlsInfo } from '../result-schema.ts';

const DAY_MS = 86_400_000;

function distinguishedName(name: unknown): string {
  if (typeof name !== 'object' || name === null) return '';
  return Object.entries(name as Record<string, unknown>)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/** Reads the leaf certificate after the handshake; null when the peer sent none. */
export function tlsInfoOf(socket: TLSSocket, nowMs: number): TlsInfo | null {
  const cert = socket.getPeerCertificate();
  if (!cert || typeof cert.valid_to !== 'string') return null;
  const validToMs = Date.parse(cert.valid_to);
  const error = socket.authorizationError as Error | string | null | undefined;
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    validFromMs: Date.parse(cert.valid_from),
    validToMs,
    daysLeft: Math.round(((validToMs - nowMs) / DAY_MS) * 1000) / 1000,
    authorized: socket.authorized,
    authorizationError: error ? String(error instanceof Error ? error.message : error) : null,
  };
}
