import { afterAll, describe, expect, test } from '@jest/globals';
import { runLifecycle, type LifecycleResult } from '../../src/lifecycle/run.js';
import { cleanup, folder, lineOf } from './helpers.js';

afterAll(cleanup);

const TODAY = '2026-11-28';
const run = (text: string, file = 'openapi.yaml'): LifecycleResult => runLifecycle({ spec: file, cwd: folder({ [file]: text }), today: TODAY });
const lines = (r: LifecycleResult) => r.findings.map((f) => `${f.id} ${f.operation} ${f.location?.line ?? '-'}`).sort();

const RECURSIVE = `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
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
      properties:
        parent:
          $ref: '#/components/schemas/Node'
          deprecated: true
          x-sunset: '2026-12-01'
        children:
          type: array
          items: {$ref: '#/components/schemas/Node', readOnly: true}
`;

const SIBLINGS = `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /orders:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
components:
  schemas:
    Money:
      type: object
      deprecated: true
      x-sunset: '2026-12-01'
    Order:
      type: object
      properties:
        total: {$ref: '#/components/schemas/Money', readOnly: true}
        tax: {$ref: '#/components/schemas/Money', readOnly: true}
`;

const PATH_ITEM = `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /legacy:
    x-sunset: '2026-12-01'
    get:
      deprecated: true
      responses: {'200': {description: ok}}
    delete:
      responses: {'204': {description: ok}}
  /old:
    x-sunset: '2026-11-01'
    get:
      deprecated: true
      responses: {'200': {description: ok}}
`;

const STRING_DEPRECATED = `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      deprecated: "true"
      responses: {'200': {description: ok}}
    post:
      deprecated: "true"
      x-sunset: '2027-01-01'
      responses: {'200': {description: ok}}
`;

describe('lifecycle walks what real specs write', () => {
  test('a recursive schema through a 3.1 $ref with siblings is walked once, not until the stack overflows', () => {
    expect(lines(run(RECURSIVE))).toEqual([`sunset-soon GET /a ${lineOf(RECURSIVE, /x-sunset/)}`]);
  });

  test('a deprecated component reached through $refs with siblings is one finding, on the component line', () => {
    const r = run(SIBLINGS);
    expect(lines(r)).toEqual([`sunset-soon GET /orders ${lineOf(SIBLINGS, /x-sunset/)}`]);
    expect(r.metrics!.deprecated).toBe(1);
  });

  test('x-sunset on a path item is judged once for all its operations; a deprecated operation under it needs no date of its own', () => {
    const r = run(PATH_ITEM);
    expect(lines(r)).toEqual(
      [
        `sunset-soon GET /legacy ${lineOf(PATH_ITEM, /x-sunset: '2026-12-01'/)}`,
        `sunset-without-deprecation GET /legacy ${lineOf(PATH_ITEM, /x-sunset: '2026-12-01'/)}`,
        `sunset-passed GET /old ${lineOf(PATH_ITEM, /x-sunset: '2026-11-01'/)}`,
      ].sort(),
    );
    const soon = r.findings.find((f) => f.id === 'sunset-soon')!;
    expect(soon.message).toBe("GET /legacy: path item '/legacy' sunsets on 2026-12-01, in 3 days (also reached from 1 other operation)");
    expect(soon.data).toMatchObject({ element: "path item '/legacy'", operations: ['GET /legacy', 'DELETE /legacy'] });
    expect(r.findings.find((f) => f.id === 'sunset-without-deprecation')!.message).toMatch(/not all its operations are marked deprecated: true/);
  });

  test('deprecated: "true" as a string is reported, and the message says why it does not count', () => {
    const r = run(STRING_DEPRECATED);
    expect(lines(r)).toEqual([`deprecated-without-sunset GET /a 6`, `sunset-without-deprecation POST /a 10`]);
    expect(r.findings.map((f) => f.message).sort()).toEqual([
      'GET /a: operation is marked deprecated without an x-sunset date (deprecated is "true", not the boolean true)',
      'POST /a: operation has an x-sunset date but is not marked deprecated: true (deprecated is "true", not the boolean true)',
    ]);
    expect(r.metrics!.deprecated).toBe(0);
  });

  test('an HTTP-date sunset, as the Sunset header writes it, is invalid with a hint naming the date to write', () => {
    const text = `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      deprecated: true\n      x-sunset: 'Sat, 31 Jan 2026 00:00:00 GMT'\n      responses: {'200': {description: ok}}\n`;
    const [f] = run(text).findings;
    expect(f).toMatchObject({ id: 'invalid-sunset', location: { line: 7 } });
    expect(f!.message).toMatch(/this is an HTTP-date, as the Sunset header writes it: in x-sunset write '2026-01-31'/);
  });
});
