/**
 * A Swagger 2.0 spec whose path items, parameters and responses are kept in other files. Each is
 * converted to OpenAPI 3 in the context it is used in (consumes/produces of its operation or the
 * root, body and formData parameters into the request body), and read and located in its own file:
 * a change there is reported as if it were written inline in the root, on that file's line.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { checkBreaking } from '../../src/breaking/engine.js';
import { bundleSpec } from '../../src/breaking/spec/bundle.js';
import { loadSpec } from '../../src/breaking/spec/load.js';
import { specOperations } from '../../src/breaking/spec/operations.js';
import { child } from '../../src/breaking/spec/loc.js';
import { main } from '../../src/cli/main.js';
import { InputError } from '../../src/kit/errors.js';
import type { Finding } from '../../src/kit/result.js';
import { lineOf } from './helpers.js';

const ROOT = `swagger: '2.0'
info: {title: Pets, version: '1'}
produces: [application/json]
paths:
  /pets:
    $ref: 'paths/pets.yaml'
  /pets/{id}:
    $ref: 'paths/pet.yaml'
  /v2/pets:
    $ref: 'paths/pets.yaml'
  /owners:
    get:
      parameters:
        - $ref: 'common/parameters.yaml#/limit'
      responses:
        '200':
          description: ok
          schema: {type: array, items: {$ref: '#/definitions/Owner'}}
        '404':
          $ref: 'common/responses.yaml#/NotFound'
parameters:
  Trace:
    $ref: 'common/parameters.yaml#/trace'
definitions:
  Pet:
    type: object
    properties:
      id: {type: string}
      name: {type: string}
  Owner:
    type: object
    properties:
      name: {type: string}
`;

// A path item file: its refs are relative to paths/, into the root with 2.0 pointers, and to other files.
const PETS = `get:
  produces: [application/json, application/xml]
  parameters:
    - $ref: '../common/parameters.yaml#/limit'
    - $ref: '../swagger.yaml#/parameters/Trace'
  responses:
    '200':
      description: ok
      schema:
        type: array
        items:
          $ref: '../swagger.yaml#/definitions/Pet'
    '404':
      $ref: '../common/responses.yaml#/NotFound'
post:
  parameters:
    - $ref: '../common/parameters.yaml#/petBody'
  responses:
    '201':
      description: created
      headers:
        Location:
          type: string
`;

const PET = `parameters:
  - name: id
    in: path
    required: true
    type: string
    maxLength: 36
put:
  consumes: [multipart/form-data]
  parameters:
    - name: caption
      in: formData
      type: string
    - $ref: '../common/parameters.yaml#/tag'
  responses:
    '204':
      description: stored
delete:
  responses:
    '204': {description: gone}
`;

const PARAMETERS = `limit:
  name: limit
  in: query
  type: integer
  maximum: 100
trace:
  name: X-Trace
  in: header
  type: string
petBody:
  name: body
  in: body
  required: false
  schema:
    $ref: '../swagger.yaml#/definitions/Pet'
tag:
  name: tag
  in: formData
  type: string
`;

const RESPONSES = `NotFound:
  description: not found
  headers:
    X-Request-Id:
      type: string
  schema:
    $ref: '#/Error'
Error:
  type: object
  properties:
    code: {type: integer}
`;

type Files = Record<string, string>;
const FILES: Files = {
  'swagger.yaml': ROOT,
  'paths/pets.yaml': PETS,
  'paths/pet.yaml': PET,
  'common/parameters.yaml': PARAMETERS,
  'common/responses.yaml': RESPONSES,
};

function write(d: string, files: Files): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    writeFileSync(path.join(d, name), text);
  }
  return d;
}

function dir(files: Files): string {
  return write(mkdtempSync(path.join(tmpdir(), 'swagger2-external-')), files);
}

/** `files` with each `[from, to]` of `edits[name]` replacing one exact text of that file. */
function edited(files: Files, edits: Record<string, [string, string][]>): Files {
  const out = { ...files };
  for (const [name, list] of Object.entries(edits)) {
    out[name] = list.reduce((t, [from, to]) => {
      if (!t.includes(from)) throw new Error(`${from} not in ${name}`);
      return t.replace(from, to);
    }, out[name] ?? '');
  }
  return out;
}

