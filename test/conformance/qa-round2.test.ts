/**
 * QA round 2: specs and servers written the way API teams write them, on what the first rounds did
 * not reach: parameter styles (matrix, label, exploded objects, delimited arrays, header arrays),
 * form, multipart and binary bodies, OAuth scopes and optional security, response ranges and
 * headers, encodings, int64 beyond 2^53, bodies too large, hanging servers and bad input. Each
 * server is a real HTTP server on 127.0.0.1 that is correct or has one planted defect: correct ones
 * must pass without findings, each defect must be found, clearly.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.js';
import { runConformanceGate, type ConformanceInputs } from '../../src/conformance/run.js';
import { cleanup, json, ROOT, serve, writeTemp, type TestServer } from './helpers.js';

afterAll(cleanup);

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'qa-round2');

type Handler = (req: IncomingMessage, res: ServerResponse, body: string, url: URL) => void;

function problem(res: ServerResponse, status: number, detail: string): void {
  json(res, status, { type: 'about:blank', title: 'Request refused', status, detail }, 'application/problem+json');
}

/** Start a server for `handler`; the caller closes it. */
function start(handler: Handler): Promise<TestServer> {
  return serve((req, res, body) => handler(req, res, body, new URL(req.url ?? '/', 'http://x')));
}

/** Run the gate on a fixture against a server; the server is closed afterwards. */
async function gate(fixture: string, handler: Handler, inputs: Partial<ConformanceInputs> = {}) {
  const server = await start(handler);
  try {
    const result = await runConformanceGate({ openapi: path.join(FIXTURES, fixture), baseUrl: server.url, stateful: true, casesPerOperation: '10', ...inputs });
    return { result, server, lines: result.findings.map((f) => `${f.id}: ${f.message.split('\n')[0]}`) };
  } finally {
    await server.close();
  }
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['conformance', ...argv], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const ints = (s: string, sep: string) => s !== '' && s.split(sep).every((x) => /^\d+$/.test(x));

// --- servers -------------------------------------------------------------------------------------

/** Parses every parameter the way the OpenAPI style table writes it, from the raw path and headers. */
const stylesApi: Handler = (req, res, body, u) => {
  let m: RegExpExecArray | null;
  const ok = () => json(res, 200, { ok: true });
  if ((m = /^\/products\/;id=(\d+)$/.exec(u.pathname))) return +m[1]! >= 1 ? ok() : problem(res, 400, 'id below 1');
  if ((m = /^\/shelves\/\.([A-Z]{2}[0-9])$/.exec(u.pathname))) return ok();
  if ((m = /^\/bundles\/((?:;ids=\d+)+)$/.exec(u.pathname))) {
    const ids = m[1]!.split(';ids=').slice(1);
    return ids.length <= 4 && ids.every((x) => +x >= 1) ? ok() : problem(res, 400, 'ids');
  }
  if ((m = /^\/owners\/(.+)$/.exec(u.pathname))) {
    const pairs = Object.fromEntries(m[1]!.split(',').map((kv) => kv.split('=')));
    const keys = Object.keys(pairs).sort().join();
    if (keys !== 'role,team' || !['admin', 'member'].includes(pairs.role!) || !/^\d+$/.test(pairs.team!) || +pairs.team! < 1 || +pairs.team! > 99) {
      return problem(res, 400, `owner must be role=…,team=…, got ${m[1]}`);
    }
    return ok();
  }
  if (u.pathname === '/search') {
    const q = u.searchParams;
    const tags = q.getAll('tag');
    if (tags.length > 3 || tags.some((t) => t === '' || t.length > 12)) return problem(res, 400, 'tag');
    if (q.getAll('ids').length > 1 || (q.has('ids') && !ints(q.get('ids')!, ','))) return problem(res, 400, `ids must be comma-separated integers, got ${q.getAll('ids')}`);
    if (q.has('sizes') && !(ints(q.get('sizes')!, ' ') && q.get('sizes')!.split(' ').every((x) => +x <= 50))) return problem(res, 400, `sizes: '${q.get('sizes')}'`);
    if (q.has('codes') && !q.get('codes')!.split('|').every((c) => c === 'red' || c === 'blue')) return problem(res, 400, `codes: '${q.get('codes')}'`);
    for (const k of q.keys()) if (!['tag', 'ids', 'sizes', 'codes'].includes(k)) return problem(res, 400, `unknown parameter ${k}`);
    return ok();
  }
  if (u.pathname === '/reports') {
    if (!ints(String(req.headers['x-ids'] ?? ''), ',')) return problem(res, 400, 'X-Ids must be comma-separated integers');
    const f = req.headers['x-filter'];
    if (f !== undefined && !/^status=(open|closed)$/.test(String(f))) return problem(res, 400, `X-Filter must be status=open or status=closed, got ${String(f)}`);
    return ok();
  }
  problem(res, 400, `no route for ${u.pathname}`);
};

function formOf(body: string, boundary: string): { name: string; filename?: string; type?: string; value: string }[] {
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const [head, ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
      const value = rest.join('\r\n\r\n').replace(/\r\n$/, '');
      return {
        name: /name="([^"]*)"/.exec(head!)?.[1] ?? '',
        filename: /filename="([^"]*)"/.exec(head!)?.[1],
        type: /content-type: *([^\r\n]+)/i.exec(head!)?.[1],
        value,
      };
    });
}

