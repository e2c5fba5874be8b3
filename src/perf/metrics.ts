/**
 * The one metric model every summary shape is read into: k6's legacy names (`p(95)`, a rate's `rate`,
 * `passes` and `fails`), one entry per metric or tagged sub-metric (`http_req_duration{name:GET /pets}`).
 */
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

export interface Metric {
  /** Full key as k6 prints it, sub-metric tags included. */
  name: string;
  type: MetricType;
  contains?: 'default' | 'time' | 'data';
  /** `avg`, `min`, `med`, `max`, `p(90)`… for a trend; `count`, `rate` for a counter; `value`, `min`, `max` for a gauge; `rate`, `passes`, `fails` for a rate. */
  values: Record<string, number>;
  /** Any percentile, where the source kept the distribution (NDJSON stream, built-in engine). */
  quantile?: (p: number) => number;
  /** How many samples it aggregates, where the source says (NDJSON stream, built-in engine, a trend's `count`, a rate's passes + fails). */
  samples?: number;
}

export type SummarySource = 'summary-export' | 'handle-summary' | 'machine-readable-v1' | 'ndjson' | 'builtin' | 'gate-result';

export interface K6Threshold {
  metric: string;
  expression: string;
  ok: boolean;
}

export interface Summary {
  source: SummarySource;
  /** The file it came from, for messages. */
  file?: string;
  metrics: Map<string, Metric>;
  /** Thresholds k6 itself evaluated (legacy shapes only; schema 1.0.0 has none). */
  k6Thresholds: K6Threshold[];
  k6Version?: string;
  durationS?: number;
  /** What produced it: a script path, `builtin:<scenario>`, or a hash of the script text. */
  script?: string;
  /** Thresholds the script declared (NDJSON Metric lines carry them), judged here like a budget. */
  declared?: { metric: string; expression: string }[];
  /** Metrics with samples a metric of its type cannot hold (NaN, negative counter/trend values): `name (count)`. */
  invalidSamples?: string[];
}

export interface MetricKey {
  base: string;
  /** Tag pairs in the order written. */
  tags: [string, string][];
}

const KEY = /^([A-Za-z_][A-Za-z0-9_.\-]*)(?:\{(.*)\})?$/s;

/**
 * `http_req_duration{name:GET /pets, method:GET}` → base and trimmed tags; undefined when malformed.
 * As in k6 (metrics.Metric.AddSubmetric): the tags run from the first `{` to the last `}` (so a value
 * may hold braces, `name:GET /pets/{id}`), and spaces and quotes around keys and values are dropped
 * (`name:"GET /pets"` is `name:GET /pets`).
 */
export function parseMetricKey(key: string): MetricKey | undefined {
  const m = KEY.exec(key.trim());
  if (!m) return undefined;
  const tags: [string, string][] = [];
  if (m[2] !== undefined) {
    if (m[2].trim() === '') return undefined;
    for (const part of m[2].split(',')) {
      const colon = part.indexOf(':');
      if (colon <= 0) return undefined;
      const k = unquote(part.slice(0, colon));
      const v = unquote(part.slice(colon + 1));
      if (!k) return undefined;
      tags.push([k, v]);
    }
  }
  return { base: m[1]!, tags };
}

/** k6 trims spaces, then the quotes `"` and `'`, around a tag key or value. */
function unquote(s: string): string {
  return s.trim().replace(/^["']+|["']+$/g, '');
}

/** A trend statistic as the threshold parser spells it: `p(99.90)` and `p(95.0)` are `p(99.9)` and `p(95)`. */
export function statKey(key: string): string {
  const m = /^p\(\s*(\d+(?:\.\d+)?|\.\d+)\s*\)$/.exec(key);
  return m ? `p(${Number(m[1])})` : key;
}

/** k6's built-in metrics that hold times in milliseconds (a legacy summary does not say `contains`). */
const TIME_METRICS = /^(http_req_(duration|blocked|connecting|tls_handshaking|sending|waiting|receiving)|iteration_duration|group_duration|grpc_req_duration|ws_connecting|ws_session_duration|ws_ping)$/;

/** Does the metric hold times (ms)? From `contains` where the source says, else from k6's built-in names. */
export function holdsTime(m: Pick<Metric, 'name' | 'contains'>): boolean {
  if (m.contains) return m.contains === 'time';
  return TIME_METRICS.test(parseMetricKey(m.name)?.base ?? m.name);
}

/** One spelling per metric key: tags sorted, no spaces around `:` and `,`. */
export function canonicalKey(key: string): string {
  const k = parseMetricKey(key);
  if (!k) return key.trim();
  if (k.tags.length === 0) return k.base;
  const tags = [...k.tags].sort((a, b) => a[0].localeCompare(b[0]));
  return `${k.base}{${tags.map(([t, v]) => `${t}:${v}`).join(',')}}`;
}

/** Legacy `--summary-export` drops the type: guess it from the keys, as k6's own docs suggest. */
export function inferType(values: Record<string, unknown>): MetricType | undefined {
  if ('passes' in values || 'fails' in values) return 'rate';
  if ('avg' in values || 'med' in values || Object.keys(values).some((k) => /^p\(/.test(k))) return 'trend';
  if ('value' in values && ('min' in values || 'max' in values)) return 'gauge';
  if ('count' in values) return 'counter';
  return undefined;
}

/** Look up a metric by key, tolerant of tag order and spacing. */
export function findMetric(summary: Summary, key: string): Metric | undefined {
  const direct = summary.metrics.get(key);
  if (direct) return direct;
  const want = canonicalKey(key);
  for (const [k, m] of summary.metrics) if (canonicalKey(k) === want) return m;
  return undefined;
}

/** The closest existing names, for "did you mean" in messages. */
export function similarNames(summary: Summary, key: string, max = 3): string[] {
  const base = parseMetricKey(key)?.base ?? key;
  const names = [...summary.metrics.keys()];
  const same = names.filter((n) => n !== key && (parseMetricKey(n)?.base ?? n) === base);
  const near = names.filter((n) => !same.includes(n) && distance(n.split('{')[0]!, base) <= Math.max(2, Math.floor(base.length / 4)));
  return [...same, ...near].slice(0, max);
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}
