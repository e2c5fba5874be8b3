/**
 * The committed bundles run the way the GitHub runner runs them: `node dist/<name>/index.js` with
 * INPUT_* for every input (defaults filled from action.yml, as the runner does), GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY pointing at temp files, then the files and stdout are read back.
 * No mocks: the PR comment goes to a real HTTP server on 127.0.0.1 that speaks the REST subset.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { annotations, root, runAction, tempDir, type Run } from './runner.js';

const BREAKING = path.join(root, 'dist/breaking/index.js');
const UMBRELLA = path.join(root, 'dist/umbrella/index.js');
const V1 = 'examples/petstore/openapi.v1.yaml';
const V2 = 'examples/petstore/openapi.v2.yaml';

/** stdout alone (stderr apart in run.stderr): the annotation counts and comparisons here read stdout only. */
const runStep = (bundle: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<Run> =>
  runAction({ bundle, actionYml: bundle === UMBRELLA ? 'action.yml' : 'actions/breaking/action.yml', inputs, env, mergeStderr: false });

describe('dist/breaking on the example v1 → v2', () => {
  let run: Run;
  beforeAll(async () => {
    expect(existsSync(BREAKING)).toBe(true);
    run = await runStep(BREAKING, { base: V1, revision: V2 });
  });

  test('the gate fails: exit 1, verdict fail, semver major, errors counted', () => {
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    expect(run.outputs.semver).toBe('major');
    expect(Number(run.outputs['error-count'])).toBeGreaterThan(0);
    for (const k of ['warning-count', 'info-count']) expect(run.outputs[k]).toMatch(/^\d+$/);
  });

  test('result-file is a GateResult whose counts match the outputs', () => {
    const file = run.outputs['result-file']!;
    expect(path.isAbsolute(file)).toBe(true);
    expect(file.startsWith(run.tmp)).toBe(true); // default: $RUNNER_TEMP/breaking-result.json
    const result = JSON.parse(readFileSync(file, 'utf8')) as {
      gate: string;
      verdict: string;
      semver: string;
      findings: { id: string; level: string; message: string; location?: { file: string; line?: number } }[];
    };
    expect(result).toMatchObject({ gate: 'breaking', verdict: 'fail', semver: 'major' });
    for (const f of result.findings) {
      expect(f).toEqual(expect.objectContaining({ id: expect.any(String), level: expect.stringMatching(/^(error|warning|info)$/), message: expect.any(String) }));
    }
    const count = (level: string) => String(result.findings.filter((f) => f.level === level).length);
    expect(run.outputs['error-count']).toBe(count('error'));
    expect(run.outputs['warning-count']).toBe(count('warning'));
    expect(run.outputs['info-count']).toBe(count('info'));
  });

  test('the job summary holds the markdown report', () => {
    expect(run.summary).toMatch(/^## ❌ API breaking changes: failed/);
    expect(run.summary).toContain('| ❌ Errors | ⚠️ Warnings | ℹ️ Info |');
    expect(run.summary).toMatch(/\| ❌ error \| `api-path-removed-without-deprecation` \|/);
  });

  test('errors are annotated on the spec lines, repository-relative, at most 10 per type', () => {
    const a = annotations(run.stdout);
    const located = a.error.filter((l) => /^::error file=examples\/petstore\/openapi\.v[12]\.yaml,line=\d+[,:]/.test(l));
    expect(located.length).toBe(Number(run.outputs['error-count']));
    for (const type of ['error', 'warning', 'notice'] as const) expect(a[type].length).toBeLessThanOrEqual(10);
    // The removed path is annotated where it was: in the base file.
    expect(a.error).toContainEqual(expect.stringMatching(/^::error file=examples\/petstore\/openapi\.v1\.yaml,line=\d+,title=api-path-removed-without-deprecation/));
  });
});

describe('dist/breaking verdicts and bad input', () => {
  test('fail-on: never previews the same changes and exits 0', async () => {
    const run = await runStep(BREAKING, { base: V1, revision: V2, 'fail-on': 'never' });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', semver: 'major' });
    expect(Number(run.outputs['error-count'])).toBeGreaterThan(0);
    expect(annotations(run.stdout).error.some((l) => l.startsWith('::error file='))).toBe(true);
  });

  test('annotations: false (a step that only posts the comment) annotates nothing but still exits 1 with the full summary', async () => {
    const run = await runStep(BREAKING, { base: V1, revision: V2, annotations: 'false' });
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    expect(run.stdout).not.toMatch(/^::(error|warning|notice)/m);
    expect(run.stdout).toContain('The gate failed');
    expect(run.summary).toMatch(/^## ❌ API breaking changes: failed/);
    expect(run.summary).not.toMatch(/annotat/i);
  });

  test('annotations: a value other than true or false exits 2 naming the input', async () => {
    const run = await runStep(BREAKING, { base: V1, revision: V2, annotations: 'no' });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error::annotations: 'no' is not true or false/m);
  });

  test('the same spec on both sides passes with semver patch', async () => {
    const run = await runStep(BREAKING, { base: V1, revision: V1 });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', semver: 'patch', 'error-count': '0', 'warning-count': '0', 'info-count': '0' });
    expect(run.summary).toContain('No findings.');
  });

  test('a missing spec file exits 2 with a message naming the file', async () => {
    const run = await runStep(BREAKING, { base: V1, revision: 'examples/petstore/openapi.v3.yaml' });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error::.*examples\/petstore\/openapi\.v3\.yaml/m);
    expect(run.outputs.verdict).toBeUndefined();
  });

  test('an invalid spec exits 2 naming the file (phase 1 relies on this as its spec validation)', async () => {
    const ws = tempDir();
    writeFileSync(path.join(ws, 'notapi.yaml'), 'foo: bar\n');
    const run = await runStep(BREAKING, { base: 'notapi.yaml', revision: 'notapi.yaml', 'fail-on': 'never' }, { GITHUB_WORKSPACE: ws });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error::notapi\.yaml: not an OpenAPI document/m);
  });

  test('a bad fail-on value exits 2 naming the input', async () => {
    const run = await runStep(BREAKING, { base: V1, revision: V2, 'fail-on': 'sometimes' });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error::fail-on: 'sometimes' is not one of error, warning, never/m);
  });

  test('more than 10 breaking changes: still at most 10 error annotations, the rest in the summary', async () => {
    const ws = tempDir();
    const spec = (paths: string[]) =>
      ['openapi: 3.0.3', 'info: {title: many, version: "1"}', 'paths:' + (paths.length ? '' : ' {}')]
        .concat(paths.flatMap((p) => [`  ${p}:`, '    get:', '      responses:', "        '200': {description: ok}"]))
        .join('\n') + '\n';
    const removed = Array.from({ length: 12 }, (_, i) => `/things${i}`);
    writeFileSync(path.join(ws, 'old.yaml'), spec(removed));
    writeFileSync(path.join(ws, 'new.yaml'), spec([]));
    const run = await runStep(BREAKING, { base: 'old.yaml', revision: 'new.yaml' }, { GITHUB_WORKSPACE: ws });
    expect(run.code).toBe(1);
    expect(run.outputs['error-count']).toBe('12');
    const errors = annotations(run.stdout).error;
    expect(errors.length).toBeLessThanOrEqual(10); // the runner drops the 11th error of a step
    expect(errors.filter((l) => l.startsWith('::error file=old.yaml,line='))).not.toHaveLength(0);
    expect(run.summary).toMatch(/of 12 findings were shown as annotations/);
  });
});