/** The base files under base/, the edited ones under rev/, compared. */
function diff(edits: Record<string, [string, string][]>, files: Files = FILES) {
  const rev = edited(files, edits);
  const d = dir({
    ...Object.fromEntries(Object.entries(files).map(([n, t]) => [`base/${n}`, t])),
    ...Object.fromEntries(Object.entries(rev).map(([n, t]) => [`rev/${n}`, t])),
  });
  return { result: checkBreaking('base/swagger.yaml', 'rev/swagger.yaml', { cwd: d }), rev, dir: d };
}

const row = (f: Finding) => [f.id, f.level, f.operation, f.location?.file, f.location?.line];

function loadError(files: Files): InputError {
  try {
    loadSpec('swagger.yaml', { cwd: dir(files) });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an input error');
}

/**
 * The same spec written in one file: every `$ref` into another file replaced by what it names
 * (refs back into the root become local ones). Enough for these fixtures, which have no cycles.
 */
function inlined(files: Files): string {
  const docs = new Map(Object.entries(files).map(([n, t]) => [n, parse(t) as unknown]));
  const expand = (v: unknown, file: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => expand(x, file));
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, unknown>;
    if (typeof o.$ref === 'string') {
      const [target, fragment = ''] = o.$ref.split('#');
      const name = target ? path.posix.normalize(path.posix.join(path.posix.dirname(file), target)) : file;
      if (name === 'swagger.yaml') return { $ref: `#${fragment}` };
      let node = docs.get(name);
      for (const k of fragment.split('/').filter(Boolean)) node = (node as Record<string, unknown>)[k];
      return expand(node, name);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, expand(x, file)]));
  };
  return stringify(expand(docs.get('swagger.yaml'), 'swagger.yaml'));
}

