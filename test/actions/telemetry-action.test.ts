/**
 * dist/telemetry runs the way the GitHub runner runs it: `node dist/telemetry/index.js` with INPUT_* for
 * every input (defaults from action.yml), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as temp files. It asks a
 * real Prometheus on 127.0.0.1 (skipped, with the reason, where Debian's prometheus is not installed) and a
 * recording stand-in for the error paths.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFake, vector, type Fake } from '../telemetry/fake.js';
import { PROMETHEUS, startPrometheus, T_ISO, type RunningPrometheus } from '../telemetry/prometheus.js';
import { annotations, root, runAction, tempDir, type Run } from './runner.js';

const BUNDLE = path.join(root, 'dist/telemetry/index.js');
const ACTION = 'actions/telemetry/action.yml';

if (PROMETHEUS.missing) console.log(PROMETHEUS.missing);
const withPrometheus = PROMETHEUS.missing ? describe.skip : describe;

let prom: RunningPrometheus | undefined;
beforeAll(async () => {
  expect(existsSync(BUNDLE)).toBe(true);
  if (!PROMETHEUS.missing) prom = await startPrometheus();
});
afterAll(async () => {
  await prom?.stop();
});

const step = (inputs: Record<string, string>, env: Record<string, string> = {}) => runAction({ bundle: BUNDLE, actionYml: ACTION, inputs, env });

withPrometheus('dist/telemetry against a real Prometheus', () => {
  let run: Run;
  beforeAll(async () => {
    run = await step({ 'prometheus-url': prom!.url, at: T_ISO, checks: 'error-rate<0.01\np95<300ms', selector: 'service="pets"', by: 'route' });
  });

  test('a route over budget fails the step: exit 1, verdict and counts in the outputs', () => {
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'error-count': '2', 'warning-count': '0', 'info-count': '0' });
  });

  test('one annotation per failed check, titled with the route', () => {
    const a = annotations(run.stdout, { bare: false });
    expect(a.error).toEqual([
      // `%` is escaped in workflow commands: the runner shows 5%.
      expect.stringMatching(/^::error title=check-failed \(\/pets\/\{id\}\)::error-rate for route="\/pets\/\{id\}" is 5%25 \(0\.05\), the budget is < 0\.01 \(1%25\) \(query: /),
      expect.stringMatching(/^::error title=check-failed \(\/pets\/{id}\)::p95 for route="\/pets\/{id}" is 458 ms, the budget is < 300 ms/),
    ]);
    expect(annotations(run.stdout).error).toContainEqual('::error::The gate failed: see the findings above and the job summary.');
  });

  test('the job summary has the table: check, query, value, threshold, result', () => {
    expect(run.summary).toContain('Post-release telemetry: failed');
    expect(run.summary).toContain(`### Checks against \`${prom!.url}\` (window 15m, at 2025-01-01T12:00:00.000Z, selector {service="pets"}, per route)`);
    expect(run.summary).toContain('| Check | Query | Value | Threshold | Result |');
    expect(run.summary).toMatch(/\| p95 \(`route="\/pets\/{id}"`\) \| `histogram_quantile\(0\.95, sum by \(le, route\) \(rate\(http_request_duration_seconds_bucket\{service="pets"\}\[15m\]\)\)\)` \| 458 ms \| &lt; 300 ms \| ❌ fail \|/);
    expect(run.summary).toMatch(/\| error-rate \(`route="\/pets"`\) \| `.*` \| 0\.2% \(0\.002\) \| &lt; 0\.01 \(1%\) \| ✅ pass \|/);
  });

  test('result-file is the GateResult with every row, in RUNNER_TEMP by default', () => {
    const file = run.outputs['result-file']!;
    expect(file.startsWith(run.tmp)).toBe(true);
    const result = JSON.parse(readFileSync(file, 'utf8'));
    expect(result).toMatchObject({ gate: 'telemetry', verdict: 'fail', window: '15m', by: 'route', metrics: { checks: 2, 'checks failing': 2 } });
    expect(result.rows).toHaveLength(4);
  });

  test('a healthy service from a checks file in working-directory passes: exit 0', async () => {
    const ws = tempDir('telemetry-ws-');
    mkdirSync(path.join(ws, 'ops'));
    writeFileSync(path.join(ws, 'ops/telemetry.yaml'), "selector: service=\"orders\"\nchecks:\n  - error-rate<1%\n  - p99<250ms\n  - requests>=100\n");
    const ok = await step({ 'prometheus-url': prom!.url, at: T_ISO, 'checks-file': 'telemetry.yaml', 'working-directory': 'ops' }, { GITHUB_WORKSPACE: ws });
    expect(ok.code).toBe(0);
    expect(ok.outputs).toMatchObject({ verdict: 'pass', 'error-count': '0' });
    expect(ok.summary).toContain('✅ pass');
  });

  test('no traffic is no data: a failure by default, a warning with no-data: warning', async () => {
    const strict = await step({ 'prometheus-url': prom!.url, at: T_ISO, checks: 'p95<300ms', selector: 'service="idle"' });
    expect(strict.code).toBe(1);
    expect(annotations(strict.stdout, { bare: false }).error[0]).toMatch(/^::error title=no-data::p95: no data — wrong metric\/label or no traffic/);
    const lenient = await step({ 'prometheus-url': prom!.url, at: T_ISO, checks: 'p95<300ms', selector: 'service="idle"', 'no-data': 'warning' });
    expect(lenient.code).toBe(0);
    expect(lenient.outputs).toMatchObject({ verdict: 'pass', 'warning-count': '1' });
  });
});

describe('dist/telemetry error paths (recording stand-in)', () => {
  let fake: Fake | undefined;
  afterAll(async () => {
    await fake?.close();
  });

  test('credentials are masked; 503 with Retry-After is retried; the token reaches Prometheus', async () => {
    fake = await startFake([{ status: 503, headers: { 'retry-after': '0' }, body: 'busy' }, vector([{}, '0.001'])]);
    const run = await step({ 'prometheus-url': fake.url, checks: 'error-rate<0.01', token: 'tok-123', headers: 'X-Scope-OrgID: tenant-9' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('::add-mask::tok-123');
    expect(run.stdout).toContain('::add-mask::tenant-9');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.headers).toMatchObject({ authorization: 'Bearer tok-123', 'x-scope-orgid': 'tenant-9' });
  });

  test('a refused query: exit 2 with the message, no outputs', async () => {
    const bad = await startFake([{ status: 400, body: { status: 'error', errorType: 'bad_data', error: 'parse error: unexpected character' } }]);
    try {
      const run = await step({ 'prometheus-url': bad.url, checks: 'p95<300ms' });
      expect(run.code).toBe(2);
      expect(run.stdout).toContain("::error::check 'p95': Prometheus refused the query (400 bad_data: parse error: unexpected character); query: histogram_quantile(");
      expect(run.outputs).toEqual({});
    } finally {
      await bad.close();
    }
  });

  test('missing inputs: exit 2 naming the input', async () => {
    const noUrl = await step({ 'prometheus-url': '', checks: 'p95<300ms' });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stdout).toContain('::error::prometheus-url: required');
    const noChecks = await step({ 'prometheus-url': 'http://127.0.0.1:1' });
    expect(noChecks.code).toBe(2);
    expect(noChecks.stdout).toContain('::error::checks: none given');
  });
});

withPrometheus('the umbrella action runs the same gate', () => {
  test('gate: telemetry gives the same verdict and counts', async () => {
    const run = await runAction({
      bundle: path.join(root, 'dist/umbrella/index.js'),
      actionYml: 'action.yml',
      inputs: { gate: 'telemetry', 'prometheus-url': prom!.url, at: T_ISO, checks: 'error-rate<0.01\np95<300ms', selector: 'service="pets"', by: 'route' },
    });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'error-count': '2', 'warning-count': '0', 'info-count': '0' });
  });
});
