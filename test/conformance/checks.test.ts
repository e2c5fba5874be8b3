import { afterAll, describe, expect, test } from '@jest/globals';
import type { TestCase } from '../../src/conformance/cases.js';
import { checkResponse, problemShape, type CheckContext } from '../../src/conformance/checks.js';
import type { HttpResponse } from '../../src/conformance/http.js';
import { documentedResponse, lineOf, listOperations, type Operation } from '../../src/conformance/operations.js';
import { SchemaBank } from '../../src/conformance/schema.js';
import { Validator } from '../../src/conformance/validate.js';
import { cleanup, openapi, specFrom } from './helpers.js';

afterAll(cleanup);

const SPEC = openapi(
  `  /items:
    get:
      responses:
        '200':
          description: ok
          headers:
            X-Total: { required: true, schema: { type: integer } }
          content:
            application/json:
              schema:
                type: object
                required: [n]
                properties: { n: { type: integer } }
        '4XX':
          description: client error
          content:
            application/problem+json:
              schema: { $ref: '#/components/schemas/Problem' }
        '503':
          description: maintenance
          content:
            text/*: {}`,
  `  schemas:
    Problem:
      type: object
      required: [title]
      properties: { title: { type: string }, status: { type: integer } }`,
);

function setup(): { op: Operation; ctx: CheckContext } {
  const spec = specFrom(SPEC);
  const op = listOperations(spec)[0]!;
  const response = new SchemaBank(spec, 'response');
  for (const r of op.responses) {
    for (const m of r.content) if (m.schema) response.convert(m.schema);
    for (const h of r.headers) if (h.schema) response.convert(h.schema);
  }
  const validator = new Validator([response], false);
  return { op, ctx: { response, validator, maxResponseTimeMs: 1000, credentialsConfigured: true, skip: new Set() } };
}

function res(status: number, body: unknown, headers: Record<string, string> = {}, elapsedMs = 5): HttpResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: new Headers(headers), body: text, elapsedMs, truncated: false };
}

function positive(op: Operation): TestCase {
  return { op, kind: 'generated', expect: 'accept', description: 'x', data: { params: new Map(), credentials: true } };
}

const JSON_H = { 'content-type': 'application/json; charset=utf-8', 'x-total': '3' };

describe('checks on one answer', () => {
  test('a conforming answer passes every check that applies', () => {
    const { op, ctx } = setup();
    const out = checkResponse(positive(op), res(200, { n: 1 }, JSON_H), ctx);
    expect(out.failures).toEqual([]);
    expect(out.passed.sort()).toEqual(['content-type-documented', 'no-server-error', 'response-headers', 'response-schema', 'response-time', 'status-documented']);
  });

  test('4XX ranges document every 4xx; an undocumented 500 fails two checks, pointing at the responses line', () => {
    const { op, ctx } = setup();
    expect(documentedResponse(op, 422)?.status).toBe('4XX');
    const out = checkResponse(positive(op), res(500, 'boom', { 'content-type': 'text/plain' }), ctx);
    expect(out.failures.map((f) => f.check).sort()).toEqual(['no-server-error', 'status-documented']);
    expect(lineOf(out.failures.find((f) => f.check === 'status-documented')!.at)).toBe(8); // `responses:` of GET /items
  });

  test('wrong body, missing required header and undocumented Content-Type are each a failure', () => {
    const { op, ctx } = setup();
    const wrong = checkResponse(positive(op), res(200, { n: 'one' }, JSON_H), ctx).failures;
    expect(wrong.map((f) => f.check)).toEqual(['response-schema']);
    expect(wrong[0]!.message).toContain('/n must be integer');
    const noHeader = checkResponse(positive(op), res(200, { n: 1 }, { 'content-type': 'application/json' }), ctx).failures;
    expect(noHeader.map((f) => [f.check, f.message])).toEqual([['response-headers', 'answered 200 without the required header X-Total']]);
    const xml = checkResponse(positive(op), res(200, '<n/>', { 'content-type': 'application/xml', 'x-total': '1' }), ctx).failures;
    expect(xml.map((f) => f.check)).toEqual(['content-type-documented']);
    const invalidJson = checkResponse(positive(op), res(200, '{"n":', JSON_H), ctx).failures;
    expect(invalidJson.map((f) => f.message)).toEqual(['answered 200 with application/json that is not valid JSON']);
  });

  test('wildcard media types in the spec match; problem+json bodies are held to RFC 9457', () => {
    const { op, ctx } = setup();
    expect(checkResponse(positive(op), res(503, 'down', { 'content-type': 'text/html' }), ctx).failures.map((f) => f.check)).toEqual(['no-server-error']);
    const bad = checkResponse({ ...positive(op), expect: 'reject' }, res(400, { title: 'Bad', status: 422 }, { 'content-type': 'application/problem+json' }), ctx).failures;
    expect(bad.map((f) => f.check)).toEqual(['problem-details']);
    expect(bad[0]!.message).toContain("'status' is 422, the HTTP status is 400");
    expect(problemShape([], 400)).toBe('the body is not a JSON object');
    expect(problemShape({ type: 5 }, 400)).toBe("'type' is not a string");
    expect(problemShape({ type: 'about:blank', title: 'x', status: 400 }, 400)).toBeUndefined();
  });

  test('negative cases must get a 4xx; no-credential cases a 401 or 403; positive ones no other 4xx', () => {
    const { op, ctx } = setup();
    const neg: TestCase = { ...positive(op), expect: 'reject', description: "query parameter 'n': above maximum 5" };
    expect(checkResponse(neg, res(200, { n: 1 }, JSON_H), ctx).failures.map((f) => f.check)).toEqual(['negative-rejected']);
    const noAuth: TestCase = { ...positive(op), expect: 'unauthorized' };
    expect(checkResponse(noAuth, res(200, { n: 1 }, JSON_H), ctx).failures.map((f) => f.check)).toEqual(['auth-enforced']);
    expect(checkResponse(noAuth, res(401, { title: 'no' }, { 'content-type': 'application/problem+json' }), ctx).failures).toEqual([]);
    const refused = checkResponse(positive(op), res(422, { title: 'no' }, { 'content-type': 'application/problem+json' }), ctx).failures;
    expect(refused.map((f) => f.check)).toEqual(['positive-accepted']);
    expect(checkResponse(positive(op), res(404, { title: 'no' }, { 'content-type': 'application/problem+json' }), ctx).failures).toEqual([]);
  });

  test('slow answers fail response-time; skipped checks neither pass nor fail', () => {
    const { op, ctx } = setup();
    expect(checkResponse(positive(op), res(200, { n: 1 }, JSON_H, 1500), ctx).failures.map((f) => f.message)).toEqual(['answered in 1500 ms, over the 1000 ms limit']);
    const skipped = checkResponse(positive(op), res(200, { n: 1 }, JSON_H, 1500), { ...ctx, skip: new Set(['response-time']) });
    expect(skipped.failures).toEqual([]);
    expect(skipped.passed).not.toContain('response-time');
  });
});
