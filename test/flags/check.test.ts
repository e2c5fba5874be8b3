/** flags check (phase 2): new operations name their flag; named flags are declared and not removed. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runFlagsCheck } from '../../src/flags/run.js';
import { BASE, cleanup, FLAGS, folder, gitRepo, ids, lineOf, REVISION, spec } from './helpers.js';

afterAll(cleanup);

function check(files: Record<string, string>, flags?: string, failOn?: string) {
  const cwd = folder(files);
  return runFlagsCheck({ base: 'base.yaml', revision: 'rev.yaml', flags, failOn, cwd });
}

const at = (text: string, re: RegExp, after = 0) => ({ file: 'rev.yaml', line: lineOf(text, re, after) });

describe('flag-missing (error): every operation the revision adds names its flag', () => {
  const r = check({ 'base.yaml': BASE, 'rev.yaml': REVISION });

  test('fires for each new operation without one, on the operation line', () => {
    const missing = r.findings.filter((f) => f.id === 'flag-missing');
    // GET /pets/{petId} in the base is GET /pets/{id} here: the breaking engine matches them, so it is not new.
    expect(missing).toEqual([expect.objectContaining({ level: 'error', operation: 'POST /pets', location: at(REVISION, /^ {4}post:/) })]);
    expect(missing[0]!.message).toMatch(/^POST \/pets: new operation without a feature flag: add x-feature-flag: <flag name>/);
    expect(r.verdict).toBe('fail');
  });

  test('does not fire for an operation the base has (flagged or not, with renamed path parameters)', () => {
    expect(r.findings.map((f) => f.operation)).not.toContain('GET /pets');
    expect(r.findings.map((f) => f.operation)).not.toContain('GET /pets/{id}');
  });

  test('does not fire for a flag on the operation or on its path item', () => {
    expect(r.newOperations).toEqual([
      { operation: 'POST /pets', flag: null, file: 'rev.yaml', line: lineOf(REVISION, /^ {4}post:/) },
      { operation: 'DELETE /pets/{id}', flag: 'pet-delete', file: 'rev.yaml', line: lineOf(REVISION, /x-feature-flag: pet-delete/) },
      { operation: 'GET /pets/{id}/photos', flag: 'pet-photos', file: 'rev.yaml', line: lineOf(REVISION, /x-feature-flag: pet-photos/) },
      { operation: 'PUT /pets/{id}/photos', flag: 'pet-photos', file: 'rev.yaml', line: lineOf(REVISION, /x-feature-flag: pet-photos/) },
      { operation: 'GET /owners', flag: false, file: 'rev.yaml', line: lineOf(REVISION, /x-feature-flag: false/) },
    ]);
    expect(r.metrics).toEqual({ operations: 7, 'new operations': 5, 'new operations flagged': 3 });
  });

  test('an operation flag wins over its path item flag', () => {
    const rev = spec(`  /a:\n    x-feature-flag: item-flag\n    get:\n      x-feature-flag: op-flag\n      responses: { '200': { description: ok } }\n`);
    const res = check({ 'base.yaml': spec('  {}\n'), 'rev.yaml': rev });
    expect(res.newOperations).toEqual([{ operation: 'GET /a', flag: 'op-flag', file: 'rev.yaml', line: 9 }]);
    expect(res.findings).toEqual([]);
  });

  test('the same spec on both sides adds nothing: pass', () => {
    const res = check({ 'base.yaml': REVISION, 'rev.yaml': REVISION });
    expect(res.findings).toEqual([]);
    expect(res.verdict).toBe('pass');
    expect(res.newOperations).toEqual([]);
  });
});

describe('flag-waived (info): x-feature-flag: false ships a new operation unflagged on purpose', () => {
  test('fires on the x-feature-flag line, and does not fail the gate', () => {
    const r = check({ 'base.yaml': BASE, 'rev.yaml': REVISION });
    const waived = r.findings.filter((f) => f.id === 'flag-waived');
    expect(waived).toEqual([expect.objectContaining({ level: 'info', operation: 'GET /owners', location: at(REVISION, /x-feature-flag: false/) })]);
  });

  test('does not fire for an existing operation with false', () => {
    const r = check({ 'base.yaml': REVISION, 'rev.yaml': REVISION });
    expect(ids(r.findings)).toEqual([]);
  });
});

describe('flag-invalid-name (error): x-feature-flag that is no flag name', () => {
  const rev = spec(`  /a:
    get:
      x-feature-flag: 42
      responses: { '200': { description: ok } }
    put:
      x-feature-flag: ''
      responses: { '200': { description: ok } }
    post:
      x-feature-flag: 'two words'
      responses: { '200': { description: ok } }
    patch:
      x-feature-flag: [a, b]
      responses: { '200': { description: ok } }
    delete:
      x-feature-flag: fine-name
      responses: { '200': { description: ok } }
  /b:
    x-feature-flag: true
    get:
      responses: { '200': { description: ok } }
    post:
      responses: { '200': { description: ok } }
`);
  const r = check({ 'base.yaml': spec('  {}\n'), 'rev.yaml': rev });
  const invalid = r.findings.filter((f) => f.id === 'flag-invalid-name');

  test('fires for a number, an empty string, whitespace, a list, true; on the x-feature-flag line', () => {
    expect(invalid.map((f) => [f.operation, f.location?.line])).toEqual([
      ['GET /a', 8],
      ['GET /b', 23],
      ['PATCH /a', 17],
      ['POST /a', 14],
      ['PUT /a', 11],
    ]);
    expect(invalid.find((f) => f.operation === 'GET /a')!.message).toBe(
      'GET /a: x-feature-flag is number 42: expected one flag name (a string), or false for none on purpose',
    );
    expect(invalid.find((f) => f.operation === 'POST /a')!.message).toMatch(/"two words" has whitespace/);
  });

  test("a path item's x-feature-flag is reported once, naming the other operations", () => {
    const b = invalid.find((f) => f.operation === 'GET /b')!;
    expect(b.message).toMatch(/\(path item: also 1 other operation\)$/);
    expect(b.data).toMatchObject({ on: 'path item', operations: ['GET /b', 'POST /b'] });
  });

  test('does not fire for a valid name, and an invalid one is not a missing one', () => {
    expect(invalid.map((f) => f.operation)).not.toContain('DELETE /a');
    expect(ids(r.findings).filter((id) => id === 'flag-missing')).toEqual([]);
  });
});

describe('with a flags file: flag-undeclared and flag-removed-in-use (error)', () => {
  const flags = `${FLAGS}  - name: retired
    owner: '@acme/old'
    created: 2025-01-01
    status: removed
`;
  const rev = REVISION.replace('x-feature-flag: pet-photos', 'x-feature-flag: pet-fotos').replace(
    '  /owners:',
    `  /stores:\n    get:\n      x-feature-flag: retired\n      responses: { '200': { description: ok } }\n  /owners:`,
  );
  const base = BASE.replace('x-feature-flag: pets-list', 'x-feature-flag: retired');
  const r = check({ 'base.yaml': base, 'rev.yaml': rev.replace('    get:\n      x-feature-flag: pets-list', '    get:\n      x-feature-flag: retired'), 'flags.yaml': flags }, 'flags.yaml');

  test('flag-undeclared fires on the operation line naming the file, with a did-you-mean', () => {
    const u = r.findings.filter((f) => f.id === 'flag-undeclared');
    expect(u).toHaveLength(1);
    expect(u[0]).toMatchObject({ level: 'error', operation: 'GET /pets/{id}/photos', data: { flag: 'pet-fotos', flagsFile: 'flags.yaml', on: 'path item' } });
    expect(u[0]!.message).toBe(
      "GET /pets/{id}/photos: x-feature-flag 'pet-fotos' is not declared in flags.yaml (did you mean 'pet-photos'?): add it with its owner and created date (path item: also 1 other operation)",
    );
    expect(u[0]!.location).toEqual({ file: 'rev.yaml', line: lineOf(rev, /x-feature-flag: pet-fotos/) });
  });

  test('flag-removed-in-use fires for new and existing operations naming a removed flag', () => {
    const removed = r.findings.filter((f) => f.id === 'flag-removed-in-use');
    expect(removed.map((f) => f.operation).sort()).toEqual(['GET /pets', 'GET /stores']);
    expect(removed[0]!.message).toMatch(/x-feature-flag 'retired' names a flag flags\.yaml:\d+ marks removed: delete the x-feature-flag/);
    expect(removed[0]!.data).toMatchObject({ flag: 'retired', owner: '@acme/old', status: 'removed', created: '2025-01-01', flagsLine: lineOf(flags, /status: removed/) });
  });

  test('declared flags that are not removed give no finding; the register lists who uses them', () => {
    expect(r.findings.map((f) => f.data?.flag)).not.toContain('pet-delete');
    expect(r.flags.find((f) => f.name === 'pet-delete')).toEqual({
      name: 'pet-delete', owner: '@acme/pets', status: 'rolling-out', created: '2026-06-01', removeBy: '2026-09-30', operations: ['DELETE /pets/{id}'], file: 'flags.yaml', line: 7,
    });
    expect(r.metrics).toMatchObject({ 'flags declared': 4 });
  });

  test('without a flags file, names are not checked', () => {
    const res = check({ 'base.yaml': BASE, 'rev.yaml': rev });
    expect(ids(res.findings)).toEqual(['flag-missing', 'flag-waived']);
    expect(res.flags).toEqual([]);
  });
});

describe('fail-on', () => {
  test('warning and never', () => {
    const files = { 'base.yaml': BASE, 'rev.yaml': REVISION.replace("    post:\n", "    post:\n      x-feature-flag: pets-create\n") };
    expect(check(files, undefined, 'error').verdict).toBe('pass'); // flag-waived is info
    expect(check({ 'base.yaml': BASE, 'rev.yaml': REVISION }, undefined, 'never').verdict).toBe('pass');
  });
});

describe('a base read from git (REV:path)', () => {
  test('HEAD:openapi.yaml against the working copy: the new operations are judged, locations in the working file', () => {
    const d = gitRepo({ 'openapi.yaml': BASE, 'flags.yaml': FLAGS });
    writeFileSync(path.join(d, 'openapi.yaml'), REVISION);
    const r = runFlagsCheck({ base: 'HEAD:openapi.yaml', revision: 'openapi.yaml', flags: 'flags.yaml', cwd: d });
    expect(r.base).toBe('HEAD:openapi.yaml');
    expect(r.revision).toBe('openapi.yaml');
    expect(ids(r.findings)).toEqual(['flag-missing', 'flag-waived']);
    expect(r.findings[0]!.location).toEqual({ file: 'openapi.yaml', line: lineOf(REVISION, /^ {4}post:/) });
  });

  test('an unknown revision is bad input naming it', () => {
    const d = gitRepo({ 'openapi.yaml': BASE });
    expect(() => runFlagsCheck({ base: 'no-such-rev:openapi.yaml', revision: 'openapi.yaml', cwd: d })).toThrow(/no-such-rev:openapi\.yaml: cannot read from git/);
  });
});

describe('__proto__ is a flag name like any other', () => {
  const rev = spec(`  /a:\n    get:\n      x-feature-flag: __proto__\n      responses: { '200': { description: ok } }\n    post:\n      x-feature-flag: constructor\n      responses: { '200': { description: ok } }\n`);

  test('declared: no finding; undeclared: flag-undeclared; nothing polluted', () => {
    const declared = `flags:\n  - name: __proto__\n    owner: '@acme/x'\n    created: 2026-01-01\n  - name: constructor\n    owner: '@acme/x'\n    created: 2026-01-01\n`;
    const ok = check({ 'base.yaml': spec('  {}\n'), 'rev.yaml': rev, 'flags.yaml': declared }, 'flags.yaml');
    expect(ok.findings).toEqual([]);
    expect(ok.flags.map((f) => [f.name, f.operations])).toEqual([['__proto__', ['GET /a']], ['constructor', ['POST /a']]]);
    const none = check({ 'base.yaml': spec('  {}\n'), 'rev.yaml': rev, 'flags.yaml': 'flags: []\n' }, 'flags.yaml');
    expect(none.findings.map((f) => [f.id, f.data?.flag])).toEqual([
      ['flag-undeclared', '__proto__'],
      ['flag-undeclared', 'constructor'],
    ]);
    expect(({} as Record<string, unknown>).owner).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('owner');
  });
});
