import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCatalog } from '../../src/asvs/catalog-file.js';
import { parseChecklist } from '../../src/asvs/checklist.js';
import { requiredAt } from '../../src/asvs/standard.js';
import { verifyChecklist, type VerifyOptions } from '../../src/asvs/verify.js';
import { runAsvs } from '../../src/asvs/run.js';
import { InputError } from '../../src/kit/errors.js';
import { cleanup, HAVE_SHARED, markdown, repo, SHARED_ASVS } from './helpers.js';

afterAll(cleanup);

/** Rows for every level-1 requirement as a justified n/a, so a test changes only what it is about. */
function level1Rows(override: Record<string, string[]> = {}): string[][] {
  return requiredAt('5.0.0', 1).map((r) => override[r.id] ?? [r.id, '1', 'n/a', '', 'not applicable here']);
}

function verify(text: string, opts: Partial<VerifyOptions> = {}, files: Record<string, string> = {}) {
  const root = opts.root ?? repo(files);
  return verifyChecklist(parseChecklist(text, 'SEC.md'), { root, ...opts });
}

const ids = (r: { findings: { id: string }[] }) => r.findings.map((f) => f.id).sort();

describe('verify', () => {
  test('a complete level-1 checklist passes with 100% coverage', () => {
    const r = verify(markdown(level1Rows()));
    expect(r.findings).toEqual([]);
    expect(r.metrics).toMatchObject({ requirements: 70, 'n/a': 70, missing: 0, 'coverage %': 100 });
    expect(r.coverage.find((c) => c.chapter === 'V6')).toMatchObject({ name: 'Authentication', required: 13, na: 13 });
  });

  test('a missing requirement is an error on the table header line', () => {
    const rows = level1Rows().filter((r) => r[0] !== 'v5.0.0-6.2.1');
    const r = verify(markdown(rows));
    expect(r.findings).toEqual([
      expect.objectContaining({ id: 'asvs-requirement-missing', level: 'error', location: { file: 'SEC.md', line: 6 } }),
    ]);
    expect(r.findings[0]!.message).toContain('v5.0.0-6.2.1 (level 1, 6.2 Password Security) has no row');
    expect(r.coverage.find((c) => c.chapter === 'V6')).toMatchObject({ missing: 1, na: 12 });
  });

  test('level 2 asks for more rows than level 1', () => {
    const r = verify(markdown(level1Rows()), { level: 2 });
    expect(r.findings.filter((f) => f.id === 'asvs-requirement-missing')).toHaveLength(253 - 70);
  });

  test('fail and todo rows: errors on their line; --allow-todo makes todo a warning', () => {
    const text = markdown(level1Rows({ 'v5.0.0-1.2.1': ['v5.0.0-1.2.1', '1', 'fail', '', 'broken'], 'v5.0.0-1.2.2': ['v5.0.0-1.2.2', '1', 'todo', '', ''] }));
    const r = verify(text);
    expect(r.findings.map((f) => [f.id, f.level, f.location?.line])).toEqual([
      ['asvs-requirement-failed', 'error', 8],
      ['asvs-requirement-todo', 'error', 9],
    ]);
    expect(verify(text, { allowTodo: true }).findings.map((f) => [f.id, f.level])).toEqual([
      ['asvs-requirement-failed', 'error'],
      ['asvs-requirement-todo', 'warning'],
    ]);
  });

  test('n/a without a reason, pass without evidence', () => {
    const r = verify(markdown(level1Rows({ 'v5.0.0-1.2.1': ['v5.0.0-1.2.1', '1', 'n/a', '', ''], 'v5.0.0-1.2.2': ['v5.0.0-1.2.2', '1', 'pass', '', 'trust me'] })));
    expect(ids(r)).toEqual(['asvs-evidence-missing', 'asvs-justification-missing']);
  });

  test('evidence: files and lines must exist; URLs and known probes are accepted', () => {
    const files = { 'src/auth.ts': 'line1\nline2\nline3\n', 'docs/a.md': 'x' };
    const ev = (id: string, e: string) => [id, '1', 'pass', e, ''];
    const r = verify(
      markdown(
        level1Rows({
          'v5.0.0-1.2.1': ev('v5.0.0-1.2.1', 'src/auth.ts#L3, docs/a.md, https://example.com/report, probe:auth, src'),
          'v5.0.0-1.2.2': ev('v5.0.0-1.2.2', 'src/auth.ts#L4'),
          'v5.0.0-1.2.3': ev('v5.0.0-1.2.3', 'src/missing.ts'),
          'v5.0.0-1.2.4': ev('v5.0.0-1.2.4', 'probe:nonsense'),
          'v5.0.0-1.2.5': ev('v5.0.0-1.2.5', 'src/auth.ts#Lx, javascript:alert(1)'),
        }),
      ),
      {},
      files,
    );
    expect(r.findings.map((f) => [f.id, f.location?.line])).toEqual([
      ['asvs-probe-not-run', 8],
      ['asvs-evidence-not-found', 9],
      ['asvs-evidence-not-found', 10],
      ['asvs-evidence-not-found', 11],
      ['asvs-evidence-invalid', 12],
      ['asvs-evidence-invalid', 12],
    ]);
    expect(r.findings[1]!.message).toContain("'src/auth.ts' has 3 lines, not 4");
    expect(r.findings[2]!.message).toContain("'src/missing.ts' does not exist");
    expect(r.findings[3]!.message).toContain('probe:rate-limit');
  });

  test('evidence escaping the repository never passes: .., absolute paths, symlinks out', () => {
    const root = repo({ 'ok.md': 'x' });
    symlinkSync('/etc', path.join(root, 'etc-link'));
    const ev = (id: string, e: string) => [id, '1', 'pass', e, ''];
    const r = verify(
      markdown(
        level1Rows({
          'v5.0.0-1.2.1': ev('v5.0.0-1.2.1', '../../etc/passwd'),
          'v5.0.0-1.2.2': ev('v5.0.0-1.2.2', '/etc/passwd'),
          'v5.0.0-1.2.3': ev('v5.0.0-1.2.3', 'etc-link/passwd'),
          'v5.0.0-1.2.4': ev('v5.0.0-1.2.4', 'ok.md/../../../etc/hostname'),
        }),
      ),
      { root },
    );
    expect(r.findings.map((f) => [f.id, f.level, f.location?.line])).toEqual([
      ['asvs-evidence-outside-repo', 'error', 8],
      ['asvs-evidence-outside-repo', 'error', 9],
      ['asvs-evidence-outside-repo', 'error', 10],
      ['asvs-evidence-outside-repo', 'error', 11],
    ]);
  });

  test('unknown, duplicate, other-version, malformed ids, unknown status words, wrong level column', () => {
    const rows = [
      ...level1Rows(),
      ['v5.0.0-99.1.1', '1', 'pass', 'x', ''],
      ['v5.0.0-1.2.1', '1', 'n/a', '', 'again'],
      ['v4.0.3-2.1.1', '1', 'pass', 'x', ''],
      ['V6.2.1', '1', 'pass', 'x', ''],
      ['', '', '', '', ''],
      // `done`, `yes`, `✅` are read as pass now; a word that is no status still is not. Above the target level it warns.
      ['v5.0.0-1.1.1', '2', 'finished', '', ''],
      ['v5.0.0-1.1.2', '3', 'n/a', '', 'level 2 in fact'],
    ];
    const r = verify(markdown(rows));
    const by = Object.fromEntries(r.findings.map((f) => [f.location!.line, f]));
    const first = 8 + 70;
    expect(by[first]).toMatchObject({ id: 'asvs-unknown-requirement' });
    expect(by[first + 1]).toMatchObject({ id: 'asvs-duplicate-requirement' });
    expect(by[first + 1]!.message).toContain('first on line 8');
    expect(by[first + 2]).toMatchObject({ id: 'asvs-version-mismatch', data: { counterparts: ['v5.0.0-6.2.1'] } });
    expect(by[first + 2]!.message).toContain('in 5.0.0 see v5.0.0-6.2.1');
    expect(by[first + 3]).toMatchObject({ id: 'asvs-invalid-id' });
    expect(by[first + 3]!.message).toContain('v5.0.0-6.2.1');
    expect(by[first + 4]).toMatchObject({ id: 'asvs-invalid-id' });
    expect(by[first + 5]).toMatchObject({ id: 'asvs-invalid-status', level: 'warning' });
    expect(by[first + 6]).toMatchObject({ id: 'asvs-level-mismatch', level: 'warning' });
    expect(r.findings).toHaveLength(7);
  });

  test('an invalid status on a required row leaves it uncovered', () => {
    const r = verify(markdown(level1Rows({ 'v5.0.0-1.2.1': ['v5.0.0-1.2.1', '1', 'maybe', 'x', ''] })));
    expect(ids(r)).toEqual(['asvs-invalid-status']);
    expect(r.metrics.missing).toBe(1);
    expect(r.metrics['coverage %']).toBeLessThan(100);
  });

  test('a pass row citing a failed probe fails; a skipped probe warns', () => {
    const text = markdown(level1Rows({ 'v5.0.0-8.2.1': ['v5.0.0-8.2.1', '1', 'pass', 'probe:auth', ''], 'v5.0.0-6.3.1': ['v5.0.0-6.3.1', '1', 'pass', 'probe:rate-limit', ''] }));
    const r = verify(text, {
      probes: [
        { id: 'probe:auth', status: 'fail', detail: 'GET /pets/{id}: answered 200 without credentials' },
        { id: 'probe:rate-limit', status: 'skipped', detail: 'no GET operation' },
      ],
    });
    expect(r.findings.map((f) => [f.id, f.level])).toEqual([
      ['asvs-probe-not-run', 'warning'],
      ['asvs-requirement-failed', 'error'],
    ]);
    expect(r.findings[1]!.message).toContain('cites probe:auth, which failed: GET /pets/{id}: answered 200');
    expect(verify(text, { probes: [{ id: 'probe:auth', status: 'pass', detail: '' }, { id: 'probe:rate-limit', status: 'pass', detail: '' }] }).findings).toEqual([]);
  });

  test('version and level come from the declarations; without a level it is an input error', () => {
    expect(() => verify(markdown(level1Rows(), 'ASVS version: 5.0.0\n'))).toThrow(/level: required/);
    expect(() => verify(markdown(level1Rows(), 'ASVS version: 4.0.2\nTarget level: 1\n'))).toThrow(/4\.0\.2.*not a supported ASVS version/);
    const r = verify(markdown(level1Rows(), 'Target level: 1\n'));
    expect(r.version).toBe('5.0.0');
    const asked = verify(markdown(level1Rows()), { version: '4.0.3' });
    expect(asked.findings.filter((f) => f.id === 'asvs-version-mismatch')).toHaveLength(71); // the declaration + 70 rows
  });
});

