// QA round 6: the schema level (request and response bodies, properties, parameters' schemas), with pairs
// as API teams write and evolve schemas: nullability spelled the 3.0 way, the 3.1 way and the Pydantic way,
// enums and const, formats, defaults, readOnly, discriminators, polymorphic responses, deep and recursive
// schemas, allOf wrappers and overrides, maps, patterns and 3.1 type lists. Each test states what a careful
// reviewer expects; the ones under "defects" failed before their fix, the others guard behaviour that was
// already right.
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/kit/result.js';
import { diffTexts, lineOf } from './helpers.js';

/** [id, level, operation] of each finding, sorted. */
const sorted = (rows: string[][]) => rows.sort((a, b) => (a.join() < b.join() ? -1 : 1));
const summary = (findings: readonly Finding[]) => sorted(findings.map((f) => [f.id, f.level, f.operation ?? '']));
const diff = (base: string, rev: string) => diffTexts(base, rev, { today: new Date('2026-06-01') });
const onBase = (f: Finding | undefined, text: string, needle: string, nth = 1) =>
  expect(f?.location).toEqual({ file: expect.stringMatching(/base\.yaml$/), line: lineOf(text, needle, nth) });
const onRev = (f: Finding | undefined, text: string, needle: string, nth = 1) =>
  expect(f?.location).toEqual({ file: expect.stringMatching(/revision\.yaml$/), line: lineOf(text, needle, nth) });

const api = (version: string, paths: string, schemas: string) => `openapi: ${version}
info: {title: Shop, version: '1'}
paths:
${paths}
components:
  schemas:
${schemas}`;

const GET = 'GET /orders/{id}';
const POST = 'POST /orders';

/** POST /orders takes `schema` and answers 201 with it; GET /orders/{id} answers 200 with it. */
const crud = (schema = 'Order') => `  /orders:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/${schema}'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/${schema}'}
  /orders/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/${schema}'}`;

/** Only GET /orders/{id}, answering `schema`. */
const getOnly = (schema = 'Order') => crud(schema).slice(crud(schema).indexOf('  /orders/{id}:'));

/** `Order` with one property `name` written as `schema` (indented under it). */
const orderWith = (name: string, schema: string, extra = '') => `    Order:
      type: object
      properties:
        id: {type: string}
        ${name}:
${schema
  .split('\n')
  .map((l) => `          ${l}`)
  .join('\n')}
${extra}`;

const address = `    Address:
      type: object
      required: [line1, city]
      properties:
        line1: {type: string}
        city: {type: string}
`;

/** The same change seen by the request (POST) and both responses. */
const eachDirection = (request: [string, string], response: [string, string]) =>
  sorted([
    [request[0], request[1], POST],
    [response[0], response[1], GET],
    [response[0], response[1], POST],
  ]);

