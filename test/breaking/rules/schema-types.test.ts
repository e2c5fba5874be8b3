import { describe, expect, it } from '@jest/globals';
import { diffTexts, findingsMatching, idLevels, lineOf, specWith } from '../helpers.js';

const MINE = /-(type-changed|type-generalized|type-specialized|type-compatible|list-of-types-narrowed|list-of-types-widened|became-nullable|became-not-nullable|const-added|const-changed|const-removed|default-value-added|default-value-changed|default-value-removed|became-enum|enum-value-added|enum-value-removed|x-extensible-enum-value-removed)$/;

/** POST /items with a parameter, a request body (media type `mt`) and a 200 response of the same media type. */
function spec(o: { param?: string; paramIn?: string; body?: string; resp?: string; mt?: string; version?: string }): string {
  const mt = o.mt ?? 'application/json';
  return specWith(
    `  /items:
    post:
      parameters:
        - in: ${o.paramIn ?? 'query'}
          name: q
          schema:
${o.param ?? '            type: string'}
      requestBody:
        content:
          ${mt}:
            schema:
${o.body ?? '              type: object'}
      responses:
        '200':
          description: ok
          content:
            ${mt}:
              schema:
${o.resp ?? '                type: object'}
`,
    '',
    o.version ?? '3.0.3',
  );
}

const mine = (base: string, rev: string) => idLevels(findingsMatching(base, rev, MINE));

const prop = (lines: string, indent = 18) =>
  `${' '.repeat(indent - 4)}type: object\n${' '.repeat(indent - 4)}properties:\n${' '.repeat(indent - 2)}v:\n${lines.replace(/^/gm, ' '.repeat(indent))}`;
const bodyProp = (lines: string) => prop(lines, 18);
const respProp = (lines: string) => prop(lines, 20);

