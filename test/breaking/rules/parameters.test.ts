import { describe, expect, it } from '@jest/globals';
import { findingsMatching, lineOf, specWith } from '../helpers.js';

const MINE = /^(new-(required|optional)-request-(parameter|default-parameter-to-existing-path)|new-request-path-parameter|request-parameter-(removed|became-required|became-optional)|request-header-property-became-required|new-required-request-header-property)$/;

const mine = (base: string, rev: string) => findingsMatching(base, rev, MINE);

/** GET /pets/{id} with the given operation parameters (YAML list items indented 8) and path-level ones. */
function spec(opParams: string, pathParams = ''): string {
  return specWith(`  /pets/{id}:
    parameters:
      - name: id
        in: path
        required: true
        schema: {type: string}
${pathParams}    get:
      parameters:
        - name: keep
          in: query
          schema: {type: string}
${opParams}      responses:
        '200':
          description: ok
    post:
      responses:
        '201':
          description: ok
`);
}

const LIMIT_OPTIONAL = `        - name: limit
          in: query
          schema: {type: integer}
`;
const LIMIT_REQUIRED = `        - name: limit
          in: query
          required: true
          schema: {type: integer}
`;

describe('parameters family', () => {
  it('reports nothing when nothing changed, nor when a parameter moves between path item and operation', () => {
    expect(mine(spec(LIMIT_REQUIRED), spec(LIMIT_REQUIRED))).toEqual([]);
    const atPath = `      - name: trace
        in: header
        schema: {type: string}
`;
    const atOp = `        - name: Trace
          in: header
          schema: {type: string}
`;
    // GET had it at the path level; in the revision GET declares it itself (header names ignore case), POST keeps inheriting it.
    const base = spec('', atPath);
    const rev = spec(atOp, atPath);
    expect(mine(base, rev)).toEqual([]);
  });

  it('reports a new required parameter as an error and a new optional one as info, on the revision line', () => {
    const base = spec('');
    const rev = spec(LIMIT_REQUIRED);
    const f = mine(base, rev);
    expect(f.map((x) => [x.id, x.level, x.operation])).toEqual([['new-required-request-parameter', 'error', 'GET /pets/{id}']]);
    expect(f[0]!.location?.file).toMatch(/revision\.yaml$/);
    expect(f[0]!.location?.line).toBe(lineOf(rev, '- name: limit'));
    expect(f[0]!.message).toContain("query parameter 'limit'");

    const g = mine(base, spec(LIMIT_OPTIONAL));
    expect(g.map((x) => [x.id, x.level])).toEqual([['new-optional-request-parameter', 'info']]);
  });

  it('reports a parameter added at the path level once per existing operation', () => {
    const base = spec('');
    const rev = spec(
      '',
      `      - name: tenant
        in: header
        required: true
        schema: {type: string}
`,
    );
    const f = mine(base, rev);
    expect(f.map((x) => [x.id, x.level, x.operation]).sort()).toEqual([
      ['new-required-request-default-parameter-to-existing-path', 'error', 'GET /pets/{id}'],
      ['new-required-request-default-parameter-to-existing-path', 'error', 'POST /pets/{id}'],
    ]);
  });

  it('reports removal at the base line, and skips deprecated parameters (lifecycle rules judge those)', () => {
    const base = spec(LIMIT_OPTIONAL);
    const f = mine(base, spec(''));
    expect(f.map((x) => [x.id, x.level])).toEqual([['request-parameter-removed', 'warning']]);
    expect(f[0]!.location?.file).toMatch(/base\.yaml$/);
    expect(f[0]!.location?.line).toBe(lineOf(base, '- name: limit'));

    const deprecated = spec(`        - name: limit
          in: query
          deprecated: true
          schema: {type: integer}
`);
    expect(mine(deprecated, spec('')).filter((x) => x.id === 'request-parameter-removed')).toEqual([]);
  });

  it('reports required flips in both directions', () => {
    const opt = spec(LIMIT_OPTIONAL);
    const req = spec(LIMIT_REQUIRED);
    const up = mine(opt, req);
    expect(up.map((x) => [x.id, x.level])).toEqual([['request-parameter-became-required', 'error']]);
    expect(up[0]!.location?.line).toBe(lineOf(req, 'required: true', 2));
    expect(up[0]!.data).toMatchObject({ in: 'query', name: 'limit', from: false, to: true });
    expect(mine(req, opt).map((x) => [x.id, x.level])).toEqual([['request-parameter-became-optional', 'info']]);
  });

  it('reports required properties of an object-typed header parameter', () => {
    const header = (required: string, extra = '') => `        - name: X-Ctx
          in: header
          schema:
            type: object
            properties:
              a: {type: string}
${extra}            required: [${required}]
`;
    const base = spec(header('a'));
    const rev = spec(header('a, b, c', '              b: {type: string}\n              c: {type: string, readOnly: true}\n'));
    expect(mine(base, rev).map((x) => x.id)).toEqual(['new-required-request-header-property']);

    const base2 = spec(header('', '              b: {type: string}\n'));
    const rev2 = spec(header('b', '              b: {type: string}\n'));
    const f = mine(base2, rev2);
    expect(f.map((x) => [x.id, x.level])).toEqual([['request-header-property-became-required', 'error']]);
    expect(f[0]!.message).toContain("property 'b'");
  });

  describe('serialisation (style and explode)', () => {
    const SER = /^request-parameter-serialization-changed$/;
    const ids = (extra: string) => `        - name: ids
          in: query
${extra}          schema: {type: array, items: {type: integer}}
`;
    const one = (extra: string) => `        - name: q
          in: query
${extra}          schema: {type: string}
`;

    it('an array query parameter moved from exploded form to pipeDelimited is an error on the style line', () => {
      const rev = spec(ids('          style: pipeDelimited\n          explode: false\n'));
      const f = findingsMatching(spec(ids('')), rev, SER);
      expect(f.map((x) => [x.id, x.level])).toEqual([['request-parameter-serialization-changed', 'error']]);
      expect(f[0]!.message).toBe("query parameter 'ids' serialisation changed from style=form, explode=true to style=pipeDelimited, explode=false");
      expect(f[0]!.location?.line).toBe(lineOf(rev, 'style: pipeDelimited'));
    });

    it('explode turned off on an array (ids=1&ids=2 → ids=1,2) is an error', () => {
      expect(findingsMatching(spec(ids('')), spec(ids('          explode: false\n')), SER)).toHaveLength(1);
    });

    it('writing out the defaults, or styling a single query value, is no change', () => {
      expect(findingsMatching(spec(ids('')), spec(ids('          style: form\n          explode: true\n')), SER)).toEqual([]);
      expect(findingsMatching(spec(one('')), spec(one('          style: form\n          explode: false\n')), SER)).toEqual([]);
    });

    it('a path parameter moved from simple to matrix style is an error even for a single value', () => {
      const path = (style: string) =>
        specWith(`  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
${style}          schema: {type: string}
      responses:
        '200': {description: ok}
`);
      const f = findingsMatching(path(''), path('          style: matrix\n'), SER);
      expect(f.map((x) => x.message)).toEqual(["path parameter 'id' serialisation changed from style=simple to style=matrix"]);
    });
  });
});
