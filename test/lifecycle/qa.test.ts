/**
 * Specs as users write them (fixtures/qa): date-times with offsets, a dated path-level parameter, a
 * deprecated `$ref`'d parameter used by three operations, a path item and a body schema in another file.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderLifecycle } from '../../src/cli/lifecycle.js';
import { runLifecycle } from '../../src/lifecycle/run.js';
import { cleanup, folder, lineOf, TODAY } from './helpers.js';

afterAll(cleanup);

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures/qa');
const ROOT = readFileSync(path.join(FIXTURES, 'openapi.yaml'), 'utf8');
const OWNERS = readFileSync(path.join(FIXTURES, 'paths/owners.yaml'), 'utf8');

describe('lifecycle QA on a spec as users write it', () => {
  const r = runLifecycle({ spec: 'openapi.yaml', cwd: FIXTURES, today: TODAY });
  const one = (operation: string, element: RegExp) => {
    const found = r.findings.filter((f) => f.operation === operation && element.test(f.message));
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  test('a date-time with an offset counts by the date as written, whichever way the offset crosses midnight in UTC', () => {
    expect(one('GET /pets', /: operation /)).toMatchObject({
      id: 'sunset-soon',
      message: 'GET /pets: operation sunsets on 2026-06-16, in 1 day',
      location: { file: 'openapi.yaml', line: lineOf(ROOT, /x-sunset: '2026-06-16T01:00:00\+02:00'/) },
    });
    expect(one('POST /pets', /: operation /)).toMatchObject({
      id: 'sunset-passed',
      message: 'POST /pets: operation had its sunset on 2026-06-14, 1 day ago, and is still in the spec: remove it',
      location: { line: lineOf(ROOT, /x-sunset: 2026-06-14T23:30:00-05:00/) },
    });
  });

  test('a dated path-level parameter is one finding for the path, naming each operation that has it', () => {
    expect(one('GET /pets/{id}', /path parameter 'id'/)).toMatchObject({
      id: 'sunset-soon',
      message: "GET /pets/{id}: path parameter 'id' sunsets on 2026-07-01, in 16 days (also reached from 1 other operation)",
      location: { file: 'openapi.yaml', line: lineOf(ROOT, /x-sunset: '2026-07-01'/) },
      data: { element: "path parameter 'id'", operations: ['GET /pets/{id}', 'DELETE /pets/{id}'] },
    });
  });

  test("a $ref'd parameter used by three operations is one finding on the component, listing all three", () => {
    const limit = r.findings.filter((f) => f.message.includes("query parameter 'limit'"));
    expect(limit).toHaveLength(1);
    expect(limit[0]).toMatchObject({
      id: 'sunset-passed',
      operation: 'GET /pets',
      message: "GET /pets: query parameter 'limit' had its sunset on 2026-06-01, 14 days ago, and is still in the spec: remove it (also reached from 2 other operations)",
      location: { file: 'openapi.yaml', line: lineOf(ROOT, /x-sunset: '2026-06-01'/) },
      data: { operations: ['GET /pets', 'POST /pets', 'GET /pets/{id}'], daysPast: 14 },
    });
    expect(r.schedule.filter((s) => s.element === "query parameter 'limit'")).toHaveLength(1);
  });

  test('a path item in another file: its operation is judged on that file’s lines', () => {
    const owners = r.schedule.find((s) => s.operation === 'GET /owners' && s.element === 'operation');
    expect(owners).toMatchObject({ sunset: '2026-08-01', days: 47, file: 'paths/owners.yaml', line: lineOf(OWNERS, /x-sunset: 2026-08-01/) });
    expect(r.findings.filter((f) => f.operation === 'GET /owners' && /: operation /.test(f.message))).toEqual([]);
  });

  test('a deprecated schema used as a whole body is judged, once per direction', () => {
    const line = lineOf(OWNERS, /x-sunset: '2026-05-01'/);
    expect(one('GET /owners', /response body/)).toMatchObject({ id: 'sunset-passed', location: { file: 'paths/owners.yaml', line }, data: { element: 'response body' } });
    expect(one('POST /owners', /request body/)).toMatchObject({ id: 'sunset-passed', location: { file: 'paths/owners.yaml', line }, data: { element: 'request body' } });
  });

  test('a date beyond --warn-days is in the schedule and gives no finding', () => {
    expect(r.schedule.find((s) => s.element === "header parameter 'X-Legacy'")).toMatchObject({ operation: 'POST /owners', days: 200 });
    expect(r.findings.filter((f) => f.message.includes('X-Legacy'))).toEqual([]);
  });

  test('the whole verdict: every finding, counted once', () => {
    expect(r.findings.map((f) => `${f.id} ${f.operation}`)).toEqual([
      'sunset-passed GET /owners',
      'sunset-passed GET /pets',
      'sunset-passed POST /owners',
      'sunset-passed POST /pets',
      'sunset-soon GET /pets',
      'sunset-soon GET /pets/{id}',
    ]);
    expect(r.metrics).toEqual({ operations: 6, deprecated: 7, 'sunset passed': 4 });
    expect(r.verdict).toBe('fail');
  });

  test('the markdown schedule lists each dated element once', () => {
    const md = renderLifecycle(r, 'markdown');
    const rows = md.split('\n').filter((l) => l.startsWith('| 20'));
    expect(rows).toHaveLength(8);
  });
});

describe('a deprecated body schema that is also a property', () => {
  test('is judged as the body and as the property, each once', () => {
    const text = `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /nodes:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node:
      type: object
      deprecated: true
      properties:
        parent: {$ref: '#/components/schemas/Node'}
`;
    const r = runLifecycle({ spec: 'openapi.yaml', cwd: folder({ 'openapi.yaml': text }), today: TODAY });
    expect(r.findings.map((f) => f.message)).toEqual([
      'GET /nodes: response body is deprecated without an x-sunset date',
      "GET /nodes: response property 'parent' is deprecated without an x-sunset date",
    ]);
    expect(r.metrics!.deprecated).toBe(1);
  });
});