describe('schema-types family', () => {
  it('reports nothing when nothing changed', () => {
    const a = spec({ param: '            type: integer\n            enum: [1, 2]\n            default: 1', body: bodyProp('type: string\nnullable: true\nconst: x') });
    expect(mine(a, a)).toEqual([]);
  });

  it('classifies request body type changes: changed, generalized (integer to number), format widening', () => {
    expect(mine(spec({ body: bodyProp('type: integer') }), spec({ body: bodyProp('type: string') }))).toEqual([['request-property-type-changed', 'error']]);
    expect(mine(spec({ body: bodyProp('type: integer') }), spec({ body: bodyProp('type: number') }))).toEqual([['request-property-type-generalized', 'info']]);
    expect(mine(spec({ body: bodyProp('type: integer\nformat: int32') }), spec({ body: bodyProp('type: integer\nformat: int64') }))).toEqual([['request-property-type-generalized', 'info']]);
    expect(mine(spec({ body: bodyProp('type: integer\nformat: int64') }), spec({ body: bodyProp('type: integer\nformat: int32') }))).toEqual([['request-property-type-changed', 'error']]);
  });

  it('mirrors the verdicts for responses: widening is an error, narrowing is informational', () => {
    expect(mine(spec({ resp: respProp('type: integer') }), spec({ resp: respProp('type: number') }))).toEqual([['response-property-type-generalized', 'error']]);
    expect(mine(spec({ resp: respProp('type: number') }), spec({ resp: respProp('type: integer') }))).toEqual([['response-property-type-specialized', 'info']]);
    expect(mine(spec({ resp: '                type: string' }), spec({ resp: '                type: object' }))).toEqual([['response-body-type-changed', 'error']]);
  });

  it('treats a type swap in a loosely typed (non-JSON) body as compatible', () => {
    const base = spec({ mt: 'application/xml', body: '              type: object' });
    const rev = spec({ mt: 'application/xml', body: '              type: string' });
    expect(mine(base, rev)).toEqual([['request-body-type-compatible', 'info']]);
  });

  it('judges parameter type changes as text, and object parameter properties both ways', () => {
    expect(mine(spec({ param: '            type: integer' }), spec({ param: '            type: string' }))).toEqual([['request-parameter-type-generalized', 'info']]);
    expect(mine(spec({ param: '            type: string' }), spec({ param: '            type: integer' }))).toEqual([['request-parameter-type-changed', 'error']]);
    const obj = (t: string) => spec({ param: `            type: object\n            properties:\n              id:\n                type: ${t}` });
    expect(mine(obj('number'), obj('string'))).toEqual([['request-parameter-property-type-changed', 'warning']]);
    expect(mine(obj('string'), obj('number'))).toEqual([['request-parameter-property-type-specialized', 'error']]);
    expect(mine(obj('integer'), obj('number'))).toEqual([['request-parameter-property-type-generalized', 'info']]);
  });

  it('accepts a scalar query parameter becoming a form/explode array of the same values, not a constrained one', () => {
    const scalar = spec({ version: '3.1.0', param: '            type: [string, integer]' });
    const arr = spec({ version: '3.1.0', param: '            type: array\n            items:\n              type: string' });
    const constrained = spec({ version: '3.1.0', param: "            type: array\n            items:\n              type: string\n              pattern: '^[a-z]+$'" });
    expect(mine(scalar, arr)).toEqual([['request-parameter-type-generalized', 'info']]);
    expect(mine(scalar, constrained)).toEqual([['request-parameter-type-changed', 'error']]);
    // A header parameter is not form/explode: the same change breaks.
    expect(mine(spec({ paramIn: 'header', param: '            type: string' }), spec({ paramIn: 'header', param: '            type: array\n            items:\n              type: string' }))).toEqual([
      ['request-parameter-type-changed', 'error'],
    ]);
  });

  it('reports the list-of-types pattern instead of a type change', () => {
    const single = spec({ body: bodyProp('type: string') });
    const list = spec({ body: bodyProp('oneOf:\n  - type: string\n  - type: integer') });
    expect(mine(single, list)).toEqual([['request-property-list-of-types-widened', 'info']]);
    expect(mine(list, single)).toEqual([['request-property-list-of-types-narrowed', 'error']]);
  });

  it('reports nullability in the 3.0 and 3.1 spellings, and no type change for a null-only change', () => {
    expect(mine(spec({ body: bodyProp('type: string\nnullable: true') }), spec({ body: bodyProp('type: string') }))).toEqual([['request-property-became-not-nullable', 'error']]);
    expect(mine(spec({ version: '3.1.0', resp: respProp('type: string') }), spec({ version: '3.1.0', resp: respProp("type: [string, 'null']") }))).toEqual([
      ['response-property-became-nullable', 'error'],
    ]);
    expect(mine(spec({ version: '3.1.0', body: '              type: object' }), spec({ version: '3.1.0', body: "              type: [object, 'null']" }))).toEqual([
      ['request-body-became-nullable', 'info'],
    ]);
  });

  it('reports const and default changes', () => {
    expect(mine(spec({ resp: respProp('type: string\nconst: ok') }), spec({ resp: respProp('type: string\nconst: done') }))).toEqual([['response-property-const-changed', 'error']]);
    expect(mine(spec({ body: bodyProp('type: string') }), spec({ body: bodyProp('type: string\nconst: x') }))).toEqual([['request-property-const-added', 'error']]);
    expect(mine(spec({ param: '            type: string\n            default: a' }), spec({ param: '            type: string\n            default: b' }))).toEqual([
      ['request-parameter-default-value-changed', 'error'],
    ]);
    expect(mine(spec({ body: bodyProp('type: number\ndefault: 10') }), spec({ body: bodyProp('type: number') }))).toEqual([['request-property-default-value-removed', 'info']]);
  });

  it('reports enum changes per position, with the value and its line', () => {
    const base = spec({ param: '            type: string\n            enum: [a, b, c]', resp: respProp('type: string\nenum: [x, y]') });
    const rev = spec({ param: '            type: string\n            enum: [a, c, d]', resp: respProp('type: string\nenum: [x, y, z]') });
    expect(mine(base, rev)).toEqual([
      ['request-parameter-enum-value-added', 'info'],
      ['request-parameter-enum-value-removed', 'error'],
      ['response-property-enum-value-added', 'warning'],
    ]);
    const removed = diffTexts(base, rev).findings.find((f) => f.id === 'request-parameter-enum-value-removed')!;
    expect(removed.message).toContain("'b'");
    expect(removed.operation).toBe('POST /items');
    expect(removed.location?.line).toBe(base.split('\n').findIndex((l) => l.includes('enum: [a, b, c]')) + 1);
    // The response body itself has its own historical id.
    expect(mine(spec({ resp: '                type: string\n                enum: [x, y]' }), spec({ resp: '                type: string\n                enum: [x]' }))).toEqual([
      ['response-mediatype-enum-value-removed', 'info'],
    ]);
  });

  it('reports became-enum, header parameter properties under their own id, and compares object enum values deeply', () => {
    expect(mine(spec({ body: bodyProp('type: string') }), spec({ body: bodyProp('type: string\nenum: [a]') }))).toEqual([['request-property-became-enum', 'error']]);
    const header = (e: string) => spec({ paramIn: 'header', param: `            type: object\n            properties:\n              name:\n                type: string${e}` });
    expect(mine(header(''), header('\n                enum: [A, B]'))).toEqual([['request-header-property-became-enum', 'error']]);
    const objEnum = (order: string) => spec({ param: `            type: string\n            enum:\n              - basement\n              - ${order}` });
    expect(mine(objEnum('{x: 1, y: 2}'), objEnum('{y: 2, x: 1}'))).toEqual([]);
  });

  it('reports values removed from x-extensible-enum in requests', () => {
    const base = spec({ body: bodyProp('type: string\nx-extensible-enum: [a, b]') });
    const rev = spec({ body: bodyProp('type: string\nx-extensible-enum: [a]') });
    expect(mine(base, rev)).toEqual([['request-property-x-extensible-enum-value-removed', 'error']]);
  });

  it('uses the readOnly / writeOnly variants where oasdiff has them', () => {
    expect(mine(spec({ body: bodyProp('type: string\nreadOnly: true\nenum: [a, b]') }), spec({ body: bodyProp('type: string\nreadOnly: true\nenum: [a]') }))).toEqual([
      ['request-read-only-property-enum-value-removed', 'info'],
    ]);
    expect(mine(spec({ resp: respProp('type: string\nwriteOnly: true\nenum: [a]') }), spec({ resp: respProp('type: string\nwriteOnly: true\nenum: [a, b]') }))).toEqual([
      ['response-write-only-property-enum-value-added', 'info'],
    ]);
  });
  it('ignores a type or format change of a readOnly request property (the response still reports it)', () => {
    const base = spec({ body: bodyProp('type: string\nformat: date-time\nreadOnly: true'), resp: respProp('type: string\nformat: date-time\nreadOnly: true') });
    const rev = spec({ body: bodyProp('type: string\nformat: date\nreadOnly: true'), resp: respProp('type: integer\nreadOnly: true') });
    expect(mine(base, rev)).toEqual([['response-property-type-changed', 'error']]);
  });
  it('points a list-of-types change at the oneOf/anyOf that lists the types', () => {
    const base = spec({ version: '3.1.0', param: '            oneOf:\n              - type: string\n              - type: integer' });
    const rev = spec({ version: '3.1.0', param: '            oneOf:\n              - type: string' });
    const f = findingsMatching(base, rev, MINE);
    expect(f.map((x) => [x.id, x.level, x.operation])).toEqual([['request-parameter-list-of-types-narrowed', 'error', 'POST /items']]);
    expect(f[0]!.location?.line).toBe(lineOf(rev, 'oneOf:'));
  });
});
