import { describe, expect, it } from '@jest/globals';
import { findingsMatching, lineOf, specWith } from '../helpers.js';

const MINE = /^request-body-(added-required|added-optional|removed|became-required|became-optional|media-type-added|media-type-removed|media-type-schema-added|media-type-schema-removed)$/;

const mine = (base: string, rev: string) => findingsMatching(base, rev, MINE);

/** POST /pets with the given requestBody YAML (indented 6, without the `requestBody:` key); empty for none. */
function spec(body: string): string {
  return specWith(`  /pets:
    post:
${body ? `      requestBody:\n${body}` : ''}      responses:
        '201':
          description: ok
`);
}

const JSON_BODY = (required: boolean, extra = '') => `        required: ${required}
        content:
          application/json:
            schema:
              type: object
${extra}`;

describe('request-body family', () => {
  it('reports nothing when nothing changed', () => {
    expect(mine(spec(JSON_BODY(true)), spec(JSON_BODY(true)))).toEqual([]);
    expect(mine(spec(''), spec(''))).toEqual([]);
  });

  it('reports an added body by its required flag, and a removed one at the base line', () => {
    const f = mine(spec(''), spec(JSON_BODY(true)));
    expect(f.map((x) => [x.id, x.level, x.operation])).toEqual([['request-body-added-required', 'error', 'POST /pets']]);
    expect(mine(spec(''), spec(JSON_BODY(false))).map((x) => [x.id, x.level])).toEqual([['request-body-added-optional', 'info']]);

    const base = spec(JSON_BODY(true));
    const g = mine(base, spec(''));
    expect(g.map((x) => [x.id, x.level])).toEqual([['request-body-removed', 'error']]);
    expect(g[0]!.location?.file).toMatch(/base\.yaml$/);
    expect(g[0]!.location?.line).toBe(lineOf(base, 'requestBody:'));
  });

  it('reports required flips', () => {
    const rev = spec(JSON_BODY(true));
    const f = mine(spec(JSON_BODY(false)), rev);
    expect(f.map((x) => [x.id, x.level])).toEqual([['request-body-became-required', 'error']]);
    expect(f[0]!.location?.line).toBe(lineOf(rev, 'required: true'));
    expect(mine(rev, spec(JSON_BODY(false))).map((x) => [x.id, x.level])).toEqual([['request-body-became-optional', 'info']]);
  });

  it('reports media types added and removed, without pairing related names', () => {
    const xml = `          application/xml:
            schema:
              type: object
`;
    const base = spec(JSON_BODY(true));
    const rev = spec(JSON_BODY(true, xml));
    const f = mine(base, rev);
    expect(f.map((x) => [x.id, x.level])).toEqual([['request-body-media-type-added', 'info']]);
    expect(f[0]!.location?.line).toBe(lineOf(rev, 'application/xml:'));
    expect(f[0]!.data).toEqual({ mediaType: 'application/xml' });
    expect(mine(rev, base).map((x) => [x.id, x.level])).toEqual([['request-body-media-type-removed', 'error']]);

    // A client still sending application/json would be refused: a rename is a removal plus an addition.
    const renamed = spec(JSON_BODY(true).replace('application/json', 'application/merge-patch+json'));
    expect(mine(base, renamed).map((x) => x.id).sort()).toEqual(['request-body-media-type-added', 'request-body-media-type-removed']);
  });

  it('reports a schema appearing under or vanishing from an existing media type', () => {
    const bare = spec(`        content:
          application/json: {}
`);
    const typed = spec(`        content:
          application/json:
            schema:
              type: object
`);
    expect(mine(bare, typed).map((x) => [x.id, x.level])).toEqual([['request-body-media-type-schema-added', 'error']]);
    expect(mine(typed, bare).map((x) => [x.id, x.level])).toEqual([['request-body-media-type-schema-removed', 'info']]);
  });
});