describe('changes since a base revision (git)', () => {
  test('items that went from pass to anything else are called out', async () => {
    const root = repo({ 'src/a.ts': 'x\n' });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@e.st');
    git('config', 'user.name', 't');
    const before = level1Rows({
      'v5.0.0-1.2.1': ['v5.0.0-1.2.1', '1', 'pass', 'src/a.ts', ''],
      'v5.0.0-1.2.2': ['v5.0.0-1.2.2', '1', 'pass', 'src/a.ts', ''],
      'v5.0.0-1.2.3': ['v5.0.0-1.2.3', '1', 'pass', 'src/a.ts', ''],
    });
    writeFileSync(path.join(root, 'SEC.md'), markdown(before));
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    const after = level1Rows({
      'v5.0.0-1.2.1': ['v5.0.0-1.2.1', '1', 'pass', 'src/a.ts', ''],
      'v5.0.0-1.2.2': ['v5.0.0-1.2.2', '1', 'n/a', '', 'dropped the feature'],
      'v5.0.0-1.2.3': ['v5.0.0-1.2.3', '1', 'fail', '', 'regressed'],
    });
    writeFileSync(path.join(root, 'SEC.md'), markdown(after));
    const r = await runAsvs({ checklist: 'SEC.md', base: 'main', cwd: root });
    expect(r.findings.filter((f) => f.id === 'asvs-status-regressed').map((f) => [f.data?.requirement, f.data?.to, f.location?.line])).toEqual([
      ['v5.0.0-1.2.2', 'n/a', 9],
      ['v5.0.0-1.2.3', 'fail', 10],
    ]);
    expect(r.checklist?.changes).toEqual([
      { id: 'v5.0.0-1.2.2', from: 'pass', to: 'n/a', line: 9 },
      { id: 'v5.0.0-1.2.3', from: 'pass', to: 'fail', line: 10 },
    ]);
    expect(r.metrics?.['regressed since base']).toBe(2);
    // A revision that does not exist, or one that looks like an option, is bad input.
    await expect(runAsvs({ checklist: 'SEC.md', base: 'no-such-branch', cwd: root })).rejects.toThrow(/base: cannot read SEC\.md at 'no-such-branch'/);
    await expect(runAsvs({ checklist: 'SEC.md', base: '--output=/tmp/x', cwd: root })).rejects.toThrow(InputError);
  });
});

