/**
 * Durations as Prometheus writes them (`15m`, `1h30m`, `90s`, `500ms`) and points in time (RFC 3339 or
 * Unix seconds, as the HTTP API's `time` parameter takes them).
 */
import { InputError } from '../kit/errors.js';

const UNIT_MS: Record<string, number> = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
const PART = /(\d+)(ms|y|w|d|h|m|s)/y;

/** Milliseconds of a Prometheus duration; units in order from y down to ms, each at most once. */
export function parseDuration(v: string, field: string): number {
  const s = v.trim();
  const bad = () => new InputError(`${field}: '${v}' is not a duration: expected a number and a unit (ms, s, m, h, d, w, y), e.g. 15m, 1h30m, 90s`, { field });
  if (!s) throw bad();
  PART.lastIndex = 0;
  let ms = 0;
  let last = -1;
  while (PART.lastIndex < s.length) {
    const m = PART.exec(s);
    if (!m) throw bad();
    const rank = ORDER.indexOf(m[2]!);
    if (rank <= last) throw bad();
    last = rank;
    ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  if (!Number.isSafeInteger(ms)) throw bad();
  return ms;
}

/** The shortest Prometheus duration for whole milliseconds: 900000 → `15m`, 330000 → `5m30s`. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const size = UNIT_MS[unit]!;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** An instant: RFC 3339 (`2026-05-01T10:00:00Z`) or Unix seconds (`1777629600`, fractions allowed). Milliseconds since the epoch. */
export function parseInstant(v: string, field: string): number {
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
  const t = rfc3339.test(s) ? Date.parse(s.replace(' ', 'T')) : NaN;
  if (Number.isNaN(t)) {
    throw new InputError(`${field}: '${v}' is not a time: expected RFC 3339 (2026-05-01T10:00:00Z) or Unix seconds`, { field });
  }
  return t;
}
