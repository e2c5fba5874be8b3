import { describe, expect, it } from '@jest/globals';
import { findingsMatching, lineOf, specWith } from '../helpers.js';

const MINE = /^api-(global-)?security-|^api-security-component-/;

const mine = (base: string, rev: string) => findingsMatching(base, rev, MINE);

const SCHEMES = (scopes = "read: Read\n            write: Write", tokenUrl = 'https://auth.example/token') => `components:
  securitySchemes:
    api_key:
      type: apiKey
      in: header
      name: X-Key
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: ${tokenUrl}
          scopes:
            ${scopes}
`;

/** GET /pets with the given operation `security` (YAML list indented 6; empty for none) and document-wide security. */
function spec(opSecurity: string, global = '', schemes = SCHEMES()): string {
  return specWith(
    `  /pets:
    get:
${opSecurity ? `      security:\n${opSecurity}` : ''}      responses:
        '200':
          description: ok
`,
    `${global ? `security:\n${global}` : ''}${schemes}`,
  );
}

describe('security family', () => {
  it('reports nothing when nothing changed, nor when alternatives or scopes are reordered', () => {
    const a = spec('        - oauth: [read, write]\n        - api_key: []\n', '  - api_key: []\n');
    const b = spec('        - api_key: []\n        - oauth: [write, read]\n', '  - api_key: []\n');
    expect(mine(a, a)).toEqual([]);
    expect(mine(a, b)).toEqual([]);
    // "read OR write" written as two alternatives of the same scheme compares equal to itself.
    const split = spec('        - oauth: [read]\n        - oauth: [write]\n');
    expect(mine(split, split)).toEqual([]);
  });

  it('reports operation security requirements added and removed, on the operation', () => {
    const base = spec('        - api_key: []\n');
    const rev = spec('        - api_key: []\n        - oauth: [read]\n');
    const f = mine(base, rev);
    expect(f.map((x) => [x.id, x.level, x.operation])).toEqual([['api-security-added', 'info', 'GET /pets']]);
    expect(f[0]!.data).toEqual({ requirement: 'oauth: [read]' });
    expect(f[0]!.location?.line).toBe(lineOf(rev, '- oauth: [read]'));
    const g = mine(rev, base);
    expect(g.map((x) => x.id)).toEqual(['api-security-removed']);
    expect(g[0]!.location?.file).toMatch(/base\.yaml$/);
  });

  it('reports scope changes of a requirement whose schemes stayed the same', () => {
    const f = mine(spec('        - oauth: [read]\n'), spec('        - oauth: [write]\n'));
    expect(f.map((x) => [x.id, x.data]).sort()).toEqual([
      ['api-security-scope-added', { scheme: 'oauth', scope: 'write' }],
      ['api-security-scope-removed', { scheme: 'oauth', scope: 'read' }],
    ]);
  });

  it('reports document-wide security changes without an operation', () => {
    const f = mine(spec('', '  - api_key: []\n'), spec('', '  - api_key: []\n  - oauth: [read, write]\n'));
    expect(f.map((x) => [x.id, x.operation])).toEqual([['api-global-security-added', undefined]]);
    expect(f[0]!.data).toEqual({ requirement: 'oauth: [read, write]' });
    const g = mine(spec('', '  - oauth: [read]\n'), spec('', '  - oauth: []\n'));
    expect(g.map((x) => x.id)).toEqual(['api-global-security-scope-removed']);
  });

  it('reports security schemes added, removed, retyped and OAuth flow changes', () => {
    const base = spec('');
    const rev = spec('', '', SCHEMES('read: Read things\n            admin: Admin', 'https://auth.example/v2/token') + '    basic:\n      type: http\n      scheme: basic\n');
    const f = mine(base, rev);
    expect(f.map((x) => x.id).sort()).toEqual([
      'api-security-component-added',
      'api-security-component-oauth-scope-added',
      'api-security-component-oauth-scope-changed',
      'api-security-component-oauth-scope-removed',
      'api-security-component-oauth-token-url-changed',
    ]);
    const token = f.find((x) => x.id === 'api-security-component-oauth-token-url-changed')!;
    expect(token.location?.line).toBe(lineOf(rev, 'tokenUrl:'));
    expect(token.data).toMatchObject({ scheme: 'oauth', from: 'https://auth.example/token', to: 'https://auth.example/v2/token' });

    const retyped = spec('', '', SCHEMES().replace('type: apiKey\n      in: header\n      name: X-Key', 'type: http\n      scheme: bearer'));
    expect(mine(base, retyped).map((x) => x.id)).toEqual(['api-security-component-type-changed']);
    expect(mine(rev, base).map((x) => x.id)).toContain('api-security-component-removed');
  });

  describe('how a scheme takes its credential (ours: api-security-component-credentials-changed)', () => {
    const CRED = /^api-security-component-credentials-changed$/;
    const withKey = (where: string) => spec('', '  - api_key: []\n', SCHEMES().replace('in: header\n      name: X-Key', where));

    it('an API key moved from a header to a query parameter is an error on the revision line', () => {
      const rev = withKey('in: query\n      name: api_key');
      const f = findingsMatching(withKey('in: header\n      name: X-Key'), rev, CRED);
      expect(f.map((x) => [x.id, x.level, x.message])).toEqual([
        ['api-security-component-credentials-changed', 'error', "security scheme 'api_key' now takes its credential differently: in 'header', name 'X-Key' → in 'query', name 'api_key'"],
      ]);
      expect(f[0]!.location?.line).toBe(lineOf(rev, 'in: query'));
    });

    it('a header name changed only in case is no change (header names ignore case); a query name is', () => {
      expect(findingsMatching(withKey('in: header\n      name: X-Key'), withKey('in: header\n      name: x-key'), CRED)).toEqual([]);
      expect(findingsMatching(withKey('in: query\n      name: Key'), withKey('in: query\n      name: key'), CRED)).toHaveLength(1);
    });

    it('an HTTP scheme from bearer to basic is an error; Bearer vs bearer is not', () => {
      const http = (scheme: string) => spec('', '  - api_key: []\n', SCHEMES().replace('type: apiKey\n      in: header\n      name: X-Key', `type: http\n      scheme: ${scheme}`));
      expect(findingsMatching(http('bearer'), http('basic'), CRED).map((x) => x.level)).toEqual(['error']);
      expect(findingsMatching(http('bearer'), http('Bearer'), CRED)).toEqual([]);
    });
  });
});
