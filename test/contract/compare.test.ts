import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMockLocation } from '../../src/contract/compare.js';
import { runCompare } from '../../src/contract/run.js';
import { InputError } from '../../src/kit/errors.js';
import { SHARED } from '../breaking/helpers.js';
import { cleanTemp, EXAMPLE_PACT, pactText, ROOT, SPEC_V1, SPEC_V2, tempDir } from './helpers.js';

afterAll(cleanTemp);

async function inputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('the example consumer pact against the Petstore specs', () => {
  test('v2 (what the server implements): every interaction passes', async () => {
    const r = await runCompare({ cwd: ROOT, pactFiles: EXAMPLE_PACT, openapi: SPEC_V2 });
    expect(r.verdict).toBe('pass');
    expect(r.findings).toEqual([]);
    expect(r.interactions).toHaveLength(4);
    expect(r.interactions.every((i) => i.result === 'pass' && i.consumer === 'petstore-web')).toBe(true);
    expect(r.interactions.find((i) => i.description === 'a request for pet pet-1')!.state).toBe('a pet exists');
  });

  test('v1: each mismatch is located at the interaction in the pact file and names the spec operation', async () => {
    const r = await runCompare({ cwd: ROOT, pactFiles: EXAMPLE_PACT, openapi: SPEC_V1 });
    expect(r.verdict).toBe('fail');
    const text = readFileSync(path.join(ROOT, EXAMPLE_PACT), 'utf8').split('\n');
    const one = r.findings.find((f) => f.data?.interaction === 'a request for pet pet-1')!;
    expect(one).toMatchObject({ id: 'response.body.incompatible', level: 'error', operation: 'GET /pets/{petId}' });
    expect(one.location!.file).toBe(EXAMPLE_PACT);
    // The line points into that interaction: its response body.
    expect(text[one.location!.line! - 1]).toMatch(/^\s*"body": \{/);
    const index = one.data!.interactionIndex as number;
    expect(one.message).toContain(`interactions[${index}] 'a request for pet pet-1'`);
    expect(one.message).toContain('must NOT have additional properties - species');
    expect(one.message).toContain('examples/petstore/openapi.v1.yaml: GET /pets/{petId}');
    // The unknown query parameter is a warning on the query line.
    const query = r.findings.find((f) => f.id === 'request.query.unknown')!;
    expect(query.level).toBe('warning');
    expect(text[query.location!.line! - 1]).toMatch(/"species"/);
    // One row per interaction; the failing ones name their codes.
    expect(r.interactions.filter((i) => i.result === 'fail').map((i) => i.description).sort()).toEqual([
      'a request for pet pet-1',
      'a request to create a pet',
      'a request to list dogs',
    ]);
    expect(r.metrics).toMatchObject({ pacts: 1, interactions: 4, 'failed interactions': 3 });
  });

  test('fail-on never reports the same findings and passes', async () => {
    const r = await runCompare({ cwd: ROOT, pactFiles: EXAMPLE_PACT, openapi: SPEC_V1, failOn: 'never' });
    expect(r.verdict).toBe('pass');
    expect(r.findings.length).toBeGreaterThan(0);
  });

  test('an unknown path is an error with no operation to name', async () => {
    const d = tempDir({
      'pact.json': pactText([{ description: 'reads orders', request: { method: 'GET', path: '/orders' }, response: { status: 200 } }]),
    });
    const r = await runCompare({ cwd: d, pactFiles: 'pact.json', openapi: path.join(ROOT, SPEC_V2) });
    const pathLine = readFileSync(path.join(d, 'pact.json'), 'utf8').split('\n').findIndex((l) => l.includes('"path": "/orders"')) + 1;
    expect(r.findings).toEqual([expect.objectContaining({ id: 'request.path-or-method.unknown', level: 'error', location: { file: 'pact.json', line: pathLine } })]);
    expect(r.findings[0]!.operation).toBeUndefined();
    expect(r.findings[0]!.message).toContain('GET /orders');
  });
});

const bdct = path.join(SHARED, 'formats/pact/bdct-example');
const hasShared = existsSync(bdct);
if (!hasShared) console.log(`skipped: ${bdct} is absent (the shared comparator fixtures exist in CI only)`);
(hasShared ? describe : describe.skip)('the shared bdct-example (v3 and v4 pacts)', () => {
  test.each([
    ['pact-v3-ok.json', 'pass'],
    ['pact-v4-ok.json', 'pass'],
    ['pact-v3-bad.json', 'fail'],
    ['pact-v4-bad.json', 'fail'],
  ])('%s → %s', async (file, verdict) => {
    const r = await runCompare({ cwd: bdct, pactFiles: file, openapi: 'openapi.yaml' });
    expect(r.verdict).toBe(verdict);
    for (const f of r.findings) expect(f.location).toEqual({ file, line: expect.any(Number) });
  });
  test('a v4 wrapped body is located at the deepest part that exists', async () => {
    const r = await runCompare({ cwd: bdct, pactFiles: 'pact-v4-bad.json', openapi: 'openapi.yaml' });
    const f = r.findings.find((x) => x.id === 'response.body.incompatible')!;
    expect(f.operation).toBe('GET /orders/{id}');
    const line = readFileSync(path.join(bdct, 'pact-v4-bad.json'), 'utf8').split('\n')[f.location!.line! - 1]!;
    expect(line).toMatch(/"body"|"content"|"status"/);
  });
});

describe('bad input: the same clear errors as the breaking gate for the spec', () => {
  const pact = pactText([{ description: 'd', request: { method: 'GET', path: '/' }, response: { status: 200 } }]);
  test('a spec with a $ref cycle', async () => {
    const d = tempDir({
      'pact.json': pact,
      'spec.yaml': "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n",
    });
    expect((await inputError(runCompare({ cwd: d, pactFiles: 'pact.json', openapi: 'spec.yaml' }))).message).toMatch(/^spec\.yaml at \/components\/schemas\/\w: \$ref cycle/);
  });
  test('an unknown OpenAPI version', async () => {
    const d = tempDir({ 'pact.json': pact, 'spec.yaml': "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n" });
    expect((await inputError(runCompare({ cwd: d, pactFiles: 'pact.json', openapi: 'spec.yaml' }))).message).toBe(
      "spec.yaml: field 'openapi' is \"4.0.0\": expected 3.0.x or 3.1.x",
    );
  });
  test('a pact that is not JSON', async () => {
    const d = tempDir({ 'pact.json': 'consumer: web\n' });
    expect((await inputError(runCompare({ cwd: d, pactFiles: 'pact.json', openapi: path.join(ROOT, SPEC_V2) }))).message).toMatch(/^pact\.json: not a pact file: not valid JSON/);
  });
  test('a spec split over files whose $ref points at nothing', async () => {
    const d = tempDir({
      'pact.json': pact,
      'spec.yaml': "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /:\n    get:\n      responses:\n        '200':\n          $ref: 'common.yaml#/missing'\n",
      'common.yaml': 'ok:\n  description: ok\n',
    });
    expect((await inputError(runCompare({ cwd: d, pactFiles: 'pact.json', openapi: 'spec.yaml' }))).message).toMatch(/\$ref 'common\.yaml#\/missing' points at nothing in common\.yaml/);
  });
  test('no openapi given', async () => {
    expect((await inputError(runCompare({ cwd: ROOT, pactFiles: EXAMPLE_PACT }))).message).toMatch(/^openapi: required/);
  });
});

test('comparator locations are parsed into the pact path', () => {
  expect(parseMockLocation('[root].interactions[3].response.body.items.0')).toEqual({ list: 'interactions', index: 3, path: ['response', 'body', 'items', '0'] });
  expect(parseMockLocation('[root].interactions[0]')).toEqual({ list: 'interactions', index: 0, path: [] });
  expect(parseMockLocation('[root].interactions[1].response.body.items[2].name')?.path).toEqual(['response', 'body', 'items', '2', 'name']);
  expect(parseMockLocation(undefined)).toBeUndefined();
});

describe('a spec split over files (bundled into one document for the comparator)', () => {
  // Pets in their own file, each with a list of related pets (a cycle inside that file), reached
  // from the root through a response in a third file.
  const files = {
    'spec.yaml': [
      'openapi: 3.0.3',
      "info: {title: t, version: '1'}",
      'paths:',
      '  /pets/{id}:',
      '    get:',
      '      parameters: [{name: id, in: path, required: true, schema: {type: string}}]',
      '      responses:',
      "        '200': {$ref: 'responses/pet.yaml#/PetResponse'}",
      '',
    ].join('\n'),
    'responses/pet.yaml': ['PetResponse:', '  description: a pet', '  content:', '    application/json:', "      schema: {$ref: '../schemas/pet.yaml#/Pet'}", ''].join('\n'),
    'schemas/pet.yaml': [
      'Pet:',
      '  type: object',
      '  required: [id, name]',
      '  properties:',
      '    id: {type: string}',
      '    name: {type: string}',
      "    related: {type: array, items: {$ref: '#/Pet'}}",
      '',
    ].join('\n'),
  };
  const pactWith = (body: unknown) =>
    pactText([{ description: 'a pet', request: { method: 'GET', path: '/pets/1' }, response: { status: 200, headers: { 'Content-Type': 'application/json' }, body } }]);

  test('a pact that matches the split spec passes', async () => {
    const d = tempDir({ ...files, 'pact.json': pactWith({ id: '1', name: 'Rex', related: [{ id: '2', name: 'Fido' }] }) });
    const r = await runCompare({ cwd: d, pactFiles: 'pact.json', openapi: 'spec.yaml' });
    expect(r.findings).toEqual([]);
    expect(r.verdict).toBe('pass');
  });

  test('a mismatch inside a schema from another file (and inside its cycle) fails the interaction', async () => {
    const d = tempDir({ ...files, 'pact.json': pactWith({ id: '1', name: 'Rex', related: [{ id: 2, name: 'Fido' }] }) });
    const r = await runCompare({ cwd: d, pactFiles: 'pact.json', openapi: 'spec.yaml' });
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((f) => [f.id, f.operation])).toContainEqual(['response.body.incompatible', 'GET /pets/{id}']);
  });
});
