import { describe, expect, it } from '@jest/globals';
import { diffTexts, findingsMatching, idLevels, lineOf, specWith } from '../helpers.js';

const MINE =
  /^(new-(required|optional)-request-property(-with-default)?|request-property-(removed|became-(required(-with-default)?|optional))|response-(optional|required)(-write-only)?-property-(added|removed)|response-(write-only-)?property-became-(required|optional)|(request|response)-(required|optional)-property-became-(not-)?(read|write)-only)$/;

const mine = (base: string, rev: string) => findingsMatching(base, rev, MINE);

/** POST /pets whose request body and 200 response are the schema `Pet` (YAML under components/schemas/Pet, indented 6). */
function spec(pet: string): string {
  return specWith(
    `  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
`,
    `components:
  schemas:
    Pet:
${pet}`,
  );
}

/** A request-only spec: PUT /pets with the body schema given (indented 12). */
function requestSpec(schema: string): string {
  return specWith(`  /pets:
    put:
      requestBody:
        content:
          application/json:
            schema:
${schema}      responses:
        '204':
          description: ok
`);
}

/** A response-only spec: GET /pets returning the schema given (indented 14). */
function responseSpec(schema: string): string {
  return specWith(`  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
${schema}`);
}

const PET = `      type: object
      required: [name]
      properties:
        name: {type: string}
        tag: {type: string}
`;

