// Why a run failed, as a value. Codes are a closed set so alerts, the API and the dashboard can
// group failures without parsing messages; messages are for people and never carry secrets.
import type { RunError, RunErrorCode } from './result-schema.ts';

export function runError(code: RunErrorCode, message: string): RunError {
  return { code, message };
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'CERT_REVOKED',
]);

/** Maps a Node socket, DNS or HTTP-parser error to a run error; the code is the part people filter on. */
export function runErrorFromNode(err: unknown): RunError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'TELLTALE_ERR_ADDRESS_BLOCKED') return runError('address_blocked', message);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA' || code === 'ESERVFAIL' || code === 'ENONAME') {
    return runError('dns_failed', `DNS lookup failed (${code}): ${message}`);
  }
  if (code === 'ECONNREFUSED') return runError('connection_refused', message);
  if (code === 'ECONNRESET' || code === 'EPIPE' || message === 'socket hang up') return runError('connection_reset', message);
  if (code === 'ETIMEDOUT') return runError('timeout', message);
  if (code === 'HPE_HEADER_OVERFLOW') return runError('headers_too_large', 'response headers are larger than the header size limit');
  if (code.startsWith('HPE_')) return runError('protocol_error', `invalid HTTP response (${code})`);
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) return runError('tls_error', `${code}: ${message}`);
  return runError('network_error', code ? `${code}: ${message}` : message);
}
