/**
 * A Swagger 2.0 spec split over files whose other files refer back into the root. The root is
 * converted to OpenAPI 3 (`#/definitions/X` → `#/components/schemas/X`), but the other files still
 * name it with Swagger 2.0 pointers: those must land on the converted nodes, on the original lines.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkBreaking } from '../../src/breaking/engine.js';
import { bundleSpec } from '../../src/breaking/spec/bundle.js';
import { loadSpec, type Spec } from '../../src/breaking/spec/load.js';
import type { Doc } from '../../src/breaking/spec/doc.js';
import { child, own, type Loc } from '../../src/breaking/spec/loc.js';
import { specOperations } from '../../src/breaking/spec/operations.js';
import { main } from '../../src/cli/main.js';
import { InputError } from '../../src/kit/errors.js';
import { runLifecycle } from '../../src/lifecycle/run.js';
import { lineOf } from './helpers.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(tmpdir(), 'swagger2-split-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    writeFileSync(path.join(d, name), text);
  }
  return d;
}

const ROOT = `swagger: '2.0'
info: { title: Pets, version: '1' }
paths:
  /pets:
    get:
      parameters:
        - $ref: './shared.yaml#/Limit'
      responses:
        '200':
          description: ok
          schema:
            $ref: './definitions.yaml#/Pet'
        default:
          $ref: './shared.yaml#/Error'
  /owners/{id}:
    get:
      parameters:
        - { name: id, in: path, required: true, type: string }
      responses:
        '200':
          description: ok
          schema:
            $ref: '#/definitions/Owner'
definitions:
  Owner:
    type: object
    properties:
      name: { type: string }
      age: { type: integer }
      pets:
        type: array
        items:
          $ref: './definitions.yaml#/Pet'
parameters:
  LimitParam:
    name: limit
    in: query
    type: integer
    maximum: 100
responses:
  ErrorResponse:
    description: failed
    schema:
      type: object
      properties:
        code: { type: integer }
`;

// Back into the root (`./swagger.yaml#/definitions/Owner`), and within itself (`#/Tag`).
const DEFINITIONS = `Pet:
  type: object
  properties:
    id: { type: string }
    owner:
      $ref: './swagger.yaml#/definitions/Owner'
    tag:
      $ref: '#/Tag'
Tag:
  type: object
  properties:
    label: { type: string }
`;

const SHARED = `Limit:
  $ref: './swagger.yaml#/parameters/LimitParam'
Error:
  $ref: 'swagger.yaml#/responses/ErrorResponse'
`;

const FILES = { 'swagger.yaml': ROOT, 'definitions.yaml': DEFINITIONS, 'shared.yaml': SHARED };

/** The node a `$ref` chain from `loc` ends at, and its line in its file. */
function landing(spec: Spec, loc: Loc): { file: string; path: string; line?: number } {
  const to = spec.deref(loc);
  return { file: to.doc.name, path: to.path.join('/'), line: to.doc.lines([to.path])[0] };
}

