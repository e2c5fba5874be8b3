/**
 * dist/asvs runs the way the GitHub runner runs it: `node dist/asvs/index.js` with INPUT_* for every
 * input (defaults from action.yml), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as temp files. The probes call
 * the example Petstore server, started in this process on 127.0.0.1 (so the step must be spawned
 * asynchronously: the server answers from this event loop).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { annotations, root, runAction, tempDir, type Run } from './runner.js';

const BUNDLE = path.join(root, 'dist/asvs/index.js');
const CHECKLIST = 'examples/petstore/Security-ASVS-checklist.md';
const SPEC = 'examples/petstore/openapi.v2.yaml';
type Petstore = { url: string; close(): Promise<void> };
// The example server is plain JavaScript; imported by path so the type checker does not look for its types.
const { startServer } = (await import(path.join(root, 'examples/petstore/server.mjs'))) as { startServer(o: object): Promise<Petstore> };

const action = parseYaml(readFileSync(path.join(root, 'actions/asvs/action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};

const runStep = (inputs: Record<string, string>) => runAction({ bundle: BUNDLE, actionYml: 'actions/asvs/action.yml', inputs });

const errors = (stdout: string) => annotations(stdout, { bare: false }).error;

describe('dist/asvs, mode verify, on the example checklist', () => {
  let run: Run;
  beforeAll(async () => {
    expect(existsSync(BUNDLE)).toBe(true);
    run = await runStep({ checklist: CHECKLIST });
  });

  test('passes: exit 0, verdict pass, coverage 100, no probe output', () => {
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'error-count': '0', coverage: '100', 'rate-limited-at': '' });
  });

  test('the job summary has the coverage per chapter', () => {
    expect(run.summary).toContain('OWASP ASVS: passed');
    expect(run.summary).toContain('### Coverage by chapter: ASVS 5.0.0, level 1');
    expect(run.summary).toMatch(/\| \*\*Total\*\* \| \*\*70\*\* \|/);
  });

  test('result-file is the GateResult', () => {
    const result = JSON.parse(readFileSync(run.outputs['result-file']!, 'utf8'));
    expect(result).toMatchObject({ gate: 'asvs', verdict: 'pass', checklist: { level: 1, version: '5.0.0' } });
    expect(run.outputs['result-file']!.startsWith(run.tmp)).toBe(true);
  });
});

describe('dist/asvs, mode both, against the example server', () => {
  let good: Petstore;
  let bad: Petstore;
  beforeAll(async () => {
    good = (await startServer({ rateLimit: { limit: 20, windowMs: 60_000 } })) as Petstore;
    bad = (await startServer({ bugs: ['unprotected-get'], rateLimit: { limit: 20, windowMs: 60_000 } })) as Petstore;
  });
  afterAll(async () => {
    await good.close();
    await bad.close();
  });
  const inputs = (url: string) => ({ mode: 'both', checklist: CHECKLIST, openapi: SPEC, 'base-url': url, token: 'demo-token', 'rate-limit-max': '50' });

  test('the correct server: pass, the probes in the summary, the token masked and never printed', async () => {
    const run = await runStep(inputs(good.url));
    expect(run.code).toBe(0);
    expect(run.outputs.verdict).toBe('pass');
    expect(Number(run.outputs['rate-limited-at'])).toBeGreaterThan(0);
    expect(run.summary).toContain('### Live probes');
    expect(run.summary).toMatch(/`probe:auth` \| ✅ pass/);
    expect(run.stdout).toContain('::add-mask::demo-token');
    const leaked = run.stdout.replace('::add-mask::demo-token', '') + run.summary + readFileSync(run.outputs['result-file']!, 'utf8');
    expect(leaked).not.toContain('demo-token');
  });

  test('an unprotected operation: exit 1, the checklist row citing probe:auth fails on its line, and the spec operation is annotated', async () => {
    const run = await runStep(inputs(bad.url));
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    const row = readFileSync(path.join(root, CHECKLIST), 'utf8').split('\n').findIndex((l) => l.startsWith('| v5.0.0-8.2.1 ')) + 1;
    expect(errors(run.stdout)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^::error file=${CHECKLIST},line=${row},.*asvs-requirement-failed`)),
        expect.stringMatching(new RegExp(`^::error file=${SPEC},line=\\d+,.*asvs-auth-not-enforced`)),
      ]),
    );
    expect(run.summary).toMatch(/`probe:auth` \| ❌ fail/);
  });
});

describe('dist/asvs bad input exits 2 with the field named', () => {
  test.each([
    [{ mode: 'both', checklist: CHECKLIST, openapi: SPEC }, /base-url: required/],
    [{ checklist: 'nope.md' }, /checklist: file 'nope.md' not found/],
    [{ checklist: CHECKLIST, level: 'high' }, /level: 'high' is not an ASVS level/],
    [{ checklist: CHECKLIST, 'allow-todo': 'maybe' }, /allow-todo: 'maybe' is not true or false/],
    [{ mode: 'probe', openapi: SPEC, 'base-url': 'http://127.0.0.1:9', 'rate-limit-max': 'lots' }, /rate-limit-max: 'lots'/],
  ])('%j', async (inputs, message) => {
    const run = await runStep(inputs as Record<string, string>);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(message);
  });

  test('a table with missing columns', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'SEC.md'), '| ID | Status |\n|---|---|\n| v5.0.0-1.2.1 | pass |\n');
    const run = await runStep({ checklist: path.join(dir, 'SEC.md') });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/SEC\.md:1: the checklist table lacks the columns Level, Evidence, Notes/);
  });
});

describe('actions/asvs/action.yml matches the adapter', () => {
  const code = ['src/actions/asvs-action.ts', 'src/actions/lib/report.ts'].map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n');
  const read = [...code.matchAll(/\bget(?:Boolean|Multiline)?Input\(\s*'([^']+)'/g)].map((m) => m[1]!);
  const written = [...code.matchAll(/\bsetOutput\(\s*'([^']+)'/g)].map((m) => m[1]!);
  test.each(Object.keys(action.inputs))('input %s is read', (name) => expect(read).toContain(name));
  test.each(Object.keys(action.outputs))('output %s is written', (name) => expect(written).toContain(name));
  test('nothing undeclared is read or written', () => {
    expect([...new Set(read)].filter((n) => !(n in action.inputs))).toEqual([]);
    expect([...new Set(written)].filter((n) => !(n in action.outputs))).toEqual([]);
  });
});
