import { describe, expect, it } from '@jest/globals';
import { findingsMatching, lineOf, specWith } from '../helpers.js';

const MINE = /-(max|min|exclusive-max|exclusive-min|max-length|min-length|max-items|min-items)-(set|unset|increased|decreased)$|-pattern-(added|removed|changed|generalized)$/;

/** POST /items with a query parameter `q`, a JSON request body and a 200 JSON response. */
function spec(o: { param?: string; body?: string; resp?: string; version?: string }): string {
  const param = o.param ?? '            type: string';
  const body = o.body ?? '              type: object';
  const resp = o.resp ?? '                type: object';
  return specWith(
    `  /items:
    post:
      parameters:
        - in: query
          name: q
          schema:
${param}
      requestBody:
        content:
          application/json:
            schema:
${body}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
${resp}
`,
    '',
    o.version ?? '3.0.3',
  );
}

const mine = (base: string, rev: string) => findingsMatching(base, rev, MINE);

const bodyWith = (prop: string) => `              type: object
              properties:
                name:
                  type: string
${prop}`;
const respWith = (prop: string) => `                type: object
                properties:
                  count:
                    type: integer
${prop}`;

describe('schema-constraints family', () => {
  it('reports nothing when nothing changed', () => {
    const a = spec({ param: '            type: string\n            maxLength: 10\n            pattern: "^[a-z]+$"', body: bodyWith('                  minLength: 2') });
    expect(mine(a, a)).toEqual([]);
  });

  it('reports a request parameter maxLength decrease as an error on the operation, at the revision line', () => {
    const base = spec({ param: '            type: string\n            maxLength: 10' });
    const rev = spec({ param: '            type: string\n            maxLength: 5' });
    const f = mine(base, rev);
    expect(f.map((x) => [x.id, x.level, x.operation])).toEqual([['request-parameter-max-length-decreased', 'error', 'POST /items']]);
    expect(f[0]!.message).toContain('maxLength decreased from 10 to 5');
    expect(f[0]!.location?.line).toBe(lineOf(rev, 'maxLength: 5'));
    expect(f[0]!.data).toMatchObject({ from: 10, to: 5 });
  });

  it('judges the mirror directions from the registry: widening a request is info, widening a response is an error', () => {
    const base = spec({ body: bodyWith('                  maxLength: 10'), resp: respWith('                    maximum: 10') });
    const rev = spec({ body: bodyWith('                  maxLength: 20'), resp: respWith('                    maximum: 20') });
    expect(mine(base, rev).map((x) => [x.id, x.level]).sort()).toEqual([
      ['request-property-max-length-increased', 'info'],
      ['response-property-max-increased', 'error'],
    ]);
    // The narrowing direction: an error for the request, nothing oasdiff defines for the response.
    expect(mine(rev, base).map((x) => [x.id, x.level])).toEqual([['request-property-max-length-decreased', 'error']]);
  });

  it('reports a bound set on a request as a warning and minItems unset on a response as an error', () => {
    const base = spec({ body: '              type: object', resp: '                type: array\n                items:\n                  type: string\n                minItems: 1' });
    const rev = spec({ body: '              type: object\n              maximum: 15', resp: '                type: array\n                items:\n                  type: string' });
    const f = mine(base, rev);
    expect(f.map((x) => [x.id, x.level]).sort()).toEqual([
      ['request-body-max-set', 'warning'],
      ['response-body-min-items-unset', 'error'],
    ]);
    expect(f.find((x) => x.id === 'response-body-min-items-unset')!.location?.line).toBe(lineOf(base, 'minItems: 1'));
  });

  it('uses the read-only variant for a readOnly request property tightened', () => {
    const base = spec({ body: bodyWith('                  maxLength: 10\n                  readOnly: true') });
    const rev = spec({ body: bodyWith('                  maxLength: 5\n                  readOnly: true') });
    expect(mine(base, rev).map((x) => [x.id, x.level])).toEqual([['request-read-only-property-max-length-decreased', 'info']]);
  });

  it('handles 3.1 numeric exclusive bounds', () => {
    const base = spec({ version: '3.1.0', param: '            type: integer\n            exclusiveMinimum: 0\n            exclusiveMaximum: 100' });
    const rev = spec({ version: '3.1.0', param: '            type: integer\n            exclusiveMinimum: 5\n            exclusiveMaximum: 50' });
    expect(mine(base, rev).map((x) => x.id).sort()).toEqual(['request-parameter-exclusive-max-decreased', 'request-parameter-exclusive-min-increased']);
  });

  it('reads the 3.0 boolean exclusive form: turning it on sets an exclusive bound, respelling it in 3.1 is no change', () => {
    const incl = spec({ param: '            type: integer\n            maximum: 10' });
    const excl30 = spec({ param: '            type: integer\n            maximum: 10\n            exclusiveMaximum: true' });
    const excl31 = spec({ version: '3.1.0', param: '            type: integer\n            exclusiveMaximum: 10' });
    expect(mine(incl, excl30).map((x) => [x.id, x.level])).toEqual([['request-parameter-exclusive-max-set', 'warning']]);
    expect(mine(excl30, incl).map((x) => x.id)).toEqual([]);
    expect(mine(excl30, excl31)).toEqual([]);
    const lower = spec({ param: '            type: integer\n            maximum: 5\n            exclusiveMaximum: true' });
    expect(mine(excl30, lower).map((x) => x.id)).toEqual(['request-parameter-exclusive-max-decreased']);
  });

  it('reports item counts of array parameters, also when written on the items schema', () => {
    const base = spec({ param: '            type: array\n            items:\n              type: string\n            maxItems: 20' });
    const rev = spec({ param: '            type: array\n            items:\n              type: string\n            maxItems: 10' });
    expect(mine(base, rev).map((x) => [x.id, x.level])).toEqual([['request-parameter-max-items-decreased', 'error']]);
    const misplacedBase = spec({ param: '            type: array\n            items:\n              type: string\n              maxItems: 20' });
    const misplacedRev = spec({ param: '            type: array\n            items:\n              type: string\n              maxItems: 30' });
    expect(mine(misplacedBase, misplacedRev).map((x) => [x.id, x.level])).toEqual([['request-parameter-max-items-increased', 'info']]);
  });

  it('classifies pattern changes: added, removed, changed, generalized to .*', () => {
    const none = spec({ body: bodyWith("                  pattern: ''") });
    const az = spec({ body: bodyWith('                  pattern: "^[a-z]+$"') });
    const digits = spec({ body: bodyWith('                  pattern: "^[0-9]+$"') });
    const any = spec({ body: bodyWith('                  pattern: ".*"') });
    expect(mine(none, az).map((x) => [x.id, x.level])).toEqual([['request-property-pattern-added', 'error']]);
    expect(mine(az, none).map((x) => [x.id, x.level])).toEqual([['request-property-pattern-removed', 'info']]);
    expect(mine(az, digits).map((x) => [x.id, x.level])).toEqual([['request-property-pattern-changed', 'warning']]);
    expect(mine(az, any).map((x) => [x.id, x.level])).toEqual([['request-property-pattern-generalized', 'info']]);
  });

  it('reports a nested change once per operation reaching it through a shared $ref', () => {
    const comp = (n: number) => `components:
  schemas:
    Name:
      type: string
      minLength: ${n}
`;
    const text = (n: number) =>
      specWith(
        `  /a:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name:
                  $ref: '#/components/schemas/Name'
      responses:
        '200':
          description: ok
  /b:
    put:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name:
                  $ref: '#/components/schemas/Name'
      responses:
        '200':
          description: ok
`,
        comp(n),
      );
    const f = mine(text(1), text(3));
    expect(f.map((x) => [x.id, x.operation]).sort()).toEqual([
      ['request-property-min-length-increased', 'POST /a'],
      ['request-property-min-length-increased', 'PUT /b'],
    ]);
    expect(f[0]!.location?.line).toBe(lineOf(text(3), 'minLength: 3'));
  });
  it('reads an absent minLength as 0: setting one on a request raises it, dropping one from a response lowers it', () => {
    const base = spec({ body: bodyWith(''), resp: respWith('                  code:\n                    type: string\n                    minLength: 3') });
    const rev = spec({ body: bodyWith('                  minLength: 12'), resp: respWith('                  code:\n                    type: string') });
    const f = mine(base, rev);
    expect(f.map((x) => [x.id, x.level, x.operation]).sort()).toEqual([
      ['request-property-min-length-increased', 'error', 'POST /items'],
      ['response-property-min-length-decreased', 'error', 'POST /items'],
    ]);
    expect(f.find((x) => x.id.startsWith('request'))!.location?.line).toBe(lineOf(rev, 'minLength: 12'));
    // The dropped keyword is shown where it was: in the base.
    const dropped = f.find((x) => x.id.startsWith('response'))!;
    expect(dropped.location?.file).toMatch(/base\.yaml$/);
    expect(dropped.location?.line).toBe(lineOf(base, 'minLength: 3'));
    expect(dropped.message).toContain('minLength 3 removed');
  });

  it('never fails the gate for a readOnly request property, which clients do not send', () => {
    const base = spec({ body: bodyWith('                  readOnly: true') });
    const rev = spec({ body: bodyWith('                  readOnly: true\n                  minLength: 3\n                  maxItems: 2') });
    expect(mine(base, rev)).toEqual([]);
    // The same property in the response is judged as usual.
    const rbase = spec({ resp: respWith('                  id:\n                    type: string\n                    readOnly: true\n                    minLength: 3') });
    const rrev = spec({ resp: respWith('                  id:\n                    type: string\n                    readOnly: true') });
    expect(mine(rbase, rrev).map((x) => [x.id, x.level])).toEqual([['response-property-min-length-decreased', 'error']]);
  });
});
