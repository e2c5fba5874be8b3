/** Each lint rule firing (with its line) on BAD_SPEC, and not firing where the spec is right. */
import { afterAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { runDesign } from '../../src/design/run.js';
import type { Finding } from '../../src/kit/result.js';
import { BAD_SPEC, cleanup, folder, lineOf, ROOT } from './helpers.js';

afterAll(cleanup);

function lint(spec: string, rules?: string): Finding[] {
  const files: Record<string, string> = { 'openapi.yaml': spec };
  if (rules !== undefined) files['rules.yaml'] = rules;
  const dir = folder(files);
  return runDesign({ spec: 'openapi.yaml', cwd: dir, failOn: 'never', ...(rules !== undefined ? { rules: 'rules.yaml' } : {}) }).findings;
}

const bad = lint(BAD_SPEC);
const of = (id: string, fs = bad) => fs.filter((f) => f.id === id);
const L = (re: RegExp, after = 0) => lineOf(BAD_SPEC, re, after);

/** A minimal clean 3.0 spec with one operation; `op` replaces its body. */
function oneOp(op: string, extra = ''): string {
  return `openapi: 3.0.3
info: { title: t, version: '1' }
security:
  - bearerAuth: []
paths:
  /pets/{petId}:
    get:
${op
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
components:
  securitySchemes:
    bearerAuth: { type: http, scheme: bearer }
  responses:
    Problem:
      description: a problem
      content:
        application/problem+json:
          schema: { type: object }
${extra}`;
}

const CLEAN_OP = `operationId: getPet
summary: Get a pet
parameters:
  - { name: petId, in: path, required: true, schema: { type: string } }
responses:
  '200':
    description: ok
    content:
      application/json:
        schema: { type: object }
  '404':
    $ref: '#/components/responses/Problem'`;

describe('the fixture spec: every rule fires, on the right line', () => {
  test('a clean one-operation spec has no findings (the baseline for the negative cases)', () => {
    expect(lint(oneOp(CLEAN_OP))).toEqual([]);
  });

  test('security-missing: no requirement of its own and none document-wide, on the operation line', () => {
    expect(of('security-missing')).toEqual([
      expect.objectContaining({ level: 'error', operation: 'GET /userAccounts/{account_id}', location: { file: 'openapi.yaml', line: L(/^ {4}get:/) } }),
    ]);
    expect(of('security-missing')[0]!.message).toMatch(/^GET \/userAccounts\/\{account_id\}: has no security requirement/);
  });

  test('security-scheme-undefined: on the requirement naming the unknown scheme', () => {
    expect(of('security-scheme-undefined')).toEqual([
      expect.objectContaining({ level: 'error', operation: 'DELETE /userAccounts/{account_id}', location: { file: 'openapi.yaml', line: L(/- apiKey: \[\]/) } }),
    ]);
    expect(of('security-scheme-undefined')[0]!.message).toContain("names 'apiKey', which components.securitySchemes does not define");
  });

  test('security-public-unmarked: security: [] without x-public: true, on the security line', () => {
    expect(of('security-public-unmarked')).toEqual([
      expect.objectContaining({ level: 'warning', operation: 'GET /pets', location: { file: 'openapi.yaml', line: L(/security: \[\]/) } }),
    ]);
  });

  test('security-public-mismatch: x-public: true on an operation that requires credentials', () => {
    expect(of('security-public-mismatch')).toEqual([
      expect.objectContaining({ level: 'warning', operation: 'POST /pets', location: { file: 'openapi.yaml', line: L(/x-public: true/) } }),
    ]);
  });

  test('error-response-not-problem-json: a shared response reported once where it is written, naming both operations', () => {
    const [f, ...rest] = of('error-response-not-problem-json');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ level: 'error', operation: 'DELETE /userAccounts/{account_id}', location: { line: L(/^ {6}content:/, L(/^ {4}ServerError:/)) } });
    expect(f!.message).toBe(
      "DELETE /userAccounts/{account_id}: response 'ServerError' (used for 500) is application/json, not application/problem+json (RFC 9457 problem details): return problem details, or add your error format to options.error-media-types in the rules file (also in 1 other operation)",
    );
    expect(f!.data).toMatchObject({ operations: ['DELETE /userAccounts/{account_id}', 'POST /pets'] });
  });

  test('error-response-without-body and error-response-missing', () => {
    expect(of('error-response-without-body')).toEqual([
      expect.objectContaining({ level: 'warning', operation: 'GET /userAccounts/{account_id}', location: { file: 'openapi.yaml', line: L(/'404':/) } }),
    ]);
    expect(of('error-response-missing')).toEqual([
      expect.objectContaining({ level: 'warning', operation: 'DELETE /userAccounts/{account_id}', location: { file: 'openapi.yaml', line: L(/responses:/, L(/^ {4}delete:/)) } }),
    ]);
  });

  test('path-segment-not-kebab-case: once per path, on the path key, with the kebab-case spelling', () => {
    expect(of('path-segment-not-kebab-case')).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: "path '/userAccounts/{account_id}': segment 'userAccounts' is not kebab-case (write 'user-accounts')",
        location: { file: 'openapi.yaml', line: L(/^ {2}\/userAccounts/) },
        data: { operations: ['GET /userAccounts/{account_id}', 'DELETE /userAccounts/{account_id}'] },
      }),
    ]);
  });

  test('parameter-name-case: path and query parameters, a path-level one reported once', () => {
    expect(of('parameter-name-case').map((f) => [f.operation, f.location?.line, f.message])).toEqual([
      ['GET /pets', L(/name: page_size/), "GET /pets: query parameter 'page_size' is not camelCase (write 'pageSize')"],
      ['GET /userAccounts/{account_id}', L(/name: account_id/), "GET /userAccounts/{account_id}: path parameter 'account_id' is not camelCase (write 'accountId') (also in 1 other operation)"],
    ]);
  });

  test('path-parameter-mismatch: a {param} not declared, and a declared path parameter not in the path', () => {
    expect(of('path-parameter-mismatch').map((f) => [f.level, f.location?.line, f.message])).toEqual([
      ['error', L(/^ {4}get:/, L(/^ {2}\/pets\/\{id\}:/)), 'GET /pets/{id}: path parameter {id} is not declared: add a parameter with in: path, name: id, required: true'],
      ['error', L(/name: petId/), "GET /pets/{id}: path parameter 'petId' is not in the path '/pets/{id}'"],
    ]);
  });

  test('operation-id-missing and operation-id-duplicate (on the second one, naming the first and its line)', () => {
    expect(of('operation-id-missing')).toEqual([expect.objectContaining({ level: 'warning', operation: 'GET /userAccounts/{account_id}', location: { file: 'openapi.yaml', line: L(/^ {4}get:/) } })]);
    const first = L(/operationId: listPets/);
    expect(of('operation-id-duplicate')).toEqual([
      expect.objectContaining({
        level: 'error',
        operation: 'POST /pets',
        message: `POST /pets: operationId 'listPets' is also the operationId of GET /pets (line ${first}): operationIds must be unique`,
        location: { file: 'openapi.yaml', line: L(/operationId: listPets/, first) },
      }),
    ]);
  });

  test('schema-name-not-pascal-case: on the component key', () => {
    expect(of('schema-name-not-pascal-case')).toEqual([
      expect.objectContaining({ level: 'warning', message: "schema 'pet_record' is not PascalCase (write 'PetRecord')", location: { file: 'openapi.yaml', line: L(/^ {4}pet_record:/) } }),
    ]);
  });

  test('operation-summary-missing (a description alone is enough)', () => {
    expect(of('operation-summary-missing').map((f) => f.operation)).toEqual(['GET /userAccounts/{account_id}']);
  });

  test('success-response-schema-missing: no body at all, and a media type without a schema; 204 is fine', () => {
    expect(of('success-response-schema-missing').map((f) => [f.operation, f.location?.line, f.message])).toEqual([
      ['GET /pets', L(/application\/json: \{\}/), 'GET /pets: 200 response has no schema for application/json'],
      ['GET /userAccounts/{account_id}', L(/'200':/), 'GET /userAccounts/{account_id}: 200 response has no body: describe it with a schema (or answer 204 No Content)'],
    ]);
  });

  test('component-unused: a scheme no requirement names, a schema nothing reaches and what only it references', () => {
    expect(of('component-unused').map((f) => [f.level, f.location?.line, f.message])).toEqual([
      ['info', L(/basicAuth:/), 'components/securitySchemes/basicAuth is not used by any operation: remove it or reference it'],
      ['info', L(/^ {4}Orphan:/), 'components/schemas/Orphan is not used by any operation: remove it or reference it'],
      ['info', L(/^ {4}OrphanChild:/), 'components/schemas/OrphanChild is not used by any operation: remove it or reference it'],
    ]);
  });

  test('every finding names the operation or the element, worst first', () => {
    expect(bad.map((f) => f.level)).toEqual([...bad.map((f) => f.level)].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
    for (const f of bad) expect(f.location?.line).toBeGreaterThan(0);
  });
});