function loadError(files: Record<string, string>): InputError {
  try {
    loadSpec('swagger.yaml', { cwd: dir(files) });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an input error');
}

describe('a back-reference from another file into a Swagger 2.0 root', () => {
  let spec: Spec;
  let defs: Doc;
  let shared: Doc;
  beforeAll(() => {
    spec = loadSpec('swagger.yaml', { cwd: dir(FILES) });
    defs = [...spec.docs.values()].find((d) => d.name === 'definitions.yaml')!;
    shared = [...spec.docs.values()].find((d) => d.name === 'shared.yaml')!;
  });
  const at = (doc: Doc, ...path: string[]): Loc => path.reduce<Loc>((l, k) => child(l, k), { v: doc.value, doc, path: [] });

  it('#/definitions/… lands on the converted schema, on the line of the definition', () => {
    expect(landing(spec, at(defs, 'Pet', 'properties', 'owner'))).toEqual({
      file: 'swagger.yaml',
      path: 'components/schemas/Owner',
      line: lineOf(ROOT, '  Owner:'),
    });
  });

  it('is the same node the root reaches with its own #/definitions/… ref', () => {
    const viaRoot = spec.target(at(spec.root, 'paths', '/owners/{id}', 'get', 'responses', '200', 'content', 'application/json', 'schema'));
    expect(spec.deref(at(defs, 'Pet', 'properties', 'owner')).v).toBe(viaRoot.v);
  });

  it('#/parameters/… and #/responses/… land on the converted parameter and response', () => {
    const limit = spec.deref(at(shared, 'Limit'));
    expect(limit.path).toEqual(['components', 'parameters', 'LimitParam']);
    expect(limit.v).toMatchObject({ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } });
    expect(limit.doc.lines([limit.path])[0]).toBe(lineOf(ROOT, '  LimitParam:'));
    const error = spec.deref(at(shared, 'Error'));
    expect(error.path).toEqual(['components', 'responses', 'ErrorResponse']);
    expect(error.v).toMatchObject({ description: 'failed', content: { 'application/json': { schema: { type: 'object' } } } });
  });

  it("a '#/…' ref in the other file still means that file", () => {
    expect(landing(spec, at(defs, 'Pet', 'properties', 'tag'))).toEqual({ file: 'definitions.yaml', path: 'Tag', line: lineOf(DEFINITIONS, 'Tag:') });
  });

  it('pointers below a moved node follow it (a parameter keyword moves under schema, a response schema under content)', () => {
    const d = dir({
      ...FILES,
      'shared.yaml': `${SHARED}Max:\n  $ref: './swagger.yaml#/parameters/LimitParam/maximum'\nErrSchema:\n  $ref: './swagger.yaml#/responses/ErrorResponse/schema'\n`,
    });
    const s = loadSpec('swagger.yaml', { cwd: d });
    const sh = [...s.docs.values()].find((x) => x.name === 'shared.yaml')!;
    const max = s.target(at(sh, 'Max'));
    expect([max.path, max.v]).toEqual([['components', 'parameters', 'LimitParam', 'schema', 'maximum'], 100]);
    expect(max.doc.lines([max.path])[0]).toBe(lineOf(ROOT, 'maximum: 100'));
    const schema = s.target(at(sh, 'ErrSchema'));
    expect(schema.path).toEqual(['components', 'responses', 'ErrorResponse', 'content', 'application/json', 'schema']);
    expect(schema.doc.lines([schema.path])[0]).toBe(lineOf(ROOT, '    schema:', 3));
  });

  it('the root naming itself by file name (swagger.yaml#/definitions/…) resolves too', () => {
    const d = dir({ ...FILES, 'swagger.yaml': ROOT.replace("$ref: '#/definitions/Owner'", "$ref: 'swagger.yaml#/definitions/Owner'") });
    const s = loadSpec('swagger.yaml', { cwd: d });
    const to = s.deref(at(s.root, 'paths', '/owners/{id}', 'get', 'responses', '200', 'content', 'application/json', 'schema'));
    expect(to.path).toEqual(['components', 'schemas', 'Owner']);
  });

  it('bundles with the back-reference pointing at the converted root', () => {
    const bundled = bundleSpec(spec) as { 'x-bundled': Record<string, { properties?: { owner?: unknown } }> };
    const pet = Object.values(bundled['x-bundled']).find((x) => x.properties?.owner);
    expect(pet!.properties!.owner).toEqual({ $ref: '#/components/schemas/Owner' });
  });
});

