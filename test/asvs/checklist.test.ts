import { describe, expect, test } from '@jest/globals';
import { parseChecklist, splitEvidence, splitRow } from '../../src/asvs/checklist.js';
import { InputError } from '../../src/kit/errors.js';
import { markdown } from './helpers.js';

describe('markdown checklist', () => {
  test('rows keep their line, declarations are read, markup is stripped', () => {
    const text = markdown([
      ['**v5.0.0-6.2.1**', '1', '`pass`', '[auth](src/auth.ts#L3), probe:auth', 'ok'],
      ['v5.0.0-6.2.2', 'L1', 'N/A', '', 'no passwords'],
    ]);
    const c = parseChecklist(text, 'SEC.md');
    expect(c.version).toEqual({ value: '5.0.0', line: 3 });
    expect(c.level).toEqual({ value: '1', line: 4 });
    expect(c.anchorLine).toBe(6);
    expect(c.rows).toEqual([
      { line: 8, id: 'v5.0.0-6.2.1', level: '1', status: 'pass', evidence: ['src/auth.ts#L3', 'probe:auth'], notes: 'ok' },
      { line: 9, id: 'v5.0.0-6.2.2', level: 'L1', status: 'N/A', evidence: [], notes: 'no passwords' },
    ]);
  });

  test('columns are found by name in any order; extra columns (Description) are fine', () => {
    const text = '| Status | Description | Notes | ID | Evidence | Level |\n|---|---|---|---|---|---|\n| todo | a \\| b | n | v5.0.0-1.2.1 | x.md | 1 |\n';
    const c = parseChecklist(text, 'c.md');
    expect(c.rows[0]).toMatchObject({ id: 'v5.0.0-1.2.1', status: 'todo', notes: 'n', evidence: ['x.md'], level: '1' });
  });

  test('tables in code fences and tables without an ID column are ignored; several tables add up', () => {
    const text = [
      '| Legend | Meaning |', '|---|---|', '| pass | done |', '',
      '```', '| ID | Level | Status | Evidence | Notes |', '|---|---|---|---|---|', '| v5.0.0-9.9.9 | 1 | pass | | |', '```', '',
      '| ID | Level | Status | Evidence | Notes |', '|---|---|---|---|---|', '| v5.0.0-1.2.1 | 1 | todo | | |', '',
      '| ID | Level | Status | Evidence | Notes |', '|---|---|---|---|---|', '| v5.0.0-1.2.2 | 1 | todo | | |',
    ].join('\n');
    expect(parseChecklist(text, 'c.md').rows.map((r) => [r.id, r.line])).toEqual([['v5.0.0-1.2.1', 13], ['v5.0.0-1.2.2', 17]]);
  });

  test('a table with missing columns is an input error naming the file, the line and the columns', () => {
    const text = 'intro\n\n| ID | Status | Notes |\n|---|---|---|\n| v5.0.0-1.2.1 | pass | |\n';
    expect(() => parseChecklist(text, 'SEC.md')).toThrow(InputError);
    expect(() => parseChecklist(text, 'SEC.md')).toThrow(/SEC\.md:3: the checklist table lacks the columns Level, Evidence/);
  });

  test('no checklist table at all is an input error', () => {
    expect(() => parseChecklist('# nothing here\n', 'SEC.md')).toThrow(/no checklist table found/);
  });

  test('cells split on unescaped pipes; evidence splits on commas, <br>, spaces, and unwraps links and code', () => {
    expect(splitRow('| a | b \\| c | d |')).toEqual(['a', 'b | c', 'd']);
    expect(splitEvidence('`a.ts#L1`<br>[doc](docs/x.md \"t\"), <https://e.com/a> probe:auth; b.md')).toEqual([
      'docs/x.md',
      'https://e.com/a',
      'a.ts#L1',
      'probe:auth',
      'b.md',
    ]);
  });

  test('prose in the evidence cell stays one item (one finding), beside paths split off by commas', () => {
    expect(splitEvidence('see PR #123 and the security review, src/auth.ts#L4 probe:auth')).toEqual([
      'see PR #123 and the security review',
      'src/auth.ts#L4',
      'probe:auth',
    ]);
  });

  test('a word is a path by what comes before its #, as the evidence check reads it: `ticket#v2.md` is prose', () => {
    expect(splitEvidence('docs/a.md#L3 src/b.ts')).toEqual(['docs/a.md#L3', 'src/b.ts']);
    expect(splitEvidence('ticket#v2.md src/b.ts')).toEqual(['ticket#v2.md src/b.ts']);
  });
});

describe('YAML checklist', () => {
  test('the same data as YAML, with lines', () => {
    const text = [
      'asvs-version: 5.0.0',
      'level: 2',
      'requirements:',
      '  - id: v5.0.0-6.2.1',
      '    level: 1',
      '    status: pass',
      '    evidence: [src/a.ts#L1, probe:auth]',
      '    notes: ok',
      '  - id: v5.0.0-6.2.2',
      '    status: n/a',
      '    evidence: docs/x.md, probe:headers',
    ].join('\n');
    const c = parseChecklist(text, 'sec.yml');
    expect(c.format).toBe('yaml');
    expect(c.version).toEqual({ value: '5.0.0', line: 1 });
    expect(c.level).toEqual({ value: '2', line: 2 });
    expect(c.rows).toEqual([
      { line: 4, id: 'v5.0.0-6.2.1', level: '1', status: 'pass', evidence: ['src/a.ts#L1', 'probe:auth'], notes: 'ok' },
      { line: 9, id: 'v5.0.0-6.2.2', level: '', status: 'n/a', evidence: ['docs/x.md', 'probe:headers'], notes: '' },
    ]);
  });

  test('broken YAML and a missing requirements list are input errors', () => {
    expect(() => parseChecklist('requirements: [\n', 'a.yml')).toThrow(/a\.yml:\d+:\d+: not valid YAML/);
    expect(() => parseChecklist('asvs-version: 5.0.0\n', 'a.yml')).toThrow(/'requirements' must be a list/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`), 'requirements: []'].join('\n');
    expect(() => parseChecklist(bomb, 'bomb.yml')).toThrow(/bomb\.yml: cannot read YAML/);
  });
});
