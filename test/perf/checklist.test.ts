import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { verifyChecklist } from '../../src/perf/checklist.js';
import { checkChecklist } from '../../src/perf/run.js';
import { cleanTempDirs, ROOT, tempDir, writeJson } from './helpers.js';

afterAll(cleanTempDirs);
const template = readFileSync(path.join(ROOT, 'templates/Performance-checklist.md'), 'utf8');

describe('performance checklist', () => {
  test('the blank template fails: every target and every item reported on its line', () => {
    const { findings, stats } = verifyChecklist(template, 'Performance-checklist.md');
    expect(stats).toMatchObject({ targets: 6, targetsMissing: 6, checked: 0, open: stats.items });
    expect(stats.items).toBeGreaterThanOrEqual(12);
    const lines = template.split('\n');
    for (const f of findings) expect(lines[f.location!.line! - 1]).toMatch(f.id === 'perf-checklist-target-missing' ? /^\| .* \| <fill in/ : /^- \[ \] /);
  });

  test('the filled-in example passes: targets stated, items checked or justified', () => {
    const r = checkChecklist('examples/perf/Performance-checklist.md', { cwd: ROOT });
    expect(r.findings).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.metrics).toMatchObject({ 'targets-missing': 0, open: 0 });
    expect(r.metrics!.justified).toBeGreaterThan(0);
  });

  test('an open item, a placeholder target, and a bare justification marker are findings; comments are ignored', () => {
    const text = [
      '# Performance checklist',
      '<!-- | Hidden | <x> | -->',
      '## Targets',
      '| Target | Value |',
      '|---|---|',
      '| p95 latency (ms) | 250 |',
      '| Error rate | TBD |',
      '## Checklist',
      '- [x] Script committed',
      '- [X] Budget file',
      '- [ ] Soak test — N/A: the service is stateless and restarts daily',
      '- [ ] Dashboards',
      '- [ ] Alerts — N/A:',
      '<!--',
      '- [ ] inside a comment',
      '-->',
    ].join('\n');
    const { findings, stats } = verifyChecklist(text, 'c.md');
    expect(findings.map((f) => [f.id, f.location!.line])).toEqual([
      ['perf-checklist-target-missing', 7],
      ['perf-checklist-item-open', 12],
      ['perf-checklist-item-open', 13],
    ]);
    expect(stats).toEqual({ targets: 2, targetsMissing: 1, items: 5, checked: 2, justified: 1, open: 2 });
  });

  test('a file that is not a checklist: missing sections are findings', () => {
    const { findings } = verifyChecklist('# Notes\n\nnothing here\n', 'n.md');
    expect(findings.map((f) => f.id)).toEqual(['perf-checklist-section-missing', 'perf-checklist-section-missing']);
  });

  test('a missing file is bad input naming it', () => {
    const dir = tempDir();
    writeJson(dir, 'x.md', '');
    expect(() => checkChecklist('nope.md', { cwd: dir })).toThrow(/^checklist: file '.*nope.md' not found/);
  });
});