(HAVE_SHARED ? describe : describe.skip)('requirement texts from the official export (--catalog)', () => {
  test('the JSON, flat JSON and CSV exports all load, for both versions', () => {
    for (const f of ['asvs-5.0.0-en.json', 'asvs-5.0.0-en.flat.json', 'asvs-5.0.0-en.csv']) {
      const c = loadCatalog(path.join(SHARED_ASVS, f));
      expect(c.version).toBe('5.0.0');
      expect(c.descriptions.size).toBe(345);
    }
    for (const f of ['asvs-4.0.3-en.json', 'asvs-4.0.3-en.flat.json', 'asvs-4.0.3-en.csv']) {
      const c = loadCatalog(path.join(SHARED_ASVS, f));
      expect(c.version).toBe('4.0.3');
      expect(c.descriptions.size).toBe(286);
    }
  });

  test('findings carry the description; a catalog of the other version is refused', () => {
    const catalog = loadCatalog(path.join(SHARED_ASVS, 'asvs-5.0.0-en.json'));
    const rows = level1Rows().filter((r) => r[0] !== 'v5.0.0-6.2.1');
    const r = verify(markdown(rows), { catalog });
    expect(r.findings[0]!.message).toMatch(/has no row — Verify that user set passwords are at least 8 characters/);
    expect(() => verify(markdown(rows), { catalog: loadCatalog(path.join(SHARED_ASVS, 'asvs-4.0.3-en.json')) })).toThrow(/is ASVS 4\.0\.3, but the checklist is for 5\.0\.0/);
  });

  test('a file that is not an export is an input error', () => {
    const root = repo({ 'x.json': '{"a": 1}', 'y.csv': 'a,b\n1,2\n' });
    expect(() => loadCatalog(path.join(root, 'x.json'))).toThrow(/not an ASVS export/);
    expect(() => loadCatalog(path.join(root, 'y.csv'))).toThrow(/req_id and req_description/);
    expect(() => loadCatalog(path.join(root, 'nope.json'))).toThrow(/not found/);
  });
});
