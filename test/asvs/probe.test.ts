/**
 * The live probes against the example Petstore server on 127.0.0.1: the correct server passes, each
 * planted misconfiguration fails with its finding. Request counts are bounded and asserted on the
 * server side where it matters.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runAsvs, type AsvsInputs } from '../../src/asvs/run.js';
import { findStackTrace } from '../../src/asvs/probe/stack-trace.js';
import { cleanup, repo, ROOT } from './helpers.js';

type Petstore = { url: string; close(): Promise<void> };
// The example server is plain JavaScript; imported by path so the type checker does not look for its types.
const { startServer } = (await import(path.join(ROOT, 'examples/petstore/server.mjs'))) as { startServer(o: object): Promise<Petstore> };
const SPEC = path.join(ROOT, 'examples/petstore/openapi.v2.yaml');

afterAll(cleanup);

async function probe(bugs: string[], extra: Partial<AsvsInputs> = {}) {
  const server = (await startServer({ bugs, rateLimit: { limit: 20, windowMs: 60_000 } })) as Petstore;
  try {
    return await runAsvs({ mode: 'probe', openapi: SPEC, baseUrl: server.url, token: 'demo-token', rateLimitMax: '60', ...extra });
  } finally {
    await server.close();
  }
}

const errorIds = (r: { findings: { id: string; level: string }[] }) => [...new Set(r.findings.filter((f) => f.level === 'error').map((f) => f.id))].sort();
const statusOf = (r: Awaited<ReturnType<typeof probe>>) => Object.fromEntries((r.probes ?? []).map((p) => [p.id, p.status]));

describe('probes against the example API', () => {
  let clean: Awaited<ReturnType<typeof probe>>;
  beforeAll(async () => {
    clean = await probe([]);
  });

  test('the correct server passes every probe', () => {
    expect(clean.verdict).toBe('pass');
    expect(errorIds(clean)).toEqual([]);
    expect(statusOf(clean)).toEqual({ 'probe:headers': 'pass', 'probe:auth': 'pass', 'probe:error-leak': 'pass', 'probe:rate-limit': 'pass' });
  });

  test('the rate-limit probe says where limiting started and which headers came with the 429', () => {
    const rl = clean.probes!.find((p) => p.id === 'probe:rate-limit')!;
    // 20 per window; the earlier probes spent some of it with the same token.
    const limitedAt = rl.data!.limitedAt as number;
    const earlier = rl.data!.earlierWithToken as number;
    expect(limitedAt).toBeGreaterThan(1);
    expect(limitedAt).toBeLessThanOrEqual(21);
    expect(earlier).toBeGreaterThan(0);
    expect(rl.detail).toContain(`GET /pets limited at request ${limitedAt} of at most 60`);
    expect(rl.detail).toContain('Retry-After');
    expect(clean.metrics!['rate limited at request']).toBe(limitedAt);
  });

  test('the auth probe called every protected operation (5) without credentials', () => {
    const auth = clean.probes!.find((p) => p.id === 'probe:auth')!;
    expect(auth.requests).toBe(5);
    expect(Object.values(auth.data!.answers as Record<string, number>)).toEqual([401, 401, 401, 401, 401]);
  });

  test('no rate limit: asvs-rate-limit-missing after exactly the stated number of burst requests', async () => {
    const r = await probe(['no-rate-limit'], { probes: 'rate-limit', rateLimitMax: '37' });
    expect(r.verdict).toBe('fail');
    expect(errorIds(r)).toEqual(['asvs-rate-limit-missing']);
    const f = r.findings.find((x) => x.id === 'asvs-rate-limit-missing')!;
    expect(f.operation).toBe('GET /pets');
    expect(f.location).toEqual({ file: expect.stringMatching(/openapi\.v2\.yaml$/), line: expect.any(Number) });
    expect(r.metrics!['probe requests']).toBe(37);
  });

  test('an unprotected operation: asvs-auth-not-enforced on that operation only', async () => {
    const r = await probe(['unprotected-get']);
    expect(errorIds(r)).toEqual(['asvs-auth-not-enforced']);
    expect(r.findings.filter((f) => f.id === 'asvs-auth-not-enforced').map((f) => f.operation)).toEqual(['GET /pets/{id}']);
    expect(statusOf(r)['probe:auth']).toBe('fail');
  });

  test('no auth at all: every protected operation is reported', async () => {
    const r = await probe(['no-auth'], { probes: 'auth' });
    // Reads first, DELETE last: the deletion cannot turn the later reads into 404s.
    expect(r.findings.filter((f) => f.id === 'asvs-auth-not-enforced').map((f) => f.operation)).toEqual([
      'DELETE /pets/{id}',
      'GET /pets',
      'GET /pets/{id}',
      'GET /pets/{id}/vaccinations',
      'POST /pets',
    ]);
  });

  test('a stack trace in a 500: asvs-error-stack-trace', async () => {
    const r = await probe(['stack-trace']);
    expect(errorIds(r)).toEqual(['asvs-error-stack-trace']);
    expect(r.findings.find((f) => f.id === 'asvs-error-stack-trace')!.message).toMatch(/Node\.js stack trace .*server\.mjs:\d+:\d+/);
  });

  test('a slow API: each request is bounded by --timeout, all of them by --max-duration', async () => {
    const timedOut = await probe(['slow'], { timeout: '0.1' });
    expect(timedOut.findings.map((f) => f.id)).toEqual(['asvs-probe-error']);
    expect(timedOut.findings[0]!.message).toMatch(/no answer within 100 ms/);
    const budget = await probe(['slow'], { maxDuration: '1' });
    expect(budget.findings.map((f) => f.id)).toEqual(['asvs-probe-error']);
    expect(budget.findings[0]!.message).toContain('time budget used up');
    // 200 ms per answer: at most a handful of requests fit in one second.
    expect(budget.metrics!['probe requests']).toBeLessThanOrEqual(6);
  });

  test('leaky headers: nosniff missing, versions revealed, CORS * with credentials', async () => {
    const r = await probe(['leaky-headers'], { probes: 'headers' });
    expect(errorIds(r)).toEqual(['asvs-cors-credentials-any-origin', 'asvs-header-nosniff-missing', 'asvs-header-version-leak']);
    expect(r.findings.filter((f) => f.id === 'asvs-header-version-leak').map((f) => f.data?.header).sort()).toEqual(['Server', 'X-Powered-By']);
  });
});

describe('probe boundaries', () => {
  let hits: string[] = [];
  let other: Server;
  let redirector: Server;
  const listen = (s: Server) => new Promise<string>((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
  let otherUrl = '';
  let redirectUrl = '';
  beforeAll(async () => {
    other = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('{}');
    });
    otherUrl = await listen(other);
    redirector = createServer((req, res) => {
      res.writeHead(302, { Location: `${otherUrl}${req.url}` }).end();
    });
    redirectUrl = await listen(redirector);
  });
  afterAll(async () => {
    await new Promise((r) => other.close(r));
    await new Promise((r) => redirector.close(r));
  });

  test('redirects are not followed: only the base URL is called', async () => {
    hits = [];
    const r = await runAsvs({ mode: 'probe', openapi: SPEC, baseUrl: redirectUrl, token: 'demo-token', rateLimitMax: '10' });
    expect(hits).toEqual([]);
    expect(r.verdict).toBe('fail');
    expect(r.findings.some((f) => f.id === 'asvs-rate-limit-missing')).toBe(true);
    expect(r.findings.some((f) => f.id === 'asvs-auth-unexpected-status' && /answered 302/.test(f.message))).toBe(true);
  });

  test('an unreachable API fails with asvs-probe-error and stops the other probes', async () => {
    const closed = createServer();
    const url = await listen(closed);
    await new Promise((r) => closed.close(r));
    const r = await runAsvs({ mode: 'probe', openapi: SPEC, baseUrl: url });
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((f) => f.id)).toEqual(['asvs-probe-error']);
    expect(r.findings[0]!.message).toMatch(/could not reach the API: GET http:\/\/127\.0\.0\.1:\d+\/pets: ECONNREFUSED/);
    expect(r.probes!.map((p) => p.status)).toEqual(['fail', 'skipped', 'skipped', 'skipped']);
  });

  test('public operations (security: []) are skipped; path parameters come from examples or placeholders', async () => {
    const spec = [
      'openapi: 3.0.3',
      'info: {title: t, version: "1"}',
      'security: [{key: []}]',
      'components: {securitySchemes: {key: {type: apiKey, in: header, name: X-Key}}}',
      'paths:',
      '  /health: {get: {security: [], responses: {"200": {description: ok}}}}',
      '  /items/{itemId}/parts/{n}:',
      '    get:',
      '      parameters:',
      '        - {name: itemId, in: path, required: true, example: item-7, schema: {type: string}}',
      '        - {name: n, in: path, required: true, schema: {type: integer, minimum: 3}}',
      '      responses: {"200": {description: ok}}',
    ].join('\n');
    const dir = repo({ 'api.yaml': spec });
    hits = [];
    await runAsvs({ mode: 'probe', probes: 'auth', openapi: path.join(dir, 'api.yaml'), baseUrl: `${otherUrl}/v1` });
    expect(hits).toEqual(['/v1/items/item-7/parts/3']);
  });

  test('bad probe inputs are input errors before any request', async () => {
    hits = [];
    const base = { mode: 'probe', openapi: SPEC, baseUrl: otherUrl };
    await expect(runAsvs({ ...base, baseUrl: 'ftp://x' })).rejects.toThrow(/base-url: 'ftp:\/\/x' must be http or https/);
    await expect(runAsvs({ ...base, baseUrl: 'http://user:pw@127.0.0.1/' })).rejects.toThrow(/must not carry credentials/);
    await expect(runAsvs({ ...base, baseUrl: 'not a url' })).rejects.toThrow(/is not a URL/);
    await expect(runAsvs({ ...base, rateLimitMax: '0' })).rejects.toThrow(/rate-limit-max: '0' is not a whole number from 1 to 10000/);
    await expect(runAsvs({ ...base, rateLimitMax: '99999' })).rejects.toThrow(/rate-limit-max/);
    await expect(runAsvs({ ...base, rateLimitConcurrency: '2.5' })).rejects.toThrow(/rate-limit-concurrency: '2.5' is not a whole number/);
    await expect(runAsvs({ ...base, timeout: '-1' })).rejects.toThrow(/timeout: '-1' is not a number from 0.1 to 120 seconds/);
    await expect(runAsvs({ ...base, probes: 'auth,sql' })).rejects.toThrow(/probes: 'sql' is not one of/);
    await expect(runAsvs({ ...base, rateLimitOperation: 'GET /nope' })).rejects.toThrow(/rate-limit-operation: 'GET \/nope' is not an operation/);
    await expect(runAsvs({ ...base, openapi: undefined })).rejects.toThrow(/openapi: required/);
    await expect(runAsvs({ ...base, mode: 'scan' })).rejects.toThrow(/mode: 'scan' is not one of verify, probe, both/);
    expect(hits).toEqual([]);
  });
});

describe('stack-trace detection', () => {
  test.each([
    ['Node.js', 'Error: x\n    at handle (file:///srv/app.mjs:97:30)\n    at process'],
    ['Node.js', JSON.stringify({ detail: 'TypeError: y\n    at Object.<anonymous> (/app/index.js:3:9)' })],
    ['Python', 'Traceback (most recent call last):\n  File "/app/main.py", line 3, in <module>'],
    ['Java', 'java.lang.NullPointerException\n\tat com.acme.Api.get(Api.java:42)'],
    ['.NET', 'System.InvalidOperationException: boom\n   at Acme.Api.Get() in /src/Api.cs:line 12'],
    ['PHP', 'PHP Fatal error:  Uncaught Error in /var/www/index.php on line 7'],
    ['Ruby', "/app/lib/api.rb:12:in `get'"],
    ['Go', 'panic: runtime error\n\ngoroutine 1 [running]:'],
  ])('%s', (runtime, body) => {
    expect(findStackTrace(body)?.runtime).toBe(runtime);
  });

  test('problem+json bodies and prose are clean', () => {
    expect(findStackTrace(JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'unexpected error' }))).toBeUndefined();
    expect(findStackTrace('meet us at 10:30 at the office')).toBeUndefined();
  });
});
