// Low-level scanning over [start, end) ranges of a line. Everything here walks a range once and
// allocates only the strings it returns, so the text parsers stay linear and cheap per line.

const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']);
/** What the HTTP semantic conventions call a method Telltale does not know. */
export const OTHER_METHOD = '_OTHER';
/** Returned by the number scanners for a `-` or empty value: the gateway had nothing to log. */
export const ABSENT = -1;

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
// 15 digits keep every mantissa exact in a double.
const MAX_DIGITS = 15;

/** The canonical method for text[start, end); the common upper-case methods cost no allocation. */
export function methodAt(text: string, start: number, end: number): string {
  switch (end - start) {
    case 3:
      if (text.startsWith('GET', start)) return 'GET';
      if (text.startsWith('PUT', start)) return 'PUT';
      break;
    case 4:
      if (text.startsWith('POST', start)) return 'POST';
      if (text.startsWith('HEAD', start)) return 'HEAD';
      break;
    case 6:
      if (text.startsWith('DELETE', start)) return 'DELETE';
      break;
    case 0:
      return OTHER_METHOD;
    default:
      if (end - start > 7) return OTHER_METHOD;
  }
  const upper = text.slice(start, end).toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : OTHER_METHOD;
}

/** The canonical method for a whole string. */
export function methodOf(value: string): string {
  return methodAt(value, 0, value.length);
}

/**
 * The path of a request target in text[start, end), without query or fragment. Origin-form
 * (`/a?b`) keeps its path, absolute-form (`http://h/a`, forward proxies) yields `/a`; anything
 * else — `*`, `host:443` for CONNECT, garbage — has no path and becomes `/`.
 */
export function pathAt(text: string, start: number, end: number): string {
  if (start >= end) return '/';
  let from = start;
  if (text.charCodeAt(start) !== 0x2f) {
    const scheme = text.indexOf('://', start);
    if (scheme === -1 || scheme >= end || scheme - start > 16) return '/';
    from = text.indexOf('/', scheme + 3);
    if (from === -1 || from >= end) return '/';
  }
  // indexOf runs as a native scan, several times faster than a charCodeAt loop; a hit past `end`
  // belongs to another field and is ignored.
  let to = text.indexOf('?', from);
  if (to === -1 || to > end) to = end;
  const hash = text.indexOf('#', from);
  if (hash !== -1 && hash < to) to = hash;
  return to === from ? '/' : text.slice(from, to);
}

/** The path of a whole request target string. */
export function pathOf(target: string): string {
  return pathAt(target, 0, target.length);
}

/** Where the request line's method and path go; reused across lines so splitting allocates nothing. */
export interface RequestParts {
  method: string;
  path: string;
}

/**
 * Splits `METHOD target PROTOCOL` in text[start, end). A line without a space (`-`, a TLS
 * handshake) has no method Telltale knows and no path: `_OTHER` and `/`. A missing protocol
 * (HTTP/0.9 style) is fine; a target with spaces keeps everything up to the protocol.
 */
export function splitRequestLine(text: string, start: number, end: number, out: RequestParts): void {
  let space = text.indexOf(' ', start);
  if (space === -1 || space >= end) {
    out.method = OTHER_METHOD;
    out.path = '/';
    return;
  }
  out.method = methodAt(text, start, space);
  while (space < end && text.charCodeAt(space) === 0x20) space++;
  let targetEnd = end;
  const last = text.lastIndexOf(' ', end - 1);
  if (last >= space && text.startsWith('HTTP/', last + 1)) {
    targetEnd = last;
    while (targetEnd > space && text.charCodeAt(targetEnd - 1) === 0x20) targetEnd--;
  }
  out.path = pathAt(text, space, targetEnd);
}

/** True when text[start, end) is a lone `-`, what nginx, Envoy and AWS write for "no value". */
export function isDashAt(text: string, start: number, end: number): boolean {
  return end - start === 1 && text.charCodeAt(start) === 0x2d;
}

