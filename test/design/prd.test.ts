/** Definition of Ready: the PRD filled in, placeholders left, sections missing or empty, ASVS level, endpoints. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkPrd, PRD_SECTIONS } from '../../src/design/prd.js';
import { runDesign } from '../../src/design/run.js';
import { cleanup, FILLED_PRD, folder, lineOf, ROOT } from './helpers.js';

afterAll(cleanup);

const SPEC = 'templates/API-spec-openapi.yaml';
const OPS = ['GET /widgets', 'POST /widgets', 'GET /widgets/{widgetId}', 'DELETE /widgets/{widgetId}', 'GET /health-checks/liveness'];

describe('a filled-in PRD', () => {
  test('is ready: no findings, every section filled (endpoints match ignoring parameter names)', () => {
    const r = checkPrd(FILLED_PRD, 'PRD.md', OPS);
    expect(r.findings).toEqual([]);
    expect(r.sections.map((s) => [s.title, s.status, s.line])).toEqual([
      ['Problem', 'filled', lineOf(FILLED_PRD, /^## Problem/)],
      ['Consumers', 'filled', lineOf(FILLED_PRD, /^## Consumers/)],
      ['Endpoints', 'filled', lineOf(FILLED_PRD, /^## Endpoints/)],
      ['Service level objectives (SLOs)', 'filled', lineOf(FILLED_PRD, /^## Service/)],
      ['Security (ASVS level)', 'filled', lineOf(FILLED_PRD, /^## Security/)],
      ['Rollout and deprecation', 'filled', lineOf(FILLED_PRD, /^## Rollout/)],
    ]);
  });

  test('the gate passes with it and the template spec, and the result lists the sections', () => {
    const dir = folder({ 'docs/PRD.md': FILLED_PRD });
    const r = runDesign({ spec: path.join(ROOT, SPEC), prd: 'docs/PRD.md', cwd: dir });
    expect(r).toMatchObject({ verdict: 'pass', findings: [], prd: 'docs/PRD.md', metrics: { 'PRD sections filled': 6 } });
    expect(r.readiness).toHaveLength(PRD_SECTIONS.length);
  });
});

describe('a PRD that is not ready', () => {
  test('the template as it comes: a placeholder finding on each line that has one, sections with placeholders not filled', () => {
    const text = readFileSync(path.join(ROOT, 'templates/PRD.md'), 'utf8');
    const r = checkPrd(text, 'templates/PRD.md', OPS);
    expect(new Set(r.findings.map((f) => f.id))).toEqual(new Set(['prd-placeholder']));
    expect(r.findings[0]).toMatchObject({ level: 'error', message: 'template placeholder {{API name}} is still in the PRD: fill it in', location: { file: 'templates/PRD.md', line: 1 } });
    // The Problem placeholder spans two lines: reported once, on its first.
    const problem = lineOf(text, /^\{\{What users/);
    expect(r.findings.filter((f) => f.location?.line === problem || f.location?.line === problem + 1)).toHaveLength(1);
    expect(r.sections.every((s) => s.status === 'placeholders')).toBe(true);
    // Guidance in HTML comments mentions TODO and {{placeholder}}: never reported.
    const [from, to] = [lineOf(text, /^<!--/), lineOf(text, /^-->/)];
    expect(r.findings.filter((f) => f.location!.line! >= from && f.location!.line! <= to)).toEqual([]);
  });

  test('TODO and TBD left in a section', () => {
    const text = FILLED_PRD.replace('- Latency: p95 under 300 ms', '- Latency: TBD').replace('beta shops first.', 'beta shops first. TODO dates');
    const r = checkPrd(text, 'PRD.md', OPS);
    expect(r.findings.map((f) => [f.id, f.message, f.location?.line])).toEqual([
      ['prd-placeholder', "'TBD' is still in the PRD: fill it in", lineOf(text, /Latency: TBD/)],
      ['prd-placeholder', "'TODO' is still in the PRD: fill it in", lineOf(text, /TODO dates/)],
    ]);
    expect(r.sections.filter((s) => s.status === 'placeholders').map((s) => s.title)).toEqual(['Service level objectives (SLOs)', 'Rollout and deprecation']);
  });

  test('a section missing (reported on line 1) and one empty (on its heading)', () => {
    const text = FILLED_PRD.replace(/## Consumers[\s\S]*?(?=## Endpoints)/, '').replace(/(## Rollout and deprecation\n)[\s\S]*?(?=## Open)/, '$1\n<!-- later -->\n\n');
    const r = checkPrd(text, 'PRD.md', OPS);
    expect(r.findings.map((f) => [f.id, f.message, f.location?.line])).toEqual([
      ['prd-section-missing', "section '## Consumers' is missing", 1],
      ['prd-section-empty', "section 'Rollout and deprecation' is empty", lineOf(text, /^## Rollout/)],
    ]);
  });

  test('a heading inside a code block is no section', () => {
    const text = FILLED_PRD.replace(/## Consumers\n/, '```md\n## Consumers\n```\n');
    expect(checkPrd(text, 'PRD.md', OPS).findings.map((f) => f.id)).toEqual(['prd-section-missing']);
  });

  test('a security section without an ASVS level', () => {
    const text = FILLED_PRD.replace('- ASVS level 2\n', '- OWASP top 10 reviewed\n');
    expect(checkPrd(text, 'PRD.md', OPS).findings).toEqual([
      expect.objectContaining({ id: 'prd-asvs-level-missing', level: 'error', location: { file: 'PRD.md', line: lineOf(text, /^## Security/) } }),
    ]);
    expect(checkPrd(FILLED_PRD.replace('- ASVS level 2', '- ASVS: L3'), 'PRD.md', OPS).findings).toEqual([]);
  });

  test('an endpoint the spec does not have', () => {
    const text = FILLED_PRD.replace('| POST /widgets |', '| PATCH /widgets/{id} |');
    expect(checkPrd(text, 'PRD.md', OPS).findings).toEqual([
      expect.objectContaining({
        id: 'prd-endpoint-not-in-spec',
        level: 'warning',
        operation: 'PATCH /widgets/{id}',
        message: 'the PRD lists PATCH /widgets/{id}, which is not an operation of the spec',
        location: { file: 'PRD.md', line: lineOf(text, /PATCH \/widgets/) },
      }),
    ]);
  });

  test('through the gate: the findings fail it, PRD rules can be tuned like the others', () => {
    const dir = folder({ 'PRD.md': FILLED_PRD.replace('- ASVS level 2\n', ''), 'rules.yaml': 'rules:\n  prd-asvs-level-missing: warning\n' });
    const spec = path.join(ROOT, SPEC);
    expect(runDesign({ spec, prd: 'PRD.md', cwd: dir }).verdict).toBe('fail');
    const tuned = runDesign({ spec, prd: 'PRD.md', rules: 'rules.yaml', cwd: dir });
    expect(tuned.verdict).toBe('pass');
    expect(tuned.findings.map((f) => [f.id, f.level])).toEqual([['prd-asvs-level-missing', 'warning']]);
  });
});