describe('a change behind a back-reference', () => {
  const rev = ROOT.replace('age: { type: integer }', 'age: { type: string }');
  const d = dir({
    'base/swagger.yaml': ROOT,
    'base/definitions.yaml': DEFINITIONS,
    'base/shared.yaml': SHARED,
    'rev/swagger.yaml': rev,
    'rev/definitions.yaml': DEFINITIONS.replace("label: { type: string }", "label: { type: integer }"),
    'rev/shared.yaml': SHARED,
  });

  it('is reported once per operation, in the file and on the line where it changed', () => {
    const r = checkBreaking('base/swagger.yaml', 'rev/swagger.yaml', { cwd: d });
    const ageLine = lineOf(rev, 'age: { type: string }');
    const age = r.findings.filter((f) => f.message.includes("'owner/age'") || f.message.includes("'age'"));
    expect(age.map((f) => [f.id, f.operation, f.location])).toEqual(
      expect.arrayContaining([
        ['response-property-type-changed', 'GET /pets', { file: 'rev/swagger.yaml', line: ageLine }],
        ['response-property-type-changed', 'GET /owners/{id}', { file: 'rev/swagger.yaml', line: ageLine }],
      ]),
    );
    expect(age).toHaveLength(2);
    const label = r.findings.filter((f) => f.message.includes('label'));
    expect(label.length).toBeGreaterThan(0);
    for (const f of label) expect(f.location).toEqual({ file: 'rev/definitions.yaml', line: lineOf(DEFINITIONS, 'label:') });
  });

  it('through the CLI, as JSON', async () => {
    let out = '';
    let err = '';
    const code = await main(
      ['breaking', path.join(d, 'base/swagger.yaml'), path.join(d, 'rev/swagger.yaml'), '--format', 'json'],
      (s) => (out += s),
      (s) => (err += s),
    );
    expect(err).toBe('');
    expect(code).toBe(1);
    const json = JSON.parse(out) as { findings: { id: string; message: string; location: { file: string; line: number } }[] };
    const f = json.findings.find((x) => x.id === 'response-property-type-changed' && x.message.includes("'owner/age'"))!;
    expect(f.location).toEqual({ file: expect.stringMatching(/(^|\/)rev\/swagger\.yaml$/), line: lineOf(rev, 'age: { type: string }') });
  });

  it('a parameter reached through another file and back is diffed as the converted parameter', () => {
    const d2 = dir({
      'base/swagger.yaml': ROOT,
      'base/definitions.yaml': DEFINITIONS,
      'base/shared.yaml': SHARED,
      'rev/swagger.yaml': ROOT.replace('maximum: 100', 'maximum: 50'),
      'rev/definitions.yaml': DEFINITIONS,
      'rev/shared.yaml': SHARED,
    });
    const r = checkBreaking('base/swagger.yaml', 'rev/swagger.yaml', { cwd: d2 });
    const f = r.findings.find((x) => x.operation === 'GET /pets' && /max/i.test(x.id));
    expect(f).toBeDefined();
    expect(f!.location).toEqual({ file: 'rev/swagger.yaml', line: lineOf(ROOT, 'maximum: 100') });
  });

  it('the lifecycle gate reads the deprecation behind it, on the root line', () => {
    const text = ROOT.replace('      age: { type: integer }', "      age:\n        type: integer\n        x-deprecated: true\n        x-sunset: '2026-01-01'");
    const d3 = dir({ ...FILES, 'swagger.yaml': text });
    const r = runLifecycle({ spec: 'swagger.yaml', cwd: d3, today: '2026-06-15' });
    const passed = r.findings.filter((f) => f.id === 'sunset-passed');
    // One node, reached from both operations (from /pets through definitions.yaml and back): one finding.
    expect(passed).toHaveLength(1);
    expect(passed[0]!.location).toEqual({ file: 'swagger.yaml', line: lineOf(text, "x-sunset: '2026-01-01'") });
    expect(passed[0]!.data).toMatchObject({ operations: ['GET /pets', 'GET /owners/{id}'] });
    expect(r.findings.filter((f) => f.id === 'sunset-without-deprecation')).toEqual([]);
  });
});

