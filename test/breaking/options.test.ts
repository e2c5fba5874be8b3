import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBreaking } from '../../src/breaking/run.js';
import { parseIgnoreFile } from '../../src/breaking/ignore.js';
import { parseSeverityLevels } from '../../src/breaking/severity.js';
import { locateJsonLines } from '../../src/breaking/spec/json-locate.js';
import { InputError } from '../../src/kit/errors.js';

const ops = (paths: string[]) =>
  `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n${paths.map((p) => `  ${p}:\n    get:\n      responses:\n        '200': {description: ok}\n`).join('')}`;

function setup(base: string, rev: string, files: Record<string, string> = {}): string {
  const d = mkdtempSync(path.join(tmpdir(), 'opts-'));
  writeFileSync(path.join(d, 'base.yaml'), base);
  writeFileSync(path.join(d, 'rev.yaml'), rev);
  for (const [n, t] of Object.entries(files)) writeFileSync(path.join(d, n), t);
  return d;
}

describe('fail-on', () => {
  const d = setup(ops(['/a', '/b']), ops(['/a']));
  it('error (default) fails on a removed endpoint', () => {
    expect(runBreaking({ base: 'base.yaml', revision: 'rev.yaml', cwd: d }).verdict).toBe('fail');
  });
  it('never passes whatever is found, and still reports', () => {
    const r = runBreaking({ base: 'base.yaml', revision: 'rev.yaml', cwd: d, failOn: 'never' });
    expect(r.verdict).toBe('pass');
    expect(r.findings.length).toBeGreaterThan(0);
  });
  it('warning fails on a warning-level change alone', () => {
    const withParam = ops(['/a']).replace('    get:\n', '    get:\n      parameters:\n        - {name: q, in: query, schema: {type: string}}\n');
    const w = setup(withParam, ops(['/a']));
    const atError = runBreaking({ base: 'base.yaml', revision: 'rev.yaml', cwd: w });
    expect(atError.findings.map((f) => [f.id, f.level])).toEqual([['request-parameter-removed', 'warning']]);
    expect(atError.verdict).toBe('pass');
    expect(runBreaking({ base: 'base.yaml', revision: 'rev.yaml', cwd: w, failOn: 'warning' }).verdict).toBe('fail');
  });
  it('an unknown value is bad input naming the option', () => {
    expect(() => runBreaking({ base: 'base.yaml', revision: 'rev.yaml', cwd: d, failOn: 'sometimes' })).toThrow("fail-on: 'sometimes' is not one of error, warning, never");
  });
});

describe('match-path / unmatch-path', () => {
  const d = setup(ops(['/a', '/internal/x']), ops([]));
  it('only matching paths are checked', () => {
    const r = runBreaking({ base: 'base.yaml', revision: 'rev.yaml', cwd: d, matchPath: '^/internal' });
    expect(r.findings.map((f) => f.operation)).toEqual(['GET /internal/x']);
  });
  it('unmatching paths are skipped', () => {
    const r = runBreaking({ base: 'base.yaml', revision: 'rev.yaml', cwd: d, unmatchPath: '^/internal' });
    expect(r.findings.map((f) => f.operation)).toEqual(['GET /a']);
  });
  it('a bad regex names the option', () => {
    expect(() => runBreaking({ base: 'base.yaml', revision: 'rev.yaml', cwd: d, matchPath: '(' })).toThrow(/^match-path: '\(' is not a valid regular expression/);
  });
});

describe('severity levels (oasdiff format)', () => {
  it('changes a level, and none drops the rule', () => {
    const d = setup(ops(['/a', '/b']), ops(['/b', '/c']), { 'levels.txt': '# ours\napi-path-removed-without-deprecation warn\nendpoint-added none\n' });
    const r = runBreaking({ base: 'base.yaml', revision: 'rev.yaml', cwd: d, severityLevels: 'levels.txt' });
    expect(r.findings.map((f) => [f.id, f.level])).toEqual([['api-path-removed-without-deprecation', 'warning']]);
    expect(r.verdict).toBe('pass');
  });
  it('bad lines name the file and line', () => {
    expect(() => parseSeverityLevels('endpoint-added info\nno-such-rule err\n', 'levels.txt')).toThrow("levels.txt:2: unknown rule id 'no-such-rule'");
    expect(() => parseSeverityLevels('endpoint-added loud\n', 'levels.txt')).toThrow("levels.txt:1: level 'loud' is not one of err, warn, info, none");
    expect(() => parseSeverityLevels('endpoint-added\n', 'levels.txt')).toThrow("levels.txt:1: expected 'rule-id level'");
  });
  it('a missing file names the option', () => {
    const d = setup(ops(['/a']), ops(['/a']));
    expect(() => runBreaking({ base: 'base.yaml', revision: 'rev.yaml', cwd: d, severityLevels: 'nope.txt' })).toThrow("severity-levels: file 'nope.txt' not found or not readable");
  });
});

describe('ignore file', () => {
  const base = ops(['/a', '/b']);
  const rev = ops([]);
  const today = new Date('2026-11-27T12:00:00Z');
  it('drops accepted changes by id and operation (path parameter names ignored)', () => {
    const d = setup(base, rev, {
      'ignore.yaml': '- id: api-path-removed-without-deprecation\n  operation: get /a\n  reason: retired with notice\n  expires: 2027-01-01\n',
    });
    const r = runBreaking({ base: 'base.yaml', revision: 'rev.yaml', cwd: d, ignore: 'ignore.yaml', today });
    expect(r.findings.map((f) => f.operation)).toEqual(['GET /b']);
  });
  it('an expired entry stops applying and says so', () => {
    const d = setup(base, rev, { 'ignore.yaml': '- id: api-path-removed-without-deprecation\n  operation: GET /a\n  reason: was fine then\n  expires: 2026-11-01\n' });
    const r = runBreaking({ base: 'base.yaml', revision: 'rev.yaml', cwd: d, ignore: 'ignore.yaml', today });
    expect(r.findings.map((f) => `${f.id} ${f.operation}`).sort()).toEqual([
      'api-path-removed-without-deprecation GET /a',
      'api-path-removed-without-deprecation GET /b',
      'ignore-expired GET /a',
    ]);
    expect(r.findings.find((f) => f.id === 'ignore-expired')!.message).toMatch(/expired on 2026-11-01/);
  });
  it('every entry needs a reason; bad fields are named', () => {
    expect(() => parseIgnoreFile('- id: endpoint-added\n', 'ignore.yaml')).toThrow("ignore.yaml: entry 1: field 'reason' is required");
    expect(() => parseIgnoreFile('- id: endpoint-added\n  reason: x\n  expires: soon\n', 'ignore.yaml')).toThrow("ignore.yaml: entry 1: field 'expires' must be a date YYYY-MM-DD");
    expect(() => parseIgnoreFile('- id: endpoint-added\n  reason: x\n  operation: /pets\n', 'ignore.yaml')).toThrow(InputError);
    expect(() => parseIgnoreFile('id: x\n', 'ignore.yaml')).toThrow('ignore.yaml: expected a list of entries');
  });
});

describe('JSON source lines', () => {
  const text = '{\n  "a": {\n    "b/c": [1, {"d": "x\\"}"}],\n    "e": 2\n  },\n  "f": "}"\n}\n';
  it('finds keys, array items and escaped keys, one pass for all', () => {
    expect(locateJsonLines(text, [['a'], ['a', 'b/c', '1', 'd'], ['a', 'e'], ['f'], ['missing'], []])).toEqual([2, 3, 4, 6, undefined, 1]);
  });
});
