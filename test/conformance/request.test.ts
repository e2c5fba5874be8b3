import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import type { TestCase } from '../../src/conformance/cases.js';
import { listOperations, type Operation } from '../../src/conformance/operations.js';
import { buildRequest, curlLine, sendsAsBuilt, shellQuote, underBase } from '../../src/conformance/request.js';
import { cleanup, openapi, specFrom } from './helpers.js';

afterAll(cleanup);

function op(): Operation {
  const spec = specFrom(
    openapi(`  /a/{id}/b:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
        - { name: tags, in: query, schema: { type: array, items: { type: string } } }
        - { name: csv, in: query, explode: false, schema: { type: array, items: { type: integer } } }
        - { name: filter, in: query, style: deepObject, schema: { type: object } }
        - { name: X-Req, in: header, schema: { type: string } }
        - { name: sess, in: cookie, schema: { type: string } }
      responses:
        '200': { description: ok }`),
  );
  return listOperations(spec)[0]!;
}

function caseWith(o: Operation, values: Record<string, unknown>, extra: Partial<TestCase['data']> = {}): TestCase {
  const params = new Map(o.parameters.filter((p) => p.name in values).map((p) => [p, values[p.name]] as const));
  return { op: o, kind: 'generated', expect: 'accept', description: '', data: { params, credentials: true, ...extra } };
}

const creds = { headers: [['Authorization', 'Bearer s3cr3t'] as [string, string]] };

describe('requests from cases', () => {
  test('parameters are serialized per OpenAPI style: path, exploded and comma arrays, deepObject, header, cookie', () => {
    const o = op();
    const req = buildRequest(caseWith(o, { id: 'a b/c', tags: ['x', 'y'], csv: [1, 2], filter: { k: 'v' }, 'X-Req': 'r1', sess: 'abc' }), 'http://127.0.0.1:9/api/', creds);
    expect(req.url).toBe('http://127.0.0.1:9/api/a/a%20b%2Fc/b?tags=x&tags=y&csv=1%2C2&filter%5Bk%5D=v');
    expect(req.headers).toEqual([
      ['X-Req', 'r1'],
      ['Cookie', 'sess=abc'],
      ['Authorization', 'Bearer s3cr3t'],
    ]);
  });

  test("a path value of '..' is never sent: URL parsers resolve it, even percent-encoded", () => {
    const o = op();
    const req = buildRequest(caseWith(o, { id: '..' }), 'http://127.0.0.1:9/api', creds);
    expect(sendsAsBuilt(req.url)).toBe(false);
    expect(sendsAsBuilt(buildRequest(caseWith(o, { id: 'x..y' }), 'http://127.0.0.1:9/api', creds).url)).toBe(true);
    expect(underBase('http://127.0.0.1:9/api/x', 'http://127.0.0.1:9/api')).toBe(true);
    expect(underBase('http://127.0.0.1:9/other', 'http://127.0.0.1:9/api')).toBe(false);
    expect(underBase('http://127.0.0.1:9/apix', 'http://127.0.0.1:9/api')).toBe(false);
    expect(underBase('http://127.0.0.2:9/api/x', 'http://127.0.0.1:9/api')).toBe(false);
  });

  test('no credentials when the case says so; JSON and raw bodies with their Content-Type', () => {
    const o = op();
    const bare = buildRequest(caseWith(o, { id: 'x' }, { credentials: false, body: { mediaType: 'application/json', value: { a: 1 } } }), 'http://h', creds);
    expect(bare.headers).toEqual([['Content-Type', 'application/json']]);
    expect(bare.body).toBe('{"a":1}');
    const raw = buildRequest(caseWith(o, { id: 'x' }, { body: { mediaType: 'application/json', raw: '{"broken": ' } }), 'http://h', creds);
    expect(raw.body).toBe('{"broken": ');
  });
});

describe('curl lines', () => {
  test('credential header values are redacted unless show-secrets', () => {
    const req = buildRequest(caseWith(op(), { id: 'x' }), 'http://127.0.0.1:9', creds);
    expect(curlLine(req, creds)).toBe("curl -i -X GET 'http://127.0.0.1:9/a/x/b' -H 'Authorization: ***'");
    expect(curlLine(req, creds, true)).toContain("-H 'Authorization: Bearer s3cr3t'");
  });

  test('quoting survives single quotes and shell metacharacters (checked with a real shell)', () => {
    const nasty = `it's $(echo no) \`x\` "q" \\ ;|&`;
    const out = execFileSync('sh', ['-c', `printf %s ${shellQuote(nasty)}`]).toString();
    expect(out).toBe(nasty);
  });
});
