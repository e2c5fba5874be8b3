/**
 * telemetry, on checks as SREs write them (QA pass), against the real Prometheus of ./prometheus.ts
 * (its hour of traffic plus a histogram in milliseconds and a counter that resets, added below; one
 * server behind a path prefix and basic auth) and, for what a real server will not do on demand, the
 * recording stand-in. Every query is evaluated at the data's last instant.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { main } from '../../src/cli/main.js';
import { parseReadyCheck, substitute } from '../../src/telemetry/checks.js';
import { runTelemetry, type TelemetryInputs, type TelemetryResult } from '../../src/telemetry/run.js';
import { startFake, vector, type Fake } from './fake.js';
import { openMetrics, PROMETHEUS, startPrometheus, T, T_ISO, type RunningPrometheus } from './prometheus.js';

if (PROMETHEUS.missing) console.log(PROMETHEUS.missing);
const withPrometheus = PROMETHEUS.missing ? describe.skip : describe;

/** A password with colons, and its bcrypt hash (cost 4) for Prometheus's web config. */
const USER = 'sre';
const PASSWORD = 'pa:ss:w0rd';
const BCRYPT = '$2b$04$jxv6Q/gkDR9fSSG2oGvpDeGZae2rvy2cojczFvRSIdCQSPHnPZMWW';

const START = T - 3600;

/**
 * The harness's traffic plus:
 * - service msvc: a histogram in milliseconds (`le` in ms), the /pets shape: p95 98.6 ms, avg 60 ms;
 * - service reset: 10 req/s, 1 % 500, both counters reset to 0 ten minutes before the end.
 */
