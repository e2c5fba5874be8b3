import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { asvsCommand } from '../../src/cli/asvs.js';
import { InputError } from '../../src/kit/errors.js';
import { cleanup, HAVE_SHARED, repo, ROOT, SHARED_ASVS } from './helpers.js';

afterAll(cleanup);

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await asvsCommand(argv, (s) => (out += s));
  return { code, out };
}

const EXAMPLE = path.join(ROOT, 'examples/petstore/Security-ASVS-checklist.md');

describe('api-delivery asvs verify', () => {
  test('the example checklist passes at level 1 (exit 0) with full coverage', async () => {
    const r = await cli('verify', EXAMPLE, '--root', ROOT, '--format', 'json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ gate: 'asvs', verdict: 'pass', checklist: { file: 'examples/petstore/Security-ASVS-checklist.md', version: '5.0.0', level: 1 } });
    expect(result.metrics).toMatchObject({ requirements: 70, missing: 0, 'coverage %': 100 });
    expect(result.findings.every((f: { level: string }) => f.level === 'info')).toBe(true); // the cited probes did not run here
  });

  test('at level 2 the same checklist fails (exit 1): the level-2 requirements have no row', async () => {
    const r = await cli('verify', EXAMPLE, '--root', ROOT, '--level', '2');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/asvs: FAIL \(183 errors/);
    expect(r.out).toContain('Coverage by chapter (ASVS 5.0.0, level 2');
  });

  test('markdown output carries the coverage table', async () => {
    const r = await cli('verify', EXAMPLE, '--root', ROOT, '--format', 'markdown');
    expect(r.out).toContain('### Coverage by chapter: ASVS 5.0.0, level 1');
    expect(r.out).toMatch(/\| V6 Authentication \| 13 \| 2 \| 11 \| 0 \| 0 \| 0 \| 100% \|/);
  });

  test('the template is a valid checklist whose rows are all todo', async () => {
    const r = await cli('verify', path.join(ROOT, 'templates/Security-ASVS-checklist.md'), '--root', ROOT, '--format', 'json');
    const result = JSON.parse(r.out);
    expect(r.code).toBe(1);
    expect(new Set(result.findings.map((f: { id: string }) => f.id))).toEqual(new Set(['asvs-requirement-todo']));
    expect(result.findings).toHaveLength(70);
    const allowed = await cli('verify', path.join(ROOT, 'templates/Security-ASVS-checklist.md'), '--root', ROOT, '--allow-todo');
    expect(allowed.code).toBe(0);
  });

  test('bad usage is an input error (exit 2 from main)', async () => {
    await expect(cli('scan')).rejects.toThrow(/unknown subcommand 'scan'/);
    await expect(cli('verify')).rejects.toThrow(/expected one CHECKLIST file/);
    await expect(cli('verify', EXAMPLE, '--level', '4')).rejects.toThrow(/level: '4' is not an ASVS level/);
    await expect(cli('verify', 'no-such.md')).rejects.toThrow(/checklist: file 'no-such.md' not found/);
    await expect(cli('verify', EXAMPLE, '--format', 'pdf')).rejects.toThrow(InputError);
    await expect(cli('probe', '--openapi', 'x.yaml', '--level', '1')).rejects.toThrow(/--level does not apply here/);
    await expect(cli('verify', EXAMPLE, '--bogus')).rejects.toThrow(/Unknown option/);
  });
});

describe('api-delivery asvs init', () => {
  test('writes a level-2 checklist with one todo row per requirement, and will not overwrite without --force', async () => {
    const dir = repo();
    const file = path.join(dir, 'SEC.md');
    expect((await cli('init', '--level', '2', '--output', file)).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.match(/^\| v5\.0\.0-\d+\.\d+\.\d+ \| [12] \| todo \|/gm)).toHaveLength(253);
    expect(text).not.toMatch(/Verify that/);
    await expect(cli('init', '--level', '2', '--output', file)).rejects.toThrow(/exists; pass --force/);
    expect((await cli('init', '--level', '1', '--version', '4.0.3', '--output', file, '--force')).code).toBe(0);
    expect(readFileSync(file, 'utf8').match(/^\| v4\.0\.3-/gm)).toHaveLength(128);
  });

  test('the YAML form round-trips through verify', async () => {
    const dir = repo();
    const file = path.join(dir, 'sec.yaml');
    await cli('init', '--level', '1', '--output', file);
    const r = await cli('verify', file, '--root', dir, '--format', 'json');
    const result = JSON.parse(r.out);
    expect(result.findings).toHaveLength(70);
    expect(result.findings[0]).toMatchObject({ id: 'asvs-requirement-todo', location: { file: 'sec.yaml', line: expect.any(Number) } });
    // Fill one row in and check that its line moves with it.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/status: todo/, 'status: fail'));
    const again = JSON.parse((await cli('verify', file, '--root', dir, '--format', 'json')).out);
    expect(again.findings.filter((f: { id: string }) => f.id === 'asvs-requirement-failed')).toHaveLength(1);
  });

  test('bad init input', async () => {
    await expect(cli('init')).rejects.toThrow(/level: required/);
    await expect(cli('init', '--level', '1', '--version', '3.0')).rejects.toThrow(/not a supported ASVS version/);
    await expect(cli('init', '--level', '1', '--base-url', 'http://x')).rejects.toThrow(/--base-url does not apply here/);
  });

  (HAVE_SHARED ? test : test.skip)('with --catalog the descriptions appear, with the licence note', async () => {
    const r = await cli('init', '--level', '1', '--catalog', path.join(SHARED_ASVS, 'asvs-5.0.0-en.csv'));
    expect(r.out).toContain('| ID | Level | Description | Status | Evidence | Notes |');
    expect(r.out).toMatch(/\| v5\.0\.0-6\.2\.1 \| 1 \| Verify that user set passwords are at least 8 characters/);
    expect(r.out).toContain('CC BY-SA 4.0 (share alike)');
    // A folder of exports picks the JSON of the version asked for.
    const v4 = await cli('init', '--level', '1', '--version', '4.0.3', '--catalog', SHARED_ASVS);
    expect(v4.out).toMatch(/\| v4\.0\.3-2\.1\.1 \| 1 \| Verify that user set passwords are at least 12 characters/);
    // …and verify shows the text in its findings.
    const dir = repo();
    writeFileSync(path.join(dir, 'SEC.md'), r.out);
    const v = await cli('verify', path.join(dir, 'SEC.md'), '--root', dir, '--catalog', SHARED_ASVS, '--format', 'json');
    expect(JSON.parse(v.out).findings[0].message).toMatch(/is still todo — Verify that/);
  });
});