describe('rules that do not fire where the spec is right', () => {
  test('security: [] with x-public: true is a public operation on purpose', () => {
    expect(lint(oneOp(`security: []\nx-public: true\n${CLEAN_OP}`))).toEqual([]);
  });

  test('an empty {} alternative beside a scheme (optional credentials) needs the marker too', () => {
    const fs = lint(oneOp(`security:\n  - {}\n  - bearerAuth: []\n${CLEAN_OP}`));
    expect(fs.map((f) => f.id)).toEqual(['security-public-unmarked']);
    expect(fs[0]!.message).toContain('an empty {} alternative');
  });

  test('problem+json with parameters, a 4XX range and a default response are accepted; HEAD needs no bodies', () => {
    const op = CLEAN_OP.replace("'404':\n    $ref: '#/components/responses/Problem'", `'4XX':
    description: client error
    content:
      application/problem+json; charset=utf-8:
        schema: { type: object }
  default:
    $ref: '#/components/responses/Problem'`);
    expect(lint(oneOp(op))).toEqual([]);
    const head = oneOp(CLEAN_OP).replace('    get:\n', `    head:
      operationId: headPet
      summary: Check a pet
      parameters:
        - { name: petId, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: exists }
        '404': { description: no such pet }
    get:
`);
    expect(lint(head)).toEqual([]);
  });

  test('204 and 205 need no schema', () => {
    expect(lint(oneOp(CLEAN_OP.replace(/'200':[\s\S]*?schema: \{ type: object \}\n/, "'204':\n    description: done\n  '205':\n    description: reset\n")))).toEqual([]);
  });

  test('kebab-case paths with versions, file suffixes and params inside a segment are fine', () => {
    const spec = oneOp(CLEAN_OP).replace('/pets/{petId}:', '/v2/pet-records/{petId}.json:');
    expect(lint(spec)).toEqual([]);
    const bad2 = lint(oneOp(CLEAN_OP).replace('/pets/{petId}:', '/pet_records/{petId}/Photos:'));
    expect(bad2.map((f) => f.message)).toEqual(["path '/pet_records/{petId}/Photos': segments 'pet_records', 'Photos' are not kebab-case (write 'pet-records', 'photos')"]);
  });

  test('header and cookie parameters are not held to the parameter case; deepObject names are judged part by part', () => {
    const op = CLEAN_OP.replace(
      'parameters:\n',
      "parameters:\n  - { name: X-Request-ID, in: header, schema: { type: string } }\n  - { name: session_id, in: cookie, schema: { type: string } }\n  - { name: 'filter[petType]', in: query, schema: { type: string } }\n",
    );
    expect(lint(oneOp(op))).toEqual([]);
  });

  test('a schema reached only through a discriminator mapping or another file is used', () => {
    const extra = `  schemas:
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          dog: Dog
    Cat: { type: object }
    Dog: { type: object }
`;
    const op = CLEAN_OP.replace('schema: { type: object }', "schema: { $ref: '#/components/schemas/Pet' }");
    expect(lint(oneOp(op, extra))).toEqual([]);
  });

  test('an Example Object map is structure: a `default` example $ref makes the example used', () => {
    const extra = `  examples:
    Rex:
      value: { name: Rex }
`;
    const op = CLEAN_OP.replace('schema: { type: object }', "schema: { type: object }\n        examples:\n          default: { $ref: '#/components/examples/Rex' }");
    expect(lint(oneOp(op, extra))).toEqual([]);
  });

  test('a $ref inside an example is data: it does not make a component used', () => {
    const extra = `  schemas:
    Unused: { type: object }
`;
    const op = CLEAN_OP.replace('schema: { type: object }', "schema: { type: object }\n        example: { $ref: '#/components/schemas/Unused' }");
    expect(lint(oneOp(op, extra)).map((f) => f.id)).toEqual(['component-unused']);
  });
});

