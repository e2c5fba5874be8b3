/**
 * The `--out json` NDJSON stream, read line by line (readline over a file stream, gunzip for `.gz`):
 * memory stays constant however large the file, because every metric and sub-metric keeps only an
 * aggregator (HDR histogram for trends) and never the samples.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { InputError } from '../kit/errors.js';
import { canonicalKey, parseMetricKey, type Metric, type MetricType, type Summary } from './metrics.js';
import { ScalarAggregator, TrendAggregator } from './trend.js';

export interface NdjsonOptions {
  /** Sub-metrics to compute besides those the stream declares, e.g. `http_req_duration{name:GET /pets}`. */
  submetrics?: string[];
  field?: string;
  /** Called every `progressEvery` lines (for long files). */
  onProgress?: (lines: number) => void;
  progressEvery?: number;
}

interface Sub {
  key: string;
  tags: [string, string][];
  agg: TrendAggregator | ScalarAggregator;
}

interface Entry {
  name: string;
  type: MetricType;
  contains: Metric['contains'];
  agg: TrendAggregator | ScalarAggregator;
  subs: Sub[];
}

const TYPES = new Set(['counter', 'gauge', 'rate', 'trend']);

export async function readNdjson(file: string, opts: NdjsonOptions = {}): Promise<Summary> {
  const field = opts.field ?? 'summary';
  const wanted = new Map<string, [string, string][][]>();
  for (const key of opts.submetrics ?? []) {
    const k = parseMetricKey(key);
    if (!k || k.tags.length === 0) continue;
    const list = wanted.get(k.base) ?? [];
    list.push(k.tags);
    wanted.set(k.base, list);
  }
  const entries = new Map<string, Entry>();
  const declared: { metric: string; expression: string }[] = [];
  let first = Infinity;
  let last = -Infinity;
  let n = 0;
  let points = 0;
  let lastLine = '';
  const input = createReadStream(file);
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const fail = (msg: string) => new InputError(`${field}: '${file}' line ${n}: ${msg}`, { file, field });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      n++;
      if (opts.onProgress && n % (opts.progressEvery ?? 1_000_000) === 0) opts.onProgress(n);
      lastLine = line;
      if (line.length === 0 || line.trim() === '') continue;
      let o: { type?: unknown; metric?: unknown; data?: Record<string, unknown> };
      try {
        o = JSON.parse(line);
      } catch (e) {
        throw fail(`not JSON (${(e as Error).message})${n > 1 ? '; a cut-off last line means k6 was stopped while writing' : ''}`);
      }
      const data = o.data;
      if (typeof o.metric !== 'string' || typeof data !== 'object' || data === null) throw fail('expected {"type","metric","data"}');
      if (o.type === 'Metric') {
        if (!TYPES.has(String(data.type))) throw fail(`metric '${o.metric}' has type '${String(data.type)}'`);
        const type = data.type as MetricType;
        const contains = data.contains === 'time' || data.contains === 'data' ? data.contains : 'default';
        const e: Entry = { name: o.metric, type, contains, agg: make(type), subs: [] };
        const seen = new Set<string>();
        const addSub = (tags: [string, string][]) => {
          const key = canonicalKey(`${o.metric as string}{${tags.map(([k, v]) => `${k}:${v}`).join(',')}}`);
          if (seen.has(key)) return;
          seen.add(key);
          e.subs.push({ key, tags, agg: make(type) });
        };
        if (Array.isArray(data.submetrics)) {
          for (const s of data.submetrics as { tags?: Record<string, string> }[]) if (s && typeof s.tags === 'object') addSub(Object.entries(s.tags ?? {}).map(([k, v]) => [k, String(v)]));
        }
        for (const tags of wanted.get(o.metric) ?? []) addSub(tags);
        if (Array.isArray(data.thresholds)) {
          for (const t of data.thresholds as unknown[]) {
            const expression = typeof t === 'string' ? t : typeof t === 'object' && t !== null ? (t as { threshold?: unknown }).threshold : undefined;
            if (typeof expression === 'string') declared.push({ metric: o.metric, expression });
          }
        }
        if (!entries.has(o.metric)) entries.set(o.metric, e);
        continue;
      }
      if (o.type !== 'Point') throw fail(`unknown line type '${String(o.type)}' (expected Metric or Point)`);
      const e = entries.get(o.metric);
      if (!e) throw fail(`Point of '${o.metric}' before its Metric line`);
      const value = data.value;
      if (typeof value !== 'number') throw fail(`Point value ${JSON.stringify(value)} is not a number`);
      points++;
      const t = typeof data.time === 'string' ? Date.parse(data.time) : NaN;
      if (t < first) first = t;
      if (t > last) last = t;
      e.agg.add(value);
      if (e.subs.length) {
        const tags = (data.tags ?? {}) as Record<string, unknown>;
        for (const s of e.subs) if (s.tags.every(([k, v]) => String(tags[k]) === v)) s.agg.add(value);
      }
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${field}: '${file}' could not be read: ${(e as Error).message}`, { file, field });
  } finally {
    lines.close();
    input.destroy();
  }
  if (entries.size === 0 || points === 0) throw new InputError(`${field}: '${file}' holds no metric samples (${n} lines)`, { file, field });
  void lastLine;
  const durationS = Number.isFinite(first) && last > first ? (last - first) / 1000 : undefined;
  const s: Summary = { source: 'ndjson', file, metrics: new Map(), k6Thresholds: [], durationS, declared };
  const invalid: string[] = [];
  for (const e of entries.values()) {
    s.metrics.set(e.name, toMetric(e.name, e.agg, e.contains, durationS));
    if (e.agg.invalid) invalid.push(`${e.name} (${e.agg.invalid})`);
    for (const sub of e.subs) s.metrics.set(sub.key, toMetric(sub.key, sub.agg, e.contains, durationS));
  }
  if (invalid.length) s.invalidSamples = invalid;
  return s;
}

function make(type: MetricType): TrendAggregator | ScalarAggregator {
  return type === 'trend' ? new TrendAggregator() : new ScalarAggregator(type);
}

function toMetric(name: string, agg: TrendAggregator | ScalarAggregator, contains: Metric['contains'], durationS: number | undefined): Metric {
  return agg instanceof TrendAggregator ? agg.toMetric(name, contains) : agg.toMetric(name, durationS ?? 0, contains);
}
