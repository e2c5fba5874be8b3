import { afterAll, describe, expect, test } from '@jest/globals';
import { createWriteStream, existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { readSummary } from '../../src/perf/summary.js';
import { cleanTempDirs, K6_FORMATS, legacySummary, tempDir, writeJson } from './helpers.js';

afterAll(cleanTempDirs);

const hasShared = existsSync(K6_FORMATS);
if (!hasShared) console.log(`perf: ${K6_FORMATS} not found (a user's clone has no ../shared); the k6 fixture tests are skipped`);
const fixture = (f: string) => path.join(K6_FORMATS, f);
const withShared = hasShared ? test : test.skip;

describe("k6's own fixtures (shared/formats/k6)", () => {
  withShared('legacy --summary-export: flattened values, type guessed, threshold booleans inverted (true = failed)', async () => {
    const s = await readSummary(fixture('summary-export.legacy.k6-test-fixture.json'));
    expect(s.source).toBe('summary-export');
    expect(s.metrics.get('checks')).toMatchObject({ type: 'rate', values: { rate: 0.75, passes: 45, fails: 15 } });
    expect(s.metrics.get('http_reqs')).toMatchObject({ type: 'counter', values: { count: 3, rate: 3 } });
    expect(s.metrics.get('my_trend')).toMatchObject({ type: 'trend', values: { 'p(95)': 19.5, 'p(99)': 19.9, med: 15 } });
    expect(s.metrics.get('vus')).toMatchObject({ type: 'gauge', values: { value: 1 } });
    expect(s.k6Thresholds).toEqual(
      expect.arrayContaining([
        { metric: 'checks', expression: 'rate>70', ok: true },
        { metric: 'http_reqs', expression: 'rate<100', ok: false },
        { metric: 'my_trend', expression: 'my_trend<1000', ok: false },
      ]),
    );
  });

  withShared('handleSummary data: typed metrics, {ok} threshold objects, test duration from state', async () => {
    const s = await readSummary(fixture('handleSummary-data.legacy.k6-test-fixture.json'));
    expect(s.source).toBe('handle-summary');
    expect(s.durationS).toBe(1);
    expect(s.metrics.get('my_trend')).toMatchObject({ type: 'trend', contains: 'time', values: { 'p(99)': 19.9, count: 3 } });
    expect(s.k6Thresholds).toEqual(expect.arrayContaining([{ metric: 'checks', expression: 'rate>70', ok: true }, { metric: 'my_trend', expression: 'my_trend<1000', ok: false }]));
    // The same run in both legacy shapes gives the same verdicts on k6's thresholds.
    const legacy = await readSummary(fixture('summary-export.legacy.k6-test-fixture.json'));
    const key = (t: { metric: string; expression: string; ok: boolean }) => `${t.metric} ${t.expression} ${t.ok}`;
    expect(s.k6Thresholds.map(key).sort()).toEqual(legacy.k6Thresholds.map(key).sort());
  });

  withShared('machine-readable summary 1.0.0: metric array, snake_case p90/p95, rates as matches/total, checks included', async () => {
    const s = await readSummary(fixture('summary.machine-readable-v1.0.0.HAND-WRITTEN.json'));
    expect(s.source).toBe('machine-readable-v1');
    expect(s.k6Version).toBe('2.2.0');
    expect(s.metrics.get('iteration_duration')!.values).toMatchObject({ 'p(90)': 0.52, 'p(95)': 0.52 });
    expect(s.metrics.get('checks_succeeded')).toMatchObject({ type: 'rate', values: { rate: 1, passes: 1, fails: 0 } });
    expect(s.metrics.get('iterations')!.values.count).toBe(1);
    expect(s.metrics.get('iterations')!.values.rate).toBeCloseTo(1 / 0.012345);
    expect(s.script).toMatch(/^sha256:[0-9a-f]{64}$/); // config.script is the source text: identified by its hash
    expect(s.k6Thresholds).toEqual([]); // schema 1.0.0 carries no thresholds
  });

  withShared('--out json NDJSON: metrics, declared sub-metrics by tag, declared thresholds', async () => {
    const s = await readSummary(fixture('out-json.k6-test-fixture.ndjson'));
    expect(s.source).toBe('ndjson');
    expect(s.metrics.get('my_metric1')).toMatchObject({ type: 'gauge', values: { value: 4, min: 1, max: 4 } });
    expect(s.metrics.get('my_metric2')).toMatchObject({ type: 'counter', values: { count: 8 } });
    expect(s.metrics.get('my_metric1{a:1,b:2}')).toBeDefined(); // declared, no point carried both tags
    expect(s.declared).toEqual([
      { metric: 'my_metric1', expression: 'rate<0.01' },
      { metric: 'my_metric1', expression: 'p(99)<250' },
    ]);
    expect(s.durationS).toBe(20);
  });
});

/** An NDJSON stream like k6 writes for an HTTP test, with known values to check the aggregation. */
async function writeNdjson(file: string, n: number): Promise<{ durations: number[]; failed: number }> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((ok) => out.once('drain', () => ok())));
  const meta = (name: string, type: string, contains: string) => JSON.stringify({ type: 'Metric', data: { name, type, contains, thresholds: [], submetrics: null }, metric: name }) + '\n';
  await write(meta('http_req_duration', 'trend', 'time'));
  await write(meta('http_req_failed', 'rate', 'default'));
  await write(meta('http_reqs', 'counter', 'default'));
  const durations: number[] = [];
  let failed = 0;
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < n; i++) {
    const name = i % 4 === 0 ? 'POST /pets' : 'GET /pets';
    const d = name === 'POST /pets' ? 100 + (i % 50) : 1 + ((i * 7919) % 1000) / 10;
    durations.push(d);
    const bad = i % 50 === 0 ? 1 : 0;
    failed += bad;
    const time = new Date(t0 + i).toISOString().replace('Z', '123456Z');
    const tags = JSON.stringify({ name, method: name.split(' ')[0], status: bad ? '503' : '200', expected_response: String(!bad) });
    await write(`{"type":"Point","data":{"time":"${time}","value":${d},"tags":${tags}},"metric":"http_req_duration"}\n`);
    await write(`{"type":"Point","data":{"time":"${time}","value":${bad},"tags":${tags}},"metric":"http_req_failed"}\n`);
    await write(`{"type":"Point","data":{"time":"${time}","value":1,"tags":${tags}},"metric":"http_reqs"}\n`);
  }
  await new Promise<void>((ok) => out.end(ok));
  return { durations, failed };
}

