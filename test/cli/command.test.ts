import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finish, isHelpWord, isUsageError, parseCommand, printHelp, reportFormat } from '../../src/cli/command.js';
import { InputError } from '../../src/kit/errors.js';

describe('command: what every subcommand shares', () => {
  it('parses its own options with the common ones', () => {
    const { values, positionals } = parseCommand(['spec.yaml', '--today', '2027-01-01', '--format', 'json', '--output', 'r.json', '--fail-on', 'never', '-h'], { today: { type: 'string' } });
    expect(positionals).toEqual(['spec.yaml']);
    expect(values).toEqual({ today: '2027-01-01', format: 'json', output: 'r.json', 'fail-on': 'never', help: true });
  });

  it('an unknown option, a missing value or a refused positional is a usage error', () => {
    const thrown = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      throw new Error('expected a throw');
    };
    for (const e of [
      thrown(() => parseCommand(['--bogus'], {})),
      thrown(() => parseCommand(['--format'], {})),
      thrown(() => parseCommand(['extra'], {}, false)),
    ]) {
      expect(isUsageError(e)).toBe(true);
    }
    expect(isUsageError(new InputError('spec.yaml: not found'))).toBe(true);
    expect(isUsageError(new TypeError('cannot read properties of undefined'))).toBe(false);
  });

  it('help words in place of a subcommand', () => {
    for (const w of [undefined, '', '--help', '-h', 'help']) expect(isHelpWord(w)).toBe(true);
    expect(isHelpWord('verify')).toBe(false);
    let out = '';
    expect(printHelp((s) => (out += s), 'usage')).toBe(0);
    expect(out).toBe('usage\n');
  });

  it('checks --format and --output before any work', () => {
    expect(reportFormat({})).toBe('text');
    expect(reportFormat({ format: 'sarif' })).toBe('sarif');
    expect(() => reportFormat({ format: 'pdf' })).toThrow("format: 'pdf' is not one of text, json, markdown, junit, sarif, github");
    expect(() => reportFormat({ output: path.join(tmpdir(), 'no-such-dir-api-delivery', 'r.json') })).toThrow(/is in a folder that does not exist/);
  });

  it('writes the report to stdout or --output; the exit code follows the verdict', () => {
    let out = '';
    expect(finish({ verdict: 'pass' }, 'report\n', undefined, (s) => (out += s))).toBe(0);
    expect(out).toBe('report\n');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'command-')), 'r.txt');
    expect(finish({ verdict: 'fail' }, 'failed\n', file, (s) => (out += s))).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('failed\n');
    expect(out).toBe('report\n');
  });
});
