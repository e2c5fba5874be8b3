/** The flags file: its own rules as findings on its lines; a file of the wrong shape is bad input (exit 2). */
import { afterAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { judgeFile } from '../../src/flags/check.js';
import { loadFlagsFile, parseFlagsFile } from '../../src/flags/file.js';
import { runFlagsCheck } from '../../src/flags/run.js';
import { InputError } from '../../src/kit/errors.js';
import { BASE, cleanup, cli, FLAGS, folder, ids, lineOf, REVISION } from './helpers.js';

afterAll(cleanup);

const judge = (text: string) => judgeFile(parseFlagsFile(text, 'flags.yaml')).findings;

describe('a complete file gives no finding', () => {
  test('YAML', () => {
    expect(judge(FLAGS)).toEqual([]);
  });
  test('JSON, with the same lines as written', () => {
    const json = JSON.stringify({ flags: [{ name: 'a', owner: '@x', created: '2026-01-01' }, { name: 'a', owner: '@x', created: '2026-01-01' }] }, null, 2);
    expect(judge(json)).toEqual([expect.objectContaining({ id: 'flag-duplicate', location: { file: 'flags.yaml', line: lineOf(json, /"name": "a"/, 8) } })]);
  });
  test('status defaults to rolling-out; x-* fields and description are free', () => {
    const f = parseFlagsFile(`x-team: pets\nflags:\n  - name: a\n    owner: '@x'\n    created: 2026-01-01\n    description: the new search\n    x-ticket: PETS-12\n`, 'f.yaml');
    expect(judgeFile(f).findings).toEqual([]);
    expect(f.entries[0]).toMatchObject({ name: 'a', description: 'the new search' });
    expect(f.entries[0]).not.toHaveProperty('status');
  });
  test('flags: with no entries is an empty register', () => {
    expect(parseFlagsFile('flags:\n', 'f.yaml').entries).toEqual([]);
    expect(parseFlagsFile('flags: []\n', 'f.yaml').entries).toEqual([]);
  });
});

describe('flag-duplicate (error)', () => {
  const text = `${FLAGS}  - name: pet-delete\n    owner: '@other'\n    created: 2026-06-02\n`;
  test('fires on the second declaration, naming the first line; only the first is judged further', () => {
    const f = judge(text);
    expect(f).toEqual([
      {
        id: 'flag-duplicate',
        level: 'error',
        message: "flag 'pet-delete' is declared again (first at line 7): keep one entry per flag",
        location: { file: 'flags.yaml', line: lineOf(text, /name: pet-delete/, 10) },
        data: { flag: 'pet-delete', firstLine: 7 },
      },
    ]);
  });
});

describe('flag-owner-missing and flag-created-missing (error)', () => {
  const text = `flags:\n  - name: a\n    created: 2026-01-01\n  - name: b\n    owner: '  '\n    created: 2026-01-01\n  - name: c\n    owner: '@x'\n  - name: d\n    owner: '@x'\n    created: 2026-01-01\n`;
  const f = judge(text);
  test('fire on the entry (or its blank owner) line, and name the flag with its facts', () => {
    expect(f.map((x) => [x.id, x.data?.flag, x.location?.line])).toEqual([
      ['flag-owner-missing', 'a', 2],
      ['flag-owner-missing', 'b', 5],
      ['flag-created-missing', 'c', 7],
    ]);
    expect(f[0]!.message).toBe("flag 'a' (owner none, status rolling-out, created 2026-01-01) has no owner: add owner: (the team or person who removes it)");
    expect(f[2]!.message).toMatch(/^flag 'c' \(owner @x, status rolling-out\) has no created date: add created: YYYY-MM-DD/);
  });
  test('do not fire for a complete entry', () => {
    expect(f.map((x) => x.data?.flag)).not.toContain('d');
  });
});

describe('flag-invalid-date (error)', () => {
  const text = `flags:
  - name: feb30
    owner: '@x'
    created: 2026-02-30
  - name: words
    owner: '@x'
    created: 2026-01-01
    remove-by: next quarter
  - name: backwards
    owner: '@x'
    created: 2026-05-01
    expires: 2026-04-01
  - name: on-since-bad
    owner: '@x'
    created: 2026-01-01
    status: on
    on-since: 2026-1-5
  - name: fine
    owner: '@x'
    created: 2026-01-01T09:30:00Z
    remove-by: '2026-12-31'
`;
  const f = judge(text);
  test('fires for an impossible day, words, a short date, and remove-by before created, on the field line', () => {
    expect(f.map((x) => [x.data?.flag, x.data?.field, x.location?.line])).toEqual([
      ['feb30', 'created', 4],
      ['words', 'remove-by', 8],
      ['backwards', 'expires', 12],
      ['on-since-bad', 'on-since', 17],
    ]);
    expect(f.every((x) => x.id === 'flag-invalid-date' && x.level === 'error')).toBe(true);
    expect(f[0]!.message).toBe("flag 'feb30' (owner @x, status rolling-out, created 2026-02-30): created '2026-02-30' is neither a YYYY-MM-DD date nor an RFC 3339 date-time");
    expect(f[2]!.message).toMatch(/expires 2026-04-01 is before its created date 2026-05-01$/);
  });
  test('does not fire for a date-time or a quoted date', () => {
    expect(f.map((x) => x.data?.flag)).not.toContain('fine');
  });
  test('a YAML 1.1 timestamp (a Date) is read as its day', () => {
    const g = parseFlagsFile(`%YAML 1.1\n---\nflags:\n  - name: a\n    owner: '@x'\n    created: 2026-01-10\n`, 'f.yaml');
    expect(g.entries[0]!.created).toMatchObject({ raw: '2026-01-10', read: { ok: true } });
  });
});

describe('flag-invalid-status (error)', () => {
  const text = `flags:\n  - name: a\n    owner: '@x'\n    created: 2026-01-01\n    status: rolling_out\n  - name: b\n    owner: '@x'\n    created: 2026-01-01\n    status: removed\n`;
  test('fires for an unknown status on its line, with a did-you-mean; not for a known one', () => {
    expect(judge(text)).toEqual([
      expect.objectContaining({
        id: 'flag-invalid-status',
        message: 'flag \'a\' has status "rolling_out": expected one of rolling-out, on, off, removed (did you mean \'rolling-out\'?)',
        location: { file: 'flags.yaml', line: 5 },
      }),
    ]);
  });
});

describe('flag-invalid-name (error) in the file', () => {
  test('a name with spaces or an empty name is a finding on its line', () => {
    const f = judge(`flags:\n  - name: 'two words'\n    owner: '@x'\n    created: 2026-01-01\n  - name: ''\n    owner: '@x'\n    created: 2026-01-01\n`);
    expect(f.map((x) => [x.id, x.location?.line])).toEqual([
      ['flag-invalid-name', 2],
      ['flag-invalid-name', 5],
    ]);
  });
});

describe('a file of the wrong shape is bad input naming the file and the field', () => {
  const bad = (text: string) => {
    try {
      parseFlagsFile(text, 'flags.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return { message: (e as InputError).message, field: (e as InputError).field, file: (e as InputError).file };
    }
    throw new Error('no error');
  };
  test.each([
    ['malformed YAML', 'flags:\n  - name: [a\n', /^flags\.yaml:\d+:\d+: not valid YAML or JSON/, undefined],
    ['an empty file', '', /^flags\.yaml: the file is empty: expected a mapping with a 'flags' list/, undefined],
    ['a list at the top', '- name: a\n', /^flags\.yaml: not a flags file: expected a mapping/, undefined],
    ['no flags field', 'flag:\n  - name: a\n', /^flags\.yaml:1: unknown top-level field 'flag'/, 'flag'],
    ['flags as a mapping', 'flags:\n  a: { owner: x }\n', /^flags\.yaml:1: field 'flags' is a mapping: expected a list of flags/, 'flags'],
    ['an entry that is a string', 'flags:\n  - pets-search\n', /^flags\.yaml:2: flags\[0\]: is the string "pets-search": expected a mapping/, 'flags[0]'],
    ['a missing name', 'flags:\n  - owner: x\n', /^flags\.yaml:2: flags\[0\]: field 'name' is missing/, 'flags[0].name'],
    ['a number as name', 'flags:\n  - name: 12\n', /^flags\.yaml:2: flags\[0\]\.name: is the number 12: expected a string/, 'flags[0].name'],
    ['a number as owner', 'flags:\n  - name: a\n    owner: 42\n', /^flags\.yaml:3: flags\[0\]\.owner: is the number 42: expected a string/, 'flags[0].owner'],
    ['a list as owner with a number in it', 'flags:\n  - name: a\n    owner: [a, 42]\n', /flags\[0\]\.owner: is a list with an entry that is not a string: expected a list of strings/, 'flags[0].owner'],
    ['a number as created', 'flags:\n  - name: a\n    created: 20260110\n', /^flags\.yaml:3: flags\[0\]\.created: is the number 20260110: expected a date written YYYY-MM-DD/, 'flags[0].created'],
    ['a mapping as remove-by', 'flags:\n  - name: a\n    remove-by: { q: 3 }\n', /flags\[0\]\.remove-by: is a mapping: expected a date/, 'flags[0].remove-by'],
    ['a boolean as status', 'flags:\n  - name: a\n    status: true\n', /flags\[0\]\.status: is the boolean true: expected a string/, 'flags[0].status'],
    ['a misspelt field', 'flags:\n  - name: a\n    remove_by: 2026-01-01\n', /^flags\.yaml:2: flags\[0\]: unknown field 'remove_by' \(did you mean 'remove-by'\?\)/, 'flags[0].remove_by'],
    ['__proto__ as a field', 'flags:\n  - name: a\n    __proto__: { owner: x }\n', /unknown field '__proto__'/, 'flags[0].__proto__'],
  ])('%s', (_, text, message, field) => {
    const e = bad(text);
    expect(e.message).toMatch(message);
    expect(e.file).toBe('flags.yaml');
    if (field) expect(e.field).toBe(field);
  });

  test('a missing file and a directory', () => {
    const d = folder({ 'x.txt': '' });
    expect(() => loadFlagsFile('nope.yaml', d)).toThrow("flags: flags file 'nope.yaml' not found");
    expect(() => loadFlagsFile('.', d)).toThrow(/flags: '\.' is a directory, expected a flags file/);
  });

  test('through the CLI: exit 2, one line naming the file and field, nothing on stdout', async () => {
    const d = folder({ 'base.yaml': BASE, 'rev.yaml': REVISION, 'flags.yaml': 'flags:\n  - name: a\n    owner: 42\n' });
    const r = await cli('check', '--base', path.join(d, 'base.yaml'), '--revision', path.join(d, 'rev.yaml'), '--flags', path.join(d, 'flags.yaml'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^api-delivery flags: .*flags\.yaml:3: flags\[0\]\.owner: is the number 42: expected a string\n$/);
    const missing = await cli('check', '--base', path.join(d, 'base.yaml'), '--revision', path.join(d, 'rev.yaml'), '--flags', path.join(d, 'none.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/flags: flags file '.*none\.yaml' not found/);
  });

  test('the file is checked before the specs are loaded', () => {
    const d = folder({ 'flags.yaml': '- a\n' });
    expect(() => runFlagsCheck({ base: 'missing.yaml', revision: 'missing.yaml', flags: 'flags.yaml', cwd: d })).toThrow(/^flags\.yaml: not a flags file/);
  });
});

test('ids helper sanity', () => {
  expect(ids(judge(FLAGS))).toEqual([]);
});
