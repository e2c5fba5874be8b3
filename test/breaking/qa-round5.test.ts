// QA round 5: the operation level, with pairs as API teams write them (paths and their parameter names,
// parameters moved between the path item and the operation, shared components, cookies and headers,
// bodies and their encodings, status codes, response headers, callbacks, links, security, deprecation and
// stability, webhooks, Swagger 2.0). Each test states what a careful reviewer expects; the ones under
// "defects" failed before their fix, the others guard behaviour that was already right.
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/kit/result.js';
import { diffTexts, lineOf } from './helpers.js';

/** [id, level, operation] of each finding, sorted. */
const sorted = (rows: string[][]) => rows.sort((a, b) => (a.join() < b.join() ? -1 : 1));
const summary = (findings: readonly Finding[]) => sorted(findings.map((f) => [f.id, f.level, f.operation ?? '']));

const doc = (body: string, extra = '', version = '3.0.3') => `openapi: ${version}
info: {title: t, version: '1'}
paths:
${body}${extra}`;

const today = new Date('2026-06-01');
const diff = (base: string, rev: string, opts: Parameters<typeof diffTexts>[2] = {}) => diffTexts(base, rev, { today, ...opts });
const one = (findings: readonly Finding[], id: string) => {
  const hits = findings.filter((f) => f.id === id);
  expect(hits).toHaveLength(1);
  return hits[0]!;
};
const onBase = (f: Finding, text: string, needle: string) => expect(f.location).toEqual({ file: expect.stringMatching(/base\.yaml$/), line: lineOf(text, needle) });
const onRev = (f: Finding, text: string, needle: string) => expect(f.location).toEqual({ file: expect.stringMatching(/revision\.yaml$/), line: lineOf(text, needle) });

describe('defects: paths and their parameters', () => {
  const posts = (user: string, post: string, postType = 'integer') =>
    doc(`  /users/{${user}}/posts/{${post}}:
    get:
      parameters:
        - {name: ${user}, in: path, required: true, schema: {type: string}}
        - {name: ${post}, in: path, required: true, schema: {type: ${postType}}}
      responses:
        '200': {description: ok}
`);

  // Paths match ignoring parameter names, so their parameters pair by place in the template: here `id`
  // moved to the second place under another meaning. Pairing by name reported a path parameter added,
  // one removed and a type change, none of which a client sees.
  it('renaming {id}/{postId} to {userId}/{id} is no change', () => {
    expect(diff(posts('id', 'postId'), posts('userId', 'id')).findings).toEqual([]);
    expect(diff(posts('org', 'repo'), posts('repo', 'org')).findings).toEqual([]);
  });

  it('a real change of a renamed path parameter is reported on it, by its new name and line', () => {
    const rev = posts('userId', 'id', 'string');
    const f = diff(posts('id', 'postId'), rev).findings;
    expect(summary(f)).toEqual([['request-parameter-type-generalized', 'info', 'GET /users/{id}/posts/{postId}']]);
    expect(f[0]!.message).toContain("path parameter 'id'");
    onRev(f[0]!, rev, '- {name: id, in: path');
  });

  // Both spellings of one endpoint in the same spec (invalid by the letter of OpenAPI, common in
  // generated specs): the second one replaced the first, so GET looked removed without deprecation.
  it('methods split over /files/{id} and /files/{fileId} are each compared where they are', () => {
    const split = (getType: string) =>
      doc(`  /files/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: ${getType}}}
      responses:
        '200': {description: ok}
  /files/{fileId}:
    delete:
      parameters:
        - {name: fileId, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: gone}
`);
    const joined = doc(`  /files/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
`);
    expect(diff(split('string'), split('string')).findings).toEqual([]);
    expect(diff(joined, split('string')).findings.map((f) => [f.id, f.operation])).toEqual([['endpoint-added', 'DELETE /files/{fileId}']]);
    const rev = split('integer');
    const f = diff(joined, rev).findings;
    expect(summary(f)).toEqual([
      ['endpoint-added', 'info', 'DELETE /files/{fileId}'],
      ['request-parameter-type-changed', 'error', 'GET /files/{id}'],
    ]);
    // And the DELETE dropped again: only it is removed, as an operation of a path that stays.
    expect(summary(diff(rev, joined).findings)).toEqual([
      ['api-removed-without-deprecation', 'error', 'DELETE /files/{fileId}'],
      ['request-parameter-type-generalized', 'info', 'GET /files/{id}'],
    ]);
  });
});