/**
 * A non-negative decimal (`12`, `0.123`) in text[start, end), multiplied by 10^scale exactly
 * (scale 3 turns seconds into ms without 0.123 * 1000 = 123.00000000000001). ABSENT for `-` or
 * an empty range, NaN for anything else that is not a number.
 */
export function decimalAt(text: string, start: number, end: number, scale: number): number {
  if (start >= end || isDashAt(text, start, end)) return ABSENT;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (++digits > MAX_DIGITS) return NaN;
      mantissa = mantissa * 10 + (c - 0x30);
      if (fraction >= 0) fraction++;
    } else if (c === 0x2e && fraction === -1) {
      fraction = 0;
    } else {
      return NaN;
    }
  }
  if (digits === 0) return NaN;
  const places = fraction === -1 ? 0 : fraction;
  return places <= scale ? mantissa * (POW10[scale - places] ?? 1) : mantissa / (POW10[places - scale] ?? 1);
}

/**
 * The sum of a list of decimals such as nginx `$upstream_response_time`: `0.010, 0.020` for
 * retries, `0.010 : 0.020` across internal redirects, `-` for an upstream never reached. Every
 * attempt cost time, so they add up. ABSENT when no entry has a number.
 */
export function decimalListAt(text: string, start: number, end: number, scale: number): number {
  let total = ABSENT;
  let i = start;
  while (i < end) {
    let c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x2c || c === 0x3a) {
      i++;
      continue;
    }
    const from = i;
    while (i < end && (c = text.charCodeAt(i)) > 0x20 && c !== 0x2c && c !== 0x3a) i++;
    const value = decimalAt(text, from, i, scale);
    if (Number.isNaN(value)) return NaN;
    if (value !== ABSENT) total = total === ABSENT ? value : total + value;
  }
  return total;
}

/** The first entry of an `X-Forwarded-For` list: the original client as the first proxy saw it. */
export function firstForwardedFor(value: string): string | null {
  const comma = value.indexOf(',');
  const first = (comma === -1 ? value : value.slice(0, comma)).trim();
  return first === '' || first === '-' ? null : first;
}

let utf8: TextDecoder | undefined;

function hexAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

function byteAt(text: string, i: number, end: number): number {
  if (i + 4 > end) return -1;
  if (text.charCodeAt(i) !== 0x5c || text.charCodeAt(i + 1) !== 0x78) return -1;
  const high = hexAt(text, i + 2);
  const low = hexAt(text, i + 3);
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

/**
 * Undoes nginx's access-log escaping in text[start, end): `\xHH` for `"`, `\` and every byte
 * outside printable ASCII (runs of them are UTF-8, decoded with U+FFFD for invalid sequences),
 * plus `\"`, `\\` and `\uXXXX` from `escape=json`. An unknown escape is kept as written.
 */
export function decodeEscapes(text: string, start: number, end: number): string {
  let out = '';
  let run = start;
  let i = start;
  while (i < end) {
    if (text.charCodeAt(i) !== 0x5c) {
      i++;
      continue;
    }
    out += text.slice(run, i);
    const next = text.charCodeAt(i + 1);
    if (next === 0x78 && byteAt(text, i, end) >= 0) {
      const bytes: number[] = [];
      let byte: number;
      while ((byte = byteAt(text, i, end)) >= 0) {
        bytes.push(byte);
        i += 4;
      }
      utf8 ??= new TextDecoder('utf-8');
      out += utf8.decode(Uint8Array.from(bytes));
    } else if ((next === 0x22 || next === 0x5c) && i + 1 < end) {
      out += next === 0x22 ? '"' : '\\';
      i += 2;
    } else if (next === 0x75 && i + 5 < end && hexAt(text, i + 2) >= 0 && hexAt(text, i + 3) >= 0 && hexAt(text, i + 4) >= 0 && hexAt(text, i + 5) >= 0) {
      out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      out += '\\';
      i += 1;
    }
    run = i;
  }
  return out + text.slice(run, end);
}
