// QA round 3: small spec pairs as API teams write them (parameters, security, status codes, media
// types, 3.1 keywords, refactors that change nothing). Each test states what a careful reviewer
// expects; `it.failing` marks a defect whose fix belongs in the walker (see the reason beside it).
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { checkBreaking } from '../../src/breaking/engine.js';
import type { Finding } from '../../src/kit/result.js';
import { diffTexts, lineOf } from './helpers.js';

const FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'fixtures/qa3');

/** [id, level, operation] of each finding, sorted. */
const summary = (findings: readonly Finding[]) => findings.map((f) => [f.id, f.level, f.operation ?? '']).sort((a, b) => (a.join() < b.join() ? -1 : 1));

function fixture(name: string, ext = 'yaml') {
  const dir = path.join(FIXTURES, name);
  return checkBreaking(path.join(dir, `base.${ext}`), path.join(dir, `revision.${ext}`), { cwd: dir });
}

const doc = (body: string, extra = '', version = '3.0.3') => `openapi: ${version}
info: {title: t, version: '1'}
${extra}paths:
${body}`;

describe('refactors that change nothing are not reported', () => {
  it('reordered paths, keys, parameters, enum values, required lists, tags, scopes and security alternatives', () => {
    expect(fixture('reordered').findings).toEqual([]);
  });

  it('description, summary, title, example/examples and externalDocs edits', () => {
    expect(fixture('docs-only').findings).toEqual([]);
  });

  it('a 3.0 spec rewritten as 3.1 (nullable → type list, exclusiveMinimum flag → number, example → examples)', () => {
    expect(fixture('30-to-31-upgrade').findings).toEqual([]);
  });

  it('a header parameter renamed only in case (HTTP header names ignore case)', () => {
    const param = (name: string) =>
      doc(`  /orders:
    get:
      parameters:
        - {name: ${name}, in: header, required: true, schema: {type: string, format: uuid}}
      responses:
        '200': {description: ok}
`);
    expect(diffTexts(param('X-Request-Id'), param('x-request-id')).findings).toEqual([]);
  });

  it('a 3.1 $ref given a sibling description', () => {
    const prop = (money: string) =>
      doc(
        `  /transfers:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                money:
${money}
      responses:
        '200': {description: ok}
`,
        '',
        '3.1.0',
      ) + `components:\n  schemas:\n    Money: {type: object, properties: {value: {type: number}}}\n`;
    const base = prop(`                  $ref: '#/components/schemas/Money'`);
    const rev = prop(`                  $ref: '#/components/schemas/Money'\n                  description: The amount to move`);
    expect(diffTexts(base, rev).findings).toEqual([]);
  });
});

describe('security: what applies to the operation', () => {
  const spec = (ops: string) =>
    doc(
      ops,
      `security:
  - api_key: []
`,
    ) +
    `components:
  securitySchemes:
    api_key: {type: apiKey, in: header, name: X-API-Key}
`;

  it('dropping a `security: []` override makes the operation require the document-wide scheme', () => {
    const base = spec(`  /health:
    get:
      security: []
      responses:
        '200': {description: ok}
`);
    const rev = spec(`  /health:
    get:
      responses:
        '200': {description: ok}
`);
    const f = diffTexts(base, rev).findings;
    expect(summary(f)).toEqual([['api-security-added', 'info', 'GET /health']]);
    expect(f[0]!.message).toContain('inherited from the document-wide security');
    expect(f[0]!.location?.line).toBe(lineOf(rev, 'get:'));
    // And back: the operation made public again.
    expect(summary(diffTexts(rev, base).findings)).toEqual([['api-security-removed', 'info', 'GET /health']]);
  });

  it('the document-wide requirement written on the operation itself is no change', () => {
    const base = spec(`  /a:
    get:
      responses:
        '200': {description: ok}
`);
    const rev = spec(`  /a:
    get:
      security:
        - api_key: []
      responses:
        '200': {description: ok}
`);
    expect(diffTexts(base, rev).findings).toEqual([]);
    expect(diffTexts(rev, base).findings).toEqual([]);
  });

  it('an operation made public with `security: []` still reports the requirement it dropped, on the base', () => {
    const base = spec(`  /c:
    get:
      security:
        - api_key: []
        - oauth: [read]
      responses:
        '200': {description: ok}
`);
    const rev = spec(`  /c:
    get:
      security: []
      responses:
        '200': {description: ok}
`);
    const f = diffTexts(base, rev).findings;
    expect(summary(f)).toEqual([
      ['api-security-removed', 'info', 'GET /c'],
      ['api-security-removed', 'info', 'GET /c'],
    ]);
    const oauth = f.find((x) => x.message.includes("'oauth: [read]'"))!;
    expect(oauth.location?.file).toMatch(/base\.yaml$/);
    expect(oauth.location?.line).toBe(lineOf(base, '- oauth: [read]'));
  });
});

