/** flags stale (phase 5): the register against today and the spec's operations. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { runFlagsStale } from '../../src/flags/run.js';
import { cleanup, folder, lineOf, spec, TODAY } from './helpers.js';

afterAll(cleanup);

/** A spec whose GET /x<n> names each flag in `used`. */
function specUsing(used: string[]): string {
  return spec(used.map((f, i) => `  /x${i}:\n    get:\n      x-feature-flag: ${f}\n      responses: { '200': { description: ok } }\n`).join('') || '  {}\n');
}

function stale(flags: string, used: string[], opts: { maxAgeDays?: string; cleanupDays?: string; today?: string; failOn?: string } = {}) {
  const cwd = folder({ 'openapi.yaml': specUsing(used), 'flags.yaml': flags });
  return runFlagsStale({ spec: 'openapi.yaml', flags: 'flags.yaml', today: TODAY, ...opts, cwd });
}

const entry = (name: string, fields: string) => `  - name: ${name}\n    owner: '@acme/${name}'\n${fields.replace(/^/gm, '    ')}\n`;

describe('flag-past-remove-by (error)', () => {
  const flags = `flags:
${entry('past', 'created: 2026-05-01\nremove-by: 2026-06-01')}${entry('today', 'created: 2026-05-01\nremove-by: 2026-06-15')}${entry('future', 'created: 2026-05-01\nremove-by: 2026-07-01')}${entry('gone', 'created: 2026-05-01\nremove-by: 2026-06-01\nstatus: removed')}${entry('expired', 'created: 2026-05-01\nexpires: 2026-06-10\nremove-by: 2026-08-01')}`;
  const r = stale(flags, ['past', 'today', 'future', 'expired']);
  const past = r.findings.filter((f) => f.id === 'flag-past-remove-by');

  test('fires after the date, on the remove-by line, naming flag, owner and dates', () => {
    expect(past[0]).toEqual({
      id: 'flag-past-remove-by',
      level: 'error',
      message: "flag 'past' (owner @acme/past, status rolling-out, created 2026-05-01, remove-by 2026-06-01) was to be removed by 2026-06-01, 14 days ago: remove the flag and its code paths, then mark it removed",
      location: { file: 'flags.yaml', line: lineOf(flags, /remove-by: 2026-06-01/) },
      data: { flag: 'past', owner: '@acme/past', status: 'rolling-out', created: '2026-05-01', removeBy: '2026-06-01', daysPast: 14 },
    });
    expect(r.verdict).toBe('fail');
  });

  test('expires counts too, and the earlier of expires and remove-by rules', () => {
    expect(past.map((f) => f.data?.flag)).toEqual(['past', 'expired']);
    expect(past[1]).toMatchObject({ location: { line: lineOf(flags, /expires: 2026-06-10/) }, data: { removeBy: '2026-06-10', daysPast: 5 } });
  });

  test('does not fire on the day itself, before it, or for a removed flag', () => {
    expect(past.map((f) => f.data?.flag)).not.toContain('today');
    expect(past.map((f) => f.data?.flag)).not.toContain('future');
    expect(past.map((f) => f.data?.flag)).not.toContain('gone');
  });
});

describe('flag-too-old (warning)', () => {
  const flags = `flags:
${entry('old', 'created: 2026-03-01\nstatus: off')}${entry('exactly', 'created: 2026-03-17')}${entry('young', 'created: 2026-06-01')}${entry('old-removed', 'created: 2025-01-01\nstatus: removed')}${entry('old-and-past', 'created: 2026-01-01\nremove-by: 2026-02-01')}`;
  const used = ['old', 'exactly', 'young', 'old-and-past'];

  test('fires for a flag created more than max-age days ago, on the created line', () => {
    const r = stale(flags, used);
    const old = r.findings.filter((f) => f.id === 'flag-too-old');
    expect(old.map((f) => f.data?.flag)).toEqual(['old']);
    expect(old[0]).toMatchObject({
      level: 'warning',
      message: "flag 'old' (owner @acme/old, status off, created 2026-03-01) is 106 days old (more than 90) and not removed: finish the rollout and remove it, or set a remove-by date",
      location: { file: 'flags.yaml', line: lineOf(flags, /created: 2026-03-01/) },
      data: { ageDays: 106, maxAgeDays: 90 },
    });
    expect(r.verdict).toBe('fail'); // old-and-past is past its remove-by
  });

  test('does not fire at exactly max-age, for a young or removed flag, or beside flag-past-remove-by', () => {
    const r = stale(flags, used);
    expect(r.findings.filter((f) => f.data?.flag === 'old-and-past').map((f) => f.id)).toEqual(['flag-past-remove-by']);
  });

  test('--max-age-days moves the line', () => {
    const r = stale(flags, used, { maxAgeDays: '10' });
    expect(r.findings.filter((f) => f.id === 'flag-too-old').map((f) => f.data?.flag).sort()).toEqual(['exactly', 'old', 'young']);
    expect(r.maxAgeDays).toBe(10);
  });
});

