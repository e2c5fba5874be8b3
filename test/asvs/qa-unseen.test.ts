/**
 * QA on checklists and APIs as security teams actually have them: tables with other column names and
 * order, GFM delimiter rows with one hyphen, pipe-less rows, statuses in other words (✅, Not
 * applicable, N/A with the reason in the cell, partial), `ASVS version: 5.0`, evidence links with
 * spaces and heading anchors, rows above the target level left blank; and tiny live servers on
 * 127.0.0.1 with duplicated headers, a 401/403/404 refusal, an unusable Retry-After, and stack traces
 * in Spring/Laravel JSON and Werkzeug/Django/ASP.NET HTML error pages. Most cases failed on the old code;
 * the others (plain `Pass`, a 401/403 refusal, a breaking change as a minor…) guard what already worked.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseChecklist } from '../../src/asvs/checklist.js';
import { findStackTrace } from '../../src/asvs/probe/stack-trace.js';
import { runAsvs, type AsvsInputs } from '../../src/asvs/run.js';
import { requiredAt, requirementsOf } from '../../src/asvs/standard.js';
import { verifyChecklist } from '../../src/asvs/verify.js';
import { cleanup, repo } from './helpers.js';

afterAll(cleanup);

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'qa-unseen');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const L1 = requiredAt('5.0.0', 1);
const FILES = {
  'src/auth.ts': Array.from({ length: 30 }, (_, i) => `// line ${i + 1}`).join('\n') + '\n',
  'docs/Security Review.md': '# Security review\n\n## Token storage\n\nTokens live in memory only.\n\n## Token storage\n',
};
/** Every level-1 row as a justified n/a except the ones given: `| id | 1 | n/a | | reason |`. */
function rows(over: Record<string, string> = {}): string[] {
  return L1.map((r) => over[r.id] ?? `| ${r.id} | 1 | n/a | | not applicable here |`);
}
function table(lines: string[], head = 'ASVS version: 5.0.0\nTarget level: 1\n', header = '| ID | Level | Status | Evidence | Notes |\n|---|---|---|---|---|'): string {
  return `# Security checklist\n\n${head}\n${header}\n${lines.join('\n')}\n`;
}
function verify(text: string, file = 'SEC.md', root = repo(FILES)) {
  return verifyChecklist(parseChecklist(text, file), { root });
}
const brief = (r: { findings: { id: string; level: string }[] }) => r.findings.map((f) => `${f.level} ${f.id}`);
const T = 'v5.0.0-6.2.1';
const ABOVE = [...requirementsOf('5.0.0').values()].filter((r) => r.level === 2).map((r) => r.id);