describe('defects: nullability written another way is no change', () => {
  const wrapped30 = orderWith('shipping', "nullable: true\nallOf:\n  - $ref: '#/components/schemas/Address'", address);
  const oneOf31 = orderWith('shipping', "oneOf:\n  - $ref: '#/components/schemas/Address'\n  - type: 'null'", address);
  const anyOf31 = orderWith('shipping', "anyOf:\n  - type: 'null'\n  - $ref: '#/components/schemas/Address'", address);

  it("3.0's nullable beside allOf rewritten as 3.1's oneOf with a null member, and oneOf made anyOf", () => {
    expect(diff(api('3.0.3', crud(), wrapped30), api('3.1.0', crud(), oneOf31)).findings).toEqual([]);
    expect(diff(api('3.1.0', crud(), oneOf31), api('3.1.0', crud(), anyOf31)).findings).toEqual([]);
  });

  it('the same respelling while the wrapped component gained a required property reports only that', () => {
    const grown = address.replace('[line1, city]', '[line1, city, country]') + '        country: {type: string}\n';
    const rev = api('3.1.0', crud(), orderWith('shipping', "anyOf:\n  - $ref: '#/components/schemas/Address'\n  - type: 'null'", grown));
    const r = diff(api('3.0.3', crud(), wrapped30), rev);
    expect(summary(r.findings)).toEqual(eachDirection(['new-required-request-property', 'error'], ['response-required-property-added', 'info']));
    expect(r.findings[0]!.message).toContain("property 'shipping'");
    onRev(r.findings[0], rev, 'country: {type: string}');
  });

  it('Pydantic v2 `anyOf: [{type: string, maxLength}, {type: null}]` with a default, written as a 3.1 type list', () => {
    const pydantic = orderWith('note', "anyOf:\n  - {type: string, maxLength: 200}\n  - {type: 'null'}\ntitle: Note\ndefault: null");
    const typeList = orderWith('note', "type: [string, 'null']\nmaxLength: 200\ntitle: Note\ndefault: null");
    expect(diff(api('3.1.0', crud(), pydantic), api('3.1.0', crud(), typeList)).findings).toEqual([]);
    expect(diff(api('3.1.0', crud(), typeList), api('3.1.0', crud(), pydantic)).findings).toEqual([]);
  });

  it('a 3.1 type list and a oneOf of the same plain types (null among them) are the same', () => {
    const list = orderWith('amount', "type: [string, integer, 'null']");
    const oneOf = orderWith('amount', "oneOf:\n  - type: string\n  - type: integer\n  - type: 'null'");
    expect(diff(api('3.1.0', crud(), list), api('3.1.0', crud(), oneOf)).findings).toEqual([]);
  });

  it('a self-referencing link rewrapped from 3.0 to 3.1, with a change in a shared component: only that, once per operation', () => {
    const repo = (template: string, user: string) => `    Repo:
      type: object
      properties:
        name: {type: string}
        owner: {$ref: '#/components/schemas/User'}
        template:
${template}
    User:
      type: object
${user}`;
    const base = api('3.0.3', crud('Repo'), repo("          nullable: true\n          allOf:\n            - $ref: '#/components/schemas/Repo'", '      properties:\n        login: {type: string}\n'));
    const rev = api(
      '3.1.0',
      crud('Repo'),
      repo("          oneOf:\n            - $ref: '#/components/schemas/Repo'\n            - type: 'null'", '      required: [id]\n      properties:\n        login: {type: string}\n        id: {type: integer}\n'),
    );
    const r = diff(base, rev);
    expect(summary(r.findings)).toEqual(eachDirection(['new-required-request-property', 'error'], ['response-required-property-added', 'info']));
    expect(r.findings.every((f) => f.message.includes("property 'owner' in "))).toBe(true);
  });
});

describe('defects: real nullability changes, reported once', () => {
  it('a null member added to a oneOf of plain types is became-nullable, not a list of types widened', () => {
    const two = orderWith('amount', 'oneOf:\n  - type: string\n  - type: integer');
    const three = orderWith('amount', "oneOf:\n  - type: string\n  - type: integer\n  - type: 'null'");
    const rev = api('3.1.0', crud(), three);
    const r = diff(api('3.1.0', crud(), two), rev);
    expect(summary(r.findings)).toEqual(eachDirection(['request-property-became-nullable', 'info'], ['response-property-became-nullable', 'error']));
    onRev(r.findings[0], rev, 'oneOf:');
  });

  it("a wrapper's nullable and its component's own nullable dropped together are one change, at the wrapper", () => {
    // GitHub's 2021 spec: `owner: {nullable: true, allOf: [$ref simple-user]}` where simple-user itself is nullable.
    const user = (nullable: string) => `    User:
      type: object
      properties:
        login: {type: string}
${nullable}`;
    const base = api('3.0.3', getOnly(), orderWith('owner', "nullable: true\nallOf:\n  - $ref: '#/components/schemas/User'", user('      nullable: true\n')));
    const rev = api('3.0.3', getOnly(), orderWith('owner', "$ref: '#/components/schemas/User'", user('')));
    const r = diff(base, rev);
    expect(summary(r.findings)).toEqual([['response-property-became-not-nullable', 'info', GET]]);
    onBase(r.findings[0], base, 'nullable: true');
  });

  it('Pydantic v2 gaining null and a null default: became nullable and default changed, no anyOf finding', () => {
    const base = api('3.1.0', crud(), orderWith('note', "type: string\ntitle: Note\nmaxLength: 100\ndefault: ''"));
    const rev = api('3.1.0', crud(), orderWith('note', "anyOf:\n  - {type: string, maxLength: 100}\n  - {type: 'null'}\ntitle: Note\ndefault: null"));
    const r = diff(base, rev);
    expect(summary(r.findings)).toEqual(
      sorted([
        ...eachDirection(['request-property-became-nullable', 'info'], ['response-property-became-nullable', 'error']),
        ...eachDirection(['request-property-default-value-changed', 'info'], ['response-property-default-value-changed', 'info']),
      ]),
    );
    const changed = r.findings.find((f) => f.id === 'request-property-default-value-changed');
    expect(changed?.message).toContain("default changed from '' to 'null'");
    onRev(changed, rev, 'default: null');
  });
});