describe('defects: 3.1 webhooks are compared inside, as paths named webhook:NAME (as oasdiff does)', () => {
  const hooks = (ops: string) => `openapi: 3.1.0
info: {title: t, version: '1'}
webhooks:
  petCreated:
${ops}`;
  const post = (props = '                name: {type: string}\n', extra = '') => `    post:
${extra}      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                id: {type: string}
${props}      responses:
        '200': {description: ok}
`;
  const put = `    put:
      responses:
        '200': {description: ok}
`;

  it('a property dropped from the payload, an operation removed, a deprecation', () => {
    const base = hooks(post() + put);
    let f = diff(base, hooks(post('') + put)).findings;
    expect(summary(f)).toEqual([['request-property-removed', 'warning', 'POST webhook:petCreated']]);
    onBase(f[0]!, base, 'name: {type: string}');

    f = diff(base, hooks(post())).findings;
    expect(summary(f)).toEqual([['api-removed-without-deprecation', 'error', 'PUT webhook:petCreated']]);

    const rev = hooks(post(undefined, "      deprecated: true\n      x-sunset: '2027-06-01'\n") + put);
    f = diff(base, rev).findings;
    expect(summary(f)).toEqual([['endpoint-deprecated-with-sunset', 'info', 'POST webhook:petCreated']]);
    onRev(f[0]!, rev, "x-sunset: '2027-06-01'");
  });

  // (A guard for the new walk: it passed before, when nothing inside webhooks was compared.)
  it('--match-path applies to the webhook:NAME name, and a webhook added or removed is still one finding', () => {
    expect(diff(hooks(post() + put), hooks(post('')), { matchPath: /^\/pets/ }).findings).toEqual([]);
    const renamed = hooks(post()).replace('petCreated', 'petAdopted');
    expect(summary(diff(hooks(post()), renamed).findings)).toEqual([
      ['webhook-added', 'info', ''],
      ['webhook-removed', 'error', ''],
    ]);
  });
});

describe('defects: callbacks (ours: callback-removed, callback-added)', () => {
  const subscribe = (callbacks: string, extra = '') =>
    doc(
      `  /subscriptions:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {url: {type: string, format: uri}}}
      responses:
        '201': {description: ok}
${callbacks}`,
      extra,
    );
  const onEvent = (methods: string[]) => `      callbacks:
        onEvent:
          '{$request.body#/url}':
${methods
  .map(
    (m) => `            ${m}:
              requestBody:
                content:
                  application/json:
                    schema: {type: object}
              responses:
                '200': {description: ok}
`,
  )
  .join('')}`;

  it('a callback removed is an error on the base line; added, information on the revision line', () => {
    const base = subscribe(onEvent(['post']));
    const f = diff(base, subscribe('')).findings;
    expect(summary(f)).toEqual([['callback-removed', 'error', 'POST /subscriptions']]);
    onBase(f[0]!, base, 'onEvent:');
    const g = diff(subscribe(''), base).findings;
    expect(summary(g)).toEqual([['callback-added', 'info', 'POST /subscriptions']]);
    onRev(g[0]!, base, 'onEvent:');
  });

  it('a callback keeping its name is compared by its operations; a $ref to components.callbacks is followed', () => {
    const f = diff(subscribe(onEvent(['post', 'put'])), subscribe(onEvent(['put', 'delete']))).findings;
    expect(f.map((x) => [x.id, x.message])).toEqual([
      ['callback-removed', "operation POST {$request.body#/url} of callback 'onEvent' removed"],
      ['callback-added', "operation DELETE {$request.body#/url} added to callback 'onEvent'"],
    ]);
    const reffed = subscribe(
      '      callbacks:\n        onEvent: {$ref: \'#/components/callbacks/OnEvent\'}\n',
      `components:\n  callbacks:\n    OnEvent:\n${onEvent(['post']).split('\n').slice(2).map((l) => l.slice(4)).join('\n')}`,
    );
    expect(diff(subscribe(onEvent(['post'])), reffed).findings).toEqual([]);
    expect(summary(diff(reffed, subscribe('')).findings)).toEqual([['callback-removed', 'error', 'POST /subscriptions']]);
  });
});

