import { describe, expect, it } from '@jest/globals';
import { inStabilityScope, parseSunset, stabilityOf } from '../../../src/breaking/rules/lifecycle.js';
import type { BreakingOptions } from '../../../src/breaking/engine.js';
import { diffTexts, ids, lineOf, specWith } from '../helpers.js';

/** Sunset dates below are judged against this day. */
const TODAY = new Date('2030-01-15T12:00:00Z');
const NO_POLICY: BreakingOptions = { today: TODAY, deprecationDaysBeta: 0, deprecationDaysStable: 0 };
const POLICY: BreakingOptions = { today: TODAY, deprecationDaysBeta: 31, deprecationDaysStable: 180 };

interface Parts {
  /** Extra keys of the GET operation (indented 6). */
  op?: string;
  /** Extra keys of the `limit` query parameter (indented 10); null drops the parameter. */
  param?: string | null;
  /** Extra keys of the `name` property in request and response bodies (indented 16). */
  prop?: string;
}

/** POST /pets with a `limit` query parameter and a `name` property in request and response bodies. */
function spec({ op = '', param = '', prop = '' }: Parts = {}): string {
  const params =
    param === null
      ? ''
      : `      parameters:
        - name: limit
          in: query
          schema: {type: integer}
${param}`;
  return specWith(`  /pets:
    post:
${op}${params}      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name:
                  type: string
${prop}      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  name:
                    type: string
${prop.replace(/^/gm, '  ').replace(/^ {2}$/gm, '')}`);
}

function diff(base: Parts, rev: Parts, opts: BreakingOptions = NO_POLICY) {
  const b = spec(base);
  const r = spec(rev);
  return { b, r, result: diffTexts(b, r, opts) };
}

describe('lifecycle helpers', () => {
  it('reads sunset dates and date-times', () => {
    expect(parseSunset('2030-02-01')).toEqual({ ok: true, day: Date.UTC(2030, 1, 1) / 86_400_000 });
    expect(parseSunset('2030-02-01T23:00:00-05:00')).toEqual({ ok: true, day: Date.UTC(2030, 1, 1) / 86_400_000 });
    expect(parseSunset('2030-02-30').ok).toBe(false);
    expect(parseSunset('next year').ok).toBe(false);
    expect(parseSunset(20300201).ok).toBe(false);
  });

  it('reads stability levels and decides the scope of an operation', () => {
    expect(stabilityOf({})).toEqual({ ok: true, level: '' });
    expect(stabilityOf({ 'x-stability-level': 'beta' })).toEqual({ ok: true, level: 'beta' });
    expect(stabilityOf({ 'x-stability-level': 'ga' }).ok).toBe(false);
    expect(stabilityOf({ 'x-stability-level': 1 }).ok).toBe(false);
    const loc = (v: unknown) => ({ v, doc: undefined as never, path: [] });
    expect(inStabilityScope({ base: loc({}), rev: loc({ 'x-stability-level': 'alpha' }) })).toBe(false);
    expect(inStabilityScope({ base: loc({ 'x-stability-level': 'alpha' }), rev: loc({ 'x-stability-level': 'beta' }) })).toBe(true);
    expect(inStabilityScope({ base: loc({ 'x-stability-level': 'draft' }) })).toBe(false);
    expect(inStabilityScope({ base: loc({ 'x-stability-level': 'bogus' }) })).toBe(false);
    expect(inStabilityScope({ rev: loc({ 'x-stability-level': 'draft' }) })).toBe(true);
  });
});

