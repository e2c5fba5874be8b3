/**
 * dist/lifecycle runs the way the GitHub runner runs it: `node dist/lifecycle/index.js` with INPUT_*
 * for every input (defaults from action.yml), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as temp files.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SPEC_YAML, TODAY } from '../lifecycle/helpers.js';
import { annotations, root, runAction, tempDir, type Run } from './runner.js';

const BUNDLE = path.join(root, 'dist/lifecycle/index.js');

/** A workspace holding the fixture spec as api/openapi.yaml. */
function workspace(): string {
  const ws = tempDir('lifecycle-ws-');
  mkdirSync(path.join(ws, 'api'));
  writeFileSync(path.join(ws, 'api/openapi.yaml'), SPEC_YAML);
  return ws;
}

const step = (ws: string, inputs: Record<string, string>) =>
  runAction({ bundle: BUNDLE, actionYml: 'actions/lifecycle/action.yml', inputs, env: { GITHUB_WORKSPACE: ws } });

describe('dist/lifecycle on a spec with a passed sunset', () => {
  let run: Run;
  beforeAll(async () => {
    expect(existsSync(BUNDLE)).toBe(true);
    run = await step(workspace(), { spec: 'openapi.yaml', 'working-directory': 'api', today: TODAY });
  });

  test('fails: exit 1, verdict and counts in the outputs', () => {
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'error-count': '4', 'warning-count': '4', 'info-count': '1' });
  });

  test('annotations land on the spec lines, with paths from the workspace root', () => {
    const a = annotations(run.stdout, { bare: false });
    expect(a.error).toContainEqual(
      expect.stringMatching(/^::error file=api\/openapi\.yaml,line=9,title=sunset-passed \(GET \/pets\)::GET \/pets: operation had its sunset on 2026-06-01, 14 days ago/),
    );
    expect(a.warning).toHaveLength(4);
    expect(a.notice).toEqual([expect.stringMatching(/^::notice file=api\/openapi\.yaml,line=\d+,title=deprecated-without-sunset/)]);
    expect(annotations(run.stdout).error).toContainEqual('::error::The gate failed: see the findings above and the job summary.');
  });

  test('the job summary has the findings and the sunset schedule', () => {
    expect(run.summary).toContain('API lifecycle (sunset enforcement): failed');
    expect(run.summary).toContain('### Sunset schedule (`openapi.yaml`, today 2026-06-15, warning 30 days ahead)');
    expect(run.summary).toMatch(/\| 2026-06-20 \| in 5 days \| GET \/pets \| query parameter 'sort' \(not deprecated\) \|/);
  });

  test('result-file is the GateResult, in RUNNER_TEMP by default', () => {
    const file = run.outputs['result-file']!;
    expect(file.startsWith(run.tmp)).toBe(true);
    const result = JSON.parse(readFileSync(file, 'utf8'));
    expect(result).toMatchObject({ gate: 'lifecycle', verdict: 'fail', today: TODAY, metrics: { operations: 5, 'sunset passed': 3 } });
  });
});

describe('dist/lifecycle inputs', () => {
  test('fail-on never and a short warn-days: exit 0, verdict pass, warnings counted', async () => {
    const run = await step(workspace(), { spec: 'api/openapi.yaml', today: TODAY, 'warn-days': '0', 'fail-on': 'never' });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'error-count': '4', 'warning-count': '2' });
  });

  test('a missing spec: exit 2 with the file named, no outputs', async () => {
    const run = await step(workspace(), { spec: 'api/missing.yaml', today: TODAY });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('::error::api/missing.yaml: file not found');
    expect(run.outputs).toEqual({});
  });

  test('a bad today: exit 2 naming the input', async () => {
    const run = await step(workspace(), { spec: 'api/openapi.yaml', today: '2026-13-01' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("::error::today: '2026-13-01' is not a date: expected YYYY-MM-DD");
  });

  test('an empty spec input: exit 2', async () => {
    const run = await step(workspace(), { spec: '' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('::error::spec: required');
  });
});

describe('the umbrella action runs the same gate', () => {
  test('gate: lifecycle gives the same verdict and counts', async () => {
    const run = await runAction({
      bundle: 'dist/umbrella/index.js',
      actionYml: 'action.yml',
      inputs: { gate: 'lifecycle', spec: 'api/openapi.yaml', today: TODAY },
      env: { GITHUB_WORKSPACE: workspace() },
    });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'error-count': '4', 'warning-count': '4', 'info-count': '1' });
  });
});
