import { describe, expect, test } from '@jest/globals';
import { artifactUri, FINGERPRINT_KEY, formatSarif } from '../../src/kit/format/sarif.js';
import { finding, mixed, result } from './sample.js';

type Json = any;

describe('formatSarif', () => {
  const log: Json = JSON.parse(formatSarif(mixed, { toolVersion: '1.2.3', informationUri: 'https://example.test/docs' }));
  const run = log.runs[0];

  test('is a SARIF 2.1.0 log with one run and the tool described', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'api-delivery', version: '1.2.3', informationUri: 'https://example.test/docs' });
  });

  test('one rule per distinct finding id, each with a short description', () => {
    const twice = result([finding('error', 'same'), finding('warning', 'same'), finding('info', 'other')]);
    const rules = JSON.parse(formatSarif(twice)).runs[0].tool.driver.rules;
    expect(rules.map((r: Json) => r.id)).toEqual(['other', 'same']);
    for (const r of rules) expect(r.shortDescription.text).toBe(r.id);
  });

  test('every result points at its rule through ruleIndex, with levels mapped', () => {
    expect(run.results).toHaveLength(4);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(typeof r.message.text).toBe('string');
    }
    const levels = Object.fromEntries(run.results.map((r: Json) => [r.ruleId, r.level]));
    expect(levels).toEqual({
      'request-parameter-removed': 'error',
      'response-optional-property-removed': 'warning',
      'api-security-removed': 'warning',
      'endpoint-added': 'note',
    });
  });

  test('locations: startLine only when the line is known, none without a file', () => {
    const byId = Object.fromEntries(run.results.map((r: Json) => [r.ruleId, r]));
    expect(byId['request-parameter-removed'].locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'specs/v1.yaml' }, region: { startLine: 12, startColumn: 9 } } },
    ]);
    expect(byId['api-security-removed'].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'specs/v1.yaml' } });
    expect(byId['endpoint-added'].locations).toBeUndefined();
    const zero = JSON.parse(formatSarif(result([finding('error', 'z', { location: { file: 'a.yaml', line: 0 } })])));
    expect(zero.runs[0].results[0].locations[0].physicalLocation.region).toBeUndefined();
  });

  test('URIs are relative with forward slashes', () => {
    expect(artifactUri('specs\\v2\\openapi.yaml')).toBe('specs/v2/openapi.yaml');
    expect(artifactUri('./specs/my api#1.yaml')).toBe('specs/my%20api%231.yaml');
  });

  test('fingerprints are stable across runs and line moves, and differ between findings', () => {
    const a = finding('error', 'r', { operation: 'GET /a', message: 'm', location: { file: 'x.yaml', line: 3 } });
    const moved = { ...a, location: { file: 'x.yaml', line: 30 } };
    const fp = (f: typeof a) => JSON.parse(formatSarif(result([f]))).runs[0].results[0].partialFingerprints[FINGERPRINT_KEY];
    expect(fp(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(fp(moved)).toBe(fp(a));
    expect(fp({ ...a, operation: 'GET /b' })).not.toBe(fp(a));
    expect(fp({ ...a, message: 'n' })).not.toBe(fp(a));
  });

  test('rule metadata from options: description and default level', () => {
    const log2 = JSON.parse(
      formatSarif(mixed, { toolName: 'oas-gate', rules: { 'endpoint-added': { description: 'An endpoint was added', level: 'info' } } }),
    );
    const rule = log2.runs[0].tool.driver.rules.find((r: Json) => r.id === 'endpoint-added');
    expect(log2.runs[0].tool.driver.name).toBe('oas-gate');
    expect(rule).toEqual({ id: 'endpoint-added', shortDescription: { text: 'An endpoint was added' }, defaultConfiguration: { level: 'note' } });
  });

  test('an empty result is still a valid log', () => {
    const empty = JSON.parse(formatSarif(result([])));
    expect(empty.runs[0].results).toEqual([]);
    expect(empty.runs[0].tool.driver.rules).toEqual([]);
  });
});
