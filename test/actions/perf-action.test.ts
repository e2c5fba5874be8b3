/**
 * dist/perf run the way the runner runs it: INPUT_* (defaults from action.yml), GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, then read back. The load runs against the example Petstore started in
 * this process on 127.0.0.1; k6 comes from a release mirror on 127.0.0.1 (a fake k6 binary).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PERF_INPUTS } from '../../src/actions/perf-action.js';
import { fakeK6Script, legacySummary, releaseServer, ROOT } from '../perf/helpers.js';
// @ts-expect-error the example server is plain JavaScript
import { startServer } from '../../examples/petstore/server.mjs';
import { runAction, tempDir, type Run } from './runner.js';

const BUNDLE = path.join(ROOT, 'dist/perf/index.js');
const ACTION = parseYaml(readFileSync(path.join(ROOT, 'actions/perf/action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};

/** PATH has tar and sh but no k6: a k6 installed on the test machine must not change the results. HOME is the step's own. */
const runStep = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runAction({ bundle: BUNDLE, actionYml: 'actions/perf/action.yml', inputs, env: { PATH: '/usr/bin:/bin', ...env }, cwd: ROOT, isolateHome: true });

const EXAMPLE = { scenario: 'examples/perf/petstore.scenario.yaml', budget: 'examples/perf/budget.yaml', duration: '2s', env: 'PETSTORE_TOKEN=demo-token' };

test('every input in action.yml is read by the adapter, and no other', () => {
  expect(Object.keys(ACTION.inputs).sort()).toEqual([...PERF_INPUTS].sort());
  const src = readFileSync(path.join(ROOT, 'src/actions/perf-action.ts'), 'utf8');
  for (const name of PERF_INPUTS) expect(src).toMatch(new RegExp(`get(Multiline)?Input\\('${name}'\\)`));
});

describe('built-in engine against the example server', () => {
  let petstore: { url: string; close(): Promise<void> };
  let slow: { url: string; close(): Promise<void> };
  let first: Run;
  beforeAll(async () => {
    expect(existsSync(BUNDLE)).toBe(true);
    petstore = await startServer({});
    slow = await startServer({ bugs: ['slow'] });
    first = await runStep({ ...EXAMPLE, 'base-url': petstore.url });
  });
  afterAll(async () => {
    await petstore.close();
    await slow.close();
  });

  test('passes the budget: exit 0, outputs, progress lines while it ran', () => {
    expect(first.code).toBe(0);
    expect(first.outputs).toMatchObject({ verdict: 'pass', engine: 'builtin', 'error-count': '0', 'error-rate': '0' });
    expect(Number(first.outputs['p95-ms'])).toBeGreaterThan(0);
    expect(Number(first.outputs.rps)).toBeGreaterThan(50);
    expect(first.stdout).toMatch(/built-in engine: 80 iterations per 1000 ms \(up to 20 VUs\) for 2s against http:\/\/127\.0\.0\.1:\d+/);
    expect(first.stdout).toMatch(/^\[1s\/2s\] \d+ requests, 0 failed, \d+ req\/s, \d+\/\d+ VUs$/m);
  });

  test('job summary: the budget table (metric, budget, actual, baseline, change)', () => {
    expect(first.summary).toMatch(/^## ✅ Performance: passed/);
    expect(first.summary).toContain('| | Metric | Budget | Actual | Baseline | Change |');
    expect(first.summary).toMatch(/\| ✅ \| `http_req_duration\{name:GET \/pets\}` \| p\(95\) &lt; 100 \| [\d.]+ ms \| — \| — \|/);
    expect(first.summary).toContain('Engine: **builtin**.');
  });

  test("the result file is the next run's baseline; a slow server then fails budget and baseline, annotated on budget.yaml", async () => {
    const result = JSON.parse(readFileSync(first.outputs['result-file']!, 'utf8'));
    expect(result).toMatchObject({ gate: 'perf', verdict: 'pass', summary: { source: 'builtin', script: `builtin:${EXAMPLE.scenario}` } });
    const run = await runStep({ ...EXAMPLE, 'base-url': slow.url, baseline: first.outputs['result-file']! });
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    expect(run.stdout).toMatch(/^::error file=examples\/perf\/budget\.yaml,line=5,title=perf-threshold-failed::http_req_duration p\(95\) = \d+/m);
    expect(run.stdout).toMatch(/^::error file=examples\/perf\/budget\.yaml,line=\d+,title=perf-regression::http_req_duration p\(95\) grew from/m);
    expect(run.summary).toMatch(/\| ❌ \| `http_req_duration` \| p\(95\) &lt; 100 \| 2\d\d\.\d ms \| [\d.]+ ms \| \+\d+\.\d% \(max 10% or \+5\) \|/);
  });
});

describe('judging an existing summary', () => {
  test('a k6 summary with thresholds: outputs and table, no engine', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 's.json'), JSON.stringify(legacySummary({ p95: 180, failed: 0.001 })));
    const run = await runStep({ summary: 's.json', thresholds: 'http_req_duration:p(95)<300\nhttp_req_failed:rate<0.01', 'k6-exit-code': '0' }, { GITHUB_WORKSPACE: dir });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'p95-ms': '180', 'error-rate': '0.001', rps: '100', engine: '', 'summary-file': '' });
  });

  test('k6 exit 99 fails the step with its meaning', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 's.json'), JSON.stringify(legacySummary()));
    const run = await runStep({ summary: 's.json', 'k6-exit-code': '99' }, { GITHUB_WORKSPACE: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error title=k6-thresholds-failed::k6 exited 99: one or more of the script's thresholds failed/m);
  });

  test.each([
    [{ summary: 's.json', thresholds: 'http_req_duration:p95<300' }, /^::error::threshold: 'p95<300' is not a k6 threshold expression/m],
    [{ summary: 'missing.json', thresholds: 'http_reqs:count>0' }, /^::error::summary: file '.*missing.json' not found/m],
    [{ summary: 's.json', budget: 'nope.yaml' }, /^::error::budget: file '.*nope.yaml' not found/m],
    [{ summary: 's.json', scenario: 'x.yaml' }, /^::error::summary: judges an existing result; leave script and scenario empty/m],
    [{ summary: 's.json', 'fail-on': 'sometimes' }, /^::error::fail-on: 'sometimes' is not one of error, warning, never/m],
    [{ scenario: 'examples/perf/petstore.scenario.yaml', thresholds: 'http_reqs:count>0' }, /^::error::scenario.headers.Authorization: \$\{PETSTORE_TOKEN\} is not set/m],
    [{ scenario: 'examples/perf/petstore.scenario.yaml', env: 'not a pair' }, /^::error::env: line 1 is not KEY=VALUE/m],
    [{ script: 'x.js', 'k6-version': 'latest' }, /^::error::k6-version: 'latest' is refused/m],
  ] as [Record<string, string>, RegExp][])('bad input %#: exit 2 naming the input', async (inputs, msg) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 's.json'), JSON.stringify(legacySummary()));
    const run = await runStep(inputs, inputs.scenario?.startsWith('examples') ? {} : { GITHUB_WORKSPACE: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(msg);
    expect(run.outputs.verdict).toBeUndefined();
  });
});

