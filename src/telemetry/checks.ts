/**
 * What the telemetry gate checks: ready-made checks written like k6 thresholds (`error-rate<0.01`,
 * `p95<300ms`, `avg<200ms`, `requests>=100`) that become PromQL over a request counter and a
 * latency histogram, and raw PromQL checks (`{name, query, threshold: <0.01}`). The comparison
 * is k6's: the expression after the name is read by the perf gate's threshold parser.
 */
import { parse as parseYaml } from 'yaml';
import { InputError } from '../kit/errors.js';
import { parseExpression, type Op } from '../perf/thresholds.js';

export type CheckKind = 'error-rate' | 'percentile' | 'avg' | 'requests' | 'promql';
export type NoDataLevel = 'error' | 'warning';

/** How a check's value is shown: a ratio (also as a percentage), milliseconds, a count, or as returned. */
export type ValueUnit = 'ratio' | 'ms' | 'count' | 'raw';

export interface Check {
  /** `error-rate`, `p95`, `avg`, `requests`, or a PromQL check's own name. */
  name: string;
  kind: CheckKind;
  /** The check as written (`p95<300ms`), or the PromQL check's threshold. */
  source: string;
  op: Op;
  /** The limit, in the unit of `unit` (milliseconds for latency). */
  limit: number;
  unit: ValueUnit;
  /** For `pN`: N (0–100). */
  percentile?: number;
  /** A PromQL check's query, `$window` and `$selector` not yet replaced. */
  query?: string;
  /** A PromQL check's own level for an answer without data. */
  noData?: NoDataLevel;
}

/** The metric and label names the ready-made checks are built from. */
export interface MetricNames {
  /** Counter of requests with a status label, e.g. `http_requests_total`. */
  requests: string;
  /** The status label on it, e.g. `code` (Prometheus client libraries) or `status`. */
  statusLabel: string;
  /** Regex (RE2, fully anchored by Prometheus) on the status label that counts as an error. */
  errorStatus: string;
  /** Histogram base name, e.g. `http_request_duration_seconds` (`_bucket`, `_sum`, `_count` are added). */
  duration: string;
  /** The histogram's unit. */
  durationUnit: 'seconds' | 'milliseconds';
}

export const DEFAULT_NAMES: MetricNames = {
  requests: 'http_requests_total',
  statusLabel: 'code',
  errorStatus: '5..',
  duration: 'http_request_duration_seconds',
  durationUnit: 'seconds',
};

/** Where and how the ready-made checks look: the label selector, the grouping label, the window. */
export interface Scope {
  /** Label matchers without braces: `service="pets",env="prod"`; empty: every series. */
  selector: string;
  /** Labels to judge each combination of values of separately, comma-separated (`route`, `method,route`); empty: one value over everything. */
  by: string;
  /** Prometheus range, e.g. `15m`. */
  window: string;
}

const READY = /^\s*(error-rate|errors|avg|requests|p\(\s*[^)]*\)|p[0-9.]+)\s*(===|==|!=|<=|>=|<|>)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(%|ms|us|µs|μs|s)?\s*$/i;

export const READY_HELP = 'error-rate<0.01 (or <1%), p95<300ms (p(99)<1s, p99<500us, any percentile), avg<200ms, requests>=100';

/**
 * One ready-made check. The aggregation and the number go through the perf gate's k6 threshold
 * parser (`rate<0.01`, `p(95)<300`, `avg<200`, `count>=100`), so limits and percentiles are read the
 * same way in both gates; latency limits without a unit are milliseconds, as in k6.
 */
export function parseReadyCheck(text: string, field = 'checks'): Check {
  const m = READY.exec(text);
  const bad = (why = '') => new InputError(`${field}: '${text.trim()}' is not a check${why}: expected ${READY_HELP}, or a PromQL check {name, query, threshold}`, { field });
  if (!m) throw bad();
  const [, rawName, op, num, suffix] = m;
  const name = rawName!.toLowerCase().replace(/\s+/g, '');
  const kind: CheckKind = name === 'error-rate' || name === 'errors' ? 'error-rate' : name === 'avg' ? 'avg' : name === 'requests' ? 'requests' : 'percentile';
  const aggregation = kind === 'error-rate' ? 'rate' : kind === 'avg' ? 'avg' : kind === 'requests' ? 'count' : name.startsWith('p(') ? name : `p(${name.slice(1)})`;
  let t;
  try {
    t = parseExpression('telemetry', `${aggregation}${op}${num}`);
  } catch (e) {
    throw bad(` (${(e as Error).message.replace(/^'[^']*'(: )?/, '')})`);
  }
  const unit = suffix?.toLowerCase().replace(/^[µμ]s$/, 'us');
  let limit = t.value;
  if (kind === 'error-rate') {
    if (unit && unit !== '%') throw bad(' (an error rate has no time unit)');
    if (unit === '%') limit = t.value / 100;
  } else if (kind === 'requests') {
    if (unit) throw bad(' (requests is a count: no unit)');
  } else {
    if (unit === '%') throw bad(' (a latency is a time: ms or s)');
    if (unit === 's') limit = t.value * 1000;
    if (unit === 'us') limit = t.value / 1000;
  }
  const shown = kind === 'percentile' ? `p${t.percentile}` : kind === 'error-rate' ? 'error-rate' : kind;
  return {
    name: shown,
    kind,
    source: text.trim(),
    op: t.op,
    limit,
    unit: kind === 'error-rate' ? 'ratio' : kind === 'requests' ? 'count' : 'ms',
    ...(t.percentile !== undefined ? { percentile: t.percentile } : {}),
  };
}

