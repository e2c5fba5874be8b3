/**
 * flags, on inputs as teams write them (QA pass): statuses in other case, owners as lists, date-times
 * in the forms YAML registers carry, a remove-by date beside the maximum age, a spec that is new since
 * the base revision; and the cases that already behaved (kept here so they stay so).
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runFlagsCheck, runFlagsStale } from '../../src/flags/run.js';
import { cleanup, cli, folder, gitRepo, ids, lineOf, spec, TODAY } from './helpers.js';

afterAll(cleanup);

const op = (p: string, flag?: string) => `  ${p}:\n    get:\n${flag === undefined ? '' : `      x-feature-flag: ${flag}\n`}      responses: { '200': { description: ok } }\n`;

function stale(flags: string, used: string[], opts: { maxAgeDays?: string; today?: string } = {}) {
  const cwd = folder({ 'openapi.yaml': spec(used.map((f, i) => op(`/x${i}`, f)).join('') || '  {}\n'), 'flags.yaml': flags });
  return runFlagsStale({ spec: 'openapi.yaml', flags: 'flags.yaml', today: TODAY, ...opts, cwd });
}

describe('the register as teams write it', () => {
  test('status in another case (ON, Removed, Rolling-Out) is read as the status it names', () => {
    const flags = `flags:
  - { name: a, owner: x, created: 2026-01-01, status: ON, on-since: 2026-02-01 }
  - { name: b, owner: x, created: 2026-06-01, status: Removed }
  - { name: c, owner: x, created: 2026-06-01, status: Rolling-Out }
`;
    const r = stale(flags, ['a', 'c']);
    expect(r.findings.filter((f) => f.id === 'flag-invalid-status')).toEqual([]);
    expect(r.flags.map((f) => [f.name, f.status])).toEqual([
      ['a', 'on'],
      ['b', 'removed'],
      ['c', 'rolling-out'],
    ]);
    // ON is on: cleanup is due; Removed is removed: not unused, not counted as active.
    expect(r.findings.filter((f) => f.id === 'flag-cleanup-due').map((f) => f.data?.flag)).toEqual(['a']);
    expect(r.findings.filter((f) => f.id === 'flag-unused')).toEqual([]);
    expect(r.metrics!['flags active']).toBe(2);
  });

  test('an unknown status is still a finding, whatever its case', () => {
    const r = stale('flags:\n  - { name: a, owner: x, created: 2026-06-01, status: Enabled }\n', ['a']);
    expect(r.findings.filter((f) => f.id === 'flag-invalid-status').map((f) => f.message)).toEqual([
      'flag \'a\' has status "Enabled": expected one of rolling-out, on, off, removed',
    ]);
  });

  test('owner as a list of people or teams (emails too) is the owner; an empty list is none', () => {
    const flags = `flags:
  - name: a
    owner: ['@acme/pets', alice@example.com]
    created: 2026-06-01
  - name: b
    owner: []
    created: 2026-06-01
`;
    const r = stale(flags, ['a', 'b']);
    expect(r.flags.map((f) => [f.name, f.owner])).toEqual([
      ['a', '@acme/pets, alice@example.com'],
      ['b', undefined],
    ]);
    expect(r.findings.filter((f) => f.id === 'flag-owner-missing').map((f) => f.data?.flag)).toEqual(['b']);
  });

  test('date-times as YAML registers carry them count by their date; nonsense still does not', () => {
    const flags = `flags:
  - { name: a, owner: x, created: 2026-01-10 10:00:00 }
  - { name: b, owner: x, created: 2026-01-10T10:00:00 }
  - { name: c, owner: x, created: '2026-01-10T10:00' }
  - { name: d, owner: x, created: 2026-01-10 23:59:59.5 +02 }
  - { name: e, owner: x, created: 2026-01-10t10:00:00z }
  - { name: f, owner: x, created: 2026-01-10 25:00:00 }
  - { name: g, owner: x, created: 2026-01-10 junk }
`;
    const r = stale(flags, ['a', 'b', 'c', 'd', 'e', 'f', 'g'], { maxAgeDays: '1000' });
    expect(r.findings.filter((f) => f.id === 'flag-invalid-date').map((f) => f.data?.flag)).toEqual(['f', 'g']);
    expect(r.flags.filter((f) => f.ageDays !== undefined).map((f) => [f.name, f.ageDays])).toEqual([
      ['a', 156],
      ['b', 156],
      ['c', 156],
      ['d', 156],
      ['e', 156],
    ]);
  });

  test('comments, anchors and merge keys; team data under x-*; a flag named __proto__ or constructor', () => {
    const flags = `# the register
x-defaults: &d
  owner: '@acme/pets'   # one owner for all
flags:
  - name: __proto__
    <<: *d
    created: 2026-06-01
  - name: constructor
    <<: *d
    created: 2026-06-01 # created
`;
    const r = stale(flags, ['__proto__', 'constructor']);
    expect(r.findings).toEqual([]);
    expect(r.flags.map((f) => [f.name, f.owner, f.line])).toEqual([
      ['__proto__', '@acme/pets', lineOf(flags, /name: __proto__/)],
      ['constructor', '@acme/pets', lineOf(flags, /name: constructor/)],
    ]);
  });

  test('an anchor under an unknown top-level key is bad input that says where team data goes', () => {
    const cwd = folder({ 'openapi.yaml': spec('  {}\n'), 'flags.yaml': 'defaults: &d\n  owner: x\nflags: []\n' });
    expect(() => runFlagsStale({ spec: 'openapi.yaml', flags: 'flags.yaml', today: TODAY, cwd })).toThrow(/unknown top-level field 'defaults' \(the team's own data, YAML anchors included, go under x-\* keys\)/);
  });
});

describe('flag-too-old and a remove-by date', () => {
  test('a flag past max age with a remove-by date still ahead is not too old: the date the team promised rules', () => {
    const flags = `flags:
  - { name: promised, owner: x, created: 2026-01-10, remove-by: 2026-06-30 }
  - { name: unpromised, owner: x, created: 2026-01-10 }
  - { name: late, owner: x, created: 2026-01-10, remove-by: 2026-06-01 }
`;
    const r = stale(flags, ['promised', 'unpromised', 'late']);
    expect(r.findings.map((f) => `${f.id} ${String(f.data?.flag)}`).sort()).toEqual(['flag-past-remove-by late', 'flag-too-old unpromised']);
    // The advice of flag-too-old ("or set a remove-by date") is one that makes it go away.
    expect(r.findings.find((f) => f.id === 'flag-too-old')!.message).toMatch(/or set a remove-by date$/);
  });

  test('max-age-days 0: any flag older than today is too old', () => {
    const r = stale('flags:\n  - { name: a, owner: x, created: 2026-06-14 }\n  - { name: b, owner: x, created: 2026-06-15 }\n', ['a', 'b'], { maxAgeDays: '0' });
    expect(r.findings.filter((f) => f.id === 'flag-too-old').map((f) => f.data?.flag)).toEqual(['a']);
  });
});

describe('check: what is new', () => {
  const base = spec(op('/pets/{id}', 'pets-get'));

  test('a renamed path parameter is not new; a new method on the existing path is; path-item and operation flags with different names', () => {
    const rev = spec(`  /pets/{petId}:
    x-feature-flag: pets-item
    get:
      x-feature-flag: pets-get
      responses: { '200': { description: ok } }
    delete:
      responses: { '204': { description: gone } }
`);
    const cwd = folder({ 'base.yaml': base, 'rev.yaml': rev });
    const r = runFlagsCheck({ base: 'base.yaml', revision: 'rev.yaml', cwd });
    expect(r.newOperations).toEqual([{ operation: 'DELETE /pets/{petId}', flag: 'pets-item', file: 'rev.yaml', line: lineOf(rev, /pets-item/) }]);
    expect(r.findings).toEqual([]);
  });

  test.each([
    ['a number', '42', /x-feature-flag is number 42: expected one flag name/],
    ['a list', '[a, b]', /x-feature-flag is a list: expected one flag name/],
    ['a mapping', '{ name: a }', /x-feature-flag is a mapping: expected one flag name/],
    ['true', 'true', /x-feature-flag is boolean true: expected one flag name/],
  ])('x-feature-flag as %s is flag-invalid-name on its line, not a flag', (_what, value, message) => {
    const rev = spec(op('/pets/{id}', 'pets-get') + op('/new', value));
    const cwd = folder({ 'base.yaml': base, 'rev.yaml': rev });
    const r = runFlagsCheck({ base: 'base.yaml', revision: 'rev.yaml', cwd });
    expect(r.findings).toEqual([expect.objectContaining({ id: 'flag-invalid-name', level: 'error', operation: 'GET /new', location: { file: 'rev.yaml', line: lineOf(rev, /x-feature-flag: (?!pets-get)/) } })]);
    expect(r.findings[0]!.message).toMatch(message);
    expect(r.newOperations![0]!.flag).toBeUndefined();
  });

  test('a spec split over files: the flag of a path item in another file, located there', () => {
    const cwd = folder({
      'base.yaml': spec('  {}\n'),
      'rev.yaml': spec("  /pets:\n    $ref: './paths/pets.yaml'\n"),
      'paths/pets.yaml': "x-feature-flag: pets\nget:\n  responses: { '200': { description: ok } }\n",
    });
    const r = runFlagsCheck({ base: 'base.yaml', revision: 'rev.yaml', cwd });
    expect(r.newOperations).toEqual([{ operation: 'GET /pets', flag: 'pets', file: 'paths/pets.yaml', line: 1 }]);
  });

  test('Swagger 2.0 on both sides', () => {
    const sw = (paths: string) => `swagger: '2.0'\ninfo: { title: t, version: '1' }\npaths:\n${paths}`;
    const cwd = folder({
      'base.yaml': sw(op('/pets')),
      'rev.yaml': sw(`${op('/pets')}  /pets/{petId}:\n    x-feature-flag: pet\n    parameters: [{ name: petId, in: path, required: true, type: string }]\n    get:\n      responses: { '200': { description: ok } }\n`),
    });
    const r = runFlagsCheck({ base: 'base.yaml', revision: 'rev.yaml', cwd });
    expect(r.newOperations!.map((o) => [o.operation, o.flag])).toEqual([['GET /pets/{petId}', 'pet']]);
    expect(r.verdict).toBe('pass');
  });
});

describe('check: a base REV:path from git', () => {
  const rev = spec(op('/pets', 'pets') + op('/owners'));

  test('the file at the base revision: only what the revision adds is new', () => {
    const d = gitRepo({ 'openapi.yaml': spec(op('/pets', 'pets')) });
    writeFileSync(path.join(d, 'openapi.yaml'), rev);
    const r = runFlagsCheck({ base: 'HEAD:openapi.yaml', revision: 'openapi.yaml', cwd: d });
    expect(r.base).toBe('HEAD:openapi.yaml');
    expect(ids(r.findings)).toEqual(['flag-missing']);
    expect(r.newOperations!.map((o) => o.operation)).toEqual(['GET /owners']);
  });

  test('a file the base revision does not have yet: a new API, every operation is new, and an info says so', () => {
    const d = gitRepo({ 'README.md': 'no API yet\n' });
    writeFileSync(path.join(d, 'openapi.yaml'), rev);
    const r = runFlagsCheck({ base: 'HEAD:openapi.yaml', revision: 'openapi.yaml', cwd: d });
    expect(r.base).toBe('HEAD:openapi.yaml');
    expect(r.newOperations!.map((o) => [o.operation, o.flag])).toEqual([
      ['GET /pets', 'pets'],
      ['GET /owners', null],
    ]);
    expect(ids(r.findings)).toEqual(['flag-missing', 'flag-new-spec']);
    const info = r.findings.find((f) => f.id === 'flag-new-spec')!;
    expect(info).toMatchObject({ level: 'info', location: { file: 'openapi.yaml' }, data: { base: 'HEAD:openapi.yaml', revision: 'HEAD', operations: 2 } });
    expect(info.message).toMatch(/^HEAD:openapi\.yaml: the file does not exist at HEAD: the spec is new, so all 2 operations of it count as added/);
    expect(r.verdict).toBe('fail');
  });

  test('an unknown revision is still bad input (exit 2)', async () => {
    const d = gitRepo({ 'openapi.yaml': rev });
    const res = await cli('check', '--base', 'no-such-branch:openapi.yaml', '--revision', path.join(d, 'openapi.yaml'));
    expect(res.code).toBe(2);
    // run from d: the CLI reads git revisions in the working directory
    const cwd = process.cwd();
    try {
      process.chdir(d);
      const again = await cli('check', '--base', 'no-such-branch:openapi.yaml', '--revision', 'openapi.yaml');
      expect(again.code).toBe(2);
      expect(again.err).toMatch(/no-such-branch:openapi\.yaml: cannot read from git/);
    } finally {
      process.chdir(cwd);
    }
    expect(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: d }).toString()).toMatch(/^[0-9a-f]{40}/);
  });
});

describe('the CLI on bad days and a big register', () => {
  test.each(['2026-13-01', '2026-02-30', '15/06/2026'])('--today %s exits 2 naming the field', async (today) => {
    const d = folder({ 'openapi.yaml': spec('  {}\n'), 'flags.yaml': 'flags: []\n' });
    const r = await cli('stale', '--spec', path.join(d, 'openapi.yaml'), '--flags', path.join(d, 'flags.yaml'), '--today', today);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/today: '.*' is not a date: expected YYYY-MM-DD/);
  });

  test('500 flags, 500 operations: every flag judged, every operation matched to its flag', () => {
    let flags = 'flags:\n';
    const used: string[] = [];
    for (let i = 0; i < 500; i++) {
      flags += `  - name: flag-${i}\n    owner: '@t'\n    created: 2026-06-${String(1 + (i % 14)).padStart(2, '0')}\n    status: ${['on', 'off', 'rolling-out'][i % 3]}\n`;
      used.push(`flag-${i}`);
    }
    const r = stale(flags, used);
    expect(r.metrics!['flags declared']).toBe(500);
    expect(r.metrics!['operations flagged']).toBe(500);
    expect(r.flags.every((f) => f.operations.length === 1)).toBe(true);
    expect(r.findings.filter((f) => f.level === 'error')).toEqual([]);
  });
});
