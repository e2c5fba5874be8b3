import { describe, expect, it, afterAll, beforeAll } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkBreaking } from '../../src/breaking/engine.js';
import { loadSpec } from '../../src/breaking/spec/load.js';
import { InputError } from '../../src/kit/errors.js';
import { diffTexts, ids, specWith } from './helpers.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(tmpdir(), 'load-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    writeFileSync(path.join(d, name), text);
  }
  return d;
}

function loadError(files: Record<string, string>, entry = 'spec.yaml', opts = {}): InputError {
  const d = dir(files);
  try {
    loadSpec(entry, { cwd: d, ...opts });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an input error');
}

const OK_PATHS = `  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n`;

describe('bad input gets a clear error naming the file', () => {
  it('missing file', () => {
    expect(loadError({}, 'nope.yaml').message).toBe('nope.yaml: file not found');
  });

  it('not YAML or JSON, with the line', () => {
    const e = loadError({ 'spec.yaml': 'openapi: 3.0.0\npaths: {\n  - ]\n' });
    expect(e.message).toMatch(/^spec\.yaml:\d+:\d+: not valid YAML or JSON/);
  });

  it('not an OpenAPI document', () => {
    expect(loadError({ 'spec.yaml': 'name: my-package\nversion: 1\n' }).message).toMatch(/spec\.yaml: not an OpenAPI document: expected a top-level 'openapi: 3\.x'/);
    expect(loadError({ 'spec.yaml': '- a\n- b\n' }).message).toMatch(/expected a mapping/);
    expect(loadError({ 'spec.yaml': 'openapi: 4.0.0\n' }).message).toMatch(/field 'openapi' is "4\.0\.0": expected 3\.0\.x or 3\.1\.x/);
  });

  it('$ref to a missing pointer names the ref and where it is written', () => {
    const e = loadError({ 'spec.yaml': specWith(OK_PATHS, 'components:\n  schemas:\n    A:\n      $ref: "#/components/schemas/Missing"\n') });
    expect(e.message).toBe("spec.yaml at /components/schemas/A: $ref '#/components/schemas/Missing' points at nothing in spec.yaml");
  });

  it('where the $ref is written is a JSON pointer: a path key\'s slashes escaped, so it reads as one key', () => {
    const paths = "  /pets/{id}:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Gone'}\n";
    expect(loadError({ 'spec.yaml': specWith(paths) }).message).toBe(
      "spec.yaml at /paths/~1pets~1{id}/get/responses/200: $ref '#/components/responses/Gone' points at nothing in spec.yaml",
    );
  });

  it('$ref to a missing file', () => {
    const e = loadError({ 'spec.yaml': specWith(OK_PATHS, 'components:\n  schemas:\n    A:\n      $ref: "./nope.yaml#/A"\n') });
    expect(e.message).toMatch(/\$ref '\.\/nope\.yaml#\/A': nope\.yaml: file not found/);
  });

  it('a $ref cycle that never reaches a value', () => {
    const e = loadError({
      'spec.yaml': specWith(OK_PATHS, 'components:\n  schemas:\n    A:\n      $ref: "#/components/schemas/B"\n    B:\n      $ref: "#/components/schemas/A"\n'),
    });
    expect(e.message).toMatch(/\$ref cycle/);
  });

  it('a YAML alias bomb is refused, not expanded', () => {
    const lines = ['openapi: 3.0.0', 'info: {title: t, version: "1"}', 'paths: {}', 'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    let prev = 'a';
    for (const n of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
      lines.push(`x-${n}: &${n} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
      prev = n;
    }
    const e = loadError({ 'spec.yaml': lines.join('\n') + '\n' });
    expect(e.message).toMatch(/alias bomb/);
  });

  it('absurdly deep nesting is refused, not a stack overflow', () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const e = loadError({ 'spec.json': `{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"D":${deep}}}}` }, 'spec.json');
    expect(e.message).toMatch(/^spec\.json at \/components\/schemas\/D\/a.*: nested more than 400 levels deep/);
  });

  it('a spec over the size limit (50 MB) is refused before it is read', () => {
    const big = specWith(OK_PATHS, `x-padding: "${'x'.repeat(50 * 1024 * 1024)}"\n`);
    const e = loadError({ 'spec.yaml': big });
    expect(e.message).toMatch(/spec\.yaml: 50\.0 MB is over the 32 MB limit for one spec file \(raise it with --max-spec-size\)/);
  });
});

describe('external references', () => {
  let server: Server;
  let hits = 0;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      res.setHeader('content-type', 'application/yaml');
      res.end('Pet:\n  type: object\n  properties:\n    id: {type: string}\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const spec = (url: string) =>
    specWith(`  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '${url}/pet.yaml#/Pet'\n`);

  it('a URL $ref is refused and never fetched by default', () => {
    const e = loadError({ 'spec.yaml': spec(base) });
    expect(e.message).toMatch(/is a URL; not fetched \(pass --allow-external-refs to allow\)/);
    expect(hits).toBe(0);
  });

  it('is fetched when allowed', async () => {
    // The loader fetches synchronously, so the server must live in another process.
    const child = spawn(process.execPath, ['-e', `require('http').createServer((q,s)=>{s.end('Pet:\\n  type: object\\n')}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})`]);
    const port = await new Promise<string>((r) => child.stdout.once('data', (b: Buffer) => r(b.toString().trim())));
    try {
      const d = dir({ 'spec.yaml': spec(`http://127.0.0.1:${port}`) });
      const s = loadSpec('spec.yaml', { cwd: d, allowExternalRefs: true });
      expect(s.docs.size).toBe(2);
    } finally {
      child.kill();
    }
  });

  it('$ref inside example values is data, never resolved or fetched', () => {
    const before = hits;
    const d = dir({
      'spec.yaml': specWith(
        OK_PATHS,
        `components:\n  examples:\n    Group:\n      value:\n        members:\n          - value: '1'\n            $ref: '${base}/scim/v2/Users/1'\n  schemas:\n    S:\n      type: object\n      example:\n        $ref: '${base}/x'\n      properties:\n        $ref:\n          type: string\n`,
      ),
    });
    expect(() => loadSpec('spec.yaml', { cwd: d })).not.toThrow();
    expect(hits).toBe(before);
  });
});