describe('defects: security', () => {
  const oauth = (name: string, scopes = '{read: r, write: w}', opScopes = '[write]') =>
    doc(
      `  /pets:
    get:
      responses:
        '200': {description: ok}
    post:
      security:
        - ${name}: ${opScopes}
      responses:
        '201': {description: ok}
`,
      `components:
  securitySchemes:
    ${name}:
      type: oauth2
      description: ${name === 'oauth' ? 'Our OAuth' : 'OAuth 2.0'}
      flows:
        authorizationCode:
          authorizationUrl: https://auth.example.com/authorize
          tokenUrl: https://auth.example.com/token
          scopes: ${scopes}
`,
    ).replace('paths:', `security:\n  - ${name}: [read]\npaths:`);

  // A scheme's name never goes on the wire: requirements naming the renamed scheme are the same
  // requirements. Only the components' change is left (as api-schema-removed is for a renamed schema).
  it('a scheme renamed with the same definition changes no requirement', () => {
    expect(summary(diff(oauth('oauth'), oauth('OAuth2')).findings)).toEqual([
      ['api-security-component-added', 'info', ''],
      ['api-security-component-removed', 'info', ''],
    ]);
    // A scope added in the same edit is still reported, under the new name.
    const f = diff(oauth('oauth'), oauth('OAuth2', undefined, '[write, read]')).findings;
    expect(f.filter((x) => x.id === 'api-security-scope-added').map((x) => x.message)).toEqual([
      "scope 'read' of security scheme 'OAuth2' added to the security of POST /pets",
    ]);
    // A renamed scheme whose definition changed is another scheme: its requirements were replaced.
    expect(diff(oauth('oauth'), oauth('OAuth2', '{read: r}')).findings.map((x) => x.id)).toContain('api-global-security-removed');
  });

  const flows = (list: string) =>
    doc(
      `  /a:
    get:
      security:
        - o: [read]
      responses:
        '200': {description: ok}
`,
      `components:
  securitySchemes:
    o:
      type: oauth2
      flows:
${list}`,
    );
  const clientCredentials = `        clientCredentials:
          tokenUrl: https://auth.example.com/token
          scopes: {read: r}
`;
  const authorizationCode = `        authorizationCode:
          authorizationUrl: https://auth.example.com/authorize
          tokenUrl: https://auth.example.com/token
          scopes: {read: r}
`;

  it('an OAuth flow removed leaves its clients without tokens (ours: error); one added is information', () => {
    const base = flows(clientCredentials + authorizationCode);
    const f = diff(base, flows(clientCredentials)).findings;
    expect(summary(f)).toEqual([['api-security-component-oauth-flow-removed', 'error', '']]);
    onBase(f[0]!, base, 'authorizationCode:');
    expect(summary(diff(flows(clientCredentials), base).findings)).toEqual([['api-security-component-oauth-flow-added', 'info', '']]);
  });
});

describe('defects: form and multipart encodings (ours: request-body-media-type-encoding-changed)', () => {
  const upload = (partType: string) =>
    doc(`  /avatars:
    post:
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
                caption: {type: string}
            encoding:
              file: {contentType: '${partType}'}
      responses:
        '201': {description: ok}
`);

  it('a part content type that takes less is an error on the revision line; one that takes more is none', () => {
    const rev = upload('image/png');
    const f = diff(upload('image/png, image/jpeg'), rev).findings;
    expect(summary(f)).toEqual([['request-body-media-type-encoding-changed', 'error', 'POST /avatars']]);
    expect(f[0]!.message).toContain("'image/jpeg'");
    onRev(f[0]!, rev, 'file: {contentType:');
    expect(diff(upload('image/png'), upload('image/png, image/jpeg')).findings).toEqual([]);
    expect(diff(upload('image/png'), upload('image/*')).findings).toEqual([]);
  });

  const form = (encoding: string, tagType = '{type: array, items: {type: string}}') =>
    doc(`  /search:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                tags: ${tagType}
                q: {type: string}
${encoding}      responses:
        '200': {description: ok}
`);

  it('a form field holding an array serialised with another style is an error; a single value, none', () => {
    const rev = form('            encoding:\n              tags: {style: pipeDelimited, explode: false}\n');
    const f = diff(form(''), rev).findings;
    expect(summary(f)).toEqual([['request-body-media-type-encoding-changed', 'error', 'POST /search']]);
    expect(f[0]!.message).toBe("form field 'tags' of the request body serialised differently: style=form, explode=true → style=pipeDelimited, explode=false");
    onRev(f[0]!, rev, 'tags: {style: pipeDelimited');
    // The defaults written out are no change; a scalar field reads the same in any style.
    expect(diff(form(''), form('            encoding:\n              tags: {style: form, explode: true}\n')).findings).toEqual([]);
    expect(diff(form('', '{type: string}'), form('            encoding:\n              tags: {style: spaceDelimited}\n', '{type: string}')).findings).toEqual([]);
  });
});

describe('one node, several changes of one rule (engine.ts deduplicates by message too)', () => {
  // Requirements an operation inherits from the document-wide list all point at the operation:
  // deduplicated by operation, rule and node alone, only the first was kept.
  it('dropping `security: []` under two document-wide alternatives reports both', () => {
    const spec = (op: string) =>
      doc(
        `  /health:
    get:
${op}      responses:
        '200': {description: ok}
`,
        `components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
`,
      ).replace('paths:', 'security:\n  - bearer: []\n  - key: []\npaths:');
    expect(summary(diff(spec('      security: []\n'), spec('')).findings)).toEqual([
      ['api-security-added', 'info', 'GET /health'],
      ['api-security-added', 'info', 'GET /health'],
    ]);
  });
});

