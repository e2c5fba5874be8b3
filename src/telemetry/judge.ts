/** Judge each check's answer: one row per series for the report, one finding per series that fails or has no data. */
import type { Finding, Level } from '../kit/result.js';
import { compare } from '../perf/thresholds.js';
import type { Check, NoDataLevel } from './checks.js';
import type { QueryAnswer } from './prometheus.js';

export const TELEMETRY_RULES = {
  'check-failed': 'error',
  'no-data': 'error',
  /** Prometheus warns: an error that did not stop the query, so the value may rest on partial data. */
  'prometheus-warning': 'warning',
  /** A PromQL info annotation: a possible issue with the query that may be a false positive. */
  'prometheus-info': 'info',
} as const satisfies Record<string, Level>;

export type Outcome = 'pass' | 'fail' | 'no-data';

/** One line of the report: a check over one series (or the whole selection). */
export interface CheckRow {
  check: string;
  /** The series' labels (`route="/pets"`), empty for one value over everything. */
  series: string;
  query: string;
  /** In the check's unit (ms for latency); null for no data or NaN. */
  value: number | null;
  /** The value as Prometheus wrote it (before unit conversion), or '' when there was no series. */
  raw: string;
  /** The value for people: `0.52% (0.0052)`, `412 ms`. */
  shown: string;
  threshold: string;
  result: Outcome;
}

export interface Judged {
  rows: CheckRow[];
  findings: Finding[];
}

/** Labels as PromQL writes a selector, `__name__` left out; `by` (one label) alone shows its value only. */
export function seriesName(labels: Record<string, string>, by: string): string {
  const keys = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort();
  if (by && keys.length === 1 && keys[0] === by) return `${by}="${labels[by]}"`;
  return keys.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(', ');
}

function trim(n: number, digits: number): string {
  return String(Number(n.toPrecision(digits)));
}

export function showValue(c: Check, v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  switch (c.unit) {
    case 'ratio':
      return `${trim(v * 100, 3)}% (${trim(v, 4)})`;
    case 'ms':
      return `${Math.abs(v) >= 100 ? Math.round(v) : trim(v, 3)} ms`;
    case 'count':
      return trim(v, 6);
    case 'raw':
      return trim(v, 6);
  }
}

export function showThreshold(c: Check): string {
  const op = c.op === '===' ? '==' : c.op;
  switch (c.unit) {
    case 'ratio':
      return `${op} ${trim(c.limit, 6)} (${trim(c.limit * 100, 6)}%)`;
    case 'ms':
      return `${op} ${trim(c.limit, 6)} ms`;
    default:
      return `${op} ${trim(c.limit, 12)}`;
  }
}

const NO_DATA = 'no data — wrong metric/label or no traffic';

/**
 * Rows and findings for one check. `convert` turns a returned value into the check's unit.
 * An empty answer and NaN are never a pass: both are `no-data` findings at `noData`'s level.
 */
export function judgeAnswer(
  c: Check,
  query: string,
  answer: QueryAnswer,
  opts: { by: string; noData: NoDataLevel; window: string; convert: (v: number) => number },
): Judged {
  const rows: CheckRow[] = [];
  const findings: Finding[] = [];
  const threshold = showThreshold(c);
  const level: Level = c.noData ?? opts.noData;
  const data = (extra: Record<string, unknown>) => ({ check: c.name, threshold, query, window: opts.window, ...extra });
  for (const w of answer.warnings) {
    findings.push({ id: 'prometheus-warning', level: 'warning', message: `${c.name}: Prometheus warns: ${w} (the value may rest on partial data)`, data: data({}) });
  }
  for (const w of answer.infos ?? []) {
    findings.push({ id: 'prometheus-info', level: 'info', message: `${c.name}: Prometheus notes: ${w}`, data: data({}) });
  }
  if (answer.series.length === 0) {
    rows.push({ check: c.name, series: '', query, value: null, raw: '', shown: 'no series', threshold, result: 'no-data' });
    findings.push({
      id: 'no-data',
      level,
      message: `${c.name}: ${NO_DATA}: the query returned no series in the last ${opts.window} (query: ${query})`,
      data: data({ value: null }),
    });
    return { rows, findings };
  }
  const series = [...answer.series].sort((a, b) => {
    const x = seriesName(a.labels, opts.by);
    const y = seriesName(b.labels, opts.by);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const s of series) {
    const name = seriesName(s.labels, opts.by);
    // The finding's operation: the `by` labels' values (`GET /pets` for `by: method,route`), else the series.
    const byLabels = opts.by ? opts.by.split(',') : [];
    const operation = byLabels.length && byLabels.every((l) => s.labels[l] !== undefined) ? byLabels.map((l) => s.labels[l]).join(' ') : name || undefined;
    const where = name ? ` for ${name}` : '';
    const value = opts.convert(s.value);
    const shown = showValue(c, value);
    const base = { check: c.name, series: name, query, raw: s.raw, shown, threshold };
    const at = operation !== undefined ? { operation } : {};
    if (Number.isNaN(value)) {
      rows.push({ ...base, value: null, result: 'no-data' });
      const why = c.kind === 'promql' ? 'the value is NaN' : 'the value is NaN (0/0: no requests in the window)';
      findings.push({
        id: 'no-data',
        level,
        message: `${c.name}${where}: ${NO_DATA}: ${why} (query: ${query})`,
        ...at,
        data: data({ series: name, value: null, raw: s.raw }),
      });
      continue;
    }
    const ok = compare(value, c.op, c.limit);
    rows.push({ ...base, value: Number.isFinite(value) ? value : null, result: ok ? 'pass' : 'fail' });
    if (ok) continue;
    const above = value === Number.POSITIVE_INFINITY && c.kind === 'percentile' ? " (above the histogram's highest finite bucket)" : '';
    findings.push({
      id: 'check-failed',
      level: 'error',
      message: `${c.name}${where} is ${shown}${above}, the budget is ${threshold} (query: ${query})`,
      ...at,
      data: data({ series: name, value: Number.isFinite(value) ? value : s.raw, raw: s.raw }),
    });
  }
  return { rows, findings };
}
