/**
 * QA on release situations as they happen: a first release, pre-release tags, tags without `v`, a
 * monorepo tag prefix, a tag that is no version, a spec whose info.version nobody bumps, pull requests
 * with `!` and skip-changelog labels, a CHANGELOG.md that already has the version (by hand, or CRLF),
 * a draft release, a 422 already_exists on create, and GitHub rate limits; against real temporary git
 * repositories and the recording fake GitHub API on 127.0.0.1. Most cases failed on the old code;
 * the others (plain `Pass`, a 401/403 refusal, a breaking change as a minor…) guard what already worked.
 */
import { afterAll, afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseNotesCli } from '../../src/cli/release-notes.js';
import { upsertChangelogText } from '../../src/release-notes/changelog-file.js';
import { publishRelease, type PublishInputs } from '../../src/release-notes/publish.js';
import { groupOf, summarizePulls } from '../../src/release-notes/pulls.js';
import { parseTag, suggestVersion, parseVersion, checkVersion } from '../../src/release-notes/version.js';
import { pull, startFakeGitHub, type FakeGitHub } from './github-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'qa-unseen');
const V1 = readFileSync(path.join(root, 'examples/petstore/openapi.v1.yaml'), 'utf8');
const V2 = readFileSync(path.join(root, 'examples/petstore/openapi.v2.yaml'), 'utf8');
/** info.version set to `v`. */
const setVersion = (spec: string, v: string) => spec.replace(/^ {2}version: .*$/m, `  version: ${v}`);
/** The spec with one more (public) operation: a minor change. */
const withHealth = (spec: string) => spec.replace(/^paths:\n/m, 'paths:\n  /health:\n    get:\n      operationId: health\n      security: []\n      responses:\n        "200": {description: ok}\n');

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

let day = 1;
const git = (cwd: string, ...args: string[]) => {
  const when = `2026-02-${String(day).padStart(2, '0')}T12:00:00Z`;
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when } });
};
function newRepo(): string {
  const d = tempDir('rn-qa-git-');
  git(d, 'init', '-q', '-b', 'main');
  for (const [k, v] of [['user.email', 't@example.test'], ['user.name', 'T'], ['commit.gpgsign', 'false'], ['tag.gpgsign', 'false']]) git(d, 'config', k!, v!);
  return d;
}
/** Commit `spec` as openapi.yaml, then tag it. */
function commit(d: string, spec: string, ...tags: string[]): void {
  writeFileSync(path.join(d, 'openapi.yaml'), spec);
  git(d, 'add', '.');
  git(d, 'commit', '-q', '--allow-empty', '-m', `day ${day}`);
  day++;
  for (const t of tags) git(d, 'tag', t);
}

async function cli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await releaseNotesCli(argv, (s) => (out += s), (s) => (err += s), { cwd, env, client: { paceWrites: false, retryAfterBaseMs: 5 } });
  return { code, out, err, json: argv.includes('json') && code !== 2 ? JSON.parse(out) : undefined };
}

