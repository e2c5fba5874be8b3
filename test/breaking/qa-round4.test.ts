// QA round 4: topics earlier rounds did not cover (properties moved into allOf members, oneOf ↔ anyOf with the same members, `items` dropped, and a
// large mixed pair). Each test states what a careful reviewer expects and failed before its fix.
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/kit/result.js';
import { diffTexts, lineOf, specWith } from './helpers.js';

/** [id, level, operation] of each finding, sorted. */
const summary = (findings: readonly Finding[]) => findings.map((f) => [f.id, f.level, f.operation ?? '']).sort((a, b) => (a.join() < b.join() ? -1 : 1));

const doc = (body: string, extra = '', version = '3.0.3') => `openapi: ${version}
info: {title: t, version: '1'}
paths:
${body}${extra}`;

const today = new Date('2026-06-01');

const petApi = (schemas: string) =>
  doc(
    `  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '201': {description: ok}
`,
    `components:
  schemas:
${schemas}`,
  );

const flatPet = `    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
        tag: {type: string}
`;
const composedPet = (tag = '{type: string}') => `    Base:
      type: object
      required: [id]
      properties:
        id: {type: integer, description: the id}
    Pet:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [name]
          properties:
            name: {type: string}
            tag: ${tag}
`;

describe('properties moved into allOf members', () => {
  it('is no change when the merged schema accepts the same instances (both directions)', () => {
    expect(diffTexts(petApi(flatPet), petApi(composedPet())).findings).toEqual([]);
    // Back again, only the component no longer used is reported.
    expect(summary(diffTexts(petApi(composedPet()), petApi(flatPet)).findings)).toEqual([['api-schema-removed', 'info', '']]);
  });

  it('a real change made in the same edit is still reported', () => {
    const r = diffTexts(petApi(flatPet), petApi(composedPet('{type: string, maxLength: 10}')));
    expect(r.findings.some((f) => f.id === 'request-property-max-length-set' || f.id === 'request-body-all-of-added')).toBe(true);
  });
});

const both = (schema: string, extra = '', version = '3.0.3') =>
  doc(
    `  /t:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  s: ${schema}
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                s: ${schema}
      responses:
        '200': {description: ok}
`,
    extra,
    version,
  );

describe('oneOf and anyOf with the same members', () => {
  const ab = `components:\n  schemas:\n    A: {type: object, properties: {a: {type: string}}}\n    B: {type: object, properties: {b: {type: string}}}\n`;
  const comp = (kw: string) => both(`{${kw}: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}`, ab);

  it('oneOf → anyOf: nothing in the request (it accepts more); the response still reports the members moved', () => {
    expect(summary(diffTexts(comp('oneOf'), comp('anyOf')).findings)).toEqual([
      ['response-property-any-of-added', 'info', 'GET /t'],
      ['response-property-one-of-removed', 'info', 'GET /t'],
    ]);
  });

  it('anyOf → oneOf: nothing in the response (it sends less); the request still reports the narrowing', () => {
    expect(summary(diffTexts(comp('anyOf'), comp('oneOf')).findings)).toEqual([
      ['request-property-any-of-removed', 'error', 'POST /t'],
      ['request-property-one-of-added', 'info', 'POST /t'],
    ]);
  });
});

describe('array items', () => {
  it('`items` dropped is a widening: generalized in the request, a breaking type change in the response, at the array', () => {
    const base = both('{type: array, items: {type: string}}');
    const rev = both('{type: array}');
    const r = diffTexts(base, rev);
    expect(summary(r.findings)).toEqual([
      ['request-property-type-generalized', 'info', 'POST /t'],
      ['response-property-type-changed', 'error', 'GET /t'],
    ]);
    expect(r.findings.find((f) => f.operation === 'GET /t')!.location?.line).toBe(lineOf(rev, 's: {type: array}'));
    expect(r.findings[0]!.message).toContain("'s/items'");
  });

  it('`items` added narrows the request and the response', () => {
    expect(summary(diffTexts(both('{type: array}'), both('{type: array, items: {type: integer}}')).findings)).toEqual([
      ['request-property-type-changed', 'error', 'POST /t'],
      ['response-property-type-specialized', 'info', 'GET /t'],
    ]);
  });
});

describe('a large mixed pair (34 operations)', () => {
  const resources = ['users', 'orders', 'invoices', 'products', 'carts', 'teams', 'projects', 'tickets'];
  const api = (rev: boolean) => {
    let paths = '';
    for (const r of resources) {
      const legacy = r === 'tickets';
      paths += `  /${r}:
    get:
      description: ${rev ? 'Lists them all.' : 'List.'}
${r === 'teams' ? `      x-stability-level: ${rev ? 'stable' : 'beta'}\n` : ''}      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Item'}}
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        '201': {description: ok}
  /${r}/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}, example: ${rev ? 'b2' : 'a1'}}
${legacy && rev ? '' : `    get:
${legacy ? "      deprecated: true\n      x-sunset: '2026-03-01'\n" : ''}      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
`}    delete:
      responses:
        '204': {description: gone}
`;
    }
    paths += `  /search:
    post:
      requestBody:
        content:
          application/json:
            schema: {${rev ? 'anyOf' : 'oneOf'}: [{$ref: '#/components/schemas/ByName'}, {$ref: '#/components/schemas/ById'}]}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {hits: {type: array${rev ? '' : ', items: {type: string}'}}}}
  /health:
    get:
      responses:
        '200': {description: ok}
`;
    const item = rev
      ? `    Named:
      type: object
      required: [name]
      properties:
        name: {type: string, description: display name}
    Item:
      allOf:
        - $ref: '#/components/schemas/Named'
        - type: object
          required: [id]
          properties:
            id: {type: string, readOnly: true}
            tags: {type: array, items: {type: string}}
`
      : `    Item:
      type: object
      required: [id, name]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        tags: {type: array, items: {type: string}}
`;
    return doc(
      paths,
      `components:
  schemas:
${item}    ByName: {type: object, required: [name], properties: {name: {type: string}}}
    ById: {type: object, required: [id], properties: {id: {type: string}}}
`,
    );
  };

  it('reports the stability raise and the items dropped, and nothing for the refactors', () => {
    const base = api(false);
    const rev = api(true);
    expect((base.match(/^ {4}(get|post|delete):/gm) ?? []).length).toBeGreaterThanOrEqual(34);
    const r = diffTexts(base, rev, { today });
    expect(summary(r.findings)).toEqual([
      ['api-stability-increased', 'info', 'GET /teams'],
      ['response-property-type-changed', 'error', 'POST /search'],
    ]);
    const items = r.findings.find((f) => f.operation === 'POST /search')!;
    expect(items.location?.line).toBe(lineOf(rev, 'hits: {type: array}'));
  });
});

describe('nullable with null in the enum', () => {
  it('a 3.0 enum that becomes nullable with null added is one change (became-nullable), not two', () => {
    const spec = (extra: string) =>
      specWith(`  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  color: {type: string, ${extra}}
`);
    const f = diffTexts(spec('enum: [red, green]'), spec('nullable: true, enum: [red, green, null]')).findings;
    expect(f.map((x) => x.id)).toEqual(['response-property-became-nullable']);
    // null added to an enum that was already nullable is still reported as a value added.
    const g = diffTexts(spec('nullable: true, enum: [red]'), spec('nullable: true, enum: [red, null]')).findings;
    expect(g.map((x) => x.id)).toEqual(['response-property-enum-value-added']);
  });
});