/** k6's percentile (metrics.TrendSink.P): linear interpolation between the samples around rank p·(n−1). */
function exactPercentile(sorted: number[], p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const lo = sorted[Math.floor(rank)]!;
  const hi = sorted[Math.ceil(rank)]!;
  return lo + (hi - lo) * (rank - Math.floor(rank));
}

describe('NDJSON stream of several MB', () => {
  test('aggregates match the exact figures: counts, rate, avg exactly; percentiles within HDR precision; tagged sub-metrics on request', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'samples.ndjson');
    const n = 20_000;
    const { durations, failed } = await writeNdjson(file, n);
    expect(statSync(file).size).toBeGreaterThan(5 * 2 ** 20);
    const s = await readSummary(file, { submetrics: ['http_req_duration{name:POST /pets}', 'http_reqs{status:503}'] });
    expect(s.metrics.get('http_reqs')!.values.count).toBe(n);
    expect(s.metrics.get('http_reqs{status:503}')!.values.count).toBe(failed);
    expect(s.metrics.get('http_req_failed')!.values).toMatchObject({ rate: failed / n, passes: failed, fails: n - failed });
    const d = s.metrics.get('http_req_duration')!;
    expect(d.values.avg).toBeCloseTo(durations.reduce((a, b) => a + b, 0) / n, 6);
    const sorted = [...durations].sort((a, b) => a - b);
    for (const p of [50, 90, 95, 99, 99.9]) {
      const exact = exactPercentile(sorted, p);
      expect(Math.abs(d.quantile!(p) - exact)).toBeLessThanOrEqual(exact * 0.001 + 0.001);
    }
    expect(d.values.max).toBe(sorted.at(-1));
    expect(d.values.min).toBe(sorted[0]);
    const post = s.metrics.get('http_req_duration{name:POST /pets}')!;
    const posts = durations.filter((_, i) => i % 4 === 0);
    expect(post.values.min).toBe(Math.min(...posts));
    expect(post.values.max).toBe(Math.max(...posts));
    expect(post.values.avg).toBeCloseTo(posts.reduce((a, b) => a + b, 0) / posts.length, 6);
    // 20,000 ms between the first and last point: the counter's rate is per second of the run.
    expect(s.metrics.get('http_reqs')!.values.rate).toBeCloseTo(n / ((n - 1) / 1000), 3);
  });

  test('a gzip stream (--out json=file.gz) reads the same', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'samples.ndjson');
    await writeNdjson(file, 500);
    writeFileSync(`${file}.gz`, gzipSync(readFileSync(file)));
    const a = await readSummary(file);
    const b = await readSummary(`${file}.gz`);
    expect(b.metrics.get('http_req_duration')!.values).toEqual(a.metrics.get('http_req_duration')!.values);
  });
});

