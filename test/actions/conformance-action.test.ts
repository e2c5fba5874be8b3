/**
 * dist/conformance run the way the GitHub runner runs it: `node dist/conformance/index.js` with
 * INPUT_* for every input (defaults from action.yml, as the runner fills them), GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY in temp files, against the example API on 127.0.0.1 started by this test.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { root, runAction, tempDir } from './runner.js';

const BUNDLE = path.join(root, 'dist/conformance/index.js');
const ACTION_YML = 'actions/conformance/action.yml';
type Petstore = { url: string; close(): Promise<void> };
const { startServer } = (await import(path.join(root, 'examples/petstore/server.mjs'))) as { startServer(o: object): Promise<Petstore> };

const servers: Petstore[] = [];
let clean: Petstore;
let bugged: Petstore;
beforeAll(async () => {
  clean = await startServer({});
  bugged = await startServer({ bugs: ['wrong-type', 'undocumented-status'] });
  servers.push(clean, bugged);
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

const runStep = (inputs: Record<string, string>) => runAction({ bundle: BUNDLE, actionYml: ACTION_YML, inputs });

const AUTH = 'Authorization: Bearer demo-token';

describe('dist/conformance against the example API', () => {
  test('a clean API passes: exit 0, outputs, a summary with the coverage and the test plan links', async () => {
    expect(existsSync(BUNDLE)).toBe(true);
    const run = await runStep({
      openapi: 'examples/petstore/openapi.v2.yaml',
      'base-url': clean.url,
      headers: AUTH,
      'test-plan': 'examples/conformance/Test-plan.md',
      stateful: 'true',
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'error-count': '0', seed: '1', 'checks-failed': '0' });
    expect(Number(run.outputs.requests)).toBeGreaterThan(50);
    expect(Number(run.outputs['checks-passed'])).toBeGreaterThan(100);
    expect(run.summary).toMatch(/^## ✅ API conformance \(full\): passed/);
    expect(run.summary).toMatch(/\| `POST \/pets` \| \d+ \| \d+ \| \d+ \| \d+ \| 0 \| passed \|/);
    expect(run.summary).toContain('### Test plan `examples/conformance/Test-plan.md`');
    expect(run.summary).toMatch(/\| \d+ \| Every answer's status is documented .* \| yes \| `status-documented` ✅ \d+ passed \|/);
    const result = JSON.parse(readFileSync(run.outputs['result-file']!, 'utf8'));
    expect(result).toMatchObject({ gate: 'conformance', verdict: 'pass', mode: 'full' });
  });

  test('planted bugs fail the step: annotations on the spec lines, curl lines in the summary, the token masked', async () => {
    const sarifDir = tempDir('conformance-sarif-');
    const sarif = path.join(sarifDir, 'conformance.sarif');
    const run = await runStep({ openapi: 'openapi.v2.yaml', 'working-directory': 'examples/petstore', 'base-url': bugged.url, headers: AUTH, 'sarif-file': sarif });
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error file='));
    expect(errors).toContainEqual(expect.stringMatching(/^::error file=examples\/petstore\/openapi\.v2\.yaml,line=\d+,title=status-documented/));
    expect(errors).toContainEqual(expect.stringMatching(/^::error file=examples\/petstore\/openapi\.v2\.yaml,line=\d+,title=response-schema/));
    expect(run.summary).toMatch(/answered 418, which the spec does not document/);
    expect(run.summary).toContain("-H 'Authorization: ***'");
    expect(run.stdout).toContain('::add-mask::Bearer demo-token');
    expect(run.summary).not.toContain('demo-token');
    expect(readFileSync(run.outputs['result-file']!, 'utf8')).not.toContain('demo-token');
    const results = (JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results: { ruleId: string }[] }[] }).runs[0]!.results;
    expect(results.map((r) => r.ruleId)).toEqual(expect.arrayContaining(['status-documented', 'response-schema']));
  });

  test('smoke mode sends one request per GET operation', async () => {
    const run = await runStep({ openapi: 'examples/petstore/openapi.v2.yaml', 'base-url': clean.url, headers: AUTH, mode: 'smoke' });
    expect(run.code).toBe(0);
    expect(run.outputs.requests).toBe('3');
    expect(run.summary).toContain('### Coverage (smoke mode, seed 1,');
  });

  test('bad input exits 2 with a message naming the input', async () => {
    const run = await runStep({ openapi: 'examples/petstore/openapi.v2.yaml', 'base-url': '' });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error::base-url: required/m);
    expect(run.outputs.verdict).toBeUndefined();
    const mode = await runStep({ openapi: 'examples/petstore/openapi.v2.yaml', 'base-url': clean.url, mode: 'fast' });
    expect(mode.code).toBe(2);
    expect(mode.stdout).toMatch(/^::error::mode: 'fast' is not one of full, smoke/m);
  });
});

