/**
 * Hostile-but-realistic inputs to `api-delivery contract`: each ends in exit 2 with a message naming
 * the file or option and what was expected — never a crash, a silent exit, or a silent pass.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { cleanTemp, pactText, ROOT, SPEC_V2, tempDir } from './helpers.js';

afterAll(cleanTemp);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const code = await main(['contract', ...argv], (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  } finally {
    process.chdir(cwd);
  }
}

const getPet = { description: 'get pet 1', request: { method: 'GET', path: '/pets/1' }, response: { status: 200 } };

describe('contract compare: pact files', () => {
  test('an interaction whose request.method is not a string is named, not "Malformed Pact file"', async () => {
    const dir = tempDir({ 'p.json': pactText([{ ...getPet, request: { method: 5, path: '/pets/1' } }]) });
    const r = await cli('compare', '--pact', path.join(dir, 'p.json'), '--openapi', SPEC_V2);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`api-delivery contract: ${path.join(dir, 'p.json')}: interactions[0].request.method is 5: expected an HTTP method such as "GET" (interaction 'get pet 1')\n`);
  });

  test('a response status out of range and headers given as a list', async () => {
    const dir = tempDir({
      'status.json': pactText([{ ...getPet, response: { status: -1 } }]),
      'headers.json': pactText([{ ...getPet, request: { method: 'GET', path: '/pets/1', headers: ['Accept'] } }]),
    });
    expect((await cli('compare', '--pact', path.join(dir, 'status.json'), '--openapi', SPEC_V2)).err).toContain('interactions[0].response.status is -1: expected an HTTP status code from 100 to 599');
    expect((await cli('compare', '--pact', path.join(dir, 'headers.json'), '--openapi', SPEC_V2)).err).toContain('interactions[0].request.headers is ["Accept"]: expected an object mapping header names to values');
  });

  test('a pact with no interactions is not a silent clean pass', async () => {
    const dir = tempDir({ 'empty.json': pactText([]) });
    const r = await cli('compare', '--pact', path.join(dir, 'empty.json'), '--openapi', SPEC_V2, '--format', 'json');
    const result = JSON.parse(r.out);
    expect(result.findings).toEqual([expect.objectContaining({ id: 'pact-no-interactions', level: 'warning' })]);
    expect(result.findings[0].message).toContain('has no interactions, so nothing was checked against the spec');
    expect((await cli('compare', '--pact', path.join(dir, 'empty.json'), '--openapi', SPEC_V2, '--fail-on', 'warning')).code).toBe(1);
  });

  test('--output that is a directory is refused before anything runs', async () => {
    const dir = tempDir({ 'p.json': pactText([getPet]) });
    mkdirSync(path.join(dir, 'out'));
    const r = await cli('compare', '--pact', path.join(dir, 'p.json'), '--openapi', SPEC_V2, '--output', path.join(dir, 'out'));
    expect(r).toMatchObject({ code: 2, err: `api-delivery contract: output: '${path.join(dir, 'out')}' is a directory, expected a file path to write to\n` });
  });
});

describe('contract: option values', () => {
  const cid = ['can-i-deploy', '--broker-url', 'http://127.0.0.1:9', '--pacticipant', 'web', '--version', 'abc', '--to-environment', 'production'];

  test('timeouts beyond what a timer can wait (they used to fire at once) and absurd retry counts', async () => {
    expect(await cli(...cid, '--broker-timeout', '3000000')).toMatchObject({ code: 2, err: "api-delivery contract: broker-timeout: '3000000' seconds is more than a day (at most 86400)\n" });
    expect((await cli(...cid, '--retry-interval', '1e9')).err).toContain("retry-interval: '1e9' seconds is more than a day");
    expect((await cli(...cid, '--retry-while-unknown', '99999999')).err).toContain("retry-while-unknown: '99999999' is more than 1000");
  });

  test('--state-handlers that does not exist or is a directory', async () => {
    const dir = tempDir({ 'p.json': pactText([getPet]) });
    const base = ['verify', '--provider-url', 'http://127.0.0.1:9', '--pact', path.join(dir, 'p.json'), '--no-pact-install'];
    const missing = await cli(...base, '--state-handlers', path.join(dir, 'nope.mjs'));
    expect(missing).toMatchObject({ code: 2, err: `api-delivery contract: state-handlers: file '${path.join(dir, 'nope.mjs')}' not found (expected a JavaScript module that exports stateHandlers)\n` });
    const asDir = await cli(...base, '--state-handlers', dir);
    expect(asDir.err).toContain(`state-handlers: '${dir}' is a directory, expected a JavaScript module that exports stateHandlers`);
  });
});

describe('contract: servers that misbehave', () => {
  test('a provider that answers 500 until the ready timeout: the message says what it answered', async () => {
    const server = createHttpServer((_, res) => res.writeHead(500).end('<html>oops</html>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = tempDir({ 'p.json': pactText([getPet]) });
    try {
      const r = await cli('verify', '--provider-url', url, '--pact', path.join(dir, 'p.json'), '--ready-timeout', '0.5');
      expect(r.code).toBe(2);
      expect(r.err).toContain(`ready-url: ${url} did not answer within 0.5 s with a good status (last attempt: HTTP 500): is the provider running?`);
    } finally {
      server.close();
    }
  });

  test('a broker that drops every connection: exit 2 with a message (the CLI used to exit 13, silently)', async () => {
    const server = net.createServer((s) => s.on('error', () => {}).destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'src/cli/index.ts'), 'contract', 'can-i-deploy', '--broker-url', `http://127.0.0.1:${port}`, '--pacticipant', 'web', '--version', 'abc', '--to-environment', 'production', '--broker-timeout', '1'],
        { cwd: ROOT, env: { ...process.env, PACT_BROKER_TOKEN: '' } },
      );
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect({ code, stderr }).toEqual({ code: 2, stderr: expect.stringMatching(new RegExp(`^api-delivery contract: Pact Broker at http://127\\.0\\.0\\.1:${port}: GET /can-i-deploy\\?.* failed: .*\\(after 3 attempts\\)\\n$`)) });
    } finally {
      server.close();
    }
  });
});