describe('a cycle across the two files', () => {
  // Owner.pets → definitions.yaml#/Pet, Pet.owner → swagger.yaml#/definitions/Owner.
  it('is walked once and a change inside it is reported', () => {
    const rev = DEFINITIONS.replace('id: { type: string }', 'id: { type: integer }');
    const d = dir({
      'base/swagger.yaml': ROOT,
      'base/definitions.yaml': DEFINITIONS,
      'base/shared.yaml': SHARED,
      'rev/swagger.yaml': ROOT,
      'rev/definitions.yaml': rev,
      'rev/shared.yaml': SHARED,
    });
    const r = checkBreaking('base/swagger.yaml', 'rev/swagger.yaml', { cwd: d });
    const changed = r.findings.filter((f) => f.id === 'response-property-type-changed');
    expect(changed.map((f) => [f.operation, f.location])).toEqual(
      expect.arrayContaining([
        ['GET /pets', { file: 'rev/definitions.yaml', line: lineOf(rev, 'id: { type: integer }') }],
        ['GET /owners/{id}', { file: 'rev/definitions.yaml', line: lineOf(rev, 'id: { type: integer }') }],
      ]),
    );
    expect(changed).toHaveLength(2);
  });

  it('a $ref that only points back and forth is a clear cycle error', () => {
    const root = ROOT.replace("  LimitParam:\n    name: limit\n    in: query\n    type: integer\n    maximum: 100\n", "  LimitParam:\n    $ref: './shared.yaml#/Limit'\n");
    expect(loadError({ ...FILES, 'swagger.yaml': root }).message).toMatch(/\$ref cycle: the reference never reaches a value/);
  });
});

describe('a back-reference that names nothing', () => {
  it('a missing definition: the error names the file, where, the pointer and the root', () => {
    expect(() => loadSpec('swagger.yaml', { cwd: dir(FILES) })).not.toThrow(); // the same files, spelled right
    const e = loadError({ ...FILES, 'definitions.yaml': DEFINITIONS.replace('#/definitions/Owner', '#/definitions/Ownr') });
    expect(e.message).toBe("definitions.yaml at /Pet/properties/owner: $ref './swagger.yaml#/definitions/Ownr' points at nothing in swagger.yaml");
    expect(e.file).toBe('definitions.yaml');
  });

  it("a Swagger 2.0 pointer with '#' in the other file means that file, which has no such node", () => {
    const e = loadError({ ...FILES, 'definitions.yaml': DEFINITIONS.replace('./swagger.yaml#/definitions/Owner', '#/definitions/Owner') });
    expect(e.message).toBe("definitions.yaml at /Pet/properties/owner: $ref '#/definitions/Owner' points at nothing in definitions.yaml");
  });

  it('a body parameter, which has no node of its own once converted, is named as such', () => {
    const root = ROOT.replace('parameters:\n  LimitParam:', "parameters:\n  PetBody:\n    name: body\n    in: body\n    schema: { type: object }\n  LimitParam:");
    const e = loadError({ ...FILES, 'swagger.yaml': root, 'shared.yaml': `${SHARED}Body:\n  $ref: './swagger.yaml#/parameters/PetBody'\n` });
    expect(e.message).toMatch(/^shared\.yaml at \/Body: \$ref '\.\/swagger\.yaml#\/parameters\/PetBody' names a Swagger 2\.0 body or formData parameter of swagger\.yaml/);
  });
});

