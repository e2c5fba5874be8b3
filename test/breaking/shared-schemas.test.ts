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

describe('recursive schemas', () => {
  const doc = (schemas: string, paths: string) => `openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n${paths}components:\n  schemas:\n${schemas}`;
  const get = (path: string, schema: string) => `  ${path}:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/${schema}' }
`;

  it('reports a change in a self-referencing schema once per operation, under its shortest route', () => {
    const node = (idType: string) => `    Node:
      type: object
      properties:
        id: { type: ${idType} }
        children:
          type: array
          items: { $ref: '#/components/schemas/Node' }
`;
    const paths = get('/tree', 'Node');
    const r = diffTexts(doc(node('string'), paths), doc(node('integer'), paths));
    expect(r.findings.map((f) => [f.operation, f.id, f.message])).toEqual([
      ['GET /tree', 'response-property-type-changed', expect.stringMatching(/^response property 'id' in response body \(200, application\/json\) type changed/)],
    ]);
  });

  it('gives every operation all the changes it reaches through a cycle, whichever operation is walked first', () => {
    // A and B refer to each other; /a reaches A first, /d reaches A through D afterwards.
    const schemas = (x: string, y: string) => `    A:
      type: object
      properties:
        b: { $ref: '#/components/schemas/B' }
        x: { type: string, maxLength: ${x} }
    B:
      type: object
      properties:
        a: { $ref: '#/components/schemas/A' }
        y: { type: string, maxLength: ${y} }
    D:
      type: object
      properties:
        a: { $ref: '#/components/schemas/A' }
`;
    const paths = get('/a', 'A') + get('/d', 'D');
    const r = diffTexts(doc(schemas('10', '10'), paths), doc(schemas('20', '20'), paths));
    const reached = (op: string) => r.findings.filter((f) => f.operation === op).map((f) => f.message.match(/property '([^']*)'/)![1]).sort();
    expect(reached('GET /a')).toEqual(['b/y', 'x']);
    expect(reached('GET /d')).toEqual(['a/b/y', 'a/x']);
  });
});