describe('a Swagger 2.0 spec with path items, parameters and responses in other files', () => {
  it('loads as OpenAPI 3: parameters with schemas, the body as request body, media types from produces', () => {
    const spec = loadSpec('swagger.yaml', { cwd: dir(FILES) });
    const ops = specOperations(spec);
    expect(ops.map((o) => o.key).sort()).toEqual(['DELETE /pets/{id}', 'GET /owners', 'GET /pets', 'GET /v2/pets', 'POST /pets', 'POST /v2/pets', 'PUT /pets/{id}']);
    const get = ops.find((o) => o.key === 'GET /pets')!;
    expect(get.loc.doc.name).toBe('paths/pets.yaml');
    expect(get.loc.doc.lines([get.loc.path])[0]).toBe(lineOf(PETS, 'get:'));
    const [limit, trace] = get.parameters;
    expect(limit!.v).toEqual({ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } });
    expect([limit!.doc.name, limit!.doc.lines([[...limit!.path, 'schema', 'maximum']])[0]]).toEqual(['common/parameters.yaml', lineOf(PARAMETERS, 'maximum: 100')]);
    expect(trace!.v).toEqual({ name: 'X-Trace', in: 'header', schema: { type: 'string' } });
    expect(trace!.doc.name).toBe('common/parameters.yaml');
    // The response file's schema under the operation's two media types; its header converted too.
    const notFound = spec.deref(child(child(get.loc, 'responses'), '404'));
    expect(Object.keys((notFound.v as { content: object }).content)).toEqual(['application/json', 'application/xml']);
    expect((notFound.v as { headers: unknown }).headers).toEqual({ 'X-Request-Id': { schema: { type: 'string' } } });
    const owners = ops.find((o) => o.key === 'GET /owners')!;
    expect(Object.keys((spec.deref(child(child(owners.loc, 'responses'), '404')).v as { content: object }).content)).toEqual(['application/json']);
    // The body parameter from the parameter file: a request body whose schema is the root's Pet.
    const post = ops.find((o) => o.key === 'POST /pets')!;
    const body = spec.deref(child(post.loc, 'requestBody'));
    expect([body.doc.name, body.doc.lines([[...body.path, 'required']])[0]]).toEqual(['common/parameters.yaml', lineOf(PARAMETERS, 'required: false')]);
    const schema = spec.deref(child(child(child(body, 'content'), 'application/json'), 'schema'));
    expect([schema.doc.name, schema.path]).toEqual(['swagger.yaml', ['components', 'schemas', 'Pet']]);
    expect(post.loc.v).not.toHaveProperty('parameters.0');
    // Form fields, one inline in the path item file and one from the parameter file.
    const put = ops.find((o) => o.key === 'PUT /pets/{id}')!;
    const form = spec.deref(child(child(child(spec.deref(child(put.loc, 'requestBody')), 'content'), 'multipart/form-data'), 'schema'));
    const props = child(form, 'properties');
    expect(spec.deref(child(props, 'caption')).v).toEqual({ type: 'string' });
    const tag = spec.deref(child(props, 'tag'));
    expect([tag.v, tag.doc.name, tag.doc.lines([[...tag.path, 'type']])[0]]).toEqual([{ type: 'string' }, 'common/parameters.yaml', lineOf(PARAMETERS, 'type: string', 2)]);
  });

  it('a parameter file used by several operations: the change is reported for each, on the line in that file', () => {
    const { result } = diff({ 'common/parameters.yaml': [['maximum: 100', 'maximum: 50']] });
    const line = lineOf(PARAMETERS, 'maximum: 100');
    expect(result.findings.map(row)).toEqual([
      ['request-parameter-max-decreased', 'error', 'GET /owners', 'rev/common/parameters.yaml', line],
      ['request-parameter-max-decreased', 'error', 'GET /pets', 'rev/common/parameters.yaml', line],
      ['request-parameter-max-decreased', 'error', 'GET /v2/pets', 'rev/common/parameters.yaml', line],
    ]);
    expect(result.verdict).toBe('fail');
  });

  it('a root parameter that refers out to a parameter file, reached from a path item file through the root', () => {
    const { result, rev } = diff({ 'common/parameters.yaml': [['  in: header\n  type: string\n', '  in: header\n  type: string\n  required: true\n']] });
    const line = lineOf(rev['common/parameters.yaml']!, 'required: true');
    expect(result.findings.map(row)).toEqual([
      ['request-parameter-became-required', 'error', 'GET /pets', 'rev/common/parameters.yaml', line],
      ['request-parameter-became-required', 'error', 'GET /v2/pets', 'rev/common/parameters.yaml', line],
    ]);
    expect(result.findings[0]!.message).toBe("header parameter 'X-Trace' became required");
  });

  it("a response file: its schema under each of the operation's media types, its headers, and a schema it keeps itself", () => {
    const { result, rev } = diff({
      'common/responses.yaml': [
        ['  headers:\n    X-Request-Id:\n      type: string\n', ''],
        ['code: {type: integer}', 'code: {type: string}'],
      ],
    });
    const code = lineOf(rev['common/responses.yaml']!, 'code:');
    const header = lineOf(RESPONSES, 'X-Request-Id:');
    expect(result.findings.map((f) => [...row(f), f.message])).toEqual([
      ['response-property-type-changed', 'error', 'GET /owners', 'rev/common/responses.yaml', code, "response property 'code' in response body (404, application/json) type changed from 'integer' to 'string'"],
      ['response-property-type-changed', 'error', 'GET /pets', 'rev/common/responses.yaml', code, "response property 'code' in response body (404, application/json) type changed from 'integer' to 'string'"],
      ['response-property-type-changed', 'error', 'GET /pets', 'rev/common/responses.yaml', code, "response property 'code' in response body (404, application/xml) type changed from 'integer' to 'string'"],
      ['response-property-type-changed', 'error', 'GET /v2/pets', 'rev/common/responses.yaml', code, "response property 'code' in response body (404, application/json) type changed from 'integer' to 'string'"],
      ['response-property-type-changed', 'error', 'GET /v2/pets', 'rev/common/responses.yaml', code, "response property 'code' in response body (404, application/xml) type changed from 'integer' to 'string'"],
      ['optional-response-header-removed', 'warning', 'GET /owners', 'base/common/responses.yaml', header, "optional response header 'X-Request-Id' removed from response 404"],
      ['optional-response-header-removed', 'warning', 'GET /pets', 'base/common/responses.yaml', header, "optional response header 'X-Request-Id' removed from response 404"],
      ['optional-response-header-removed', 'warning', 'GET /v2/pets', 'base/common/responses.yaml', header, "optional response header 'X-Request-Id' removed from response 404"],
    ]);
  });

  it('a body parameter in a parameter file is the request body: its required and its schema', () => {
    const { result, rev } = diff({
      'common/parameters.yaml': [['required: false', 'required: true']],
      'swagger.yaml': [['      name: {type: string}\n  Owner:', '      name: {type: string}\n    required: [name]\n  Owner:']],
    });
    // The property's line (the root's Pet), and the body parameter's required line in the parameter file.
    const name = lineOf(rev['swagger.yaml']!, 'name: {type: string}');
    const required = lineOf(PARAMETERS, 'required: false');
    expect(result.findings.map(row)).toEqual([
      ...['POST /pets', 'POST /v2/pets'].flatMap((op) => [
        ['request-body-became-required', 'error', op, 'rev/common/parameters.yaml', required],
        ['request-property-became-required', 'error', op, 'rev/swagger.yaml', name],
      ]),
      // Pet is also the response of GET, under its two media types.
      ...['GET /pets', 'GET /pets', 'GET /v2/pets', 'GET /v2/pets'].map((op) => ['response-property-became-required', 'info', op, 'rev/swagger.yaml', name]),
    ]);
  });

  it('in a path item file: a path-level parameter, a form field, a removed operation (on the base line)', () => {
    const { result, rev } = diff({
      'paths/pet.yaml': [
        ['maxLength: 36', 'maxLength: 20'],
        ["delete:\n  responses:\n    '204': {description: gone}\n", ''],
        ['      type: string\n    - $ref', '      type: integer\n    - $ref'],
      ],
      'common/parameters.yaml': [['  in: formData\n  type: string', '  in: formData\n  type: boolean']],
    });
    const pet = rev['paths/pet.yaml']!;
    expect(result.findings.map((f) => [...row(f), f.message])).toEqual([
      ['api-removed-without-deprecation', 'error', 'DELETE /pets/{id}', 'base/paths/pet.yaml', lineOf(PET, 'delete:'), 'endpoint removed without deprecation'],
      ['request-property-type-changed', 'error', 'PUT /pets/{id}', 'rev/common/parameters.yaml', lineOf(PARAMETERS, 'type: string', 2), "request property 'tag' in request body (multipart/form-data) type changed from 'string' to 'boolean'"],
      ['request-parameter-max-length-decreased', 'error', 'PUT /pets/{id}', 'rev/paths/pet.yaml', lineOf(pet, 'maxLength: 20'), "path parameter 'id' maxLength decreased from 36 to 20"],
      ['request-property-type-changed', 'error', 'PUT /pets/{id}', 'rev/paths/pet.yaml', lineOf(pet, 'type: integer'), "request property 'caption' in request body (multipart/form-data) type changed from 'string' to 'integer'"],
    ]);
  });

  it('an unchanged split spec has no findings', () => {
    expect(diff({}).result.findings).toEqual([]);
  });

  describe.each<[string, Record<string, [string, string][]>]>([
    ['parameter file', { 'common/parameters.yaml': [['maximum: 100', 'maximum: 10'], ['required: false', 'required: true'], ['  in: formData\n  type: string', '  in: formData\n  type: integer']] }],
    ['response file', { 'common/responses.yaml': [['code: {type: integer}', 'code: {type: string}\n    message: {type: string}'], ['      type: string\n  schema', '      type: integer\n  schema']] }],
    ['path item file', { 'paths/pets.yaml': [["    '404':\n      $ref: '../common/responses.yaml#/NotFound'\npost", 'post'], ['        Location:\n          type: string\n', '        Location:\n          type: integer\n']] }],
    ['consumes and produces', { 'swagger.yaml': [['produces: [application/json]', 'produces: [application/json, text/plain]\nconsumes: [application/xml]']] }],
  ])('the same findings as the spec written in one file (%s)', (_, edits) => {
    it('ids, levels, operations and messages', () => {
      const split = diff(edits).result.findings;
      const d = dir({ 'base.yaml': inlined(FILES), 'rev.yaml': inlined(edited(FILES, edits)) });
      const inline = checkBreaking('base.yaml', 'rev.yaml', { cwd: d }).findings;
      const text = (fs: Finding[]) => fs.map((f) => `${f.id} ${f.level} ${f.operation} ${f.message}`).sort();
      expect(split.length).toBeGreaterThan(0);
      expect(text(split)).toEqual(text(inline));
      expect(split.filter((f) => f.location?.line === undefined)).toEqual([]);
    });
  });

  const EDITS: Record<string, [string, string][]> = {
    'common/parameters.yaml': [['maximum: 100', 'maximum: 50']],
    'paths/pet.yaml': [["delete:\n  responses:\n    '204': {description: gone}\n", '']],
  };
  const expected = (base: string, rev: string) => [
    ['api-removed-without-deprecation', 'error', 'DELETE /pets/{id}', `${base}paths/pet.yaml`, lineOf(PET, 'delete:')],
    ...['GET /owners', 'GET /pets', 'GET /v2/pets'].map((op) => ['request-parameter-max-decreased', 'error', op, `${rev}common/parameters.yaml`, lineOf(PARAMETERS, 'maximum:')]),
  ];

  it('through the CLI as JSON', async () => {
    const { dir: d } = diff(EDITS);
    let out = '';
    let err = '';
    const code = await main(['breaking', path.join(d, 'base/swagger.yaml'), path.join(d, 'rev/swagger.yaml'), '--format', 'json'], (s) => (out += s), (s) => (err += s));
    expect([code, err]).toEqual([1, '']);
    const json = JSON.parse(out) as { findings: Finding[] };
    expect(json.findings.map(row)).toEqual(expected(`${d}/base/`, `${d}/rev/`));
  });

  it('from a git revision: the other files are read from the same revision', () => {
    const d = dir(FILES);
    const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: d, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'v1');
    write(d, edited(FILES, EDITS));
    const r = checkBreaking('HEAD:swagger.yaml', 'swagger.yaml', { cwd: d });
    expect(r.findings.map(row)).toEqual(expected('HEAD:', ''));
  });
});

