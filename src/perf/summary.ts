/**
 * Read any k6 result shape into a Summary: the legacy `--summary-export` file, the `handleSummary`
 * data object, the machine-readable summary (schema 1.0.0), the `--out json` NDJSON stream, or a
 * GateResult this gate wrote earlier (for baselines).
 */
import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';

import { InputError } from '../kit/errors.js';
import { holdsTime, inferType, parseMetricKey, statKey, type Metric, type MetricType, type Summary } from './metrics.js';
import { readNdjson, type NdjsonOptions } from './ndjson.js';

const TYPES = new Set(['counter', 'gauge', 'rate', 'trend']);
/** JSON summaries are small; a file beyond this is almost surely the NDJSON stream or a mistake. */
const MAX_JSON_BYTES = 256 * 1024 * 1024;

export interface ReadOptions extends NdjsonOptions {
  /** Name of the option the file came from, for messages (`summary`, `baseline`). */
  field?: string;
}

/** Read a summary file of any supported shape. Bad input throws InputError naming file and field. */
export async function readSummary(file: string, opts: ReadOptions = {}): Promise<Summary> {
  const field = opts.field ?? 'summary';
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError(`${field}: '${file}' is a directory, expected a k6 summary file (JSON or NDJSON)`, { file, field });
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${field}: file '${file}' not found or not readable`, { file, field });
  }
  if (size === 0) throw new InputError(`${field}: '${file}' is empty (did k6 finish? a run that crashed writes no summary)`, { file, field });
  const head = await firstBytes(file, 4096);
  if (file.endsWith('.gz') || isNdjson(head)) return readNdjson(file, { ...opts, field });
  if (size > MAX_JSON_BYTES) throw new InputError(`${field}: '${file}' is ${Math.round(size / 2 ** 20)} MB; a JSON summary is expected to be small (use --out json NDJSON for raw samples)`, { file, field });
  const text = await readAll(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${field}: '${file}' is not valid JSON (${(e as Error).message}); a truncated file means k6 did not finish writing it`, { file, field });
  }
  return fromJson(data, file, field);
}

/** Parse an already-loaded JSON value (exported for tests and for GateResult baselines). */
export function fromJson(data: unknown, file: string, field = 'summary'): Summary {
  const bad = (what: string) => new InputError(`${field}: '${file}' ${what}`, { file, field });
  if (!isObject(data)) throw bad('is not a JSON object: expected a k6 summary (--summary-export, handleSummary data or the machine-readable summary)');
  if (typeof data.version === 'string' && isObject(data.results)) return fromMachineReadable(data, file, field);
  if (data.gate !== undefined) {
    if (data.gate !== 'perf') throw bad(`is a GateResult of the '${String(data.gate)}' gate, not of perf`);
    if (!isObject(data.summary) || !isObject(data.summary.metrics)) throw bad('is a perf GateResult without its summary (written by an older version?)');
    const s = fromMetricsObject(data.summary.metrics, file, field, 'gate-result');
    if (typeof data.summary.script === 'string') s.script = data.summary.script;
    if (typeof data.summary.durationS === 'number') s.durationS = data.summary.durationS;
    return s;
  }
  if (!isObject(data.metrics)) throw bad("has no 'metrics' object: expected a k6 summary (--summary-export, handleSummary data or the machine-readable summary)");
  const metrics = data.metrics;
  const typed = Object.values(metrics).some((m) => isObject(m) && typeof m.type === 'string' && isObject(m.values));
  const s = fromMetricsObject(metrics, file, field, typed ? 'handle-summary' : 'summary-export');
  if (isObject(data.state) && typeof data.state.testRunDurationMs === 'number') s.durationS = data.state.testRunDurationMs / 1000;
  return s;
}

function fromMetricsObject(metrics: Record<string, unknown>, file: string, field: string, source: Summary['source']): Summary {
  const s: Summary = { source, file, metrics: new Map(), k6Thresholds: [] };
  if (Object.keys(metrics).length === 0) throw new InputError(`${field}: '${file}' has an empty 'metrics' object (no samples were collected)`, { file, field });
  for (const [name, raw] of Object.entries(metrics)) {
    if (!isObject(raw)) throw new InputError(`${field}: '${file}' metrics.${name} is not an object`, { file, field: `${field}.metrics.${name}` });
    let type: MetricType | undefined;
    let values: Record<string, unknown>;
    if (source === 'handle-summary' || (typeof raw.type === 'string' && isObject(raw.values))) {
      if (!TYPES.has(String(raw.type))) throw new InputError(`${field}: '${file}' metrics.${name}.type '${String(raw.type)}' is not counter, gauge, rate or trend`, { file, field });
      type = raw.type as MetricType;
      values = isObject(raw.values) ? raw.values : {};
      if (isObject(raw.thresholds)) {
        for (const [expr, r] of Object.entries(raw.thresholds)) s.k6Thresholds.push({ metric: name, expression: expr, ok: isObject(r) && r.ok === true });
      }
    } else {
      const { thresholds, ...rest } = raw;
      values = rest;
      type = inferType(values);
      if (type === 'rate' && 'value' in values && !('rate' in values)) values = { ...values, rate: values.value };
      // Legacy export: the boolean is TRUE WHEN THE THRESHOLD FAILED (k6 writes !ok).
      if (isObject(thresholds)) for (const [expr, failed] of Object.entries(thresholds)) s.k6Thresholds.push({ metric: name, expression: expr, ok: failed === false });
    }
    if (!type) throw new InputError(`${field}: '${file}' metrics.${name} has none of the keys of a k6 metric (count, rate, value, avg, passes…)`, { file, field });
    // summaryTrendStats keys are written as the script spelled them: `p(99.90)` answers `p(99.9)`.
    const v: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(values)) v[statKey(k)] = x;
    const m: Metric = { name, type, contains: contains(raw.contains), values: numbers(v, file, field, name) };
    const samples = sampleCount(m);
    if (samples !== undefined) m.samples = samples;
    s.metrics.set(name, m);
  }
  return s;
}

