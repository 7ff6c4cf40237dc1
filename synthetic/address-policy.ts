// The SSRF guard. A check is an operator-written URL that Telltale fetches from inside the
// network, so where it may connect is decided here, on the address actually connected to:
// literal hosts before the request, resolved names inside the socket's `lookup`, every hop.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { isIP, isIPv4, type LookupFunction } from 'node:net';
import type { RunError } from './result-schema.ts';
import { runError } from './errors.ts';

/**
 * `TELLTALE_CHECKS_ALLOW_PRIVATE`: `false` allows public addresses only; `rfc1918` (default) also
 * RFC 1918, loopback and IPv6 ULA; `all` also shared/CGNAT 100.64/10 (Tailscale) and site-local.
 * Link-local, cloud metadata, unspecified, multicast and reserved addresses are refused under all three.
 */
export type AllowPrivate = 'false' | 'rfc1918' | 'all';
export interface AddressPolicy {
  allowPrivate: AllowPrivate;
  /**
   * Addresses or CIDR ranges allowed whatever `allowPrivate` says (one internal service under
   * `false`); they never open the always-refused classes.
   */
  allowAddresses?: readonly string[];
}
export const DEFAULT_ADDRESS_POLICY: AddressPolicy = { allowPrivate: 'rfc1918' };

export type AddressClass =
  | 'public' | 'loopback' | 'private' | 'shared' | 'link-local' | 'metadata' | 'unspecified' | 'multicast' | 'reserved';

const ALWAYS_REFUSED: ReadonlySet<AddressClass> = new Set(['link-local', 'metadata', 'unspecified', 'multicast', 'reserved']);
const ALLOWED_BY: Record<AllowPrivate, ReadonlySet<AddressClass>> = {
  false: new Set(['public']),
  rfc1918: new Set(['public', 'loopback', 'private']),
  all: new Set(['public', 'loopback', 'private', 'shared']),
};

/** Parses `TELLTALE_CHECKS_ALLOW_PRIVATE`; undefined for anything else so config can report it. */
export function parseAllowPrivate(value: string | undefined): AllowPrivate | undefined {
  if (value === undefined || value === '') return 'rfc1918';
  return value === 'false' || value === 'rfc1918' || value === 'all' ? value : undefined;
}

function v4Octets(ip: string): number[] {
  return ip.split('.').map((p) => Number(p));
}

function classifyV4(ip: string): AddressClass {
  const [a = 0, b = 0, c = 0, d = 0] = v4Octets(ip);
  if (a === 169 && b === 254) return c === 169 && d === 254 ? 'metadata' : 'link-local';
  if (a === 100 && b === 100 && c === 100 && d === 200) return 'metadata'; // Alibaba Cloud
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'shared';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  return 'public';
}