describe('defects: what a wrapper wraps is compared, whatever it is', () => {
  it('a $ref replaced by a described allOf of an inline copy that made city optional: only that', () => {
    const base = api('3.0.3', crud(), orderWith('shipping', "$ref: '#/components/schemas/Address'", address));
    const inline = 'description: where it goes\nallOf:\n  - type: object\n    required: [line1]\n    properties:\n      line1: {type: string}\n      city: {type: string}';
    const rev = api('3.0.3', crud(), orderWith('shipping', inline, address));
    const r = diff(base, rev);
    expect(summary(r.findings)).toEqual(eachDirection(['request-property-became-optional', 'info'], ['response-property-became-optional', 'error']));
    expect(r.findings[0]!.message).toContain("property 'city' became optional");
    onRev(r.findings[0], rev, 'city: {type: string}');
  });

  it('a nullable allOf wrapper replaced by a $ref to a renamed, grown component: the new property, not every one', () => {
    const user = (name: string, extra = '') => `    ${name}:
      type: object
      required: [login, id]
      properties:
        login: {type: string}
        id: {type: integer}
${extra}`;
    const base = api('3.0.3', getOnly(), orderWith('owner', "nullable: true\nallOf:\n  - $ref: '#/components/schemas/User'", user('User')));
    const rev = api('3.0.3', getOnly(), orderWith('owner', "$ref: '#/components/schemas/NullableUser'", user('NullableUser', '        email: {type: string}\n      nullable: true\n')));
    const r = diff(base, rev);
    expect(summary(r.findings)).toEqual([
      ['api-schema-removed', 'info', ''],
      ['response-optional-property-added', 'info', GET],
    ]);
    onRev(r.findings.find((f) => f.id === 'response-optional-property-added'), rev, 'email:');
  });

  it('a default set on an allOf wrapper of a query parameter is a default added (the merged-allOf shortcut ignored it)', () => {
    const paths = (schema: string) => `  /orders:
    get:
      parameters:
        - name: limit
          in: query
          schema:
${schema}
      responses:
        '200': {description: ok}`;
    const limit = '    Limit: {type: integer, maximum: 100}\n';
    const rev = api('3.0.3', paths("            default: 20\n            allOf:\n              - $ref: '#/components/schemas/Limit'"), limit);
    const r = diff(api('3.0.3', paths("            $ref: '#/components/schemas/Limit'"), limit), rev);
    expect(summary(r.findings)).toEqual([['request-parameter-default-value-added', 'error', 'GET /orders']]);
    onRev(r.findings[0], rev, 'default: 20');
  });
});

