/**
 * What a real Prometheus will not do on demand, from a recording stand-in on 127.0.0.1: 503 and 429 with
 * Retry-After, HTML from a proxy, errors, a hang; and the requests themselves (method, path prefix, form
 * fields, credentials). Every failure is a ServiceError: exit 2 with a message, never a verdict.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { main } from '../../src/cli/main.js';
import { ServiceError } from '../../src/kit/errors.js';
import { runTelemetry, type TelemetryInputs } from '../../src/telemetry/run.js';
import { closedPort, startFake, vector, type Answer, type Fake } from './fake.js';

const fakes: Fake[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function fake(...answers: Answer[]): Promise<Fake> {
  const f = await startFake(answers);
  fakes.push(f);
  return f;
}

const AT = '2025-01-01T12:00:00Z';
const run = (f: Fake, i: TelemetryInputs = {}) => runTelemetry({ prometheusUrl: f.url, checks: 'error-rate<0.01', at: AT, ...i });
const ok = vector([{}, '0.001']);
const apiError = (status: number, errorType: string, error: string): Answer => ({ status, body: { status: 'error', errorType, error } });

describe('requests', () => {
  test('POST form-encoded to <url>/api/v1/query with query, time and timeout; bearer token and extra headers', async () => {
    const f = await fake(ok);
    const r = await runTelemetry({ prometheusUrl: `${f.url}/prom/`, checks: 'p95<300ms', at: AT, token: 't0ken', headers: ['X-Scope-OrgID: team-a'], queryTimeout: '20s', selector: 'job="api"' });
    expect(r.verdict).toBe('pass');
    expect(f.requests).toHaveLength(1);
    const [req] = f.requests;
    expect(req).toMatchObject({
      method: 'POST',
      path: '/prom/api/v1/query',
      form: { query: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[15m])))', time: '1735732800.000', timeout: '20s' },
    });
    expect(req!.headers).toMatchObject({ authorization: 'Bearer t0ken', 'x-scope-orgid': 'team-a', 'content-type': 'application/x-www-form-urlencoded' });
  });

  test('basic auth; without --at no time is sent (the server evaluates now)', async () => {
    const f = await fake(ok);
    await runTelemetry({ prometheusUrl: f.url, checks: 'error-rate<0.01', basicAuth: 'ops:pw' });
    expect(f.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('ops:pw').toString('base64')}`);
    expect(f.requests[0]!.form.time).toBeUndefined();
  });
});

describe('answers', () => {
  test('a scalar answer, a PromQL info annotation passed on as a warning is an info finding, NaN and +Inf values', async () => {
    const f = await fake(
      { body: { status: 'success', data: { resultType: 'scalar', result: [1735732800, '0.5'] }, warnings: ['PromQL info: metric might not be a counter'] } },
      vector([{ route: '/a' }, '+Inf'], [{ route: '/b' }, 'NaN'], [{ route: '/c' }, '0.1']),
    );
    const r = await run(f, { checks: "- name: ratio\n  query: scalar(x)\n  threshold: '<1'\n- p99<500ms\n", by: 'route' });
    expect(r.rows.map((x) => `${x.check} ${x.series} ${x.raw} ${x.result}`)).toEqual(['ratio  0.5 pass', 'p99 route="/a" +Inf fail', 'p99 route="/b" NaN no-data', 'p99 route="/c" 0.1 pass']);
    expect(r.findings.map((f) => `${f.level} ${f.id} ${f.operation ?? '-'}: ${f.message.replace(/ \(query: .*$/, '')}`)).toEqual([
      "error check-failed /a: p99 for route=\"/a\" is +Inf (above the histogram's highest finite bucket), the budget is < 500 ms",
      'error no-data /b: p99 for route="/b": no data — wrong metric/label or no traffic: the value is NaN (0/0: no requests in the window)',
      'info prometheus-info -: ratio: Prometheus notes: PromQL info: metric might not be a counter',
    ]);
    expect(r.findings[0]!.data!.value).toBe('+Inf');
    expect(JSON.parse(JSON.stringify(r)).rows[1].value).toBeNull();
  });

  test('503 then 200 with Retry-After: retried once, after the wait asked for', async () => {
    const f = await fake({ status: 503, headers: { 'retry-after': '1' }, body: apiError(503, 'timeout', 'query timed out').body }, ok);
    const waits: number[] = [];
    const r = await runTelemetry({ prometheusUrl: f.url, checks: 'error-rate<0.01', at: AT }, { sleep: async (ms) => void waits.push(ms) });
    expect(r.verdict).toBe('pass');
    expect(f.requests).toHaveLength(2);
    expect(waits).toEqual([1000]);
  });

  test('429 with an HTTP-date Retry-After (in the past: no wait), then 200', async () => {
    const f = await fake({ status: 429, headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, body: 'slow down' }, ok);
    expect((await run(f)).verdict).toBe('pass');
    expect(f.requests).toHaveLength(2);
  });

  test('503 every time: given up after the retries, exit 2 with the last answer', async () => {
    const f = await fake({ status: 503, headers: { 'retry-after': '0' }, body: apiError(503, 'unavailable', 'too many queries').body });
    await expect(run(f, { retries: '2' })).rejects.toThrow(new ServiceError(`check 'error-rate': Prometheus at ${f.url} answered 503 after 3 attempts: unavailable: too many queries`));
    expect(f.requests).toHaveLength(3);
  });

  test('a Retry-After longer than we wait is not waited for', async () => {
    const f = await fake({ status: 429, headers: { 'retry-after': '3600' } });
    await expect(run(f)).rejects.toThrow("check 'error-rate': Prometheus answered 429 and asks to retry after 3600 s, longer than the 120 s we wait");
    expect(f.requests).toHaveLength(1);
  });

  test.each([
    ['400 bad_data', apiError(400, 'bad_data', 'invalid parameter "query": 1:5: parse error: unclosed left parenthesis'), /^check 'error-rate': Prometheus refused the query \(400 bad_data: invalid parameter "query": 1:5: parse error: unclosed left parenthesis\); query: \(sum\(/],
    ['422 execution', apiError(422, 'execution', 'expanding series: too many samples'), /^check 'error-rate': Prometheus refused the query \(422 execution: expanding series: too many samples\)/],
    ['401', { status: 401, body: 'Unauthorized' }, /answered 401 Unauthorized: check the token, basic-auth or headers$/],
    ['404', { status: 404, body: '404 page not found' }, /\/api\/v1\/query answered 404: is prometheus-url the server's base URL/],
    ['a redirect', { status: 302, headers: { location: 'https://sso.example/login' } }, /answered 302 \(a redirect to https:\/\/sso\.example\/login\): redirects are not followed/],
    ['500 with HTML', { status: 500, body: '<html><body>Internal Server Error</body></html>' }, /answered 500: <html><body>Internal Server Error<\/body><\/html>$/],
    ['200 with HTML (a login page)', { status: 200, body: '<!doctype html><title>Sign in</title>' }, /is not Prometheus JSON \(HTTP 200, text\/html\): <!doctype html><title>Sign in<\/title>; is prometheus-url a Prometheus server\?$/],
    ['200 with JSON that is not the envelope', { status: 200, body: { hello: 'world' } }, /has no status 'success' and data/],
    ['200 with status error', { status: 200, body: { status: 'error', errorType: 'internal', error: 'boom' } }, /Prometheus answered an error \(internal: boom\)/],
    ['a string result', { body: { status: 'success', data: { resultType: 'string', result: [1, 'x'] } } }, /the query returns a string; a check needs a number/],
  ])('%s: a clear service error', async (_, answer, message) => {
    const f = await fake(answer as Answer);
    const e = await run(f).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ServiceError);
    expect((e as Error).message).toMatch(message);
  });

  test('a server that never answers: the query times out', async () => {
    const f = await fake({ hang: true });
    await expect(run(f, { queryTimeout: '1s' })).rejects.toThrow(`check 'error-rate': no answer from Prometheus at ${f.url} within 1 s (timeout)`);
  });

  test('credentials never appear in messages', async () => {
    const f = await fake({ status: 401, body: 'nope' });
    const e = (await run(f, { token: 'very-secret-token' }).catch((x: unknown) => x)) as Error;
    expect(e.message).not.toContain('very-secret-token');
  });
});

describe('settling: --wait', () => {
  test('waits until deployed-at + wait, then clips the window to the time since the deploy', async () => {
    const f = await fake(ok);
    let clock = Date.parse('2025-01-01T12:00:00Z');
    const waits: number[] = [];
    const hooked = await runTelemetry(
      { prometheusUrl: f.url, checks: 'error-rate<0.01', deployedAt: '2025-01-01T11:58:00Z', wait: '10m', window: '30m' },
      {
        now: () => clock,
        sleep: async (ms) => {
          waits.push(ms);
          clock += ms;
        },
      },
    );
    expect(waits).toEqual([8 * 60_000]);
    expect(hooked.window).toBe('10m');
    expect(hooked.evaluatedAt).toBe('2025-01-01T12:08:00.000Z');
    expect(f.requests.at(-1)!.form.query).toContain('[10m]');
  });

  test('without deployed-at, waits the whole duration; no wait once the settle time has passed', async () => {
    const f = await fake(ok);
    const waits: number[] = [];
    const hooks = { now: () => Date.parse('2025-01-01T12:00:00Z'), sleep: async (ms: number) => void waits.push(ms) };
    await runTelemetry({ prometheusUrl: f.url, checks: 'error-rate<0.01', wait: '90s' }, hooks);
    await runTelemetry({ prometheusUrl: f.url, checks: 'error-rate<0.01', wait: '5m', deployedAt: '2025-01-01T11:00:00Z' }, hooks);
    expect(waits).toEqual([90_000]);
  });
});

describe('api-delivery telemetry exit codes with the stand-in', () => {
  async function cli(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await main(['telemetry', ...argv], (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  }

  test('0 pass, 1 fail, 2 Prometheus error; the token comes from PROMETHEUS_TOKEN', async () => {
    const f = await fake(vector([{}, '0.001']), vector([{}, '0.5']), apiError(400, 'bad_data', 'parse error'));
    const prev = process.env.PROMETHEUS_TOKEN;
    process.env.PROMETHEUS_TOKEN = 'from-env';
    try {
      expect((await cli('--prometheus-url', f.url, '--check', 'error-rate<0.01')).code).toBe(0);
      expect((await cli('--prometheus-url', f.url, '--check', 'error-rate<0.01')).code).toBe(1);
      const bad = await cli('--prometheus-url', f.url, '--check', 'error-rate<0.01');
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/^api-delivery telemetry: check 'error-rate': Prometheus refused the query \(400 bad_data: parse error\)/);
    } finally {
      if (prev === undefined) delete process.env.PROMETHEUS_TOKEN;
      else process.env.PROMETHEUS_TOKEN = prev;
    }
    expect(f.requests.map((r) => r.headers.authorization)).toEqual(['Bearer from-env', 'Bearer from-env', 'Bearer from-env']);
  });

  test('2 when nothing listens', async () => {
    const port = await closedPort();
    const r = await cli('--prometheus-url', `http://127.0.0.1:${port}`, '--check', 'p95<300');
    expect(r.code).toBe(2);
    expect(r.err).toContain('(ECONNREFUSED)');
  });
});