/** A PromQL check: `{name, query, threshold: '<0.01', no-data?: error|warning}`. */
export function parsePromqlCheck(v: Record<string, unknown>, field: string): Check {
  const known = new Set(['name', 'query', 'threshold', 'no-data']);
  const extra = Object.keys(v).filter((k) => !known.has(k));
  if (extra.length) throw new InputError(`${field}: unknown key '${extra[0]}' in a PromQL check (expected name, query, threshold, no-data)`, { field });
  const name = typeof v.name === 'string' ? v.name.trim() : '';
  if (!name) throw new InputError(`${field}: a PromQL check needs a name`, { field });
  const query = typeof v.query === 'string' ? v.query.trim() : '';
  if (!query) throw new InputError(`${field}: check '${name}' needs a query (PromQL)`, { field });
  const threshold = typeof v.threshold === 'number' ? `<=${v.threshold}` : typeof v.threshold === 'string' ? v.threshold.trim() : '';
  if (!threshold) throw new InputError(`${field}: check '${name}' needs a threshold such as '<0.01' or '>=100'`, { field });
  let t;
  try {
    t = parseExpression(name, `value${threshold}`);
  } catch {
    throw new InputError(`${field}: check '${name}': threshold '${threshold}' is not <op><number> (operators < <= > >= == !=), e.g. '<0.01'`, { field });
  }
  let noData: NoDataLevel | undefined;
  if (v['no-data'] !== undefined) {
    if (v['no-data'] !== 'error' && v['no-data'] !== 'warning') {
      throw new InputError(`${field}: check '${name}': no-data is '${String(v['no-data'])}', expected error or warning`, { field });
    }
    noData = v['no-data'];
  }
  return { name, kind: 'promql', source: threshold, op: t.op, limit: t.value, unit: 'raw', query, ...(noData ? { noData } : {}) };
}

/** One entry of a checks list: a ready-made string or a PromQL mapping. */
export function parseCheckEntry(v: unknown, field: string): Check {
  if (typeof v === 'string') return parseReadyCheck(v, field);
  if (v && typeof v === 'object' && !Array.isArray(v)) return parsePromqlCheck(v as Record<string, unknown>, field);
  throw new InputError(`${field}: each check is a string such as 'p95<300ms' or a mapping {name, query, threshold}`, { field });
}

/**
 * The checks input: a YAML list (strings and PromQL mappings), or ready-made checks one per line or
 * separated by commas.
 */
export function parseChecksText(text: string | undefined, field = 'checks'): Check[] {
  const s = (text ?? '').trim();
  if (!s) return [];
  if (/^-(\s|$)/.test(s) || s.startsWith('[')) {
    let list: unknown;
    try {
      list = parseYaml(s);
    } catch (e) {
      throw new InputError(`${field}: not a YAML list: ${(e as Error).message.split('\n')[0]}`, { field });
    }
    if (!Array.isArray(list)) throw new InputError(`${field}: expected a YAML list of checks`, { field });
    return list.map((v) => parseCheckEntry(v, field));
  }
  return s
    .split(/\r?\n|,/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => parseReadyCheck(l, field));
}

/** `name{a,b}`: a metric selector from the scope's matchers and the check's own. */
function series(metric: string, ...matchers: string[]): string {
  const all = matchers.map((m) => m.trim()).filter(Boolean);
  return `${metric}{${all.join(',')}}`;
}

function sumBy(expr: string, labels: string[]): string {
  return labels.length ? `sum by (${labels.join(', ')}) (${expr})` : `sum(${expr})`;
}

/** The PromQL a check runs. Ready-made checks are built from the names; PromQL checks get $window and $selector replaced. */
export function queryFor(c: Check, names: MetricNames, scope: Scope): string {
  const by = scope.by ? scope.by.split(',') : [];
  const w = scope.window;
  const sel = scope.selector;
  const all = sumBy(`rate(${series(names.requests, sel)}[${w}])`, by);
  switch (c.kind) {
    case 'error-rate': {
      // Where no error series exists yet the numerator is empty: `or … * 0` makes it 0 rather than no data.
      const errors = sumBy(`rate(${series(names.requests, sel, `${names.statusLabel}=~${promString(names.errorStatus)}`)}[${w}])`, by);
      return `(${errors} or ${all} * 0) / ${all}`;
    }
    case 'percentile':
      return `histogram_quantile(${Number((c.percentile! / 100).toPrecision(12))}, ${sumBy(`rate(${series(`${names.duration}_bucket`, sel)}[${w}])`, ['le', ...by])})`;
    case 'avg':
      return `${sumBy(`rate(${series(`${names.duration}_sum`, sel)}[${w}])`, by)} / ${sumBy(`rate(${series(`${names.duration}_count`, sel)}[${w}])`, by)}`;
    case 'requests':
      return sumBy(`increase(${series(names.requests, sel)}[${w}])`, by);
    case 'promql':
      return substitute(c.query!, scope);
  }
}

/** `$window` → the range; `$selector` → the matchers (its comma dropped when there are none). */
export function substitute(query: string, scope: Scope): string {
  const sel = scope.selector.trim();
  // Replacer functions, not strings: a selector such as route=~'/pets$' holds `$'`, which a
  // replacement string would read as "the text after the match".
  return query
    .replace(/\$window\b/g, () => scope.window)
    .replace(/\$selector\s*,\s*/g, () => (sel ? `${sel},` : ''))
    .replace(/,\s*\$selector\b/g, () => (sel ? `,${sel}` : ''))
    .replace(/\$selector\b/g, () => sel);
}

/** A PromQL double-quoted string. */
export function promString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Latency values come back in the histogram's unit; checks compare milliseconds. */
export function toCheckUnit(c: Check, value: number, names: MetricNames): number {
  if ((c.kind === 'percentile' || c.kind === 'avg') && names.durationUnit === 'seconds') return value * 1000;
  return value;
}