describe('defects: enum, const and their types', () => {
  const konst = (schema: string) => orderWith('object', schema);

  it('`enum: [x]` and `const: x` are the same; `const: x` → `enum: [x, y]` is a value added', () => {
    const one = api('3.1.0', crud(), konst('type: string\nenum: [order]'));
    const c = api('3.1.0', crud(), konst('type: string\nconst: order'));
    expect(diff(one, c).findings).toEqual([]);
    expect(diff(c, one).findings).toEqual([]);
    const two = api('3.1.0', crud(), konst('type: string\nenum: [order, draft_order]'));
    const r = diff(c, two);
    expect(summary(r.findings)).toEqual(eachDirection(['request-property-enum-value-added', 'info'], ['response-property-enum-value-added', 'warning']));
    onRev(r.findings[0], two, 'enum: [order, draft_order]');
    // And back: the value removed, at the base's enum.
    const back = diff(two, c);
    expect(summary(back.findings)).toEqual(eachDirection(['request-property-enum-value-removed', 'error'], ['response-property-enum-value-removed', 'info']));
    onBase(back.findings[0], two, 'enum: [order, draft_order]');
  });

  it('`type` written beside an enum or const whose values have that type (or integer declared number) is no change', () => {
    for (const [from, to] of [
      ['enum: [a, b]', 'type: string\nenum: [a, b]'],
      ['const: order', 'type: string\nconst: order'],
      ['type: integer\nenum: [1, 2, 3]', 'type: number\nenum: [1, 2, 3]'],
    ] as const) {
      expect(diff(api('3.1.0', crud(), konst(from)), api('3.1.0', crud(), konst(to))).findings).toEqual([]);
      expect(diff(api('3.1.0', crud(), konst(to)), api('3.1.0', crud(), konst(from))).findings).toEqual([]);
    }
    // A value the new type does not admit still makes it a type change.
    const r = diff(api('3.1.0', crud(), konst('enum: [a, 1]')), api('3.1.0', crud(), konst('type: string\nenum: [a, 1]')));
    expect(r.findings.map((f) => f.id)).toContain('request-property-type-changed');
  });

  it('the number 1 and the string "1" are told apart in messages', () => {
    const r = diff(api('3.0.3', crud(), konst('default: 1')), api('3.0.3', crud(), konst("default: '1'")));
    expect(r.findings[0]!.message).toContain(`default changed from '1' to '"1"'`);
    const e = diff(api('3.0.3', postOnly(), konst('type: integer\nenum: [1, 2]')), api('3.0.3', postOnly(), konst("type: string\nenum: ['1', 2]")));
    const messages = e.findings.filter((f) => f.id.includes('enum-value')).map((f) => f.message.replace(/.* enum value/, 'enum value'));
    expect(messages.sort()).toEqual([`enum value '"1"' added`, `enum value '1' removed`]);
  });

  it('a response enum dropped (here for x-extensible-enum) is a warning (ours: response-property-enum-removed), on the base enum', () => {
    const base = api('3.0.3', getOnly(), konst('type: string\nenum: [web, store]'));
    const rev = api('3.0.3', getOnly(), konst('type: string\nx-extensible-enum: [web, store]'));
    const r = diff(base, rev);
    expect(summary(r.findings)).toEqual([['response-property-enum-removed', 'warning', GET]]);
    expect(r.findings[0]!.message).toBe("response property 'object' in response body (200, application/json) enum (web, store) removed: other values may be sent");
    onBase(r.findings[0], base, 'enum: [web, store]');
    // Dropping it from a request accepts more: nothing to report.
    expect(diff(api('3.0.3', postOnly(), konst('type: string\nenum: [web, store]')), api('3.0.3', postOnly(), konst('type: string'))).findings).toEqual([]);
  });
});

/** Only POST /orders, taking `schema`. */
function postOnly(schema = 'Order'): string {
  return `  /orders:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/${schema}'}
      responses:
        '204': {description: created}`;
}

describe('defects: patterns rewritten the same', () => {
  const sku = (pattern: string) => api('3.0.3', crud(), orderWith('sku', `type: string\npattern: '${pattern}'`));

  it('`[0-9]` ↔ `\\d`, `[a-zA-Z]` ↔ `[A-Za-z]`, `[a-zA-Z0-9_]{1,}` ↔ `\\w+` are no change', () => {
    expect(diff(sku('^[A-Z]{3}-[0-9]{4}$'), sku('^[A-Z]{3}-\\d{4}$')).findings).toEqual([]);
    expect(diff(sku('^[a-zA-Z][a-zA-Z0-9_]{1,}$'), sku('^[A-Za-z]\\w+$')).findings).toEqual([]);
    expect(diff(sku('^[a-z]{0,1}x{2,2}$'), sku('^[a-z]?x{2}$')).findings).toEqual([]);
  });

});

describe('defects: readOnly and required', () => {
  it('a required readOnly id that loses readOnly must now be sent: request-property-became-required', () => {
    const order = (ro: string) => `    Order:
      type: object
      required: [id, total]
      properties:
        id: {type: string${ro}}
        total: {type: number}
`;
    const rev = api('3.0.3', crud(), order(''));
    const r = diff(api('3.0.3', crud(), order(', readOnly: true')), rev);
    expect(summary(r.findings)).toEqual(
      sorted([
        ['request-property-became-required', 'error', POST],
        ...eachDirection(['request-required-property-became-not-read-only', 'info'], ['response-required-property-became-not-read-only', 'info']),
      ]),
    );
    const f = r.findings.find((x) => x.id === 'request-property-became-required');
    expect(f?.message).toBe("request body (application/json) property 'id' became required: it is no longer read-only");
    onRev(f, rev, 'id: {type: string}');
    // Made readOnly again: only the flags (a client sending it is ignored).
    expect(summary(diff(rev, api('3.0.3', crud(), order(', readOnly: true'))).findings)).toEqual(
      eachDirection(['request-required-property-became-read-only', 'info'], ['response-required-property-became-read-only', 'info']),
    );
  });
});

