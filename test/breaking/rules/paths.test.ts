import { describe, expect, it } from '@jest/globals';
import { diffTexts, ids, lineOf, specWith } from '../helpers.js';

const TODAY = new Date('2030-01-15T12:00:00Z');

function diff(base: string, rev: string) {
  return diffTexts(base, rev, { today: TODAY, deprecationDaysBeta: 0, deprecationDaysStable: 0 });
}

const PETS = `  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        '200':
          description: ok
`;

/** /pets plus /pets/{id} whose GET carries `extra` (YAML lines indented 6). */
function withItem(extra = '', key = 'id'): string {
  return specWith(`${PETS}  /pets/{${key}}:
    get:
${extra}      responses:
        '200':
          description: ok
`);
}

describe('paths family', () => {
  it('reports nothing for an unchanged spec', () => {
    expect(diff(withItem(), withItem()).findings).toEqual([]);
  });

  it('matches paths whose parameter names differ', () => {
    expect(ids(diff(withItem('', 'id'), withItem('', 'petId')))).toEqual([]);
  });

  it('reports an added endpoint at its line in the revision', () => {
    const base = specWith(PETS);
    const rev = withItem();
    const r = diff(base, rev);
    expect(r.findings).toEqual([
      expect.objectContaining({ id: 'endpoint-added', level: 'info', operation: 'GET /pets/{id}', location: { file: expect.stringContaining('revision.yaml'), line: lineOf(rev, 'get:', 2) } }),
    ]);
  });

  it('reports a whole path removed without deprecation as an error on the base line', () => {
    const base = withItem();
    const r = diff(base, specWith(PETS));
    expect(r.findings).toEqual([
      expect.objectContaining({ id: 'api-path-removed-without-deprecation', level: 'error', operation: 'GET /pets/{id}', location: { file: expect.stringContaining('base.yaml'), line: lineOf(base, 'get:', 2) } }),
    ]);
    expect(r.verdict).toBe('fail');
  });

  it('reports an operation removed from a kept path', () => {
    const base = specWith(`${PETS}    post:
      responses:
        '201':
          description: ok
`);
    const r = diff(base, specWith(PETS));
    expect(r.findings.map((f) => [f.id, f.level, f.operation])).toEqual([['api-removed-without-deprecation', 'error', 'POST /pets']]);
  });

  it('judges removal of a deprecated endpoint by its sunset date', () => {
    const rev = specWith(PETS);
    expect(ids(diff(withItem('      deprecated: true\n'), rev))).toEqual(['api-path-removed-with-deprecation']);
    expect(ids(diff(withItem("      deprecated: true\n      x-sunset: '2029-12-31'\n"), rev))).toEqual([]);
    expect(ids(diff(withItem("      deprecated: true\n      x-sunset: '2030-01-15'\n"), rev))).toEqual([]);
    expect(ids(diff(withItem("      deprecated: true\n      x-sunset: '2030-01-16'\n"), rev))).toEqual(['api-path-removed-before-sunset']);
    expect(ids(diff(withItem("      deprecated: true\n      x-sunset: '2031-02-30'\n"), rev))).toEqual(['api-path-sunset-parse']);
  });

  it('lets draft and alpha endpoints go without a finding', () => {
    const rev = specWith(PETS);
    expect(ids(diff(withItem('      x-stability-level: alpha\n'), rev))).toEqual([]);
    expect(ids(diff(withItem('      x-stability-level: draft\n'), rev))).toEqual([]);
    expect(ids(diff(withItem('      x-stability-level: beta\n'), rev))).toEqual(['api-path-removed-without-deprecation']);
  });

  it('reports operationId and tag changes', () => {
    const rev = specWith(PETS.replace('operationId: listPets', 'operationId: getPets').replace('tags: [pets]', 'tags: [animals]'));
    const r = diff(specWith(PETS), rev);
    expect(ids(r)).toEqual(['api-operation-id-removed', 'api-tag-added', 'api-tag-removed']);
    expect(r.findings.find((f) => f.id === 'api-tag-added')?.location?.line).toBe(lineOf(rev, 'tags:'));
    const added = diff(specWith(PETS.replace('      operationId: listPets\n', '')), specWith(PETS));
    expect(added.findings.map((f) => [f.id, f.level, f.operation])).toEqual([['api-operation-id-added', 'info', 'GET /pets']]);
  });

  it('reports webhooks added and removed', () => {
    const hook = (name: string) => `  ${name}:
    post:
      responses:
        '200':
          description: ok
`;
    const base = specWith(PETS, `webhooks:\n${hook('petAdded')}${hook('petSold')}`, '3.1.0');
    const rev = specWith(PETS, `webhooks:\n${hook('petAdded')}${hook('petAdopted')}`, '3.1.0');
    const r = diff(base, rev);
    expect(r.findings.map((f) => [f.id, f.level, f.location?.line])).toEqual([
      ['webhook-removed', 'error', lineOf(base, 'petSold:')],
      ['webhook-added', 'info', lineOf(rev, 'petAdopted:')],
    ]);
    expect(diff(base, base).findings).toEqual([]);
  });

  it('reports a named schema dropped from components', () => {
    const schemas = (names: string[]) => `components:\n  schemas:\n${names.map((n) => `    ${n}:\n      type: object\n`).join('')}`;
    const base = specWith(PETS, schemas(['Pet', 'Owner']));
    const r = diff(base, specWith(PETS, schemas(['Pet'])));
    expect(r.findings.map((f) => [f.id, f.level, f.location?.line])).toEqual([['api-schema-removed', 'info', lineOf(base, 'Owner:')]]);
  });
});
