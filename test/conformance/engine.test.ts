/**
 * The gate end to end against real HTTP servers on 127.0.0.1: the example Petstore (clean, and with
 * each planted bug), and small servers that misbehave in one way each.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runConformanceGate, type ConformanceInputs } from '../../src/conformance/run.js';
import { cleanup, json, openapi, serve, startServer, TOKEN_HEADER, V2, writeTemp } from './helpers.js';

afterAll(cleanup);

async function againstPetstore(bugs: string[], inputs: Partial<ConformanceInputs> = {}) {
  const server = await startServer({ bugs });
  try {
    return await runConformanceGate({ openapi: V2, baseUrl: server.url, headers: [TOKEN_HEADER], ...inputs });
  } finally {
    await server.close();
  }
}

describe('the example API', () => {
  test('full mode passes clean: no findings, every GET operation exercised, writes skipped with a reason', async () => {
    const r = await againstPetstore([]);
    expect(r.findings).toEqual([]);
    expect(r.verdict).toBe('pass');
    const byOp = Object.fromEntries(r.coverage.map((c) => [c.operation, c]));
    for (const op of ['GET /pets', 'GET /pets/{id}', 'GET /pets/{id}/vaccinations']) {
      expect(byOp[op]!.requests).toBeGreaterThan(10);
      expect(byOp[op]!.negative).toBeGreaterThan(0);
      expect(byOp[op]!.checksFailed).toBe(0);
    }
    expect(byOp['POST /pets']!.skipped).toMatch(/changes state/);
    expect(byOp['DELETE /pets/{id}']!.requests).toBe(0);
    for (const check of ['status-documented', 'response-schema', 'negative-rejected', 'auth-enforced', 'problem-details', 'content-type-documented']) {
      expect(r.checks[check]!.passed).toBeGreaterThan(0);
    }
  });

  test('stateful full mode passes clean too, with POST and DELETE exercised', async () => {
    const r = await againstPetstore([], { stateful: true, seed: '5' });
    expect(r.findings).toEqual([]);
    expect(r.coverage.find((c) => c.operation === 'POST /pets')!.requests).toBeGreaterThan(10);
    expect(r.coverage.find((c) => c.operation === 'DELETE /pets/{id}')!.requests).toBeGreaterThan(0);
  });

  test('smoke mode sends one request per GET operation and passes', async () => {
    const r = await againstPetstore([], { mode: 'smoke' });
    expect(r.findings).toEqual([]);
    expect(r.metrics?.requests).toBe(3);
    expect(r.coverage.filter((c) => c.requests === 1).map((c) => c.operation)).toEqual(['GET /pets', 'GET /pets/{id}', 'GET /pets/{id}/vaccinations']);
  });

  test('--include limits the run to matching operations (by METHOD /path or operationId)', async () => {
    const r = await againstPetstore([], { include: '^getPet$' });
    expect(r.coverage.map((c) => c.operation)).toEqual(['GET /pets/{id}']);
    const byPath = await againstPetstore([], { include: 'vaccinations', mode: 'smoke' });
    expect(byPath.coverage.map((c) => c.operation)).toEqual(['GET /pets/{id}/vaccinations']);
  });

  test('without credentials the run warns that success paths went unchecked', async () => {
    const r = await againstPetstore([], { headers: [], mode: 'smoke' });
    expect(r.findings.map((f) => f.id)).toEqual(['credentials-missing']);
  });
});

/**
 * Run a curl line from a finding through a real shell; returns the status and body. Asynchronous:
 * the server answers from this process's event loop.
 */
async function runCurl(line: string): Promise<{ status: number; body: string }> {
  const { stdout: out } = await promisify(execFile)('sh', ['-c', line.replace(/^curl /, 'curl -sS --max-time 5 ')]);
  const [head, ...rest] = out.split(/\r?\n\r?\n/);
  return { status: Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head!)![1]), body: rest.join('\n\n') };
}

describe('planted bugs are found, each with a curl line that reproduces it', () => {
  const cases: [string, string, (r: { status: number; body: string }) => void][] = [
    ['undocumented-status', 'status-documented', (r) => expect(r.status).toBe(418)],
    ['wrong-type', 'response-schema', (r) => expect(r.body).toMatch(/"name":42/)],
    ['enum-500', 'no-server-error', (r) => expect(r.status).toBe(500)],
    ['missing-required', 'response-schema', (r) => expect(r.body).not.toMatch(/"status"/)],
  ];
  test.each(cases)('%s → %s', async (bug, check, reproduces) => {
    const server = await startServer({ bugs: [bug] });
    try {
      const r = await runConformanceGate({ openapi: V2, baseUrl: server.url, headers: [TOKEN_HEADER], showSecrets: true });
      expect(r.verdict).toBe('fail');
      const f = r.findings.find((x) => x.id === check);
      expect(f).toBeDefined();
      expect(f!.level).toBe('error');
      expect(f!.location).toEqual({ file: expect.stringMatching(/openapi\.v2\.yaml$/), line: expect.any(Number) });
      const curl = f!.data!.curl as string;
      expect(f!.message).toContain(curl);
      reproduces(await runCurl(curl));
    } finally {
      await server.close();
    }
  });

  const more: [string, string, Partial<ConformanceInputs>][] = [
    ['no-auth', 'auth-enforced', { mode: 'full' }],
    ['unprotected-get', 'auth-enforced', { mode: 'full' }],
    ['errors', 'no-server-error', { mode: 'full' }],
    ['slow', 'response-time', { mode: 'smoke', maxResponseTime: '50' }],
  ];
  test.each(more)('the other planted faults a conformance run can see: %s → %s', async (bug, check, inputs) => {
    const r = await againstPetstore([bug], inputs);
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((f) => f.id)).toContain(check);
  });

  test('curl lines redact the credential unless show-secrets', async () => {
    const r = await againstPetstore(['wrong-type'], { mode: 'smoke' });
    const curls = r.findings.map((f) => String(f.data?.curl));
    expect(curls.length).toBeGreaterThan(0);
    for (const c of curls) {
      expect(c).toContain("-H 'Authorization: ***'");
      expect(c).not.toContain('demo-token');
    }
  });
});

