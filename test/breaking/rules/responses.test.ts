import { describe, expect, it } from '@jest/globals';
import { findingsMatching, lineOf, specWith } from '../helpers.js';

const MINE = /^(response-(success|non-success)-status-(added|removed)|response-media-type-(added|removed|name-changed|name-generalized|name-specialized)|response-body-media-type-schema-(added|removed)|response-header-(added|became-optional)|(required|optional)-response-header-removed|response-mediatype-enum-value-removed)$/;

const mine = (base: string, rev: string) => findingsMatching(base, rev, MINE);

/** GET /pets with the given responses (YAML indented 8). */
function spec(responses: string): string {
  return specWith(`  /pets:
    get:
      responses:
${responses}`);
}

const OK = (media = 'application/json', schema = '              type: object\n') => `        '200':
          description: ok
          content:
            ${media}:
${schema ? `              schema:\n${schema.replace(/^(?=.)/gm, '  ')}` : '              {}\n'}`;
const NOT_FOUND = `        '404':
          description: missing
`;

describe('responses family', () => {
  it('reports nothing when nothing changed', () => {
    expect(mine(spec(OK() + NOT_FOUND), spec(OK() + NOT_FOUND))).toEqual([]);
  });

  it('reports status codes added and removed by class', () => {
    const base = spec(OK() + NOT_FOUND);
    const rev = spec(NOT_FOUND + `        '201':\n          description: created\n        '500':\n          description: boom\n        default:\n          description: other\n`);
    const f = mine(base, rev);
    expect(f.map((x) => [x.id, x.level, x.operation]).sort()).toEqual([
      ['response-non-success-status-added', 'info', 'GET /pets'],
      ['response-success-status-added', 'info', 'GET /pets'],
      ['response-success-status-removed', 'error', 'GET /pets'],
    ]);
    const removed = f.find((x) => x.id === 'response-success-status-removed')!;
    expect(removed.location?.file).toMatch(/base\.yaml$/);
    expect(removed.location?.line).toBe(lineOf(base, "'200':"));
    expect(mine(base, spec(OK())).map((x) => [x.id, x.level])).toEqual([['response-non-success-status-removed', 'info']]);
  });

  it('reports media types added and removed', () => {
    const xml = `            application/xml:
              schema:
                type: object
`;
    const base = spec(OK());
    const rev = spec(OK() + xml);
    const f = mine(base, rev);
    expect(f.map((x) => [x.id, x.level])).toEqual([['response-media-type-added', 'info']]);
    expect(f[0]!.data).toEqual({ mediaType: 'application/xml', status: '200' });
    expect(f[0]!.location?.line).toBe(lineOf(rev, 'application/xml:'));
    expect(mine(rev, base).map((x) => [x.id, x.level])).toEqual([['response-media-type-removed', 'error']]);
  });

  it('reports a related media type rename as narrowed, widened or changed', () => {
    const json = spec(OK('application/json'));
    const problem = spec(OK('application/problem+json'));
    expect(mine(json, problem).map((x) => [x.id, x.level])).toEqual([['response-media-type-name-specialized', 'info']]);
    expect(mine(problem, json).map((x) => [x.id, x.level])).toEqual([['response-media-type-name-generalized', 'error']]);
    expect(mine(json, spec(OK("'*/*'"))).map((x) => x.id)).toEqual(['response-media-type-name-generalized']);
    // Unrelated types are not paired.
    expect(mine(json, spec(OK('text/plain'))).map((x) => x.id).sort()).toEqual(['response-media-type-added', 'response-media-type-removed']);
  });

  it('reports a response schema appearing or vanishing', () => {
    const typed = spec(OK());
    const bare = spec(OK('application/json', ''));
    expect(mine(bare, typed).map((x) => [x.id, x.level])).toEqual([['response-body-media-type-schema-added', 'info']]);
    expect(mine(typed, bare).map((x) => [x.id, x.level])).toEqual([['response-body-media-type-schema-removed', 'warning']]);
  });

  it('reports response headers added, removed and made optional', () => {
    const withHeaders = (a: boolean, b: boolean) => spec(`        '200':
          description: ok
          headers:
            X-Rate:
              required: ${a}
              schema: {type: integer}
            X-Trace:
              required: ${b}
              schema: {type: string}
`);
    const noHeaders = spec(`        '200':\n          description: ok\n`);
    expect(mine(noHeaders, withHeaders(true, false)).map((x) => x.id)).toEqual(['response-header-added', 'response-header-added']);
    expect(mine(withHeaders(true, false), noHeaders).map((x) => [x.id, x.level]).sort()).toEqual([
      ['optional-response-header-removed', 'warning'],
      ['required-response-header-removed', 'error'],
    ]);
    const rev = withHeaders(false, false);
    const f = mine(withHeaders(true, false), rev);
    expect(f.map((x) => [x.id, x.level])).toEqual([['response-header-became-optional', 'error']]);
    expect(f[0]!.location?.line).toBe(lineOf(rev, 'required: false'));
  });

  it('reports enum values dropped from a top-level response body', () => {
    const e = (values: string) => spec(OK('application/json', `              type: string\n              enum: [${values}]\n`));
    const f = mine(e('A, B, C'), e('A, B'));
    expect(f.map((x) => [x.id, x.level])).toEqual([['response-mediatype-enum-value-removed', 'info']]);
    expect(f[0]!.data).toEqual({ value: 'C' });
  });
});