describe('one response component under two status codes', () => {
  // Each status is its own response to the client: a change to the shared component is reported under each.
  const api = (media: string) =>
    doc(
      `  /jobs:
    post:
      responses:
        '201': {$ref: '#/components/responses/Job'}
        '202': {$ref: '#/components/responses/Job'}
`,
      `components:
  responses:
    Job:
      description: the job
      content:
${media}`,
    );
  it('a media type dropped from it is reported for 201 and for 202', () => {
    const both = `        application/json: {schema: {type: object}}
        application/xml: {schema: {type: object}}
`;
    const r = diff(api(both), api(`        application/json: {schema: {type: object}}
`));
    const dropped = r.findings.filter((f) => f.id === 'response-media-type-removed');
    expect(dropped.map((f) => f.operation)).toEqual(['POST /jobs', 'POST /jobs']);
    expect(dropped.map((f) => /\b(201|202)\b/.exec(f.message)?.[1]).sort()).toEqual(['201', '202']);
  });
});

describe('already right: parameters between the path item and the operation', () => {
  const orders = (names: [string, string], level: 'item' | 'op') => {
    const params = `- {name: ${names[0]}, in: path, required: true, schema: {type: string}}
      - {name: ${names[1]}, in: path, required: true, schema: {type: integer}}`;
    return doc(`  /users/{${names[0]}}/orders/{${names[1]}}:
${level === 'item' ? `    parameters:\n      ${params}\n` : ''}    get:
${level === 'op' ? `      parameters:\n        ${params.replace('\n      -', '\n        -')}\n` : ''}      responses:
        '200': {description: ok}
`);
  };

  it('path parameters renamed and moved from the path item onto the operation: no change', () => {
    expect(diff(orders(['userId', 'orderId'], 'item'), orders(['uid', 'oid'], 'item')).findings).toEqual([]);
    expect(diff(orders(['userId', 'orderId'], 'item'), orders(['uid', 'oid'], 'op')).findings).toEqual([]);
  });

  const reports = (itemVerbose: boolean) =>
    doc(`  /reports/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
${itemVerbose ? '      - {name: verbose, in: query, schema: {type: boolean}}\n' : ''}    get:
${itemVerbose ? '' : '      parameters:\n        - {name: verbose, in: query, schema: {type: boolean}}\n'}      responses:
        '200': {description: ok}
    delete:
      responses:
        '204': {description: ok}
`);

  it('a path-level parameter moved onto GET only: DELETE loses it, GET is unchanged; and back', () => {
    const base = reports(true);
    const f = diff(base, reports(false)).findings;
    expect(summary(f)).toEqual([['request-parameter-removed', 'warning', 'DELETE /reports/{id}']]);
    onBase(f[0]!, base, '- {name: verbose');
    const rev = reports(true);
    const g = diff(reports(false), rev).findings;
    expect(summary(g)).toEqual([['new-optional-request-default-parameter-to-existing-path', 'info', 'DELETE /reports/{id}']]);
    onRev(g[0]!, rev, '- {name: verbose');
  });

  it('an operation overriding a path-level parameter as required, or dropping its override', () => {
    const search = (override: string) =>
      doc(`  /search:
    parameters:
      - {name: q, in: query, schema: {type: string, maxLength: 100}}
    get:
${override}      responses:
        '200': {description: ok}
    post:
      responses:
        '200': {description: ok}
`);
    const rev = search('      parameters:\n        - {name: q, in: query, required: true, schema: {type: string, maxLength: 100}}\n');
    const f = diff(search(''), rev).findings;
    expect(summary(f)).toEqual([['request-parameter-became-required', 'error', 'GET /search']]);
    onRev(f[0]!, rev, 'required: true');
    // The override (maxLength 500) dropped: the path item's maxLength 100 applies again.
    const wide = search('      parameters:\n        - {name: q, in: query, schema: {type: string, maxLength: 500}}\n');
    expect(summary(diff(wide, search('')).findings)).toEqual([['request-parameter-max-length-decreased', 'error', 'GET /search']]);
  });

  it('a required header hoisted to the path item (in another case): only the operation that lacked it gains it', () => {
    const base = doc(`  /items:
    get:
      parameters:
        - {name: X-Tenant, in: header, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
    post:
      responses:
        '200': {description: ok}
`);
    const rev = doc(`  /items:
    parameters:
      - {name: x-tenant, in: header, required: true, schema: {type: string}}
    get:
      responses:
        '200': {description: ok}
    post:
      responses:
        '200': {description: ok}
`);
    expect(summary(diff(base, rev).findings)).toEqual([['new-required-request-default-parameter-to-existing-path', 'error', 'POST /items']]);
  });

  it('header names ignore case, cookie names do not', () => {
    const header = (name: string, required: boolean) =>
      doc(`  /orders:
    get:
      parameters:
        - {name: ${name}, in: header, required: ${required}, schema: {type: string}}
      responses:
        '200': {description: ok}
`);
    expect(summary(diff(header('X-Tenant-Id', false), header('x-tenant-id', true)).findings)).toEqual([['request-parameter-became-required', 'error', 'GET /orders']]);
    const cookie = (name: string) => header(name, true).replace('in: header', 'in: cookie');
    expect(summary(diff(cookie('session_id'), cookie('SESSION_ID')).findings)).toEqual([
      ['new-required-request-parameter', 'error', 'GET /orders'],
      ['request-parameter-removed', 'warning', 'GET /orders'],
    ]);
  });

  it('trailing slashes and suffixes make other endpoints', () => {
    const at = (p: string) =>
      doc(`  ${p}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
`);
    for (const other of ['/a/{id}/', '/a/{id}.json']) {
      expect(summary(diff(at('/a/{id}'), at(other)).findings)).toEqual([
        ['api-path-removed-without-deprecation', 'error', 'GET /a/{id}'],
        ['endpoint-added', 'info', `GET ${other}`],
      ]);
    }
  });
});