describe('defects: inline oneOf members matched by what they hold', () => {
  const payment = (members: string) => api('3.0.3', getOnly(), orderWith('payment', `oneOf:\n${members}`));
  const card = '  - type: object\n    required: [last4]\n    properties:\n      last4: {type: string}';
  const bank = '  - type: object\n    required: [iban]\n    properties:\n      iban: {type: string}';
  const wallet = '  - type: object\n    required: [wallet]\n    properties:\n      wallet: {type: string}';

  it('one untitled member given a property while another is added: the property and the member added', () => {
    const rev = payment(`${card}\n      brand: {type: string}\n${bank}\n${wallet}`);
    const r = diff(payment(`${card}\n${bank}`), rev);
    expect(summary(r.findings)).toEqual([
      ['response-optional-property-added', 'info', GET],
      ['response-property-one-of-added', 'error', GET],
    ]);
    expect(r.findings.find((f) => f.id === 'response-property-one-of-added')?.message).toContain('oneOf gained subschema #3');
    expect(r.findings.find((f) => f.id === 'response-optional-property-added')?.message).toContain("'payment/oneOf[#1]'");
  });

  it('a titled member renamed and given a property is the same member, named by its new title', () => {
    const titled = (t: string, m: string) => m.replace('  - type: object', `  - title: ${t}\n    type: object`);
    const rev = payment(`${titled('CardPayment', card)}\n      brand: {type: string}\n${titled('Bank', bank)}\n${titled('Wallet', wallet)}`);
    const r = diff(payment(`${titled('Card', card)}\n${titled('Bank', bank)}`), rev);
    expect(summary(r.findings)).toEqual([
      ['response-optional-property-added', 'info', GET],
      ['response-property-one-of-added', 'error', GET],
    ]);
    expect(r.findings.find((f) => f.id === 'response-optional-property-added')?.message).toContain("'payment/oneOf[CardPayment]'");
    expect(r.findings.find((f) => f.id === 'response-property-one-of-added')?.message).toContain('subschema #3: Wallet');
  });
});

describe('defects: paths through unnamed allOf/oneOf members count from 1, as messages do', () => {
  it("an allOf local override tightened is under 'allOf[#2]' (the second member), not 'allOf[#1]'", () => {
    const override = (max: number) => `    Named: {type: object, required: [name], properties: {name: {type: string}}}
    Order:
      allOf:
        - $ref: '#/components/schemas/Named'
        - type: object
          properties:
            name: {type: string, maxLength: ${max}}
`;
    const o = diff(api('3.0.3', postOnly(), override(50)), api('3.0.3', postOnly(), override(20)));
    expect(o.findings.map((x) => [x.id, x.message])).toEqual([
      ['request-property-max-length-decreased', "request property 'allOf[#2]/name' in request body (application/json) maxLength decreased from 50 to 20"],
    ]);
  });
});

describe('already right: patterns', () => {
  it('a pattern that accepts other strings is still a change', () => {
    const sku = (pattern: string) => api('3.0.3', crud(), orderWith('sku', `type: string\npattern: '${pattern}'`));
    for (const [from, to] of [
      ['^[a-z]+$', '^[a-z0-9]+$'],
      ['^\\d+$', '^\\D+$'],
      ['^a{1}?$', '^a?$'],
    ] as const) {
      expect(summary(diff(sku(from), sku(to)).findings)).toEqual(eachDirection(['request-property-pattern-changed', 'warning'], ['response-property-pattern-changed', 'info']));
    }
  });
});