describe('response headers and media types named differently for the same thing', () => {
  const headers = (name: string, required = false, type = 'integer') =>
    doc(`  /orders:
    get:
      responses:
        '200':
          description: ok
          headers:
            ${name}:
              ${required ? 'required: true\n              ' : ''}schema: {type: ${type}}
`);

  it('a response header renamed only in case is no change', () => {
    expect(diffTexts(headers('X-Rate-Limit-Remaining'), headers('x-rate-limit-remaining')).findings).toEqual([]);
    expect(diffTexts(headers('X-Rate-Limit', true), headers('x-rate-limit', true)).findings).toEqual([]);
  });

  // Paired by name ignoring case, the two headers are compared: the real change is reported, not a
  // removal and an addition.
  it('a header renamed in case that also became optional is reported as response-header-became-optional', () => {
    const f = diffTexts(headers('X-Rate-Limit', true), headers('x-rate-limit', false)).findings;
    expect(summary(f)).toEqual([['response-header-became-optional', 'error', 'GET /orders']]);
  });

  const bodies = (req: string, resp: string, extraProp = '') =>
    doc(`  /things/{id}:
    put:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          ${req}:
            schema: {type: object, properties: {name: {type: string}${extraProp}}}
      responses:
        '200':
          description: ok
          content:
            ${resp}:
              schema: {type: object, properties: {id: {type: string}}}
`);

  it('`application/json` ↔ `application/json; charset=utf-8` is no change, in requests and responses', () => {
    const base = bodies('application/json', 'application/json');
    const rev = bodies("'application/json; charset=utf-8'", "'application/json; charset=utf-8'");
    expect(diffTexts(base, rev).findings).toEqual([]);
    expect(diffTexts(rev, base).findings).toEqual([]);
  });

  it('a charset that matters (text/plain, another charset) is still a media type change', () => {
    const f = diffTexts(bodies('text/plain', 'application/json'), bodies("'text/plain; charset=iso-8859-1'", 'application/json')).findings;
    expect(summary(f)).toEqual([
      ['request-body-media-type-added', 'info', 'PUT /things/{id}'],
      ['request-body-media-type-removed', 'error', 'PUT /things/{id}'],
    ]);
  });

  // Keys naming the same media type are paired, so the schemas under them are compared.
  it('a request schema change under `application/json` → `application/json; charset=utf-8` is reported as that change', () => {
    const base = bodies('application/json', 'application/json', ', nick: {type: string}');
    const rev = bodies("'application/json; charset=utf-8'", 'application/json');
    expect(summary(diffTexts(base, rev).findings)).toEqual([['request-property-removed', 'warning', 'PUT /things/{id}']]);
  });
});

describe('status codes and ranges', () => {
  const responses = (codes: string) =>
    doc(`  /a:
    get:
      responses:
${codes}`);
  const ok = (code: string, prop = 'id') => `        '${code}':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {${prop}: {type: string}}}
`;

  it('200 replaced by the 2XX range with the same response: the range added, nothing removed', () => {
    const f = diffTexts(responses(ok('200')), responses(ok('2XX'))).findings;
    expect(summary(f)).toEqual([['response-success-status-added', 'info', 'GET /a']]);
    // And 2XX narrowed to 200: clients that handled any 2xx still handle 200.
    expect(summary(diffTexts(responses(ok('2XX')), responses(ok('200'))).findings)).toEqual([['response-success-status-added', 'info', 'GET /a']]);
  });

  it('200 replaced by 2XX with a different response, or by 201, is still a removal on the base line', () => {
    const base = responses(ok('200'));
    const f = diffTexts(base, responses(ok('2XX', 'uuid'))).findings;
    expect(summary(f)).toEqual([
      ['response-success-status-added', 'info', 'GET /a'],
      ['response-success-status-removed', 'error', 'GET /a'],
    ]);
    const g = diffTexts(base, responses(ok('201'))).findings;
    expect(summary(g)).toEqual([
      ['response-success-status-added', 'info', 'GET /a'],
      ['response-success-status-removed', 'error', 'GET /a'],
    ]);
    const removed = g.find((x) => x.id === 'response-success-status-removed')!;
    expect(removed.location?.file).toMatch(/base\.yaml$/);
    expect(removed.location?.line).toBe(lineOf(base, "'200':"));
  });
});

describe('formats: date and date-time are different value sets', () => {
  const withFormats = (param: string, resp: string) =>
    doc(`  /reports:
    get:
      parameters:
        - {name: from, in: query, schema: {type: string, format: ${param}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {createdOn: {type: string, format: ${resp}}}}
`);

  it('date → date-time in a request and date-time → date in a response are breaking', () => {
    const f = diffTexts(withFormats('date', 'date-time'), withFormats('date-time', 'date')).findings;
    expect(summary(f)).toEqual([
      ['request-parameter-type-changed', 'error', 'GET /reports'],
      ['response-property-type-changed', 'error', 'GET /reports'],
    ]);
  });

  it('int32 → int64 in a request is still a widening', () => {
    const spec = (fmt: string) =>
      doc(`  /r:
    get:
      parameters:
        - {name: n, in: query, schema: {type: integer, format: ${fmt}}}
      responses:
        '200': {description: ok}
`);
    expect(summary(diffTexts(spec('int32'), spec('int64')).findings)).toEqual([['request-parameter-type-generalized', 'info', 'GET /r']]);
  });
});