const bodiesApi =
  (planted = ''): Handler =>
  (req, res, body, u) => {
    const type = String(req.headers['content-type'] ?? '');
    if (u.pathname === '/signup') {
      if (!type.startsWith('application/x-www-form-urlencoded')) return problem(res, 415, 'a form is expected');
      const f = new URLSearchParams(body);
      if (!/^[^@\s]+@[^@\s]+$/.test(f.get('email') ?? '') || f.get('email')!.length > 80) return problem(res, 400, 'email');
      const interests = f.getAll('interests');
      if (interests.length < 1 || interests.length > 3 || !interests.every((i) => ['music', 'sport', 'books'].includes(i))) return problem(res, 400, `interests: ${JSON.stringify(interests)}`);
      if (f.getAll('langs').length > 1 || (f.has('langs') && !f.get('langs')!.split(',').every((l) => ['en', 'de', 'fr'].includes(l)))) return problem(res, 400, `langs: ${JSON.stringify(f.getAll('langs'))}`);
      res.writeHead(201);
      return res.end();
    }
    if (u.pathname === '/avatars') {
      const boundary = /^multipart\/form-data; *boundary=(.+)$/.exec(type)?.[1];
      if (!boundary) return problem(res, 415, 'multipart/form-data is expected');
      const parts = formOf(body, boundary);
      const image = parts.find((p) => p.name === 'image');
      if (!image || image.filename === undefined || !/^image\/(png|jpeg)$/.test(image.type ?? '')) return problem(res, 400, 'image must be a png or jpeg file');
      const meta = parts.find((p) => p.name === 'meta');
      let alt: unknown;
      try {
        alt = (JSON.parse(meta?.value ?? '') as { alt?: unknown }).alt;
      } catch {
        return problem(res, 400, 'meta must be JSON');
      }
      if (planted !== 'lax-alt' && (typeof alt !== 'string' || alt.length < 1 || alt.length > 40)) return problem(res, 400, 'alt');
      const tags = parts.filter((p) => p.name === 'tags').map((p) => p.value);
      if (tags.length > 3 || !tags.every((t) => t === 'profile' || t === 'banner')) return problem(res, 400, `tags: ${JSON.stringify(tags)}`);
      if (planted === 'no-location') {
        res.writeHead(201);
        return res.end();
      }
      res.writeHead(201, { Location: '/avatars/1' });
      return res.end();
    }
    if (u.pathname === '/firmware') {
      if (type !== 'application/octet-stream') return problem(res, 415, 'octet-stream is expected');
      if (body.length === 0) return problem(res, 400, 'an empty image');
      res.writeHead(204);
      return res.end();
    }
    if (u.pathname === '/orders') {
      if (!type.startsWith('application/xml')) return problem(res, 415, 'XML is expected');
      if (!/^<order><sku>[^<]+<\/sku><\/order>$/.test(body)) return problem(res, 400, 'not an order');
      res.writeHead(201);
      return res.end();
    }
    problem(res, 400, `no route for ${u.pathname}`);
  };

