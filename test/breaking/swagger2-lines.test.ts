import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { checkBreaking } from '../../src/breaking/engine.js';
import type { Finding } from '../../src/kit/result.js';
import { diffTexts, lineOf } from './helpers.js';

const BASE = `swagger: '2.0'
info:
  title: Pets
  version: '1'
securityDefinitions:
  petAuth:
    type: oauth2
    flow: accessCode
    authorizationUrl: https://example.com/auth
    tokenUrl: https://example.com/token
    scopes:
      read: read pets
      write: write pets
parameters:
  Offset:
    name: offset
    in: query
    type: integer
    minimum: 0
paths:
  /pets:
    get:
      parameters:
        - $ref: '#/parameters/Offset'
        - name: limit
          in: query
          type: integer
          maximum: 100
      responses:
        '200':
          description: ok
          schema:
            type: array
            items:
              $ref: '#/definitions/Pet'
        '404':
          description: none
    post:
      parameters:
        - name: body
          in: body
          required: true
          schema:
            $ref: '#/definitions/Pet'
        - name: X-Trace
          in: header
          type: string
          maxLength: 64
      responses:
        '201':
          description: created
  /pets/{id}/photo:
    post:
      consumes:
        - multipart/form-data
      parameters:
        - name: id
          in: path
          required: true
          type: string
        - name: caption
          in: formData
          type: string
        - name: file
          in: formData
          type: file
      responses:
        '204':
          description: stored
definitions:
  Pet:
    type: object
    properties:
      name:
        type: string
`;

/** The base with its edits: each `[from, to]` replaces one exact text. */
function edit(text: string, ...edits: [string, string][]): string {
  return edits.reduce((t, [from, to]) => {
    if (!t.includes(from)) throw new Error(`${from} not in the text`);
    return t.replace(from, to);
  }, text);
}

const REVISION = edit(
  BASE,
  ['      write: write pets\n', ''],
  ['          maximum: 100', '          maximum: 50'],
  ["        '404':\n          description: none\n", ''],
  ['        - name: caption\n          in: formData\n          type: string', '        - name: caption\n          in: formData\n          type: integer'],
  ['        - name: file\n          in: formData\n          type: file\n', ''],
  ['    minimum: 0', '    minimum: 1'],
  ['          maxLength: 64', '          maxLength: 32'],
  ['    type: object\n    properties:', '    type: object\n    required: [age]\n    properties:'],
  ['      name:\n        type: string\n', '      name:\n        type: string\n      age:\n        type: integer\n'],
);

function only(findings: readonly Finding[], id: string, operation?: string): Finding {
  const hits = findings.filter((f) => f.id === id && (operation === undefined || f.operation === operation));
  expect(hits).toHaveLength(1);
  return hits[0]!;
}

/** The same checks for a pair written as YAML and as JSON (pretty-printed: one key a line, `{` alone before an item). */
describe.each([
  ['YAML', BASE, REVISION],
  ['JSON', toJson(BASE), toJson(REVISION)],
])('Swagger 2.0 findings carry the source line (%s)', (kind, base, rev) => {
  const findings = diffTexts(base, rev).findings;
  const json = kind === 'JSON';
  const key = (name: string) => (json ? `"${name}":` : `${name}:`);
  const at = (f: Finding) => [f.location?.file, f.location?.line];

  it("a parameter's maximum: the revision's maximum line", () => {
    const f = only(findings, 'request-parameter-max-decreased', 'GET /pets');
    expect(at(f)).toEqual(['revision.yaml', lineOf(rev, key('maximum'))]);
  });

  it("a parameter reached through #/parameters: the shared parameter's keyword line", () => {
    const f = only(findings, 'request-parameter-min-increased', 'GET /pets');
    expect(at(f)).toEqual(['revision.yaml', lineOf(rev, key('minimum'))]);
  });

  it('a parameter written after the body parameter: its own line (the body left the list)', () => {
    const f = only(findings, 'request-parameter-max-length-decreased', 'POST /pets');
    expect(at(f)).toEqual(['revision.yaml', lineOf(rev, key('maxLength'))]);
  });

  it('a new required property in definitions/Pet: its line in the revision', () => {
    const f = only(findings, 'new-required-request-property', 'POST /pets');
    expect(at(f)).toEqual(['revision.yaml', lineOf(rev, key('age'))]);
  });

  it("a removed response status: the base's line", () => {
    const f = only(findings, 'response-non-success-status-removed', 'GET /pets');
    expect(at(f)).toEqual(['base.yaml', lineOf(base, json ? '"404":' : "'404':")]);
  });

  it("a formData parameter's type changed: the parameter's type line in the revision", () => {
    const f = only(findings, 'request-property-type-changed', 'POST /pets/{id}/photo');
    expect(at(f)).toEqual(['revision.yaml', lineAfter(rev, 'caption', key('type'))]);
  });

  it("a removed formData parameter: the parameter's line in the base", () => {
    const f = only(findings, 'request-property-removed', 'POST /pets/{id}/photo');
    expect(at(f)).toEqual(['base.yaml', json ? lineOf(base, '"file"') - 1 : lineOf(base, '- name: file')]);
  });

  it("a removed oauth2 scope: the scope's line in the base", () => {
    const f = only(findings, 'api-security-component-oauth-scope-removed');
    expect(at(f)).toEqual(['base.yaml', lineOf(base, key('write'))]);
  });

  it('every finding has a line', () => {
    expect(findings.filter((f) => f.location?.line === undefined)).toEqual([]);
  });
});

/** 1-based line of the first line containing `needle` after the first containing `anchor`. */
function lineAfter(text: string, anchor: string, needle: string): number {
  const start = lineOf(text, anchor);
  const rest = text.split('\n').slice(start);
  return start + 1 + rest.findIndex((l) => l.includes(needle));
}

function toJson(yamlText: string): string {
  return JSON.stringify(parse(yamlText), null, 2) + '\n';
}

describe('Swagger 2.0 conversion keeps references working', () => {
  it('a $ref into another file is read as written there, not rewritten to components', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'swagger2-'));
    const spec = (max: number) => `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          schema:
            $ref: 'models-${max}.yaml#/definitions/Pet'
`;
    const models = (max: number) => `definitions:\n  Pet:\n    type: object\n    properties:\n      tag:\n        type: string\n        maxLength: ${max}\n`;
    writeFileSync(path.join(dir, 'base.yaml'), spec(10));
    writeFileSync(path.join(dir, 'revision.yaml'), spec(20));
    writeFileSync(path.join(dir, 'models-10.yaml'), models(10));
    writeFileSync(path.join(dir, 'models-20.yaml'), models(20));
    const result = checkBreaking(path.join(dir, 'base.yaml'), path.join(dir, 'revision.yaml'), { cwd: dir, failOn: 'error' });
    const f = only(result.findings, 'response-property-max-length-increased', 'GET /pets');
    expect([f.location?.file, f.location?.line]).toEqual(['models-20.yaml', lineOf(models(20), 'maxLength')]);
  });
});