describe('references across files and sources', () => {
  it('relative-file $refs resolve against the referring file, and findings point into that file', () => {
    const mk = (extra: string) => ({
      'api/spec.yaml': specWith(
        `  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: './schemas/pet.yaml#/Pet'\n`,
      ),
      'api/schemas/pet.yaml': `Pet:\n  type: object\n  required: [id]\n  properties:\n    id:\n      type: string\n${extra}`,
    });
    const b = dir(mk('    name:\n      type: string\n'));
    const r = dir(mk(''));
    const result = checkBreaking(path.join(b, 'api/spec.yaml'), path.join(r, 'api/spec.yaml'), { cwd: b });
    const f = result.findings.find((x) => x.id === 'response-optional-property-removed');
    expect(f).toBeDefined();
    expect(f!.operation).toBe('GET /pets');
    expect(f!.location?.file).toBe('api/schemas/pet.yaml');
    expect(f!.location?.line).toBe(7);
  });

  it('reads git revisions with git show (REV:path), and their relative refs from the same revision', () => {
    const d = dir({
      'spec.yaml': specWith(`  /pets:\n    $ref: './paths/pets.yaml'\n`),
      'paths/pets.yaml': `get:\n  responses:\n    '200':\n      description: ok\n`,
    });
    const git = (...a: string[]) => execFileSync('git', a, { cwd: d, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'v1');
    writeFileSync(path.join(d, 'paths/pets.yaml'), `post:\n  responses:\n    '200':\n      description: ok\n`);
    const result = checkBreaking('HEAD:spec.yaml', 'spec.yaml', { cwd: d });
    expect(result.base).toBe('HEAD:spec.yaml');
    expect(ids(result)).toEqual(['api-removed-without-deprecation', 'endpoint-added']);
    const removed = result.findings.find((f) => f.id === 'api-removed-without-deprecation')!;
    expect(removed.operation).toBe('GET /pets');
    expect(removed.location?.file).toBe('HEAD:paths/pets.yaml');
  });

  it('an unknown git revision is a clear error', () => {
    const d = dir({ 'spec.yaml': specWith(OK_PATHS) });
    execFileSync('git', ['init', '-q'], { cwd: d });
    expect(() => checkBreaking('no-such-branch:spec.yaml', 'spec.yaml', { cwd: d })).toThrow(/no-such-branch:spec\.yaml: cannot read from git/);
  });

  it('folded YAML scalars as $ref values', () => {
    const text = specWith(
      `  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: >-\n                  #/components/schemas/Pet\n`,
      'components:\n  schemas:\n    Pet:\n      type: object\n',
    );
    expect(() => loadSpec('spec.yaml', { cwd: dir({ 'spec.yaml': text }) })).not.toThrow();
  });
});

describe('spec keys are data', () => {
  it('__proto__ and constructor property names are compared, and nothing is polluted', () => {
    const mk = (props: string) =>
      specWith(
        `  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n${props}`,
      );
    const result = diffTexts(
      mk(`                  __proto__:\n                    type: string\n                  constructor:\n                    type: string\n                  id:\n                    type: string\n`),
      mk(`                  id:\n                    type: string\n`),
    );
    const removed = result.findings.filter((f) => f.id === 'response-optional-property-removed').map((f) => f.message);
    expect(removed.some((m) => m.includes("'__proto__'"))).toBe(true);
    expect(removed.some((m) => m.includes("'constructor'"))).toBe(true);
    expect(({} as Record<string, unknown>).type).toBeUndefined();
  });

  it('the same keys in JSON specs', () => {
    const mk = (props: object) =>
      JSON.stringify({
        openapi: '3.0.0',
        info: { title: 't', version: '1' },
        paths: { '/p': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: props } } } } } } } },
      });
    const result = diffTexts(mk(JSON.parse('{"__proto__": {"type": "string"}, "a": {"type": "string"}}')), mk({ a: { type: 'string' } }));
    expect(result.findings.some((f) => f.message.includes("'__proto__'"))).toBe(true);
  });
});

