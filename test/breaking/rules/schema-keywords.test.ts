import { describe, expect, it } from '@jest/globals';
import { diffTexts, findingsMatching, ids, lineOf, specWith } from '../helpers.js';

const MINE = /-(if|then|else|contains|min-contains|max-contains|prefix-items|unevaluated-items|unevaluated-properties|dependent-required|dependent-schema|property-names|pattern-property|content-schema|content-media-type|content-encoding)-(added|removed|increased|decreased|changed)$/;

/** A 3.1 spec with one POST /items whose request body and 200 response use the given schemas (YAML, indented 14). */
function spec(request: string, response = request, components = ''): string {
  return specWith(
    `  /items:
    post:
      requestBody:
        content:
          application/json:
            schema:
${request}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
${response.replace(/^/gm, '  ')}
`,
    components,
    '3.1.0',
  );
}

const mine = (base: string, rev: string) => findingsMatching(base, rev, MINE);

const ARRAY = `              type: array
              items:
                type: integer`;

describe('schema-keywords family', () => {
  it('reports nothing when nothing changed, nor when only key order changes', () => {
    const a = spec(`${ARRAY}
              contains: {type: integer}
              minContains: 1
              prefixItems: [{type: integer}]`);
    expect(ids(diffTexts(a, a))).toEqual([]);
    const b = spec(`              type: object
              dependentRequired:
                name: [email, phone]
              contentMediaType: text/plain`);
    const c = spec(`              type: object
              contentMediaType: text/plain
              dependentRequired:
                name: [phone, email]`);
    expect(mine(b, c)).toEqual([]);
  });

  it('contains added: breaking for the request, informational for the response, at the revision line', () => {
    const base = spec(ARRAY);
    const rev = spec(`${ARRAY}
              contains:
                type: integer`);
    const f = mine(base, rev);
    expect(f.map((x) => [x.id, x.level]).sort()).toEqual([
      ['request-body-contains-added', 'error'],
      ['response-body-contains-added', 'info'],
    ]);
    const req = f.find((x) => x.id === 'request-body-contains-added')!;
    expect(req.operation).toBe('POST /items');
    expect(req.location?.line).toBe(lineOf(rev, 'contains:', 1));
    expect(req.message).toContain('request body');
    expect(req.message).toContain('`contains` subschema added');
    const res = f.find((x) => x.id === 'response-body-contains-added')!;
    expect(res.location?.line).toBe(lineOf(rev, 'contains:', 2));
  });

  it('contains removed: breaking for the response, located in the base', () => {
    const base = spec(`${ARRAY}
              contains:
                type: integer`);
    const f = mine(base, spec(ARRAY));
    expect(f.map((x) => [x.id, x.level]).sort()).toEqual([
      ['request-body-contains-removed', 'info'],
      ['response-body-contains-removed', 'error'],
    ]);
    const res = f.find((x) => x.id === 'response-body-contains-removed')!;
    expect(res.location?.line).toBe(lineOf(base, 'contains:', 2));
    expect(res.location?.file).toMatch(/base\.yaml$/);
  });

  it('minContains raised and maxContains lowered narrow the request; the mirror holds for the response', () => {
    const base = spec(`${ARRAY}
              contains: {type: integer}
              minContains: 1
              maxContains: 5`);
    const rev = spec(`${ARRAY}
              contains: {type: integer}
              minContains: 2
              maxContains: 3`);
    const f = mine(base, rev);
    expect(f.map((x) => [x.id, x.level]).sort()).toEqual([
      ['request-body-max-contains-decreased', 'error'],
      ['request-body-min-contains-increased', 'error'],
      ['response-body-max-contains-decreased', 'info'],
      ['response-body-min-contains-increased', 'info'],
    ]);
    const min = f.find((x) => x.id === 'request-body-min-contains-increased')!;
    expect(min.message).toContain('minContains increased from 1 to 2');
    expect(min.data).toMatchObject({ from: 1, to: 2, narrows: true });
    expect(min.location?.line).toBe(lineOf(rev, 'minContains: 2'));
  });

  it('if/then/else added on a nested property uses the property prefix', () => {
    const base = spec(`              type: object
              properties:
                item:
                  type: object`);
    const rev = spec(`              type: object
              properties:
                item:
                  type: object
                  if: {required: [kind]}
                  then: {required: [size]}
                  else: {required: [name]}`);
    const f = mine(base, rev);
    expect(f.map((x) => `${x.id}:${x.level}`).sort()).toEqual([
      'request-property-else-added:error',
      'request-property-if-added:error',
      'request-property-then-added:error',
      'response-property-else-added:info',
      'response-property-if-added:info',
      'response-property-then-added:info',
    ]);
    expect(f.find((x) => x.id === 'request-property-if-added')!.message).toContain("request property 'item'");
  });

  it('patternProperties, dependentSchemas and dependentRequired entries are compared by key', () => {
    const base = spec(`              type: object
              patternProperties:
                '^x-': {type: string}
              dependentSchemas:
                card: {required: [billing]}
              dependentRequired:
                name: [email]
                city: [zip]`);
    const rev = spec(`              type: object
              patternProperties:
                '^y-': {type: string}
              dependentSchemas:
                card: {required: [billing, cvv]}
              dependentRequired:
                name: [email, phone]
                city: [zip]
                street: [city]`);
    const f = mine(base, rev);
    expect(f.map((x) => `${x.id}:${x.level}`).sort()).toEqual([
      'request-body-dependent-required-added:error',
      'request-body-dependent-required-changed:error',
      'request-body-pattern-property-added:error',
      'request-body-pattern-property-removed:info',
      'response-body-dependent-required-added:info',
      'response-body-dependent-required-changed:error',
      'response-body-pattern-property-added:info',
      'response-body-pattern-property-removed:error',
    ]);
    const changed = f.find((x) => x.id === 'request-body-dependent-required-changed')!;
    expect(changed.message).toContain("dependentRequired entry 'name' changed: added phone");
    expect(changed.data).toMatchObject({ key: 'name', from: ['email'], to: ['email', 'phone'] });
    expect(f.find((x) => x.id === 'request-body-pattern-property-removed')!.message).toContain("'^x-' removed");
  });

  it('dependentSchemas entry removed and added', () => {
    const base = spec(`              type: object
              dependentSchemas:
                card: {required: [billing]}`);
    const rev = spec(`              type: object
              dependentSchemas:
                bank: {required: [iban]}`);
    expect(mine(base, rev).map((x) => `${x.id}:${x.level}`).sort()).toEqual([
      'request-body-dependent-schema-added:error',
      'request-body-dependent-schema-removed:info',
      'response-body-dependent-schema-added:info',
      'response-body-dependent-schema-removed:error',
    ]);
  });

  it('prefixItems entries added and removed by position', () => {
    const one = spec(`${ARRAY}
              prefixItems:
                - type: integer`);
    const two = spec(`${ARRAY}
              prefixItems:
                - type: integer
                - type: string`);
    expect(mine(one, two).map((x) => `${x.id}:${x.level}`).sort()).toEqual([
      'request-body-prefix-items-added:info',
      'response-body-prefix-items-added:error',
    ]);
    expect(mine(two, spec(ARRAY)).map((x) => `${x.id}:${x.level}`).sort()).toEqual([
      'request-body-prefix-items-removed:error',
      'response-body-prefix-items-removed:info',
    ]);
  });

  it('unevaluated*, propertyNames and contentSchema are reported by presence (boolean schemas count)', () => {
    const base = spec(`              type: object`);
    const rev = spec(`              type: object
              unevaluatedProperties: false
              unevaluatedItems: {type: string}
              propertyNames: {pattern: '^[a-z]+$'}`);
    expect(mine(base, rev).map((x) => x.id).sort()).toEqual([
      'request-body-property-names-added',
      'request-body-unevaluated-items-added',
      'request-body-unevaluated-properties-added',
      'response-body-property-names-added',
      'response-body-unevaluated-items-added',
      'response-body-unevaluated-properties-added',
    ]);
  });

  it('contentMediaType / contentEncoding changed and contentSchema added on a property', () => {
    const base = spec(`              type: object
              properties:
                file:
                  type: string
                  contentMediaType: application/json
                  contentEncoding: base64`);
    const rev = spec(`              type: object
              properties:
                file:
                  type: string
                  contentMediaType: text/plain
                  contentSchema: {type: string}`);
    const f = mine(base, rev);
    expect(f.map((x) => `${x.id}:${x.level}`).sort()).toEqual([
      'request-property-content-encoding-changed:error',
      'request-property-content-media-type-changed:error',
      'request-property-content-schema-added:error',
      'response-property-content-encoding-changed:error',
      'response-property-content-media-type-changed:error',
      'response-property-content-schema-added:info',
    ]);
    const mt = f.find((x) => x.id === 'request-property-content-media-type-changed')!;
    expect(mt.message).toContain("contentMediaType changed from 'application/json' to 'text/plain'");
    expect(mt.location?.line).toBe(lineOf(rev, 'contentMediaType: text/plain'));
    const enc = f.find((x) => x.id === 'request-property-content-encoding-changed')!;
    expect(enc.message).toContain("from 'base64' to none");
    expect(enc.location?.file).toMatch(/base\.yaml$/);
  });

  it('a shared $ref schema is reported once per place with the right prefix', () => {
    const ref = `              $ref: '#/components/schemas/Tags'`;
    const base = spec(ref, ref, `components:\n  schemas:\n    Tags:\n      type: array\n      items: {type: string}\n`);
    const rev = spec(ref, ref, `components:\n  schemas:\n    Tags:\n      type: array\n      items: {type: string}\n      contains: {const: main}\n`);
    const f = mine(base, rev);
    expect(f.map((x) => x.id).sort()).toEqual(['request-body-contains-added', 'response-body-contains-added']);
    expect(f[0]!.location?.line).toBe(lineOf(rev, 'contains:'));
  });

  it('parameter schemas have no such rules and report nothing', () => {
    const p = (extra: string) =>
      specWith(
        `  /items:
    get:
      parameters:
        - name: tags
          in: query
          schema:
            type: array
            items: {type: string}${extra}
      responses:
        '200':
          description: ok
`,
        '',
        '3.1.0',
      );
    expect(mine(p(''), p('\n            contains: {const: a}'))).toEqual([]);
  });

  it('locates scalar keywords, also through YAML aliases', () => {
    const mk = (n: number) =>
      specWith(
        `  /items:
    post:
      requestBody:
        content:
          application/json:
            schema: &list
              type: array
              contains: {type: integer}
              minContains: ${n}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: *list
`,
        '',
        '3.1.0',
      );
    const rev = mk(3);
    const f = mine(mk(1), rev);
    expect(f.map((x) => x.id).sort()).toEqual(['request-body-min-contains-increased', 'response-body-min-contains-increased']);
    for (const x of f) expect(x.location?.line).toBe(lineOf(rev, 'minContains: 3'));
  });
});