/**
 * How many samples a summarized metric holds, where the numbers tell: a rate's passes + fails, a trend's
 * `count` (when summaryTrendStats has it). k6 writes a metric that has a threshold even without samples,
 * with zeros for every statistic; a time trend whose min, max and avg are all exactly 0 is such an empty one.
 */
function sampleCount(m: Metric): number | undefined {
  const v = m.values;
  if (m.type === 'rate' && typeof v.passes === 'number' && typeof v.fails === 'number') return v.passes + v.fails;
  if (m.type === 'trend') {
    if (typeof v.count === 'number') return v.count;
    const base = parseMetricKey(m.name)?.base ?? m.name;
    if (holdsTime(m) && /^(http_req_duration|http_req_waiting|iteration_duration|group_duration)$/.test(base) && v.min === 0 && v.max === 0 && v.avg === 0) return 0;
  }
  return undefined;
}

function fromMachineReadable(data: Record<string, unknown>, file: string, field: string): Summary {
  if (data.version !== '1.0.0' && !String(data.version).startsWith('1.')) {
    throw new InputError(`${field}: '${file}' is a machine-readable summary of schema ${String(data.version)}; this gate reads 1.x`, { file, field });
  }
  const results = data.results as Record<string, unknown>;
  const list: unknown[] = [...(Array.isArray(results.metrics) ? results.metrics : [])];
  if (isObject(results.checks) && Array.isArray(results.checks.metrics)) list.push(...results.checks.metrics);
  if (list.length === 0) throw new InputError(`${field}: '${file}' results.metrics is empty (no samples were collected)`, { file, field });
  const config = isObject(data.config) ? data.config : {};
  const metadata = isObject(data.metadata) ? data.metadata : {};
  const durationS = typeof config.duration === 'number' ? config.duration : undefined;
  const s: Summary = { source: 'machine-readable-v1', file, metrics: new Map(), k6Thresholds: [], durationS };
  const version = metadata.k6_version ?? metadata.k6Version;
  if (typeof version === 'string') s.k6Version = version;
  // config.script carries the script's source text in k6 2.2.0; its hash identifies the script.
  if (typeof config.script === 'string' && config.script) s.script = config.script.includes('\n') ? `sha256:${sha256(config.script)}` : config.script;
  for (const [i, raw] of list.entries()) {
    if (!isObject(raw) || typeof raw.name !== 'string' || !TYPES.has(String(raw.type)) || !isObject(raw.values)) {
      throw new InputError(`${field}: '${file}' results.metrics[${i}] is not {name, type, values}`, { file, field });
    }
    const type = raw.type as MetricType;
    const v: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(raw.values)) {
      if (x === null) continue; // schema allows null stats
      const pm = /^p\(?(\d+(?:\.\d+)?)\)?$/.exec(k);
      v[pm ? `p(${Number(pm[1])})` : k] = x;
    }
    if (type === 'rate') {
      const total = Number(v.total);
      const matches = Number(v.matches);
      if (Number.isFinite(total) && Number.isFinite(matches)) {
        v.passes = matches;
        v.fails = total - matches;
      }
    }
    if (type === 'counter' && typeof v.count === 'number' && v.rate === undefined && durationS && durationS > 0) v.rate = v.count / durationS;
    const m: Metric = { name: raw.name, type, contains: contains(raw.contains), values: numbers(v, file, field, raw.name) };
    if (type === 'rate' && typeof v.total === 'number') m.samples = v.total;
    s.metrics.set(raw.name, m);
  }
  // Schema 1.0.0 splits k6's `checks` rate into checks_total/_failed/_succeeded; k6 still evaluates a
  // threshold on `checks`, so the budget may name it: it is checks_succeeded under its k6 name.
  const ok = s.metrics.get('checks_succeeded');
  if (!s.metrics.has('checks') && ok?.type === 'rate') s.metrics.set('checks', { ...ok, name: 'checks', values: { ...ok.values } });
  return s;
}

/** Numbers stay numbers; NaN arrives as a string or null in JSON and is kept as NaN so the judge can flag it. */
function numbers(values: Record<string, unknown>, file: string, field: string, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'number') out[k] = v;
    else if (v === null || v === 'NaN' || v === 'Infinity' || v === '-Infinity') out[k] = Number(v ?? NaN);
    else if (typeof v !== 'object') throw new InputError(`${field}: '${file}' metrics.${name}.${k} is ${JSON.stringify(v)}, not a number`, { file, field });
  }
  return out;
}

function contains(v: unknown): Metric['contains'] {
  return v === 'time' || v === 'data' || v === 'default' ? v : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNdjson(head: Buffer): boolean {
  const line = head.toString('utf8').split('\n', 1)[0]!.trim();
  return /^\{\s*"(type|metric|data)"/.test(line) && /"type"\s*:\s*"(Metric|Point)"/.test(line);
}

async function firstBytes(file: string, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(file, { start: 0, end: n - 1 })) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function readAll(file: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(file)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

