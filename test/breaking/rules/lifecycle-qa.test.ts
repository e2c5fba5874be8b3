import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BreakingOptions } from '../../../src/breaking/engine.js';
import type { Finding } from '../../../src/kit/result.js';
import { diffTexts, ids, lineOf, specWith } from '../helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The day every comparison below is judged on (noon UTC: the same calendar day in most zones). */
const TODAY = new Date('2026-06-15T12:00:00Z');
const NO_POLICY: BreakingOptions = { today: TODAY, deprecationDaysBeta: 0, deprecationDaysStable: 0 };
const POLICY: BreakingOptions = { today: TODAY, deprecationDaysBeta: 31, deprecationDaysStable: 180 };

const rows = (fs: readonly Finding[]) => fs.map((f) => `${f.id} ${f.operation} ${f.location?.file.split('/').pop()}:${f.location?.line}`).sort();

/** GET /pets answering an object whose `owner` property is `owner` (indented 20) and an Owner component with `component` keys (indented 6). */
function ownerSpec(owner: string, component = '', version = '3.0.3'): string {
  return specWith(
    `  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner:
${owner}`,
    `components:
  schemas:
    Owner:
      type: object
${component}      properties:
        id: {type: string}
`,
    version,
  );
}

const REF = "                    $ref: '#/components/schemas/Owner'\n";
const NULLABLE_ALLOF = "                    nullable: true\n                    allOf:\n                      - $ref: '#/components/schemas/Owner'\n";
const NULLABLE_ONEOF = "                    oneOf:\n                      - $ref: '#/components/schemas/Owner'\n                      - type: 'null'\n";
const DEPRECATED = '      deprecated: true\n';

describe('a schema wrapped for nullable keeps the deprecation and stability of what it wraps', () => {
  it("3.0's nullable + allOf around a deprecated component is no reactivation", () => {
    const r = diffTexts(ownerSpec(REF, DEPRECATED), ownerSpec(NULLABLE_ALLOF, DEPRECATED), NO_POLICY);
    // Becoming nullable is the one change a client sees.
    expect(ids(r)).toEqual(['response-property-became-nullable']);
  });

  it("3.1's oneOf [$ref, null] around a deprecated component is no reactivation either way", () => {
    expect(ids(diffTexts(ownerSpec(REF, DEPRECATED, '3.1.0'), ownerSpec(NULLABLE_ONEOF, DEPRECATED, '3.1.0'), NO_POLICY))).toEqual(['response-property-became-nullable']);
    expect(ids(diffTexts(ownerSpec(NULLABLE_ONEOF, DEPRECATED, '3.1.0'), ownerSpec(REF, DEPRECATED, '3.1.0'), NO_POLICY))).toEqual(['response-property-became-not-nullable']);
  });

  it('a wrapper keeps the x-stability-level of the component it wraps', () => {
    const beta = '      x-stability-level: beta\n';
    expect(ids(diffTexts(ownerSpec(REF, beta), ownerSpec(NULLABLE_ALLOF, beta), NO_POLICY))).toEqual(['response-property-became-nullable']);
  });

  it('a real deprecation across a wrap is reported once: on the wrapper that says it, or on the component that became deprecated', () => {
    const onWrapper = ownerSpec(`                    deprecated: true\n${NULLABLE_ALLOF}`);
    let r = diffTexts(ownerSpec(REF), onWrapper, NO_POLICY);
    expect(rows(r.findings.filter((f) => /deprecated|reactivated/.test(f.id)))).toEqual([`response-property-deprecated GET /pets revision.yaml:${lineOf(onWrapper, 'deprecated: true')}`]);

    const onComponent = ownerSpec(NULLABLE_ALLOF, DEPRECATED);
    r = diffTexts(ownerSpec(REF), onComponent, NO_POLICY);
    expect(rows(r.findings.filter((f) => /deprecated|reactivated/.test(f.id)))).toEqual([`response-property-deprecated GET /pets revision.yaml:${lineOf(onComponent, 'deprecated: true')}`]);

    r = diffTexts(ownerSpec(NULLABLE_ALLOF, DEPRECATED), ownerSpec(REF), NO_POLICY);
    expect(ids(r).filter((id) => /deprecated|reactivated/.test(id))).toEqual(['response-property-reactivated']);
  });
});

