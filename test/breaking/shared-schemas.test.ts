import { describe, expect, it } from '@jest/globals';
import { diffTexts } from './helpers.js';

// A component schema's results are computed once and reused wherever it is reached; these pin that
// the reuse never carries one place's judgement to a place where the rules judge differently.
const component = (idType: string, extra = '') => `
components:
  schemas:
    Pet:
      type: object
      properties:
        id: { type: ${idType} }${extra}
`;

function spec(paths: string, idType: string, extra = ''): string {
  return `openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n${paths}${component(idType, extra)}`;
}

const byOperation = (r: ReturnType<typeof diffTexts>) =>
  Object.fromEntries(
    [...new Set(r.findings.map((f) => f.operation!))].sort().map((op) => [op, r.findings.filter((f) => f.operation === op).map((f) => `${f.id}:${f.level}`).sort()]),
  );

describe('a shared schema judged per place', () => {
  it('judges a JSON body strictly and a form body loosely, whichever comes first', () => {
    const paths = `  /a:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: { $ref: '#/components/schemas/Pet' }
      responses: { '204': { description: ok } }
  /b:
    post:
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Pet' }
      responses: { '204': { description: ok } }
`;
    const r = byOperation(diffTexts(spec(paths, 'integer'), spec(paths, 'number')));
    // integer → number only widens what a client may send in either encoding.
    expect(r['POST /a']).toEqual(r['POST /b']);
    const changed = byOperation(diffTexts(spec(paths, 'integer'), spec(paths, 'string')));
    // A form field's text '12' is still a string; the JSON number 12 is refused by a string schema.
    expect(changed['POST /b']).toContain('request-property-type-changed:error');
    expect(changed['POST /a']).not.toContain('request-property-type-changed:error');
  });

  it('gives a beta operation the beta deprecation policy and a stable one the stable policy for the same schema', () => {
    const op = (path: string, stability: string) => `  ${path}:
    get:
      x-stability-level: ${stability}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Pet' }
`;
    const paths = op('/beta', 'beta') + op('/stable', 'stable');
    const soon = new Date(Date.now() + 40 * 86400000).toISOString().slice(0, 10);
    const extra = `\n        name: { type: string, deprecated: true, x-sunset: '${soon}' }`;
    const base = spec(paths, 'integer', '\n        name: { type: string }');
    const r = byOperation(diffTexts(base, spec(paths, 'integer', extra), { deprecationDaysBeta: 31, deprecationDaysStable: 180 }));
    // 40 days' notice is enough for beta (31) and too little for stable (180).
    expect(r['GET /stable']).toEqual(expect.arrayContaining([expect.stringMatching(/sunset-date-too-small/)]));
    expect(r['GET /beta'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/sunset-date-too-small/)]));
  });
});
