import { afterAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { runLifecycle, type LifecycleResult } from '../../src/lifecycle/run.js';
import { cleanup, folder, lineOf } from './helpers.js';

afterAll(cleanup);

/** Every date below is relative to this day. */
const TODAY = '2026-06-15';

const run = (files: Record<string, string>, spec = 'openapi.yaml', warnDays?: string): LifecycleResult =>
  runLifecycle({ spec, cwd: folder(files), today: TODAY, ...(warnDays ? { warnDays } : {}) });

/** `id operation line message`, sorted: what a reader of the report sees. */
const seen = (r: LifecycleResult) => r.findings.map((f) => `${f.id} ${f.location?.line ?? '-'} ${f.message}`).sort();

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['lifecycle', ...argv], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const WRAPPED = `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner:
                    nullable: true
                    allOf:
                      - $ref: '#/components/schemas/Owner'
                  tags:
                    type: array
                    items: {$ref: '#/components/schemas/LegacyTag'}
                  cors:
                    allOf:
                      - $ref: '#/components/schemas/Cors'
                      - description: use ingress rules instead
                      - deprecated: true
                        x-sunset: '2026-07-01'
                  size:
                    oneOf:
                      - $ref: '#/components/schemas/Size'
                      - title: Legacy
                        type: string
                        enum: [basic-xs, basic-s]
                        deprecated: true
                        x-sunset: '2026-06-20'
  /vets:
    post:
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - $ref: '#/components/schemas/Vet'
      responses:
        '204': {description: ok}
components:
  schemas:
    Owner:
      type: object
      deprecated: true
      x-sunset: '2026-06-01'
      properties:
        id: {type: string}
    LegacyTag:
      type: string
      deprecated: true
    Cors:
      type: object
      properties:
        origins: {type: array, items: {type: string}}
    Size:
      type: string
      enum: [s-1vcpu, s-2vcpu]
    Vet:
      type: object
      deprecated: true
      x-sunset: '2027-01-01'
      properties:
        name: {type: string}
`;

describe('a deprecated schema reached through a wrapper, items or a composition member', () => {
  test('is judged for the property (or body) that reaches it, on the line where it is marked', () => {
    const r = run({ 'openapi.yaml': WRAPPED });
    const owner = lineOf(WRAPPED, /x-sunset: '2026-06-01'/);
    expect(seen(r)).toEqual(
      [
        `sunset-passed ${owner} GET /pets: response property 'owner' had its sunset on 2026-06-01, 14 days ago, and is still in the spec: remove it`,
        `deprecated-without-sunset ${lineOf(WRAPPED, /deprecated: true/, lineOf(WRAPPED, /LegacyTag:/))} GET /pets: response property 'tags' items is deprecated without an x-sunset date`,
        // Every allOf member applies: a member that says deprecated marks the property itself.
        `sunset-soon ${lineOf(WRAPPED, /x-sunset: '2026-07-01'/)} GET /pets: response property 'cors' sunsets on 2026-07-01, in 16 days`,
        // One of several alternatives: named, so the reader knows the property itself stays.
        `sunset-soon ${lineOf(WRAPPED, /x-sunset: '2026-06-20'/)} GET /pets: response property 'size' oneOf member 'Legacy' sunsets on 2026-06-20, in 5 days`,
      ].sort(),
    );
    // A date beyond --warn-days gives no finding, but the body wrapped in allOf is in the schedule.
    expect(r.schedule.map((s) => `${s.operation} ${s.element} ${s.sunset}`)).toContain('POST /vets request body 2027-01-01');
    expect(r.metrics).toMatchObject({ deprecated: 5, 'sunset passed': 1 });
  });

  test("3.1's nullable oneOf [$ref, null] is the property itself; a component also referenced directly is one finding", () => {
    const text = `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner:
                    oneOf:
                      - $ref: '#/components/schemas/Owner'
                      - type: 'null'
                  previousOwner:
                    $ref: '#/components/schemas/Owner'
components:
  schemas:
    Owner:
      type: object
      deprecated: true
      x-sunset: '2026-06-10'
`;
    expect(seen(run({ 'openapi.yaml': text }))).toEqual([
      `sunset-passed ${lineOf(text, /x-sunset/)} GET /pets: response property 'owner' had its sunset on 2026-06-10, 5 days ago, and is still in the spec: remove it`,
    ]);
  });

  test('Swagger 2.0: x-deprecated on a definition reached through allOf and items', () => {
    const text = `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /pets:
    post:
      parameters:
        - in: body
          name: body
          schema:
            allOf:
              - $ref: '#/definitions/NewPet'
              - type: object
                properties:
                  tag: {type: string}
      responses:
        '201':
          description: created
          schema:
            type: array
            items: {$ref: '#/definitions/NewPet'}
definitions:
  NewPet:
    type: object
    x-deprecated: true
    x-sunset: '2026-06-30'
    properties:
      name: {type: string}
`;
    const line = lineOf(text, /x-sunset/);
    expect(seen(run({ 'swagger.yaml': text }, 'swagger.yaml'))).toEqual([
      `sunset-soon ${line} POST /pets: request body sunsets on 2026-06-30, in 15 days`,
      `sunset-soon ${line} POST /pets: response body items sunsets on 2026-06-30, in 15 days`,
    ]);
  });
});

describe('response headers', () => {
  const text = `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /v1/pets:
    get:
      deprecated: true
      x-sunset: '2026-12-31'
      responses:
        '200':
          description: ok
          headers:
            Sunset: {$ref: '#/components/headers/Sunset'}
            Deprecation: {$ref: '#/components/headers/Deprecation'}
            X-Legacy-Total:
              deprecated: true
              x-sunset: '2026-06-01'
              schema: {type: integer}
            X-Rate-Limit: {$ref: '#/components/headers/RateLimit'}
  /v1/owners:
    get:
      responses:
        '200':
          description: ok
          headers:
            Sunset: {$ref: '#/components/headers/Sunset'}
            X-Rate-Limit: {$ref: '#/components/headers/RateLimit'}
components:
  headers:
    Sunset:
      description: RFC 8594 date this endpoint goes away
      schema: {type: string}
      example: 'Thu, 31 Dec 2026 23:59:59 GMT'
    Deprecation:
      description: RFC 9745 date this endpoint was deprecated
      schema: {type: string}
      example: '@1767225599'
    RateLimit:
      deprecated: true
      schema: {type: integer}
`;

  test('a deprecated header is judged like a parameter; declaring the Sunset and Deprecation headers is no finding', () => {
    const r = run({ 'openapi.yaml': text });
    expect(seen(r)).toEqual([
      `deprecated-without-sunset ${lineOf(text, /deprecated: true/, lineOf(text, /RateLimit:/))} GET /v1/pets: response header 'X-Rate-Limit' is deprecated without an x-sunset date (also reached from 1 other operation)`,
      `sunset-passed ${lineOf(text, /x-sunset: '2026-06-01'/)} GET /v1/pets: response header 'X-Legacy-Total' had its sunset on 2026-06-01, 14 days ago, and is still in the spec: remove it`,
    ]);
    expect(r.findings.find((f) => f.id === 'sunset-passed')!.data).toMatchObject({ element: "response header 'X-Legacy-Total'", daysPast: 14 });
  });

  test('the GitHub annotation lands on the header line, and the gate fails', async () => {
    const dir = folder({ 'openapi.yaml': text });
    const r = await cli(path.join(dir, 'openapi.yaml'), '--today', TODAY, '--format', 'github');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`line=${lineOf(text, /x-sunset: '2026-06-01'/)},title=sunset-passed (GET /v1/pets)::GET /v1/pets: response header 'X-Legacy-Total' had its sunset`);
  });
});