describe('flag-cleanup-due (warning): fully on for longer than cleanup-days', () => {
  const flags = `flags:
${entry('on-long', 'created: 2026-04-01\nstatus: on\non-since: 2026-05-01')}${entry('on-short', 'created: 2026-04-01\nstatus: on\non-since: 2026-06-01')}${entry('on-no-date', 'created: 2026-04-01\nstatus: on')}${entry('rolling', 'created: 2026-04-01\nstatus: rolling-out')}`;
  const r = stale(flags, ['on-long', 'on-short', 'on-no-date', 'rolling']);
  const due = r.findings.filter((f) => f.id === 'flag-cleanup-due');

  test('fires from on-since, on its line', () => {
    expect(due[0]).toMatchObject({
      level: 'warning',
      message: "flag 'on-long' (owner @acme/on-long, status on, created 2026-04-01, on since 2026-05-01) has been fully on since 2026-05-01, 45 days (more than 30): cleanup is due, remove the flag and keep the on path",
      location: { file: 'flags.yaml', line: lineOf(flags, /on-since: 2026-05-01/) },
      data: { onDays: 45, cleanupDays: 30, onSince: '2026-05-01' },
    });
  });

  test('without on-since it counts from created and says so, on the status line', () => {
    expect(due[1]).toMatchObject({ data: { flag: 'on-no-date', onDays: 75 }, location: { line: lineOf(flags, /status: on/, lineOf(flags, /name: on-no-date/)) } });
    expect(due[1]!.message).toContain('since at most 2026-04-01 (no on-since date: counted from created)');
  });

  test('does not fire within cleanup-days or for a flag not fully on', () => {
    expect(due.map((f) => f.data?.flag)).toEqual(['on-long', 'on-no-date']);
    expect(stale(flags, ['on-long', 'on-short', 'on-no-date', 'rolling'], { cleanupDays: '100' }).findings).toEqual([]);
  });
});

describe('flag-unused (warning) and flag-undeclared (error)', () => {
  const flags = `flags:\n${entry('used', 'created: 2026-06-01')}${entry('orphan', 'created: 2026-06-01')}${entry('retired', 'created: 2026-06-01\nstatus: removed')}`;
  const r = stale(flags, ['used', 'ghost']);

  test('a declared flag no operation names: flag-unused on its name line; not for removed or used flags', () => {
    const unused = r.findings.filter((f) => f.id === 'flag-unused');
    expect(unused).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: "flag 'orphan' (owner @acme/orphan, status rolling-out, created 2026-06-01) is named by no operation of the spec: mark it removed (or delete the entry) once its code is gone",
        location: { file: 'flags.yaml', line: lineOf(flags, /name: orphan/) },
      }),
    ]);
  });

  test('an operation naming a flag the file lacks: flag-undeclared on the spec line', () => {
    const u = r.findings.filter((f) => f.id === 'flag-undeclared');
    expect(u).toEqual([expect.objectContaining({ level: 'error', operation: 'GET /x1', location: { file: 'openapi.yaml', line: 12 } })]);
  });

  test('the register: every flag with its operations and age; metrics', () => {
    expect(r.flags.map((f) => [f.name, f.status, f.ageDays, f.operations])).toEqual([
      ['used', 'rolling-out', 14, ['GET /x0']],
      ['orphan', 'rolling-out', 14, []],
      ['retired', 'removed', 14, []],
    ]);
    expect(r.metrics).toEqual({ 'flags declared': 3, 'flags active': 2, 'flags stale': 1, 'operations flagged': 2 });
    expect(r).toMatchObject({ gate: 'flags', mode: 'stale', spec: 'openapi.yaml', flagsFile: 'flags.yaml', today: TODAY, maxAgeDays: 90, cleanupDays: 30 });
  });
});

describe('the file rules run in stale mode too; levels and fail-on', () => {
  const flags = `flags:\n  - name: a\n    created: 2026-06-01\n`;
  test('flag-owner-missing fails; fail-on never passes with the same findings', () => {
    expect(stale(flags, ['a']).findings.map((f) => f.id)).toEqual(['flag-owner-missing']);
    expect(stale(flags, ['a']).verdict).toBe('fail');
    expect(stale(flags, ['a'], { failOn: 'never' }).verdict).toBe('pass');
  });
  test('warnings alone pass under fail-on error and fail under fail-on warning', () => {
    const f = `flags:\n${entry('orphan', 'created: 2026-06-01')}`;
    expect(stale(f, []).verdict).toBe('pass');
    expect(stale(f, [], { failOn: 'warning' }).verdict).toBe('fail');
  });
  test('an unreadable date is flag-invalid-date, and no age is judged from it', () => {
    const f = `flags:\n${entry('bad', 'created: 2026-13-01')}`;
    expect(stale(f, ['bad'], { maxAgeDays: '0' }).findings.map((x) => x.id)).toEqual(['flag-invalid-date']);
  });
});

describe('bad options are bad input', () => {
  test.each([
    ['an impossible --today', { today: '2026-02-30' }, /^today: '2026-02-30' is not a date: expected YYYY-MM-DD/],
    ['a --today in another format', { today: '15/06/2026' }, /^today: '15\/06\/2026' is not a date/],
    ['a negative max age', { maxAgeDays: '-1' }, /^max-age-days: '-1' is not a whole number of days/],
    ['a fractional cleanup-days', { cleanupDays: '1.5' }, /^cleanup-days: '1\.5' is not a whole number of days/],
    ['an unknown fail-on', { failOn: 'info' }, /^fail-on: 'info' is not one of error, warning, never/],
  ])('%s', (_, opts, message) => {
    expect(() => stale('flags: []\n', [], opts)).toThrow(message);
  });
  test('no spec, no flags file', () => {
    expect(() => runFlagsStale({ flags: 'f.yaml' })).toThrow(/^spec: required/);
    expect(() => runFlagsStale({ spec: 'openapi.yaml' })).toThrow(/^flags: required \(the flags file/);
  });
});
