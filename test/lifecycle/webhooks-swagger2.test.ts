/** 3.1 webhooks are judged like path operations; Swagger 2.0 parameters and schemas use `x-deprecated`. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { runLifecycle, type LifecycleResult } from '../../src/lifecycle/run.js';
import { cleanup, folder, lineOf, TODAY } from './helpers.js';

afterAll(cleanup);

const run = (files: Record<string, string>, spec = Object.keys(files)[0]!): LifecycleResult =>
  runLifecycle({ spec, cwd: folder(files), today: TODAY });
const summary = (r: LifecycleResult) => r.findings.map((f) => `${f.id} | ${f.message} | ${f.location?.line ?? '-'}`).sort();

const WEBHOOKS = `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses: {'200': {description: ok}}
webhooks:
  newPet:
    post:
      deprecated: true
      x-sunset: '2026-06-01'
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses: {'200': {description: ok}}
  petGone:
    $ref: '#/components/pathItems/PetGone'
components:
  pathItems:
    PetGone:
      x-sunset: '2026-07-01'
      post:
        deprecated: true
        parameters:
          - {name: X-Signature, in: header, deprecated: true, schema: {type: string}}
        responses: {'200': {description: ok}}
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string, deprecated: true, x-sunset: '2026-06-20'}
`;

describe('OpenAPI 3.1 webhooks', () => {
  const r = run({ 'openapi.yaml': WEBHOOKS });

  test('operations under webhooks get the same findings as path operations, named WEBHOOK METHOD name', () => {
    expect(summary(r)).toEqual(
      [
        `sunset-passed | WEBHOOK POST newPet: operation had its sunset on 2026-06-01, 14 days ago, and is still in the spec: remove it | ${lineOf(WEBHOOKS, /x-sunset: '2026-06-01'/)}`,
        `sunset-soon | WEBHOOK POST newPet: request property 'name' sunsets on 2026-06-20, in 5 days | ${lineOf(WEBHOOKS, /x-sunset: '2026-06-20'/)}`,
        // The webhook's path item (a $ref'd 3.1 component) carries the date of its operations.
        `sunset-soon | WEBHOOK POST petGone: webhook 'petGone' sunsets on 2026-07-01, in 16 days | ${lineOf(WEBHOOKS, /x-sunset: '2026-07-01'/)}`,
        `deprecated-without-sunset | WEBHOOK POST petGone: header parameter 'X-Signature' is deprecated without an x-sunset date | ${lineOf(WEBHOOKS, /X-Signature/)}`,
      ].sort(),
    );
    expect(r.findings.every((f) => f.operation?.startsWith('WEBHOOK POST '))).toBe(true);
  });

  test('they count as operations and appear in the schedule', () => {
    expect(r.metrics).toMatchObject({ operations: 3, 'sunset passed': 1 });
    expect(r.schedule.map((s) => `${s.operation} ${s.element} ${s.sunset}`)).toEqual([
      'WEBHOOK POST newPet operation 2026-06-01',
      "WEBHOOK POST newPet request property 'name' 2026-06-20",
      "WEBHOOK POST petGone webhook 'petGone' 2026-07-01",
    ]);
  });

  test('a schema shared by a path operation and a webhook is judged for each, once per direction', () => {
    const text = WEBHOOKS.replace(
      "      responses: {'200': {description: ok}}\nwebhooks:",
      "      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\nwebhooks:",
    );
    const names = run({ 'openapi.yaml': text }).findings.filter((f) => /property 'name'/.test(f.message));
    expect(names.map((f) => [f.operation, f.data?.operations])).toEqual([
      ['GET /pets', undefined], // response property
      ['WEBHOOK POST newPet', undefined], // request property
    ]);
  });

  test('a 3.0 spec has no webhooks: a webhooks key there is not read', () => {
    const r30 = run({ 'openapi.yaml': WEBHOOKS.replace('openapi: 3.1.0', 'openapi: 3.0.3') });
    expect(r30.findings).toEqual([]);
    expect(r30.metrics!.operations).toBe(1);
  });
});

const SWAGGER2 = `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      parameters:
        - {name: limit, in: query, type: integer, x-deprecated: true, x-sunset: '2026-06-01'}
        - {name: sort, in: query, type: string, x-sunset: '2026-06-20'}
        - {name: q, in: query, type: string, x-deprecated: true}
        - {name: page, in: query, type: integer, x-deprecated: 'true', x-sunset: '2026-09-01'}
        - $ref: '#/parameters/Cursor'
      responses:
        '200':
          description: ok
          schema: {$ref: '#/definitions/Pet'}
    post:
      deprecated: true
      x-sunset: '2026-12-01'
      parameters:
        - name: body
          in: body
          schema: {$ref: '#/definitions/Pet'}
      responses: {'201': {description: created}}
parameters:
  Cursor: {name: cursor, in: query, type: string, x-deprecated: true, x-sunset: '2026-06-30'}
definitions:
  Pet:
    type: object
    properties:
      tag: {type: string, x-deprecated: true, x-sunset: '2026-06-10'}
      owner: {$ref: '#/definitions/Owner', x-deprecated: true}
  Owner:
    type: object
`;

describe('Swagger 2.0: x-deprecated on parameters and schemas', () => {
  const r = run({ 'swagger.yaml': SWAGGER2 });
  const at = (re: RegExp) => lineOf(SWAGGER2, re);

  test('x-deprecated: true counts as deprecated, so a dated one is not sunset-without-deprecation', () => {
    expect(summary(r)).toEqual(
      [
        `sunset-passed | GET /pets: query parameter 'limit' had its sunset on 2026-06-01, 14 days ago, and is still in the spec: remove it | ${at(/name: limit/)}`,
        `sunset-passed | GET /pets: response property 'tag' had its sunset on 2026-06-10, 5 days ago, and is still in the spec: remove it | ${at(/tag:/)}`,
        `sunset-passed | POST /pets: request property 'tag' had its sunset on 2026-06-10, 5 days ago, and is still in the spec: remove it | ${at(/tag:/)}`,
        `sunset-soon | GET /pets: query parameter 'cursor' sunsets on 2026-06-30, in 15 days | ${at(/Cursor: \{/)}`,
        `sunset-soon | GET /pets: query parameter 'sort' sunsets on 2026-06-20, in 5 days | ${at(/name: sort/)}`,
        // Neither key: the message names the one Swagger 2.0 can carry.
        `sunset-without-deprecation | GET /pets: query parameter 'sort' has an x-sunset date but is not marked x-deprecated: true | ${at(/name: sort/)}`,
        `sunset-without-deprecation | GET /pets: query parameter 'page' has an x-sunset date but is not marked x-deprecated: true (x-deprecated is "true", not the boolean true) | ${at(/name: page/)}`,
        `deprecated-without-sunset | GET /pets: query parameter 'q' is deprecated without an x-sunset date | ${at(/name: q/)}`,
        // Beside a $ref, as Swagger 2.0 files often write it.
        `deprecated-without-sunset | GET /pets: response property 'owner' is deprecated without an x-sunset date | ${at(/owner:/)}`,
        `deprecated-without-sunset | POST /pets: request property 'owner' is deprecated without an x-sunset date | ${at(/owner:/)}`,
      ].sort(),
    );
  });

  test('the operation keeps its own deprecated field; metrics count x-deprecated elements', () => {
    expect(r.schedule.find((s) => s.operation === 'POST /pets' && s.element === 'operation')).toMatchObject({ sunset: '2026-12-01', deprecated: true });
    // limit, q, cursor, tag, owner, and the POST operation.
    expect(r.metrics!.deprecated).toBe(6);
  });

  test('deprecated: true on a Swagger 2.0 parameter (not in the 2.0 schema) still counts', () => {
    const text = SWAGGER2.replace("name: sort, in: query, type: string, x-sunset: '2026-06-20'", "name: sort, in: query, type: string, deprecated: true, x-sunset: '2026-06-20'");
    expect(run({ 'swagger.yaml': text }).findings.filter((f) => f.message.includes("'sort'")).map((f) => f.id)).toEqual(['sunset-soon']);
  });

  test('x-deprecated means nothing in OpenAPI 3, which has deprecated everywhere', () => {
    const text = `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      parameters:
        - {name: limit, in: query, x-deprecated: true, x-sunset: '2026-07-01', schema: {type: integer}}
      responses: {'200': {description: ok}}
`;
    expect(run({ 'openapi.yaml': text }).findings.map((f) => f.id).sort()).toEqual(['sunset-soon', 'sunset-without-deprecation']);
    expect(run({ 'openapi.yaml': text }).findings.find((f) => f.id === 'sunset-without-deprecation')!.message).toMatch(/is not marked deprecated: true$/);
  });
});
