/**
 * A GitHub REST API subset on 127.0.0.1 for the release-notes tests: releases (by tag, list, create,
 * edit), pull requests (list), issues (list, create, edit), repository contents (get, put), and a
 * webhook receiver. It keeps state like GitHub (ids, html_url, drafts hidden from get-by-tag),
 * records every request, and can be told to answer the next matching requests with a fault.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  auth?: string;
  status: number;
}

interface Release {
  id: number;
  tag_name: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  target_commitish: string;
  html_url: string;
}
interface Issue {
  id: number;
  number: number;
  title: string;
  body: string;
  state: string;
  labels: { name: string }[];
  html_url: string;
  created_at: string;
}
interface Pull {
  number: number;
  title: string;
  html_url: string;
  user: { login: string } | null;
  labels: { name: string }[];
  merged_at: string | null;
  updated_at: string;
  state: 'closed';
}
interface Repo {
  releases: Release[];
  issues: Issue[];
  pulls: Pull[];
  files: Map<string, { content: string; sha: string }>;
}

export interface Fault {
  method: string;
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests get the fault (default 1). */
  times?: number;
}

export interface FakeGitHub {
  url: string;
  requests: Recorded[];
  repos: Map<string, Repo>;
  webhooks: { name: string; body: unknown }[];
  addRepo(fullName: string): Repo;
  fault(f: Fault): void;
  /** Requests that change state (not GET). */
  writes(): Recorded[];
  close(): Promise<void>;
}