describe('already right: components shared by operations', () => {
  it('a $ref parameter that became required with a lower maximum: once on each of the four operations, at the component', () => {
    const spec = (required: boolean, max: number) =>
      doc(
        `  /a:
    get:
      parameters:
        - $ref: '#/components/parameters/Limit'
      responses:
        '200': {description: ok}
  /b:
    get:
      parameters:
        - $ref: '#/components/parameters/Limit'
      responses:
        '200': {description: ok}
  /c:
    parameters:
      - $ref: '#/components/parameters/Limit'
    get:
      responses:
        '200': {description: ok}
    head:
      responses:
        '200': {description: ok}
`,
        `components:
  parameters:
    Limit:
      name: limit
      in: query
      required: ${required}
      schema: {type: integer, maximum: ${max}}
`,
      );
    const rev = spec(true, 50);
    const f = diff(spec(false, 100), rev).findings;
    const ops = ['GET /a', 'GET /b', 'GET /c', 'HEAD /c'];
    expect(summary(f)).toEqual(sorted(ops.flatMap((op) => [['request-parameter-became-required', 'error', op], ['request-parameter-max-decreased', 'error', op]])));
    for (const x of f) onRev(x, rev, x.id === 'request-parameter-became-required' ? 'required: true' : 'schema: {type: integer, maximum: 50}');
  });

  it('a shared response, request body and response header changed: reported on each operation using them', () => {
    const spec = (v2: boolean) =>
      doc(
        `  /a:
    post:
      requestBody: {$ref: '#/components/requestBodies/Pet'}
      responses:
        '200':
          description: ok
          headers:
            X-Rate-Limit: {$ref: '#/components/headers/RateLimit'}
        '404': {$ref: '#/components/responses/NotFound'}
  /b:
    put:
      requestBody: {$ref: '#/components/requestBodies/Pet'}
      responses:
        '200':
          description: ok
          headers:
            X-Rate-Limit: {$ref: '#/components/headers/RateLimit'}
        '404': {$ref: '#/components/responses/NotFound'}
`,
        `components:
  requestBodies:
    Pet:
      required: ${v2}
      content:
        application/json:
          schema: {type: object}
  headers:
    RateLimit:
      schema: {type: ${v2 ? 'string' : 'integer'}}
  responses:
    NotFound:
      description: nf
      content:
        application/problem+json:
          schema:
            type: object
            required: [title${v2 ? '' : ', code'}]
            properties:
              title: {type: string}
${v2 ? '' : '              code: {type: string}\n'}`,
      );
    const base = spec(false);
    const f = diff(base, spec(true)).findings;
    expect(summary(f)).toEqual(
      sorted(
        ['POST /a', 'PUT /b'].flatMap((op) => [
          ['request-body-became-required', 'error', op],
          ['response-header-type-changed', 'error', op],
          ['response-required-property-removed', 'error', op],
        ]),
      ),
    );
    for (const x of f.filter((y) => y.id === 'response-required-property-removed')) onBase(x, base, 'code: {type: string}');
  });

  it('inline parameters, body, header and response moved into components unchanged: no change, both ways', () => {
    const inline = doc(`  /orders/{id}:
    put:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: If-Match, in: header, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {qty: {type: integer}}}
      responses:
        '200':
          description: ok
          headers:
            ETag: {required: true, schema: {type: string}}
        '412':
          description: precondition failed
`);
    const reffed = doc(
      `  /orders/{id}:
    put:
      parameters:
        - $ref: '#/components/parameters/Id'
        - $ref: '#/components/parameters/IfMatch'
      requestBody: {$ref: '#/components/requestBodies/Order'}
      responses:
        '200':
          description: ok
          headers:
            ETag: {$ref: '#/components/headers/ETag'}
        '412': {$ref: '#/components/responses/PreconditionFailed'}
`,
      `components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}}
    IfMatch: {name: If-Match, in: header, required: true, schema: {type: string}}
  requestBodies:
    Order:
      required: true
      content:
        application/json:
          schema: {type: object, properties: {qty: {type: integer}}}
  headers:
    ETag: {required: true, schema: {type: string}}
  responses:
    PreconditionFailed: {description: precondition failed}
`,
    );
    expect(diff(inline, reffed).findings).toEqual([]);
    expect(diff(reffed, inline).findings).toEqual([]);
  });

  it('a 3.1 path item in components.pathItems is compared through its $ref', () => {
    const spec = (required: boolean) => `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets:
    $ref: '#/components/pathItems/Pets'
components:
  pathItems:
    Pets:
      get:
        parameters:
          - {name: kind, in: query, required: ${required}, schema: {type: string}}
        responses:
          '200': {description: ok}
`;
    expect(summary(diff(spec(false), spec(true)).findings)).toEqual([['request-parameter-became-required', 'error', 'GET /pets']]);
  });
});