describe('which release is the base, and which version it was', () => {
  test('a first release (full clone, no tags): every operation is new, said so; exit 0', async () => {
    const d = newRepo();
    commit(d, setVersion(V2, '1.0.0'));
    const r = await cli(['--revision', 'openapi.yaml', '--tag', 'v1.0.0', '--format', 'json'], d);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ base: '(no earlier release)', version: '1.0.0', firstRelease: true, verdict: 'pass', semver: 'minor' });
    expect(r.json.previousVersion).toBeUndefined();
    expect(r.json.changelog.newOperations).toHaveLength(5);
    expect(r.json.changelog.breaking).toEqual([]);
    expect(r.json.findings.map((f: { id: string }) => f.id)).toEqual(['first-release']);
    expect(r.err).toMatch(/this is the first release, so every operation is new/);
    expect(r.json.notes).toContain('**First release** of the API: 5 operations, 1 deprecation');
    // The tag being released already on HEAD is not its own base.
    git(d, 'tag', 'v1.0.0');
    expect((await cli(['--revision', 'openapi.yaml', '--tag', 'v1.0.0', '--format', 'json'], d)).json).toMatchObject({ firstRelease: true });
  });

  test('a shallow clone without tags is still an input error that names fetch-depth (not a silent first release)', async () => {
    const src = newRepo();
    commit(src, V1, 'v1.4.0');
    commit(src, V2);
    const d = tempDir('rn-qa-shallow-');
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-tags', `file://${src}`, d]);
    const r = await cli(['--revision', 'openapi.yaml', '--tag', 'v1.5.0'], d);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/base: not given, and this shallow checkout has no release tags .* fetch-depth: 0/);
  });

  test('v2.0.0 after v2.0.0-rc.1: compared with the last final release (1.4.0), and passes', async () => {
    const d = newRepo();
    commit(d, V1, 'v1.4.0');
    commit(d, setVersion(V2, '2.0.0-rc.1'), 'v2.0.0-rc.1');
    commit(d, withHealth(V2), 'v2.0.0');
    const r = await cli(['--revision', 'openapi.yaml', '--tag', 'v2.0.0', '--format', 'json'], d);
    expect(r.json).toMatchObject({ base: 'v1.4.0:openapi.yaml', previousVersion: '1.4.0', version: '2.0.0', semver: 'major', verdict: 'pass' });
    // A next release candidate is compared with the previous one.
    const rc2 = await cli(['--revision', 'openapi.yaml', '--version', '2.0.0-rc.2', '--previous-version', '2.0.0-rc.1', '--base', 'v2.0.0-rc.1:openapi.yaml', '--format', 'json'], d);
    expect(rc2.json).toMatchObject({ previousVersion: '2.0.0-rc.1', verdict: 'pass' });
    expect(rc2.json.findings.map((f: { id: string }) => f.id)).not.toContain('version-bump-larger-than-needed');
  });

  test('rc → final with --previous-version 2.0.0-rc.1: a change since the rc is no reason to fail 2.0.0', () => {
    const c = checkVersion({ advice: 'minor', breakingCount: 0, version: parseVersion('2.0.0'), previous: '2.0.0-rc.1', previousFrom: 'option' });
    expect(c.findings).toEqual([]);
    // 2.1.0-rc.1 → a breaking change needs 3.0.0, not "2.1.0".
    expect(suggestVersion(parseVersion('2.1.0-rc.1')!, 'major')).toBe('3.0.0');
    expect(suggestVersion(parseVersion('2.1.0-rc.1')!, 'minor')).toBe('2.1.0');
  });

  test('tags without v work both ways; a breaking change released as a minor is a clear finding (exit 1)', async () => {
    const d = newRepo();
    commit(d, V1, '1.4.0');
    commit(d, V2);
    const ok = await cli(['--revision', 'openapi.yaml', '--tag', '2.0.0', '--format', 'json'], d);
    expect(ok.json).toMatchObject({ base: '1.4.0:openapi.yaml', previousVersion: '1.4.0', verdict: 'pass' });
    const minor = await cli(['--revision', 'openapi.yaml', '--tag', '1.5.0'], d);
    expect(minor.code).toBe(1);
    expect(minor.err).toMatch(/^error: 1\.4\.0 → 1\.5\.0 is a minor release but the API has 7 breaking changes: a major release is needed \(e\.g\. 2\.0\.0\)\. \[version-bump-too-small\]$/m);
  });

  test('a monorepo tag prefix (api/v2.0.0): the base is the last api/ tag, not another component\'s; the version is checked', async () => {
    const d = newRepo();
    commit(d, V1, 'api/v1.4.0');
    commit(d, V2, 'web/v9.0.0');
    commit(d, V2, 'deploy-staging');
    const ok = await cli(['--revision', 'openapi.yaml', '--tag', 'api/v2.0.0', '--format', 'json'], d);
    expect(ok.json).toMatchObject({ base: 'api/v1.4.0:openapi.yaml', version: '2.0.0', previousVersion: '1.4.0', tag: 'api/v2.0.0', verdict: 'pass' });
    // Was: base web/v9.0.0, no version read from the tag, a silent pass.
    const minor = await cli(['--revision', 'openapi.yaml', '--tag', 'api/v1.5.0', '--format', 'json'], d);
    expect(minor.code).toBe(1);
    expect(minor.json.findings.map((f: { id: string }) => f.id)).toContain('version-bump-too-small');
    expect(parseTag('@acme/api@1.2.0')).toMatchObject({ prefix: '@acme/api@', version: { text: '1.2.0' } });
    expect(parseTag('api-v1.2.0-rc.1')).toMatchObject({ prefix: 'api-', version: { text: '1.2.0-rc.1' } });
    expect(parseTag('release-2026-01')).toBeUndefined();
  });

  test('a tag that is no version (deploy-staging) nearer than the release tag is not the base', async () => {
    const d = newRepo();
    commit(d, V1, 'v1.4.0');
    commit(d, V2, 'deploy-staging');
    const r = await cli(['--revision', 'openapi.yaml', '--tag', 'v2.0.0', '--format', 'json'], d);
    expect(r.json).toMatchObject({ base: 'v1.4.0:openapi.yaml', previousVersion: '1.4.0', verdict: 'pass' });
  });

  test('info.version never bumped: the previous version is the base tag, so a new operation released as a patch fails', async () => {
    const d = newRepo();
    commit(d, setVersion(V1, '1.0.0'), 'v1.2.0');
    commit(d, withHealth(setVersion(V1, '1.0.0')));
    const r = await cli(['--revision', 'openapi.yaml', '--tag', 'v1.2.1', '--format', 'json'], d);
    expect(r.code).toBe(1);
    expect(r.json.previousVersion).toBe('1.2.0');
    expect(r.err).toMatch(/1\.2\.0 → 1\.2\.1 is a patch release but the API has new or changed operations: a minor release is needed \(e\.g\. 1\.3\.0\)/);
  });
});

