/**
 * The design gate on inputs it had not seen: styles real specs are written in (operations kept in
 * other files, Box's `path#variant` keys, versioned schema names, 3.1 binary bodies), large JSON
 * specs, PRDs as editors save them (CR line endings, setext and indented headings, UTF-16, binary,
 * huge), and hostile specs. Each test below the "regressions" line failed before its fix.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { writeFileSync as writeBytes } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../../src/breaking/spec/load.js';
import { DEFAULT_OPTIONS } from '../../src/design/config.js';
import { lintSpec } from '../../src/design/lint.js';
import { checkPrd } from '../../src/design/prd.js';
import { runDesign } from '../../src/design/run.js';
import { InputError } from '../../src/kit/errors.js';
import type { Finding } from '../../src/kit/result.js';
import { cleanup, FILLED_PRD, folder, lineOf, ROOT } from './helpers.js';

afterAll(cleanup);

const HERE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'qa-unseen');
const OPS = ['GET /widgets', 'POST /widgets', 'GET /widgets/{widgetId}', 'DELETE /widgets/{widgetId}', 'GET /health-checks/liveness'];

function lint(spec: string, name = 'openapi.yaml', extra: Record<string, string> = {}): Finding[] {
  const dir = folder({ [name]: spec, ...extra });
  return runDesign({ spec: name, cwd: dir, failOn: 'never' }).findings;
}

const ids = (fs: Finding[]) => fs.map((f) => f.id);

/** A clean 3.x spec around `paths` (YAML, indented by four), with a Problem response to `$ref`. */
function spec(paths: string, version = '3.0.3', components = ''): string {
  return `openapi: ${version}
info: { title: t, version: '1' }
security: [{ bearer: [] }]
paths:
${paths}
components:
  securitySchemes: { bearer: { type: http, scheme: bearer } }
  responses:
    Problem:
      description: a problem
      content: { application/problem+json: { schema: { type: object } } }
${components}`;
}

const OK_RESPONSES = `      responses:
        '200': { description: ok, content: { application/json: { schema: { type: object } } } }
        '400': { $ref: '#/components/responses/Problem' }`;

// ------------------------------------------------------------------------------------ regressions

describe('operations written as a $ref to another file (DigitalOcean)', () => {
  const r = runDesign({ spec: path.join(HERE, 'op-ref/openapi.yaml'), cwd: ROOT, failOn: 'never' });

  test('are linted as the operation they point at: no missing operationId, summary, 4xx or path parameter', () => {
    expect(new Set(ids(r.findings))).toEqual(new Set(['parameter-name-case']));
    expect(r.metrics).toMatchObject({ operations: 2, 'unused components': 0 });
  });

  test('findings land in the file the operation is written in, on the line', () => {
    const f = r.findings.find((x) => x.operation === 'DELETE /v2/droplets/{droplet_id}')!;
    expect(f.location).toEqual({ file: 'test/design/qa-unseen/op-ref/operations/parameters.yml', line: 6 });
  });

  test("the operation's own security counts (its scheme is used, not reported unused)", () => {
    expect(r.findings.filter((f) => f.id === 'component-unused')).toEqual([]);
  });
});