describe('dist/breaking with the base read from git (REV:path)', () => {
  test('a removal is annotated on the checked-out file, its base line named in the message', async () => {
    const repo = tempDir();
    const spec = (extra: string) =>
      `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n${extra}`;
    writeFileSync(path.join(repo, 'openapi.yaml'), spec(`  /b:\n    get:\n      responses:\n        '200': {description: ok}\n`));
    const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
    writeFileSync(path.join(repo, 'openapi.yaml'), spec(''));
    const run = await runStep(BREAKING, { base: 'HEAD:openapi.yaml', revision: 'openapi.yaml' }, { GITHUB_WORKSPACE: repo });
    expect(run.code).toBe(1);
    const removal = annotations(run.stdout).error.find((l) => l.includes('api-path-removed-without-deprecation'));
    expect(removal).toMatch(/^::error file=openapi\.yaml,title=/);
    expect(removal).toMatch(/\(at line 9 of HEAD\)$/);
    const result = JSON.parse(readFileSync(run.outputs['result-file']!, 'utf8'));
    expect(result.findings[0].location).toEqual({ file: 'HEAD:openapi.yaml', line: 9 });
  });
});

describe('dist/umbrella', () => {
  test('gate: breaking gives the same result as actions/breaking', async () => {
    const [direct, umbrella] = await Promise.all([
      runStep(BREAKING, { base: V1, revision: V2 }),
      runStep(UMBRELLA, { gate: 'breaking', base: V1, revision: V2 }),
    ]);
    expect(umbrella.code).toBe(1);
    const comparable = (o: Record<string, string>) => ({ ...o, 'result-file': undefined });
    expect(comparable(umbrella.outputs)).toEqual(comparable(direct.outputs));
    expect(annotations(umbrella.stdout)).toEqual(annotations(direct.stdout));
    expect(readFileSync(umbrella.outputs['result-file']!, 'utf8')).toBe(readFileSync(direct.outputs['result-file']!, 'utf8'));
  });

  test("another gate's own defaults apply where the umbrella's are empty (asvs: mode verify)", async () => {
    const run = await runStep(UMBRELLA, { gate: 'asvs', checklist: 'examples/petstore/Security-ASVS-checklist.md', level: '1' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.verdict).toBe('pass');
    expect(run.outputs.coverage).toBeDefined();
  });

  test('an unknown gate exits 2 naming the input', async () => {
    const run = await runStep(UMBRELLA, { gate: 'nope', base: V1, revision: V2 });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error::gate: 'nope' is not one of asvs, breaking, conformance, contract, design, flags, lifecycle, perf, release-notes, telemetry$/m);
  });
});