describe('a path item file referenced from several paths, and cycles', () => {
  it('one path item file under two paths is converted once and reported for each', () => {
    const { result } = diff({ 'paths/pets.yaml': [['      headers:\n        Location:\n          type: string\n', '']] });
    expect(result.findings.map(row)).toEqual(
      ['POST /pets', 'POST /v2/pets'].map((op) => ['optional-response-header-removed', 'warning', op, 'base/paths/pets.yaml', lineOf(PETS, 'Location:')]),
    );
    const spec = loadSpec('swagger.yaml', { cwd: dir(FILES) });
    const [a, b] = ['/pets', '/v2/pets'].map((p) => spec.deref(child(child({ v: spec.root.value, doc: spec.root, path: [] }, 'paths'), p)));
    expect(a!.v).toBe(b!.v);
    expect(a!.doc.name).toBe('paths/pets.yaml');
  });

  it('parameters that refer to each other across two files: a clear cycle error', () => {
    const e = loadError({
      ...FILES,
      'common/parameters.yaml': PARAMETERS.replace("limit:\n  name: limit\n  in: query\n  type: integer\n  maximum: 100\n", "limit:\n  $ref: 'more.yaml#/limit'\n"),
      'common/more.yaml': "limit:\n  $ref: 'parameters.yaml#/limit'\n",
    });
    expect(e.message).toBe("paths/pets.yaml at /get/parameters/0: $ref cycle: the reference never reaches a value");
    expect(e.file).toBe('paths/pets.yaml');
  });

  it('a schema cycle in the root reached from a path item file is walked once, a change inside it reported', () => {
    const files = edited(FILES, { 'swagger.yaml': [['      name: {type: string}\n  Owner:', "      name: {type: string}\n      owner: {$ref: '#/definitions/Owner'}\n  Owner:"], ['  Owner:\n    type: object\n    properties:\n', "  Owner:\n    type: object\n    properties:\n      pets: {type: array, items: {$ref: '#/definitions/Pet'}}\n"]] });
    const { result, rev } = diff({ 'swagger.yaml': [['      id: {type: string}', '      id: {type: integer}']] }, files);
    const line = lineOf(rev['swagger.yaml']!, 'id: {type: integer}');
    expect(result.findings.filter((f) => f.id === 'response-property-type-changed').map(row)).toEqual(
      ['GET /owners', 'GET /pets', 'GET /v2/pets'].map((op) => ['response-property-type-changed', 'error', op, 'rev/swagger.yaml', line]),
    );
  });
});