/** Eight 16-bit groups of an IPv6 address (with or without an embedded IPv4 tail), or null. */
export function ipv6Groups(address: string): number[] | null {
  const ip = address.replace(/%.*$/, '');
  if (isIP(ip) !== 6) return null;
  let text = ip;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = v4Octets(tail[1]);
    text = `${text.slice(0, -tail[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 ? groups : null;
}

function embeddedV4(g: number[]): string {
  const hi = g[6] ?? 0;
  const lo = g[7] ?? 0;
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function classifyV6(groups: number[]): AddressClass {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (firstFiveZero && g5 === 0 && g6 === 0) {
    if (g7 === 0) return 'unspecified';
    if (g7 === 1) return 'loopback';
  }
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the
  // IPv4 address they embed, so they are judged as that address.
  if (firstFiveZero && (g5 === 0xffff || g5 === 0)) return classifyV4(embeddedV4(groups));
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyV4(embeddedV4(groups));
  if (g0 === 0xfd00 && g1 === 0x0ec2 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 0x254) return 'metadata';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'shared'; // deprecated site-local
  if ((g0 & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** The class of a literal IP address; `reserved` for anything that is not one. */
export function classifyAddress(address: string): AddressClass {
  if (isIPv4(address)) return classifyV4(address);
  const groups = ipv6Groups(address);
  return groups ? classifyV6(groups) : 'reserved';
}

function bits(address: string): number[] | null {
  if (isIPv4(address)) return v4Octets(address).flatMap((o) => Array.from({ length: 8 }, (_, i) => (o >> (7 - i)) & 1));
  const groups = ipv6Groups(address);
  return groups ? groups.flatMap((g) => Array.from({ length: 16 }, (_, i) => (g >> (15 - i)) & 1)) : null;
}

/** True when `address` is `range` (an address) or inside it (a CIDR); families must match. */
export function inRange(address: string, range: string): boolean {
  const [base = '', prefix] = range.split('/');
  const a = bits(address.replace(/%.*$/, ''));
  const b = bits(base);
  if (!a || !b || a.length !== b.length) return false;
  const length = prefix === undefined ? b.length : Number(prefix);
  if (!Number.isInteger(length) || length < 0 || length > b.length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Null when the policy lets a check connect to `address`, else why not. */
export function addressRefusal(address: string, policy: AddressPolicy): string | null {
  const cls = classifyAddress(address);
  if (ALLOWED_BY[policy.allowPrivate].has(cls)) return null;
  if (!ALWAYS_REFUSED.has(cls) && policy.allowAddresses?.some((range) => inRange(address, range))) return null;
  const why = ALWAYS_REFUSED.has(cls) ? 'always refused' : `not allowed by TELLTALE_CHECKS_ALLOW_PRIVATE=${policy.allowPrivate}`;
  return `${address} is a ${cls} address (${why})`;
}

function blockedError(message: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(message);
  err.code = 'TELLTALE_ERR_ADDRESS_BLOCKED';
  return err;
}

/** Checks a host that may be an IP literal (bracketed or not); names are checked later, at lookup. */
export function checkHost(host: string, policy: AddressPolicy): RunError | null {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) === 0) return null;
  const refusal = addressRefusal(bare, policy);
  return refusal === null ? null : runError('address_blocked', refusal);
}

/**
 * Parses a check URL: only http and https, and an IP-literal host is judged as the address it is.
 * The WHATWG parser has already turned `0x7f000001`, `2130706433` and `0177.0.0.1` into `127.0.0.1`.
 */
export function checkUrl(raw: string, policy: AddressPolicy): { ok: true; url: URL } | { ok: false; error: RunError } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: runError('invalid_url', `not a valid URL: ${raw.slice(0, 200)}`) };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: runError('scheme_not_allowed', `scheme ${url.protocol} is not allowed; use http or https`) };
  }
  const hostError = checkHost(url.hostname, policy);
  return hostError ? { ok: false, error: hostError } : { ok: true, url };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for sockets that resolves with `base` (dns.lookup by default; tests inject one) and
 * keeps only permitted addresses, so the socket connects to an address that was checked, whatever
 * the name resolves to next time (DNS rebinding). No permitted address → an `address_blocked` error.
 * An injected `base` must answer `{ all: true }` calls with an array, as dns.lookup does.
 */
export function guardedLookup(policy: AddressPolicy, base?: LookupFunction): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    const onAddresses = (err: NodeJS.ErrnoException | null, found: string | LookupAddress[]) => {
      if (err) return callback(err, '');
      const all = typeof found === 'string' ? [{ address: found, family: isIP(found) }] : found;
      const refusals: string[] = [];
      const allowed = all.filter((a) => {
        const refusal = addressRefusal(a.address, policy);
        if (refusal) refusals.push(refusal);
        return refusal === null;
      });
      const first = allowed[0];
      if (!first) return callback(blockedError(`${hostname} resolves to ${refusals.join('; ') || 'no address'}`), '');
      if (options.all) return callback(null, allowed);
      callback(null, first.address, first.family);
    };
    const allOptions: LookupAllOptions = { ...options, all: true };
    if (base) base(hostname, allOptions, onAddresses);
    else dnsLookup(hostname, allOptions, onAddresses);
  };
}
