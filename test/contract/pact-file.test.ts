import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parsePact, readPactFile } from '../../src/contract/pact-file.js';
import { readPacts } from '../../src/contract/pact-sources.js';
import { InputError } from '../../src/kit/errors.js';
import { SHARED } from '../breaking/helpers.js';
import { cleanTemp, EXAMPLE_PACT, pactText, ROOT, tempDir } from './helpers.js';

afterAll(cleanTemp);

const inputError = (f: () => unknown): InputError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
};

describe('reading pact files', () => {
  test('the example pact: names, version, interactions with their states and lines', () => {
    const p = readPactFile(EXAMPLE_PACT, path.join(ROOT, EXAMPLE_PACT));
    expect(p).toMatchObject({ consumer: 'petstore-web', provider: 'petstore-api', specVersion: '3' });
    expect(p.interactions.map((i) => i.description).sort()).toEqual([
      'a request for a pet that does not exist',
      'a request for pet pet-1',
      'a request to create a pet',
      'a request to list dogs',
    ]);
    const lines = p.text.split('\n');
    for (const it of p.interactions) {
      // The line is where the interaction object opens, and its description follows.
      expect(lines[it.line! - 1]!.trim()).toBe('{');
      expect(lines.slice(it.line!, it.line! + 40).join('\n')).toContain(JSON.stringify(it.description));
    }
    expect(p.interactions.find((i) => i.description === 'a request for pet pet-1')!.states).toEqual(['a pet exists']);
  });

  const real = path.join(SHARED, 'formats/pact');
  const realFiles = existsSync(real) ? readdirSync(real).filter((f) => f.endsWith('.json')) : [];
  if (realFiles.length === 0) console.log(`skipped: ${real} is absent (the shared reference pacts exist in CI only)`);
  test.each(realFiles.length ? realFiles : ['(none)'])('real pact %s parses (v3 and v4, HTTP and messages)', (f) => {
    if (f === '(none)') return;
    const p = readPactFile(f, path.join(real, f));
    expect(p.consumer).not.toBe('');
    expect(p.provider).not.toBe('');
    expect(['3', '4']).toContain(p.specVersion);
    expect(p.interactions.length).toBeGreaterThan(0);
    for (const it of p.interactions) expect(it.line).toBeGreaterThan(1);
  });

  test('v2 providerState and a v4 message interaction are understood', () => {
    const v2 = parsePact(pactText([{ description: 'd', providerState: 'a thing exists', request: { method: 'GET', path: '/' }, response: { status: 200 } }], { metadata: { pactSpecification: { version: '2.0.0' } } }), 'v2.json');
    expect(v2.specVersion).toBe('2');
    expect(v2.interactions[0]!.states).toEqual(['a thing exists']);
    const v4 = parsePact(pactText([{ type: 'Asynchronous/Messages', description: 'an event', contents: {} }], { metadata: { pactSpecification: { version: '4.0' } } }), 'v4.json');
    expect(v4.interactions[0]!.type).toBe('Asynchronous/Messages');
  });
});

describe('bad pact files: a clear error naming the file and the field', () => {
  test('not JSON', () => {
    expect(inputError(() => parsePact('{"consumer": {"name": "web"},\n  oops\n}', 'pacts/bad.json')).message).toMatch(
      /^pacts\/bad\.json: not a pact file: not valid JSON \(/,
    );
  });
  test('JSON but not an object', () => {
    expect(inputError(() => parsePact('[1, 2]', 'list.json')).message).toBe('list.json: not a pact file: expected a JSON object at the top level');
  });
  test('an unknown specification version', () => {
    const e = inputError(() => parsePact(pactText([], { metadata: { pactSpecification: { version: '9.1.0' } } }), 'future.json'));
    expect(e.message).toBe("future.json: field 'metadata.pactSpecification.version' is \"9.1.0\": expected a Pact specification version 1.x to 4.x");
    expect(e.field).toBe('metadata.pactSpecification.version');
  });
  test('no consumer or provider name', () => {
    expect(inputError(() => parsePact(JSON.stringify({ provider: { name: 'api' }, interactions: [] }), 'x.json')).message).toBe(
      "x.json: field 'consumer.name' is missing: a pact names its consumer",
    );
    expect(inputError(() => parsePact(JSON.stringify({ consumer: { name: 'web' }, provider: {}, interactions: [] }), 'x.json')).message).toMatch(/'provider\.name' is missing/);
  });
  test('no interactions list, or an interaction without a description', () => {
    expect(inputError(() => parsePact(JSON.stringify({ consumer: { name: 'w' }, provider: { name: 'a' } }), 'x.json')).message).toMatch(/field 'interactions' is missing/);
    expect(inputError(() => parsePact(pactText([{ request: {} }]), 'x.json')).message).toBe('x.json: interactions[0].description is missing: every interaction needs a description');
  });
  test('a missing file, an empty directory', () => {
    const d = tempDir({ 'empty/readme.txt': 'x' });
    expect(inputError(() => readPacts(['nope.json'], d)).message).toBe("pact-files: 'nope.json' not found (expected a pact file or a directory of pact files)");
    expect(inputError(() => readPacts(['empty'], d)).message).toBe("pact-files: directory 'empty' holds no pact files (*.json)");
    expect(inputError(() => readPacts([], d)).message).toBe('pact-files: no pact files given');
  });
  test('a directory is read file by file, each file once', () => {
    const d = tempDir({ 'pacts/a.json': pactText([{ description: 'a', request: {}, response: {} }]), 'pacts/b.json': pactText([]), 'pacts/notes.md': '#' });
    expect(readPacts(['pacts', 'pacts/a.json'], d).map((p) => p.file)).toEqual(['pacts/a.json', 'pacts/b.json']);
  });
});
