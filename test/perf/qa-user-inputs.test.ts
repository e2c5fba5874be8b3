/**
 * Inputs as k6 users write them: every documented threshold form, the summary shapes of k6 2.2.0, the
 * --out json stream of a run with several scenarios, and baselines of a changing API. Each case states
 * what a k6 user expects (k6's own semantics) and holds the gate to it. Fixtures: test/perf/fixtures/qa/.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { judgePerf } from '../../src/perf/run.js';
import { renderPerf } from '../../src/perf/report.js';
import { readSummary } from '../../src/perf/summary.js';
import { TrendAggregator } from '../../src/perf/trend.js';
import { cleanTempDirs, K6_FORMATS, tempDir, writeJson } from './helpers.js';

afterAll(cleanTempDirs);
const QA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/qa');
const fx = (name: string) => path.join(QA, name);
const ids = (r: { findings: { id: string }[] }) => r.findings.map((f) => f.id).sort();
const row = (r: { table: { metric: string; aggregation: string; origin: string; actual?: number; status: string }[] }, metric: string, aggregation: string, origin = 'cli') =>
  r.table.find((x) => x.metric === metric && x.aggregation === aggregation && x.origin === origin);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['perf', ...argv], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

describe('threshold expressions in every documented form', () => {
  test.each(['legacy-export.json', 'handle-summary.json'])('%s: each form judged as k6 does; only the failing one of several fails', async (summary) => {
    const r = await judgePerf({ summary: fx(summary), budget: fx('budget-all-forms.yaml') });
    const budget = r.table.filter((x) => x.origin === 'budget').map((x) => [x.metric, `${x.aggregation} ${x.budget}`, x.status]);
    expect(budget).toEqual([
      ['http_req_duration', 'p(99.9) < 500', 'pass'],
      ['http_req_duration', 'p(95) < 200', 'pass'],
      ['http_req_duration', 'avg < 200', 'pass'],
      ['http_req_duration', 'med <= 150', 'pass'],
      ['http_req_duration', 'min > 0', 'pass'],
      ['http_req_duration', 'max < 3000', 'fail'],
      ['http_req_duration{expected_response:true}', 'p(95) < 200', 'pass'],
      ['http_req_duration{scenario:checkout,method:POST}', 'p(95) < 200', 'fail'],
      ['http_req_failed', 'rate < 0.01', 'pass'],
      ['http_reqs', 'count >= 100', 'pass'],
      ['queue_depth', 'value < 5', 'pass'],
      ['checks', 'rate > 0.99', 'pass'],
      ['errors', 'rate < 0.05', 'pass'],
      ['orders', 'count > 100', 'pass'],
      ['orders', 'rate > 1', 'pass'],
      ['checkout_duration', 'p(95) < 600', 'pass'],
      ['cart_items', 'avg < 5', 'pass'],
    ]);
    // k6's own verdicts (legacy booleans true = failed; handleSummary ok) agree, and the failures name metric, threshold and file line.
    expect(r.table.filter((x) => x.origin === 'k6' && x.status === 'fail').map((x) => x.metric)).toEqual(['http_req_duration', 'http_req_duration{scenario:checkout,method:POST}']);
    expect(r.findings.filter((f) => f.id === 'perf-threshold-failed').map((f) => [f.message, f.location?.line])).toEqual([
      [expect.stringContaining('http_req_duration max = 3512.7'), 9],
      [expect.stringContaining('http_req_duration{scenario:checkout,method:POST} p(95) = 231.4'), 12],
    ]);
    expect(r.verdict).toBe('fail');
  });

  test('summaryTimeUnit "s" changes only the text summary: the JSON values stay milliseconds and are judged as such', async () => {
    const r = await judgePerf({ summary: fx('handle-summary.json'), thresholds: ['http_req_duration:p(95)<200'] });
    expect(row(r, 'http_req_duration', 'p(95)')).toMatchObject({ actual: 187.9, status: 'pass', unit: 'ms' });
  });

  test('a tag value holding braces on the command line: http_req_duration{name:GET /pets/{id}}', async () => {
    const r = await cli('judge', '--summary', fx('k6-tag-forms.json'), '--threshold', 'http_req_duration{name:GET /pets/{id}}:p(95)<80', '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).table[0]).toMatchObject({ metric: 'http_req_duration{name:GET /pets/{id}}', aggregation: 'p(95)', actual: 75, status: 'pass' });
  });

  test('quoted tag values are the same sub-metric, as k6 trims the quotes: {name:"POST /pets"} = {name:POST /pets}', async () => {
    const r = await judgePerf({ summary: fx('k6-tag-forms.json'), thresholds: ['http_req_duration{name:POST /pets}:p(95)<150', "http_req_duration{name:'POST /pets'}:p(95)<150"] });
    expect(ids(r)).toEqual([]);
    expect(row(r, 'http_req_duration{name:POST /pets}', 'p(95)')).toMatchObject({ actual: 140, status: 'pass' });
    expect(r.table.filter((x) => x.origin === 'cli')).toHaveLength(1); // one sub-metric, one threshold
  });

  test('summaryTrendStats written p(99.90) answers p(99.9)', async () => {
    const r = await judgePerf({ summary: fx('k6-tag-forms.json'), thresholds: ['http_req_duration:p(99.9)<500', 'http_req_duration{name:GET /pets/{id}}:p(99.90)<100'] });
    expect(ids(r)).toEqual(['perf-threshold-failed']);
    expect(row(r, 'http_req_duration', 'p(99.9)')).toMatchObject({ actual: 390.2, status: 'pass' });
    expect(row(r, 'http_req_duration{name:GET /pets/{id}}', 'p(99.9)')).toMatchObject({ actual: 118, status: 'fail' });
  });

  test('a gauge and a custom Trend of non-times may be negative in k6: judged, not called invalid', async () => {
    const r = await judgePerf({ summary: fx('k6-tag-forms.json'), thresholds: ['clock_skew_ms:value<5', 'stock_delta:avg<0'] });
    expect(r.findings).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(row(r, 'clock_skew_ms', 'value')).toMatchObject({ actual: -12, status: 'pass' });
    expect(row(r, 'stock_delta', 'avg')).toMatchObject({ actual: -1.5, status: 'pass' });
  });

  test('a negative built-in time is still invalid', async () => {
    const dir = tempDir();
    const f = writeJson(dir, 'neg.json', { metrics: { http_reqs: { count: 1, rate: 1 }, http_req_waiting: { avg: -3, min: -5, med: 1, max: 2, 'p(90)': 1, 'p(95)': 1 } } });
    const r = await judgePerf({ summary: f, thresholds: ['http_req_waiting:avg<10'] });
    expect(ids(r)).toEqual(['perf-value-invalid']);
  });
});

describe('a metric the budget names that has no measurement never passes silently', () => {
  test('a sub-metric the legacy summary lacks: the message says why (no threshold declared on it), not "k6 exits 104"', async () => {
    const r = await judgePerf({ summary: fx('legacy-export.json'), thresholds: ['http_req_duration{scenario:browse}:p(95)<300', 'search_duration:p(95)<100'] });
    const missing = r.findings.filter((f) => f.id !== 'k6-threshold-failed');
    expect(missing.map((f) => f.id)).toEqual(['perf-metric-missing', 'perf-metric-missing']);
    const [sub, custom] = missing.map((f) => f.message);
    expect(sub).toContain("http_req_duration{scenario:browse}: no such metric in the summary '");
    expect(sub).toContain("k6 writes a tagged sub-metric into its summary only when the script declares a threshold on it: add 'http_req_duration{scenario:browse}' to the script's options.thresholds");
    expect(sub).not.toContain('exit 104');
    expect(custom).toContain('search_duration: no such metric');
    expect(custom).toContain('a custom metric the script defines appears only once it gets a sample');
  });

  test('k6 writes a thresholded sub-metric with no samples as zeros: the budget on it is an error, k6\'s own pass a warning', async () => {
    const r = await judgePerf({
      summary: fx('legacy-empty-submetrics.json'),
      thresholds: ['http_req_duration{scenario:checkout}:p(95)<300', 'http_req_failed{scenario:checkout}:rate<0.01', 'http_reqs{status:500}:count<1'],
    });
    expect(r.verdict).toBe('fail');
    const errors = r.findings.filter((f) => f.level === 'error');
    expect(errors.map((f) => f.id)).toEqual(['perf-metric-empty', 'perf-metric-empty']);
    expect(errors[0]!.message).toMatch(/^http_req_duration\{scenario:checkout\} has no samples in '.*legacy-empty-submetrics.json': no http_req_duration sample carried scenario:checkout .*so threshold p\(95\)<300 cannot be judged/);
    expect(errors[1]!.message).toContain('http_req_failed{scenario:checkout} has no samples');
    // A counter of nothing is 0: "no 500s" passes.
    expect(row(r, 'http_reqs{status:500}', 'count')).toMatchObject({ actual: 0, status: 'pass' });
    expect(r.findings.filter((f) => f.level === 'warning').map((f) => f.message)).toEqual([
      expect.stringContaining("k6 passed its threshold 'p(95)<300' on http_req_duration{scenario:checkout}, which has no samples"),
      expect.stringContaining("k6 passed its threshold 'rate<0.01' on http_req_failed{scenario:checkout}, which has no samples"),
    ]);
  });

  test('NDJSON: a misspelt tag matches no sample; trend and rate are errors naming the tag, a counter is 0 with a note', async () => {
    const r = await judgePerf({
      summary: fx('multi-scenario.ndjson'),
      thresholds: ['http_req_duration{scenario:chekout}:p(95)<100', 'http_req_failed{scenario:chekout}:rate<0.1', 'http_reqs{scenario:chekout}:count<100'],
    });
    expect(r.findings.map((f) => [f.id, f.level])).toEqual([
      ['perf-metric-empty', 'error'],
      ['perf-metric-empty', 'error'],
      ['perf-metric-empty', 'info'],
    ]);
    expect(r.findings[0]!.message).toContain('no http_req_duration sample carried scenario:chekout (a misspelt tag, a scenario that never ran');
    expect(r.findings[0]!.message).not.toContain('NaN');
  });

  // The hand-written machine-readable summary lives in ../shared (CI has it; a user's clone does not).
  (existsSync(K6_FORMATS) ? test : test.skip)('machine-readable summary: `checks` is still k6\'s checks rate; p(99) points at the schema, not summaryTrendStats', async () => {
    const summary = path.join(K6_FORMATS, 'summary.machine-readable-v1.0.0.HAND-WRITTEN.json');
    const r = await judgePerf({ summary, thresholds: ['checks:rate>0.99', 'iteration_duration:p(99)<10'] });
    expect(row(r, 'checks', 'rate')).toMatchObject({ actual: 1, status: 'pass' });
    expect(ids(r)).toEqual(['perf-aggregation-missing']);
    expect(r.findings[0]!.message).toContain('keeps only avg, min, med, max, p(90) and p(95) of a trend whatever summaryTrendStats says');
  });
});

describe('percentiles of the --out json stream follow k6 (linear interpolation)', () => {
  test('several scenarios and tags: the figures k6 prints, and the verdict k6 gives its own thresholds', async () => {
    const r = await judgePerf({
      summary: fx('multi-scenario.ndjson'),
      thresholds: [
        'http_req_duration{scenario:checkout,method:POST}:p(95)<390',
        'http_req_duration{scenario:checkout}:med<=250',
        'http_reqs{scenario:checkout}:count>=5',
        'checkout_items:p(50)<2.6',
        'queue_depth:value<5',
        'payment_errors:rate<0.3',
      ],
    });
    // 4 POST durations 100..400: rank 0.95·3 = 2.85 → 300 + 0.85·100 = 385 (the highest sample, 400, is not the p(95)).
    expect(row(r, 'http_req_duration{scenario:checkout,method:POST}', 'p(95)')).toMatchObject({ actual: 385, status: 'pass' });
    expect(row(r, 'http_req_duration{scenario:checkout}', 'med')).toMatchObject({ actual: 250, status: 'pass' });
    expect(row(r, 'http_reqs{scenario:checkout}', 'count')).toMatchObject({ actual: 5, status: 'pass' });
    expect(row(r, 'checkout_items', 'p(50)')).toMatchObject({ actual: 2.5, status: 'pass' });
    expect(row(r, 'queue_depth', 'value')).toMatchObject({ actual: 4, status: 'pass' }); // a gauge's last value
    expect(row(r, 'payment_errors', 'rate')).toMatchObject({ actual: 0.25, status: 'pass' });
    // The script's thresholds (strings and the abortOnFail object) pass as they did in k6: 14 durations, p(95) = 335, med = 75, p(99) = 387.
    const script = r.table.filter((x) => x.origin === 'script');
    expect(script.map((x) => [x.metric, x.aggregation, x.status])).toEqual([
      ['http_reqs', 'count', 'pass'],
      ['http_req_duration', 'p(95)', 'pass'],
      ['http_req_duration', 'med', 'pass'],
      ['http_req_duration', 'p(99)', 'pass'],
      ['http_req_failed', 'rate', 'pass'],
      ['payment_errors', 'rate', 'pass'],
      // queue_depth value<5 is the same threshold as the --threshold above: judged once
    ]);
    expect(script.map((x) => x.actual)).toEqual([15, expect.closeTo(335, 9), expect.closeTo(75, 9), expect.closeTo(387, 9), 1 / 15, 0.25]);
    expect(r.verdict).toBe('pass');
  });

  test('beyond the exactly kept samples, the histogram is read at the two ranks and interpolated', () => {
    const t = new TrendAggregator();
    const n = 30_000;
    for (let i = 0; i < n; i++) t.add(i % 2 === 0 ? 100 : 200); // half 100, half 200
    // k6: rank 0.5·(n−1) = 14999.5 → halfway between the 15000th (100) and 15001st (200) sample.
    expect(t.quantile(50)).toBeCloseTo(150, 0);
    expect(t.quantile(25)).toBeCloseTo(100, 0);
    expect(t.quantile(99)).toBeCloseTo(200, 0);
  });

  test('exact values are not rounded to a histogram bucket', async () => {
    const s = await readSummary(fx('multi-scenario.ndjson'), { submetrics: ['http_req_duration{scenario:checkout}'] });
    expect(s.metrics.get('http_req_duration{scenario:checkout}')!.values.med).toBe(250);
    expect(s.metrics.get('http_req_duration')!.values['p(90)']).toBeCloseTo(270, 9); // rank 11.7 of 14: 200 + 0.7·100, not a bucket's edge
  });
});

describe('k6 exit code 99 with its summary', () => {
  test('the exit code and each failed k6 threshold are findings; k6 rows carry the unit', async () => {
    const r = await cli('judge', '--summary', fx('handle-summary.json'), '--k6-exit-code', '99', '--format', 'json');
    expect(r.code).toBe(1);
    const res = JSON.parse(r.out);
    expect(res.findings.map((f: { id: string }) => f.id).sort()).toEqual(['k6-threshold-failed', 'k6-threshold-failed', 'k6-thresholds-failed']);
    expect(res.findings.find((f: { id: string }) => f.id === 'k6-threshold-failed').message).toBe("k6 reports its threshold 'max<3000' on http_req_duration as failed (value 3512.7)");
    expect(res.table.find((x: { origin: string }) => x.origin === 'k6')).toMatchObject({ metric: 'http_req_duration', unit: 'ms' });
  });
});

describe('baselines', () => {
  const baseline = fx('baseline-p95-123.4.json');

  test('a regression of exactly the allowance passes (123.4 → 135.74 is 10%), whatever the floating point says', async () => {
    const r = await judgePerf({ summary: fx('current-p95-135.74.json'), baseline, maxRegression: '10%' });
    expect(ids(r)).toEqual(['perf-baseline-unidentified']);
    expect(r.verdict).toBe('pass');
  });

  test('just under passes; just over fails with a change that shows it is over', async () => {
    expect((await judgePerf({ summary: fx('current-p95-135.73.json'), baseline, maxRegression: '10%' })).verdict).toBe('pass');
    const r = await judgePerf({ summary: fx('current-p95-135.76.json'), baseline, maxRegression: '10%' });
    expect(r.verdict).toBe('fail');
    expect(r.findings.find((f) => f.id === 'perf-regression')!.message).toBe('http_req_duration p(95) grew from 123.4 to 135.8 (+10.02%), more than the 10% allowed');
    expect(renderPerf(r, 'text')).toMatch(/FAIL\s+http_req_duration\s+—\s+135\.8\s+123\.4\s+\+10\.02% \(max 10%\)/);
  });

  test('a baseline from another endpoint set is the same script: each endpoint without a counterpart is a warning', async () => {
    const r = await judgePerf({
      summary: fx('current-other-endpoints.json'),
      baseline,
      thresholds: ['http_req_duration{name:GET /v2/pets}:p(95)<300', 'http_req_duration{name:POST /v2/pets}:p(95)<300'],
    });
    expect(ids(r)).toEqual(['perf-baseline-metric-missing', 'perf-baseline-metric-missing', 'perf-baseline-unidentified']);
    expect(r.verdict).toBe('pass');
  });

  test('a regression allowance on an endpoint this run no longer has says so, with its budget line', async () => {
    const dir = tempDir();
    const budget = writeJson(dir, 'budget.yaml', "thresholds:\n  http_req_duration: ['p(95)<300']\nregression:\n  default: 10%\n  'http_req_duration{name:GET /pets}:p(95)': 5%\n");
    const r = await judgePerf({ summary: fx('current-other-endpoints.json'), baseline, budget });
    const f = r.findings.find((x) => x.id === 'perf-regression-metric-missing')!;
    expect(f).toMatchObject({ level: 'warning', operation: 'GET /pets', location: { file: budget, line: 5 } });
    expect(f.message).toContain("http_req_duration{name:GET /pets} p(95) is in the baseline 'test/perf/fixtures/qa/baseline-p95-123.4.json' but not in this run");
  });

  test('a baseline that shares no metric at all is still another script', async () => {
    const dir = tempDir();
    const other = writeJson(dir, 'other.json', { metrics: { grpc_req_duration: { avg: 1, min: 1, med: 1, max: 1, 'p(90)': 1, 'p(95)': 1 } } });
    const r = await judgePerf({ summary: fx('current-other-endpoints.json'), baseline: other, thresholds: ['http_req_duration{name:GET /v2/pets}:p(95)<300'] });
    expect(ids(r)).toContain('perf-baseline-other-script');
  });

  test('first run: a baseline file that does not exist yet is info, nothing compared; --require-baseline makes it fail', async () => {
    const dir = tempDir();
    const missing = path.join(dir, 'last', 'perf-result.json');
    const r = await cli('judge', '--summary', fx('current-p95-135.73.json'), '--baseline', missing, '--threshold', 'http_req_duration:p(95)<300', '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out);
    expect(res.findings).toEqual([expect.objectContaining({ id: 'perf-baseline-missing', level: 'info', message: expect.stringContaining(`no baseline yet: '${missing}' does not exist (a first run?)`) })]);
    const only = await judgePerf({ summary: fx('current-p95-135.73.json'), baseline: missing });
    expect(only.verdict).toBe('pass'); // a baseline alone is not "nothing to judge" on the first run

    const req = await cli('judge', '--summary', fx('current-p95-135.73.json'), '--baseline', missing, '--require-baseline', '--threshold', 'http_req_duration:p(95)<300', '--format', 'json');
    expect(req.code).toBe(1);
    expect(JSON.parse(req.out).findings).toEqual([expect.objectContaining({ id: 'perf-baseline-missing', level: 'error' })]);
    expect((await cli('judge', '--summary', fx('current-p95-135.73.json'), '--require-baseline', '--threshold', 'http_req_duration:p(95)<300')).err).toBe(
      'api-delivery perf: require-baseline: needs a baseline file to require\n',
    );
  });

  test('a baseline that exists but is a directory is still bad input', async () => {
    const r = await cli('judge', '--summary', fx('current-p95-135.73.json'), '--baseline', QA, '--threshold', 'http_req_duration:p(95)<300');
    expect(r.code).toBe(2);
    expect(r.err).toContain('is a directory');
  });
});
