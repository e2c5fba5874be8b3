import { afterAll, describe, expect, test } from '@jest/globals';
import { child, type Loc } from '../../src/breaking/spec/loc.js';
import { SchemaBank } from '../../src/conformance/schema.js';
import { Validator } from '../../src/conformance/validate.js';
import { cleanup, openapi, specFrom } from './helpers.js';

afterAll(cleanup);

const COMPONENTS = `  schemas:
    Pet:
      type: object
      required: [id, name, secret]
      properties:
        id: { type: string, readOnly: true }
        name: { type: string, nullable: true }
        secret: { type: string, writeOnly: true }
        age: { type: integer, minimum: 0, exclusiveMinimum: true, maximum: 30, exclusiveMaximum: false }
        kind: { type: string, enum: [cat, dog], nullable: true }
        owner: { $ref: '#/components/schemas/Owner' }
    Owner:
      type: object
      properties:
        email: { type: string, format: email }
        pets: { type: array, items: { $ref: '#/components/schemas/Pet' } }
        best: { allOf: [{ $ref: '#/components/schemas/Pet' }], nullable: true }`;

function bankFor(version: string, direction: 'request' | 'response') {
  const spec = specFrom(openapi('  {}', COMPONENTS, version));
  const root: Loc = { v: spec.root.value, doc: spec.root, path: [] };
  const pet = child(child(child(root, 'components'), 'schemas'), 'Pet');
  const ref: Loc = { v: { $ref: '#/components/schemas/Pet' }, doc: spec.root, path: ['x'] };
  const bank = new SchemaBank(spec, direction);
  const schema = bank.convert(ref);
  const validator = new Validator([bank], version.startsWith('3.1'));
  return { bank, schema, pet, validate: (v: unknown) => validator.validate(schema, v) };
}

describe('OpenAPI 3.0 schemas as JSON Schema', () => {
  const { validate } = bankFor('3.0.3', 'response');

  test('nullable: true accepts null, also for an enum and an allOf', () => {
    expect(validate({ id: 'a', name: null }).ok).toBe(true);
    expect(validate({ id: 'a', name: 'x', kind: null }).ok).toBe(true);
    expect(validate({ id: 'a', name: 'x', kind: 'cow' }).ok).toBe(false);
    expect(validate({ id: 'a', name: 'x', owner: { best: null } }).ok).toBe(true);
  });

  test('boolean exclusiveMinimum/exclusiveMaximum keep their 3.0 meaning', () => {
    expect(validate({ id: 'a', name: 'x', age: 0 }).ok).toBe(false);
    expect(validate({ id: 'a', name: 'x', age: 1 }).ok).toBe(true);
    expect(validate({ id: 'a', name: 'x', age: 30 }).ok).toBe(true);
    expect(validate({ id: 'a', name: 'x', age: 31 }).ok).toBe(false);
  });

  test('a writeOnly property is not required in a response; a readOnly one is', () => {
    expect(validate({ id: 'a', name: 'x' }).ok).toBe(true);
    const r = validate({ name: 'x' });
    expect(r.ok).toBe(false);
    expect(r.errors.join()).toContain("must have required property 'id'");
  });

  test('recursive schemas ($ref cycles) validate deep values', () => {
    const deep = { id: 'a', name: 'x', owner: { pets: [{ id: 'b', name: 'y', owner: { pets: [{ id: 'c', name: 5 }] } }] } };
    const r = validate(deep);
    expect(r.ok).toBe(false);
    expect(r.errors.join()).toContain('/owner/pets/0/owner/pets/0/name must be string');
  });

  test('formats are checked (ajv-formats)', () => {
    expect(validate({ id: 'a', name: 'x', owner: { email: 'not-an-email' } }).ok).toBe(false);
    expect(validate({ id: 'a', name: 'x', owner: { email: 'a@example.com' } }).ok).toBe(true);
  });

  test('in a request, a readOnly property is not required; a writeOnly one is', () => {
    const req = bankFor('3.0.3', 'request');
    expect(req.validate({ name: 'x', secret: 's' }).ok).toBe(true);
    expect(req.validate({ name: 'x' }).ok).toBe(false);
  });
});

describe('OpenAPI 3.1 schemas (JSON Schema 2020-12)', () => {
  test('type lists and null work natively; nullable is not a 3.1 keyword', () => {
    const spec = specFrom(
      openapi(
        '  {}',
        `  schemas:
    A:
      type: object
      properties:
        n: { type: [string, 'null'] }
        m: { type: string, nullable: true }
        c: { const: 3 }
        t: { type: array, prefixItems: [{ type: integer }, { type: string }], items: false }`,
        '3.1.0',
      ),
    );
    const bank = new SchemaBank(spec, 'response');
    const s = bank.convert({ v: { $ref: '#/components/schemas/A' }, doc: spec.root, path: ['x'] });
    const v = new Validator([bank], true);
    expect(v.validate(s, { n: null }).ok).toBe(true);
    expect(v.validate(s, { m: null }).ok).toBe(false);
    expect(v.validate(s, { c: 4 }).ok).toBe(false);
    expect(v.validate(s, { t: [1, 'a'] }).ok).toBe(true);
    expect(v.validate(s, { t: [1, 'a', 'extra'] }).ok).toBe(false);
  });
});
