// A timed TCP (optionally TLS) connection for the tcp and tls check types: same address policy,
// same phase names as the HTTP engine, a hard deadline, and the socket closed before returning.
import { connect as netConnect, type LookupFunction, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import { checkHost, guardedLookup, type AddressPolicy } from './address-policy.ts';
import { runError, runErrorFromNode } from './errors.ts';
import { zeroPhases, type Phases, type RunError, type TlsInfo } from './result-schema.ts';
import { tlsInfoOf } from './http/tls-info.ts';

export interface ConnectOptions {
  host: string;
  port: number;
  /** Perform a TLS handshake after connecting (SNI = host unless it is an IP). */
  tls?: { servername?: string; ca?: string[] };
  deadline: number;
  policy: AddressPolicy;
  lookup?: LookupFunction;
  now: () => number;
}

export interface ConnectOutcome {
  phases: Phases;
  tls: TlsInfo | null;
  error: RunError | null;
}

const round = (ms: number) => Math.max(0, Math.round(ms * 1000) / 1000);

/** Connects, records the phases (and certificate), closes. Never rejects. */
export function timedConnect(options: ConnectOptions): Promise<ConnectOutcome> {
  const blocked = checkHost(options.host, options.policy);
  if (blocked) return Promise.resolve({ phases: zeroPhases(), tls: null, error: blocked });
  return new Promise((resolve) => {
    const t0 = performance.now();
    const marks: { lookup?: number; connect?: number; secure?: number } = {};
    let tls: TlsInfo | null = null;
    let settled = false;
    const host = options.host.replace(/^\[(.*)\]$/, '$1');
    const lookup = guardedLookup(options.policy, options.lookup);
    let socket: Socket | TLSSocket | undefined;
    const finish = (error: RunError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const end = performance.now();
      const phases = zeroPhases();
      phases.dnsMs = round((marks.lookup ?? t0) - t0);
      phases.connectMs = marks.connect === undefined ? 0 : round(marks.connect - (marks.lookup ?? t0));
      phases.tlsMs = marks.secure === undefined || marks.connect === undefined ? 0 : round(marks.secure - marks.connect);
      phases.totalMs = round(end - t0);
      socket?.destroy();
      resolve({ phases, tls, error });
    };
    const timer = setTimeout(() => finish(runError('timeout', `no ${options.tls ? 'TLS handshake' : 'connection'} before the timeout`)), Math.max(0, options.deadline - t0));
    try {
      const tlsOptions = options.tls;
      const servername = tlsOptions?.servername ?? (isIP(host) ? undefined : host);
      // The chain is judged from `authorized` afterwards, so a bad chain is reported, not just refused.
      const connected: Socket | TLSSocket = tlsOptions
        ? tlsConnect({
          host, port: options.port, lookup, rejectUnauthorized: false,
          ...(servername ? { servername } : {}), ...(tlsOptions.ca ? { ca: tlsOptions.ca } : {}),
        })
        : netConnect({ host, port: options.port, lookup });
      socket = connected;
      connected.once('secureConnect', () => {
        marks.secure = performance.now();
        tls = tlsInfoOf(connected as TLSSocket, options.now());
        finish(null);
      });
      connected.once('lookup', () => (marks.lookup = performance.now()));
      connected.once('connect', () => {
        marks.connect = performance.now();
        if (!tlsOptions) finish(null);
      });
      connected.on('error', (err) => finish(runErrorFromNode(err)));
    } catch (err) {
      // Bad options (a port out of range) are thrown synchronously by node:net.
      finish(runErrorFromNode(err));
    }
  });
}
