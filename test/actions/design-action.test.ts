/**
 * dist/design runs the way the GitHub runner runs it: `node dist/design/index.js` with INPUT_* for
 * every input (defaults from action.yml), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as temp files.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BAD_SPEC, FILLED_PRD, lineOf } from '../design/helpers.js';
import { annotations, root, runAction, tempDir, type Run } from './runner.js';

const BUNDLE = path.join(root, 'dist/design/index.js');
const TEMPLATE = readFileSync(path.join(root, 'templates/API-spec-openapi.yaml'), 'utf8');

/** A workspace with the fixture spec as api/openapi.yaml, the template as api/good.yaml, a PRD and a rules file. */
function workspace(): string {
  const ws = tempDir('design-ws-');
  mkdirSync(path.join(ws, 'api'));
  writeFileSync(path.join(ws, 'api/openapi.yaml'), BAD_SPEC);
  writeFileSync(path.join(ws, 'api/good.yaml'), TEMPLATE);
  writeFileSync(path.join(ws, 'api/PRD.md'), FILLED_PRD.replace('- ASVS level 2\n', '- TODO pick a level\n'));
  writeFileSync(path.join(ws, 'api/rules.yaml'), 'rules:\n  component-unused: off\n  no-such-rule: error\n');
  return ws;
}

const step = (ws: string, inputs: Record<string, string>) => runAction({ bundle: BUNDLE, actionYml: 'actions/design/action.yml', inputs, env: { GITHUB_WORKSPACE: ws } });

describe('dist/design on a spec with design faults', () => {
  let run: Run;
  beforeAll(async () => {
    expect(existsSync(BUNDLE)).toBe(true);
    run = await step(workspace(), { spec: 'openapi.yaml', 'working-directory': 'api' });
  });

  test('fails: exit 1, verdict and counts in the outputs', () => {
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'error-count': '6', 'warning-count': '12', 'info-count': '3' });
  });

  test('annotations land on the spec lines, with paths from the workspace root', () => {
    const a = annotations(run.stdout, { bare: false });
    expect(a.error).toContainEqual(
      expect.stringMatching(
        new RegExp(`^::error file=api/openapi\\.yaml,line=${lineOf(BAD_SPEC, /^ {4}get:/)},title=security-missing \\(GET /userAccounts/\\{account_id\\}\\)::GET /userAccounts/\\{account_id\\}: has no security requirement`),
      ),
    );
    expect(a.error).toHaveLength(6);
    expect(a.warning).toHaveLength(10); // the runner keeps 10 per type; the summary counts the rest
    expect(annotations(run.stdout).error).toContainEqual('::error::The gate failed: see the findings above and the job summary.');
  });

  test('the job summary has the findings and says no PRD was checked', () => {
    expect(run.summary).toContain('API design lint and Definition of Ready: failed');
    expect(run.summary).toContain('No PRD given');
  });

  test('result-file is the GateResult, in RUNNER_TEMP by default', () => {
    const file = run.outputs['result-file']!;
    expect(file.startsWith(run.tmp)).toBe(true);
    const result = JSON.parse(readFileSync(file, 'utf8'));
    expect(result).toMatchObject({ gate: 'design', verdict: 'fail', spec: 'openapi.yaml', metrics: { operations: 5 } });
  });
});

describe('dist/design inputs', () => {
  test('the template with a PRD not ready: exit 1, the PRD annotated on its line, the DoR table in the summary', async () => {
    const ws = workspace();
    const run = await step(ws, { spec: 'api/good.yaml', prd: 'api/PRD.md' });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'error-count': '1' });
    const prd = readFileSync(path.join(ws, 'api/PRD.md'), 'utf8');
    expect(annotations(run.stdout, { bare: false }).error).toEqual([
      `::error file=api/PRD.md,line=${lineOf(prd, /TODO pick/)},title=prd-placeholder::'TODO' is still in the PRD: fill it in`,
    ]);
    expect(run.summary).toContain('### Definition of Ready (`api/PRD.md`): not ready');
    expect(run.summary).toMatch(/\| Security \(ASVS level\) \| ❌ placeholders left \|/);
  });

  test('fail-on never: exit 0, verdict pass, findings still counted', async () => {
    const run = await step(workspace(), { spec: 'api/openapi.yaml', 'fail-on': 'never' });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'error-count': '6' });
  });

  test('a rules file with an unknown rule id: exit 2 naming the file and the field, no outputs', async () => {
    const run = await step(workspace(), { spec: 'api/openapi.yaml', rules: 'api/rules.yaml' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("::error::api/rules.yaml: rules.no-such-rule: unknown rule id 'no-such-rule'");
    expect(run.outputs).toEqual({});
  });

  test('a missing spec: exit 2 with the file named', async () => {
    const run = await step(workspace(), { spec: 'api/missing.yaml' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('::error::api/missing.yaml: file not found');
  });

  test('the starter template passes: exit 0, no annotations, SARIF written when asked', async () => {
    const ws = workspace();
    const sarif = path.join(ws, 'design.sarif');
    const run = await step(ws, { spec: 'api/good.yaml', 'sarif-file': sarif });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'error-count': '0', 'warning-count': '0', 'info-count': '0' });
    expect(annotations(run.stdout)).toEqual({ error: [], warning: [], notice: [] });
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results).toEqual([]);
  });
});

describe('the umbrella action runs the same gate', () => {
  test('gate: design gives the same verdict and counts', async () => {
    const run = await runAction({
      bundle: path.join(root, 'dist/umbrella/index.js'),
      actionYml: 'action.yml',
      inputs: { gate: 'design', spec: 'openapi.yaml', 'working-directory': 'api' },
      env: { GITHUB_WORKSPACE: workspace() },
    });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'error-count': '6', 'warning-count': '12', 'info-count': '3' });
  });
});