describe('lifecycle family: endpoints', () => {
  it('reports nothing when nothing changed', () => {
    const parts = { op: "      deprecated: true\n      x-sunset: '2031-01-01'\n", param: '          deprecated: true\n', prop: '                  deprecated: true\n' };
    expect(diff(parts, parts, POLICY).result.findings).toEqual([]);
  });

  it('reports a deprecation with its sunset date at the x-sunset line', () => {
    const { r, result } = diff({}, { op: "      deprecated: true\n      x-sunset: '2031-01-01'\n" });
    expect(result.findings).toEqual([
      expect.objectContaining({ id: 'endpoint-deprecated-with-sunset', level: 'info', operation: 'POST /pets', location: { file: expect.stringContaining('revision.yaml'), line: lineOf(r, 'x-sunset') } }),
    ]);
    expect(result.findings[0]!.data).toEqual({ sunset: '2031-01-01' });
  });

  it('applies the deprecation policy of the stability level', () => {
    const dep = (extra: string) => `      deprecated: true\n${extra}`;
    expect(ids(diff({}, { op: dep('') }).result)).toEqual(['endpoint-deprecated']);
    expect(diff({}, { op: dep('') }, POLICY).result.findings.map((f) => [f.id, f.level])).toEqual([['api-deprecated-sunset-missing', 'error']]);
    // 40 days ahead: enough for beta (31), too soon for stable (180).
    expect(ids(diff({}, { op: dep("      x-sunset: '2030-02-24'\n") }, POLICY).result)).toEqual(['api-sunset-date-too-small']);
    const beta = '      x-stability-level: beta\n';
    expect(ids(diff({ op: beta }, { op: dep(`      x-sunset: '2030-02-24'\n${beta}`) }, POLICY).result)).toEqual(['endpoint-deprecated-with-sunset']);
    expect(ids(diff({ op: beta }, { op: dep(`      x-sunset: '2030-02-24T10:00:00Z'\n${beta}`) }, POLICY).result)).toEqual(['endpoint-deprecated-with-sunset']);
    expect(ids(diff({}, { op: dep("      x-sunset: 'soon'\n") }, POLICY).result)).toEqual(['api-deprecated-sunset-parse']);
  });

  it('reports a reactivated endpoint', () => {
    const { result } = diff({ op: '      deprecated: true\n' }, {});
    expect(result.findings.map((f) => [f.id, f.level, f.operation])).toEqual([['endpoint-reactivated', 'info', 'POST /pets']]);
  });

  it('reports a sunset date deleted or moved too close', () => {
    const dep = (sunset: string) => `      deprecated: true\n${sunset ? `      x-sunset: '${sunset}'\n` : ''}`;
    expect(diff({ op: dep('2031-01-01') }, { op: dep('') }).result.findings.map((f) => [f.id, f.level])).toEqual([['sunset-deleted', 'error']]);
    expect(ids(diff({ op: dep('2031-01-01') }, { op: dep('2030-02-01') }, POLICY).result)).toEqual(['api-sunset-date-changed-too-small']);
    expect(ids(diff({ op: dep('2031-01-01') }, { op: dep('2032-01-01') }, POLICY).result)).toEqual([]);
    expect(ids(diff({ op: dep('2031-01-01') }, { op: dep('never') }, POLICY).result)).toEqual(['api-path-sunset-parse']);
  });

  it('reports invalid and changed stability levels at the x-stability-level line', () => {
    const { r, result } = diff({}, { op: '      x-stability-level: ga\n' });
    expect(result.findings.map((f) => [f.id, f.level, f.location?.line])).toEqual([['api-invalid-stability-level', 'error', lineOf(r, 'x-stability-level')]]);
    expect(diff({ op: '      x-stability-level: stable\n' }, { op: '      x-stability-level: beta\n' }).result.findings.map((f) => [f.id, f.level])).toEqual([
      ['api-stability-decreased', 'error'],
    ]);
    expect(ids(diff({ op: '      x-stability-level: beta\n' }, {}).result)).toEqual(['api-stability-increased']);
    expect(ids(diff({ op: '      x-stability-level: alpha\n' }, { op: '      x-stability-level: beta\n' }).result)).toEqual([]);
  });

  it('skips draft and alpha endpoints for other checks', () => {
    const alpha = '      x-stability-level: alpha\n';
    expect(ids(diff({ op: alpha }, { op: `${alpha}      deprecated: true\n` }, POLICY).result)).toEqual([]);
    expect(ids(diff({ op: alpha }, { op: alpha, param: null }).result)).toEqual([]);
    expect(ids(diff({ op: alpha }, { op: alpha, prop: '                  deprecated: true\n' }).result)).toEqual([]);
    // Leaving the stable level is reported; later changes of the now-alpha endpoint are not.
    expect(ids(diff({}, { op: alpha, param: null }).result)).toEqual(['api-stability-decreased']);
  });
});

