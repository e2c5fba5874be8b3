import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSpec } from '../../src/breaking/spec/load.js';
import { InputError } from '../../src/kit/errors.js';
import type { Finding } from '../../src/kit/result.js';
import { diffTexts, lineOf } from './helpers.js';

const spec = (anchors: string, paths: string) => `openapi: 3.0.3
info: {title: t, version: '1'}
${anchors}
paths:
  /pets:
    get:
${paths}`;

const ERRORS = `x-errors: &errorResponses
  '404':
    description: not found
  '500':
    description: server error`;

const RESPONSES = `      responses:
        <<: *errorResponses
        '200':
          description: ok`;

function only(findings: readonly Finding[], id: string): Finding {
  const hits = findings.filter((f) => f.id === id);
  expect(hits).toHaveLength(1);
  return hits[0]!;
}

describe('YAML merge keys (<<) are applied', () => {
  it("a status dropped from a merged mapping is a removal, on the base's line in the anchored mapping", () => {
    const base = spec(ERRORS, RESPONSES);
    const rev = spec(ERRORS.replace("\n  '500':\n    description: server error", ''), RESPONSES);
    const f = only(diffTexts(base, rev).findings, 'response-non-success-status-removed');
    expect([f.level, f.operation]).toEqual(['info', 'GET /pets']);
    expect(f.location).toEqual({ file: 'base.yaml', line: lineOf(base, "'500':") });
  });

  it("a merged keyword changed: the revision's line in the anchored mapping", () => {
    const anchors = (max: number) => `x-limit: &limit\n  type: integer\n  maximum: ${max}`;
    const params = `      parameters:\n        - name: limit\n          in: query\n          schema:\n            <<: *limit\n            minimum: 1\n${RESPONSES.replace('<<: *errorResponses', "'404': {description: none}")}`;
    const rev = spec(anchors(50), params);
    const f = only(diffTexts(spec(anchors(100), params), rev).findings, 'request-parameter-max-decreased');
    expect(f.location).toEqual({ file: 'revision.yaml', line: lineOf(rev, 'maximum: 50') });
  });

  it('a key written beside the merge wins over the merged one, and its line is reported', () => {
    const anchors = `x-limit: &limit\n  type: integer\n  maximum: 100`;
    const params = (max: number) =>
      `      parameters:\n        - name: limit\n          in: query\n          schema:\n            <<: *limit\n            maximum: ${max}\n${RESPONSES.replace('<<: *errorResponses', "'404': {description: none}")}`;
    const rev = spec(anchors, params(5));
    const f = only(diffTexts(spec(anchors, params(10)), rev).findings, 'request-parameter-max-decreased');
    expect(f.message).toMatch(/from 10 to 5/);
    expect(f.location).toEqual({ file: 'revision.yaml', line: lineOf(rev, 'maximum: 5') });
  });

  it('a list of merged mappings: the earlier one wins', () => {
    const anchors = (max: number) => `x-a: &a {type: integer, maximum: ${max}}\nx-b: &b {type: integer, maximum: 7}`;
    const params = `      parameters:\n        - name: limit\n          in: query\n          schema:\n            <<: [*a, *b]\n${RESPONSES.replace('<<: *errorResponses', "'404': {description: none}")}`;
    const rev = spec(anchors(5), params);
    const f = only(diffTexts(spec(anchors(10), params), rev).findings, 'request-parameter-max-decreased');
    expect(f.message).toMatch(/from 10 to 5/);
    expect(f.location).toEqual({ file: 'revision.yaml', line: lineOf(rev, 'x-a:') });
  });

  it('an alias bomb built from merge keys is refused, not expanded', () => {
    const lines = ['openapi: 3.0.0', 'info: {title: t, version: "1"}', 'paths: {}', 'x-a: &a {lol: 1}'];
    let prev = 'a';
    for (const n of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
      lines.push(`x-${n}: &${n} {<<: [${Array(9).fill(`*${prev}`).join(',')}], ${n}: 1}`);
      prev = n;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'merge-'));
    writeFileSync(path.join(dir, 'spec.yaml'), lines.join('\n') + '\n');
    expect(() => loadSpec('spec.yaml', { cwd: dir })).toThrow(InputError);
    expect(() => loadSpec('spec.yaml', { cwd: dir })).toThrow(/alias bomb/);
  });

  it('a mapping merged so often that the copies would fill memory is refused before they are made', () => {
    const keys = Array.from({ length: 20000 }, (_, i) => `  k${i}: {a: 1}`).join('\n');
    const uses = Array.from({ length: 900 }, (_, i) => `x-u${i}: {<<: *a}`).join('\n');
    const dir = mkdtempSync(path.join(tmpdir(), 'merge-'));
    writeFileSync(path.join(dir, 'spec.yaml'), `openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths: {}\nx-a: &a\n${keys}\n${uses}\n`);
    expect(() => loadSpec('spec.yaml', { cwd: dir })).toThrow(/^spec\.yaml: YAML merge keys \(<<\) copy more than 1000000 nodes: refusing a possible alias bomb/);
  });

  it('a merge of something other than a mapping is an input error that says so, not an alias bomb', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'merge-'));
    writeFileSync(path.join(dir, 'spec.yaml'), 'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths: {}\nx-a: {<<: 5}\n');
    expect(() => loadSpec('spec.yaml', { cwd: dir })).toThrow(/^spec\.yaml: cannot read YAML: Merge sources must be maps/);
  });
});