const ORDER = '{"id":9007199254740993,"total":1.0,"placedAt":"2024-03-01T10:00:00.123+05:30","note":null}';

const responsesApi =
  (planted = ''): Handler =>
  (req, res, body, u) => {
    res.on('error', () => {});
    if (u.pathname === '/orders') {
      const page = u.searchParams.get('page');
      if (page !== null && !(/^\d+$/.test(page) && +page >= 1 && +page <= 1000)) return problem(res, 400, 'page');
      const headers = { 'X-Total-Count': '1', 'X-Page-Ids': '1,2,3', 'X-RateLimit': 'limit=100,remaining=99' };
      if (req.method === 'HEAD') {
        res.writeHead(200, planted === 'no-head-count' ? {} : { 'X-Total-Count': '1' });
        return res.end();
      }
      const text = planted === 'float-total' ? ORDER.replace('1.0', '1.5') : planted === 'local-time' ? ORDER.replace('+05:30', '') : ORDER;
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json;charset=UTF-8' });
      return res.end(`[${text}]`);
    }
    let m: RegExpExecArray | null;
    if ((m = /^\/orders\/([^/]+)$/.exec(u.pathname))) {
      if (!/^\d+$/.test(m[1]!) || +m[1]! < 1) return problem(res, 400, 'id');
      if (planted === 'empty-order') {
        res.writeHead(200);
        return res.end();
      }
      res.writeHead(200, { 'Content-Type': 'application/vnd.shop.order+json' });
      return res.end(ORDER);
    }
    if (u.pathname === '/exports/orders') {
      if (/text\/csv/.test(req.headers.accept ?? '') && !/json|\*\/\*/.test(req.headers.accept ?? '')) {
        res.writeHead(200, { 'Content-Type': 'text/csv' });
        return res.end('id,total\n1,1\n');
      }
      return json(res, 200, [JSON.parse(ORDER)]);
    }
    if (u.pathname === '/archive') {
      const z = gzipSync(`[${planted === 'gzip-bad' ? ORDER.replace('9007199254740993', '"one"') : ORDER}]`);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': z.length });
      return res.end(z);
    }
    if (u.pathname === '/feed') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[');
      let i = 0;
      const next = () => {
        res.write(`${i ? ',' : ''}${ORDER}`);
        if (++i < 5) setTimeout(next, 2);
        else res.end(']');
      };
      return next();
    }
    problem(res, 404, `no route for ${u.pathname}`);
  };

const TOKEN = 'tok/SECRET+4567=';
const PARTNER = 'partner-SECRET-89';
const BASIC_PAIR = 'ops:pa55-SECRET-word';
const AUTH = [`Authorization: Bearer ${TOKEN}`, `X-Partner-Key: ${PARTNER}`];

const authApi =
  (planted = ''): Handler =>
  (req, res, body, u) => {
    const bearer = req.headers.authorization === `Bearer ${TOKEN}`;
    if (u.pathname === '/health' || u.pathname === '/pets/featured') return json(res, 200, u.pathname === '/health' ? {} : []);
    if (u.pathname === '/pets') return bearer ? json(res, 200, [{}]) : problem(res, 401, 'a bearer token is required');
    if (u.pathname === '/pets/export') return bearer && req.headers['x-partner-key'] === PARTNER ? json(res, 200, []) : problem(res, 401, 'token and partner key');
    if (u.pathname === '/session') {
      if (!bearer) return problem(res, 401, 'no token');
      // Planted: the session is renewed through the login page, the token in the query.
      if (planted === 'echo-redirect') {
        res.writeHead(302, { Location: `/login?token=${encodeURIComponent(TOKEN)}&partner=${encodeURIComponent(PARTNER)}` });
        return res.end();
      }
      return json(res, 200, {});
    }
    if (u.pathname === '/admin') {
      const given = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      return given === BASIC_PAIR ? json(res, 200, {}) : problem(res, 401, `'${given}' is not an admin`);
    }
    problem(res, 404, 'no route');
  };