describe('a large JSON spec', () => {
  // 1,500 operations, each with findings: one JSON scan per finding took ~8 s on Stripe's and GitHub's specs.
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < 1500; i++) {
    paths[`/things_${i}/{thing_id}`] = {
      get: {
        operationId: i % 2 ? `op${i}` : 'dup',
        parameters: [{ name: 'thing_id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok' }, default: { description: 'e', content: { 'application/json': { schema: {} } } } },
      },
    };
  }
  const text = JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths }, null, 2);

  test('looks up all finding lines in one pass per file', () => {
    const dir = folder({ 'big.json': text });
    const loaded = loadSpec('big.json', { cwd: dir });
    let calls = 0;
    const lines = loaded.root.lines;
    (loaded.root as { lines: typeof lines }).lines = (p) => {
      calls++;
      return lines(p);
    };
    const out = lintSpec(loaded, DEFAULT_OPTIONS);
    expect(out.findings.length).toBeGreaterThan(7000);
    expect(calls).toBeLessThanOrEqual(2); // the findings, and the first use of each duplicated operationId
    const dup = out.findings.find((f) => f.id === 'operation-id-duplicate')!;
    expect(dup.message).toContain(`(line ${lineOf(text, /"operationId": "dup"/)})`);
    const summary = out.findings.find((f) => f.id === 'operation-summary-missing' && f.operation === 'GET /things_7/{thing_id}')!;
    expect(summary.location?.line).toBe(lineOf(text, /"get": \{/, lineOf(text, /"\/things_7\/\{thing_id\}"/) - 1));
    // No security anywhere: one finding for the document (on `paths`), not 1,500.
    const missing = out.findings.filter((f) => f.id === 'security-missing');
    expect(missing.map((f) => [f.operation, f.location?.line, f.data])).toEqual([[undefined, lineOf(text, /"paths": \{/), { operations: 1500 }]]);
    expect(missing[0]!.message).toMatch(/^no operation has a security requirement and the document has none \(1500 operations\)/);
  });
});

describe('path keys with a #variant or ?query (Box: /oauth2/token#refresh)', () => {
  const findings = lint(
    spec(`  /oauth2/token#refresh:
    post:
      operationId: refreshToken
      summary: Refresh
${OK_RESPONSES}
  /files/{fileId}/content?version={version}:
    get:
      operationId: download
      summary: Download
      parameters:
        - { name: fileId, in: path, required: true, schema: { type: string } }
        - { name: version, in: query, schema: { type: string } }
${OK_RESPONSES}
  /oauth2/Token#revoke:
    post:
      operationId: revokeToken
      summary: Revoke
${OK_RESPONSES}`),
  );

  test('the suffix is not a path segment: only the real segment is judged, the fix keeps the suffix out', () => {
    const kebab = findings.filter((f) => f.id === 'path-segment-not-kebab-case');
    expect(kebab.map((f) => f.message)).toEqual(["path '/oauth2/Token#revoke': segment 'Token' is not kebab-case (write 'token')"]);
  });

  test('a {param} in the query part is not a path parameter', () => {
    expect(findings.filter((f) => f.id === 'path-parameter-mismatch')).toEqual([]);
  });

  test('the PRD may list the endpoint without the suffix', () => {
    const prd = FILLED_PRD.replace('| GET /widgets | list a shop\'s widgets | new |', '| POST /oauth2/token | refresh a token | new |');
    const r = checkPrd(prd, 'PRD.md', [...OPS, 'POST /oauth2/token#refresh']);
    expect(r.findings).toEqual([]);
  });
});

describe('schema names', () => {
  const findings = lint(
    spec(
      `  /pets:
    get:
      operationId: listPets
      summary: List
${OK_RESPONSES}`,
      '3.0.3',
      `  schemas:
    Pet.v2: { type: object }
    Billing.Invoice: { type: object }
    Pet2: { type: object }
    OAuth2Token: { type: object }
    HTTPStatus: { type: object }
    Pet.V1beta1: { type: object }
    api.v2010.account: { type: object }
    pet.v2: { type: object }`,
    ),
  ).filter((f) => f.id === 'schema-name-not-pascal-case');

  test('versioned and namespaced names (Pet.v2, Billing.Invoice) and digits or acronyms are PascalCase', () => {
    expect(findings.map((f) => f.message)).toEqual([
      "schema 'api.v2010.account' is not PascalCase (write 'Api.v2010.Account')",
      "schema 'pet.v2' is not PascalCase (write 'Pet.v2')",
    ]);
  });
});

