/** api-delivery flags: help, exit codes 0/1/2, formats. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FLAGS_HELP } from '../../src/cli/flags.js';
import { COMMANDS, mainHelp } from '../../src/cli/main.js';
import { BASE, cleanup, cli, FLAGS, folder, REVISION, TODAY } from './helpers.js';

afterAll(cleanup);

const d = folder({ 'base.yaml': BASE, 'rev.yaml': REVISION, 'flags.yaml': FLAGS });
const p = (f: string) => path.join(d, f);
const checkArgs = ['check', '--base', p('base.yaml'), '--revision', p('rev.yaml'), '--flags', p('flags.yaml')];

describe('api-delivery flags', () => {
  test('is registered, and --help lists every finding id and option', async () => {
    expect(COMMANDS.flags?.help).toBe(FLAGS_HELP);
    expect(mainHelp()).toMatch(/^ {2}flags {9}Feature flags/m);
    for (const argv of [['--help'], ['check', '--help'], ['-h']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(0);
      expect(r.out).toBe(FLAGS_HELP + '\n');
    }
    for (const word of [
      'flag-missing', 'flag-invalid-name', 'flag-undeclared', 'flag-removed-in-use', 'flag-duplicate', 'flag-owner-missing', 'flag-created-missing',
      'flag-invalid-date', 'flag-invalid-status', 'flag-past-remove-by', 'flag-too-old', 'flag-cleanup-due', 'flag-unused', 'flag-waived',
      '--base', '--revision', '--spec', '--flags', '--max-age-days', '--cleanup-days', '--today', '--fail-on', '--format', '--output',
    ]) {
      expect(FLAGS_HELP).toContain(word);
    }
  });

  test('check with a new unflagged operation: exit 1, text report with the new operations', async () => {
    const r = await cli(...checkArgs);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^flags: FAIL \(1 error, 0 warnings, 1 info\)/);
    expect(r.out).toContain('ERROR flag-missing: POST /pets: new operation without a feature flag');
    expect(r.out).toContain('New operations\n  POST /pets  (none)\n');
  });

  test('check: --fail-on never exits 0; JSON is the FlagsResult', async () => {
    const r = await cli(...checkArgs, '--fail-on', 'never', '--format', 'json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ gate: 'flags', mode: 'check', verdict: 'pass', flagsFile: expect.stringMatching(/flags\.yaml$/) });
    expect(result.newOperations).toHaveLength(5);
  });

  test('check passes (exit 0) when every new operation is flagged', async () => {
    const e = folder({ 'base.yaml': BASE, 'rev.yaml': REVISION.replace('    post:\n', '    post:\n      x-feature-flag: pet-delete\n'), 'flags.yaml': FLAGS });
    const r = await cli('check', '--base', path.join(e, 'base.yaml'), '--revision', path.join(e, 'rev.yaml'), '--flags', path.join(e, 'flags.yaml'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^flags: PASS \(0 errors, 0 warnings, 1 info\)/);
  });

  test('stale: markdown with the flag register; --output writes a file', async () => {
    const md = await cli('stale', '--spec', p('rev.yaml'), '--flags', p('flags.yaml'), '--today', TODAY, '--format', 'markdown');
    expect(md.code).toBe(0); // pets-list: on since 2026-02-01 → cleanup due, a warning
    expect(md.out).toContain('flag-cleanup-due');
    expect(md.out).toMatch(/### Feature flags \(`.*flags\.yaml`, today 2026-06-15\)/);
    expect(md.out).toContain('| `pets-list` | @acme/pets | on | 2026-01-10 | 156 days |  | GET /pets |');
    const out = p('report.json');
    const r = await cli('stale', '--spec', p('rev.yaml'), '--flags', p('flags.yaml'), '--today', TODAY, '--format', 'json', '--output', out, '--fail-on', 'warning');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ mode: 'stale', verdict: 'fail' });
  });

  test('sarif and junit render', async () => {
    const s = await cli(...checkArgs, '--format', 'sarif');
    expect(JSON.parse(s.out).runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('flag-missing');
    const j = await cli(...checkArgs, '--format', 'junit');
    expect(j.out).toContain('flag-missing');
  });
});

describe('usage errors exit 2 with one line', () => {
  test.each([
    ['no mode', [], /^api-delivery flags: flags: expected check or stale/],
    ['an unknown mode', ['purge'], /^api-delivery flags: mode: 'purge' is not one of check, stale/],
    ['two modes', ['check', 'stale'], /flags: unexpected argument 'stale'/],
    ['a stale option on check', ['check', '--base', 'a', '--revision', 'b', '--today', TODAY], /flags check: --today is for flags stale/],
    ['a check option on stale', ['stale', '--spec', 'a', '--flags', 'f', '--base', 'x'], /flags stale: --base is for flags check/],
    ['check without --base', ['check', '--revision', 'x'], /base: required/],
    ['check without --revision', ['check', '--base', 'x'], /revision: required/],
    ['stale without --flags', ['stale', '--spec', 'x'], /flags: required/],
    ['a missing spec', ['stale', '--spec', 'nope.yaml', '--flags', p('flags.yaml')], /nope\.yaml: file not found/],
    ['an unknown option', ['check', '--flag', 'x'], /Unknown option '--flag'/],
    ['a bad --today', ['stale', '--spec', p('rev.yaml'), '--flags', p('flags.yaml'), '--today', '2026-06-31'], /today: '2026-06-31' is not a date/],
    ['a bad --format', [...['check', '--base', 'a', '--revision', 'b'], '--format', 'pdf'], /format: 'pdf' is not one of/],
  ])('%s', async (_, argv, message) => {
    const r = await cli(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