describe('schema-properties family', () => {
  it('reports nothing when nothing changed', () => {
    expect(diffTexts(spec(PET), spec(PET)).findings).toEqual([]);
  });

  it('reports new request properties by required-ness, on the revision line, and ignores readOnly ones', () => {
    const base = requestSpec(`              type: object
              properties:
                name: {type: string}
`);
    const rev = requestSpec(`              type: object
              required: [name, age, kind, id]
              properties:
                name: {type: string}
                age: {type: integer}
                kind: {type: string, default: cat}
                note: {type: string}
                id: {type: string, readOnly: true}
`);
    const f = mine(base, rev);
    expect(idLevels(f)).toEqual([
      ['new-optional-request-property', 'info'],
      ['new-required-request-property', 'error'],
      ['new-required-request-property-with-default', 'error'],
      ['request-property-became-required', 'error'],
    ]);
    const age = f.find((x) => x.id === 'new-required-request-property')!;
    expect(age.operation).toBe('PUT /pets');
    expect(age.location?.line).toBe(lineOf(rev, 'age:'));
    expect(age.message).toBe("request body (application/json) has new required property 'age'");
  });

  it('reports removed request properties at the base line, except readOnly ones', () => {
    const base = requestSpec(`              type: object
              properties:
                name: {type: string}
                tag: {type: string}
                id: {type: string, readOnly: true}
`);
    const rev = requestSpec(`              type: object
              properties:
                name: {type: string}
`);
    const f = mine(base, rev);
    expect(idLevels(f)).toEqual([['request-property-removed', 'warning']]);
    expect(f[0]!.location?.line).toBe(lineOf(base, 'tag:'));
  });

  it('reports request required flips, with a default softening nothing', () => {
    const opt = requestSpec(`              type: object
              properties:
                name: {type: string}
                kind: {type: string, default: cat}
`);
    const req = requestSpec(`              type: object
              required: [name, kind]
              properties:
                name: {type: string}
                kind: {type: string, default: cat}
`);
    expect(idLevels(mine(opt, req))).toEqual([
      ['request-property-became-required', 'error'],
      ['request-property-became-required-with-default', 'error'],
    ]);
    expect(idLevels(mine(req, opt))).toEqual([
      ['request-property-became-optional', 'info'],
      ['request-property-became-optional', 'info'],
    ]);
  });

  it('reports response properties added and removed, keeping writeOnly ones informational', () => {
    const base = responseSpec(`                type: object
                required: [id, name]
                properties:
                  id: {type: string}
                  name: {type: string}
                  tag: {type: string}
                  secret: {type: string, writeOnly: true}
`);
    const rev = responseSpec(`                type: object
                required: [id, color]
                properties:
                  id: {type: string}
                  color: {type: string}
                  size: {type: integer}
                  password: {type: string, writeOnly: true}
`);
    const f = mine(base, rev);
    expect(idLevels(f)).toEqual([
      ['response-optional-property-added', 'info'],
      ['response-optional-property-removed', 'warning'],
      ['response-optional-write-only-property-added', 'info'],
      ['response-optional-write-only-property-removed', 'info'],
      ['response-required-property-added', 'info'],
      ['response-required-property-removed', 'error'],
    ]);
    const removed = f.find((x) => x.id === 'response-required-property-removed')!;
    expect(removed.operation).toBe('GET /pets');
    expect(removed.location?.line).toBe(lineOf(base, 'name:'));
    expect(removed.message).toContain("response body (200, application/json) no longer has required property 'name'");
  });

  it('reports response required flips: optional is breaking, required is not', () => {
    const req = responseSpec(`                type: object
                required: [id]
                properties:
                  id: {type: string}
`);
    const opt = responseSpec(`                type: object
                properties:
                  id: {type: string}
`);
    expect(idLevels(mine(req, opt))).toEqual([['response-property-became-optional', 'error']]);
    expect(idLevels(mine(opt, req))).toEqual([['response-property-became-required', 'info']]);
  });

  it('reports readOnly/writeOnly flips by direction and required-ness', () => {
    const base = spec(`      type: object
      required: [name]
      properties:
        name: {type: string, writeOnly: true}
        tag: {type: string}
`);
    const rev = spec(`      type: object
      required: [name]
      properties:
        name: {type: string}
        tag: {type: string, readOnly: true}
`);
    expect(idLevels(mine(base, rev))).toEqual([
      ['request-optional-property-became-read-only', 'info'],
      ['request-required-property-became-not-write-only', 'info'],
      ['response-optional-property-became-read-only', 'info'],
      ['response-required-property-became-not-write-only', 'warning'],
    ]);
  });

  it('finds properties below items, additionalProperties and allOf members, naming the holder', () => {
    const base = responseSpec(`                type: object
                properties:
                  list:
                    type: array
                    items:
                      type: object
                      properties:
                        a: {type: string}
                  map:
                    type: object
                    additionalProperties:
                      type: object
                      properties:
                        b: {type: string}
                  mixed:
                    allOf:
                      - type: object
                        required: [c]
                        properties:
                          c: {type: string}
`);
    const rev = responseSpec(`                type: object
                properties:
                  list:
                    type: array
                    items:
                      type: object
                      required: [a2]
                      properties:
                        a: {type: string}
                        a2: {type: string}
                  map:
                    type: object
                    additionalProperties:
                      type: object
                      properties: {}
                  mixed:
                    allOf:
                      - type: object
                        required: [c]
                        properties:
                          c: {type: string}
                          d: {type: string}
`);
    const f = mine(base, rev);
    expect(idLevels(f)).toEqual([
      ['response-optional-property-added', 'info'],
      ['response-optional-property-removed', 'warning'],
      ['response-required-property-added', 'info'],
    ]);
    expect(f.find((x) => x.id === 'response-required-property-added')!.message).toContain("response property 'list/items'");
    expect(f.find((x) => x.id === 'response-optional-property-removed')!.message).toContain("response property 'map/additionalProperties'");
  });

  it('does not report properties that moved into a oneOf wrapping as removed', () => {
    const base = requestSpec(`              type: object
              required: [a]
              properties:
                a: {type: string}
                b: {type: string}
`);
    const rev = requestSpec(`              oneOf:
                - type: object
                  required: [a]
                  properties:
                    a: {type: string}
                - type: object
                  required: [b]
                  properties:
                    b: {type: string}
`);
    expect(mine(base, rev)).toEqual([]);
  });
});

describe('where a property finding points', () => {
  it('points at the property under the object that gained or lost it, not at the schema its $ref names', () => {
    const base = spec(`      type: object
      properties:
        name: { type: string }
        old: { $ref: '#/components/schemas/Owner' }
    Owner:
      type: object
      properties:
        id: { type: string }
`);
    const rev = spec(`      type: object
      required: [owner]
      properties:
        name: { type: string }
        owner: { $ref: '#/components/schemas/Owner' }
    Owner:
      type: object
      properties:
        id: { type: string }
`);
    const found = mine(base, rev);
    const lineOfId = (id: string) => found.find((f) => f.id === id)?.location?.line;
    expect(lineOfId('new-required-request-property')).toBe(lineOf(rev, 'owner: {'));
    expect(lineOfId('response-required-property-added')).toBe(lineOf(rev, 'owner: {'));
    expect(lineOfId('request-property-removed')).toBe(lineOf(base, 'old: {'));
    expect(lineOfId('response-optional-property-removed')).toBe(lineOf(base, 'old: {'));
  });
});
