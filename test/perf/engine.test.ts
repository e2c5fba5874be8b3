/**
 * The built-in engine against real HTTP servers on 127.0.0.1: the example Petstore (healthy, and
 * with its planted 'slow' and 'errors' faults) and small servers that exercise HTTP framing.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runEngine } from '../../src/perf/engine/engine.js';
import { parseScenario } from '../../src/perf/engine/scenario.js';
import { runPerf } from '../../src/perf/run.js';
import { cleanTempDirs, deadPort, ROOT, tempDir } from './helpers.js';
// @ts-expect-error the example server is plain JavaScript
import { startServer } from '../../examples/petstore/server.mjs';

type Petstore = { url: string; close(): Promise<void> };
afterAll(cleanTempDirs);

const SCENARIO = 'examples/perf/petstore.scenario.yaml';
const BUDGET = 'examples/perf/budget.yaml';

async function withPetstore<T>(opts: Record<string, unknown>, fn: (url: string) => Promise<T>): Promise<T> {
  const s = (await startServer(opts)) as Petstore;
  try {
    return await fn(s.url);
  } finally {
    await s.close();
  }
}

function runExample(url: string, duration = '2s') {
  const tmp = tempDir();
  return runPerf({ scenario: SCENARIO, budget: BUDGET, baseUrl: url, duration, env: { PETSTORE_TOKEN: 'demo-token' }, cwd: ROOT, outDir: tmp, tempDir: tmp, toolCacheDir: tmp });
}

describe('the example scenario and budget against the example server', () => {
  test('healthy server: the budget passes, with k6 metric names and per-endpoint sub-metrics', async () => {
    const progress: number[] = [];
    const r = await withPetstore({}, async (url) => {
      const tmp = tempDir();
      return runPerf({
        scenario: SCENARIO, budget: BUDGET, baseUrl: url, duration: '2s', env: { PETSTORE_TOKEN: 'demo-token' }, cwd: ROOT, outDir: tmp, tempDir: tmp, toolCacheDir: tmp,
        onProgress: (p) => progress.push(p.requests),
      });
    });
    expect(r.engineUsed).toBe('builtin');
    expect(r.findings).toEqual([]);
    expect(r.verdict).toBe('pass');
    const m = r.summary.metrics;
    for (const name of ['http_reqs', 'http_req_duration', 'http_req_failed', 'iterations', 'iteration_duration', 'vus', 'vus_max', 'data_sent', 'data_received', 'dropped_iterations', 'http_req_duration{expected_response:true}']) {
      expect(m[name]).toBeDefined();
    }
    // 80 iterations/s for 2 s, one request each, weights 6:3:1.
    const count = m.http_reqs!.values.count!;
    expect(count).toBeGreaterThanOrEqual(150);
    expect(count).toBeLessThanOrEqual(161);
    const pets = m['http_reqs{name:GET /pets}']!.values.count!;
    const one = m['http_reqs{name:GET /pets/{id}}']!.values.count!;
    const vacc = m['http_reqs{name:GET /pets/{id}/vaccinations}']!.values.count!;
    expect(pets + one + vacc).toBe(count);
    expect(Math.abs(pets - count * 0.6)).toBeLessThanOrEqual(1);
    expect(Math.abs(vacc - count * 0.1)).toBeLessThanOrEqual(1);
    expect(m.http_req_failed!.values).toMatchObject({ rate: 0, passes: 0 });
    expect(m['http_req_duration{name:GET /pets}']!.values['p(95)']).toBeGreaterThan(0);
    expect(r.table.every((row) => row.status === 'pass')).toBe(true);
    expect(progress.length).toBeGreaterThanOrEqual(1); // the progress line while it runs
    expect(r.summary.script).toBe(`builtin:${SCENARIO}`);
  });

  test("bug 'slow' (200 ms more per answer): the latency budget fails, per endpoint too", async () => {
    const r = await withPetstore({ bugs: ['slow'] }, (url) => runExample(url));
    expect(r.verdict).toBe('fail');
    const failed = r.findings.filter((f) => f.id === 'perf-threshold-failed');
    expect(failed.map((f) => f.data!.metric)).toEqual(
      expect.arrayContaining(['http_req_duration', 'http_req_duration{name:GET /pets}', 'http_req_duration{name:GET /pets/{id}}']),
    );
    expect(r.summary.metrics.http_req_duration!.values.min).toBeGreaterThanOrEqual(199);
    expect(r.findings.some((f) => f.data?.metric === 'http_req_failed')).toBe(false);
  });

  test("bug 'errors' (every third GET /pets answers 503): the error-rate budget fails", async () => {
    const r = await withPetstore({ bugs: ['errors'] }, (url) => runExample(url));
    expect(r.verdict).toBe('fail');
    const f = r.findings.find((x) => x.data?.metric === 'http_req_failed')!;
    expect(f.message).toMatch(/^http_req_failed rate = 0\.\d+, budget rate < 0.01/);
    const byName = r.summary.metrics['http_req_failed{name:GET /pets}']!.values.rate!;
    expect(byName).toBeGreaterThan(0.3);
    expect(byName).toBeLessThan(0.35);
    expect(r.summary.metrics['http_req_failed{name:GET /pets/{id}}']!.values.rate).toBe(0);
  });

  test('above the rate limit the server answers 429, and the budget catches it', async () => {
    const r = await withPetstore({ rateLimit: { limit: 20, windowMs: 1000 } }, (url) => runExample(url));
    expect(r.verdict).toBe('fail');
    expect(r.summary.metrics.http_req_failed!.values.rate).toBeGreaterThan(0.5);
  });
});

function scenario(yaml: string) {
  return parseScenario(yaml, 'test.yaml', { TOKEN: 'demo-token' });
}

describe('bounds and failures', () => {
  test('constant VUs stop at maxRequests exactly', async () => {
    const s = await withPetstore({ rateLimit: { limit: 1e9, windowMs: 1000 } }, (url) =>
      runEngine(scenario("vus: 4\nduration: 30s\nmaxRequests: 250\nheaders: {Authorization: 'Bearer ${TOKEN}'}\nrequests:\n  - path: /pets?species=cat\n  - path: /healthz\n    weight: 0\n"), { baseUrl: url }),
    );
    expect(s.metrics.get('http_reqs')!.values.count).toBe(250);
    expect(s.metrics.get('iterations')!.values.count).toBe(250);
    expect(s.metrics.get('http_req_failed')!.values.rate).toBe(0);
    expect(s.metrics.has('http_reqs{name:GET /healthz}')).toBe(true);
    expect(s.metrics.get('http_reqs{name:GET /healthz}')!.values.count).toBe(0);
    expect(s.durationS!).toBeLessThan(30);
  });

  test('a refused connection is a failed request (status 0), paced, and the run ends on time', async () => {
    const port = await deadPort();
    const s = await runEngine(scenario('vus: 2\nduration: 1s\nrequests:\n  - path: /\n'), { baseUrl: `http://127.0.0.1:${port}` });
    const reqs = s.metrics.get('http_reqs')!.values.count!;
    expect(reqs).toBeGreaterThan(0);
    expect(reqs).toBeLessThan(100); // paced: not a busy loop
    expect(s.metrics.get('http_req_failed')!.values.rate).toBe(1);
    expect(s.metrics.has('http_req_duration{expected_response:true}')).toBe(false);
  });

  test('the example budget against a target that is down: every request failed, said plainly', async () => {
    const port = await deadPort();
    const r = await runExample(`http://127.0.0.1:${port}`, '1s');
    expect(r.verdict).toBe('fail');
    const found = new Set(r.findings.map((f) => f.id));
    expect(found.has('perf-all-requests-failed')).toBe(true);
    expect(found.has('perf-metric-missing')).toBe(false); // the endpoints exist; they have no answered request
    expect(r.findings.filter((f) => f.id === 'perf-metric-empty').map((f) => f.data!.metric)).toContain('http_req_duration{name:GET /pets}');
  });

  test('a server that never answers: requests time out as failures', async () => {
    const server = createServer(() => {});
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const s = await runEngine(scenario('vus: 1\nduration: 1s\ntimeout: 200ms\nrequests:\n  - path: /\n'), { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      expect(s.metrics.get('http_reqs')!.values.count).toBeGreaterThanOrEqual(3);
      expect(s.metrics.get('http_req_failed')!.values.rate).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    }
  });

  test('arrival rate beyond what maxVUs can serve drops iterations, as k6 does', async () => {
    const server = createServer((_, res) => setTimeout(() => res.end('ok'), 100));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const s = await runEngine(scenario('rate: 100\nduration: 1s\npreAllocatedVUs: 2\nmaxVUs: 2\nrequests:\n  - path: /\n'), { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      // Two VUs at 100 ms per request serve about 20 of the 100 iterations.
      expect(s.metrics.get('dropped_iterations')!.values.count).toBeGreaterThan(50);
      expect(s.metrics.get('http_reqs')!.values.count).toBeLessThanOrEqual(25);
    } finally {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    }
  });
});

describe('HTTP framing', () => {
  let server: Server;
  const seen: { method: string; url: string; body: string; headers: Record<string, unknown> }[] = [];
  async function start(): Promise<string> {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, body, headers: req.headers });
        if (req.url === '/chunked') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('a'.repeat(5000));
          setImmediate(() => res.end('b'.repeat(70000)));
        } else if (req.url === '/close') {
          res.writeHead(200, { connection: 'close', 'content-length': '2' }).end('ok');
        } else if (req.url === '/empty') {
          res.writeHead(204).end();
        } else if (req.url === '/continue') {
          res.writeContinue();
          res.writeHead(201, { 'content-length': '0' }).end();
        } else if (req.url === '/missing') {
          res.writeHead(404, { 'content-length': '9' }).end('not found');
        } else {
          res.writeHead(200, { 'content-length': String(Buffer.byteLength(body)) }).end(body);
        }
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((ok) => server?.close(ok));
  });

  test('chunked bodies, Connection: close, 204, HEAD, 100-continue, bodies sent, expected statuses', async () => {
    const url = await start();
    const s = await runEngine(
      scenario(
        [
          'vus: 3',
          'duration: 20s',
          'maxRequests: 140',
          'requests:',
          '  - {path: /chunked}',
          '  - {path: /close}',
          '  - {path: /empty}',
          '  - {path: /continue, method: POST}',
          '  - {path: /echo, method: HEAD}',
          '  - {name: create, path: /echo, method: POST, json: {name: Rex}}',
          '  - {path: /missing, expect: [404]}',
        ].join('\n'),
      ),
      { baseUrl: url },
    );
    expect(s.metrics.get('http_reqs')!.values.count).toBe(140);
    const failedByName = [...s.metrics.values()].filter((m) => m.name.startsWith('http_req_failed{') && m.values.rate !== 0).map((m) => m.name);
    expect(failedByName).toEqual([]);
    expect(s.metrics.get('http_req_failed')!.values.rate).toBe(0);
    for (const name of ['GET /chunked', 'GET /close', 'GET /empty', 'POST /continue', 'HEAD /echo', 'create', 'GET /missing']) {
      expect(s.metrics.get(`http_reqs{name:${name}}`)!.values.count).toBe(20);
    }
    expect(s.metrics.get('data_received')!.values.count).toBeGreaterThan(20 * 75000);
    const create = seen.find((r) => r.method === 'POST' && r.url === '/echo')!;
    expect(create.body).toBe('{"name":"Rex"}');
    expect(create.headers['content-type']).toBe('application/json');
    expect(create.headers['user-agent']).toBe('api-delivery-perf');
  });
});

describe('scenario file', () => {
  test('the example parses: arrival rate, weights, ${VAR} from the environment', () => {
    const sc = parseScenario(readFileSync(path.join(ROOT, SCENARIO), 'utf8'), SCENARIO, { PETSTORE_TOKEN: 't0k' });
    expect(sc).toMatchObject({ executor: 'constant-arrival-rate', rate: 80, timeUnitMs: 1000, preAllocatedVUs: 5, maxVUs: 20, durationMs: 30_000, timeoutMs: 5000, headers: { Authorization: 'Bearer t0k' } });
    expect(sc.requests.map((r) => [r.name, r.weight])).toEqual([['GET /pets', 6], ['GET /pets/{id}', 3], ['GET /pets/{id}/vaccinations', 1]]);
  });

  test.each([
    ['requests: [{path: /}]\n', /duration: required/],
    ['duration: 10s\nvus: 1\n', /requests: a non-empty list/],
    ['duration: 10s\nvus: 0\nrequests: [{path: /}]\n', /vus: '0' must be a number from 1 to 2000/],
    ['duration: 2h\nvus: 1\nrequests: [{path: /}]\n', /duration: must be more than 0 and at most 30m/],
    ['duration: soon\nvus: 1\nrequests: [{path: /}]\n', /'soon' is not a duration/],
    ['duration: 1s\nvus: 1\nrequests: [{path: pets}]\n', /requests\[0\].path: must be a path starting with '\/'/],
    ['duration: 1s\nvus: 1\nrequests: [{path: /, method: FETCH}]\n', /'FETCH' is not one of/],
    ['duration: 1s\nvus: 1\nrequests: [{path: /, weight: 0}]\n', /at least one request needs a weight above 0/],
    ['duration: 1s\nvus: 1\nrequests: [{path: /, expect: [700]}]\n', /expect: must be a status code/],
    ['duration: 1s\nvus: 1\nrequests: [{path: /, colour: red}]\n', /requests\[0\].colour: unknown key/],
    ['duration: 1s\nvus: 1\nheaders: {X: "${NOPE}"}\nrequests: [{path: /}]\n', /\$\{NOPE\} is not set in the environment/],
    ['duration: 1s\nrate: 10\nmaxVUs: 1\npreAllocatedVUs: 3\nrequests: [{path: /}]\n', /maxVUs: 1 is less than preAllocatedVUs 3/],
    ['duration: 1s\nvus: 1\nexecutor: ramping-vus\nrequests: [{path: /}]\n', /'ramping-vus' is not constant-vus or constant-arrival-rate/],
    ['baseUrl: ftp://x\nduration: 1s\nvus: 1\nrequests: [{path: /}]\n', /must be an http:\/\/ or https:\/\/ URL/],
  ])('bad scenario %#', (yaml, msg) => {
    expect(() => parseScenario(yaml, 's.yaml', {})).toThrow(msg);
  });

  test('runPerf: no base URL anywhere is bad input', async () => {
    const tmp = tempDir();
    const f = path.join(tmp, 's.yaml');
    (await import('node:fs')).writeFileSync(f, 'duration: 1s\nvus: 1\nrequests: [{path: /}]\n');
    await expect(runPerf({ scenario: f, thresholds: ['http_reqs:count>0'], outDir: tmp, tempDir: tmp, toolCacheDir: tmp })).rejects.toThrow(/^base-url: required/);
    await expect(runPerf({ engine: 'turbo', scenario: f, outDir: tmp, tempDir: tmp, toolCacheDir: tmp })).rejects.toThrow(/engine: 'turbo' is not one of auto, k6, builtin/);
    await expect(runPerf({ outDir: tmp, tempDir: tmp, toolCacheDir: tmp })).rejects.toThrow(/script or scenario/);
  });
});
