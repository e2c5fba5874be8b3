/**
 * The gate against a real Prometheus (Debian's `prometheus` package) on 127.0.0.1, serving an hour of
 * backfilled traffic whose error rates and percentiles are known in advance (see ./prometheus.ts).
 * Every query is evaluated at the data's last instant (--at), so answers do not depend on the clock.
 * Without the binaries these tests skip, and say why.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { TELEMETRY_HELP } from '../../src/cli/telemetry.js';
import { COMMANDS } from '../../src/cli/main.js';
import { runTelemetry, type TelemetryInputs, type TelemetryResult } from '../../src/telemetry/run.js';
import { closedPort } from './fake.js';
import { PROMETHEUS, startPrometheus, T, T_ISO, type RunningPrometheus } from './prometheus.js';

if (PROMETHEUS.missing) console.log(PROMETHEUS.missing);
const withPrometheus = PROMETHEUS.missing ? describe.skip : describe;

let prom: RunningPrometheus | undefined;
const dir = mkdtempSync(path.join(tmpdir(), 'telemetry-real-'));
beforeAll(async () => {
  if (!PROMETHEUS.missing) prom = await startPrometheus();
});
afterAll(async () => {
  await prom?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const run = (i: TelemetryInputs): Promise<TelemetryResult> => runTelemetry({ prometheusUrl: prom!.url, at: T_ISO, ...i });
const rowsOf = (r: TelemetryResult) => r.rows.map((x) => `${x.check}${x.series ? ` ${x.series}` : ''}: ${x.result} ${x.shown}`);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['telemetry', '--prometheus-url', prom!.url, '--at', T_ISO, ...argv], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

test('telemetry is registered with its help', async () => {
  expect(COMMANDS.telemetry?.help).toBe(TELEMETRY_HELP);
  let out = '';
  expect(await main(['telemetry', '--help'], (s) => (out += s), () => {})).toBe(0);
  for (const word of ['error-rate<0.01', 'p95<300ms', '--prometheus-url', '--selector', '--by', '--window', '--wait', '--deployed-at', 'no-data', 'check-failed']) expect(out).toContain(word);
});

withPrometheus('error rate and p95 from a real Prometheus', () => {
  test('a healthy service passes: 0 % errors (no 5xx series at all), p95 47.5 ms', async () => {
    const r = await run({ checks: 'error-rate<0.01\np95<300ms', selector: 'service="orders"' });
    expect(r.verdict).toBe('pass');
    expect(r.findings).toEqual([]);
    expect(r.rows.map((x) => [x.check, x.result])).toEqual([
      ['error-rate', 'pass'],
      ['p95', 'pass'],
    ]);
    expect(r.rows[0]!.value).toBe(0);
    expect(r.rows[1]!.value).toBeCloseTo(47.5, 6);
    expect(r).toMatchObject({ gate: 'telemetry', window: '15m', evaluatedAt: '2025-01-01T12:00:00.000Z', selector: 'service="orders"', metrics: { checks: 2, 'checks failing': 0 } });
  });

  test('an unhealthy service fails both: 1.8 % errors over a 1 % budget, p95 337.5 ms over 300 ms', async () => {
    const r = await run({ checks: 'error-rate<0.01\np95<300ms', selector: 'service="pets"' });
    expect(r.verdict).toBe('fail');
    expect(r.rows[0]!.value).toBeCloseTo(0.018, 9);
    expect(r.rows[1]!.value).toBeCloseTo(337.5, 6);
    const messages = r.findings.map((f) => `${f.id} ${f.level}: ${f.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^check-failed error: error-rate is 1\.8% \(0\.018\), the budget is < 0\.01 \(1%\) \(query: \(sum\(rate\(http_requests_total\{service="pets",code=~"5\.\."\}\[15m\]\)\) or /),
      expect.stringMatching(/^check-failed error: p95 is 337 ms, the budget is < 300 ms \(query: histogram_quantile\(0\.95, sum by \(le\) \(rate\(http_request_duration_seconds_bucket\{service="pets"\}\[15m\]\)\)\)\)$/),
    ]);
    expect(r.findings[0]!.data).toMatchObject({ check: 'error-rate', threshold: '< 0.01 (1%)', window: '15m' });
    expect(r.findings[0]!.data!.value).toBeCloseTo(0.018, 9);
  });

  test('per route: each route judged on its own, the failing one named as the operation', async () => {
    const r = await run({ checks: 'error-rate<0.01\np95<300ms\navg<200ms', selector: 'service="pets"', by: 'route' });
    expect(rowsOf(r)).toEqual([
      'error-rate route="/pets": pass 0.2% (0.002)',
      'error-rate route="/pets/{id}": fail 5% (0.05)',
      'p95 route="/pets": pass 98.6 ms',
      'p95 route="/pets/{id}": fail 458 ms',
      'avg route="/pets": pass 60 ms',
      'avg route="/pets/{id}": fail 250 ms',
    ]);
    expect(r.findings.map((f) => `${f.operation} ${f.data!.check}`)).toEqual(['/pets/{id} error-rate', '/pets/{id} p95', '/pets/{id} avg']);
    expect(r.findings.find((f) => f.data!.check === 'p95')!.message).toMatch(/^p95 for route="\/pets\/\{id\}" is 458 ms, the budget is < 300 ms \(query: /);
  });

  test('the label selector decides which series count (a regex matcher too)', async () => {
    const both = await run({ checks: 'requests>=0', selector: 'service=~"pets|orders"' });
    const pets = await run({ checks: 'requests>=0', selector: 'service="pets"' });
    const all = await run({ checks: 'requests>=0' });
    expect(pets.rows[0]!.value).toBeCloseTo(13_500, 6); // 15 req/s for 15 minutes
    expect(both.rows[0]!.value).toBeCloseTo(15_300, 6);
    expect(all.rows[0]!.value).toBeCloseTo(15_300, 6); // idle adds nothing
  });

  test('a wrong metric name is no data, never a pass', async () => {
    const r = await run({ checks: 'error-rate<0.01\np95<300ms', selector: 'service="pets"', requestsMetric: 'http_request_total', durationMetric: 'http_latency_seconds' });
    expect(r.verdict).toBe('fail');
    expect(r.rows.map((x) => x.result)).toEqual(['no-data', 'no-data']);
    expect(r.findings.map((f) => [f.id, f.level])).toEqual([
      ['no-data', 'error'],
      ['no-data', 'error'],
    ]);
    expect(r.findings[0]!.message).toMatch(/^error-rate: no data — wrong metric\/label or no traffic: the query returned no series in the last 15m \(query: .*http_request_total/);
    expect(r.metrics).toMatchObject({ 'no data': 2, series: 0 });
  });

  test('a wrong label value (the selector matches nothing) is no data too', async () => {
    const r = await run({ checks: 'p95<300ms', selector: 'service="petz"' });
    expect(r.findings).toEqual([expect.objectContaining({ id: 'no-data', level: 'error' })]);
  });

  test('series without traffic give NaN (0/0): no data, with the reason; --no-data warning keeps the verdict', async () => {
    const r = await run({ checks: 'error-rate<0.01\np95<300ms', selector: 'service="idle"' });
    expect(r.rows.map((x) => [x.raw, x.value, x.result])).toEqual([
      ['NaN', null, 'no-data'],
      ['NaN', null, 'no-data'],
    ]);
    expect(r.findings[0]!.message).toMatch(/^error-rate: no data — wrong metric\/label or no traffic: the value is NaN \(0\/0: no requests in the window\)/);
    expect(r.verdict).toBe('fail');
    const lenient = await run({ checks: 'error-rate<0.01', selector: 'service="idle"', noData: 'warning' });
    expect(lenient).toMatchObject({ verdict: 'pass', findings: [expect.objectContaining({ id: 'no-data', level: 'warning' })] });
    expect((await run({ checks: 'error-rate<0.01', selector: 'service="idle"', noData: 'warning', failOn: 'warning' })).verdict).toBe('fail');
  });

  test('PromQL checks: $window and $selector replaced; vector and scalar answers; a failing one names its query', async () => {
    const file = path.join(dir, 'checks.yaml');
    writeFileSync(
      file,
      [
        'selector: service="pets"',
        'window: 10m',
        'checks:',
        '  - name: server errors per second',
        '    query: sum(rate(http_requests_total{$selector, code="500"}[$window]))',
        "    threshold: '<0.1'",
        '  - name: slowest bucket share',
        '    query: scalar(sum(rate(http_request_duration_seconds_bucket{$selector,le="0.5"}[$window])) / sum(rate(http_request_duration_seconds_count{$selector}[$window])))',
        "    threshold: '>=0.9'",
        '  - name: per route',
        '    query: sum by (route) (rate(http_requests_total{$selector}[$window]))',
        "    threshold: '>1'",
        '',
      ].join('\n'),
    );
    const r = await run({ checksFile: file });
    expect(rowsOf(r)).toEqual([
      'server errors per second: fail 0.27',
      'slowest bucket share: pass 0.993333',
      'per route route="/pets": pass 10',
      'per route route="/pets/{id}": pass 5',
    ]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe(
      'server errors per second is 0.27, the budget is < 0.1 (query: sum(rate(http_requests_total{service="pets",code="500"}[10m])))',
    );
    expect(r.window).toBe('10m');
  });

  test('a PromQL check answered with no series: no data, unless it says no-data: warning', async () => {
    const r = await run({ checks: "- name: teapots\n  query: sum(rate(http_requests_total{code=\"418\"}[$window]))\n  threshold: '<1'\n  no-data: warning\n" });
    expect(r).toMatchObject({ verdict: 'pass', findings: [expect.objectContaining({ id: 'no-data', level: 'warning' })] });
  });

  test('deployed-at: the window never reaches back before the release', async () => {
    const r = await run({ checks: 'requests>=0', selector: 'service="pets"', deployedAt: String(T - 300) });
    expect(r.window).toBe('5m');
    expect(r.deployedAt).toBe('2025-01-01T11:55:00.000Z');
    expect(r.rows[0]!.value).toBeCloseTo(4500, 6);
    expect(r.rows[0]!.query).toBe('sum(increase(http_requests_total{service="pets"}[5m]))');
    await expect(run({ checks: 'requests>=0', deployedAt: String(T + 60) })).rejects.toThrow(/^deployed-at: 2025-01-01T12:01:00\.000Z is not before the evaluation time/);
  });

  test('a query Prometheus cannot parse, or one that returns a range: a service error naming the check', async () => {
    await expect(run({ checks: "- name: broken\n  query: sum(rate(http_requests_total[$window])\n  threshold: '<1'\n" })).rejects.toThrow(
      /^check 'broken': Prometheus refused the query \(400 bad_data: invalid parameter "query": .*parse error.*\); query: sum\(rate\(http_requests_total\[15m\]\)$/,
    );
    await expect(run({ checks: "- name: range\n  query: http_requests_total[$window]\n  threshold: '<1'\n" })).rejects.toThrow(
      /^check 'range': the query returns a range vector \(matrix\); a check needs one value per series/,
    );
  });
});

withPrometheus('api-delivery telemetry against a real Prometheus: exit codes', () => {
  test('0: every check within budget; the text report lists every check', async () => {
    const r = await cli('--check', 'error-rate<1%', '--check', 'p95<300ms', '--selector', 'service="orders"');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^telemetry: PASS \(no findings\)/);
    expect(r.out).toContain('  pass     p95: 47.5 ms (budget < 300 ms)');
  });

  test('1: a check over budget; JSON is the GateResult with the rows', async () => {
    const r = await cli('--check', 'p95<300ms', '--selector', 'service="pets"', '--by', 'route', '--format', 'json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ gate: 'telemetry', verdict: 'fail', by: 'route', findings: [{ id: 'check-failed', operation: '/pets/{id}' }] });
    expect(json.rows).toHaveLength(2);
  });

  test('1: no data; markdown has the table of checks', async () => {
    const r = await cli('--check', 'p95<300ms', '--selector', 'service="idle"', '--format', 'markdown');
    expect(r.code).toBe(1);
    expect(r.out).toContain('| Check | Query | Value | Threshold | Result |');
    expect(r.out).toMatch(/\| p95 \| `histogram_quantile\(0\.95, sum by \(le\) \(rate\(http_request_duration_seconds_bucket\{service="idle"\}\[15m\]\)\)\)` \| NaN \| &lt; 300 ms \| ⚠️ no data \|/);
  });

  test('2: a query Prometheus refuses', async () => {
    const r = await cli('--check', 'p95<300ms', '--duration-metric', 'http_request_duration_seconds', '--selector', 'service="pets"', '--error-status', '5..', '--status-label', 'code', '--window', '1y2x');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/window: '1y2x' is not a duration/);
    const refused = await cli('--check', 'error-rate<0.01', '--error-status', '5..(');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^api-delivery telemetry: check 'error-rate': Prometheus refused the query \(400 bad_data: /);
  });

  test('2: nothing listens at the URL', async () => {
    const closed = await closedPort();
    let out = '';
    let err = '';
    const code = await main(['telemetry', '--prometheus-url', `http://127.0.0.1:${closed}`, '--check', 'p95<300'], (s) => (out += s), (s) => (err += s));
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`api-delivery telemetry: check 'p95': cannot reach Prometheus at http://127.0.0.1:${closed} (ECONNREFUSED): check prometheus-url and that the runner can reach it\n`);
  });
});