describe('Swagger 2.0 shapes kept in other files are converted, not misread (more in swagger2-external.test.ts)', () => {
  const root = (paths: string) => `swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n${paths}definitions:\n  Pet: {type: object, properties: {id: {type: integer}}}\n`;
  const op = `get:\n  parameters:\n    - {name: limit, in: query, type: integer}\n  responses:\n    '200': {description: ok, schema: {$ref: '../swagger.yaml#/definitions/Pet'}}\n`;

  it('a path item in another file: its parameters and responses read as OpenAPI 3, in that file', () => {
    const d = mkdtempSync(path.join(tmpdir(), 's2-ext-'));
    mkdirSync(path.join(d, 'paths'));
    writeFileSync(path.join(d, 'swagger.yaml'), root("  /pets:\n    $ref: 'paths/pets.yaml'\n"));
    writeFileSync(path.join(d, 'paths/pets.yaml'), op);
    const spec = loadSpec(path.join(d, 'swagger.yaml'));
    const item = spec.deref(child(child({ v: spec.root.value, doc: spec.root, path: [] }, 'paths'), '/pets'));
    expect(item.doc.name).toBe(path.join(d, 'paths/pets.yaml'));
    const get = child(item, 'get');
    expect(own(get.v, 'parameters')).toEqual([{ name: 'limit', in: 'query', schema: { type: 'integer' } }]);
    const schema = spec.deref(child(child(child(child(child(get, 'responses'), '200'), 'content'), 'application/json'), 'schema'));
    expect([schema.doc.name, schema.path]).toEqual([path.join(d, 'swagger.yaml'), ['components', 'schemas', 'Pet']]);
    expect(get.doc.lines([[...get.path, 'parameters', '0', 'schema', 'type']])[0]).toBe(3);
  });

  it('parameters and responses in another file are converted too; schemas there are read as written', () => {
    const d = mkdtempSync(path.join(tmpdir(), 's2-ext-'));
    writeFileSync(path.join(d, 'common.yaml'), "Limit: {name: limit, in: query, type: integer}\nNotFound: {description: gone, schema: {$ref: '#/Pet'}}\nPet: {type: object}\n");
    writeFileSync(path.join(d, 'a.yaml'), root("  /pets:\n    get:\n      parameters:\n        - $ref: 'common.yaml#/Limit'\n      responses:\n        '200': {description: ok}\n"));
    writeFileSync(path.join(d, 'b.yaml'), root("  /pets:\n    get:\n      responses:\n        '404': {$ref: 'common.yaml#/NotFound'}\n"));
    writeFileSync(path.join(d, 'c.yaml'), root("  /pets:\n    get:\n      responses:\n        '200': {description: ok, schema: {$ref: 'common.yaml#/Pet'}}\n"));
    const opOf = (file: string) => specOperations(loadSpec(path.join(d, file)))[0]!;
    const limit = opOf('a.yaml').parameters[0]!;
    expect([limit.v, limit.doc.name]).toEqual([{ name: 'limit', in: 'query', schema: { type: 'integer' } }, path.join(d, 'common.yaml')]);
    const b = loadSpec(path.join(d, 'b.yaml'));
    const notFound = b.deref(child(child(specOperations(b)[0]!.loc, 'responses'), '404'));
    expect(notFound.v).toEqual({ description: 'gone', content: { 'application/json': { schema: { $ref: '#/Pet' } } } });
    expect(() => loadSpec(path.join(d, 'c.yaml'))).not.toThrow();
  });

  it('a root body parameter named from a path item file becomes its request body, on the root line', () => {
    const body = "parameters:\n  PetBody:\n    name: body\n    in: body\n    required: false\n    schema: {$ref: '#/definitions/Pet'}\n";
    const item = "post:\n  parameters:\n    - $ref: '../swagger.yaml#/parameters/PetBody'\n  responses:\n    '201': {description: created}\n";
    const files = (required: boolean) => ({
      'swagger.yaml': root("  /pets:\n    $ref: 'paths/pets.yaml'\n") + body.replace('required: false', `required: ${required}`),
      'paths/pets.yaml': item,
    });
    const d = dir({
      ...Object.fromEntries(Object.entries(files(false)).map(([n, t]) => [`base/${n}`, t])),
      ...Object.fromEntries(Object.entries(files(true)).map(([n, t]) => [`rev/${n}`, t])),
    });
    const r = checkBreaking('base/swagger.yaml', 'rev/swagger.yaml', { cwd: d });
    expect(r.findings.map((f) => [f.id, f.operation, f.location])).toEqual([
      ['request-body-became-required', 'POST /pets', { file: 'rev/swagger.yaml', line: lineOf(files(true)['swagger.yaml'], 'required: true') }],
    ]);
  });
});