// ---------------------------------------------------------------- sticky PR comment

interface Comment {
  id: number;
  body: string;
  html_url: string;
}
interface Recorded {
  method: string;
  url: string;
  auth?: string;
  body?: { body?: string };
}

/** The REST subset the comment needs, in memory: list/create issue comments, update a comment. */
class FakeGitHub {
  comments: Comment[] = [];
  requests: Recorded[] = [];
  /** Answer writes (POST/PATCH) with this status instead, as GitHub does for a fork's read-only token. */
  denyWrites?: number;
  /** Answers given before the real ones, one per request of that method (rate limits, outages). */
  failures: { method: string; status: number; message: string; headers?: Record<string, string> }[] = [];
  private server: Server = createServer((req, res) => void this.handle(req, res));
  private nextId = 1000;

  async start(): Promise<string> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop(): Promise<void> {
    return new Promise((ok) => this.server.close(() => ok()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = raw ? (JSON.parse(raw) as { body?: string }) : undefined;
    this.requests.push({ method: req.method ?? '', url: url.pathname + url.search, auth: req.headers.authorization, body });
    const send = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(data));
    };
    const list = /^\/repos\/o\/r\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const one = /^\/repos\/o\/r\/issues\/comments\/(\d+)$/.exec(url.pathname);
    const failure = this.failures.findIndex((f) => f.method === req.method);
    if (failure >= 0) {
      const f = this.failures.splice(failure, 1)[0]!;
      res.writeHead(f.status, { 'content-type': 'application/json; charset=utf-8', ...f.headers });
      return void res.end(JSON.stringify({ message: f.message, documentation_url: 'https://docs.github.com/rest' }));
    }
    if (req.method !== 'GET' && this.denyWrites) {
      return send(this.denyWrites, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });
    }
    if (list && req.method === 'GET') return send(200, this.comments);
    if (list && req.method === 'POST' && typeof body?.body === 'string') {
      const id = this.nextId++;
      const c = { id, body: body.body, html_url: `https://github.com/o/r/pull/${list[1]}#issuecomment-${id}` };
      this.comments.push(c);
      return send(201, c);
    }
    if (one && req.method === 'PATCH' && typeof body?.body === 'string') {
      const c = this.comments.find((x) => x.id === Number(one[1]));
      if (!c) return send(404, { message: 'Not Found' });
      c.body = body.body;
      return send(200, c);
    }
    send(404, { message: 'Not Found' });
  }
}

