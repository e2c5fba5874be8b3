/** Bad input is exit 2 with one line naming the file or option, before any report is written. */
import { afterAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { InputError } from '../../src/kit/errors.js';
import { runLifecycle } from '../../src/lifecycle/run.js';
import { cleanup, folder, SPEC_YAML, TODAY } from './helpers.js';

afterAll(cleanup);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['lifecycle', ...argv], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const dir = folder({ 'openapi.yaml': SPEC_YAML, 'notes.yaml': 'title: not a spec\n', 'swagger.yaml': 'openapi: 2.5.0\npaths: {}\n', 'broken.yaml': 'openapi: [\n' });
const spec = path.join(dir, 'openapi.yaml');

describe('lifecycle: bad input exits 2 with a clear message', () => {
  test.each([
    ['a missing file', [path.join(dir, 'nope.yaml')], /nope\.yaml: file not found/],
    ['a file that is not OpenAPI', [path.join(dir, 'notes.yaml')], /notes\.yaml: not an OpenAPI document/],
    ['an unsupported openapi version', [path.join(dir, 'swagger.yaml')], /field 'openapi' is "2\.5\.0": expected 3\.0\.x or 3\.1\.x/],
    ['unparseable YAML', [path.join(dir, 'broken.yaml')], /broken\.yaml/],
    ['a directory', [dir], /is a directory/],
    ['an impossible --today', [spec, '--today', '2026-02-30'], /^api-delivery lifecycle: today: '2026-02-30' is not a date: expected YYYY-MM-DD/],
    ['a --today that is not YYYY-MM-DD', [spec, '--today', '15/06/2026'], /today: '15\/06\/2026' is not a date/],
    ['a --today with a time', [spec, '--today', '2026-06-15T10:00:00Z'], /today: '2026-06-15T10:00:00Z' is not a date/],
    ['a negative --warn-days', [spec, '--warn-days=-3'], /warn-days: '-3' is not a whole number of days/],
    ['a fractional --warn-days', [spec, '--warn-days', '1.5'], /warn-days: '1\.5' is not a whole number of days/],
    ['an unknown --fail-on', [spec, '--fail-on', 'info'], /fail-on: 'info' is not one of error, warning, never/],
    ['an unknown --format', [spec, '--format', 'pdf'], /format: 'pdf' is not one of/],
    ['an --output in a missing folder', [spec, '--output', path.join(dir, 'no/such/report.txt')], /output: .* is in a folder that does not exist/],
    ['no spec', [], /lifecycle: expected one SPEC/],
    ['two specs', [spec, spec], /lifecycle: unexpected argument/],
    ['an unknown option', [spec, '--sunset-days', '3'], /Unknown option '--sunset-days'/],
  ])('%s', async (_, argv, message) => {
    const r = await cli(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /); // a message, not a stack
  });

  test('the core throws InputError naming the field', () => {
    expect(() => runLifecycle({ spec: '' })).toThrow(new InputError('spec: required (an OpenAPI file or REV:path)'));
    try {
      runLifecycle({ spec, today: 'tomorrow' });
      throw new Error('expected an InputError');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).field).toBe('today');
    }
  });

  test('an empty --today and --warn-days take the defaults', () => {
    const r = runLifecycle({ spec, today: TODAY, warnDays: '' });
    expect(r.warnDays).toBe(30);
  });
});
