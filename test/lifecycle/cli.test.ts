import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lifecycleCommand, LIFECYCLE_HELP } from '../../src/cli/lifecycle.js';
import { COMMANDS, main } from '../../src/cli/main.js';
import { cleanup, folder, SPEC_YAML, TODAY } from './helpers.js';

afterAll(cleanup);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PETSTORE = 'examples/petstore/openapi.v2.yaml';

/** Through main(), as the bin runs it: exit code, stdout and stderr. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['lifecycle', ...argv], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const dir = folder({ 'openapi.yaml': SPEC_YAML });
const spec = path.join(dir, 'openapi.yaml');

describe('api-delivery lifecycle', () => {
  test('is registered, and --help lists every finding id and option', async () => {
    expect(COMMANDS.lifecycle?.help).toBe(LIFECYCLE_HELP);
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const word of ['sunset-passed', 'sunset-soon', 'deprecated-without-sunset', 'sunset-without-deprecation', 'invalid-sunset', '--today', '--warn-days', '--fail-on', '--format', '--output']) {
      expect(r.out).toContain(word);
    }
  });

  test('a spec with a passed sunset fails (exit 1); text shows the findings and the schedule', async () => {
    const r = await cli(spec, '--today', TODAY);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^lifecycle: FAIL \(4 errors, 4 warnings, 1 info\)/);
    expect(r.out).toContain('ERROR sunset-passed: GET /pets: operation had its sunset on 2026-06-01, 14 days ago');
    expect(r.out).toContain('Sunset schedule (today 2026-06-15)');
  });

  test('--fail-on never passes (exit 0) with the same findings', async () => {
    const r = await cli(spec, '--today', TODAY, '--fail-on', 'never', '--format', 'json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ gate: 'lifecycle', verdict: 'pass', today: TODAY, warnDays: 30 });
    expect(result.findings).toHaveLength(9);
  });

  test('markdown carries the sunset schedule table; --output writes the report to a file', async () => {
    const md = await cli(spec, '--today', TODAY, '--format', 'markdown');
    expect(md.out).toContain('### Sunset schedule');
    expect(md.out).toMatch(/\| 2026-06-01 \| ❌ 14 days ago \| GET \/pets \| operation \|/);
    const file = path.join(dir, 'report.json');
    const r = await cli(spec, '--today', TODAY, '--format', 'json', '--output', file);
    expect(r.out).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).gate).toBe('lifecycle');
  });

  test('a spec read from git (REV:path) is named as given', async () => {
    let out = '';
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      const code = lifecycleCommand([`HEAD:${PETSTORE}`, '--today', '2027-06-20', '--format', 'json'], (s) => (out += s));
      expect(code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    const result = JSON.parse(out);
    expect(result.findings).toEqual([
      expect.objectContaining({ id: 'sunset-soon', operation: 'DELETE /pets/{id}', location: { file: `HEAD:${PETSTORE}`, line: 111 } }),
    ]);
  });

  test('the default day is today in UTC', async () => {
    const before = new Date().toISOString().slice(0, 10);
    const r = await cli(spec, '--format', 'json');
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(JSON.parse(r.out).today); // either side of a midnight
  });
});