describe('already right: nullability', () => {
  it('3.0 `nullable: true` rewritten as a 3.1 type list is no change; explicit `nullable: false` is no change', () => {
    const nullable30 = api('3.0.3', crud(), orderWith('note', 'type: string\nnullable: true\nmaxLength: 200'));
    expect(diff(nullable30, api('3.1.0', crud(), orderWith('note', "type: [string, 'null']\nmaxLength: 200"))).findings).toEqual([]);
    expect(diff(api('3.0.3', crud(), orderWith('note', 'type: string\nnullable: false')), api('3.0.3', crud(), orderWith('note', 'type: string'))).findings).toEqual([]);
  });

  it('a $ref property made nullable with oneOf: an error in the response, information in the request, at the oneOf', () => {
    const rev = api('3.1.0', crud(), orderWith('shipping', "oneOf:\n  - $ref: '#/components/schemas/Address'\n  - type: 'null'", address));
    const r = diff(api('3.1.0', crud(), orderWith('shipping', "$ref: '#/components/schemas/Address'", address)), rev);
    expect(summary(r.findings)).toEqual(eachDirection(['request-property-became-nullable', 'info'], ['response-property-became-nullable', 'error']));
    for (const f of r.findings) onRev(f, rev, 'oneOf:');
  });

  it('a $ref wrapped for nullability while its component was deprecated: both reported, the deprecation at its sunset in the component', () => {
    const deprecated = address.replace('      required: [line1, city]', '      deprecated: true\n      x-sunset: 2027-06-01\n      required: [line1, city]');
    const rev = api('3.0.3', crud(), orderWith('shipping', "nullable: true\nallOf:\n  - $ref: '#/components/schemas/Address'", deprecated));
    const r = diff(api('3.0.3', crud(), orderWith('shipping', "$ref: '#/components/schemas/Address'", address)), rev);
    expect(summary(r.findings)).toEqual(
      sorted([
        ...eachDirection(['request-property-became-nullable', 'info'], ['response-property-became-nullable', 'error']),
        ...eachDirection(['request-property-deprecated-with-sunset', 'info'], ['response-property-deprecated-with-sunset', 'info']),
      ]),
    );
    onRev(r.findings.find((f) => f.id === 'request-property-deprecated-with-sunset'), rev, 'x-sunset: 2027-06-01');
  });

  it("null dropped from a 3.1 type list and its enum is one change, at the base's type", () => {
    const base = api('3.1.0', crud(), orderWith('color', "type: [string, 'null']\nenum: [red, green, null]"));
    const r = diff(base, api('3.1.0', crud(), orderWith('color', 'type: string\nenum: [red, green]')));
    expect(summary(r.findings)).toEqual(eachDirection(['request-property-became-not-nullable', 'error'], ['response-property-became-not-nullable', 'info']));
    onBase(r.findings[0], base, "type: [string, 'null']");
  });
});

describe('already right: enums, formats, defaults and const', () => {
  const status = (values: string) => `    Status:
      type: string
      enum: [${values}]
    Order:
      type: object
      required: [id, status]
      properties:
        id: {type: string}
        status: {$ref: '#/components/schemas/Status'}
`;

  it('an enum component shared by request and response: a value added or removed is judged in each direction', () => {
    const two = api('3.0.3', crud(), status('pending, paid'));
    const three = api('3.0.3', crud(), status('pending, paid, refunded'));
    const added = diff(two, three);
    expect(summary(added.findings)).toEqual(eachDirection(['request-property-enum-value-added', 'info'], ['response-property-enum-value-added', 'warning']));
    onRev(added.findings[0], three, 'enum: [pending, paid, refunded]');
    expect(added.findings[0]!.message).toContain("property 'status'");
    const removed = diff(three, two);
    expect(summary(removed.findings)).toEqual(eachDirection(['request-property-enum-value-removed', 'error'], ['response-property-enum-value-removed', 'info']));
    onBase(removed.findings[0], three, 'enum: [pending, paid, refunded]');
    expect(diff(three, api('3.0.3', crud(), status('refunded, pending, paid'))).findings).toEqual([]);
  });

  it('x-extensible-enum: a value added is nothing, one removed from a request is an error', () => {
    const channel = (values: string) => api('3.0.3', crud(), orderWith('channel', `type: string\nx-extensible-enum: [${values}]`));
    expect(diff(channel('web, store'), channel('web, store, phone')).findings).toEqual([]);
    expect(summary(diff(channel('web, store, phone'), channel('web, store')).findings)).toEqual([['request-property-x-extensible-enum-value-removed', 'error', POST]]);
  });

  it('formats: int32 → int64 widens (request information, response error), date → date-time and uuid added narrow requests', () => {
    const fmt = (schema: string) => api('3.0.3', crud(), orderWith('qty', schema));
    expect(summary(diff(fmt('type: integer\nformat: int32'), fmt('type: integer\nformat: int64')).findings)).toEqual(
      eachDirection(['request-property-type-generalized', 'info'], ['response-property-type-changed', 'error']),
    );
    expect(summary(diff(fmt('type: string\nformat: date'), fmt('type: string\nformat: date-time')).findings)).toEqual(
      eachDirection(['request-property-type-changed', 'error'], ['response-property-type-changed', 'error']),
    );
    expect(summary(diff(fmt('type: string'), fmt('type: string\nformat: uuid')).findings)).toEqual(
      eachDirection(['request-property-type-changed', 'error'], ['response-property-type-specialized', 'info']),
    );
  });

  it("a default changed: information on a body property, an error on a query parameter (oasdiff's levels)", () => {
    const spec = (limit: number, currency: string) =>
      api(
        '3.0.3',
        `  /orders:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer, default: ${limit}}}
      responses:
        '200': {description: ok}
${postOnly()}`.replace('  /orders:\n    post:', '    post:'),
        orderWith('currency', `type: string\ndefault: ${currency}`),
      );
    const rev = spec(50, 'EUR');
    const r = diff(spec(20, 'USD'), rev);
    expect(summary(r.findings)).toEqual([
      ['request-parameter-default-value-changed', 'error', 'GET /orders'],
      ['request-property-default-value-changed', 'info', POST],
    ]);
    onRev(r.findings.find((f) => f.id === 'request-property-default-value-changed'), rev, 'default: EUR');
  });

  it('a 3.1 const changed is an error both ways; dropped, an error only for the response', () => {
    const c = (schema: string) => api('3.1.0', crud(), orderWith('object', schema));
    expect(summary(diff(c('type: string\nconst: order'), c('type: string\nconst: purchase_order')).findings)).toEqual(
      eachDirection(['request-property-const-changed', 'error'], ['response-property-const-changed', 'error']),
    );
    expect(summary(diff(c('type: string\nconst: order'), c('type: string')).findings)).toEqual(
      eachDirection(['request-property-const-removed', 'info'], ['response-property-const-removed', 'error']),
    );
  });
});