describe('already right: request bodies and responses', () => {
  it('links added or removed are no change a client sees', () => {
    const link = `          links:
            GetSubscription:
              operationId: getSubscription
              parameters: {id: '$response.body#/id'}
`;
    const spec = (links: string) =>
      doc(`  /subscriptions:
    post:
      responses:
        '201':
          description: ok
${links}`);
    expect(diff(spec(link), spec('')).findings).toEqual([]);
    expect(diff(spec(''), spec(link)).findings).toEqual([]);
  });

  const orders = (required: string) =>
    doc(`  /orders:
    post:
      requestBody:
${required}        content:
          application/json:
            schema: {type: object}
      responses:
        '201': {description: ok}
`);

  it('a required request body made optional (written or by dropping the key) and back, on the right line', () => {
    const off = orders('        required: false\n');
    let f = diff(orders('        required: true\n'), off).findings;
    expect(summary(f)).toEqual([['request-body-became-optional', 'info', 'POST /orders']]);
    onRev(f[0]!, off, 'required: false');
    const none = orders('');
    f = diff(orders('        required: true\n'), none).findings;
    expect(summary(f)).toEqual([['request-body-became-optional', 'info', 'POST /orders']]);
    onRev(f[0]!, none, 'requestBody:');
    const on = orders('        required: true\n');
    f = diff(none, on).findings;
    expect(summary(f)).toEqual([['request-body-became-required', 'error', 'POST /orders']]);
    onRev(f[0]!, on, 'required: true');
  });

  it('multipart/form-data added and application/x-www-form-urlencoded removed', () => {
    const upload = (types: string) =>
      doc(`  /upload:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object}
${types}      responses:
        '201': {description: ok}
`);
    const base = upload('          application/x-www-form-urlencoded:\n            schema: {type: object}\n');
    const f = diff(base, upload('          multipart/form-data:\n            schema: {type: object}\n')).findings;
    expect(summary(f)).toEqual([
      ['request-body-media-type-added', 'info', 'POST /upload'],
      ['request-body-media-type-removed', 'error', 'POST /upload'],
    ]);
    onBase(one(f, 'request-body-media-type-removed'), base, 'application/x-www-form-urlencoded:');
  });

  const responses = (codes: string[]) =>
    doc(`  /orders:
    post:
      responses:
${codes
  .map(
    (c) => `        '${c}':
          description: x
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
`,
  )
  .join('')}`);

  it('201 → 200, a new 409, a 404 dropped; `default` added or removed is neither (as oasdiff)', () => {
    const base = responses(['201', '404']);
    const f = diff(base, responses(['200', '409'])).findings;
    expect(summary(f)).toEqual([
      ['response-non-success-status-added', 'info', 'POST /orders'],
      ['response-non-success-status-removed', 'info', 'POST /orders'],
      ['response-success-status-added', 'info', 'POST /orders'],
      ['response-success-status-removed', 'error', 'POST /orders'],
    ]);
    onBase(one(f, 'response-success-status-removed'), base, "'201':");
    expect(diff(responses(['201']), responses(['201', 'default'])).findings).toEqual([]);
    expect(diff(responses(['201', 'default']), responses(['201'])).findings).toEqual([]);
  });

  it('response headers: added, optional and required ones removed, made required (none) or optional', () => {
    const headers = (list: string) =>
      doc(`  /items:
    get:
      responses:
        '200':
          description: ok
          headers:
${list}`);
    const h = (name: string, required?: boolean) => `            ${name}:\n${required === undefined ? '' : `              required: ${required}\n`}              schema: {type: integer}\n`;
    const base = headers(h('X-Total-Count', true) + h('X-Page', false) + h('X-Keep'));
    const f = diff(base, headers(h('X-Keep') + h('X-Next-Cursor'))).findings;
    expect(summary(f)).toEqual([
      ['optional-response-header-removed', 'warning', 'GET /items'],
      ['required-response-header-removed', 'error', 'GET /items'],
      ['response-header-added', 'info', 'GET /items'],
    ]);
    onBase(one(f, 'required-response-header-removed'), base, 'X-Total-Count:');
    expect(diff(headers(h('X-Total-Count', false)), headers(h('X-Total-Count', true))).findings).toEqual([]);
    expect(summary(diff(headers(h('X-Total-Count', true)), headers(h('X-Total-Count'))).findings)).toEqual([['response-header-became-optional', 'error', 'GET /items']]);
  });
});

