/**
 * dist/flags runs the way the GitHub runner runs it: `node dist/flags/index.js` with INPUT_* for every
 * input (defaults from action.yml), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as temp files.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BASE, FLAGS, lineOf, REVISION, TODAY } from '../flags/helpers.js';
import { annotations, root, runAction, tempDir, type Run } from './runner.js';

const BUNDLE = path.join(root, 'dist/flags/index.js');

/** A workspace with api/base.yaml, api/openapi.yaml (the revision) and api/flags.yaml. */
function workspace(flags = FLAGS): string {
  const ws = tempDir('flags-ws-');
  mkdirSync(path.join(ws, 'api'));
  writeFileSync(path.join(ws, 'api/base.yaml'), BASE);
  writeFileSync(path.join(ws, 'api/openapi.yaml'), REVISION);
  writeFileSync(path.join(ws, 'api/flags.yaml'), flags);
  return ws;
}

const step = (ws: string, inputs: Record<string, string>) =>
  runAction({ bundle: BUNDLE, actionYml: 'actions/flags/action.yml', inputs, env: { GITHUB_WORKSPACE: ws } });

describe('dist/flags, mode check, a new operation without a flag', () => {
  let run: Run;
  beforeAll(async () => {
    expect(existsSync(BUNDLE)).toBe(true);
    run = await step(workspace(), { base: 'base.yaml', revision: 'openapi.yaml', flags: 'flags.yaml', 'working-directory': 'api' });
  });

  test('fails: exit 1, verdict, counts and new-operations in the outputs', () => {
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'error-count': '1', 'warning-count': '0', 'info-count': '1', 'new-operations': '5', 'stale-count': '0' });
  });

  test('annotations land on the spec lines, with paths from the workspace root', () => {
    const a = annotations(run.stdout, { bare: false });
    expect(a.error).toEqual([
      expect.stringMatching(new RegExp(`^::error file=api/openapi\\.yaml,line=${lineOf(REVISION, /^ {4}post:/)},title=flag-missing \\(POST /pets\\)::POST /pets: new operation without a feature flag`)),
    ]);
    expect(a.notice).toEqual([expect.stringMatching(/^::notice file=api\/openapi\.yaml,line=\d+,title=flag-waived \(GET \/owners\)::/)]);
    expect(annotations(run.stdout).error).toContainEqual('::error::The gate failed: see the findings above and the job summary.');
  });

  test('the job summary has the findings, the new operations and the register', () => {
    expect(run.summary).toContain('Feature flags for new operations: failed');
    expect(run.summary).toContain('### New operations and their feature flags (`base.yaml` → `openapi.yaml`)');
    expect(run.summary).toMatch(/\| POST \/pets \| ❌ none \| `openapi\.yaml:\d+` \|/);
    expect(run.summary).toContain('### Feature flags (`flags.yaml`)');
  });

  test('result-file is the GateResult, in RUNNER_TEMP by default', () => {
    const file = run.outputs['result-file']!;
    expect(file.startsWith(run.tmp)).toBe(true);
    const result = JSON.parse(readFileSync(file, 'utf8'));
    expect(result).toMatchObject({ gate: 'flags', mode: 'check', verdict: 'fail', metrics: { 'new operations': 5, 'new operations flagged': 3, 'flags declared': 3 } });
  });
});

describe('dist/flags, mode stale', () => {
  const flags = `${FLAGS}  - name: overdue\n    owner: '@acme/late'\n    created: 2026-03-01\n    remove-by: 2026-05-01\n`;
  let run: Run;
  beforeAll(async () => {
    run = await step(workspace(flags), { mode: 'stale', spec: 'api/openapi.yaml', flags: 'api/flags.yaml', today: TODAY });
  });

  test('a flag past its remove-by fails, annotated on the flags file line', () => {
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'error-count': '1', 'new-operations': '0', 'stale-count': '2' });
    const a = annotations(run.stdout, { bare: false });
    expect(a.error).toEqual([
      expect.stringMatching(new RegExp(`^::error file=api/flags\\.yaml,line=${lineOf(flags, /remove-by: 2026-05-01/)},title=flag-past-remove-by::flag 'overdue' \\(owner @acme/late`)),
    ]);
    expect(a.warning.map((l) => /title=([\w-]+)/.exec(l)![1]).sort()).toEqual(['flag-cleanup-due', 'flag-too-old', 'flag-unused']);
  });

  test('the summary shows the register with ages', () => {
    expect(run.summary).toContain('Stale feature flags: failed');
    expect(run.summary).toContain('### Feature flags (`api/flags.yaml`, today 2026-06-15)');
    expect(run.summary).toContain('| `overdue` | @acme/late | rolling-out | 2026-03-01 | 106 days | 2026-05-01 | none |');
  });

  test('fail-on never: exit 0, verdict pass, counts kept', async () => {
    const r = await step(workspace(flags), { mode: 'stale', spec: 'api/openapi.yaml', flags: 'api/flags.yaml', today: TODAY, 'fail-on': 'never', 'max-age-days': '365', 'cleanup-days': '365' });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ verdict: 'pass', 'error-count': '1', 'warning-count': '1', 'stale-count': '1' }); // overdue: past remove-by and unused
  });
});

describe('dist/flags bad input: exit 2, no outputs', () => {
  test.each([
    ['an unknown mode', { mode: 'sweep' }, "::error::mode: 'sweep' is not one of check, stale"],
    ['check without base', { revision: 'api/openapi.yaml' }, '::error::base: required'],
    ['stale without flags', { mode: 'stale', spec: 'api/openapi.yaml' }, '::error::flags: required'],
    ['a missing flags file', { base: 'api/base.yaml', revision: 'api/openapi.yaml', flags: 'api/none.yaml' }, "::error::flags: flags file 'api/none.yaml' not found"],
    ['a bad today', { mode: 'stale', spec: 'api/openapi.yaml', flags: 'api/flags.yaml', today: '2026-13-01' }, "::error::today: '2026-13-01' is not a date"],
  ])('%s', async (_, inputs, message) => {
    const run = await step(workspace(), inputs);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(message);
    expect(run.outputs).toEqual({});
  });

  test('a flags file with a wrong field type names file and field', async () => {
    const run = await step(workspace('flags:\n  - name: a\n    created: [2026]\n'), { base: 'api/base.yaml', revision: 'api/openapi.yaml', flags: 'api/flags.yaml' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('::error::api/flags.yaml:3: flags[0].created: is a list: expected a date written YYYY-MM-DD');
  });
});

describe('a base read from git', () => {
  test('HEAD:api/openapi.yaml: the new operations against the last commit', async () => {
    const ws = workspace();
    writeFileSync(path.join(ws, 'api/openapi.yaml'), BASE);
    const git = (...a: string[]) => execFileSync('git', a, { cwd: ws, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'base');
    writeFileSync(path.join(ws, 'api/openapi.yaml'), REVISION);
    const run = await step(ws, { base: 'HEAD:api/openapi.yaml', revision: 'api/openapi.yaml' });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'error-count': '1', 'new-operations': '5' });
  });
});

describe('the umbrella action runs the same gate', () => {
  test('gate: flags gives the same verdict and counts', async () => {
    const run = await runAction({
      bundle: path.join(root, 'dist/umbrella/index.js'),
      actionYml: 'action.yml',
      inputs: { gate: 'flags', base: 'base.yaml', revision: 'openapi.yaml', flags: 'flags.yaml', 'working-directory': 'api' },
      env: { GITHUB_WORKSPACE: workspace() },
    });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'error-count': '1', 'warning-count': '0', 'info-count': '1', 'new-operations': '5' });
  });
});