describe('already right: properties, discriminators and polymorphism', () => {
  it('required reordered and duplicated, descriptions, titles, examples and $comment edited: no change', () => {
    const order = (required: string, notes: string) => `    Order:
      type: object
      required: [${required}]
${notes}      properties:
        id: {type: string, examples: [o_1]}
        total: {type: number}
        currency: {type: string}
`;
    const base = api('3.1.0', crud(), order('id, total, currency', '      title: Order\n'));
    const rev = api('3.1.0', crud(), order('currency, id, total, id', "      title: PurchaseOrder\n      description: A purchase order.\n      $comment: renamed in v2\n"));
    expect(diff(base, rev).findings).toEqual([]);
  });

  it('a property renamed is a removal on the base line and an addition on the revision line', () => {
    const order = (name: string) => `    Order:\n      type: object\n      required: [${name}]\n      properties:\n        ${name}: {type: string}\n`;
    const base = api('3.0.3', crud(), order('zip'));
    const rev = api('3.0.3', crud(), order('postalCode'));
    const r = diff(base, rev);
    expect(summary(r.findings)).toEqual(
      sorted([
        ...eachDirection(['request-property-removed', 'warning'], ['response-required-property-removed', 'error']),
        ...eachDirection(['new-required-request-property', 'error'], ['response-required-property-added', 'info']),
      ]),
    );
    onBase(r.findings.find((f) => f.id === 'request-property-removed'), base, 'zip: {type: string}');
    onRev(r.findings.find((f) => f.id === 'new-required-request-property'), rev, 'postalCode: {type: string}');
  });

  const pets = (mapping: string, members: string) => `    Pet:
      oneOf:
${members}
      discriminator:
        propertyName: kind
        mapping:
${mapping}
    Dog: {type: object, required: [kind], properties: {kind: {type: string}, bark: {type: boolean}}}
    Cat: {type: object, required: [kind], properties: {kind: {type: string}, purr: {type: boolean}}}
    Bird: {type: object, required: [kind], properties: {kind: {type: string}}}
`;
  const petPaths = `  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}`;
  const dogCat = "        - $ref: '#/components/schemas/Dog'\n        - $ref: '#/components/schemas/Cat'";
  const mapDogCat = "          dog: '#/components/schemas/Dog'\n          cat: '#/components/schemas/Cat'";

  it('a polymorphic response gaining a member: oneOf added (error) at the member, mapping added (information)', () => {
    const rev = api('3.0.3', petPaths, pets(`${mapDogCat}\n          bird: '#/components/schemas/Bird'`, `${dogCat}\n        - $ref: '#/components/schemas/Bird'`));
    const r = diff(api('3.0.3', petPaths, pets(mapDogCat, dogCat)), rev);
    expect(summary(r.findings)).toEqual([
      ['response-body-discriminator-mapping-added', 'info', 'GET /pets'],
      ['response-body-one-of-added', 'error', 'GET /pets'],
    ]);
    onRev(r.findings.find((f) => f.id === 'response-body-one-of-added'), rev, "- $ref: '#/components/schemas/Bird'");
  });

  it('a mapping pointed at a component renamed with the same content: mapping changed only', () => {
    const rev = api('3.0.3', petPaths, pets(mapDogCat, dogCat).replace(/schemas\/Cat'/g, "schemas/Feline'").replace('    Cat:', '    Feline:'));
    expect(summary(diff(api('3.0.3', petPaths, pets(mapDogCat, dogCat)), rev).findings)).toEqual([
      ['api-schema-removed', 'info', ''],
      ['response-body-discriminator-mapping-changed', 'info', 'GET /pets'],
    ]);
  });
});

describe('already right: deep, recursive and shared schemas', () => {
  it('a required property added to objects in an array of arrays names the whole path', () => {
    const sheet = (cell: string) => `    Sheet:
      type: object
      properties:
        rows: {type: array, items: {type: array, items: {$ref: '#/components/schemas/Cell'}}}
    Cell:
      type: object
${cell}`;
    const rev = api('3.0.3', crud('Sheet'), sheet('      required: [kind]\n      properties:\n        value: {type: string}\n        kind: {type: string}\n'));
    const r = diff(api('3.0.3', crud('Sheet'), sheet('      properties:\n        value: {type: string}\n')), rev);
    expect(summary(r.findings)).toEqual(eachDirection(['new-required-request-property', 'error'], ['response-required-property-added', 'info']));
    expect(r.findings.find((f) => f.operation === POST && f.id.startsWith('new'))?.message).toBe(
      "request property 'rows/items/items' in request body (application/json) has new required property 'kind'",
    );
    onRev(r.findings[0], rev, 'kind: {type: string}');
  });

  it('a tree and mutually recursive folders: a change deep inside is reported once per operation, by its shortest path', () => {
    const tree = (name: string) => `    Node:
      type: object
      properties:
        name: ${name}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
`;
    const t = diff(api('3.0.3', crud('Node'), tree('{type: string, maxLength: 100}')), api('3.0.3', crud('Node'), tree('{type: string, maxLength: 50}')));
    expect(t.findings.map((f) => [f.id, f.operation, f.message])).toEqual([
      ['request-property-max-length-decreased', POST, "request property 'name' in request body (application/json) maxLength decreased from 100 to 50"],
    ]);
    const folders = (size: string) => `    Folder:
      type: object
      properties:
        name: {type: string}
        files: {type: array, items: {$ref: '#/components/schemas/File'}}
        parent: {$ref: '#/components/schemas/Folder'}
    File:
      type: object
      properties:
        size: ${size}
        folder: {$ref: '#/components/schemas/Folder'}
`;
    const f = diff(api('3.0.3', crud('Folder'), folders('{type: integer}')), api('3.0.3', crud('Folder'), folders('{type: string}')));
    expect(summary(f.findings)).toEqual(eachDirection(['request-property-type-changed', 'error'], ['response-property-type-changed', 'error']));
    expect(f.findings.every((x) => x.message.includes("'files/items/size'"))).toBe(true);
  });

  it('a map of objects gaining a required property names its path', () => {
    const labels = (label: string) => orderWith('labels', "type: object\nadditionalProperties: {$ref: '#/components/schemas/Label'}", `    Label:\n      type: object\n${label}`);
    const m = diff(api('3.0.3', postOnly(), labels('      properties: {text: {type: string}}\n')), api('3.0.3', postOnly(), labels('      required: [color]\n      properties: {text: {type: string}, color: {type: string}}\n')));
    expect(m.findings.map((x) => [x.id, x.message])).toEqual([
      ['new-required-request-property', "request property 'labels/additionalProperties' in request body (application/json) has new required property 'color'"],
    ]);
  });

  it('3.1 type lists: widened is an error for responses, narrowed for requests; [integer] = integer', () => {
    const amount = (t: string) => api('3.1.0', crud(), orderWith('amount', `type: ${t}`));
    expect(summary(diff(amount('[integer, string]'), amount('[integer, string, boolean]')).findings)).toEqual(
      eachDirection(['request-property-type-generalized', 'info'], ['response-property-type-generalized', 'error']),
    );
    expect(summary(diff(amount('[integer, string]'), amount('integer')).findings)).toEqual(
      eachDirection(['request-property-type-changed', 'error'], ['response-property-type-specialized', 'info']),
    );
    expect(diff(amount('[integer]'), amount('integer')).findings).toEqual([]);
  });
});