describe('today is a UTC calendar day, as in the lifecycle gate', () => {
  const base = specWith(`  /pets:
    get:
      responses: {'200': {description: ok}}
    delete:
      deprecated: true
      x-sunset: '2026-06-15'
      responses: {'204': {description: ok}}
  /owners:
    get:
      responses: {'200': {description: ok}}
`);
  const rev = specWith(`  /pets:
    get:
      responses: {'200': {description: ok}}
  /owners:
    get:
      deprecated: true
      x-sunset: '2026-12-12'
      responses: {'200': {description: ok}}
`);

  /** The engine run in a process with the given TZ (Date reads it at start-up), at one instant. */
  function idsIn(tz: string, instant: string): string[] {
    const dir = mkdtempSync(path.join(tmpdir(), 'lifecycle-tz-'));
    writeFileSync(path.join(dir, 'base.yaml'), base);
    writeFileSync(path.join(dir, 'rev.yaml'), rev);
    const script = path.join(dir, 'run.ts');
    writeFileSync(
      script,
      `import { checkBreaking } from ${JSON.stringify(path.join(ROOT, 'src/breaking/engine.ts'))};
const r = checkBreaking('base.yaml', 'rev.yaml', { cwd: ${JSON.stringify(dir)}, failOn: 'error', today: new Date(${JSON.stringify(instant)}), deprecationDaysStable: 180 });
process.stdout.write(JSON.stringify(r.findings.map((f) => f.id).sort()));
`,
    );
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, TZ: tz }, encoding: 'utf8' });
    return JSON.parse(out) as string[];
  }

  it('the same instant gives the same verdict on a runner (UTC) and on laptops east and west of it', () => {
    // 03:00 UTC on June 15 is still June 14 in Los Angeles and already the afternoon in Auckland:
    // the sunset day has come (the removal is allowed) and 2026-12-12 is exactly 180 days ahead.
    const expected = ['endpoint-deprecated-with-sunset'];
    for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Auckland']) expect([tz, idsIn(tz, '2026-06-15T03:00:00Z')]).toEqual([tz, expected]);
    // 20:00 UTC on June 14: still June 14 in UTC, so everywhere the removal is a day early.
    for (const tz of ['UTC', 'Pacific/Auckland']) expect([tz, idsIn(tz, '2026-06-14T20:00:00Z')]).toEqual([tz, ['api-removed-before-sunset', 'endpoint-deprecated-with-sunset']]);
  });
});

describe('Swagger 2.0 x-deprecated, as the lifecycle gate reads it', () => {
  const swagger = (param: string, prop: string) => `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      parameters:
        - name: limit
          in: query
          type: integer
${param}      responses:
        '200':
          description: ok
          schema:
            type: object
            properties:
              tag:
                type: string
${prop}`;
  const marked = swagger("          x-deprecated: true\n          x-sunset: '2027-01-01'\n", '                x-deprecated: true\n');

  it('marking a parameter or property x-deprecated: true is a deprecation, judged by the policy', () => {
    const r = diffTexts(swagger('', ''), marked, POLICY);
    expect(r.findings.map((f) => [f.id, f.level, f.location?.line])).toEqual(
      expect.arrayContaining([
        ['request-parameter-deprecated', 'info', lineOf(marked, 'x-sunset')],
        ['response-property-deprecated-sunset-missing', 'error', lineOf(marked, 'x-deprecated: true', 2)],
      ]),
    );
    expect(r.findings).toHaveLength(2);
  });

  it('moving from 2.0 x-deprecated to 3.0 deprecated: true is no change of deprecation', () => {
    const openapi3 = specWith(`  /pets:
    get:
      parameters:
        - name: limit
          in: query
          deprecated: true
          x-sunset: '2027-01-01'
          schema: {type: integer}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  tag:
                    type: string
                    deprecated: true
`);
    expect(diffTexts(marked, openapi3, POLICY).findings.filter((f) => /deprecat|reactivated|sunset/.test(f.id))).toEqual([]);
  });
});

