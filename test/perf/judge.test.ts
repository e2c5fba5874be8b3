import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { judgePerf } from '../../src/perf/run.js';
import { renderPerf } from '../../src/perf/report.js';
import { cleanTempDirs, K6_FORMATS, legacySummary, tempDir, writeJson } from './helpers.js';

afterAll(cleanTempDirs);
const dir = tempDir();
const ids = (r: { findings: { id: string }[] }) => r.findings.map((f) => f.id).sort();

describe('thresholds, globally and per endpoint tag', () => {
  const summary = writeJson(dir, 'summary.json', legacySummary({ p95: 250, failed: 0.002 }));

  test('all within budget: pass, table rows with actual values, headline metrics', async () => {
    const r = await judgePerf({ summary, thresholds: ['http_req_duration:p(95)<300', 'http_req_duration{name:GET /pets}:p(95)<300', 'http_req_failed:rate<0.01', 'http_reqs:count>100'] });
    expect(r.verdict).toBe('pass');
    expect(r.findings).toEqual([]);
    expect(r.table.map((row) => [row.metric, row.aggregation, row.actual, row.status])).toEqual([
      ['http_req_duration', 'p(95)', 250, 'pass'],
      ['http_req_duration{name:GET /pets}', 'p(95)', 250, 'pass'],
      ['http_req_failed', 'rate', 0.002, 'pass'],
      ['http_reqs', 'count', 1000, 'pass'],
    ]);
    expect(r.metrics).toEqual({ 'p95-ms': 250, 'error-rate': 0.002, rps: 100, requests: 1000 });
  });

  test('a failed per-endpoint budget is an error finding on that endpoint, located in the budget file', async () => {
    const budget = writeJson(dir, 'budget.yaml', "thresholds:\n  http_req_duration: ['p(95)<300']\n  'http_req_duration{name:GET /pets}':\n    - 'p(95)<200'\n");
    const r = await judgePerf({ summary, budget, cwd: dir });
    expect(r.verdict).toBe('fail');
    expect(r.findings).toEqual([
      expect.objectContaining({
        id: 'perf-threshold-failed',
        operation: 'GET /pets',
        location: { file: budget, line: 4 },
        message: expect.stringContaining('http_req_duration{name:GET /pets} p(95) = 250.0, budget p(95) < 200'),
      }),
    ]);
  });

  test('a metric that does not exist is an error with suggestions, not a silent pass', async () => {
    const r = await judgePerf({ summary, thresholds: ['http_req_duraton:p(95)<300', 'http_req_duration{name:GET /pet}:p(95)<300'] });
    expect(r.verdict).toBe('fail');
    expect(ids(r)).toEqual(['perf-metric-missing', 'perf-metric-missing']);
    expect(r.findings[0]!.message).toMatch(/did you mean `http_req_duration`/);
    expect(r.findings[1]!.message).toMatch(/did you mean `http_req_duration`, `http_req_duration\{name:GET \/pets\}`/);
  });

  test("an aggregation the metric's type does not take, or a percentile the summary lacks, is an error", async () => {
    const r = await judgePerf({ summary, thresholds: ['http_req_failed:p(95)<1', 'http_req_duration:p(99.9)<1000', 'http_reqs:value>1'] });
    expect(ids(r)).toEqual(['perf-aggregation-missing', 'perf-threshold-invalid-aggregation', 'perf-threshold-invalid-aggregation']);
    expect(r.findings.find((f) => f.id === 'perf-aggregation-missing')!.message).toMatch(/add 'p\(99.9\)' to the script's summaryTrendStats/);
  });

  test('NaN and negative values are errors when budgeted and warnings elsewhere', async () => {
    const f = writeJson(dir, 'nan.json', legacySummary({ extra: { http_req_waiting: { avg: -3, min: -5, med: 1, max: 2, 'p(90)': 1, 'p(95)': 1 } } }));
    const s = JSON.parse(readFileSync(f, 'utf8'));
    s.metrics.http_req_duration['p(95)'] = 'NaN';
    writeJson(dir, 'nan.json', s);
    const r = await judgePerf({ summary: f, thresholds: ['http_req_duration:p(95)<300'] });
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((x) => [x.id, x.level])).toEqual(
      expect.arrayContaining([
        ['perf-value-invalid', 'error'],
        ['perf-value-invalid', 'warning'],
      ]),
    );
    expect(r.findings.find((x) => x.level === 'warning')!.message).toMatch(/http_req_waiting holds avg = -3, min = -5/);
  });

  test('nothing to judge is a failure, never a pass', async () => {
    const r = await judgePerf({ summary });
    expect(r.verdict).toBe('fail');
    expect(ids(r)).toEqual(['perf-nothing-judged']);
  });

  test('bad threshold syntax on the command line is bad input (exit 2 path)', async () => {
    await expect(judgePerf({ summary, thresholds: ['http_req_duration:p95<300'] })).rejects.toThrow(/^threshold: 'p95<300' is not a k6 threshold expression/);
  });

  test('fail-on never reports but passes', async () => {
    const r = await judgePerf({ summary, thresholds: ['http_req_duration:p(95)<1'], failOn: 'never' });
    expect(r.verdict).toBe('pass');
    expect(ids(r)).toEqual(['perf-threshold-failed']);
  });
});