describe('binary bodies', () => {
  const binary = (version: string) =>
    lint(
      spec(
        `  /avatars/{avatarId}:
    get:
      operationId: getAvatar
      summary: Avatar
      parameters: [{ name: avatarId, in: path, required: true, schema: { type: string } }]
      responses:
        '200':
          description: the image
          content:
            image/png: {}
            application/octet-stream: {}
        '404': { $ref: '#/components/responses/Problem' }`,
        version,
      ),
    );

  test('OpenAPI 3.1 describes binary content by its media type alone: no schema needed', () => {
    expect(binary('3.1.0')).toEqual([]);
  });

  test('3.0 needs one, and the message says which', () => {
    const [f, ...rest] = binary('3.0.3');
    expect(rest).toEqual([]);
    expect(f!.message).toBe('GET /avatars/{avatarId}: 200 response has no schema for image/png, application/octet-stream (binary content: schema: {type: string, format: binary})');
  });
});

describe('messages say what to do', () => {
  test('an error response in another format names the option that accepts it', () => {
    const [f] = lint(
      spec(`  /articles:
    get:
      operationId: listArticles
      summary: List
      responses:
        '200': { description: ok, content: { application/vnd.api+json: { schema: { type: object } } } }
        4XX: { description: errors, content: { application/vnd.api+json: { schema: { type: object } } } }`),
    );
    expect(f!.message).toBe(
      'GET /articles: 4XX response is application/vnd.api+json, not application/problem+json (RFC 9457 problem details): return problem details, or add your error format to options.error-media-types in the rules file',
    );
  });

  test('optional auth from the document-wide security reads in one parenthesis', () => {
    const text = spec(`  /items:
    get:
      operationId: listItems
      summary: Items
${OK_RESPONSES}`).replace('security: [{ bearer: [] }]', 'security: [{}, { bearer: [] }]');
    const [f] = lint(text);
    expect(f!.message).toBe(
      'GET /items: can be called without credentials (an empty {} alternative in the document-wide security) but is not marked x-public: true: mark it if it is public on purpose, else require a scheme',
    );
  });

  test('a 202 without a body is not told to answer 204', () => {
    const [f] = lint(
      spec(`  /jobs:
    post:
      operationId: startJob
      summary: Start
      responses:
        '202': { description: accepted }
        '400': { $ref: '#/components/responses/Problem' }`),
    );
    expect(f!.message).not.toContain('204');
    expect(f!.message).toContain('202');
  });
});