describe("a path item's x-sunset is the date of its operations that have none", () => {
  const item = (sunset: string, deprecated = true) => `  /legacy:
    x-sunset: '${sunset}'
    get:
${deprecated ? '      deprecated: true\n' : ''}      responses: {'200': {description: ok}}
  /pets:
    get:
      responses: {'200': {description: ok}}
`;
  const gone = specWith(`  /pets:
    get:
      responses: {'200': {description: ok}}
`);

  it('deprecating an operation under a dated path item is judged by that date, on its line', () => {
    const rev = specWith(item('2027-01-01'));
    const r = diffTexts(specWith(item('2027-01-01', false).replace("    x-sunset: '2027-01-01'\n", '')), rev, POLICY);
    expect(r.findings.map((f) => [f.id, f.location?.line, f.data?.sunset])).toEqual([['endpoint-deprecated-with-sunset', lineOf(rev, 'x-sunset'), '2027-01-01']]);
    const soon = specWith(item('2026-07-01'));
    expect(ids(diffTexts(specWith(item('2026-07-01', false).replace("    x-sunset: '2026-07-01'\n", '')), soon, POLICY))).toEqual(['api-sunset-date-too-small']);
  });

  it('removing the path before that date is api-path-removed-before-sunset; on or after it, nothing', () => {
    const early = diffTexts(specWith(item('2026-09-01')), gone, POLICY);
    expect(early.findings.map((f) => [f.id, f.level, f.operation, f.message])).toEqual([
      ['api-path-removed-before-sunset', 'error', 'GET /legacy', "path '/legacy' removed before its sunset date 2026-09-01"],
    ]);
    expect(ids(diffTexts(specWith(item('2026-06-15')), gone, POLICY))).toEqual([]);
    expect(ids(diffTexts(specWith(item('2026-06-01')), gone, POLICY))).toEqual([]);
  });

  it("an operation's own x-sunset wins over its path item's", () => {
    const base = specWith(`  /legacy:
    x-sunset: '2026-06-01'
    get:
      deprecated: true
      x-sunset: '2026-09-01'
      responses: {'200': {description: ok}}
  /pets:
    get:
      responses: {'200': {description: ok}}
`);
    expect(ids(diffTexts(base, gone, POLICY))).toEqual(['api-path-removed-before-sunset']);
  });
});

describe('sunset dates that cannot be read say what to write', () => {
  const dep = (sunset: string) => specWith(`  /pets:
    get:
${sunset ? `      deprecated: true\n      x-sunset: '${sunset}'\n` : ''}      responses: {'200': {description: ok}}
`);

  it('an HTTP-date (as the Sunset header writes it) names the YYYY-MM-DD date; a day that does not exist says so', () => {
    const http = diffTexts(dep(''), dep('Sat, 12 Dec 2026 00:00:00 GMT'), POLICY).findings;
    expect(http.map((f) => [f.id, f.level])).toEqual([['api-deprecated-sunset-parse', 'error']]);
    expect(http[0]!.message).toContain("this is an HTTP-date, as the Sunset header writes it: in x-sunset write '2026-12-12'");
    const feb = diffTexts(dep(''), dep('2027-02-29'), POLICY).findings;
    expect(feb.map((f) => [f.id, f.message])).toEqual([['api-deprecated-sunset-parse', "endpoint deprecated with an invalid sunset date: x-sunset '2027-02-29' names a day that does not exist"]]);
  });
});