describe('deprecated written on a path item', () => {
  const text = `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /legacy:
    deprecated: true
    get:
      responses: {'200': {description: ok}}
  /old:
    deprecated: true
    x-sunset: '2026-09-01'
    get:
      responses: {'200': {description: ok}}
  /gone:
    deprecated: true
    get:
      deprecated: true
      responses: {'200': {description: ok}}
`;

  test('marks none of its operations (OpenAPI has no deprecated there), and the finding says so', () => {
    const r = run({ 'openapi.yaml': text });
    expect(seen(r)).toEqual([
      `deprecated-without-sunset 5 GET /legacy: path item '/legacy' is marked deprecated without an x-sunset date (a path item has no deprecated in OpenAPI: it marks none of its operations; mark each deprecated: true)`,
      // Its operations are deprecated each: they are reported, not the path item again.
      `deprecated-without-sunset 16 GET /gone: operation is deprecated without an x-sunset date`,
      `sunset-without-deprecation 10 GET /old: path item '/old' has an x-sunset date but not all its operations are marked deprecated: true (a path item has no deprecated in OpenAPI: it marks none of its operations; mark each deprecated: true)`,
    ].sort());
    // Only GET /gone is deprecated for the count.
    expect(r.metrics!.deprecated).toBe(1);
    expect(r.schedule).toEqual([expect.objectContaining({ element: "path item '/old'", deprecated: false, days: 78 })]);
  });
});