describe('already right: security', () => {
  it('a scope added to an operation requirement and to the scheme, and a flow scope removed', () => {
    const spec = (scopes: string, op: string) =>
      doc(
        `  /pets:
    get:
      security:
        - oauth: [${op}]
      responses:
        '200': {description: ok}
`,
        `components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          scopes: {${scopes}}
`,
      );
    const rev = spec('read: r, admin: a', 'read, admin');
    const f = diff(spec('read: r', 'read'), rev).findings;
    expect(summary(f)).toEqual([
      ['api-security-component-oauth-scope-added', 'info', ''],
      ['api-security-scope-added', 'info', 'GET /pets'],
    ]);
    onRev(one(f, 'api-security-scope-added'), rev, '- oauth: [read, admin]');
    expect(summary(diff(spec('read: r, admin: a', 'read'), spec('read: r', 'read')).findings)).toEqual([['api-security-component-oauth-scope-removed', 'info', '']]);
  });

  it('an alternative removed at the operation, one added or AND-ed to the document-wide list', () => {
    const spec = (global: string, op: string) =>
      doc(
        `  /a:
    get:
${op}      responses:
        '200': {description: ok}
`,
        `components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
`,
      ).replace('paths:', `${global}paths:`);
    const base = spec('', '      security:\n        - bearer: []\n        - key: []\n');
    const f = diff(base, spec('', '      security:\n        - bearer: []\n')).findings;
    expect(summary(f)).toEqual([['api-security-removed', 'info', 'GET /a']]);
    onBase(f[0]!, base, '- key: []');
    expect(summary(diff(spec('security:\n  - bearer: []\n', ''), spec('security:\n  - bearer: []\n  - key: []\n', '')).findings)).toEqual([['api-global-security-added', 'info', '']]);
    expect(summary(diff(spec('security:\n  - bearer: []\n', ''), spec('security:\n  - bearer: []\n    key: []\n', '')).findings)).toEqual([
      ['api-global-security-added', 'info', ''],
      ['api-global-security-removed', 'info', ''],
    ]);
  });
});

