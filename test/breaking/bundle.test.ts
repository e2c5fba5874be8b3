import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleSpec } from '../../src/breaking/spec/bundle.js';
import { loadSpec } from '../../src/breaking/spec/load.js';

function write(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Every `$ref` in `v` with the path where it is written. */
function refsIn(v: unknown, at: string[] = []): [string[], string][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => refsIn(x, [...at, String(i)]));
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v).flatMap(([k, x]) => (k === '$ref' && typeof x === 'string' ? [[at, x] as [string[], string]] : refsIn(x, [...at, k])));
}

function resolve(doc: unknown, ref: string): unknown {
  const parts = ref === '#' ? [] : ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.reduce<unknown>((v, p) => (v as Record<string, unknown>)?.[p], doc);
}

describe('bundleSpec', () => {
  const dir = write({
    'api.yaml': [
      'openapi: 3.0.3',
      "info: {title: t, version: '1'}",
      'paths:',
      '  /pets:',
      '    get:',
      "      parameters: [{$ref: '#/components/parameters/limit'}]",
      '      responses:',
      "        '200': {description: ok, content: {application/json: {schema: {$ref: 'schemas/pet.yaml#/Pet'}, example: {$ref: 'not/a/file.yaml'}}}}",
      'components:',
      '  parameters:',
      '    limit: {name: limit, in: query, schema: {type: integer}}',
      '',
    ].join('\n'),
    'schemas/pet.yaml': ['Pet:', '  type: object', '  properties:', "    owner: {$ref: 'owner.yaml'}", "    friends: {type: array, items: {$ref: '#/Pet'}}", ''].join('\n'),
    'schemas/owner.yaml': ['type: object', 'properties:', "  pets: {type: array, items: {$ref: 'pet.yaml#/Pet'}}", ''].join('\n'),
  });
  const spec = loadSpec('api.yaml', { cwd: dir });
  const doc = bundleSpec(spec);

  it('leaves only local references, each naming a node of the bundled document', () => {
    const refs = refsIn(doc).filter(([at]) => !at.includes('example'));
    expect(refs.length).toBeGreaterThan(0);
    for (const [at, ref] of refs) {
      expect([at.join('/'), ref.startsWith('#')]).toEqual([at.join('/'), true]);
      expect(resolve(doc, ref)).toBeDefined();
    }
  });

  it('keeps references within the root file as written and copies each target from another file once', () => {
    expect(resolve(doc, '#/paths/~1pets/get/parameters/0')).toEqual({ $ref: '#/components/parameters/limit' });
    const pet = (resolve(doc, '#/paths/~1pets/get/responses/200/content/application~1json/schema') as { $ref: string }).$ref;
    expect(pet).toMatch(/^#\/x-bundled\/\d+$/);
    // Pet's friends point back at Pet, and Owner's pets at Pet too: the same copy, so the cycles stay cycles.
    expect((resolve(doc, `${pet}/properties/friends/items`) as { $ref: string }).$ref).toBe(pet);
    const owner = (resolve(doc, `${pet}/properties/owner`) as { $ref: string }).$ref;
    expect((resolve(doc, `${owner}/properties/pets/items`) as { $ref: string }).$ref).toBe(pet);
    expect(Object.keys(doc['x-bundled'] as object)).toHaveLength(2);
  });

  it('copies data as it is: a $ref inside an example is not followed or rewritten', () => {
    expect(resolve(doc, '#/paths/~1pets/get/responses/200/content/application~1json/example')).toEqual({ $ref: 'not/a/file.yaml' });
  });
});