describe("k6's exit code", () => {
  const summary = writeJson(dir, 'ok.json', legacySummary());
  test.each([
    ['0', []],
    ['99', ['k6-thresholds-failed']],
    ['107', ['k6-run-failed']],
    ['104', ['k6-run-failed']],
  ])('%s', async (code, expected) => {
    const r = await judgePerf({ summary, thresholds: ['http_reqs:count>1'], k6ExitCode: code });
    expect(ids(r)).toEqual(expected);
    expect(r.verdict).toBe(expected.length ? 'fail' : 'pass');
  });
  test('each code is explained', async () => {
    const r = await judgePerf({ summary, k6ExitCode: '107' });
    expect(r.findings[0]!.message).toBe('k6 exited 107: the script threw an exception. The run did not complete as designed, so its numbers cannot pass the gate');
    const r99 = await judgePerf({ summary, k6ExitCode: '99' });
    expect(r99.findings[0]!.message).toMatch(/one or more of the script's thresholds failed/);
    await expect(judgePerf({ summary, k6ExitCode: '300' })).rejects.toThrow(/not a process exit code/);
  });
});

describe('baseline', () => {
  const budget = writeJson(dir, 'b2.yaml', "thresholds:\n  http_req_duration: ['p(95)<1000']\n  http_req_failed: ['rate<0.05']\nregression:\n  default: 10%\n  'http_req_failed:rate': '+0.005'\n");

  test('the result file of an earlier run is the baseline; p(95) growth beyond 10% fails', async () => {
    const before = await judgePerf({ summary: writeJson(dir, 's1.json', legacySummary({ p95: 200 })), budget, script: 'k6:load.js' });
    const baseline = writeJson(dir, 'perf-result.json', before);
    const same = await judgePerf({ summary: writeJson(dir, 's2.json', legacySummary({ p95: 215 })), budget, baseline, script: 'k6:load.js' });
    expect(same.verdict).toBe('pass');
    expect(same.table.find((r) => r.aggregation === 'p(95)')).toMatchObject({ baseline: 200, actual: 215, allowed: '10%' });
    expect(same.table.find((r) => r.aggregation === 'p(95)')!.changePct).toBeCloseTo(7.5);
    const worse = await judgePerf({ summary: writeJson(dir, 's3.json', legacySummary({ p95: 240, failed: 0.004 })), budget, baseline, script: 'k6:load.js' });
    expect(worse.verdict).toBe('fail');
    expect(worse.findings).toEqual([
      expect.objectContaining({ id: 'perf-regression', message: 'http_req_duration p(95) grew from 200.0 to 240.0 (+20.0%), more than the 10% allowed', location: { file: budget, line: 5 } }),
    ]);
    // Error rate grew by 0.004 from 0: within the absolute +0.005 allowance.
    expect(worse.table.find((r) => r.metric === 'http_req_failed')).toMatchObject({ baseline: 0, actual: 0.004, status: 'pass' });
  });

  test('--max-regression replaces the budget file\'s regression default; its per-metric keys still apply', async () => {
    const before = await judgePerf({ summary: writeJson(dir, 's8.json', legacySummary({ p95: 200 })), budget, script: 'k6:load.js' });
    const baseline = writeJson(dir, 'perf-result-2.json', before);
    // p(95) +20%: over the file's 10% default, within the 25% given.
    const r = await judgePerf({ summary: writeJson(dir, 's9.json', legacySummary({ p95: 240, failed: 0.006 })), budget, baseline, script: 'k6:load.js', maxRegression: '25%' });
    expect(r.table.find((x) => x.aggregation === 'p(95)')).toMatchObject({ allowed: '25%', status: 'pass' });
    // The failure rate's own key (+0.005) still applies: 0 → 0.006 is a regression.
    expect(r.findings.map((f) => [f.id, f.message.split(' ')[0]])).toEqual([['perf-regression', 'http_req_failed']]);
  });

  test('--max-regression applies to every budgeted aggregation; a raw k6 summary works as baseline', async () => {
    const baseline = writeJson(dir, 'base-summary.json', legacySummary({ p95: 100 }));
    const r = await judgePerf({ summary: writeJson(dir, 's4.json', legacySummary({ p95: 104 })), thresholds: ['http_req_duration:p(95)<1000'], baseline, maxRegression: '3%' });
    expect(ids(r)).toEqual(['perf-baseline-unidentified', 'perf-regression']);
  });

  test('a baseline from another script is an error, and nothing is compared', async () => {
    const before = await judgePerf({ summary: writeJson(dir, 's5.json', legacySummary()), budget, script: 'k6:checkout.js' });
    const baseline = writeJson(dir, 'other.json', before);
    const r = await judgePerf({ summary: writeJson(dir, 's6.json', legacySummary()), budget, baseline, script: 'k6:load.js' });
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((f) => f.id)).toEqual(['perf-baseline-other-script']);
    expect(r.findings[0]!.message).toMatch(/measured with k6:checkout.js, this run with k6:load.js/);
  });

  test('a baseline with none of the compared metrics is from another script', async () => {
    const baseline = writeJson(dir, 'unrelated.json', { metrics: { my_counter: { count: 3, rate: 1 } } });
    const r = await judgePerf({ summary: writeJson(dir, 's7.json', legacySummary()), budget, baseline });
    expect(ids(r)).toContain('perf-baseline-other-script');
    expect(r.verdict).toBe('fail');
  });

  test('a baseline that lacks one endpoint warns about that endpoint only', async () => {
    const b = legacySummary({ p95: 100 }) as { metrics: Record<string, unknown> };
    delete b.metrics['http_req_duration{name:GET /pets}'];
    const baseline = writeJson(dir, 'no-pets.json', b);
    const r = await judgePerf({ summary: writeJson(dir, 's8.json', legacySummary({ p95: 100 })), thresholds: ['http_req_duration:p(95)<300', 'http_req_duration{name:GET /pets}:p(95)<300'], baseline });
    expect(r.findings.filter((f) => f.id === 'perf-baseline-metric-missing').map((f) => f.operation)).toEqual(['GET /pets']);
    expect(r.verdict).toBe('pass');
  });

  test('a baseline from another gate is bad input', async () => {
    const baseline = writeJson(dir, 'breaking.json', { gate: 'breaking', verdict: 'pass', findings: [] });
    await expect(judgePerf({ summary: writeJson(dir, 's9.json', legacySummary()), thresholds: ['http_reqs:count>1'], baseline })).rejects.toThrow(/^baseline: '.*breaking.json' is a GateResult of the 'breaking' gate/);
  });
});

