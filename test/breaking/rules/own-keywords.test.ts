// Keywords oasdiff has no ids for, judged with ids of our own: maxProperties/minProperties, multipleOf
// and additionalProperties: false (see "Where we judge differently from oasdiff" in the README).
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../src/kit/result.js';
import { diffTexts, lineOf, specWith } from '../helpers.js';

/** PUT /things/{id}: query parameter `n`, a JSON body `In` and a 200 JSON response `Out`, each given as YAML lines. */
function spec(o: { param?: string; body: string; resp?: string }): string {
  return specWith(
    `  /things/{id}:
    put:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - name: n
          in: query
          schema:
${o.param ?? '            type: number'}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/In'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Out'}
`,
    `components:
  schemas:
    In:
${o.body}
    Out:
${o.resp ?? o.body}
`,
  );
}

const rows = (findings: readonly Finding[]) => findings.map((f) => [f.id, f.level]).sort();

describe('additionalProperties: false', () => {
  const open = '      type: object\n      properties: {a: {type: integer}}';
  const closed = `${open}\n      additionalProperties: false`;

  it('set on a body breaks senders of unlisted properties (error at the keyword); responses that send less are not reported', () => {
    const rev = spec({ body: closed });
    const r = diffTexts(spec({ body: open }), rev);
    expect(rows(r.findings)).toEqual([['request-body-additional-properties-disallowed', 'error']]);
    expect(r.findings[0]!.operation).toBe('PUT /things/{id}');
    expect(r.findings[0]!.location?.line).toBe(lineOf(rev, 'additionalProperties: false'));
    expect(r.verdict).toBe('fail');
  });

  it('lifted: informational on both sides, located at the keyword in the base', () => {
    const base = spec({ body: closed });
    const r = diffTexts(base, spec({ body: open }));
    expect(rows(r.findings)).toEqual([
      ['request-body-additional-properties-allowed', 'info'],
      ['response-body-additional-properties-allowed', 'info'],
    ]);
    expect(r.findings.map((f) => f.location?.line)).toEqual([lineOf(base, 'additionalProperties: false'), lineOf(base, 'additionalProperties: false', 2)]);
  });

  it('a schema for extra properties where any were allowed is compared with the empty schema', () => {
    const typed = `${open}\n      additionalProperties: {type: string}`;
    expect(rows(diffTexts(spec({ body: open }), spec({ body: typed })).findings)).toEqual([
      ['request-property-type-changed', 'error'],
      ['response-property-type-specialized', 'info'],
    ]);
    expect(rows(diffTexts(spec({ body: typed }), spec({ body: `${open}\n      additionalProperties: true` })).findings)).toEqual([
      ['request-property-type-generalized', 'info'],
      ['response-property-type-changed', 'error'],
    ]);
  });

  it('a nested object closed is a request-property change; true and absent read the same', () => {
    const nested = (extra: string) => `      type: object\n      properties:\n        meta:\n          type: object\n          properties: {k: {type: string}}${extra}`;
    expect(rows(diffTexts(spec({ body: nested('') }), spec({ body: nested('\n          additionalProperties: false') })).findings)).toEqual([
      ['request-property-additional-properties-disallowed', 'error'],
    ]);
    expect(diffTexts(spec({ body: nested('') }), spec({ body: nested('\n          additionalProperties: true') })).findings).toEqual([]);
  });
});