describe('already right: operationId, removal, deprecation and stability', () => {
  const pets = (extra: string) =>
    doc(`  /pets:
    get:
${extra}      responses:
        '200': {description: ok}
`);

  it('operationId changed, removed and added, each on its line', () => {
    const rev = pets('      operationId: getPets\n');
    const f = diff(pets('      operationId: listPets\n'), rev).findings;
    expect(f.map((x) => [x.id, x.level, x.message])).toEqual([['api-operation-id-removed', 'info', "operationId changed from 'listPets' to 'getPets'"]]);
    onRev(f[0]!, rev, 'operationId: getPets');
    expect(summary(diff(pets('      operationId: listPets\n'), pets('')).findings)).toEqual([['api-operation-id-removed', 'info', 'GET /pets']]);
    expect(summary(diff(pets(''), pets('      operationId: listPets\n')).findings)).toEqual([['api-operation-id-added', 'info', 'GET /pets']]);
  });

  it('an endpoint removed: without deprecation, after it, before its sunset, after its sunset', () => {
    const api = (get: string | undefined) =>
      doc(`  /v1/pets:
${get === undefined ? '' : `    get:\n${get}      responses:\n        '200': {description: ok}\n`}    post:
      responses:
        '201': {description: ok}
`);
    const removed = (get: string) => {
      const base = api(get);
      const f = diff(base, api(undefined)).findings;
      for (const x of f) onBase(x, base, 'get:');
      return summary(f);
    };
    expect(removed('')).toEqual([['api-removed-without-deprecation', 'error', 'GET /v1/pets']]);
    expect(removed('      deprecated: true\n')).toEqual([['api-removed-with-deprecation', 'info', 'GET /v1/pets']]);
    expect(removed("      deprecated: true\n      x-sunset: '2026-12-01'\n")).toEqual([['api-removed-before-sunset', 'error', 'GET /v1/pets']]);
    expect(removed("      deprecated: true\n      x-sunset: '2026-01-01'\n")).toEqual([]);
  });

  it('a whole path removed: its deprecated operation past sunset is fine, the other one is not', () => {
    const rest = `  /v2/x:
    get:
      responses:
        '200': {description: ok}
`;
    const base = doc(`  /v1/legacy:
    get:
      deprecated: true
      x-sunset: '2026-05-01'
      responses:
        '200': {description: ok}
    delete:
      responses:
        '204': {description: ok}
${rest}`);
    expect(summary(diff(base, doc(rest)).findings)).toEqual([['api-path-removed-without-deprecation', 'error', 'DELETE /v1/legacy']]);
  });

  it('deprecation judged against --deprecation-days-stable and --deprecation-days-beta', () => {
    const soon = "      deprecated: true\n      x-sunset: '2026-07-01'\n";
    const f = diff(pets(''), pets(soon)).findings;
    expect(summary(f)).toEqual([['api-sunset-date-too-small', 'error', 'GET /pets']]);
    expect(f[0]!.message).toContain('30 days from today; stable elements need at least 180');
    expect(summary(diff(pets(''), pets(soon), { deprecationDaysStable: 20 }).findings)).toEqual([['endpoint-deprecated-with-sunset', 'info', 'GET /pets']]);
    const beta = '      x-stability-level: beta\n';
    const betaSoon = `${beta}      deprecated: true\n      x-sunset: '2026-06-21'\n`;
    expect(summary(diff(pets(beta), pets(betaSoon)).findings)).toEqual([['api-sunset-date-too-small', 'error', 'GET /pets']]);
    expect(summary(diff(pets(beta), pets(betaSoon), { deprecationDaysBeta: 14 }).findings)).toEqual([['endpoint-deprecated-with-sunset', 'info', 'GET /pets']]);
    expect(summary(diff(pets(''), pets('      deprecated: true\n'), { deprecationDaysStable: 0 }).findings)).toEqual([['endpoint-deprecated', 'info', 'GET /pets']]);
    expect(summary(diff(pets("      deprecated: true\n      x-sunset: '2027-06-01'\n"), pets(soon)).findings)).toEqual([['api-sunset-date-changed-too-small', 'error', 'GET /pets']]);
  });

  it('x-stability-level: a decrease is reported, breaks inside an alpha operation and a draft removal are not', () => {
    const api = (level: string, prop = 'id') =>
      doc(`  /pets:
    get:
${level ? `      x-stability-level: ${level}\n` : ''}      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, required: [${prop}], properties: {${prop}: {type: string}}}
`);
    const rev = api('alpha', 'uid');
    const f = diff(api('beta'), rev).findings;
    expect(summary(f)).toEqual([['api-stability-decreased', 'error', 'GET /pets']]);
    onRev(f[0]!, rev, 'x-stability-level: alpha');
    expect(diff(api('alpha'), api('alpha', 'uid')).findings).toEqual([]);
    const other = doc(`  /other:\n    get:\n      responses:\n        '200': {description: ok}\n`);
    expect(summary(diff(api('draft') + other.split('paths:\n')[1], other).findings)).toEqual([]);
  });
});

describe('already right: Swagger 2.0', () => {
  const sw = (op: string, consumes = '[application/json]') => `swagger: '2.0'
info: {title: t, version: '1'}
consumes: ${consumes}
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, type: string}
    put:
${op}      responses:
        '200': {description: ok}
`;
  const body = (required: boolean) => `      parameters:\n        - {name: body, in: body, required: ${required}, schema: {type: object}}\n`;

  it('a body parameter made required, the path parameter renamed, a global consumes type dropped', () => {
    const rev = sw(body(true));
    const f = diff(sw(body(false)), rev).findings;
    expect(summary(f)).toEqual([['request-body-became-required', 'error', 'PUT /pets/{petId}']]);
    onRev(f[0]!, rev, '- {name: body');
    expect(diff(sw(body(false)), sw(body(false)).replace(/petId/g, 'id')).findings).toEqual([]);
    expect(summary(diff(sw(body(false), '[application/json, application/xml]'), sw(body(false))).findings)).toEqual([['request-body-media-type-removed', 'error', 'PUT /pets/{petId}']]);
  });

  it('a required formData file added is a new required multipart property', () => {
    const form = (extra: string) => sw(`      consumes: [multipart/form-data]\n      parameters:\n        - {name: note, in: formData, type: string}\n${extra}`);
    const rev = form('        - {name: file, in: formData, type: file, required: true}\n');
    const f = diff(form(''), rev).findings;
    expect(summary(f)).toEqual([['new-required-request-property', 'error', 'PUT /pets/{petId}']]);
    onRev(f[0]!, rev, '- {name: file');
  });
});
