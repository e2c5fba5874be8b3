/** Hostile-but-realistic inputs and GitHub servers that misbehave: a clear message, never a silent pass or a hang. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseNotesCli } from '../../src/cli/release-notes.js';
import { createGitHubClient } from '../../src/kit/github-client.js';
import { explainGitHubError } from '../../src/release-notes/github.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const V1 = 'examples/petstore/openapi.v1.yaml';
const V2 = 'examples/petstore/openapi.v2.yaml';
const tmp = mkdtempSync(path.join(tmpdir(), 'rn-bad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await releaseNotesCli(argv, (s) => (out += s), (s) => (err += s), { env, cwd: ROOT });
  return { code, out, err };
}

async function listen(server: net.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('release-notes: bad input', () => {
  test('--api-url that is not an http(s) URL is exit 2, not "GitHub HTTP 500" after retries', async () => {
    const r = await cli(['--base', V1, '--revision', V2, '--repo', 'acme/pets', '--since', '2024-01-01', '--api-url', 'notaurl'], { GITHUB_TOKEN: 't' });
    expect(r.code).toBe(2);
    expect(r.err).toBe("api-delivery release-notes: api-url: 'notaurl' is not an http(s) URL (expected e.g. https://api.github.com)\n");
  });

  test('--output that is a directory is refused before anything is computed or sent', async () => {
    const dir = path.join(tmp, 'out');
    mkdirSync(dir);
    const r = await cli(['--base', V1, '--revision', V2, '--no-pull-requests', '--output', dir]);
    expect(r).toMatchObject({ code: 2, err: `api-delivery release-notes: output: '${dir}' is a directory, expected a file path to write to\n` });
  });
});

describe('release-notes: a GitHub API that misbehaves', () => {
  test('200 with a body that is not JSON is an error, not an empty list of pull requests', async () => {
    const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{not json'));
    const url = await listen(server);
    try {
      const r = await cli(['--base', V1, '--revision', V2, '--repo', 'acme/pets', '--since', '2024-01-01', '--api-url', url], { GITHUB_TOKEN: 't' });
      expect(r.code).toBe(2);
      expect(r.err).toContain('api-delivery release-notes: GitHub answered the pull request list of acme/pets with something that is not a JSON list (check --api-url / GITHUB_API_URL): "{not json"');
      expect(r.out).toBe('');
    } finally {
      server.close();
    }
  });

  test('a GitHub API that accepts the connection and never answers gives up after the timeout, saying GitHub did not answer', async () => {
    const silent = createServer(() => {});
    const url = await listen(silent);
    try {
      const gh = createGitHubClient({ token: 't', baseUrl: url, retries: 0, timeoutMs: 300 });
      const e = await gh.rest.repos.get({ owner: 'acme', repo: 'pets' }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeDefined();
      expect(explainGitHubError(e, 'read the repository', 'acme/pets').message).toMatch(/^GitHub did not answer while trying to read the repository in acme\/pets/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