describe('multipleOf', () => {
  const prop = (extra: string) => `      type: object\n      properties:\n        amount: {type: number${extra}}`;

  it('added: a request rejects values that are not multiples (error); a response that sends fewer values is not reported', () => {
    const rev = spec({ body: prop(', multipleOf: 0.5') });
    const r = diffTexts(spec({ body: prop('') }), rev);
    expect(rows(r.findings)).toEqual([['request-property-multiple-of-added', 'error']]);
    expect(r.findings[0]!.message).toBe("request property 'amount' in request body (application/json) multipleOf 0.5 added");
    expect(r.findings[0]!.location?.line).toBe(lineOf(rev, 'multipleOf: 0.5'));
  });

  it('removed: a response may send any value (error), a request accepts more (info)', () => {
    expect(rows(diffTexts(spec({ body: prop(', multipleOf: 5') }), spec({ body: prop('') })).findings)).toEqual([
      ['request-property-multiple-of-removed', 'info'],
      ['response-property-multiple-of-removed', 'error'],
    ]);
  });

  it('changed: judged by whether the old step is a multiple of the new one, for decimal steps too', () => {
    // 10 → 5: every multiple of 10 is one of 5, so requests still accept what they did; responses may send 15.
    expect(rows(diffTexts(spec({ body: prop(', multipleOf: 10') }), spec({ body: prop(', multipleOf: 5') })).findings)).toEqual([
      ['request-property-multiple-of-generalized', 'info'],
      ['response-property-multiple-of-changed', 'error'],
    ]);
    // 0.01 → 0.1: 0.05 was accepted and is not any more; responses now send coarser values, which clients read.
    expect(rows(diffTexts(spec({ body: prop(', multipleOf: 0.01') }), spec({ body: prop(', multipleOf: 0.1') })).findings)).toEqual([
      ['request-property-multiple-of-changed', 'error'],
    ]);
    // 0.1 → 0.05 (floating point: 0.1 / 0.05 is not exactly 2).
    expect(rows(diffTexts(spec({ body: prop(', multipleOf: 0.1') }), spec({ body: prop(', multipleOf: 0.05') })).findings)).toEqual([
      ['request-property-multiple-of-generalized', 'info'],
      ['response-property-multiple-of-changed', 'error'],
    ]);
    // 4 → 6: neither divides the other.
    expect(rows(diffTexts(spec({ body: prop(', multipleOf: 4') }), spec({ body: prop(', multipleOf: 6') })).findings)).toEqual([
      ['request-property-multiple-of-changed', 'error'],
      ['response-property-multiple-of-changed', 'error'],
    ]);
  });

  it('on a query parameter', () => {
    const body = '      type: object';
    const r = diffTexts(spec({ body, param: '            type: integer\n            multipleOf: 3' }), spec({ body, param: '            type: integer\n            multipleOf: 6' }));
    expect(rows(r.findings)).toEqual([['request-parameter-multiple-of-changed', 'error']]);
    expect(r.findings[0]!.message).toBe("query parameter 'n' multipleOf changed from 3 to 6");
  });

  it('a non-positive or non-numeric multipleOf is no step at all', () => {
    expect(diffTexts(spec({ body: prop(', multipleOf: 0') }), spec({ body: prop(", multipleOf: 'x'") })).findings).toEqual([]);
  });
});

describe('maxProperties / minProperties', () => {
  const obj = (extra: string) => `      type: object\n      additionalProperties: {type: string}${extra}`;

  it('set on a request: maxProperties a warning (as maxLength set), minProperties an error (an absent minimum is 0)', () => {
    const rev = spec({ body: obj('\n      maxProperties: 3\n      minProperties: 1') });
    const r = diffTexts(spec({ body: obj('') }), rev);
    expect(rows(r.findings)).toEqual([
      ['request-body-max-properties-set', 'warning'],
      ['request-body-min-properties-increased', 'error'],
    ]);
    expect(r.findings.find((f) => f.id === 'request-body-max-properties-set')!.location?.line).toBe(lineOf(rev, 'maxProperties: 3'));
  });

  it('dropped: a response may send more or fewer properties (errors), a request accepts more (info)', () => {
    const r = diffTexts(spec({ body: obj('\n      maxProperties: 3\n      minProperties: 1') }), spec({ body: obj('') }));
    expect(rows(r.findings)).toEqual([
      ['request-body-min-properties-decreased', 'info'],
      ['response-body-max-properties-unset', 'error'],
      ['response-body-min-properties-decreased', 'error'],
    ]);
  });

  it('lowered and raised', () => {
    expect(rows(diffTexts(spec({ body: obj('\n      maxProperties: 5') }), spec({ body: obj('\n      maxProperties: 2') })).findings)).toEqual([
      ['request-body-max-properties-decreased', 'error'],
    ]);
    expect(rows(diffTexts(spec({ body: obj('\n      maxProperties: 2') }), spec({ body: obj('\n      maxProperties: 5') })).findings)).toEqual([
      ['request-body-max-properties-increased', 'info'],
      ['response-body-max-properties-increased', 'error'],
    ]);
  });
});