describe('sticky PR comment (against a REST server on 127.0.0.1)', () => {
  const gh = new FakeGitHub();
  let prEnv: Record<string, string>;
  const MARKER = '<!-- api-delivery:breaking:default -->';

  beforeAll(async () => {
    const api = await gh.start();
    const event = path.join(tempDir(), 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7 } }));
    prEnv = { GITHUB_API_URL: api, GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event };
  });
  afterAll(() => gh.stop());

  const commentRun = (extra: Record<string, string> = {}) =>
    runStep(BREAKING, { base: V1, revision: V2, comment: 'true', 'github-token': 'x', ...extra }, prEnv);

  test('the first run creates one comment with the hidden marker and the report', async () => {
    const run = await commentRun();
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(gh.comments[0]!.body).toContain('API breaking changes: failed');
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(gh.requests.every((r) => r.auth === 'token x')).toBe(true);
    expect(gh.requests[1]!.url).toBe('/repos/o/r/issues/7/comments');
  });

  test('the second run updates that comment in place', async () => {
    gh.requests = [];
    const first = gh.comments[0]!;
    gh.comments[0] = { ...first, body: `${MARKER}\nstale report` };
    const run = await commentRun({ 'fail-on': 'never' });
    expect(run.code).toBe(0);
    expect(gh.comments).toHaveLength(1);
    expect(gh.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'GET /repos/o/r/issues/7/comments',
      `PATCH /repos/o/r/issues/comments/${first.id}`,
    ]);
    expect(gh.comments[0]!.body).toContain('API breaking changes: passed');
  });

  test('another comment-id gets its own comment; others are left alone', async () => {
    gh.requests = [];
    gh.comments.push({ id: 1, body: 'a human review comment', html_url: 'https://github.com/o/r/pull/7#issuecomment-1' });
    await commentRun({ 'comment-id': 'payments-spec' });
    expect(gh.comments).toHaveLength(3);
    expect(gh.comments[2]!.body.startsWith('<!-- api-delivery:breaking:payments-spec -->\n')).toBe(true);
    expect(gh.comments[1]!.body).toBe('a human review comment');
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  test('a read-only token (403 on POST): the step keeps its verdict, warns, and says so in the summary', async () => {
    gh.comments = [];
    gh.requests = [];
    gh.denyWrites = 403;
    try {
      const run = await commentRun();
      expect(run.code).toBe(1); // the gate's verdict, not a crash
      expect(run.outputs).toMatchObject({ verdict: 'fail', semver: 'major' });
      expect(existsSync(run.outputs['result-file']!)).toBe(true);
      expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
      expect(gh.comments).toEqual([]);
      expect(run.stdout).toMatch(/^::warning::.*not posted.*HTTP 403.*read-only/m);
      expect(run.stdout).not.toMatch(/internal error/);
      expect(run.summary).toMatch(/^## ❌ API breaking changes: failed/);
      expect(run.summary).toContain('The PR comment was not posted');
    } finally {
      gh.denyWrites = undefined;
    }
  });

  const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

  test('a secondary rate limit on the write is waited out and retried: one comment, no warning', async () => {
    gh.comments = [];
    gh.requests = [];
    gh.failures = [{ method: 'POST', status: 403, message: SECONDARY, headers: { 'retry-after': '1' } }];
    const run = await commentRun();
    expect(run.code).toBe(1);
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST']);
    expect(gh.comments).toHaveLength(1);
    expect(run.stdout).not.toMatch(/::warning::/);
    expect(run.summary).not.toContain('not posted');
  });

  test('a 502 while listing comments is retried, and the existing comment is still updated in place', async () => {
    gh.requests = [];
    gh.failures = [{ method: 'GET', status: 502, message: 'Server Error' }];
    await commentRun();
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'PATCH']);
    expect(gh.comments).toHaveLength(1);
  });

  test('a rate limit that outlasts the retries is a warning and a summary note naming it, not a read-only token; the verdict stands', async () => {
    gh.comments = [];
    gh.requests = [];
    gh.failures = Array.from({ length: 4 }, () => ({ method: 'POST', status: 403, message: SECONDARY, headers: { 'retry-after': '1' } }));
    const run = await commentRun();
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST', 'POST', 'POST']);
    expect(gh.comments).toEqual([]);
    expect(run.stdout).toMatch(/^::warning::The PR comment was not posted: GitHub kept rate-limiting it after the allowed retries \(HTTP 403/m);
    expect(run.stdout).not.toMatch(/read-only/);
    expect(run.summary).toContain('The PR comment was not posted: GitHub kept rate-limiting it');
  });

  test('outside a pull_request event no request is made', async () => {
    gh.requests = [];
    const event = path.join(tempDir(), 'push.json');
    writeFileSync(event, JSON.stringify({ ref: 'refs/heads/main' }));
    const run = await runStep(BREAKING, { base: V1, revision: V1, comment: 'true', 'github-token': 'x' }, {
      ...prEnv,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: event,
    });
    expect(run.code).toBe(0);
    expect(gh.requests).toEqual([]);
  });
});