describe('pull requests', () => {
  const pr = (number: number, title: string, labels: string[] = []) => ({ number, title, url: `https://github.test/pull/${number}`, author: 'dev', labels, mergedAt: '2026-02-20T00:00:00Z' });

  test('`feat(api)!:` is breaking even with an enhancement label; BREAKING CHANGE: too', () => {
    expect(groupOf(pr(1, 'feat(api)!: drop photos', ['enhancement']))).toBe('Breaking changes');
    expect(groupOf(pr(2, 'BREAKING CHANGE: ids are strings'))).toBe('Breaking changes');
    expect(groupOf(pr(3, 'feat: vaccinations', ['enhancement']))).toBe('Features');
  });

  test.each(['skip-changelog', 'Skip Changelog', 'no-changelog', 'changelog: skip', 'ignore-for-release', 'skip-release-notes', 'exclude from changelog'])('label %j keeps a pull request out', (label) => {
    const s = summarizePulls([pr(1, 'chore: bump deps', [label]), pr(2, 'fix: typo')], '2026-01-01', false);
    expect(s.total).toBe(1);
    expect(s.groups.flatMap((g) => g.pulls.map((p) => p.number))).toEqual([2]);
    expect(s.excluded?.map((p) => p.number)).toEqual([1]);
  });

  test('through the CLI: excluded pull requests are left out and counted; a breaking PR in a minor release warns', async () => {
    const gh = await startFakeGitHub({ token: 'tok' });
    try {
      gh.addRepo('acme/petstore').pulls.push(
        pull(6, 'feat(api)!: ids become strings', 'alice', '2026-03-02T00:00:00Z', ['enhancement']),
        pull(7, 'chore(deps): bump yaml', 'dependabot', '2026-03-03T00:00:00Z', ['skip-changelog', 'dependencies']),
        pull(8, 'feat: health endpoint', 'bob', '2026-03-04T00:00:00Z'),
      );
      const d = newRepo();
      commit(d, V1, 'v1.4.0');
      commit(d, withHealth(V1));
      const r = await cli(['--revision', 'openapi.yaml', '--tag', 'v1.5.0', '--repo', 'acme/petstore', '--api-url', gh.url, '--since', '2026-03-01', '--format', 'json'], d, { GITHUB_TOKEN: 'tok' });
      expect(r.json.pulls.groups.map((g: { title: string; pulls: { number: number }[] }) => [g.title, g.pulls.map((p) => p.number)])).toEqual([
        ['Breaking changes', [6]],
        ['Features', [8]],
      ]);
      expect(r.json.notes).toContain('_1 pull request is left out by a label such as `skip-changelog` (#7)._');
      expect(r.json.notes).not.toContain('bump yaml');
      expect(r.json.notes).not.toContain('@dependabot');
      const warning = r.json.findings.find((f: { id: string }) => f.id === 'breaking-pull-request');
      expect(warning).toMatchObject({ level: 'warning', data: { pulls: [6] } });
      expect(warning.message).toMatch(/^1\.4\.0 → 1\.5\.0 is a minor release, but pull request #6 'feat\(api\)!: ids become strings' is marked breaking .* release 2\.0\.0\.$/);
      expect(r.code).toBe(0);
      expect((await cli(['--revision', 'openapi.yaml', '--tag', 'v1.5.0', '--repo', 'acme/petstore', '--api-url', gh.url, '--since', '2026-03-01', '--fail-on', 'warning'], d, { GITHUB_TOKEN: 'tok' })).code).toBe(1);
    } finally {
      await gh.close();
    }
  });
});

describe('CHANGELOG.md', () => {
  const entry = '## Petstore API 2.0.0 (2026-03-10)\n\n- change\n';

  test('a section for the version written by hand is kept, and no second entry is added (re-runs too)', () => {
    const current = readFileSync(path.join(FIXTURES, 'CHANGELOG.keep-a-changelog.md'), 'utf8');
    const r = upsertChangelogText(current, '2.0.0', entry);
    expect(r).toMatchObject({ action: 'unchanged', text: current, existingLine: 9 });
    for (const heading of ['## v2.0.0', '## 2.0.0 (2026-03-01)', '# [2.0.0](https://github.com/acme/api/compare/v1.4.0...v2.0.0) (2026-03-01)']) {
      expect(upsertChangelogText(`# Changelog\n\n${heading}\n\n- x\n`, '2.0.0', entry).action).toBe('unchanged');
    }
    // Other versions that merely contain the digits are not it.
    for (const heading of ['## 2.0.0-rc.1', '## 12.0.0', '## 2.0.0.1']) {
      expect(upsertChangelogText(`# Changelog\n\n${heading}\n\n- x\n`, '2.0.0', entry).action).toBe('prepended');
    }
  });

  test('the entry goes below ## [Unreleased], above the newest release', () => {
    const current = '# Changelog\n\n## [Unreleased]\n\n- coming soon\n\n## [1.4.0] - 2026-01-01\n\n- old\n';
    const r = upsertChangelogText(current, '2.0.0', entry);
    expect(r.text.indexOf('## [Unreleased]')).toBeLessThan(r.text.indexOf('## Petstore API 2.0.0'));
    expect(r.text.indexOf('## Petstore API 2.0.0')).toBeLessThan(r.text.indexOf('## [1.4.0]'));
    expect(r.text).toContain('- coming soon\n\n<!-- api-delivery:release-notes:2.0.0 -->');
  });

  test('CRLF stays CRLF, and a re-run changes nothing (no blank line added each time)', () => {
    const current = '# Changelog\r\n\r\n## 1.4.0\r\n\r\n- old\r\n';
    const once = upsertChangelogText(current, '2.0.0', entry);
    expect(once.action).toBe('prepended');
    expect(once.text.replace(/\r\n/g, '')).not.toContain('\n');
    const twice = upsertChangelogText(once.text, '2.0.0', entry);
    expect(twice).toEqual({ text: once.text, action: 'unchanged' });
    const edited = upsertChangelogText(once.text, '2.0.0', entry.replace('change', 'changed'));
    expect(edited.action).toBe('updated');
    expect(edited.text.length).toBe(once.text.length + 1);
    expect(edited.text.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

describe('publishing against the fake GitHub API', () => {
  let gh: FakeGitHub;
  let work: string;
  let logs: string[];
  beforeEach(async () => {
    gh = await startFakeGitHub({ token: 'tok' });
    gh.addRepo('acme/petstore');
    work = tempDir('rn-qa-publish-');
    logs = [];
  });
  afterEach(async () => gh.close());
  const spec = (name: string, text: string) => {
    writeFileSync(path.join(work, name), text);
    return path.join(work, name);
  };
  const inputs = (extra: Partial<PublishInputs> = {}): PublishInputs => ({
    base: spec('v1.yaml', V1),
    revision: spec('v2.yaml', V2),
    version: '2.0.0',
    repository: 'acme/petstore',
    token: 'tok',
    apiUrl: gh.url,
    pullRequests: 'false',
    date: '2026-03-10',
    today: new Date('2026-03-10T12:00:00Z'),
    changelog: path.join(work, 'CHANGELOG.md'),
    cwd: work,
    client: { paceWrites: false, retryAfterBaseMs: 5 },
    log: (m) => logs.push(m),
    ...extra,
  });

  test('422 already_exists on create (a release made meanwhile): found again and updated, never a second one', async () => {
    const releases = gh.repos.get('acme/petstore')!.releases;
    releases.push({ id: 7, tag_name: 'v2.0.0', name: 'made by hand', body: 'old', draft: true, prerelease: false, target_commitish: 'main', html_url: `${gh.url}/web/acme/petstore/releases/untagged-7` });
    // The first listing does not show it yet (GitHub's listing lags behind a create in another job).
    gh.fault({ method: 'GET', path: /\/releases$/, status: 200, body: [] });
    const r = await publishRelease(inputs());
    expect(r.publish.release).toMatchObject({ action: 'updated', id: 7 });
    expect(releases).toHaveLength(1);
    expect(releases[0]!.body).toContain('### Breaking changes');
    expect(gh.requests.filter((x) => x.method === 'POST' && /\/releases$/.test(x.path)).map((x) => x.status)).toEqual([422]);
  });

  test('a CHANGELOG.md with a hand-written 2.0.0 section: left as it is on every run, and the log says so', async () => {
    const file = path.join(work, 'CHANGELOG.md');
    const text = readFileSync(path.join(FIXTURES, 'CHANGELOG.keep-a-changelog.md'), 'utf8');
    writeFileSync(file, text);
    const first = await publishRelease(inputs());
    const again = await publishRelease(inputs());
    expect([first.publish.changelog?.action, again.publish.changelog?.action]).toEqual(['unchanged', 'unchanged']);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(logs.join('\n')).toMatch(/CHANGELOG\.md:9 already has a section for 2\.0\.0 that this tool did not write: left as it is/);
    expect(gh.repos.get('acme/petstore')!.releases).toHaveLength(1);
  });

  test('a CRLF CHANGELOG.md: published twice, one entry, CRLF kept, second run unchanged', async () => {
    const file = path.join(work, 'CHANGELOG.md');
    writeFileSync(file, '# Changelog\r\n\r\n## 1.4.0\r\n\r\n- old\r\n');
    await publishRelease(inputs());
    const after = readFileSync(file, 'utf8');
    const again = await publishRelease(inputs());
    expect(again.publish.changelog?.action).toBe('unchanged');
    expect(readFileSync(file, 'utf8')).toBe(after);
    expect(after.match(/api-delivery:release-notes:2\.0\.0 -->/g)).toHaveLength(2);
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
  });

  test('a pre-release version is published as a GitHub pre-release (even when prerelease is false); the draft is found and edited', async () => {
    const r = await publishRelease(inputs({ version: '2.0.0-rc.1', tag: 'v2.0.0-rc.1', revision: spec('rc.yaml', setVersion(V2, '2.0.0-rc.1')), draft: 'true', prerelease: 'false' }));
    expect(r.publish.release).toMatchObject({ action: 'created' });
    const releases = gh.repos.get('acme/petstore')!.releases;
    expect(releases).toMatchObject([{ tag_name: 'v2.0.0-rc.1', draft: true, prerelease: true }]);
    const again = await publishRelease(inputs({ version: '2.0.0-rc.1', tag: 'v2.0.0-rc.1', revision: spec('rc.yaml', setVersion(V2, '2.0.0-rc.1')), draft: 'false' }));
    expect(again.publish.release).toMatchObject({ action: 'updated' });
    expect(releases).toMatchObject([{ draft: false, prerelease: true }]);
  });

  test('403 with retry-after, then 403 with x-ratelimit-remaining 0 and x-ratelimit-reset: both waited out and retried', async () => {
    gh.fault({ method: 'POST', path: /\/releases$/, status: 403, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit.' } });
    gh.fault({ method: 'GET', path: /\/releases\/tags\//, status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) }, body: { message: 'API rate limit exceeded' } });
    const r = await publishRelease(inputs({ changelog: '' }));
    expect(r.publish.release).toMatchObject({ action: 'created' });
    expect(gh.requests.filter((x) => /\/releases\/tags\//.test(x.path)).map((x) => x.status)).toEqual([403, 404]);
    expect(gh.requests.filter((x) => x.method === 'POST' && /\/releases$/.test(x.path)).map((x) => x.status)).toEqual([403, 201]);
  });
});