describe('distributed k6 (k6-operator, Grafana Cloud k6): the same summary formats', () => {
  // k6-operator runs N k6 pods, each writing its own --summary-export; aggregated results come from
  // an output (e.g. --out json per pod, or Grafana Cloud k6's machine-readable summary download).
  test('a machine-readable summary from a cloud run (execution: cloud) is judged like a local one', async () => {
    const cloud = {
      version: '1.0.0',
      config: { duration: 600.5, execution: 'cloud', script: 'load.js' },
      metadata: { generated_at: '2026-11-01T10:00:00.5Z', k6_version: '2.2.0' },
      results: {
        metrics: [
          { name: 'http_req_duration', type: 'trend', contains: 'time', values: { avg: 80, min: 3, med: 70, max: 2000, p90: 150, p95: 240 } },
          { name: 'http_req_duration{name:GET /pets}', type: 'trend', contains: 'time', values: { avg: 60, min: 3, med: 50, max: 900, p90: 110, p95: 180 } },
          { name: 'http_req_failed', type: 'rate', contains: 'default', values: { matches: 120, total: 60000, rate: 0.002 } },
          { name: 'http_reqs', type: 'counter', contains: 'default', values: { count: 60000 } },
        ],
      },
    };
    const r = await judgePerf({ summary: writeJson(dir, 'cloud.json', cloud), thresholds: ['http_req_duration:p(95)<300', 'http_req_duration{name:GET /pets}:p(95)<150', 'http_req_failed:rate<0.01'] });
    expect(r.findings.map((f) => [f.id, f.operation])).toEqual([['perf-threshold-failed', 'GET /pets']]);
    expect(r.metrics).toMatchObject({ 'p95-ms': 240, 'error-rate': 0.002 });
    expect(r.metrics!.rps).toBeCloseTo(60000 / 600.5, 2);
    expect(r.summary).toMatchObject({ source: 'machine-readable-v1', k6Version: '2.2.0', script: 'load.js' });
  });

  test('the NDJSON streams of several k6-operator runners, concatenated, are judged as one run', async () => {
    const runner = (pod: number, durations: number[]) =>
      [
        JSON.stringify({ type: 'Metric', data: { name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: ['p(95)<300'], submetrics: null }, metric: 'http_req_duration' }),
        ...durations.map((v, i) => JSON.stringify({ type: 'Point', data: { time: `2026-11-01T10:00:0${i}Z`, value: v, tags: { name: 'GET /pets', instance_id: String(pod) } }, metric: 'http_req_duration' })),
      ].join('\n');
    const f = writeJson(dir, 'operator.ndjson', `${runner(0, [10, 20, 30, 40, 50])}\n${runner(1, [500, 600, 700, 800, 900])}\n`);
    const r = await judgePerf({ summary: f, thresholds: ['http_req_duration{name:GET /pets}:max<1000'] });
    const p95 = r.table.find((row) => row.origin === 'script')!;
    expect(p95).toMatchObject({ metric: 'http_req_duration', aggregation: 'p(95)', status: 'fail' });
    expect(p95.actual).toBeGreaterThanOrEqual(800);
    expect(r.table.find((row) => row.origin === 'cli')).toMatchObject({ actual: 900, status: 'pass' });
  });
});