describe('PRDs as editors and writers save them', () => {
  const sections = (text: string) => checkPrd(text, 'PRD.md', OPS);

  test('old Mac CR line endings: every section found, lines right', () => {
    const r = sections(FILLED_PRD.replace(/\n/g, '\r'));
    expect(r.findings).toEqual([]);
    expect(r.sections.find((s) => s.title === 'Endpoints')!.line).toBe(lineOf(FILLED_PRD, /^## Endpoints/));
  });

  test('setext headings (Title over --- or ===) are sections; the heading line is the title line', () => {
    const setext = FILLED_PRD.replace(/^## (.*)$/gm, (_, t: string) => `${t}\n${'-'.repeat(t.length)}`).replace(/^# (.*)$/m, (_, t: string) => `${t}\n===`);
    const r = sections(setext);
    expect(r.findings).toEqual([]);
    expect(r.sections.every((s) => s.status === 'filled')).toBe(true);
    expect(r.sections[0]!.line).toBe(lineOf(setext, /^Problem$/));
  });

  test('a setext heading does not leave its title line in the previous section', () => {
    // The Problem paragraph gone, Consumers written as a setext heading right under it.
    const text = FILLED_PRD.replace(/## Problem\n\n[^\n]+\n\n## Consumers\n/, '## Problem\n\nConsumers\n---------\n');
    const r = sections(text);
    expect(r.sections.find((x) => x.title === 'Consumers')).toEqual({ title: 'Consumers', line: lineOf(text, /^Consumers$/), status: 'filled' });
    expect(r.findings).toEqual([
      { id: 'prd-section-empty', level: 'error', message: "section 'Problem' is empty", location: { file: 'PRD.md', line: lineOf(text, /^## Problem/) } },
    ]);
  });

  test('headings indented by up to three spaces are headings', () => {
    expect(sections(FILLED_PRD.replace(/^## /gm, '   ## ')).findings).toEqual([]);
  });

  test("'##Problem' (no space) or '### Problem': the missing-section finding points at it and says why", () => {
    const text = FILLED_PRD.replace('## Problem', '##Problem').replace('## Consumers', '### Consumers');
    const r = sections(text);
    expect(r.findings.map((f) => [f.message, f.location?.line])).toEqual([
      ["section '## Problem' is missing: '##Problem' on line 5 is not a heading: put a space after the #s", lineOf(text, /^##Problem/)],
      ["section '## Consumers' is missing: '### Consumers' on line 9 is a level-3 heading: required sections are '## ' headings", lineOf(text, /^### Consumers/)],
    ]);
  });

  test('a horizontal rule alone is not content', () => {
    const text = FILLED_PRD.replace(/## Problem\n\n[^\n]+\n/, '## Problem\n\n---\n');
    expect(ids(sections(text).findings)).toEqual(['prd-section-empty']);
  });

  test('a UTF-16 PRD (with its byte order mark) is read as text', () => {
    const dir = folder({});
    const prd = path.join(dir, 'PRD.md');
    writeBytes(prd, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FILLED_PRD, 'utf16le')]));
    const r = runDesign({ spec: path.join(ROOT, 'templates/API-spec-openapi.yaml'), prd: 'PRD.md', cwd: dir });
    expect(r.findings).toEqual([]);
    const be = Buffer.from(FILLED_PRD, 'utf16le').swap16();
    writeBytes(prd, Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    expect(runDesign({ spec: path.join(ROOT, 'templates/API-spec-openapi.yaml'), prd: 'PRD.md', cwd: dir }).findings).toEqual([]);
  });

  test('a binary PRD or rules file is bad input naming the file and field, not six missing sections', () => {
    const dir = folder({});
    writeBytes(path.join(dir, 'PRD.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    writeBytes(path.join(dir, 'rules.yaml'), Buffer.from([0, 0xff, 0xfe, 0]));
    const spec_ = path.join(ROOT, 'templates/API-spec-openapi.yaml');
    expect(() => runDesign({ spec: spec_, prd: 'PRD.md', cwd: dir })).toThrow(new InputError("prd: 'PRD.md' is not a text file (it holds NUL bytes): expected a markdown PRD saved as UTF-8"));
    expect(() => runDesign({ spec: spec_, rules: 'rules.yaml', cwd: dir })).toThrow(/^rules: 'rules.yaml' is not a text file/);
  });

  test('a PRD over the size limit is bad input, read no further', () => {
    const dir = folder({});
    writeBytes(path.join(dir, 'PRD.md'), Buffer.alloc(10 * 1024 * 1024 + 1, 'a') /* the limit, documented in docs/design.md */);
    expect(() => runDesign({ spec: path.join(ROOT, 'templates/API-spec-openapi.yaml'), prd: 'PRD.md', cwd: dir })).toThrow(
      new InputError("prd: 'PRD.md' is 10.0 MB, over the 10 MB limit: expected a markdown PRD"),
    );
  });
});

// ------------------------------------------------------------------------- guards (held already)

describe('bad specs: exit 2 naming the file, never a crash, hang or fetch', () => {
  const bad = (text: string, name = 'openapi.yaml') => {
    try {
      lint(text, name);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error('no InputError');
  };

  test('malformed YAML: file, line and column', () => {
    expect(bad("openapi: 3.0.3\ninfo: {title: x, version: '1'\npaths: {}\n")).toMatch(/^openapi\.yaml:3:1: not valid YAML or JSON/);
  });

  test('a $ref cycle and a missing $ref target', () => {
    const cycle = spec(`  /a:
    get:
      responses:
        '200': { $ref: '#/components/responses/A' }`).replace('    Problem:\n', '    A: { $ref: "#/components/responses/B" }\n    B: { $ref: "#/components/responses/A" }\n    Problem:\n');
    expect(bad(cycle)).toMatch(/^openapi\.yaml at \/paths\/~1a\/get\/responses\/200: \$ref cycle/);
    expect(bad(spec(`  /a:\n    get:\n      responses:\n        '200': { $ref: '#/components/responses/Nope' }`))).toMatch(
      /^openapi\.yaml at \/paths\/~1a\/get\/responses\/200: \$ref '#\/components\/responses\/Nope' points at nothing/,
    );
  });

  test('a $ref to http://… is refused and not fetched', async () => {
    let hits = 0;
    const server = createServer((_, res) => {
      hits++;
      res.end('openapi: 3.0.3');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const msg = bad(spec(`  /a:\n    get:\n      responses:\n        '200': { $ref: 'http://127.0.0.1:${port}/evil.yaml#/R' }`));
      expect(msg).toContain('is a URL; not fetched');
      expect(hits).toBe(0);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('a YAML alias bomb is refused', () => {
    let aliases = 'x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 10; i++) aliases += `x-${i}: &a${i} [${Array(9).fill(i === 1 ? '*a' : `*a${i - 1}`).join(', ')}]\n`;
    expect(bad(`openapi: 3.0.3\ninfo: {title: x, version: '1'}\n${aliases}paths: {}\n`)).toMatch(/alias bomb/);
  });

  test('__proto__ and constructor as path, operationId, parameter, scheme and schema names are plain names', () => {
    const findings = lint(
      spec(
        `  /__proto__/{constructor}:
    get:
      operationId: constructor
      summary: c
      parameters:
        - { name: constructor, in: path, required: true, schema: { type: string } }
        - { name: __proto__, in: query, schema: { type: string } }
      security: [{ __proto__: [] }]
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/__proto__' } } } }
        '400': { $ref: '#/components/responses/Problem' }`,
        '3.0.3',
        `  schemas:
    __proto__: { type: object, properties: { constructor: { $ref: '#/components/schemas/constructor' } } }
    constructor: { type: object }`,
      ).replace('securitySchemes: {', 'securitySchemes: { __proto__: { type: http, scheme: basic },'),
    );
    expect(findings.map((f) => f.message).sort()).toEqual([
      "GET /__proto__/{constructor}: query parameter '__proto__' is not camelCase (write 'proto')",
      "path '/__proto__/{constructor}': segment '__proto__' is not kebab-case (write 'proto')",
      "schema '__proto__' is not PascalCase (write 'Proto')",
      "schema 'constructor' is not PascalCase (write 'Constructor')",
    ]);
  });

  test('a rules file with wrong types names the field', () => {
    const run = (rules: string) => () => runDesign({ spec: path.join(ROOT, 'templates/API-spec-openapi.yaml'), rules: 'r.yaml', cwd: folder({ 'r.yaml': rules }) });
    expect(run('rules: [a, b]\n')).toThrow("r.yaml: rules: expected a mapping of rule id to error, warning, info or off");
    expect(run('rules:\n  component-unused: 3\n')).toThrow('r.yaml: rules.component-unused: 3 is not one of error, warning, info, off');
    expect(run('options:\n  parameter-case: 5\n')).toThrow('r.yaml: options.parameter-case: 5 is not one of camelCase, snake_case, kebab-case');
    expect(run('options:\n  error-media-types: [application/problem+json, 7]\n')).toThrow('r.yaml: options.error-media-types[1]: 7 is not a media type');
    expect(run('rules:\n  __proto__: off\n')).toThrow("r.yaml: rules.__proto__: unknown rule id '__proto__'");
  });

  test('CRLF PRDs and closing #s on headings', () => {
    expect(checkPrd(FILLED_PRD.replace(/\n/g, '\r\n'), 'PRD.md', OPS).findings).toEqual([]);
    expect(checkPrd(FILLED_PRD.replace(/^(## .*)$/gm, '$1 ##'), 'PRD.md', OPS).findings).toEqual([]);
  });
});
