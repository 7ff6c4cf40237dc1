// The HTTP engine: one request over node:http/https on a fresh socket (no keep-alive, so every
// run pays and measures DNS, connect and TLS), timed from socket events, bounded in time, body
// size and header size, with redirects followed hop by hop through the address policy.
import { request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { checkUrl, guardedLookup, type AddressPolicy } from '../address-policy.ts';
import { runError, runErrorFromNode } from '../errors.ts';
import { addPhases, zeroPhases, type Phases, type RunError, type TlsInfo } from '../result-schema.ts';
import { tlsInfoOf } from './tls-info.ts';

export interface EngineRequest {
  method: string;
  url: string;
  /** Lower-case names; the engine adds nothing but `content-length` and, on redirects, drops credentials. */
  headers: Record<string, string>;
  body?: Buffer;
}

export interface EngineOptions {
  /** Absolute deadline on the `performance.now()` clock; the whole exchange, redirects included, ends by then. */
  deadline: number;
  maxResponseBytes: number;
  maxHeaderSize: number;
  followRedirects: boolean;
  maxRedirects: number;
  tlsVerify: boolean;
  /** Extra trusted CA certificates (PEM), e.g. an internal CA. */
  ca?: string[];
  policy: AddressPolicy;
  /** Name resolution (dns.lookup by default); always wrapped by the address policy. */
  lookup?: LookupFunction;
  /** Wall clock for the certificate's days left. */
  now: () => number;
}

export interface EngineResponse {
  statusCode: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
  redirects: string[];
  tls: TlsInfo | null;
}

/** `response` is set whenever headers arrived, even if the body then failed (size cap, timeout). */
export interface EngineOutcome {
  phases: Phases;
  response: EngineResponse | null;
  error: RunError | null;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
const round = (ms: number) => Math.max(0, Math.round(ms * 1000) / 1000);

function joinHeaders(raw: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

interface Hop {
  phases: Phases;
  response: EngineResponse | null;
  error: RunError | null;
}

/** One request on one socket. Never rejects. */
function hop(req: EngineRequest, url: URL, options: EngineOptions, lookup: LookupFunction): Promise<Hop> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const marks: { lookup?: number; connect?: number; secure?: number; response?: number } = {};
    let tls: TlsInfo | null = null;
    let response: EngineResponse | null = null;
    let settled = false;
    let client: ClientRequest | undefined;
    let incoming: IncomingMessage | undefined;

    const finish = (error: RunError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const end = performance.now();
      const connectStart = marks.lookup ?? t0;
      const beforeFirstByte = marks.secure ?? marks.connect ?? t0;
      const phases: Phases = {
        dnsMs: round((marks.lookup ?? t0) - t0),
        connectMs: marks.connect === undefined ? 0 : round(marks.connect - connectStart),
        tlsMs: marks.secure === undefined || marks.connect === undefined ? 0 : round(marks.secure - marks.connect),
        firstByteMs: marks.response === undefined ? 0 : round(marks.response - beforeFirstByte),
        downloadMs: marks.response === undefined ? 0 : round(end - marks.response),
        totalMs: round(end - t0),
      };
      // Destroying the request also destroys its socket: a trickling or oversized target is cut off here.
      if (error) {
        incoming?.destroy();
        client?.destroy();
      }
      resolve({ phases, response, error });
    };

    const timer = setTimeout(() => finish(runError('timeout', 'no complete response before the timeout')), Math.max(0, options.deadline - t0));

    const headers: OutgoingHttpHeaders = { ...req.headers };
    if (req.body) headers['content-length'] = req.body.length;
    const requestOptions = {
      method: req.method, headers, agent: false as const, lookup, maxHeaderSize: options.maxHeaderSize,
      rejectUnauthorized: options.tlsVerify, ...(options.ca ? { ca: options.ca } : {}),
    };
    try {
      client = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, requestOptions);
    } catch (err) {
      // Invalid header values and the like are thrown synchronously by node:http.
      finish(runError('network_error', (err as Error).message));
      return;
    }
    client.on('socket', (socket: Socket) => {
      socket.once('lookup', () => (marks.lookup = performance.now()));
      socket.once('connect', () => (marks.connect = performance.now()));
      socket.once('secureConnect', () => {
        marks.secure = performance.now();
        tls = tlsInfoOf(socket as TLSSocket, options.now());
      });
    });
    client.on('error', (err) => finish(runErrorFromNode(err)));
    client.on('response', (res) => {
      incoming = res;
      marks.response = performance.now();
      const status = res.statusCode ?? 0;
      const resHeaders = joinHeaders(res.headers);
      response = { statusCode: status, headers: resHeaders, body: Buffer.alloc(0), url: url.href, redirects: [], tls };
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
        finish(runError('response_too_large', `content-length ${declared} is over the ${options.maxResponseBytes}-byte limit`));
        return;
      }
      if (options.followRedirects && REDIRECTS.has(status) && res.headers.location) {
        // A redirect's body is not read; the next hop starts on a new socket.
        res.destroy();
        finish(null);
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > options.maxResponseBytes) {
          finish(runError('response_too_large', `body is over the ${options.maxResponseBytes}-byte limit`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (response) response.body = Buffer.concat(chunks, received);
        finish(null);
      });
      res.on('error', (err) => finish(runErrorFromNode(err)));
      res.on('close', () => {
        if (!res.complete) finish(runError('connection_reset', 'the connection closed before the body was complete'));
      });
    });
    client.end(req.body);
  });
}

/** The request a redirect leads to: 303 (and 301/302 after a POST) become GET; credentials stay on their origin. */
function redirected(req: EngineRequest, status: number, from: URL, to: URL): EngineRequest {
  const toGet = status === 303 ? req.method !== 'HEAD' : (status === 301 || status === 302) && req.method === 'POST';
  const headers = { ...req.headers };
  if (to.origin !== from.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
  if (!toGet) return { ...req, url: to.href, headers };
  delete headers['content-type'];
  return { method: 'GET', url: to.href, headers };
}

/**
 * Performs a request, following redirects up to the cap; every hop's URL and resolved address go
 * through the address policy. Phases are summed over hops. Never rejects: failures are values.
 */
export async function performRequest(req: EngineRequest, options: EngineOptions): Promise<EngineOutcome> {
  const lookup = guardedLookup(options.policy, options.lookup);
  let phases = zeroPhases();
  let current = req;
  const redirects: string[] = [];
  // When a later hop is refused or fails, the run still reports the last response it did get.
  let previous: EngineResponse | null = null;
  for (;;) {
    const checked = checkUrl(current.url, options.policy);
    if (!checked.ok) return { phases, response: previous, error: checked.error };
    const result = await hop(current, checked.url, options, lookup);
    phases = addPhases(phases, result.phases);
    const res: EngineResponse | null = result.response ?? previous;
    if (res) res.redirects = redirects;
    const location = result.response?.headers.location;
    if (result.error || !res || !options.followRedirects || !REDIRECTS.has(res.statusCode) || !location) {
      return { phases, response: res, error: result.error };
    }
    if (redirects.length >= options.maxRedirects) {
      return { phases, response: res, error: runError('too_many_redirects', `more than ${options.maxRedirects} redirects`) };
    }
    let next: URL;
    try {
      next = new URL(location, checked.url);
    } catch {
      return { phases, response: res, error: runError('invalid_url', `redirect to an invalid URL: ${location.slice(0, 200)}`) };
    }
    redirects.push(next.href);
    previous = res;
    current = redirected(current, res.statusCode, checked.url, next);
  }
}