function data(): string {
  const out = [openMetrics().replace(/# EOF\n$/, '').trimEnd(), '# TYPE api_latency_milliseconds histogram'];
  const les = ['50', '100', '250', '500', '1000', '+Inf'];
  const perSecond = [6, 9.6, 9.9, 10, 10, 10];
  for (let t = START; t <= T; t += 15) les.forEach((le, i) => out.push(`api_latency_milliseconds_bucket{service="msvc",le="${le}"} ${100_000 + perSecond[i]! * (t - START)} ${t}`));
  for (let t = START; t <= T; t += 15) out.push(`api_latency_milliseconds_count{service="msvc"} ${100_000 + 10 * (t - START)} ${t}`);
  for (let t = START; t <= T; t += 15) out.push(`api_latency_milliseconds_sum{service="msvc"} ${100_000 + 600 * (t - START)} ${t}`);
  out.push('# TYPE reset_requests counter');
  for (const [code, rate] of [['200', 9.9], ['500', 0.1]] as const) {
    for (let t = START; t <= T; t += 15) {
      const v = t < T - 600 ? 50_000 + rate * (t - START) : rate * (t - (T - 600));
      out.push(`reset_requests_total{service="reset",code="${code}"} ${v} ${t}`);
    }
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

let prom: RunningPrometheus | undefined;
let guarded: RunningPrometheus | undefined;
const fakes: Fake[] = [];
beforeAll(async () => {
  if (PROMETHEUS.missing) return;
  [prom, guarded] = await Promise.all([startPrometheus(data()), startPrometheus(openMetrics(), { routePrefix: '/prom', basicAuth: { user: USER, bcrypt: BCRYPT, password: PASSWORD } })]);
});
afterAll(async () => {
  await Promise.all([prom?.stop(), guarded?.stop(), ...fakes.map((f) => f.close())]);
});

const run = (i: TelemetryInputs): Promise<TelemetryResult> => runTelemetry({ prometheusUrl: prom!.url, at: T_ISO, ...i });
const rowsOf = (r: TelemetryResult) => r.rows.map((x) => `${x.check}${x.series ? ` ${x.series}` : ''}: ${x.result} ${x.shown}`);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['telemetry', ...argv], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

describe('checks as written', () => {
  test('spaces, s/ms/us, p99.9, a percent error rate', () => {
    expect(parseReadyCheck('p95 < 300ms')).toMatchObject({ name: 'p95', op: '<', limit: 300, unit: 'ms' });
    expect(parseReadyCheck('p99.9<1s')).toMatchObject({ name: 'p99.9', percentile: 99.9, limit: 1000 });
    expect(parseReadyCheck('p99 < 500us')).toMatchObject({ name: 'p99', limit: 0.5 });
    expect(parseReadyCheck('avg<250µs')).toMatchObject({ name: 'avg', limit: 0.25 });
    expect(parseReadyCheck('error-rate < 0.5 %')).toMatchObject({ name: 'error-rate', limit: 0.005, unit: 'ratio' });
    expect(() => parseReadyCheck('error-rate<5us')).toThrow(/an error rate has no time unit/);
  });

  test("a selector with a $' or $& in it reaches a PromQL check unchanged", () => {
    expect(substitute('sum(rate(x{$selector}[$window]))', { selector: "route=~'/pets$'", by: '', window: '5m' })).toBe("sum(rate(x{route=~'/pets$'}[5m]))");
    expect(substitute('x{code="500", $selector}', { selector: 'a=~"$&"', by: '', window: '5m' })).toBe('x{code="500",a=~"$&"}');
  });
});

withPrometheus('against a real Prometheus', () => {
  test('spaces, units and a percent: p95 < 300ms, p99.9<1s, avg<200000us, error-rate<0.5%', async () => {
    const r = await run({ checks: 'p95 < 300ms\np99.9<1s\navg<200000us\nerror-rate<0.5%', selector: 'service="pets"' });
    expect(rowsOf(r)).toEqual(['p95: fail 337 ms', 'p99.9: pass 925 ms', 'avg: pass 123 ms', 'error-rate: fail 1.8% (0.018)']);
  });

  test('a selector with regex and negative matchers', async () => {
    const r = await run({ checks: 'error-rate<0.5%', selector: 'service=~"pets|orders",route!~"/pets/.*"', by: 'route' });
    expect(rowsOf(r)).toEqual(['error-rate route="/orders": pass 0% (0)', 'error-rate route="/pets": pass 0.2% (0.002)']);
  });

  test("a PromQL check with a single-quoted selector ending in $ (was: the query cut and refused)", async () => {
    const checks = "- name: pets rps\n  query: sum(rate(http_requests_total{$selector}[$window]))\n  threshold: '>9'\n";
    const r = await run({ checks, selector: "route=~'/pets$'" });
    expect(r.rows.map((x) => [x.query, x.result])).toEqual([["sum(rate(http_requests_total{route=~'/pets$'}[15m]))", 'pass']]);
    expect(r.rows[0]!.value).toBeCloseTo(10, 6);
  });

  test('by with two labels: each combination judged, the operation names both values', async () => {
    const r = await run({ checks: 'error-rate<0.01', selector: 'service=~"pets|orders"', by: 'service, route' });
    expect(r.by).toBe('service,route');
    expect(rowsOf(r)).toEqual([
      'error-rate route="/orders", service="orders": pass 0% (0)',
      'error-rate route="/pets", service="pets": pass 0.2% (0.002)',
      'error-rate route="/pets/{id}", service="pets": fail 5% (0.05)',
    ]);
    expect(r.rows[0]!.query).toContain('sum by (service, route) (');
    expect(r.findings.map((f) => f.operation)).toEqual(['pets /pets/{id}']);
  });

  test('a histogram in milliseconds: its name says so, so it is read in ms without duration-unit', async () => {
    const r = await run({ checks: 'p95<300ms\navg<100ms', selector: 'service="msvc"', durationMetric: 'api_latency_milliseconds' });
    expect(rowsOf(r)).toEqual(['p95: pass 98.6 ms', 'avg: pass 60 ms']);
    // duration-unit given wins over the name
    const s = await run({ checks: 'p95<300ms', selector: 'service="msvc"', durationMetric: 'api_latency_milliseconds', durationUnit: 'seconds' });
    expect(s.rows[0]!.value).toBeCloseTo(98_611, 0);
  });

  test('counters that reset during the window: rate and increase see through the reset', async () => {
    const r = await run({ checks: 'error-rate<0.5%\nrequests>=1000', selector: 'service="reset"', requestsMetric: 'reset_requests_total', window: '30m' });
    expect(r.rows[0]!.value).toBeCloseTo(0.01, 6);
    expect(r.rows[1]!.value).toBeGreaterThan(17_000);
    expect(r.rows[1]!.value).toBeLessThan(18_500);
  });

  test('zero traffic never passes: NaN rates and no series are no data; requests>=1 fails', async () => {
    const idle = await run({ checks: 'error-rate<0.5%\np95<300ms\nrequests>=1', selector: 'service="idle"' });
    expect(idle.rows.map((x) => x.result)).toEqual(['no-data', 'no-data', 'fail']);
    expect(idle.verdict).toBe('fail');
    const none = await run({ checks: 'error-rate<0.5%', selector: 'service="gone"' });
    expect(none.rows.map((x) => x.result)).toEqual(['no-data']);
    expect(none.verdict).toBe('fail');
  });

  test('a PromQL check returning several series without by: one row per series; a scalar: one row; a string: exit 2', async () => {
    const checks = `- name: rps
  query: sum by (service) (rate(http_requests_total[$window]))
  threshold: '<12'
- name: total rps
  query: scalar(sum(rate(http_requests_total[$window])))
  threshold: '<100'
`;
    const r = await run({ checks });
    expect(rowsOf(r)).toEqual(['rps service="idle": pass 0', 'rps service="orders": pass 2', 'rps service="pets": fail 15', 'total rps: pass 17']);
    expect(r.findings.map((f) => f.operation)).toEqual(['service="pets"']);
    await expect(run({ checks: "- name: s\n  query: '\"hello\"'\n  threshold: '<1'\n" })).rejects.toThrow(/the query returns a string; a check needs a number/);
  });

  test('behind a path prefix with basic auth whose password has colons', async () => {
    const ok = await cli('--prometheus-url', guarded!.url, '--basic-auth', `${USER}:${PASSWORD}`, '--at', T_ISO, '--selector', 'service="orders"', '--check', 'error-rate<0.01', '--format', 'json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ verdict: 'pass', prometheus: guarded!.url });
    expect(guarded!.url).toMatch(/\/prom$/);
    const wrong = await cli('--prometheus-url', guarded!.url, '--basic-auth', `${USER}:pa:ss`, '--at', T_ISO, '--check', 'error-rate<0.01');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/answered 401 Unauthorized/);
    expect(wrong.err).not.toContain('pa:ss');
  });
});

describe('times', () => {
  async function fake(): Promise<Fake> {
    const f = await startFake([vector([{}, '0.001'])]);
    fakes.push(f);
    return f;
  }

  test('deployed-at in the future: bad input before any wait or query (was: a sleep until then)', async () => {
    const f = await fake();
    const now = Date.parse('2026-05-04T10:00:00Z');
    const slept: number[] = [];
    const hooks = { now: () => now, sleep: async (ms: number) => void slept.push(ms) };
    const i = { prometheusUrl: f.url, checks: 'error-rate<0.01', deployedAt: '2027-05-04T10:00:00Z', wait: '15m' };
    await expect(runTelemetry(i, hooks)).rejects.toThrow(/^deployed-at: 2027-05-04T10:00:00\.000Z is 365d in the future: give the time the release reached production/);
    await expect(runTelemetry({ ...i, wait: '' }, hooks)).rejects.toThrow(/is 365d in the future/);
    expect(slept).toEqual([]);
    expect(f.requests).toEqual([]);
  });

  test('deployed-at a few minutes ahead (clock skew) with wait: waits it out, within the longest wait', async () => {
    const f = await fake();
    let now = Date.parse('2026-05-04T10:00:00Z');
    const slept: number[] = [];
    const r = await runTelemetry(
      { prometheusUrl: f.url, checks: 'error-rate<0.01', deployedAt: '2026-05-04T10:02:00Z', wait: '5m' },
      { now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) },
    );
    expect(slept).toEqual([7 * 60_000]);
    expect(r.window).toBe('5m');
  });

  test('--wait longer than the longest wait: exit 2 before waiting', async () => {
    const r = await cli('--prometheus-url', 'http://127.0.0.1:9', '--check', 'p95<300ms', '--wait', '7h');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/wait: '7h' is longer than 6h: schedule the job later instead/);
  });

  test('--at before --deployed-at: exit 2, and the advice is not the wait that at excludes', async () => {
    const f = await fake();
    const r = await cli('--prometheus-url', f.url, '--check', 'p95<300ms', '--at', '2025-01-01T12:00:00Z', '--deployed-at', '2025-01-01T12:30:00Z');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/deployed-at: 2025-01-01T12:30:00\.000Z is not before the evaluation time 2025-01-01T12:00:00\.000Z \(at\): .*give an at after the deploy/);
    expect(r.err).not.toMatch(/use wait/);
    expect(f.requests).toEqual([]);
  });
});

describe('Prometheus warnings', () => {
  test('a warning (partial data) is a warning finding, which fail-on warning fails on; infos stay info', async () => {
    const f = await startFake([
      {
        body: {
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: {}, value: [T, '0.001'] }] },
          warnings: ['remote read: store 10.0.0.7:10901 unreachable'],
          infos: ['PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "x"'],
        },
      },
    ]);
    fakes.push(f);
    const r = await runTelemetry({ prometheusUrl: f.url, checks: 'error-rate<0.01', at: T_ISO });
    expect(r.findings.map((x) => `${x.level} ${x.id}: ${x.message}`)).toEqual([
      'warning prometheus-warning: error-rate: Prometheus warns: remote read: store 10.0.0.7:10901 unreachable (the value may rest on partial data)',
      'info prometheus-info: error-rate: Prometheus notes: PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "x"',
    ]);
    expect(r.verdict).toBe('pass');
    const strict = await runTelemetry({ prometheusUrl: f.url, checks: 'error-rate<0.01', at: T_ISO, failOn: 'warning' });
    expect(strict.verdict).toBe('fail');
  });
});

describe('by', () => {
  test.each([
    ['route,le', /by: 'le' is the histogram's bucket label/],
    ['route,route', /by: 'route' is given twice/],
    ['route,1x', /by: '1x' is not a Prometheus label name/],
  ])('%s is bad input', async (by, message) => {
    const r = await cli('--prometheus-url', 'http://127.0.0.1:9', '--check', 'p95<300ms', '--by', by);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
