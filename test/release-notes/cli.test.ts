/**
 * The CLI over a real git repository: the default base is the spec at the last release tag, pull
 * requests since that tag's date come from the GitHub API on 127.0.0.1; exit codes 0/1/2.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseNotesCli } from '../../src/cli/release-notes.js';
import { pull, startFakeGitHub, type FakeGitHub } from './github-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const V1 = path.join(root, 'examples/petstore/openapi.v1.yaml');
const V2 = path.join(root, 'examples/petstore/openapi.v2.yaml');

const dirs: string[] = [];
let repo: string;
let gh: FakeGitHub;
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_DATE: '2026-02-01T12:00:00Z', GIT_COMMITTER_DATE: '2026-02-01T12:00:00Z' } });
function newRepo(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'release-notes-git-'));
  dirs.push(d);
  git(d, 'init', '-q', '-b', 'main');
  git(d, 'config', 'user.email', 'test@example.test');
  git(d, 'config', 'user.name', 'Test');
  git(d, 'config', 'commit.gpgsign', 'false');
  git(d, 'config', 'tag.gpgsign', 'false');
  return d;
}

beforeAll(async () => {
  repo = newRepo();
  copyFileSync(V1, path.join(repo, 'openapi.yaml'));
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'v1');
  git(repo, 'tag', 'v1.4.0');
  copyFileSync(V2, path.join(repo, 'openapi.yaml'));
  gh = await startFakeGitHub({ token: 'tok' });
  gh.addRepo('acme/petstore').pulls.push(
    pull(5, 'feat: before the tag', 'old', '2026-01-20T00:00:00Z'),
    pull(6, 'feat: vaccinations', 'alice', '2026-02-03T00:00:00Z'),
  );
});
afterAll(async () => {
  await gh.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function cli(argv: string[], cwd = repo, env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await releaseNotesCli(argv, (s) => (out += s), (s) => (err += s), { cwd, env, client: { paceWrites: false, retryAfterBaseMs: 5 } });
  return { code, out, err };
}

describe('api-delivery release-notes', () => {
  test('without --base: the spec at the last release tag; pull requests since its date', async () => {
    const r = await cli(['--revision', 'openapi.yaml', '--version', '2.0.0', '--repo', 'acme/petstore', '--api-url', gh.url, '--date', '2026-03-01'], repo, { GITHUB_TOKEN: 'tok' });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('## Petstore API 2.0.0 (2026-03-01)');
    expect(r.out).toContain('Compared with 1.4.0 (`v1.4.0:openapi.yaml` → `openapi.yaml`)');
    expect(r.out).toContain('- feat: vaccinations ([#6](https://github.test/pull/6)) by @alice');
    expect(r.out).not.toContain('before the tag');
    const pulls = gh.requests.find((q) => q.path === '/repos/acme/petstore/pulls');
    expect(pulls?.query).toMatchObject({ state: 'closed', sort: 'updated', direction: 'desc' });
  });

  test('the tag being released is not its own base', async () => {
    const d = newRepo();
    copyFileSync(V1, path.join(d, 'openapi.yaml'));
    git(d, 'add', '.');
    git(d, 'commit', '-q', '-m', 'v1');
    git(d, 'tag', 'v1.4.0');
    copyFileSync(V2, path.join(d, 'openapi.yaml'));
    git(d, 'commit', '-q', '-am', 'v2');
    git(d, 'tag', 'v2.0.0');
    const r = await cli(['--revision', 'openapi.yaml', '--tag', 'v2.0.0', '--format', 'json'], d);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ gate: 'release-notes', base: 'v1.4.0:openapi.yaml', version: '2.0.0', previousVersion: '1.4.0', semver: 'major', verdict: 'pass' });
  });

  test('a version that disagrees with the changes exits 1 and says why on stderr', async () => {
    const r = await cli(['--revision', 'openapi.yaml', '--version', '1.5.0']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('## Petstore API 1.5.0');
    expect(r.err).toMatch(/^error: 1\.4\.0 → 1\.5\.0 is a minor release but the API has 7 breaking changes: a major release is needed \(e\.g\. 2\.0\.0\)\. \[version-bump-too-small\]$/m);
    expect(r.err).toMatch(/^warning: The revision's info\.version is '2\.0\.0' but the release is 1\.5\.0.*\(openapi\.yaml:4\)$/m);
  });

  test('--fail-on never reports but passes; --previous-version overrides the base spec', async () => {
    expect((await cli(['--revision', 'openapi.yaml', '--version', '1.5.0', '--fail-on', 'never'])).code).toBe(0);
    const r = await cli(['--revision', 'openapi.yaml', '--version', '3.0.0', '--previous-version', '2.9.0', '--format', 'json']);
    expect(JSON.parse(r.out)).toMatchObject({ previousVersion: '2.9.0', verdict: 'pass' });
  });

  test('without --version the advice and the next version go to stderr', async () => {
    const r = await cli(['--revision', 'openapi.yaml']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('info: advised bump major: the next version would be 2.0.0 (pass --version to check one)\n');
  });

  test('publish --dry-run prints the notes, the notice and the webhook payload, and sends nothing', async () => {
    const before = gh.requests.length;
    const site = path.join(repo, 'site');
    const r = await cli(['publish', '--revision', 'openapi.yaml', '--version', '2.0.0', '--repo', 'acme/petstore', '--dry-run', '--docs-dir', site, '--consumers', path.join(root, 'examples/release-notes/consumers.yml'), '--no-pull-requests'], repo, { API_RELEASE_WEBHOOK_URL: 'https://hooks.example.test/services/secret' });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(gh.requests.length).toBe(before);
    expect(r.out).toContain('## Publish (dry run: nothing sent, nothing committed)');
    expect(r.out).toContain('- GitHub Release for v2.0.0: would create or update "Petstore API 2.0.0');
    expect(r.out).toContain('- CHANGELOG.md: would be created');
    expect(r.out).toContain(`- Docs site: ${site} (`);
    expect(r.out).toContain('- Mobile app: issue acme/mobile-app: would create or update');
    expect(r.out).toContain('- Partners: webhook https://hooks.example.test/…: would send');
    expect(r.out).not.toContain('services/secret');
    expect(r.out).toContain('### Consumer notice: issue "Petstore API 2.0.0: breaking changes, action needed (rollout 2027-01-15)"');
    expect(r.out).toMatch(/### Webhook payload\n\n```json\n\{\n  "text": "Petstore API 2\.0\.0: rollout 2027-01-15"/);
    expect(existsSync(path.join(repo, 'CHANGELOG.md'))).toBe(false);
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('swagger-ui-bundle.js');
  });

  test.each([
    [['--base', 'x.yaml'], /--revision is required/],
    [['--revision', 'openapi.yaml', '--format', 'sarif'], /format: 'sarif' is not one of markdown, json/],
    [['--revision', 'openapi.yaml', '--dry-run'], /--dry-run belongs to 'release-notes publish'/],
    [['--revision', 'openapi.yaml', '--bogus'], /Unknown option '--bogus'/],
    [['--revision', 'openapi.yaml', 'extra'], /unexpected argument 'extra'/],
    [['--revision', 'openapi.yaml', '--version', 'two'], /version: 'two' is not a semantic version/],
    [['--revision', 'openapi.yaml', '--base', 'nope.yaml'], /nope\.yaml: file not found/],
    [['--revision', 'openapi.yaml', '--base', 'v9.9.9:openapi.yaml'], /v9\.9\.9:openapi\.yaml: cannot read from git/],
    [['--revision', 'openapi.yaml', '--repo', 'acme/petstore', '--since', 'yesterday'], /since: 'yesterday' is not a date/],
    [['--revision', 'openapi.yaml', '--token-env', 'BAD-NAME'], /token-env: 'BAD-NAME' is not an environment variable name/],
    [['publish', '--revision', 'openapi.yaml', '--version', '2.0.0'], /repository: required to publish/],
    [['--revision', 'openapi.yaml', '--base', 'openapi.yaml', '--repo', 'acme/petstore', '--token-env', 'NO_SUCH_TOKEN_VAR'], /token-env: environment variable NO_SUCH_TOKEN_VAR is empty or not set/],
  ])('%j is bad input: exit 2 with a message', async (argv, message) => {
    const r = await cli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  test('a file as base: pull requests need --since (skipped with a note when not asked for explicitly)', async () => {
    const r = await cli(['--revision', 'openapi.yaml', '--base', V1, '--repo', 'acme/petstore', '--api-url', gh.url], repo, { GITHUB_TOKEN: 'tok' });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^pull requests: not listed \(base is a file/m);
    expect(r.out).not.toContain('Merged pull requests');
    const since = await cli(['--revision', 'openapi.yaml', '--base', V1, '--repo', 'acme/petstore', '--api-url', gh.url, '--since', '2026-02-02'], repo, { GITHUB_TOKEN: 'tok' });
    expect(since.out).toContain('- feat: vaccinations ([#6]');
  });

  test('no tags and no --base in a full clone: the first release, said so (not a silent empty changelog)', async () => {
    // Was an input error (exit 2) that left a first release nothing to pass; a shallow clone still is one (qa-unseen.test.ts).
    const d = newRepo();
    copyFileSync(V2, path.join(d, 'openapi.yaml'));
    git(d, 'add', '.');
    git(d, 'commit', '-q', '-m', 'first');
    const r = await cli(['--revision', 'openapi.yaml'], d);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/base: no earlier release found .* this is the first release, so every operation is new/);
    expect(r.out).toMatch(/\*\*First release\*\* of the API: \d+ operations/);
  });

  test('outside a git repository without --base: says so', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'release-notes-nogit-'));
    dirs.push(d);
    copyFileSync(V2, path.join(d, 'openapi.yaml'));
    const r = await cli(['--revision', 'openapi.yaml'], d, { GIT_CEILING_DIRECTORIES: path.dirname(d) });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not a git repository to find the last release tag in/);
  });

  test('through main(): the registered command exits with the code the work ends with', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'src/cli/index.ts'), 'release-notes', ...args], { cwd: repo, encoding: 'utf8' });
    const bad = run(['--revision', 'openapi.yaml', '--version', '1.5.0']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('## Petstore API 1.5.0');
    const usage = run(['--nope']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/api-delivery release-notes: Unknown option '--nope'/);
    expect(run(['--help']).stdout).toContain('api-delivery release-notes publish');
  });
});
