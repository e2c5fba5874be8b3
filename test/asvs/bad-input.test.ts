/** Hostile-but-realistic inputs to `api-delivery asvs`: exit 2 with a message naming the option and what was expected. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { cleanup, repo, ROOT } from './helpers.js';

afterAll(cleanup);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['asvs', ...argv], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const EXAMPLE = path.join(ROOT, 'examples/petstore/Security-ASVS-checklist.md');

describe('asvs: bad input gives exit 2', () => {
  test('--root that does not exist or is a file (every evidence path used to be "not found": exit 1)', async () => {
    const dir = repo();
    expect(await cli('verify', EXAMPLE, '--root', path.join(dir, 'nope'))).toMatchObject({
      code: 2,
      err: `api-delivery asvs: root: '${path.join(dir, 'nope')}' not found: expected the repository root directory that evidence paths are relative to\n`,
    });
    writeFileSync(path.join(dir, 'a-file'), 'x');
    const r = await cli('verify', EXAMPLE, '--root', path.join(dir, 'a-file'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`root: '${path.join(dir, 'a-file')}' is a file: expected the repository root directory`);
  });

  test('--output that is a directory (verify and init) or in a missing folder', async () => {
    const dir = repo();
    mkdirSync(path.join(dir, 'out'));
    const expected = `api-delivery asvs: output: '${path.join(dir, 'out')}' is a directory, expected a file path to write to\n`;
    expect(await cli('verify', EXAMPLE, '--root', ROOT, '--output', path.join(dir, 'out'))).toMatchObject({ code: 2, err: expected });
    expect(await cli('init', '--level', '1', '--output', path.join(dir, 'out'), '--force')).toMatchObject({ code: 2, err: expected });
    const missing = path.join(dir, 'no-folder', 'checklist.md');
    expect((await cli('init', '--level', '1', '--output', missing)).err).toContain(`output: '${missing}' is in a folder that does not exist`);
  });
});

describe('asvs probe: a server that drops every connection', () => {
  test('ends with a finding that names the request, within the time budget', async () => {
    const server = net.createServer((s) => s.on('error', () => {}).destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await cli('probe', '--openapi', path.join(ROOT, 'examples/petstore/openapi.v2.yaml'), '--base-url', `http://127.0.0.1:${port}`, '--probes', 'headers', '--timeout', '1', '--max-duration', '5', '--format', 'json');
      expect(r.code).toBe(1);
      const finding = JSON.parse(r.out).findings.find((f: { id: string }) => f.id === 'asvs-probe-error');
      expect(finding.message).toMatch(new RegExp(`^probe:headers: could not reach the API: GET http://127\\.0\\.0\\.1:${port}/pets: `));
    } finally {
      server.close();
    }
  });
});