// --- parameter styles ------------------------------------------------------------------------------

describe('parameter styles as the OpenAPI style table writes them', () => {
  test('matrix, label, exploded objects, delimited arrays and header arrays reach a strict server as valid requests', async () => {
    const { result, server, lines } = await gate('styles.yaml', stylesApi);
    expect(lines).toEqual([]);
    expect(result.verdict).toBe('pass');
    // Every operation's success path was reached (a refused positive case would be a finding, not a pass).
    for (const c of result.coverage) expect(c.positive).toBeGreaterThan(0);
    const urls = server.hits.map((h) => h.url);
    expect(urls).toEqual(expect.arrayContaining([expect.stringMatching(/^\/products\/;id=\d+$/), expect.stringMatching(/^\/shelves\/\.[A-Z]{2}\d$/), expect.stringMatching(/^\/bundles\/;ids=\d+;ids=\d+/)]));
    expect(urls).toEqual(expect.arrayContaining([expect.stringMatching(/^\/owners\/(role=(admin|member),team=\d+|team=\d+,role=(admin|member))$/)]));
    expect(server.hits.some((h) => /^status=(open|closed)$/.test(String(h.headers['x-filter'])))).toBe(true);
    // No empty array is sent as an empty value (`sizes=`), which no server reads as an empty list.
    expect(urls.filter((x) => /[?&](ids|sizes|codes|tag)=(&|$)/.test(x))).toEqual([]);
  });

  test('a lone string for an array of strings is a valid one-item array, not a negative case', async () => {
    const { lines, server } = await gate('styles.yaml', stylesApi, { include: 'search' });
    expect(lines).toEqual([]);
    expect(server.hits.some((h) => /[?&]tag=not-a-array/.test(h.url))).toBe(false);
    // Arrays of integers still get their wrong-type case.
    expect(server.hits.some((h) => /[?&]ids=not-a-array/.test(h.url))).toBe(true);
  });

  test('a server that reads matrix parameters loosely is caught by the negative cases', async () => {
    const lax: Handler = (req, res, body, u) => (u.pathname.startsWith('/products/;id=') ? json(res, 200, { ok: true }) : stylesApi(req, res, body, u));
    const { result } = await gate('styles.yaml', lax, { include: 'getProduct' });
    expect(result.findings.map((f) => [f.id, f.operation, f.location?.line])).toEqual([
      ['negative-rejected', 'GET /products/{id}', 5],
      ['negative-rejected', 'GET /products/{id}', 5],
    ]);
    expect(result.findings.map((f) => f.message.split('\n')[0]).sort()).toEqual([
      "accepted an invalid request with 200 (path parameter 'id': a string where integer is expected); expected a 4xx",
      "accepted an invalid request with 200 (path parameter 'id': below minimum 1); expected a 4xx",
    ]);
    expect(String(result.findings[0]!.data!.curl)).toMatch(/\/products\/;id=/);
  });
});

// --- request bodies --------------------------------------------------------------------------------

