import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { conformanceCommand } from '../../src/cli/conformance.js';
import { cleanup, ROOT, startServer, TOKEN_HEADER, tempDir, V2, writeTemp, type Petstore } from './helpers.js';

let server: Petstore;
beforeAll(async () => {
  server = await startServer({ bugs: ['wrong-type'] });
});
afterAll(async () => {
  await server.close();
  cleanup();
});

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await conformanceCommand(args, (s) => (out += s));
  return { code, out };
}

/** The real CLI entry (the command sets the exit code when its requests finish). */
function spawnCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'src/cli/index.ts'), 'conformance', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const base = () => ['--openapi', V2, '--base-url', server.url, '--header', TOKEN_HEADER];

describe('api-delivery conformance', () => {
  test('a failing run: text report with findings, spec lines, curl lines and the coverage table; exit 1', async () => {
    const { code, out } = await cli([...base(), '--mode', 'smoke']);
    expect(code).toBe(1);
    expect(out).toMatch(/^conformance: FAIL/);
    expect(out).toMatch(/ERROR response-schema: answered 200 with a body that does not match the schema: \/name must be string/);
    expect(out).toMatch(/openapi\.v2\.yaml:\d+\)/);
    expect(out).toContain("Reproduce: `curl -i -X GET 'http://127.0.0.1:");
    expect(out).toMatch(/Coverage \(smoke mode, seed 1, http:\/\/127\.0\.0\.1:\d+\)/);
    expect(out).toMatch(/POST \/pets +0 +0 +0 +0 +0 +skipped: smoke mode runs GET operations only/);
  });

  test('--format json gives the GateResult with coverage; --output writes it to a file', async () => {
    const file = path.join(tempDir(), 'r.json');
    const { code, out } = await cli([...base(), '--mode', 'smoke', '--format', 'json', '--output', file]);
    expect(code).toBe(1);
    expect(out).toBe('');
    const r = JSON.parse(readFileSync(file, 'utf8'));
    expect(r).toMatchObject({ gate: 'conformance', verdict: 'fail', mode: 'smoke', seed: 1 });
    expect(r.coverage).toHaveLength(5);
    expect(r.findings[0].data.curl).toMatch(/^curl /);
  });

  test('--fail-on never passes; --skip-checks drops a check; markdown carries the coverage and the plan links', async () => {
    expect((await cli([...base(), '--mode', 'smoke', '--fail-on', 'never'])).code).toBe(0);
    expect((await cli([...base(), '--mode', 'smoke', '--skip-checks', 'response-schema'])).code).toBe(0);
    const plan = path.join(ROOT, 'examples/conformance/Test-plan.md');
    const { out } = await cli([...base(), '--mode', 'smoke', '--format', 'markdown', '--test-plan', plan, '--skip-checks', 'conformance:auth-enforced']);
    expect(out).toContain('### Coverage (smoke mode, seed 1,');
    expect(out).toMatch(/\| `GET \/pets\/\{id\}` \| 1 \| 0 \| 1 \| \d+ \| 1 \| failed \|/);
    expect(out).toMatch(/### Test plan `.*Test-plan\.md`/);
    // Smoke mode sends no negative cases: the plan's checked item on them did not run.
    expect(out).toMatch(/`test-plan-check-not-run` \| item 'Invalid requests are refused/);
    expect(out).toMatch(/\| `response-schema` ❌ 2 failed/);
  });

  test('plan FILE verifies a plan on its own', async () => {
    expect((await cli(['plan', path.join(ROOT, 'examples/conformance/Test-plan.md')])).code).toBe(0);
    const { code, out } = await cli(['plan', path.join(ROOT, 'templates/Test-plan.md')]);
    expect(code).toBe(1);
    expect(out).toContain('test-plan-placeholder');
  });

  test.each([
    [[], 'openapi: required'],
    [['--openapi', V2], 'base-url: required'],
    [['--openapi', V2, '--base-url', 'ftp://x'], "base-url: 'ftp://x' must use http or https"],
    [['--openapi', V2, '--base-url', 'not a url'], "base-url: 'not a url' is not a URL"],
    [['--openapi', V2, '--base-url', 'http://u:p@127.0.0.1'], 'base-url: put credentials in a header'],
    [['--openapi', V2, '--base-url', 'http://127.0.0.1', '--mode', 'quick'], "mode: 'quick' is not one of full, smoke"],
    [['--openapi', V2, '--base-url', 'http://127.0.0.1', '--seed=-3'], "seed: '-3' is not a whole number from 0 to 2147483647 (or 'random')"],
    [['--openapi', V2, '--base-url', 'http://127.0.0.1', '--concurrency', '0'], "concurrency: '0' is not a whole number from 1 to 64"],
    [['--openapi', V2, '--base-url', 'http://127.0.0.1', '--header', 'Bearer xyz'], "header: expected 'Name: value'"],
    [['--openapi', V2, '--base-url', 'http://127.0.0.1', '--skip-checks', 'nope'], "skip-checks: 'nope' is not a check"],
    [['--openapi', 'missing.yaml', '--base-url', 'http://127.0.0.1'], 'missing.yaml: file not found'],
    [['--openapi', V2, '--base-url', 'http://127.0.0.1', '--test-plan', 'nope.md'], /^test-plan: file '.*nope\.md' not found/],
    [['plan'], 'plan: expected the test plan file'],
  ] as [string[], string | RegExp][])('bad input %j → an error naming the field', async (args, message) => {
    await expect(cli(args as string[])).rejects.toThrow(message);
  });

  test('a header value never appears in an error message', async () => {
    await expect(cli(['--openapi', V2, '--base-url', 'http://127.0.0.1', '--header', 'X-Key: sec\u0000ret'])).rejects.toThrow(/^header: the value of 'X-Key' contains a line break or NUL$/);
  });

  test('a schema ajv cannot compile is bad input naming the file and the schema', async () => {
    const spec = writeTemp(
      'bad.yaml',
      "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { type: integer, minimum: five }\n",
    );
    await expect(cli(['--openapi', spec, '--base-url', 'http://127.0.0.1'])).rejects.toThrow(/bad\.yaml at \/paths\/~1x\/get\/responses\/200\/content\/application~1json\/schema: schema cannot be used for validation/);
  });

  test('through the real entry point: exit 1 on findings, 2 on bad input, 0 on a pass', async () => {
    const fail = await spawnCli([...base(), '--mode', 'smoke', '--format', 'json']);
    expect(fail.code).toBe(1);
    expect(JSON.parse(fail.stdout).verdict).toBe('fail');
    const bad = await spawnCli(['--openapi', V2]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('api-delivery conformance: base-url: required (the running API, e.g. https://staging.example.com)\n');
    const ok = await spawnCli(['plan', 'examples/conformance/Test-plan.md']);
    expect(ok.code).toBe(0);
  });
});