describe('sunset dates as teams write them, judged in UTC on 2026-06-15', () => {
  const cases: [string, string, string][] = [
    // x-sunset as written, expected id, the message's tail
    ["'2026-06-15'", 'sunset-soon', 'sunsets on 2026-06-15, today'],
    ["'2026-06-14'", 'sunset-passed', 'had its sunset on 2026-06-14, 1 day ago'],
    ["'2026-07-15'", 'sunset-soon', 'sunsets on 2026-07-15, in 30 days'],
    ['2026-06-10', 'sunset-passed', 'had its sunset on 2026-06-10, 5 days ago'],
    // The date as written counts: 01:00 at +02:00 is still June 16 to the reader, though June 15 in UTC.
    ["'2026-06-16T01:00:00+02:00'", 'sunset-soon', 'sunsets on 2026-06-16, in 1 day'],
    ['2026-06-14T23:59:59Z', 'sunset-passed', 'had its sunset on 2026-06-14, 1 day ago'],
    ["'Sun, 14 Jun 2026 00:00:00 GMT'", 'invalid-sunset', "this is an HTTP-date, as the Sunset header writes it: in x-sunset write '2026-06-14'"],
    ["'2026-02-29'", 'invalid-sunset', "x-sunset '2026-02-29' names a day that does not exist"],
    ["'2026-02-30T10:00:00Z'", 'invalid-sunset', "x-sunset '2026-02-30T10:00:00Z' names a day that does not exist (2026-02-30)"],
    ["'2026-6-20'", 'invalid-sunset', "x-sunset '2026-6-20' is neither a YYYY-MM-DD date nor an RFC 3339 date-time"],
    ["'next quarter'", 'invalid-sunset', "x-sunset 'next quarter' is neither a YYYY-MM-DD date nor an RFC 3339 date-time"],
    ["''", 'invalid-sunset', "x-sunset '' is neither a YYYY-MM-DD date nor an RFC 3339 date-time"],
    ['', 'invalid-sunset', 'x-sunset must be a date string, got null'],
  ];

  test.each(cases)('x-sunset: %s on a deprecated parameter is %s', (written, id, tail) => {
    const text = `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      parameters:
        - name: page
          in: query
          deprecated: true
          x-sunset: ${written}
          schema: {type: integer}
      responses: {'200': {description: ok}}
`;
    const r = run({ 'openapi.yaml': text });
    expect(r.findings.map((f) => [f.id, f.location?.line])).toEqual([[id, 10]]);
    expect(r.findings[0]!.message).toContain(`GET /pets: query parameter 'page' `);
    expect(r.findings[0]!.message).toContain(tail);
  });

  test('one day past the window is no finding; --warn-days 0 warns only on the day itself', () => {
    const text = (date: string) => `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      deprecated: true\n      x-sunset: '${date}'\n      responses: {'200': {description: ok}}\n`;
    expect(run({ 'openapi.yaml': text('2026-07-16') }).findings).toEqual([]);
    expect(run({ 'openapi.yaml': text('2026-06-16') }, 'openapi.yaml', '0').findings).toEqual([]);
    expect(run({ 'openapi.yaml': text('2026-06-15') }, 'openapi.yaml', '0').findings.map((f) => f.id)).toEqual(['sunset-soon']);
  });

  test('warnings alone pass with the default fail-on and fail with --fail-on warning', async () => {
    const dir = folder({
      'openapi.yaml': `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      deprecated: true\n      x-sunset: '2026-06-20'\n      responses: {'200': {description: ok}}\n`,
    });
    const spec = path.join(dir, 'openapi.yaml');
    expect((await cli(spec, '--today', TODAY)).code).toBe(0);
    const strict = await cli(spec, '--today', TODAY, '--fail-on', 'warning');
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('WARNING sunset-soon: GET /a: operation sunsets on 2026-06-20, in 5 days');
  });
});

describe("a parameter deprecated in its schema (JSON Schema's `deprecated`), or in its `content` schema", () => {
  const spec = `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      parameters:
        - name: limit
          in: query
          schema: {type: integer, deprecated: true, x-sunset: '2026-01-01'}
        - name: filter
          in: query
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Filter'}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200': {description: ok}
components:
  schemas:
    Filter:
      type: object
      deprecated: true
`;
  test('each is named as its parameter, on the schema line that marks it; an unmarked one is not', () => {
    const r = run({ 'openapi.yaml': spec });
    expect(seen(r)).toEqual([
      `deprecated-without-sunset ${lineOf(spec, /^      deprecated: true/)} GET /pets: query parameter 'filter' is deprecated without an x-sunset date`,
      `sunset-passed ${lineOf(spec, /x-sunset: '2026-01-01'/)} GET /pets: query parameter 'limit' had its sunset on 2026-01-01, 165 days ago, and is still in the spec: remove it`,
    ]);
  });
});
