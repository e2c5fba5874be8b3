/** Hostile-but-realistic inputs to `api-delivery conformance`: exit 2 with a message naming the option and what was expected. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { cleanup, tempDir, V2, writeTemp } from './helpers.js';

afterAll(cleanup);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['conformance', ...argv], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

describe('conformance: bad input gives exit 2', () => {
  test('an --include that matches no operation (it used to test nothing and pass)', async () => {
    const r = await cli('--openapi', V2, '--base-url', 'http://127.0.0.1:9', '--include', '^getPett$');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `api-delivery conformance: include: '^getPett$' matches none of the 5 operations of examples/petstore/openapi.v2.yaml (e.g. 'GET /pets', 'POST /pets', 'GET /pets/{id}', 'DELETE /pets/{id}', 'GET /pets/{id}/vaccinations'); it is matched against 'METHOD /path' and operationId\n`,
    );
  });

  test('an empty test plan, on its own or with a run', async () => {
    const empty = writeTemp('Test-plan.md', '\n\n');
    const expected = `api-delivery conformance: test-plan: '${empty}' is empty: expected a filled-in test plan (templates/Test-plan.md)\n`;
    expect(await cli('plan', empty)).toMatchObject({ code: 2, err: expected });
    expect(await cli('--openapi', V2, '--base-url', 'http://127.0.0.1:9', '--test-plan', empty)).toMatchObject({ code: 2, err: expected });
  });

  test('--output that is a directory is refused before any request', async () => {
    const dir = path.join(tempDir(), 'out');
    mkdirSync(dir);
    expect(await cli('--openapi', V2, '--base-url', 'http://127.0.0.1:9', '--output', dir)).toMatchObject({
      code: 2,
      err: `api-delivery conformance: output: '${dir}' is a directory, expected a file path to write to\n`,
    });
  });
});

describe('conformance: a server that drops every connection', () => {
  test('every request is a request-completed error (exit 1), none a pass', async () => {
    const server = net.createServer((s) => s.on('error', () => {}).destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await cli('--openapi', V2, '--base-url', `http://127.0.0.1:${port}`, '--mode', 'smoke', '--request-timeout', '2', '--format', 'json');
      expect(r.code).toBe(1);
      const ids = new Set(JSON.parse(r.out).findings.filter((f: { level: string }) => f.level === 'error').map((f: { id: string }) => f.id));
      expect([...ids]).toEqual(['request-completed']);
    } finally {
      server.close();
    }
  });
});