describe('what cannot be converted is refused with exit 2, naming the file and field', () => {
  it('a parameter without in: the file, the field and the $ref that reached it', () => {
    const e = loadError({ ...FILES, 'common/parameters.yaml': PARAMETERS.replace('  in: query\n', '') });
    expect(e.message).toBe(
      "common/parameters.yaml at /limit/in: field 'in' is missing: a Swagger 2.0 parameter is in query, header, path, formData or body (reached from paths/pets.yaml at /get/parameters/0)",
    );
    expect([e.file, e.field]).toEqual(['common/parameters.yaml', 'limit/in']);
  });

  it.each([
    ['a query parameter with a schema', 'common/parameters.yaml', PARAMETERS.replace('  type: integer\n  maximum: 100\n', '  schema: {type: integer}\n'),
      "common/parameters.yaml at /limit/schema: field 'schema' is OpenAPI 3's shape: a Swagger 2.0 query parameter carries type, format, items… itself (only a body parameter has a schema) (reached from paths/pets.yaml at /get/parameters/0)"],
    ['a body parameter without a schema', 'common/parameters.yaml', PARAMETERS.replace("  schema:\n    $ref: '../swagger.yaml#/definitions/Pet'\n", ''),
      "common/parameters.yaml at /petBody/schema: field 'schema' is missing: a Swagger 2.0 body parameter needs a schema (reached from paths/pets.yaml at /post/parameters/0)"],
    ['a parameter without a name', 'common/parameters.yaml', PARAMETERS.replace('  name: X-Trace\n', ''),
      "common/parameters.yaml at /trace/name: field 'name' is missing: a Swagger 2.0 parameter needs a name (reached from swagger.yaml at /parameters/Trace)"],
    ['a response with content', 'common/responses.yaml', RESPONSES.replace("  schema:\n    $ref: '#/Error'\n", "  content:\n    application/json:\n      schema: {$ref: '#/Error'}\n"),
      "common/responses.yaml at /NotFound/content: field 'content' is OpenAPI 3's shape: a Swagger 2.0 response has a 'schema', its media types come from produces (reached from paths/pets.yaml at /get/responses/404)"],
    ['an operation with requestBody', 'paths/pets.yaml', PETS.replace("post:\n  parameters:\n    - $ref: '../common/parameters.yaml#/petBody'\n", 'post:\n  requestBody: {content: {}}\n'),
      "paths/pets.yaml at /post/requestBody: field 'requestBody' is OpenAPI 3's shape: a Swagger 2.0 operation takes its body from an 'in: body' parameter"],
    ['a path item file that is a list', 'paths/pet.yaml', '- get: {}\n',
      'paths/pet.yaml at /: expected a Swagger 2.0 path item (a mapping), found a list (reached from swagger.yaml at /paths/~1pets~1{id})'],
    ['a path item $ref with an operation beside it', 'swagger.yaml', ROOT.replace("    $ref: 'paths/pet.yaml'\n", "    $ref: 'paths/pet.yaml'\n    get: {responses: {'200': {description: ok}}}\n"),
      "swagger.yaml at /paths/~1pets~1{id}/get: field 'get' is written beside a $ref to a path item: Swagger 2.0 leaves what that means undefined; keep the path item in one place"],
    ['an OpenAPI 3 document', 'common/responses.yaml', `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n${RESPONSES}`,
      'common/responses.yaml at /NotFound: expected a Swagger 2.0 response, but common/responses.yaml is an OpenAPI 3.0.3 document, whose shapes a Swagger 2.0 spec does not read: keep the whole spec in one version (reached from paths/pets.yaml at /get/responses/404)'],
  ])('%s', (_, file, text, message) => {
    const e = loadError({ ...FILES, [file]: text });
    expect(e.message).toBe(message);
    expect(e.file).toBe(file);
  });

  it('a missing file or a pointer to nothing: named where the $ref is written', () => {
    expect(loadError({ ...FILES, 'paths/pets.yaml': PETS.replace('#/limit', '#/limt') }).message).toBe(
      "paths/pets.yaml at /get/parameters/0: $ref '../common/parameters.yaml#/limt' points at nothing in common/parameters.yaml",
    );
    const files: Files = { ...FILES };
    delete files['paths/pet.yaml'];
    expect(loadError(files).message).toBe("swagger.yaml at /paths/~1pets~1{id}: $ref 'paths/pet.yaml': paths/pet.yaml: file not found");
  });

  it('a URL $ref is not fetched unless allowed; the size limit applies to the other files', () => {
    const url = loadError({ ...FILES, 'paths/pets.yaml': PETS.replace('../common/parameters.yaml#/limit', 'https://127.0.0.1:9/parameters.yaml#/limit') });
    expect(url.message).toMatch(/^paths\/pets\.yaml at \/get\/parameters\/0: \$ref 'https:\/\/127\.0\.0\.1:9\/parameters\.yaml#\/limit' is a URL; not fetched \(pass --allow-external-refs to allow\)$/);
    const big = { ...FILES, 'common/responses.yaml': `${RESPONSES}x-padding: '${'x'.repeat(4096)}'\n` };
    expect(() => loadSpec('swagger.yaml', { cwd: dir(big), maxBytes: 2048 })).toThrow(/common\/responses\.yaml: 0\.0 MB is over the 0 MB limit for one spec file/);
  });

  it('through the CLI: exit 2 and the message on stderr', async () => {
    const d = dir({ ...FILES, 'common/parameters.yaml': PARAMETERS.replace('  in: query\n', '  in: cookie\n') });
    let out = '';
    let err = '';
    const code = await main(['breaking', path.join(d, 'swagger.yaml'), path.join(d, 'swagger.yaml')], (s) => (out += s), (s) => (err += s));
    expect(code).toBe(2);
    expect(err).toContain("common/parameters.yaml at /limit/in: field 'in' is \"cookie\": a Swagger 2.0 parameter is in query, header, path, formData or body");
  });
});