describe('bad summaries: a clear error naming the file, never a pass', () => {
  const dir = tempDir();
  test.each([
    ['empty.json', '', /'.*empty.json' is empty/],
    ['truncated.json', JSON.stringify(legacySummary()).slice(0, 150), /is not valid JSON.*truncated file means k6 did not finish/],
    ['array.json', '[1,2]', /is not a JSON object/],
    ['nometrics.json', '{"root_group":{}}', /has no 'metrics' object/],
    ['emptymetrics.json', '{"metrics":{}}', /empty 'metrics' object/],
    ['badvalue.json', '{"metrics":{"http_reqs":{"count":"many","rate":1}}}', /metrics.http_reqs.count is "many", not a number/],
    ['badtype.json', '{"metrics":{"x":{"type":"histogram","values":{}}}}', /type 'histogram' is not counter, gauge, rate or trend/],
    ['other-gate.json', '{"gate":"breaking","verdict":"pass","findings":[]}', /GateResult of the 'breaking' gate/],
    ['v2.json', '{"version":"2.0.0","results":{"metrics":[]}}', /schema 2.0.0; this gate reads 1.x/],
    ['cut.ndjson', '{"type":"Metric","data":{"name":"x","type":"counter","contains":"default"},"metric":"x"}\n{"type":"Point","data":{"time":"2026-01-01T00:00:00Z","va', /cut.ndjson' line 2: not JSON.*k6 was stopped while writing/],
    ['orphan.ndjson', '{"type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":1},"metric":"x"}\n', /line 1: Point of 'x' before its Metric line/],
    ['nopoints.ndjson', '{"type":"Metric","data":{"name":"x","type":"counter","contains":"default"},"metric":"x"}\n', /holds no metric samples/],
  ])('%s', async (name, content, msg) => {
    const f = writeJson(dir, name, content);
    await expect(readSummary(f)).rejects.toThrow(msg);
  });

  test('a missing file names the file', async () => {
    await expect(readSummary(path.join(dir, 'nope.json'), { field: 'baseline' })).rejects.toThrow(/^baseline: file '.*nope.json' not found/);
  });

  test('NaN written by a tool as null or "NaN" stays NaN, for the judge to flag', async () => {
    const f = writeJson(dir, 'nan.json', { metrics: { http_req_duration: { avg: 'NaN', min: 0, med: null, max: 1, 'p(90)': 1, 'p(95)': null } } });
    const s = await readSummary(f);
    expect(Number.isNaN(s.metrics.get('http_req_duration')!.values['p(95)'])).toBe(true);
  });
});
