/** The example's v1 → v2 change read as release notes a person would publish. */
import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runReleaseNotes } from '../../src/release-notes/run.js';
import { migrationHint, MIGRATION_FAMILIES } from '../../src/release-notes/migration.js';
import { RULES } from '../../src/breaking/rules/registry.js';
import { groupOf, summarizePulls } from '../../src/release-notes/pulls.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const V1 = 'examples/petstore/openapi.v1.yaml';
const V2 = 'examples/petstore/openapi.v2.yaml';
const today = new Date('2026-12-01T09:00:00Z');

describe('examples/petstore v1 → v2', () => {
  test('the changelog sorts the engine findings into what a client team needs', async () => {
    const r = await runReleaseNotes({ base: V1, revision: V2, version: '2.0.0', cwd: root, today });
    expect(r.verdict).toBe('pass');
    expect(r.semver).toBe('major');
    expect(r.previousVersion).toBe('1.4.0');
    const c = r.changelog;
    expect(c.title).toBe('Petstore API');
    expect(c.breaking.map((e) => `${e.operation}: ${e.id}`)).toEqual([
      'DELETE /pets/{id}: request-parameter-max-length-decreased',
      'GET /pets: request-parameter-max-decreased',
      'GET /pets: new-required-request-parameter',
      'GET /pets/{id}: request-parameter-max-length-decreased',
      'GET /pets/{petId}/photos: api-path-removed-without-deprecation',
      'POST /pets: request-property-max-length-decreased',
      'POST /pets: new-required-request-property',
    ]);
    expect(c.breaking.every((e) => e.hint && e.family)).toBe(true);
    expect(c.deprecations).toEqual([
      expect.objectContaining({ operation: 'DELETE /pets/{id}', element: 'operation', sunset: '2027-06-30', daysLeft: 211, newInRelease: true }),
    ]);
    expect(c.newOperations).toEqual([expect.objectContaining({ operation: 'GET /pets/{id}/vaccinations', summary: "List a pet's vaccinations", operationId: 'listVaccinations' })]);
    expect(c.mayAffect.map((e) => e.id)).toContain('response-optional-property-removed');
    expect(c.other.map((e) => e.id)).toContain('response-optional-property-added');
    // Nothing is lost: every finding the engine reports lands in one section.
    const counted = c.breaking.length + c.mayAffect.length + c.other.length + c.newOperations.length + c.deprecations.filter((d) => d.newInRelease).length;
    expect(counted).toBe(21);
  });

  test('the markdown reads as release notes: sections, tables, migration steps, schedule', async () => {
    const r = await runReleaseNotes({ base: V1, revision: V2, version: '2.0.0', cwd: root, today, date: '2026-12-01', rolloutDate: '2027-01-15' });
    const md = r.notes;
    expect(md.split('\n').slice(0, 5)).toEqual([
      '## Petstore API 2.0.0 (2026-12-01)',
      '',
      `**Major release** of the API: 7 breaking changes, 1 new deprecation, 1 new operation. Compared with 1.4.0 (\`${V1}\` → \`${V2}\`).`,
      '',
      '**Rollout:** 2027-01-15.',
    ]);
    const sections = md.split('\n').filter((l) => /^#{3,4} /.test(l));
    expect(sections).toEqual([
      '### Breaking changes',
      '#### How to migrate',
      '### Deprecations and sunset schedule',
      '### New operations',
      '### Changes that may affect clients',
      '#### How to migrate',
      '### Other changes',
    ]);
    expect(md).toContain("| `GET /pets` | required query parameter 'species' added |");
    expect(md).toMatch(/^\d\. \*\*New required input\*\* \(`GET \/pets`, `POST \/pets`\): Send the new required value on every call/m);
    expect(md).toMatch(/^\d\. \*\*Removed operation\*\* \(`GET \/pets\/\{petId\}\/photos`\): Stop calling this operation/m);
    expect(md).toContain('| `DELETE /pets/{id}` | operation | 2027-06-30 | 211 | this release |');
    expect(md).toContain("- `GET /pets/{id}/vaccinations`: List a pet's vaccinations (`listVaccinations`)");
  });

  test('the same spec on both sides: a patch release with nothing to report', async () => {
    const r = await runReleaseNotes({ base: V2, revision: V2, cwd: root, today });
    expect(r.semver).toBe('patch');
    expect(r.suggestedVersion).toBe('2.0.1');
    expect(r.notes).toContain('No change to the API contract.');
    // The schedule still lists what earlier releases deprecated.
    expect(r.changelog.deprecations).toEqual([expect.objectContaining({ operation: 'DELETE /pets/{id}', sunset: '2027-06-30', newInRelease: false })]);
  });

  test('table cells survive pipes and newlines in spec text', async () => {
    const { cell } = await import('../../src/release-notes/notes.js');
    expect(cell('a | b\nc')).toBe('a \\| b c');
  });
});

describe('migration hints', () => {
  test('every error- and warning-level rule of the engine gets a hint from a named family (not the fallback)', () => {
    const errors = Object.entries(RULES).filter(([, r]) => r.level !== 'info').map(([id]) => id);
    const unmatched = errors.filter((id) => migrationHint(id).family === 'other');
    expect(unmatched).toEqual([]);
    expect(MIGRATION_FAMILIES.length).toBeGreaterThan(5);
  });
  test('families say different things', () => {
    expect(migrationHint('api-removed-without-deprecation').family).toBe('removed operation');
    expect(migrationHint('new-required-request-parameter').family).toBe('new required input');
    expect(migrationHint('request-parameter-max-decreased').family).toBe('tighter request constraint');
    expect(migrationHint('response-property-enum-value-added').family).toBe('new response values');
  });
});

describe('merged pull requests', () => {
  test.each([
    [{ title: 'feat(api): add vaccinations', labels: [] }, 'Features'],
    [{ title: 'feat!: drop photos', labels: [] }, 'Breaking changes'],
    [{ title: 'fix: 404 body', labels: [] }, 'Fixes'],
    [{ title: 'chore(deps): bump yaml', labels: ['dependencies'] }, 'Dependencies'],
    [{ title: 'Update README', labels: ['documentation'] }, 'Documentation'],
    [{ title: 'Tidy things up', labels: [] }, 'Other changes'],
    [{ title: 'refactor(core): split module', labels: [] }, 'Maintenance'],
    [{ title: 'fix: label wins', labels: ['enhancement'] }, 'Features'],
  ])('%j goes to %s', (p, group) => {
    expect(groupOf(p)).toBe(group);
  });
  test('groups keep a fixed order and contributors are listed once', () => {
    const pr = (number: number, title: string, author: string) => ({ number, title, author, url: `u${number}`, labels: [], mergedAt: `2026-01-0${number}T00:00:00Z` });
    const s = summarizePulls([pr(1, 'fix: a', 'bob'), pr(2, 'feat: b', 'alice'), pr(3, 'feat: c', 'bob')], '2026-01-01', false);
    expect(s.groups.map((g) => `${g.title}:${g.pulls.map((p) => p.number).join(',')}`)).toEqual(['Features:2,3', 'Fixes:1']);
    expect(s.contributors).toEqual(['alice', 'bob']);
  });
});
