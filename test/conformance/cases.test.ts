import { afterAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { arbitraryFor } from '../../src/conformance/arbitrary.js';
import { exampleCases, generatedCases, negativeCases, type CaseContext } from '../../src/conformance/cases.js';
import { listOperations } from '../../src/conformance/operations.js';
import { SchemaBank, type JsonSchema } from '../../src/conformance/schema.js';
import { Validator } from '../../src/conformance/validate.js';
import type { Spec } from '../../src/breaking/spec/load.js';
import { cleanup, openapi, specFrom } from './helpers.js';

afterAll(cleanup);

const SCHEMAS = `  schemas:
    Thing:
      type: object
      required: [name, size, tags]
      properties:
        name: { type: string, minLength: 2, maxLength: 8 }
        size: { type: integer, minimum: 1, maximum: 9, multipleOf: 2 }
        ratio: { type: number, minimum: 0, exclusiveMinimum: true, maximum: 1 }
        kind: { type: string, enum: [a, b, c] }
        when: { type: string, format: date-time }
        day: { type: string, format: date }
        id: { type: string, format: uuid }
        mail: { type: string, format: email }
        code: { type: string, pattern: '^[A-Z]{3}-[0-9]{2}$' }
        tags: { type: array, minItems: 1, maxItems: 3, uniqueItems: true, items: { type: string, maxLength: 4 } }
        note: { type: string, nullable: true }
        shape:
          oneOf:
            - { type: object, required: [r], properties: { r: { type: number, minimum: 0 } }, additionalProperties: false }
            - { type: object, required: [w, h], properties: { w: { type: integer }, h: { type: integer } }, additionalProperties: false }
        mixed:
          allOf:
            - { type: object, required: [a], properties: { a: { type: integer, minimum: 5 } } }
            - { type: object, required: [b], properties: { b: { type: boolean } } }
        self: { $ref: '#/components/schemas/Thing' }
        server: { type: string, readOnly: true }`;

function setup(version = '3.0.3'): { spec: Spec; ctx: CaseContext; bank: SchemaBank; validator: Validator } {
  const spec = specFrom(
    openapi(
      `  /things/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: string, maxLength: 10 }, example: t-1 }
    post:
      parameters:
        - { name: limit, in: query, required: true, schema: { type: integer, minimum: 1, maximum: 50 } }
        - { name: mode, in: query, schema: { type: string, enum: [fast, slow] } }
        - { name: X-Trace, in: header, schema: { type: string } }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Thing' }
            example: { name: ab, size: 2, tags: [x] }
      responses:
        '200': { description: ok }`,
      SCHEMAS,
      version,
    ),
  );
  const bank = new SchemaBank(spec, 'request');
  for (const op of listOperations(spec)) {
    for (const p of op.parameters) if (p.schema) bank.convert(p.schema);
    for (const m of op.body?.content ?? []) if (m.schema) bank.convert(m.schema);
  }
  const validator = new Validator([bank], version.startsWith('3.1'));
  return { spec, bank, validator, ctx: { request: bank, validator, seed: 7, hasCredentials: true } };
}

describe('schema → fast-check arbitrary', () => {
  test('every generated body is valid against its schema (formats, bounds, oneOf, allOf, recursion)', () => {
    const { spec, bank, validator } = setup();
    const op = listOperations(spec)[0]!;
    const schema = bank.convert(op.body!.content[0]!.schema!);
    const samples = fc.sample(arbitraryFor(schema, bank), { seed: 42, numRuns: 200 });
    const invalid = samples.map((s) => validator.validate(schema, s)).filter((v) => !v.ok);
    // oneOf branches can overlap; everything else must hold by construction.
    expect(invalid.filter((v) => !v.errors.join().includes('oneOf')).map((v) => v.errors)).toEqual([]);
    expect(samples.some((s) => (s as { self?: unknown }).self !== undefined)).toBe(true);
    expect(samples.every((s) => (s as { server?: unknown }).server === undefined)).toBe(true); // readOnly not sent
  });

  test('the same seed gives the same cases; another seed other cases', () => {
    const a = setup();
    const op = listOperations(a.spec)[0]!;
    const one = generatedCases(op, 10, a.ctx).map((c) => JSON.stringify([[...c.data.params.values()], c.data.body]));
    const two = generatedCases(op, 10, a.ctx).map((c) => JSON.stringify([[...c.data.params.values()], c.data.body]));
    const other = generatedCases(op, 10, { ...a.ctx, seed: 8 }).map((c) => JSON.stringify([[...c.data.params.values()], c.data.body]));
    expect(one).toHaveLength(10);
    expect(two).toEqual(one);
    expect(other).not.toEqual(one);
  });

  test('generated cases carry every required parameter and never an empty path or query value', () => {
    const { spec, ctx } = setup();
    const op = listOperations(spec)[0]!;
    for (const c of generatedCases(op, 20, ctx)) {
      const byName = new Map([...c.data.params].map(([p, v]) => [p.name, v]));
      expect(byName.has('id') && byName.has('limit')).toBe(true);
      expect(String(byName.get('id'))).not.toBe('');
      expect(c.data.body).toBeDefined();
    }
  });
});

describe('example and negative cases', () => {
  test('the example case uses the spec examples', () => {
    const { spec, ctx } = setup();
    const op = listOperations(spec)[0]!;
    const [ex] = exampleCases(op, ctx, generatedCases(op, 1, ctx)[0]);
    expect(ex?.kind).toBe('example');
    expect([...ex!.data.params].find(([p]) => p.name === 'id')?.[1]).toBe('t-1');
    expect(ex!.data.body?.value).toEqual({ name: 'ab', size: 2, tags: ['x'] });
  });

  test('negative cases each break the spec once, and each really is invalid', () => {
    const { spec, ctx, bank, validator } = setup();
    const op = listOperations(spec)[0]!;
    const base = exampleCases(op, ctx, generatedCases(op, 1, ctx)[0])[0];
    const negatives = negativeCases(op, base, ctx);
    const names = negatives.map((c) => c.description);
    expect(names).toEqual(
      expect.arrayContaining([
        "query parameter 'limit' left out (it is required)",
        "query parameter 'limit': a string where integer is expected",
        "query parameter 'limit': below minimum 1",
        "query parameter 'limit': above maximum 50",
        `query parameter 'mode': "not-in-enum-zzz" outside the enum`,
        "path parameter 'id': longer than maxLength 10",
        'malformed JSON body',
        "body property 'name' left out (it is required)",
        "body property 'size': a string where integer is expected",
        "body property 'kind': \"not-in-enum-zzz\" outside the enum",
        "body property 'name': shorter than minLength 2",
        'unsupported media type text/plain',
        'required request body left out',
        "body property 'when': \"not-a-valid-date-time\" is not a date-time",
      ]),
    );
    const schema = bank.convert(op.body!.content[0]!.schema!);
    for (const c of negatives.filter((n) => n.description.startsWith('body property'))) {
      expect(validator.validate(schema, c.data.body!.value).ok).toBe(false);
    }
    // A header without constraints cannot be sent wrong: no case for it.
    expect(names.some((n) => n.includes('X-Trace'))).toBe(false);
  });

  test('no credentials case only when credentials are configured', () => {
    const { spec, ctx } = setup();
    const op = { ...listOperations(spec)[0]!, needsCredentials: true };
    const base = generatedCases(op, 1, ctx)[0];
    expect(negativeCases(op, base, { ...ctx, hasCredentials: false }).some((c) => c.expect === 'unauthorized')).toBe(false);
    expect(negativeCases(op, base, ctx).find((c) => c.expect === 'unauthorized')).toMatchObject({ description: 'no credentials', data: { credentials: false } });
  });

  test('3.1 specs generate valid values too', () => {
    const { spec, bank, validator } = setup('3.1.0');
    const op = listOperations(spec)[0]!;
    const schema = bank.convert(op.body!.content[0]!.schema!) as JsonSchema;
    const samples = fc.sample(arbitraryFor(schema, bank), { seed: 3, numRuns: 100 });
    const bad = samples.map((s) => validator.validate(schema, s)).filter((v) => !v.ok && !v.errors.join().includes('oneOf'));
    expect(bad).toEqual([]);
  });
});
