/**
 * The GitHub REST API on 127.0.0.1 for the phase-workflow runs: what our actions and the workflows'
 * `gh api` calls reach through GITHUB_API_URL. It answers itself the parts no other test fake has (PR
 * issue comments, the Actions artifacts list and zip download) and passes every other request to the
 * release-notes tests' GitHub fake (releases, pull requests, issues, contents, webhooks). Every request
 * is recorded with its method, path and Authorization header.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeGitHub, type FakeGitHub } from '../release-notes/github-server.js';

export interface Comment {
  id: number;
  issue: number;
  body: string;
  html_url: string;
}
export interface Artifact {
  id: number;
  name: string;
  headBranch: string;
  expired: boolean;
  zip: Buffer;
}
export interface Recorded {
  method: string;
  path: string;
  auth?: string;
}

export interface GitHubStandIn {
  url: string;
  /** The release-notes fake behind it: repos (releases, issues, pulls, files) and webhooks. */
  rest: FakeGitHub;
  comments: Comment[];
  artifacts: Artifact[];
  requests: Recorded[];
  /** An artifact as GitHub serves it: a zip of the files of `dir`, from a run on `headBranch`. */
  addArtifact(name: string, headBranch: string, dir: string): Artifact;
  close(): Promise<void>;
}

export async function startGitHubStandIn(repository: string): Promise<GitHubStandIn> {
  const rest = await startFakeGitHub();
  rest.addRepo(repository);
  const comments: Comment[] = [];
  const artifacts: Artifact[] = [];
  const requests: Recorded[] = [];
  let nextId = 5000;
  const prefix = `/repos/${repository}`;

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({ method: req.method ?? 'GET', path: u.pathname + u.search, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      const p = u.pathname;
      let m: RegExpExecArray | null;
      if ((m = new RegExp(`^${prefix}/issues/(\\d+)/comments$`).exec(p))) {
        const issue = Number(m[1]);
        if (req.method === 'GET') return send(200, comments.filter((c) => c.issue === issue));
        if (req.method === 'POST') {
          const body = JSON.parse(raw.toString('utf8')) as { body: string };
          const c = { id: nextId++, issue, body: body.body, html_url: `https://github.com/${repository}/pull/${issue}#issuecomment-${nextId}` };
          comments.push(c);
          return send(201, c);
        }
      }
      if ((m = new RegExp(`^${prefix}/issues/comments/(\\d+)$`).exec(p)) && req.method === 'PATCH') {
        const c = comments.find((x) => x.id === Number(m![1]));
        if (!c) return send(404, { message: 'Not Found' });
        c.body = (JSON.parse(raw.toString('utf8')) as { body: string }).body;
        return send(200, c);
      }
      if (p === `${prefix}/actions/artifacts` && req.method === 'GET') {
        const name = u.searchParams.get('name');
        const list = artifacts.filter((a) => !name || a.name === name).reverse();
        return send(200, {
          total_count: list.length,
          artifacts: list.map((a) => ({
            id: a.id,
            name: a.name,
            expired: a.expired,
            size_in_bytes: a.zip.length,
            archive_download_url: `${address()}${prefix}/actions/artifacts/${a.id}/zip`,
            workflow_run: { id: 1, head_branch: a.headBranch },
          })),
        });
      }
      if ((m = new RegExp(`^${prefix}/actions/artifacts/(\\d+)/zip$`).exec(p)) && req.method === 'GET') {
        const a = artifacts.find((x) => x.id === Number(m![1]));
        if (!a) return send(404, { message: 'Not Found' });
        if (a.expired) return send(410, { message: 'Artifact has expired' });
        res.writeHead(200, { 'content-type': 'application/zip' });
        return void res.end(a.zip);
      }
      // Everything else: the release-notes fake.
      const target = new URL(rest.url);
      const fwd = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host, 'content-length': String(raw.length) } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      fwd.on('error', (e) => send(502, { message: `GitHub stand-in: ${e.message}` }));
      fwd.end(raw);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: address(),
    rest,
    comments,
    artifacts,
    requests,
    addArtifact(name, headBranch, dir) {
      const tmp = mkdtempSync(path.join(tmpdir(), 'gh-artifact-'));
      const zipFile = path.join(tmp, 'a.zip');
      const r = spawnSync('zip', ['-q', '-r', zipFile, '.'], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`zip failed: ${r.stderr}`);
      const a = { id: nextId++, name, headBranch, expired: false, zip: readFileSync(zipFile) };
      rmSync(tmp, { recursive: true, force: true });
      artifacts.push(a);
      return a;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await rest.close();
    },
  };
}