describe('form, multipart and binary request bodies', () => {
  test('a form with arrays, a multipart upload with a file and JSON metadata, an octet stream and an XML example all pass a strict server', async () => {
    const { result, server, lines } = await gate('bodies.yaml', bodiesApi(), { include: '^(?!POST /legacy)' });
    expect(lines).toEqual([]);
    for (const c of result.coverage) expect(c.positive).toBeGreaterThan(0);
    const signup = server.hits.filter((h) => h.url === '/signup' && h.headers['content-type'] === 'application/x-www-form-urlencoded');
    expect(signup.some((h) => /(^|&)interests=[a-z]+&interests=[a-z]+/.test(h.body))).toBe(true);
    expect(signup.some((h) => /(^|&)langs=[a-z]{2}%2C[a-z]{2}/.test(h.body))).toBe(true);
    const upload = server.hits.find((h) => h.url === '/avatars' && /^multipart\/form-data; boundary=/.test(String(h.headers['content-type'])))!;
    expect(upload.body).toMatch(/Content-Disposition: form-data; name="image"; filename="[^"]+"\r\nContent-Type: image\/png\r\n\r\n/);
    expect(upload.body).toMatch(/Content-Disposition: form-data; name="meta"\r\nContent-Type: application\/json\r\n\r\n\{"alt":/);
  });

  test('a required body of a type the gate cannot build is reported as not tested, not sent empty', async () => {
    const { result, server, lines } = await gate('bodies.yaml', bodiesApi(), { include: 'legacy' });
    expect(lines).toEqual([
      'operation-untestable: not tested: its required request body is application/xml, which the gate does not generate (give the media type a text example to send it)',
    ]);
    expect(result.findings[0]).toMatchObject({ level: 'warning', operation: 'POST /legacy/orders', location: { line: 71 } });
    expect(result.coverage[0]!.skipped).toMatch(/^not testable: /);
    expect(server.hits).toEqual([]);
  });

  test("a multipart upload answered without its required Location header: found, and the curl line reproduces the upload", async () => {
    const { result, lines } = await gate('bodies.yaml', bodiesApi('no-location'), { include: 'avatars' });
    expect(lines).toEqual([expect.stringMatching(/^response-headers: answered 201 without the required header Location \(\d+ requests failed this way\)$/)]);
    expect(result.findings[0]!.location!.line).toBe(42);
    const curl = String(result.findings[0]!.data!.curl);
    expect(curl).not.toMatch(/[\r\n]/);
    const server = await start(bodiesApi('no-location'));
    try {
      const { stdout } = await promisify(execFile)('sh', ['-c', curl.replace(/http:\/\/127\.0\.0\.1:\d+/, server.url).replace(/\| curl /, '| curl -sS --max-time 5 ')]);
      expect(stdout).toMatch(/^HTTP\/1\.1 201 /);
      expect(stdout).not.toMatch(/^location:/im);
    } finally {
      await server.close();
    }
  });
});

// --- responses -------------------------------------------------------------------------------------

describe('responses', () => {
  test('2XX ranges, array and exploded-object headers, charset and +json suffixes, gzip, chunks, HEAD, 1.0 for an integer, offsets in date-times: a correct server passes', async () => {
    const { result, lines } = await gate('responses.yaml', responsesApi());
    expect(lines).toEqual([]);
    expect(result.checks['response-schema']!.passed).toBeGreaterThan(5);
    expect(result.checks['response-headers']!.passed).toBeGreaterThan(5);
    expect(result.coverage.find((c) => c.operation === 'HEAD /orders')!.requests).toBeGreaterThan(0);
  });

  test.each([
    ['float-total', 'GET /orders', 'response-schema: answered 200 with a body that does not match the schema: /0/total must be integer'],
    ['local-time', 'GET /orders', 'response-schema: answered 200 with a body that does not match the schema: /0/placedAt must match format "date-time"'],
    ['gzip-bad', 'GET /archive', 'response-schema: answered 200 with a body that does not match the schema: /0/id must be integer'],
    ['no-head-count', 'HEAD /orders', 'response-headers: answered 200 without the required header X-Total-Count'],
    ['empty-order', 'GET /orders/{id}', 'response-schema: answered 200 with an empty body and no Content-Type; the spec documents a body (application/*+json)'],
  ])('planted %s is found on %s', async (planted, operation, line) => {
    const { result, lines } = await gate('responses.yaml', responsesApi(planted), { include: `^${operation.replace(/[{}]/g, '\\$&')}$`, casesPerOperation: '3' });
    expect(lines.map((l) => l.replace(/ \(\d+ requests failed this way\)$/, ''))).toEqual([line]);
    expect(result.findings[0]!.operation).toBe(operation);
    expect(result.verdict).toBe('fail');
  });
});

// --- credentials -----------------------------------------------------------------------------------

describe('security requirements', () => {
  test('OAuth scopes, an optional alternative ({}), two schemes at once and security: [] are each honoured', async () => {
    const { result, server, lines } = await gate('auth.yaml', authApi(), { headers: AUTH, include: '^(?!GET /admin)' });
    expect(lines).toEqual([]);
    // No-credential cases only where every alternative needs something.
    const bare = server.hits.filter((h) => h.headers.authorization === undefined).map((h) => h.url);
    expect([...new Set(bare)].sort()).toEqual(['/pets', '/pets/export', '/session']);
    expect(result.checks['auth-enforced']).toEqual({ passed: 3, failed: 0 });
  });

  test('credentials the API echoes percent-encoded (a redirect) or decoded (Basic) never reach the report', async () => {
    const echo = await gate('auth.yaml', authApi('echo-redirect'), { headers: AUTH, include: 'session' });
    expect(echo.lines).toEqual(['status-documented: answered 302 (a redirect to /login?token=***&partner=***, not followed), which the spec does not document (documented: 200, 401)']);
    const basic = await gate('auth.yaml', authApi(), { headers: [`Authorization: Basic ${Buffer.from('ops:wrong-SECRET-pass').toString('base64')}`], include: 'admin' });
    expect(basic.lines).toEqual([`positive-accepted: refused a request that is valid against the spec with 401 ("'***' is not an admin") (are the --header credentials valid for this operation?)`]);
    const text = JSON.stringify([...echo.result.findings, ...basic.result.findings]);
    for (const secret of [TOKEN, encodeURIComponent(TOKEN), PARTNER, 'wrong-SECRET-pass']) expect(text).not.toContain(secret);
  });
});

// --- int64 -----------------------------------------------------------------------------------------

/**
 * The real CLI in one child process (tsx as a loader, no wrapper process), killed after `ms`: a
 * generator that never returns cannot hang the test.
 */
function spawnCli(args: string[], ms: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const loader = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
    const child = spawn(process.execPath, ['--import', loader, path.join(ROOT, 'src/cli/index.ts'), 'conformance', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const ledgerApi: Handler = (req, res, body, u) => {
  const m = /^\/(entries|accounts)\/(-?\d+)$/.exec(u.pathname);
  if (!m) return problem(res, 400, `not an integer: ${u.pathname}`);
  const v = BigInt(m[2]!);
  const [lo, hi] = m[1] === 'entries' ? [9007199254740993n, 9223372036854775807n] : [-9223372036854775808n, 9223372036854775807n];
  return v >= lo && v <= hi ? json(res, 200, {}) : problem(res, 400, `${m[2]} is out of range`);
};

describe('integers beyond 2^53', () => {
  test('bounds beyond 2^53 generate ids in range (it used to hang), and an example of 2^63-1 is sent with its digits', async () => {
    const server = await start(ledgerApi);
    try {
      const r = await spawnCli(['--openapi', path.join(FIXTURES, 'int64.yaml'), '--base-url', server.url, '--cases', '5', '--format', 'json'], 30_000);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).findings).toEqual([]);
      const ids = server.hits.map((h) => h.url).filter((x) => /^\/entries\/\d+$/.test(x));
      expect(ids.length).toBeGreaterThan(2);
      expect(server.hits.map((h) => h.url)).toContain('/accounts/9223372036854775807');
    } finally {
      await server.close();
    }
  }, 60_000);
});

// --- broken answers and the run's limits -----------------------------------------------------------

describe('broken answers and limits', () => {
  test('a 12 MB list is read up to the limit and reported as unchecked, not as invalid JSON; a path variable without a parameter is reported', async () => {
    const handler: Handler = (req, res, body, u) => {
      res.on('error', () => {});
      if (u.pathname !== '/reports') return json(res, 200, { id: 1 });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[');
      const chunk = Buffer.from('1,'.repeat(65536));
      let n = 0;
      const pump = () => {
        while (n++ < 100) if (!res.write(chunk)) return void res.once('drain', pump);
        res.end('1]');
      };
      pump();
    };
    const { result } = await gate('broken.yaml', handler, { mode: 'smoke' });
    expect(result.findings.map((f) => [f.id, f.level, f.operation, f.location?.line, f.message])).toEqual([
      ['body-too-large', 'warning', 'GET /reports', 7, 'answered 200 with a body over 5 MiB: the gate read no further and did not check it against the schema (is the list unpaginated?)'],
      ['operation-untestable', 'warning', 'GET /reports/{reportId}/pages/{page}', 15, 'not tested: the path has {page} but no path parameter of that name is declared'],
    ]);
    expect(result.verdict).toBe('pass');
  });

  test("requests still waiting when the run's --timeout runs out are not run, not the API's fault", async () => {
    const server = await start(() => {
      // Never answers: the run's timeout (1 s) ends before the request timeout (10 s).
    });
    try {
      const r = await runConformanceGate({ openapi: path.join(FIXTURES, 'broken.yaml'), baseUrl: server.url, mode: 'smoke', timeout: '1', requestTimeout: '10' });
      expect(r.findings.map((f) => `${f.id}: ${f.message}`)).toEqual([
        "run-incomplete: 2 test case(s) were not sent or not answered in time (2 request(s) still waiting when the run's timeout ran out): the limit of 100 requests or the 1 s timeout was reached",
        expect.stringMatching(/^operation-untestable: /),
      ]);
      expect(r.verdict).toBe('pass');
    } finally {
      await server.close();
    }
  });

  test('a server that stops answering is a request-completed error naming the request timeout', async () => {
    const { lines } = await gate('broken.yaml', () => {}, { mode: 'smoke', include: 'latest', requestTimeout: '1' });
    expect(lines).toEqual(['request-completed: no answer within 1000 ms']);
  });
});

// --- bad input -------------------------------------------------------------------------------------

describe('bad input gives exit 2 with a message naming the file and what to do', () => {
  const spec = (schema: string) => `openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    get:\n      responses:\n        '200': { description: ok, content: { application/json: { schema: ${schema} } } }\n`;

  test('a missing spec file and a $ref to nothing', async () => {
    const missing = path.join(FIXTURES, 'nope.yaml');
    const gone = await cli('--openapi', missing, '--base-url', 'http://127.0.0.1:9');
    expect(gone.code).toBe(2);
    expect(gone.err).toMatch(/^api-delivery conformance: \S*qa-round2\/nope\.yaml: file not found\n$/);
    const dangling = writeTemp('openapi.yaml', spec("{ $ref: '#/components/schemas/Nope' }"));
    const r = await cli('--openapi', dangling, '--base-url', 'http://127.0.0.1:9');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\$ref '#\/components\/schemas\/Nope' points at nothing/);
  });

  test('a URL $ref: the advice names what to do in this gate, not an option it does not have', async () => {
    const file = writeTemp('openapi.yaml', spec("{ $ref: 'https://schemas.example.com/pet.yaml' }"));
    const r = await cli('--openapi', file, '--base-url', 'http://127.0.0.1:9');
    expect(r.code).toBe(2);
    expect(r.err).not.toContain('--allow-external-refs');
    expect(r.err).toMatch(/\$ref 'https:\/\/schemas\.example\.com\/pet\.yaml' is a URL; not fetched \(the conformance gate never fetches them: save the file next to the spec and refer to it by a relative path\)\n$/);
  });

  test('a base URL on a port the HTTP client refuses (6000) is bad input, not a thousand connection errors', async () => {
    const r = await cli('--openapi', path.join(FIXTURES, 'broken.yaml'), '--base-url', 'http://127.0.0.1:6000', '--mode', 'smoke');
    expect(r).toMatchObject({
      code: 2,
      err: "api-delivery conformance: base-url: port 6000 is one that Node's HTTP client refuses to call (a port the Fetch standard blocks, e.g. 6000 or 6665-6669): serve the API on another port\n",
    });
  });
});