describe('options', () => {
  test('parameter-case snake_case: snake_case names pass, camelCase ones are reported with the snake_case spelling', () => {
    const op = CLEAN_OP.replace(/petId/g, 'pet_id').replace('parameters:\n', 'parameters:\n  - { name: pageSize, in: query, schema: { type: integer } }\n');
    const fs = lint(oneOp(op).replace('{petId}', '{pet_id}'), 'options:\n  parameter-case: snake_case\n');
    expect(fs.map((f) => f.message)).toEqual(["GET /pets/{pet_id}: query parameter 'pageSize' is not snake_case (write 'page_size')"]);
  });

  test('error-media-types: another problem type is accepted, problem+json then reported', () => {
    const xml = CLEAN_OP.replace("$ref: '#/components/responses/Problem'", "description: nf\n    content:\n      application/problem+xml:\n        schema: { type: object }");
    const ids = (rules?: string) => lint(oneOp(xml), rules).map((f) => f.id).filter((id) => id !== 'component-unused');
    expect(ids()).toEqual(['error-response-not-problem-json']);
    expect(ids('options:\n  error-media-types: [application/problem+json, application/problem+xml]\n')).toEqual([]);
  });
});

describe('the starter template', () => {
  test('templates/API-spec-openapi.yaml passes the lint with the default rules: no finding at all', () => {
    const r = runDesign({ spec: 'templates/API-spec-openapi.yaml', cwd: ROOT });
    expect(r.findings).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.metrics).toMatchObject({ operations: 5, 'public operations': 1 });
  });

  test('the example petstore spec passes too (the demo shows it)', () => {
    expect(runDesign({ spec: path.join('examples/petstore/openapi.v2.yaml'), cwd: ROOT }).findings).toEqual([]);
  });
});
