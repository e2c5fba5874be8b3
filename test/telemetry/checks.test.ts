/** Reading checks, building their PromQL, durations and times, and bad input (exit 2) before any query. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { InputError } from '../../src/kit/errors.js';
import { DEFAULT_NAMES, parseChecksText, parsePromqlCheck, parseReadyCheck, queryFor, substitute } from '../../src/telemetry/checks.js';
import { showThreshold, showValue } from '../../src/telemetry/judge.js';
import { parseTelemetryInputs } from '../../src/telemetry/run.js';
import { formatDuration, parseDuration, parseInstant } from '../../src/telemetry/time.js';

const dir = mkdtempSync(path.join(tmpdir(), 'telemetry-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ready-made checks', () => {
  test.each([
    ['error-rate<0.01', { name: 'error-rate', kind: 'error-rate', op: '<', limit: 0.01, unit: 'ratio' }],
    ['error-rate < 1%', { name: 'error-rate', kind: 'error-rate', op: '<', limit: 0.01 }],
    ['errors<=0.5%', { name: 'error-rate', kind: 'error-rate', op: '<=', limit: 0.005 }],
    ['p95<300ms', { name: 'p95', kind: 'percentile', percentile: 95, op: '<', limit: 300, unit: 'ms' }],
    ['p95<300', { name: 'p95', percentile: 95, limit: 300 }],
    ['p(99)<1s', { name: 'p99', percentile: 99, limit: 1000 }],
    ['p(99.9) < 2.5s', { name: 'p99.9', percentile: 99.9, limit: 2500 }],
    ['P50<=80ms', { name: 'p50', percentile: 50, op: '<=', limit: 80 }],
    ['avg<200ms', { name: 'avg', kind: 'avg', limit: 200, unit: 'ms' }],
    ['requests>=100', { name: 'requests', kind: 'requests', op: '>=', limit: 100, unit: 'count' }],
    ['requests>1e3', { name: 'requests', limit: 1000 }],
  ])('%s', (text, expected) => {
    expect(parseReadyCheck(text)).toMatchObject({ source: text.trim(), ...expected });
  });

  test.each([
    ['p95 300ms', /'p95 300ms' is not a check: expected error-rate<0.01/],
    ['latency<300ms', /'latency<300ms' is not a check/],
    ['p(101)<300', /is not a check \(p\(101\) is outside 0–100\)/],
    ['error-rate<10ms', /an error rate has no time unit/],
    ['p95<1%', /a latency is a time/],
    ['requests>5s', /requests is a count/],
    ['p95<abc', /is not a check/],
  ])('%s is refused with a message naming it', (text, message) => {
    expect(() => parseReadyCheck(text)).toThrow(message);
  });

  test('the checks input: lines, commas and comments; or a YAML list with PromQL checks', () => {
    expect(parseChecksText('error-rate<0.01\n# latency\np95<300ms, p99<1s\n').map((c) => c.name)).toEqual(['error-rate', 'p95', 'p99']);
    const list = parseChecksText("- error-rate<1%\n- name: orders\n  query: sum(rate(orders_total[$window]))\n  threshold: '>=1'\n  no-data: warning\n");
    expect(list.map((c) => [c.name, c.kind])).toEqual([
      ['error-rate', 'error-rate'],
      ['orders', 'promql'],
    ]);
    expect(list[1]).toMatchObject({ op: '>=', limit: 1, noData: 'warning', query: 'sum(rate(orders_total[$window]))' });
    expect(parseChecksText('  ')).toEqual([]);
  });

  test('PromQL checks need a name, a query and an <op><number> threshold', () => {
    expect(parsePromqlCheck({ name: 'x', query: 'up', threshold: 5 }, 'f')).toMatchObject({ op: '<=', limit: 5 });
    expect(() => parsePromqlCheck({ query: 'up', threshold: '<1' }, 'f')).toThrow('f: a PromQL check needs a name');
    expect(() => parsePromqlCheck({ name: 'x', threshold: '<1' }, 'f')).toThrow("f: check 'x' needs a query (PromQL)");
    expect(() => parsePromqlCheck({ name: 'x', query: 'up' }, 'f')).toThrow("check 'x' needs a threshold");
    expect(() => parsePromqlCheck({ name: 'x', query: 'up', threshold: 'below 3' }, 'f')).toThrow("threshold 'below 3' is not <op><number>");
    expect(() => parsePromqlCheck({ name: 'x', query: 'up', threshold: '<1', budget: 2 }, 'f')).toThrow("unknown key 'budget'");
    expect(() => parsePromqlCheck({ name: 'x', query: 'up', threshold: '<1', 'no-data': 'pass' }, 'f')).toThrow("no-data is 'pass', expected error or warning");
  });
});

describe('the PromQL of the ready-made checks', () => {
  const scope = { selector: 'service="pets"', by: 'route', window: '15m' };
  test('error rate: errors over all, 0 where no error series exists', () => {
    expect(queryFor(parseReadyCheck('error-rate<0.01'), DEFAULT_NAMES, scope)).toBe(
      '(sum by (route) (rate(http_requests_total{service="pets",code=~"5.."}[15m])) or sum by (route) (rate(http_requests_total{service="pets"}[15m])) * 0) / sum by (route) (rate(http_requests_total{service="pets"}[15m]))',
    );
  });
  test('a percentile from the histogram, with configured names and no selector or grouping', () => {
    const names = { ...DEFAULT_NAMES, duration: 'http_server_duration_ms', durationUnit: 'milliseconds' as const };
    expect(queryFor(parseReadyCheck('p99.9<300'), names, { selector: '', by: '', window: '5m' })).toBe('histogram_quantile(0.999, sum by (le) (rate(http_server_duration_ms_bucket{}[5m])))');
  });
  test('avg and requests; the status label and error regex are configurable', () => {
    expect(queryFor(parseReadyCheck('avg<1'), DEFAULT_NAMES, scope)).toBe(
      'sum by (route) (rate(http_request_duration_seconds_sum{service="pets"}[15m])) / sum by (route) (rate(http_request_duration_seconds_count{service="pets"}[15m]))',
    );
    expect(queryFor(parseReadyCheck('requests>1'), DEFAULT_NAMES, { ...scope, by: '' })).toBe('sum(increase(http_requests_total{service="pets"}[15m]))');
    const names = { ...DEFAULT_NAMES, statusLabel: 'status', errorStatus: '5..|429' };
    expect(queryFor(parseReadyCheck('error-rate<1'), names, scope)).toContain('status=~"5..|429"');
  });
  test('$window and $selector in PromQL checks', () => {
    expect(substitute('sum(rate(x{$selector}[$window])) / sum(rate(x{$selector, code="500"}[$window]))', scope)).toBe(
      'sum(rate(x{service="pets"}[15m])) / sum(rate(x{service="pets",code="500"}[15m]))',
    );
    expect(substitute('sum(rate(x{$selector, code="500"}[$window])) + y{a="b", $selector}', { ...scope, selector: '' })).toBe('sum(rate(x{code="500"}[15m])) + y{a="b"}');
  });
});

describe('values and thresholds as shown', () => {
  const p95 = parseReadyCheck('p95<300ms');
  const er = parseReadyCheck('error-rate<1%');
  test.each([
    [er, 0.0052, '0.52% (0.0052)'],
    [p95, 412.4, '412 ms'],
    [p95, 47.5, '47.5 ms'],
    [p95, Number.NaN, 'NaN'],
    [p95, Number.POSITIVE_INFINITY, '+Inf'],
  ])('%#', (c, v, shown) => expect(showValue(c, v)).toBe(shown));
  test('thresholds', () => {
    expect(showThreshold(er)).toBe('< 0.01 (1%)');
    expect(showThreshold(p95)).toBe('< 300 ms');
  });
});

describe('durations and times', () => {
  test('Prometheus durations', () => {
    expect(parseDuration('15m', 'w')).toBe(900_000);
    expect(parseDuration('1h30m', 'w')).toBe(5_400_000);
    expect(parseDuration('500ms', 'w')).toBe(500);
    expect(formatDuration(900_000)).toBe('15m');
    expect(formatDuration(330_000)).toBe('5m30s');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    for (const bad of ['', '15', '15 m', 'm', '30s1m', '1.5h', '10x']) expect(() => parseDuration(bad, 'window')).toThrow(/window: .* is not a duration/);
  });
  test('RFC 3339 or Unix seconds', () => {
    expect(parseInstant('2025-01-01T12:00:00Z', 'at')).toBe(1_735_732_800_000);
    expect(parseInstant('2025-01-01T13:00:00+01:00', 'at')).toBe(1_735_732_800_000);
    expect(parseInstant('1735732800', 'at')).toBe(1_735_732_800_000);
    expect(parseInstant('1735732800.5', 'at')).toBe(1_735_732_800_500);
    expect(() => parseInstant('yesterday', 'deployed-at')).toThrow("deployed-at: 'yesterday' is not a time");
    expect(() => parseInstant('2025-01-01', 'at')).toThrow(/is not a time/);
  });
});

describe('inputs', () => {
  const base = { prometheusUrl: 'http://127.0.0.1:9', checks: 'error-rate<0.01' };
  test('defaults, auth headers, a trailing slash and a path prefix', () => {
    const o = parseTelemetryInputs({ ...base, prometheusUrl: 'https://example.test/prom/', token: 's3cret', headers: ['X-Scope-OrgID: team-a'] });
    expect(o.connection).toMatchObject({ url: 'https://example.test/prom', headers: { Authorization: 'Bearer s3cret', 'X-Scope-OrgID': 'team-a' }, timeoutMs: 30_000, retries: 3 });
    expect(o).toMatchObject({ windowMs: 900_000, selector: '', by: '', noData: 'error', failOn: 'error', waitMs: 0, names: DEFAULT_NAMES });
    const basic = parseTelemetryInputs({ ...base, basicAuth: 'ops:pa:ss', queryTimeout: '5' });
    expect(basic.connection.headers.Authorization).toBe(`Basic ${Buffer.from('ops:pa:ss').toString('base64')}`);
    expect(basic.connection.timeoutMs).toBe(5000);
    expect(parseTelemetryInputs({ ...base, selector: '{service="pets"}' }).selector).toBe('service="pets"');
  });

  test('a checks file: defaults for the options, inputs win over them', () => {
    const file = path.join(dir, 'telemetry.yaml');
    writeFileSync(
      file,
      "window: 30m\nselector: service=\"pets\"\nby: route\nstatus-label: status\nchecks:\n  - p95<300ms\n  - name: orders\n    query: sum(rate(orders_total{$selector}[$window]))\n    threshold: '>0'\n",
    );
    const o = parseTelemetryInputs({ prometheusUrl: 'http://127.0.0.1:9', checksFile: 'telemetry.yaml', cwd: dir, window: '10m' });
    expect(o.checks.map((c) => c.name)).toEqual(['p95', 'orders']);
    expect(o).toMatchObject({ windowMs: 600_000, selector: 'service="pets"', by: 'route' });
    expect(o.names.statusLabel).toBe('status');
  });

  test.each([
    [{ prometheusUrl: '' }, 'prometheus-url: required'],
    [{ prometheusUrl: 'prometheus:9090' }, "prometheus-url: 'prometheus:9090' must use http or https"],
    [{ prometheusUrl: 'not a url' }, "prometheus-url: 'not a url' is not a URL"],
    [{ prometheusUrl: 'http://u:p@127.0.0.1:9' }, 'prometheus-url: put credentials in basic-auth or token, not in the URL'],
    [{ prometheusUrl: 'http://127.0.0.1:9/api/v1/query' }, 'is an API path'],
    [{ checks: '' }, 'checks: none given'],
    [{ checks: 'p95<300ms\np95 < 300ms' }, "checks: 'p95 < 300ms' is given twice"],
    [{ window: '15' }, "window: '15' is not a duration"],
    [{ selector: 'service=pets' }, 'selector: \'service=pets\' should be label matchers'],
    [{ by: 'route-name' }, "by: 'route-name' is not a Prometheus label name"],
    [{ requestsMetric: 'http-requests' }, "requests-metric: 'http-requests' is not a Prometheus metric name"],
    [{ durationUnit: 'ms' }, "duration-unit: 'ms' is not seconds or milliseconds"],
    [{ noData: 'pass' }, "no-data: 'pass' is not error or warning"],
    [{ failOn: 'info' }, "fail-on: 'info' is not one of error, warning, never"],
    [{ retries: '-1' }, "retries: '-1' is not a whole number from 0 to 10"],
    [{ queryTimeout: '100ms' }, "query-timeout: '100ms' is shorter than a second"],
    [{ wait: '7h' }, "wait: '7h' is longer than 6h"],
    [{ wait: '5m', at: '2025-01-01T12:00:00Z' }, 'wait and at: give one of them'],
    [{ token: 't', basicAuth: 'u:p' }, 'token and basic-auth: give one of them'],
    [{ basicAuth: 'nocolon' }, 'basic-auth: expected user:password'],
    [{ headers: ['no header here'] }, "headers: expected 'Name: value'"],
    [{ checksFile: 'missing.yaml', cwd: dir }, "checks-file: file 'missing.yaml' not found or not readable"],
  ])('%j is refused', (extra, message) => {
    expect(() => parseTelemetryInputs({ ...base, ...extra })).toThrow(InputError);
    expect(() => parseTelemetryInputs({ ...base, ...extra })).toThrow(message);
  });

  test('a checks file that is not a list of checks names the file', () => {
    writeFileSync(path.join(dir, 'bad.yaml'), 'checks: p95<300ms\n');
    writeFileSync(path.join(dir, 'typo.yaml'), 'windows: 5m\nchecks: []\n');
    expect(() => parseTelemetryInputs({ prometheusUrl: 'http://127.0.0.1:9', checksFile: 'bad.yaml', cwd: dir })).toThrow("bad.yaml: 'checks' must be a list");
    expect(() => parseTelemetryInputs({ prometheusUrl: 'http://127.0.0.1:9', checksFile: 'typo.yaml', cwd: dir })).toThrow("typo.yaml: unknown key 'windows'");
    expect(() => parseTelemetryInputs({ prometheusUrl: 'http://127.0.0.1:9', checksFile: dir, cwd: dir })).toThrow('is a directory');
  });
});

describe('api-delivery telemetry: bad input exits 2 with one line, before any query', () => {
  async function cli(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await main(['telemetry', ...argv], (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  }
  test.each([
    [['--check', 'p95<300ms'], /^api-delivery telemetry: prometheus-url: required/],
    [['--prometheus-url', 'http://127.0.0.1:9', '--check', 'p95 under 300'], /checks: 'p95 under 300' is not a check/],
    [['--prometheus-url', 'http://127.0.0.1:9', '--check', 'p95<300', '--format', 'pdf'], /format: 'pdf' is not one of/],
    [['--prometheus-url', 'http://127.0.0.1:9', '--check', 'p95<300', 'extra'], /telemetry: unexpected argument 'extra'/],
    [['--prometheus-url', 'http://127.0.0.1:9', '--check', 'p95<300', '--windw', '5m'], /Unknown option '--windw'/],
  ])('%j', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