describe('lifecycle family: parameters', () => {
  it('reports a deprecated and a reactivated parameter at the deprecated line', () => {
    const { r, result } = diff({}, { param: '          deprecated: true\n' });
    expect(result.findings.map((f) => [f.id, f.level, f.operation, f.location?.line])).toEqual([
      ['request-parameter-deprecated', 'info', 'POST /pets', lineOf(r, 'deprecated: true')],
    ]);
    expect(ids(diff({ param: '          deprecated: true\n' }, {}).result)).toEqual(['request-parameter-reactivated']);
    expect(ids(diff({}, { param: '          deprecated: true\n' }, POLICY).result)).toEqual(['request-parameter-deprecated-sunset-missing']);
    expect(ids(diff({}, { param: "          deprecated: true\n          x-sunset: '2030-02-01'\n" }, POLICY).result)).toEqual(['request-parameter-sunset-date-too-small']);
  });

  it('judges removal of a deprecated parameter by its sunset date', () => {
    const dep = (sunset?: string) => `          deprecated: true\n${sunset ? `          x-sunset: '${sunset}'\n` : ''}`;
    const removed = (param: string) => diff({ param }, { param: null }).result;
    expect(removed(dep()).findings.map((f) => [f.id, f.level, f.operation])).toEqual([['request-parameter-removed-with-deprecation', 'info', 'POST /pets']]);
    expect(ids(removed(dep('2031-01-01')))).toEqual(['request-parameter-removed-before-sunset']);
    expect(ids(removed(dep('2029-01-01')))).toEqual([]);
    expect(ids(removed(dep('01/01/2029')))).toEqual(['request-parameter-sunset-parse']);
  });

  it('reports a parameter sunset date deleted while it stays deprecated', () => {
    const { result } = diff({ param: "          deprecated: true\n          x-sunset: '2031-01-01'\n" }, { param: '          deprecated: true\n' });
    expect(result.findings.map((f) => [f.id, f.level])).toEqual([['request-parameter-sunset-deleted', 'error']]);
  });
});

describe('lifecycle family: properties', () => {
  it('reports deprecated request and response properties', () => {
    const { r, result } = diff({}, { prop: "                  deprecated: true\n                  x-sunset: '2031-01-01'\n" });
    expect(result.findings.map((f) => [f.id, f.level, f.operation, f.location?.line])).toEqual([
      ['request-property-deprecated-with-sunset', 'info', 'POST /pets', lineOf(r, 'x-sunset', 1)],
      ['response-property-deprecated-with-sunset', 'info', 'POST /pets', lineOf(r, 'x-sunset', 2)],
    ]);
    expect(result.findings[0]!.message).toContain("request property 'name'");
  });

  it('applies the policy and reports reactivation of properties', () => {
    expect(ids(diff({}, { prop: '                  deprecated: true\n' }, POLICY).result)).toEqual([
      'request-property-deprecated-sunset-missing',
      'response-property-deprecated-sunset-missing',
    ]);
    expect(ids(diff({}, { prop: "                  deprecated: true\n                  x-sunset: 'x'\n" }).result)).toEqual([
      'request-property-deprecated-sunset-invalid',
      'response-property-deprecated-sunset-invalid',
    ]);
    expect(ids(diff({ prop: '                  deprecated: true\n' }, {}).result)).toEqual(['request-property-reactivated', 'response-property-reactivated']);
  });

  it('reports property stability changes', () => {
    expect(ids(diff({}, { prop: '                  x-stability-level: beta\n' }).result)).toEqual([
      'request-property-stability-decreased',
      'response-property-stability-decreased',
    ]);
  });
});