export async function startFakeGitHub(opts: { token?: string } = {}): Promise<FakeGitHub> {
  const repos = new Map<string, Repo>();
  const requests: Recorded[] = [];
  const webhooks: { name: string; body: unknown }[] = [];
  const faults: (Fault & { left: number })[] = [];
  let nextId = 1000;
  let server: Server;

  const addRepo = (fullName: string): Repo => {
    const r: Repo = { releases: [], issues: [], pulls: [], files: new Map() };
    repos.set(fullName, r);
    return r;
  };

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  function handle(method: string, p: string, q: Record<string, string>, body: any, base: string): { status: number; data?: unknown; headers?: Record<string, string> } {
    const hook = /^\/hooks\/([\w-]+)$/.exec(p);
    if (hook && method === 'POST') {
      webhooks.push({ name: hook[1]!, body });
      return { status: 200, data: 'ok' };
    }
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(p);
    if (!m) return { status: 404, data: { message: 'Not Found' } };
    const full = `${m[1]}/${m[2]}`;
    const repo = repos.get(full);
    if (!repo) return { status: 404, data: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
    const rest = m[3] ?? '';
    const page = Number(q.page ?? 1);
    const per = Number(q.per_page ?? 30);
    const paged = <T>(list: T[]) => list.slice((page - 1) * per, page * per);
    let r: RegExpExecArray | null;

    if ((r = /^\/releases\/tags\/(.+)$/.exec(rest)) && method === 'GET') {
      const rel = repo.releases.find((x) => x.tag_name === decodeURIComponent(r![1]!) && !x.draft);
      return rel ? { status: 200, data: rel } : { status: 404, data: { message: 'Not Found' } };
    }
    if (rest === '/releases' && method === 'GET') return { status: 200, data: paged([...repo.releases].reverse()) };
    if (rest === '/releases' && method === 'POST') {
      if (repo.releases.some((x) => x.tag_name === body.tag_name)) {
        return { status: 422, data: { message: 'Validation Failed', errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }] } };
      }
      const id = nextId++;
      const rel: Release = {
        id,
        tag_name: body.tag_name,
        name: body.name ?? '',
        body: body.body ?? '',
        draft: !!body.draft,
        prerelease: !!body.prerelease,
        target_commitish: body.target_commitish ?? 'main',
        html_url: `${base}/${full}/releases/${body.draft ? `untagged-${id}` : `tag/${body.tag_name}`}`,
      };
      repo.releases.push(rel);
      return { status: 201, data: rel };
    }
    if ((r = /^\/releases\/(\d+)$/.exec(rest)) && method === 'PATCH') {
      const rel = repo.releases.find((x) => x.id === Number(r![1]));
      if (!rel) return { status: 404, data: { message: 'Not Found' } };
      for (const k of ['name', 'body', 'draft', 'prerelease'] as const) if (body[k] !== undefined) (rel as any)[k] = body[k];
      rel.html_url = `${base}/${full}/releases/${rel.draft ? `untagged-${rel.id}` : `tag/${rel.tag_name}`}`;
      return { status: 200, data: rel };
    }
    if (rest === '/pulls' && method === 'GET') {
      const list = [...repo.pulls].sort((a, b) => b.updated_at.localeCompare(a.updated_at));
      return { status: 200, data: paged(list) };
    }
    if (rest === '/issues' && method === 'GET') {
      const list = [...repo.issues].filter((i) => q.state === 'all' || i.state === (q.state ?? 'open')).reverse();
      return { status: 200, data: paged(list) };
    }
    if (rest === '/issues' && method === 'POST') {
      const number = repo.issues.length + 1;
      const issue: Issue = {
        id: nextId++,
        number,
        title: body.title,
        body: body.body ?? '',
        state: 'open',
        labels: (body.labels ?? []).map((name: string) => ({ name })),
        html_url: `${base}/${full}/issues/${number}`,
        created_at: new Date().toISOString(),
      };
      repo.issues.push(issue);
      return { status: 201, data: issue };
    }
    if ((r = /^\/issues\/(\d+)$/.exec(rest)) && method === 'PATCH') {
      const issue = repo.issues.find((x) => x.number === Number(r![1]));
      if (!issue) return { status: 404, data: { message: 'Not Found' } };
      if (body.title !== undefined) issue.title = body.title;
      if (body.body !== undefined) issue.body = body.body;
      return { status: 200, data: issue };
    }
    if ((r = /^\/contents\/(.+)$/.exec(rest))) {
      const file = decodeURIComponent(r[1]!);
      const key = `${q.ref ?? body?.branch ?? 'main'}:${file}`;
      if (method === 'GET') {
        const f = repo.files.get(key);
        return f ? { status: 200, data: { type: 'file', path: file, sha: f.sha, encoding: 'base64', content: Buffer.from(f.content).toString('base64') } } : { status: 404, data: { message: 'Not Found' } };
      }
      if (method === 'PUT') {
        const cur = repo.files.get(key);
        if (cur && body.sha !== cur.sha) return { status: 409, data: { message: `${file} does not match ${body.sha}` } };
        const sha = `sha${nextId++}`;
        repo.files.set(key, { content: Buffer.from(body.content, 'base64').toString('utf8'), sha });
        return { status: cur ? 200 : 201, data: { content: { path: file, sha }, commit: { sha: `commit${nextId++}` } } };
      }
    }
    return { status: 404, data: { message: `fake GitHub: ${method} ${p} is not implemented` } };
  }

  server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const rec: Recorded = { method: req.method ?? 'GET', path: u.pathname, query: Object.fromEntries(u.searchParams), body, auth: req.headers.authorization, status: 0 };
    requests.push(rec);
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(typeof data === 'string' ? data : JSON.stringify(data));
    };
    const fault = faults.find((f) => f.left > 0 && f.method === rec.method && f.path.test(rec.path));
    if (fault) {
      fault.left--;
      return send(fault.status, fault.body ?? { message: 'fault' }, fault.headers);
    }
    if (opts.token && !u.pathname.startsWith('/hooks/') && rec.auth !== `token ${opts.token}` && rec.auth !== `Bearer ${opts.token}`) {
      return send(401, { message: 'Bad credentials' });
    }
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/web`;
    const out = handle(rec.method, rec.path, rec.query, body ?? {}, base);
    send(out.status, out.data ?? {}, out.headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    repos,
    webhooks,
    addRepo,
    fault: (f) => faults.push({ ...f, left: f.times ?? 1 }),
    writes: () => requests.filter((r) => r.method !== 'GET'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A merged pull request as the list endpoint returns it. */
export function pull(number: number, title: string, author: string, mergedAt: string, labels: string[] = []): Pull {
  return { number, title, html_url: `https://github.test/pull/${number}`, user: { login: author }, labels: labels.map((name) => ({ name })), merged_at: mergedAt, updated_at: mergedAt, state: 'closed' };
}