describe('checklists as teams write them', () => {
  test.each([
    ['Pass', 'pass'],
    ['✅', 'pass'],
    ['✅ Pass', 'pass'],
    ['Yes', 'pass'],
    ['❌', 'fail'],
    ['Not applicable', 'n/a'],
    ['N/A - no passwords: bearer tokens only', 'n/a'],
    ['N/A (no UI)', 'n/a'],
    ['Not tested', 'todo'],
  ])('status %j is read as %s', (word, status) => {
    const over = { [T]: `| ${T} | 1 | ${word} | src/auth.ts#L10-L20 | our reason |` };
    const r = verify(table(rows(over)));
    const expected = status === 'fail' ? ['error asvs-requirement-failed'] : status === 'todo' ? ['error asvs-requirement-todo'] : [];
    expect(brief(r)).toEqual(expected);
  });

  test('N/A without any reason still fails; with the reason in the status cell it passes', () => {
    expect(brief(verify(table(rows({ [T]: `| ${T} | 1 | N/A | | |` }))))).toEqual(['error asvs-justification-missing']);
    expect(brief(verify(table(rows({ [T]: `| ${T} | 1 | N/A: SSO only, no passwords | | |` }))))).toEqual([]);
  });

  test('partial is not a status: it fails, and the message says what to write instead', () => {
    const r = verify(table(rows({ [T]: `| ${T} | 1 | partial | src/auth.ts | half done |` })));
    expect(brief(r)).toEqual(['error asvs-invalid-status']);
    expect(r.findings[0]!.message).toMatch(/partly met is not met: mark it fail \(or todo/);
  });

  test('an unknown status word names the words that are accepted', () => {
    const r = verify(table(rows({ [T]: `| ${T} | 1 | maybe | src/auth.ts | |` })));
    expect(r.findings[0]!.message).toMatch(/also accepted: pass\/yes\/✅, fail\/no\/❌, n\/a\/not applicable, todo\/not tested/);
  });

  test('delimiter rows with fewer than three hyphens, and rows without outer pipes, are tables (GFM)', () => {
    expect(brief(verify(table(rows(), undefined, '| ID | Level | Status | Evidence | Notes |\n|-|-|:--|--|--|')))).toEqual([]);
    const bare = L1.map((r) => `${r.id} | 1 | n/a |  | not applicable here`);
    expect(brief(verify(table(bare, undefined, 'ID | Level | Status | Evidence | Notes\n---|---|---|---|---')))).toEqual([]);
  });

  test('columns in another order, with other names and extra columns', () => {
    const r = verify(fixture('reordered.md'));
    expect(brief(r)).toEqual([]);
    expect(r.metrics).toMatchObject({ pass: 1, 'n/a': 69, missing: 0 });
  });

  test('"ASVS version: 5.0" (markdown) and asvs-version: 5.0 (YAML, a number to YAML) mean 5.0.0; "4.0" says which to write', () => {
    expect(brief(verify(table(rows(), 'ASVS version: 5.0\nTarget level: 1\n')))).toEqual([]);
    const yaml = `asvs-version: 5.0\nlevel: 1\nrequirements:\n${L1.map((r) => `  - {id: ${r.id}, level: 1, status: N/A, notes: none}`).join('\n')}\n`;
    expect(brief(verify(yaml, 'sec.yml'))).toEqual([]);
    expect(() => verify(table(rows(), 'ASVS version: 4.0\nTarget level: 1\n'))).toThrow(/'4\.0' could be 4\.0\.1, 4\.0\.2 or 4\.0\.3: write 4\.0\.3/);
  });

  test('the YAML checklist of the fixture (statuses in other words, evidence lists) passes', () => {
    const r = verify(fixture('checklist.yml'), 'checklist.yml');
    expect(brief(r)).toEqual([]);
    expect(r.metrics).toMatchObject({ pass: 2, missing: 0 });
  });

  test('a bare id (V6.2.1, 6.2.1) is one clear error on its row, not also "missing"', () => {
    for (const id of ['V6.2.1', '6.2.1']) {
      const r = verify(table(rows({ [T]: `| ${id} | 1 | pass | src/auth.ts | |` })));
      expect(brief(r)).toEqual(['error asvs-invalid-id']);
      expect(r.findings[0]!.message).toMatch(/write it with its version, e\.g\. v5\.0\.0-6\.2\.1 \(a bare id is ambiguous/);
    }
  });

  test('rows above the target level: blank is fine; other slips warn instead of failing the gate', () => {
    const [a, b, c, d, e] = ABOVE;
    const extra = [`| ${a} | 2 |  |  |  |`, `| ${b} | 2 | n/a |  |  |`, `| ${c} | 2 | pass |  |  |`, `| ${d} | 2 | pass | src/gone.ts | |`, `| ${e} | 2 | finished | | |`];
    const r = verify(table([...rows(), ...extra]));
    expect(brief(r)).toEqual(['warning asvs-justification-missing', 'warning asvs-evidence-missing', 'warning asvs-evidence-not-found', 'warning asvs-invalid-status']);
    expect(r.findings.every((f) => /above level 1|gone\.ts/.test(f.message))).toBe(true);
    // A path out of the repository is refused at every level.
    const out = verify(table([...rows(), `| ${a} | 2 | pass | ../../etc/passwd | |`]));
    expect(brief(out)).toEqual(['error asvs-evidence-outside-repo']);
  });

  test('a pass row above the target level citing a failed probe warns (as the docs say), a required one fails', () => {
    const list = parseChecklist(table([...rows({ 'v5.0.0-8.2.1': '| v5.0.0-8.2.1 | 1 | pass | probe:auth | |' }), `| ${ABOVE[0]} | 2 | pass | probe:auth | |`]), 'SEC.md');
    const r = verifyChecklist(list, { root: repo(), probes: [{ id: 'probe:auth', status: 'fail', detail: 'GET /x: answered 200' }] });
    expect(r.findings.map((f) => [f.id, f.level, f.location?.line])).toEqual([
      ['asvs-requirement-failed', 'error', expect.any(Number)],
      ['asvs-requirement-failed', 'warning', 8 + L1.length],
    ]);
  });

  test('evidence: a link with spaces (percent-encoded or <angled>), a heading anchor, a directory, a GitHub URL', () => {
    const ok = [
      '[review](docs/Security%20Review.md)',
      '[review](<docs/Security Review.md>)',
      '[storage](docs/Security%20Review.md#token-storage)',
      '[second](docs/Security%20Review.md#token-storage-1)',
      'src/',
      'https://github.com/acme/api/blob/main/src/auth.ts#L10-L20',
      './src/auth.ts#L10-L20',
    ];
    for (const ev of ok) expect([ev, brief(verify(table(rows({ [T]: `| ${T} | 1 | pass | ${ev} | |` }))))]).toEqual([ev, []]);
    const bad = verify(table(rows({ [T]: `| ${T} | 1 | pass | [x](docs/Security%20Review.md#no-such-heading), src/auth.ts#intro | |` })));
    expect(bad.findings.map((f) => f.message)).toEqual([
      expect.stringContaining("'docs/Security Review.md' has no heading or anchor '#no-such-heading'"),
      expect.stringContaining("'src/auth.ts#intro': the part after '#' must be a line (L12) or a range (L12-L20)"),
    ]);
  });

  test('a level-2 run with level-1 rows missing reports every missing requirement of both levels', async () => {
    const root = repo({ 'SEC.md': table(rows().slice(0, 10), 'ASVS version: 5.0.0\nTarget level: 2\n') });
    const r = await runAsvs({ checklist: 'SEC.md', cwd: root });
    expect(r.verdict).toBe('fail');
    const missing = r.findings.filter((f) => f.id === 'asvs-requirement-missing');
    expect(missing).toHaveLength(requiredAt('5.0.0', 2).length - 10);
    expect(missing.some((f) => /\(level 1,/.test(f.message))).toBe(true);
  });
});

// ── live probes ────────────────────────────────────────────────────────────────────────────

const SPEC = [
  'openapi: 3.0.3',
  'info: {title: t, version: "1"}',
  'security: [{bearer: []}]',
  'components: {securitySchemes: {bearer: {type: http, scheme: bearer}}}',
  'paths:',
  '  /items:',
  '    get: {responses: {"200": {description: ok}}}',
  '  /items/{id}:',
  '    get:',
  '      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]',
  '      responses: {"200": {description: ok}}',
].join('\n');

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
async function probeAgainst(handler: Handler, extra: Partial<AsvsInputs>) {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, ++n));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = repo({ 'api.yaml': SPEC });
  try {
    return await runAsvs({ mode: 'probe', openapi: path.join(dir, 'api.yaml'), baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't', rateLimitMax: '20', ...extra });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
const json = (res: ServerResponse, status = 200, headers: Record<string, string | string[]> = {}, body = '{}') => {
  res.writeHead(status, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
};

describe('probes against tiny servers', () => {
  test('headers with unusual casing, HSTS with preload, CSP report-only, and nosniff sent twice (proxy + app) pass', async () => {
    const r = await probeAgainst((req, res) => {
      res.setHeader('X-CONTENT-TYPE-OPTIONS', ['NoSniff', 'nosniff']);
      res.setHeader('strict-transport-security', 'max-age=63072000; includeSubDomains; preload');
      res.setHeader('Content-Security-Policy-Report-Only', "default-src 'none'");
      res.setHeader('Server', 'ECS (dcb/7F83)');
      res.writeHead(req.url === '/items' ? 200 : 404, { 'content-type': 'application/json' });
      res.end('{}');
    }, { probes: 'headers' });
    expect(brief(r)).toEqual([]);
    expect(r.verdict).toBe('pass');
  });

  test('a version in Server is still found; nosniff combined with another value is not nosniff', async () => {
    const r = await probeAgainst((_req, res) => json(res, 200, { 'x-content-type-options': 'nosniff, sniff', server: 'nginx/1.25.3' }), { probes: 'headers' });
    expect(brief(r).sort()).toEqual(['error asvs-header-nosniff-missing', 'error asvs-header-version-leak']);
  });

  test.each([
    ['Retry-After: 30', { 'retry-after': '30' }, []],
    ['Retry-After as an HTTP date', { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' }, []],
    ['RateLimit-Reset only', { 'ratelimit-reset': '30' }, []],
    ['no header', {}, ['error asvs-rate-limit-headers-missing']],
    ['Retry-After: soon', { 'retry-after': 'soon' }, ['error asvs-rate-limit-headers-missing']],
  ])('a 429 with %s', async (_what, headers, expected) => {
    const r = await probeAgainst((_req, res, n) => (n > 5 ? json(res, 429, headers as Record<string, string>) : json(res, 200, {}, '[]')), { probes: 'rate-limit' });
    expect(brief(r)).toEqual(expected);
    if (expected.length) expect(r.findings[0]!.message).toMatch(/limited at request 6 with 429/);
  });

  test.each([401, 403, 404])('auth: %i without credentials is a refusal (no warning)', async (status) => {
    const r = await probeAgainst((req, res) => (req.headers.authorization ? json(res) : json(res, status)), { probes: 'auth' });
    expect(brief(r)).toEqual([]);
    const auth = r.probes!.find((p) => p.id === 'probe:auth')!;
    expect(auth.status).toBe('pass');
    if (status === 404) expect(auth.detail).toContain('(all with 404: hidden from callers without credentials)');
  });

  test('auth: 200 without credentials still fails, 400 still warns', async () => {
    const r = await probeAgainst((req, res) => (req.url === '/items' ? json(res, 200) : json(res, 400)), { probes: 'auth' });
    expect(brief(r)).toEqual(['error asvs-auth-not-enforced', 'warning asvs-auth-unexpected-status']);
    expect(r.findings[1]!.message).toMatch(/expected 401, 403 or 404/);
  });

  test('error pages: a Spring JSON trace (\\tat frames) and an Express HTML page fail the probe', async () => {
    const spring = fixture('spring-error.json');
    const r = await probeAgainst((req, res) => (req.url!.includes('%E0') ? json(res, 400, {}, spring) : json(res, 200, {}, '[]')), { probes: 'error-leak' });
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(/with a Java stack trace in the body: 'at com\.acme\.web\.ItemController\.get\(ItemController\.java:42\)'/)]));
    const html = fixture('express-error.html');
    const h = await probeAgainst((req, res) => {
      if (!req.url!.includes('%E0')) return json(res, 200, {}, '[]');
      res.writeHead(500, { 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff' });
      res.end(html);
    }, { probes: 'error-leak' });
    expect(h.findings.map((f) => f.id)).toContain('asvs-error-stack-trace');
  });

  test.each([
    ['Java', 'spring-error.json'],
    ['PHP', 'laravel-error.json'],
    ['Node.js', 'node-escaped-slashes.json'],
    ['Node.js', 'express-error.html'],
    ['Python', 'werkzeug-error.html'],
    ['Python', 'django-error.html'],
    ['.NET', 'aspnet-error.html'],
  ])('stack trace found: %s in %s', (runtime, file) => {
    expect(findStackTrace(fixture(file))?.runtime).toBe(runtime);
  });

  test.each(['problem.json', 'clean-error.html'])('clean error body: %s', (file) => {
    expect(findStackTrace(fixture(file))).toBeUndefined();
  });
});
