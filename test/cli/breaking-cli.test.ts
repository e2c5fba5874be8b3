import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const cli = path.join(root, 'dist/cli/index.js');
const v1 = 'examples/petstore/openapi.v1.yaml';
const v2 = 'examples/petstore/openapi.v2.yaml';

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('api-delivery (the committed CLI bundle)', () => {
  it('--help lists the commands and the exit codes', () => {
    const r = run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/breaking\s+OpenAPI breaking-change gate/);
    expect(r.out).toMatch(/Exit codes: 0 pass, 1 the gate failed, 2 bad input or usage/);
  });

  it('every command has --help', () => {
    const r = run('breaking', '--help');
    expect(r.code).toBe(0);
    for (const flag of ['--fail-on', '--format', '--match-path', '--unmatch-path', '--severity-levels', '--ignore', '--deprecation-days-beta', '--deprecation-days-stable', '--include-path-params', '--allow-external-refs']) {
      expect(r.out).toContain(flag);
    }
  });

  it('an unknown command or flag is a usage error (2)', () => {
    expect(run('nope').code).toBe(2);
    const r = run('breaking', v1, v2, '--no-such-flag');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--no-such-flag/);
  });

  it('--output that is a directory, or in a folder that does not exist, is a usage error (2)', () => {
    const dir = run('breaking', v1, v2, '--output', 'examples');
    expect(dir.code).toBe(2);
    expect(dir.err).toMatch(/output: 'examples' is a directory/);
    const missing = run('breaking', v1, v2, '--output', 'no-such-folder/report.txt');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/output: 'no-such-folder\/report.txt' is in a folder that does not exist/);
  });

  it('breaking changes fail the gate (1); the JSON is a GateResult with semver', () => {
    const r = run('breaking', v1, v2, '--format', 'json');
    expect(r.code).toBe(1);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ gate: 'breaking', verdict: 'fail', semver: 'major', base: v1, revision: v2 });
    const removed = result.findings.find((f: { id: string }) => f.id === 'api-path-removed-without-deprecation');
    expect(removed).toMatchObject({ level: 'error', operation: 'GET /pets/{petId}/photos', location: { file: v1 } });
    expect(removed.location.line).toBeGreaterThan(0);
  });

  it('no change passes (0) with semver patch', () => {
    const r = run('breaking', v2, v2, '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'pass', semver: 'patch', findings: [] });
  });

  it('--fail-on never reports but passes', () => {
    const r = run('breaking', v1, v2, '--fail-on', 'never');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^breaking: PASS \(\d+ errors?/);
  });

  it('every format renders', () => {
    expect(run('breaking', v1, v2, '--format', 'markdown').out).toMatch(/^## ❌/);
    expect(run('breaking', v1, v2, '--format', 'junit').out).toMatch(/^<\?xml/);
    expect(JSON.parse(run('breaking', v1, v2, '--format', 'sarif').out).version).toBe('2.1.0');
    expect(run('breaking', v1, v2, '--format', 'github').out).toMatch(/^::error file=examples\/petstore\/openapi\.v2\.yaml,line=\d+/m);
    const bad = run('breaking', v1, v2, '--format', 'pdf');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("format: 'pdf' is not one of");
  });

  it('a missing spec is bad input (2) naming the file', () => {
    const r = run('breaking', v1, 'nope.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toContain('nope.yaml: file not found');
  });
});

describe('a reader that stops early', () => {
  it('closing the pipe (`| head -1`) drops the rest of the report; the exit code is still the verdict, no EPIPE crash', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    // Thousands of removed operations: a report far larger than a pipe's buffer.
    const dir = mkdtempSync(path.join(tmpdir(), 'epipe-'));
    const paths = Array.from({ length: 3000 }, (_, i) => `  /things${i}:\n    get:\n      responses:\n        '200': {description: ok}\n`).join('');
    writeFileSync(path.join(dir, 'base.yaml'), `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n${paths}`);
    writeFileSync(path.join(dir, 'rev.yaml'), `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n`);
    const child = spawn(process.execPath, [cli, 'breaking', 'base.yaml', 'rev.yaml', '--format', 'text'], { cwd: dir });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(1);
  });
});