describe('Swagger 2.0', () => {
  it('is converted and compared like OpenAPI 3', () => {
    const mk = (extra: string) => `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      produces: [application/json]
      parameters:
        - {name: limit, in: query, type: integer${extra ? ', maximum: 10' : ''}}
      responses:
        '200':
          description: ok
          schema:
            $ref: '#/definitions/Pet'
definitions:
  Pet:
    type: object
    required: [id]
    properties:
      id: {type: string}
${extra}`;
    const result = diffTexts(mk('      name: {type: string}\n'), mk(''));
    expect(result.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['response-optional-property-removed']));
    const f = result.findings.find((x) => x.id === 'response-optional-property-removed')!;
    expect(f.operation).toBe('GET /pets');
    expect(f.location?.file).toBe('base.yaml');
  });
});

describe('path matching', () => {
  const mk = (p: string) => specWith(`  ${p}:\n    get:\n      parameters:\n        - {name: ${p.slice(7, -1)}, in: path, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n`);
  it('ignores path-parameter names by default', () => {
    expect(ids(diffTexts(mk('/pets/{id}'), mk('/pets/{petId}')))).toEqual([]);
  });
  it('--include-path-params tells them apart', () => {
    expect(ids(diffTexts(mk('/pets/{id}'), mk('/pets/{petId}'), { includePathParams: true }))).toEqual(
      expect.arrayContaining(['api-path-removed-without-deprecation', 'endpoint-added']),
    );
  });
});

describe('Swagger 2.0 host, basePath and schemes', () => {
  const swagger = (extra: string) => `swagger: '2.0'\ninfo: {title: t, version: '1'}\n${extra}paths:\n  /pets:\n    get:\n      responses:\n        '200': {description: ok}\n`;

  it('become one server per scheme, with the base path and no trailing slash', () => {
    const d = dir({ 'a.yaml': swagger('host: api.example.com\nbasePath: /v1/\nschemes: [https, http]\n') });
    expect((loadSpec(path.join(d, 'a.yaml')).root.value as { servers?: unknown }).servers).toEqual([
      { url: 'https://api.example.com/v1' },
      { url: 'http://api.example.com/v1' },
    ]);
  });

  it('a base path alone is a relative server; neither gives none', () => {
    const d = dir({ 'a.yaml': swagger('basePath: /api\n'), 'b.yaml': swagger('') });
    expect((loadSpec(path.join(d, 'a.yaml')).root.value as { servers?: unknown }).servers).toEqual([{ url: '/api' }]);
    expect((loadSpec(path.join(d, 'b.yaml')).root.value as { servers?: unknown }).servers).toBeUndefined();
  });
});

describe('operations written as a $ref to their own file (DigitalOcean layout)', () => {
  it('specOperations reads them where they point: parameters, security and location', async () => {
    const { specOperations } = await import('../../src/breaking/spec/operations.js');
    const d = dir({
      'api.yaml': "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      $ref: 'ops/list.yaml'\n",
      'ops/list.yaml': "operationId: listPets\nsecurity: [{key: []}]\nparameters:\n  - {name: limit, in: query, schema: {type: integer}}\nresponses:\n  '200': {description: ok}\n",
    });
    const [op] = specOperations(loadSpec(path.join(d, 'api.yaml')));
    expect(op!.key).toBe('GET /pets');
    expect(op!.loc.doc.name).toMatch(/ops\/list\.yaml$/);
    expect(op!.parameters.map((p) => (p.v as { name: string }).name)).toEqual(['limit']);
    expect(op!.protected).toBe(true);
  });
});