describe('k6 engine through a release mirror on 127.0.0.1', () => {
  test('installs the pinned k6 (checksum verified), runs the script with env, judges; exit 99 fails', async () => {
    const srv = await releaseServer('2.2.0', fakeK6Script('2.2.0', legacySummary({ p95: 150 })));
    try {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'load.js'), 'export default function () {}\n');
      const run = await runStep({ script: 'load.js', engine: 'k6', 'k6-download-base': srv.base, thresholds: 'http_req_duration:p(95)<300', env: 'FAKE_K6_EXIT=99', 'base-url': 'http://127.0.0.1:9' }, { GITHUB_WORKSPACE: dir });
      expect(run.stdout).toMatch(/sha256 [0-9a-f]{64} matches the release's checksums file/);
      expect(run.stdout).toContain('fake k6 running, BASE_URL=http://127.0.0.1:9');
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ verdict: 'fail', engine: 'k6', 'p95-ms': '150' });
      expect(run.outputs['summary-file']).toMatch(/k6-summary\.json$/);
    } finally {
      await srv.close();
    }
  });

  test('a wrong checksum stops the step with exit 2 and says why', async () => {
    const srv = await releaseServer('2.2.0', fakeK6Script('2.2.0', legacySummary()), { corrupt: true });
    try {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'load.js'), '');
      const run = await runStep({ script: 'load.js', engine: 'k6', 'k6-download-base': srv.base, thresholds: 'http_reqs:count>0' }, { GITHUB_WORKSPACE: dir });
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(/^::error::k6: checksum mismatch for k6-v2\.2\.0-linux-\w+\.tar\.gz/m);
    } finally {
      await srv.close();
    }
  });
});

test('every declared output is written by some run above', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 's.json'), JSON.stringify(legacySummary()));
  const run = await runStep({ summary: 's.json', thresholds: 'http_reqs:count>0' }, { GITHUB_WORKSPACE: dir });
  expect(Object.keys(run.outputs).sort()).toEqual(Object.keys(ACTION.outputs).sort());
});