describe('rendering', () => {
  test('markdown: the budget table sits under the headline; text: a table first', async () => {
    const summary = writeJson(dir, 'render.json', legacySummary({ p95: 350 }));
    const r = await judgePerf({ summary, thresholds: ['http_req_duration:p(95)<300', 'http_req_failed:rate<0.01'] });
    const md = renderPerf(r, 'markdown');
    expect(md).toMatch(/^## ❌ perf: failed/);
    expect(md).toContain('| | Metric | Budget | Actual | Baseline | Change |');
    expect(md).toContain('| ❌ | `http_req_duration` | p(95) &lt; 300 (cli) | 350.0 | — | — |');
    expect(md.indexOf('### Budget')).toBeLessThan(md.indexOf('perf-threshold-failed'));
    const text = renderPerf(r, 'text');
    expect(text.split('\n')[1]).toMatch(/^FAIL\s+http_req_duration\s+p\(95\) < 300 \(cli\)\s+350\.0/);
  });
});

const hasShared = existsSync(K6_FORMATS);
(hasShared ? test : test.skip)("k6's legacy fixture: k6's own failed thresholds become findings (booleans read the right way round)", async () => {
  const r = await judgePerf({ summary: path.join(K6_FORMATS, 'summary-export.legacy.k6-test-fixture.json') });
  expect(r.findings.filter((f) => f.id === 'k6-threshold-failed').map((f) => f.data!.threshold).sort()).toEqual(['my_trend<1000', 'rate<100']);
});