describe('pairs that already behave as a reviewer expects', () => {
  it('a JSON 3.1 pair: parameters, response headers and a nullable property, on the right lines', () => {
    const r = fixture('json-31', 'json');
    const byId = (id: string) => r.findings.find((f) => f.id === id)!;
    expect(summary(r.findings)).toEqual([
      ['optional-response-header-removed', 'warning', 'GET /reports'],
      ['request-parameter-became-required', 'error', 'GET /reports'],
      ['request-parameter-enum-value-removed', 'error', 'GET /reports'],
      ['request-parameter-type-changed', 'error', 'GET /reports'],
      ['response-header-added', 'info', 'GET /reports'],
      ['response-header-became-optional', 'error', 'GET /reports'],
      ['response-property-became-nullable', 'error', 'GET /reports'],
    ]);
    expect(byId('request-parameter-enum-value-removed').location).toEqual({ file: expect.stringMatching(/base\.json$/), line: 9 });
    expect(byId('optional-response-header-removed').location).toEqual({ file: expect.stringMatching(/base\.json$/), line: 16 });
    expect(byId('response-property-became-nullable').location).toEqual({ file: expect.stringMatching(/revision\.json$/), line: 35 });
  });

  it('enum values removed: an error in a request, information in a response; added in a response: a warning', () => {
    const spec = (req: string, resp: string) =>
      doc(`  /orders:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {priority: {type: string, enum: [${req}]}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {state: {type: string, enum: [${resp}]}}}
`);
    const f = diffTexts(spec('low, normal, high', 'open, closed, archived'), spec('low, high', 'open, closed, on_hold')).findings;
    expect(summary(f)).toEqual([
      ['request-property-enum-value-removed', 'error', 'POST /orders'],
      ['response-property-enum-value-added', 'warning', 'POST /orders'],
      ['response-property-enum-value-removed', 'info', 'POST /orders'],
    ]);
  });
});

describe('refactors and shapes the walk must see through', () => {
  it('a oneOf member whose component was renamed with the same content is no change', () => {
    const spec = (dog: string) =>
      doc(`  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - $ref: '#/components/schemas/Cat'
                - $ref: '#/components/schemas/${dog}'
      responses:
        '201': {description: ok}
`) +
      `components:
  schemas:
    Cat: {type: object, required: [meow], properties: {meow: {type: boolean}}}
    ${dog}: {type: object, required: [bark], properties: {bark: {type: boolean}}}
`;
    // Only the dropped component name is reported (api-schema-removed, as oasdiff does).
    expect(diffTexts(spec('Dog'), spec('Doggo')).findings.map((f) => f.id)).toEqual(['api-schema-removed']);
  });

  // allOf members are judged with the names their whole allOf requires (SchemaPair.allOfRequired).
  it('`required` moved from an inline allOf member into the referenced component is no change', () => {
    const spec = (inlineRequired: boolean) =>
      doc(`  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - $ref: '#/components/schemas/PetBase'
                - type: object
${inlineRequired ? '                  required: [name]\n' : ''}                  properties:
                    tag: {type: string}
      responses:
        '201': {description: ok}
`) +
      `components:
  schemas:
    PetBase:
      type: object
${inlineRequired ? '' : '      required: [name]\n'}      properties:
        name: {type: string}
`;
    expect(diffTexts(spec(true), spec(false)).findings).toEqual([]);
  });

  it('`required` added beside an allOf of unchanged members makes the property required', () => {
    const spec = (holderRequired: string) =>
      doc(`  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema:
${holderRequired}              allOf:
                - $ref: '#/components/schemas/PetBase'
      responses:
        '201': {description: ok}
`) +
      `components:
  schemas:
    PetBase:
      type: object
      properties:
        name: {type: string}
`;
    const f = diffTexts(spec(''), spec('              required: [name]\n')).findings;
    expect(summary(f)).toEqual([['request-property-became-required', 'error', 'POST /pets']]);
  });

  it('an enum value removed inside a query parameter described with `content` is reported', () => {
    const spec = (colors: string) =>
      doc(`  /search:
    get:
      parameters:
        - name: filter
          in: query
          content:
            application/json:
              schema:
                type: object
                properties:
                  color: {type: string, enum: [${colors}]}
      responses:
        '200': {description: ok}
`);
    expect(summary(diffTexts(spec('red, green, blue'), spec('red, green')).findings)).toEqual([['request-parameter-property-enum-value-removed', 'error', 'GET /search']]);
  });
});
