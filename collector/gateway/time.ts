// Timestamps by hand: Date.parse accepts too much (and differs across engines) and too little
// (nanosecond fractions, the access-log `10/Oct/2026:13:55:36 +0200` form). Every parser here
// returns epoch ms as an integer, or NaN for a malformed value.

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const CLF_LENGTH = 26;
const MAX_OFFSET_MINUTES = 18 * 60;

function digitsAt(text: string, pos: number, count: number): number {
  let value = 0;
  for (let i = pos; i < pos + count; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

// Years before 1970 are refused: no access log is that old, and Date.UTC would read `0026` as 1926.
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  if (year < 1970 || month < 0 || month > 11 || day < 1 || day > (DAYS_IN_MONTH[month] ?? 0)) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return NaN;
  return Date.UTC(year, month, day, hour, minute, second);
}

/** `10/Oct/2026:13:55:36 +0200` (nginx `$time_local`, AWS `requestTime`) in text[start, end). */
export function clfTimeAt(text: string, start: number, end: number): number {
  if (end - start !== CLF_LENGTH) return NaN;
  if (text.charCodeAt(start + 2) !== 0x2f || text.charCodeAt(start + 6) !== 0x2f || text.charCodeAt(start + 11) !== 0x3a) return NaN;
  if (text.charCodeAt(start + 14) !== 0x3a || text.charCodeAt(start + 17) !== 0x3a || text.charCodeAt(start + 20) !== 0x20) return NaN;
  const month = MONTHS[text.slice(start + 3, start + 6)];
  if (month === undefined) return NaN;
  const sign = text.charCodeAt(start + 21);
  const offsetHours = digitsAt(text, start + 22, 2);
  const offsetMinutes = digitsAt(text, start + 24, 2);
  if ((sign !== 0x2b && sign !== 0x2d) || offsetHours < 0 || offsetMinutes < 0) return NaN;
  const offset = offsetHours * 60 + offsetMinutes;
  if (offset > MAX_OFFSET_MINUTES) return NaN;
  const local = utcMs(
    digitsAt(text, start + 7, 4), month, digitsAt(text, start, 2),
    digitsAt(text, start + 12, 2), digitsAt(text, start + 15, 2), digitsAt(text, start + 18, 2),
  );
  return local - (sign === 0x2d ? -offset : offset) * 60_000;
}

/**
 * ISO-8601 / RFC 3339 in text[start, end): `2026-11-26T10:00:00.123456789Z`, `…+02:00`, `…+0200`;
 * a space may stand for the `T`. Fractions beyond milliseconds are dropped; no zone means UTC.
 */
export function isoTimeAt(text: string, start: number, end: number): number {
  if (end - start < 19) return NaN;
  const t = text.charCodeAt(start + 10);
  if (text.charCodeAt(start + 4) !== 0x2d || text.charCodeAt(start + 7) !== 0x2d || (t !== 0x54 && t !== 0x74 && t !== 0x20)) return NaN;
  if (text.charCodeAt(start + 13) !== 0x3a || text.charCodeAt(start + 16) !== 0x3a) return NaN;
  let pos = start + 19;
  let ms = 0;
  const dot = text.charCodeAt(pos);
  if (pos < end && (dot === 0x2e || dot === 0x2c)) {
    pos++;
    let places = 0;
    for (let c = text.charCodeAt(pos); pos < end && c >= 0x30 && c <= 0x39; c = text.charCodeAt(++pos)) {
      if (places < 3) ms = ms * 10 + (c - 0x30);
      places++;
    }
    if (places === 0) return NaN;
    for (; places < 3; places++) ms *= 10;
  }
  let offset = 0;
  if (pos < end) {
    const zone = text.charCodeAt(pos);
    if (zone === 0x5a || zone === 0x7a) {
      pos++;
    } else if (zone === 0x2b || zone === 0x2d) {
      const hours = digitsAt(text, pos + 1, 2);
      const colon = text.charCodeAt(pos + 3) === 0x3a ? 1 : 0;
      const minutes = pos + 3 >= end ? 0 : digitsAt(text, pos + 3 + colon, 2);
      if (hours < 0 || minutes < 0 || hours * 60 + minutes > MAX_OFFSET_MINUTES) return NaN;
      offset = (zone === 0x2d ? -1 : 1) * (hours * 60 + minutes);
      pos += pos + 3 >= end ? 3 : 5 + colon;
    } else {
      return NaN;
    }
  }
  if (pos !== end) return NaN;
  const local = utcMs(
    digitsAt(text, start, 4), digitsAt(text, start + 5, 2) - 1, digitsAt(text, start + 8, 2),
    digitsAt(text, start + 11, 2), digitsAt(text, start + 14, 2), digitsAt(text, start + 17, 2),
  );
  return local + ms - offset * 60_000;
}

/**
 * An epoch number in unknown units, told apart by magnitude: below 1e11 it is seconds (good
 * until the year 5138), below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds;
 * rounded to the nearest ms (a nanosecond epoch is beyond 2^53 and no longer exact).
 */
export function epochToMs(value: number): number {
  if (!Number.isFinite(value) || value < 0) return NaN;
  if (value < 1e11) return Math.round(value * 1000);
  if (value < 1e14) return Math.round(value);
  if (value < 1e17) return Math.round(value / 1e3);
  return Math.round(value / 1e6);
}

/**
 * Remembers the last timestamp text and its value. Consecutive access-log lines mostly share
 * their second, so the parse runs once per distinct second, not once per line.
 */
export class TimeCache {
  private key = '';
  private value = NaN;

  constructor(private readonly parse: (text: string, start: number, end: number) => number) {}

  /** The epoch ms of text[start, end), parsed only when it differs from the last one. */
  at(text: string, start: number, end: number): number {
    if (end - start === this.key.length && text.startsWith(this.key, start)) return this.value;
    const value = this.parse(text, start, end);
    if (!Number.isNaN(value)) {
      this.key = text.slice(start, end);
      this.value = value;
    }
    return value;
  }
}