describe('deprecation windows as teams set them (kept behaviour)', () => {
  /** GET /pets with `op` keys, a `q` parameter with `param` keys and a response property with `prop` keys. */
  const spec = (op = '', param = '', prop = '') =>
    specWith(`  /pets:
    get:
${op}      parameters:
        - name: q
          in: query
          schema: {type: string}
${param}      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  name:
                    type: string
${prop}`);
  const dated = (indent: number, sunset: string) => `${' '.repeat(indent)}deprecated: true\n${' '.repeat(indent)}x-sunset: '${sunset}'\n`;

  it('exactly N days ahead is enough; N-1 is too small, for endpoints, parameters and properties', () => {
    // 2026-06-15 + 180 = 2026-12-12; + 31 = 2026-07-16.
    expect(ids(diffTexts(spec(), spec(dated(6, '2026-12-12')), POLICY))).toEqual(['endpoint-deprecated-with-sunset']);
    expect(ids(diffTexts(spec(), spec(dated(6, '2026-12-11')), POLICY))).toEqual(['api-sunset-date-too-small']);
    expect(ids(diffTexts(spec(), spec('', dated(10, '2026-12-12')), POLICY))).toEqual(['request-parameter-deprecated']);
    expect(ids(diffTexts(spec(), spec('', dated(10, '2026-12-11')), POLICY))).toEqual(['request-parameter-sunset-date-too-small']);
    const beta = '      x-stability-level: beta\n';
    expect(ids(diffTexts(spec(beta), spec(beta, '', dated(20, '2026-07-16')), POLICY))).toEqual(['response-property-deprecated-with-sunset']);
    const small = diffTexts(spec(beta), spec(beta, '', dated(20, '2026-07-15')), POLICY).findings;
    expect(small.map((f) => [f.id, f.level, f.data?.days, f.data?.minDays])).toEqual([['response-property-sunset-date-too-small', 'error', 30, 31]]);
  });

  it('removal on the sunset day is allowed; the day before is an error', () => {
    const gone = specWith(`  /pets:
    get:
      responses: {'200': {description: ok}}
`);
    const withDelete = (sunset: string) =>
      specWith(`  /pets:
    get:
      responses: {'200': {description: ok}}
    delete:
${dated(6, sunset)}      responses: {'204': {description: ok}}
`);
    expect(ids(diffTexts(withDelete('2026-06-15'), gone, POLICY))).toEqual([]);
    expect(ids(diffTexts(withDelete('2026-06-16'), gone, POLICY))).toEqual(['api-removed-before-sunset']);
  });

  it('stability moves: up is info, down from beta or above is an error, below beta is out of scope', () => {
    const level = (l: string) => `      x-stability-level: ${l}\n`;
    expect(diffTexts(spec(level('stable')), spec(level('beta')), POLICY).findings.map((f) => [f.id, f.level])).toEqual([['api-stability-decreased', 'error']]);
    expect(diffTexts(spec(), spec(level('beta')), POLICY).findings.map((f) => [f.id, f.data?.from, f.data?.to])).toEqual([['api-stability-decreased', 'stable', 'beta']]);
    expect(diffTexts(spec(level('beta')), spec(level('stable')), POLICY).findings.map((f) => [f.id, f.level])).toEqual([['api-stability-increased', 'info']]);
    expect(ids(diffTexts(spec(level('draft')), spec(level('alpha')), POLICY))).toEqual([]);
    expect(ids(diffTexts(spec(level('alpha')), spec(level('draft')), POLICY))).toEqual([]);
    expect(ids(diffTexts(spec(level('alpha')), spec(`${level('alpha')}      deprecated: true\n`), POLICY))).toEqual([]);
  });

  it('a shared property deprecated without a date: one error per operation that reaches it (as oasdiff), all on the component line', () => {
    const shared = (prop: string) =>
      specWith(
        `  /a:
    get:
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}}
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
      responses: {'204': {description: ok}}
  /b:
    get:
      x-stability-level: alpha
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}}
`,
        `components:
  schemas:
    Pet:
      type: object
      properties:
        tag:
          type: string
${prop}`,
      );
    const rev = shared('          deprecated: true\n');
    expect(rows(diffTexts(shared(''), rev, POLICY).findings)).toEqual([
      `request-property-deprecated-sunset-missing POST /a revision.yaml:${lineOf(rev, 'deprecated: true')}`,
      `response-property-deprecated-sunset-missing GET /a revision.yaml:${lineOf(rev, 'deprecated: true')}`,
    ]);
  });
});

describe('Swagger 2.0: a parameter marked x-deprecated, then removed', () => {
  const sw = (param: string) => `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      parameters:
${param}        - {name: limit, in: query, type: integer}
      responses:
        '200': {description: ok}
`;
  const gone = (param: string) => diffTexts(sw(param), sw(''), NO_POLICY).findings.map((f) => [f.id, f.level, f.location?.line]);

  it('is a removal after deprecation, judged by its sunset, as 3.0 `deprecated` is (it was request-parameter-removed)', () => {
    expect(gone('        - {name: old, in: query, type: string, x-deprecated: true}\n')).toEqual([['request-parameter-removed-with-deprecation', 'info', 7]]);
    expect(gone("        - {name: old, in: query, type: string, x-deprecated: true, x-sunset: '2027-01-01'}\n")).toEqual([['request-parameter-removed-before-sunset', 'error', 7]]);
    expect(gone('        - {name: old, in: query, type: string}\n')).toEqual([['request-parameter-removed', 'warning', 7]]);
  });
});

describe("an unchanged operation whose path item's x-sunset changed", () => {
  // The path item's date is the operation's when it has none of its own: the operation is not skipped as unchanged.
  const spec = (sunset: string) => `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
${sunset}    get:
      deprecated: true
      responses:
        '200': {description: ok}
`;
  const diffOf = (a: string, b: string) => diffTexts(spec(a), spec(b), POLICY).findings.map((f) => [f.id, f.level, f.operation]);

  it('deleted: sunset-deleted; moved nearer than the policy allows: api-sunset-date-changed-too-small; moved later: nothing', () => {
    expect(diffOf("    x-sunset: '2027-06-01'\n", '')).toEqual([['sunset-deleted', 'error', 'GET /pets']]);
    expect(diffOf("    x-sunset: '2027-06-01'\n", "    x-sunset: '2026-07-01'\n")).toEqual([['api-sunset-date-changed-too-small', 'error', 'GET /pets']]);
    expect(diffOf("    x-sunset: '2027-06-01'\n", "    x-sunset: '2027-08-01'\n")).toEqual([]);
  });
});