const ONE_OP = (responses = `        '200':
          description: ok
          content:
            application/json:
              schema: { type: object, required: [n], properties: { n: { type: integer } } }`) =>
  openapi(`  /n:
    get:
      parameters:
        - { name: q, in: query, schema: { type: integer, minimum: 0, maximum: 9 } }
      responses:
${responses}
        '400': { description: bad }`);

describe('bounds and the base URL', () => {
  test('never more requests than max-requests; the cases left are reported', async () => {
    const server = await serve((req, res) => json(res, 200, { n: 1 }));
    try {
      const r = await runConformanceGate({ openapi: writeTemp('s.yaml', ONE_OP()), baseUrl: server.url, maxRequests: '5', casesPerOperation: '30' });
      expect(server.hits.length).toBe(5);
      expect(r.metrics?.requests).toBe(5);
      expect(r.findings.map((f) => f.id)).toContain('run-incomplete');
    } finally {
      await server.close();
    }
  });

  test('never more requests in flight than the concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    const server = await serve((req, res) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, { n: 1 });
      }, 5);
    });
    try {
      await runConformanceGate({ openapi: writeTemp('s.yaml', ONE_OP()), baseUrl: server.url, concurrency: '2', casesPerOperation: '15' });
      expect(most).toBeLessThanOrEqual(2);
      expect(server.hits.length).toBeGreaterThan(10);
    } finally {
      await server.close();
    }
  });

  test('a redirect to another server is reported and never followed', async () => {
    const elsewhere = await serve((req, res) => json(res, 200, { n: 1 }));
    const server = await serve((req, res) => {
      res.writeHead(302, { Location: `${elsewhere.url}/n` });
      res.end();
    });
    try {
      const r = await runConformanceGate({ openapi: writeTemp('s.yaml', ONE_OP()), baseUrl: server.url, mode: 'smoke' });
      expect(elsewhere.hits).toEqual([]);
      expect(r.findings.find((f) => f.id === 'status-documented')?.message).toContain(`a redirect to ${elsewhere.url}/n, not followed`);
    } finally {
      await server.close();
      await elsewhere.close();
    }
  });

  test('an API that never answers gives request-completed findings, and the run ends', async () => {
    const server = await serve(() => {
      // Never answer.
    });
    try {
      const r = await runConformanceGate({ openapi: writeTemp('s.yaml', ONE_OP()), baseUrl: server.url, mode: 'smoke', requestTimeout: '1' });
      expect(r.findings.map((f) => [f.id, f.message.split('\n')[0]])).toEqual([['request-completed', 'no answer within 1000 ms']]);
    } finally {
      await server.close();
    }
  });

  test("a 429 is retried after its Retry-After, and the retry's answer is judged", async () => {
    let first = true;
    const server = await serve((req, res) => {
      if (first) {
        first = false;
        res.writeHead(429, { 'Retry-After': '0' });
        return res.end();
      }
      json(res, 200, { n: 1 });
    });
    try {
      const r = await runConformanceGate({ openapi: writeTemp('s.yaml', ONE_OP()), baseUrl: server.url, mode: 'smoke' });
      expect(server.hits.length).toBe(2);
      expect(r.findings).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test('only the base URL path prefix is called', async () => {
    const server = await serve((req, res) => json(res, 200, { n: 1 }));
    try {
      await runConformanceGate({ openapi: writeTemp('s.yaml', ONE_OP()), baseUrl: `${server.url}/api/v2/`, casesPerOperation: '5' });
      expect(server.hits.length).toBeGreaterThan(0);
      expect(server.hits.every((h) => h.url.startsWith('/api/v2/n'))).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('an API that breaks the spec in one way each', () => {
  test('accepting out-of-bound values (negative-rejected) and a wrong body type (response-schema) in an OpenAPI 3.1 spec', async () => {
    const server = await serve((req, res) => json(res, 200, { n: 'one', maybe: null }));
    const spec = openapi(
      `  /n:
    get:
      parameters:
        - { name: q, in: query, required: true, schema: { type: integer, minimum: 0, maximum: 9 } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: object, properties: { n: { type: integer }, maybe: { type: [string, 'null'] } } }
        '400': { description: bad }`,
      '',
      '3.1.0',
    );
    try {
      const r = await runConformanceGate({ openapi: writeTemp('s.yaml', spec), baseUrl: server.url, casesPerOperation: '3' });
      const ids = [...new Set(r.findings.map((f) => f.id))].sort();
      expect(ids).toEqual(['negative-rejected', 'response-schema']);
      const neg = r.findings.filter((f) => f.id === 'negative-rejected').map((f) => f.message.split('\n')[0]);
      expect(neg).toEqual(
        expect.arrayContaining([
          "accepted an invalid request with 200 (query parameter 'q' left out (it is required)); expected a 4xx",
          "accepted an invalid request with 200 (query parameter 'q': above maximum 9); expected a 4xx",
        ]),
      );
      expect(r.findings.find((f) => f.id === 'response-schema')!.message).toContain('/n must be integer');
    } finally {
      await server.close();
    }
  });
});