describe('other readers of a converted split spec', () => {
  it('bundles into one OpenAPI 3 document with the converted parts', () => {
    const spec = loadSpec('swagger.yaml', { cwd: dir(FILES) });
    const bundled = bundleSpec(spec) as { paths: Record<string, { $ref: string }>; 'x-bundled': Record<string, Record<string, unknown>> };
    const item = bundled['x-bundled'][bundled.paths['/pets']!.$ref.split('/').pop()!]!;
    const limitRef = (item.get as { parameters: { $ref: string }[] }).parameters[0]!.$ref;
    expect(bundled['x-bundled'][limitRef.split('/').pop()!]).toEqual({ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } });
  });

  it('an OpenAPI 3 root with the same layout is read as written, not converted', () => {
    const root = `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    $ref: 'paths/pets.yaml'\n`;
    const item = (required: boolean) =>
      `post:\n  requestBody:\n    required: ${required}\n    content:\n      application/json:\n        schema: {type: object}\n  responses:\n    '201': {description: created}\n`;
    const d = dir({ 'base/openapi.yaml': root, 'base/paths/pets.yaml': item(false), 'rev/openapi.yaml': root, 'rev/paths/pets.yaml': item(true) });
    const r = checkBreaking('base/openapi.yaml', 'rev/openapi.yaml', { cwd: d });
    expect(r.findings.map(row)).toEqual([['request-body-became-required', 'error', 'POST /pets', 'rev/paths/pets.yaml', 3]]);
  });
});
