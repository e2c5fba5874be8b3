/**
 * Publishing against a GitHub API on 127.0.0.1 (octokit with baseUrl) that records every request:
 * the first run creates, the second updates; rate limits and 5xx are retried; a missing repository
 * is a clear error; a dry run sends nothing.
 */
import { afterAll, afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isInputError } from '../../src/kit/errors.js';
import { publishRelease, type PublishInputs } from '../../src/release-notes/publish.js';
import { pull, startFakeGitHub, type FakeGitHub } from './github-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const V1 = path.join(root, 'examples/petstore/openapi.v1.yaml');
const V2 = path.join(root, 'examples/petstore/openapi.v2.yaml');
const TOKEN = 'test-token';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'release-notes-publish-'));
  dirs.push(d);
  return d;
}

let gh: FakeGitHub;
let work: string;
let logs: string[];
beforeEach(async () => {
  gh = await startFakeGitHub({ token: TOKEN });
  const api = gh.addRepo('acme/petstore');
  api.pulls.push(
    pull(10, 'feat(api): vaccinations endpoint', 'alice', '2026-03-02T10:00:00Z'),
    pull(11, 'fix: 404 for unknown pet', 'bob', '2026-03-03T10:00:00Z'),
    pull(12, 'Remove photos', 'alice', '2026-03-04T10:00:00Z', ['breaking']),
    pull(9, 'feat: older, before the last release', 'carol', '2026-01-01T10:00:00Z'),
  );
  gh.addRepo('acme/mobile-app');
  gh.addRepo('acme/web');
  work = tempDir();
  writeFileSync(
    path.join(work, 'consumers.yml'),
    [
      'rollout-date: 2027-01-15',
      'consumers:',
      '  - name: Mobile app',
      '    repo: acme/mobile-app',
      '    labels: [api-change]',
      '  - repo: acme/web',
      '  - name: Partner channel',
      '    webhook-env: PARTNER_HOOK',
      '',
    ].join('\n'),
  );
  logs = [];
});
afterEach(async () => {
  await gh.close();
});

function inputs(extra: Partial<PublishInputs> = {}): PublishInputs {
  return {
    base: V1,
    revision: V2,
    version: '2.0.0',
    repository: 'acme/petstore',
    token: TOKEN,
    apiUrl: gh.url,
    since: '2026-02-01T00:00:00Z',
    date: '2026-03-10',
    today: new Date('2026-03-10T12:00:00Z'),
    changelog: path.join(work, 'CHANGELOG.md'),
    docsDir: path.join(work, 'site'),
    consumers: path.join(work, 'consumers.yml'),
    env: { PARTNER_HOOK: `${gh.url}/hooks/partner` },
    cwd: root,
    client: { paceWrites: false, retryAfterBaseMs: 5 },
    webhook: { retryAfterBaseMs: 5 },
    log: (m) => logs.push(m),
    ...extra,
  };
}

const writesTo = (method: string, re: RegExp) => gh.writes().filter((r) => r.method === method && re.test(r.path));

describe('publish: first run creates, second run updates', () => {
  test('release, CHANGELOG entry, docs site, consumer issues and webhook', async () => {
    const first = await publishRelease(inputs());
    expect(first.verdict).toBe('pass');
    const p1 = first.publish;
    expect(p1.release).toMatchObject({ action: 'created', url: expect.stringContaining('/acme/petstore/releases/tag/v2.0.0') });
    const releases = gh.repos.get('acme/petstore')!.releases;
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({ tag_name: 'v2.0.0', name: 'Petstore API 2.0.0 (2026-03-10)', draft: false, prerelease: false });
    // What a person publishes: the breaking changes, the deprecation with its sunset date, the new operation, the PRs.
    const body = releases[0]!.body;
    expect(body).toContain('### Breaking changes');
    expect(body).toMatch(/\| `GET \/pets` \| required query parameter 'species' added \|/);
    expect(body).toMatch(/\| `GET \/pets\/\{petId\}\/photos` \| path '\/pets\/\{petId\}\/photos' removed without deprecation \|/);
    expect(body).toMatch(/\| `DELETE \/pets\/\{id\}` \| operation \| 2027-06-30 \| 477 \| this release \|/);
    expect(body).toContain("- `GET /pets/{id}/vaccinations`: List a pet's vaccinations");
    expect(body).toContain('**Rollout:** 2027-01-15.');
    expect(body).toMatch(/#### Features\n\n- feat\(api\): vaccinations endpoint \(\[#10\]\(https:\/\/github\.test\/pull\/10\)\) by @alice/);
    expect(body).toMatch(/#### Breaking changes\n\n- Remove photos \(\[#12\]/);
    expect(body).toMatch(/#### Fixes\n\n- fix: 404 for unknown pet/);
    expect(body).not.toContain('older, before the last release');
    expect(body).toMatch(/### Contributors\n\n@alice, @bob\n/);

    const changelog = readFileSync(path.join(work, 'CHANGELOG.md'), 'utf8');
    expect(changelog.match(/<!-- api-delivery:release-notes:2\.0\.0 -->/g)).toHaveLength(1);
    expect(changelog).toMatch(/^# Changelog\n/);
    expect(p1.changelog?.action).toBe('created');

    expect(p1.docs?.files).toEqual(expect.arrayContaining(['index.html', 'changelog.html', 'openapi.json', 'swagger-ui-bundle.js', 'swagger-ui.css']));
    const page = readFileSync(path.join(work, 'site/changelog.html'), 'utf8');
    expect(page).toMatch(/<h2>Petstore API 2\.0\.0 \(2026-03-10\)<\/h2>/);
    expect(page).toContain('<td><code>DELETE /pets/{id}</code></td>\n<td>operation</td>\n<td>2027-06-30</td>');
    // The CHANGELOG's hidden entry markers stay hidden on the page.
    expect(page).not.toContain('api-delivery:release-notes');

    const mobile = gh.repos.get('acme/mobile-app')!.issues;
    const web = gh.repos.get('acme/web')!.issues;
    expect(mobile).toHaveLength(1);
    expect(web).toHaveLength(1);
    expect(mobile[0]!.labels).toEqual([{ name: 'api-change' }]);
    expect(mobile[0]!.title).toBe('Petstore API 2.0.0: breaking changes, action needed (rollout 2027-01-15)');
    expect(mobile[0]!.body).toMatch(/^<!-- api-delivery:consumer-notice:acme\/petstore@2\.0\.0 -->/);
    expect(mobile[0]!.body).toContain('**Rollout date:** 2027-01-15');
    expect(mobile[0]!.body).toMatch(/^### Migration steps\n\n1\. \*\*Tighter request constraint\*\*/m);
    expect(mobile[0]!.body).toMatch(/^#### How to adapt\n\n1\. /m);
    expect(mobile[0]!.body).toMatch(/\| `DELETE \/pets\/\{id\}` \| operation \| 2027-06-30 \|/);
    expect(mobile[0]!.body).toContain(releases[0]!.html_url);
    expect(gh.webhooks).toHaveLength(1);
    const hook = gh.webhooks[0]!.body as { text: string; blocks: { text: { text: string } }[] };
    expect(hook.text).toBe('Petstore API 2.0.0: rollout 2027-01-15');
    expect(hook.blocks[1]!.text.text).toContain('`DELETE /pets/{id}` sunset 2027-06-30');
    expect(p1.notifications.map((n) => `${n.consumer} ${n.channel} ${n.action}`)).toEqual([
      'Mobile app issue created',
      'acme/web issue created',
      'Partner channel webhook sent',
    ]);
    // Every GitHub request carried the token; none went anywhere but the loopback server.
    expect(gh.requests.filter((r) => !r.path.startsWith('/hooks/')).every((r) => r.auth === `token ${TOKEN}`)).toBe(true);

    const second = await publishRelease(inputs({ rolloutDate: '2027-02-01' }));
    expect(second.publish.release).toMatchObject({ action: 'updated', id: (p1.release as { id: number }).id });
    expect(releases).toHaveLength(1);
    expect(writesTo('POST', /\/releases$/)).toHaveLength(1);
    // Each run that sends webhooks records it in the release (a hidden first line): 1 + (1 edit + 1 record).
    expect(writesTo('PATCH', /\/releases\/\d+$/)).toHaveLength(3);
    expect(releases[0]!.body).toContain('**Rollout:** 2027-02-01.');
    expect(releases[0]!.body).toMatch(/^<!-- api-delivery:webhooks-sent [0-9a-f]{16} -->\n/);
    // The notice changed (a new rollout date), so the channel hears about it again.
    expect(gh.webhooks).toHaveLength(2);

    const changelog2 = readFileSync(path.join(work, 'CHANGELOG.md'), 'utf8');
    expect(changelog2.match(/<!-- api-delivery:release-notes:2\.0\.0 -->/g)).toHaveLength(1);
    expect(changelog2.match(/## Petstore API 2\.0\.0/g)).toHaveLength(1);
    expect(second.publish.changelog?.action).toBe('updated');

    expect(gh.repos.get('acme/mobile-app')!.issues).toHaveLength(1);
    expect(gh.repos.get('acme/web')!.issues).toHaveLength(1);
    expect(gh.repos.get('acme/mobile-app')!.issues[0]!.title).toContain('(rollout 2027-02-01)');
    expect(second.publish.notifications.filter((n) => n.channel === 'issue').map((n) => n.action)).toEqual(['updated', 'updated']);
    expect(writesTo('POST', /\/issues$/)).toHaveLength(2);

    // A third run with the same inputs changes nothing in CHANGELOG.md and sends no webhook again.
    const third = await publishRelease(inputs({ rolloutDate: '2027-02-01' }));
    expect(third.publish.changelog?.action).toBe('unchanged');
    expect(gh.webhooks).toHaveLength(2);
    expect(third.publish.notifications.find((n) => n.channel === 'webhook')?.action).toBe('already sent');
    expect(releases[0]!.body.match(/api-delivery:webhooks-sent/g)).toHaveLength(1);
  });

  test('a draft release is found again (GitHub hides drafts from get-by-tag) and edited, not duplicated', async () => {
    await publishRelease(inputs({ draft: 'true', prerelease: 'true', consumers: '' }));
    const releases = gh.repos.get('acme/petstore')!.releases;
    expect(releases).toMatchObject([{ draft: true, prerelease: true }]);
    const again = await publishRelease(inputs({ draft: 'false', consumers: '' }));
    expect(again.publish.release).toMatchObject({ action: 'updated' });
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({ draft: false, prerelease: false });
    expect(gh.requests.some((r) => r.method === 'GET' && /\/releases$/.test(r.path))).toBe(true);
  });

  test('the CHANGELOG entry is also committed to a branch through the contents API, once', async () => {
    const repo = gh.repos.get('acme/petstore')!;
    repo.files.set('main:CHANGELOG.md', { content: '# Changelog\n\n## 1.4.0\n\n- older entry\n', sha: 'sha-old' });
    const changelog = path.join(work, 'CHANGELOG.md');
    const cwd = work;
    await publishRelease(inputs({ changelog: 'CHANGELOG.md', changelogBranch: 'main', cwd, base: V1, revision: V2, consumers: '', docsDir: '' }));
    const committed = repo.files.get('main:CHANGELOG.md')!.content;
    expect(committed.indexOf('## Petstore API 2.0.0')).toBeLessThan(committed.indexOf('## 1.4.0'));
    expect(committed).toContain('- older entry');
    expect(existsSync(changelog)).toBe(true);
    const again = await publishRelease(inputs({ changelog: 'CHANGELOG.md', changelogBranch: 'main', cwd, consumers: '', docsDir: '' }));
    expect(again.publish.changelog?.branch).toEqual({ name: 'main', action: 'unchanged' });
    expect(writesTo('PUT', /\/contents\//)).toHaveLength(1);
  });
});

describe('retries and errors', () => {
  test('a webhook that failed is sent on the re-run (the release records only what went out)', async () => {
    const failed = await publishRelease(inputs({ env: { PARTNER_HOOK: `${gh.url}/no-such-hook` } })).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(failed?.message).toMatch(/^webhook .*: HTTP 4\d\d/);
    const releases = gh.repos.get('acme/petstore')!.releases;
    expect(releases).toHaveLength(1);
    expect(releases[0]!.body).not.toContain('api-delivery:webhooks-sent');
    const again = await publishRelease(inputs());
    expect(again.publish.notifications.find((n) => n.channel === 'webhook')?.action).toBe('sent');
    expect(gh.webhooks).toHaveLength(1);
  });

  test('a 403 secondary rate limit is retried after retry-after, then the release is created', async () => {
    gh.fault({ method: 'POST', path: /\/releases$/, status: 403, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } });
    const r = await publishRelease(inputs({ consumers: '' }));
    expect(r.publish.release).toMatchObject({ action: 'created' });
    const posts = gh.requests.filter((x) => x.method === 'POST' && /\/releases$/.test(x.path));
    expect(posts.map((x) => x.status)).toEqual([403, 201]);
    expect(gh.repos.get('acme/petstore')!.releases).toHaveLength(1);
    expect(logs.join('\n')).toMatch(/secondary rate limit on POST .*retrying after 1s/);
  });

  test('a primary rate limit (x-ratelimit-remaining: 0) is waited out and retried', async () => {
    const reset = String(Math.floor(Date.now() / 1000));
    gh.fault({ method: 'GET', path: /\/pulls$/, status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { message: 'API rate limit exceeded' } });
    const r = await publishRelease(inputs({ consumers: '' }));
    expect(r.pulls?.total).toBe(3);
    expect(gh.requests.filter((x) => /\/pulls$/.test(x.path)).map((x) => x.status)).toEqual([403, 200]);
  });

  test('5xx answers are retried (bounded); a persistent 502 is an error that says so', async () => {
    gh.fault({ method: 'PATCH', path: /\/issues\/\d+$/, status: 502, times: 2 });
    await publishRelease(inputs());
    const again = await publishRelease(inputs());
    expect(again.publish.notifications.filter((n) => n.channel === 'issue').map((n) => n.action)).toEqual(['updated', 'updated']);
    const patches = gh.requests.filter((x) => x.method === 'PATCH' && /\/issues\/\d+$/.test(x.path));
    expect(patches.map((x) => x.status)).toEqual([502, 502, 200, 200]);

    gh.fault({ method: 'GET', path: /\/releases\/tags\//, status: 500, times: 10 });
    const err = await publishRelease(inputs({ consumers: '' })).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/GitHub HTTP 500 while trying to read the release for tag v2\.0\.0 in acme\/petstore \(after retries\)/);
    // One try and three retries, then it stops.
    expect(gh.requests.filter((x) => /\/releases\/tags\//.test(x.path) && x.status === 500)).toHaveLength(4);
  });

  test('a secondary rate limit that does not end gives up after the allowed retries', async () => {
    gh.fault({ method: 'POST', path: /\/releases$/, status: 403, times: 10, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit.' } });
    const err = await publishRelease(inputs({ consumers: '' })).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/kept rate-limiting create the release for tag v2\.0\.0 in acme\/petstore/);
    expect(gh.requests.filter((x) => x.method === 'POST' && /\/releases$/.test(x.path))).toHaveLength(4);
  });

  test('a repository that does not exist is a clear input error, before anything is written', async () => {
    const err = await publishRelease(inputs({ repository: 'acme/no-such-repo', since: undefined, pullRequests: 'false', consumers: '' })).catch((e: Error) => e);
    expect(isInputError(err)).toBe(true);
    expect((err as Error).message).toMatch(/^repository acme\/no-such-repo: not found, or the token cannot see it \(HTTP 404 on list releases\)/);
    expect(gh.writes()).toEqual([]);
  });

  test('a consumer repository that does not exist names that repository', async () => {
    writeFileSync(path.join(work, 'bad-consumers.yml'), 'consumers:\n  - repo: acme/gone\n');
    const err = await publishRelease(inputs({ consumers: path.join(work, 'bad-consumers.yml') })).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^repository acme\/gone: not found/);
  });

  test('a rejected token is a clear input error', async () => {
    const err = await publishRelease(inputs({ token: 'wrong' })).catch((e: Error) => e);
    expect(isInputError(err)).toBe(true);
    expect((err as Error).message).toMatch(/^github-token: rejected by GitHub \(HTTP 401 on list pull requests\)/);
  });
});

describe('what is not published', () => {
  test('a dry run sends nothing, commits nothing, and says what it would do', async () => {
    const r = await publishRelease(inputs({ dryRun: 'true', token: undefined }));
    expect(gh.requests).toEqual([]);
    expect(r.publish.dryRun).toBe(true);
    expect(r.publish.release).toMatchObject({ action: 'would create or update', name: 'Petstore API 2.0.0 (2026-03-10)' });
    expect(existsSync(path.join(work, 'CHANGELOG.md'))).toBe(false);
    expect(r.publish.changelog?.action).toBe('created');
    expect(r.publish.notice?.body).toContain('2027-06-30');
    expect(r.publish.notifications.map((n) => n.action)).toEqual(['would create or update', 'would create or update', 'would send']);
    expect(r.publish.notifications[2]!.target).toBe(`${gh.url}/…`);
    // The docs site is a local build, not a send: it is there to look at.
    expect(existsSync(path.join(work, 'site/index.html'))).toBe(true);
  });

  test('a version that disagrees with the changes fails the gate and publishes nothing', async () => {
    const r = await publishRelease(inputs({ version: '1.5.0' }));
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((f) => f.id)).toContain('version-bump-too-small');
    expect(r.publish.skipped).toMatch(/Nothing published: version 1\.5\.0/);
    expect(gh.writes()).toEqual([]);
    expect(existsSync(path.join(work, 'CHANGELOG.md'))).toBe(false);
  });

  test.each([
    [{ repository: '' }, /^repository: required to publish/],
    [{ token: '' }, /^github-token: required to publish/],
    [{ repository: 'not a repo' }, /^repository: 'not a repo' is not a repository as owner\/name/],
    [{ rolloutDate: '2027-13-01' }, /^rollout-date: '2027-13-01' is not a date/],
    [{ draft: 'yes' }, /^draft: 'yes' is not true or false/],
    [{ version: undefined, tag: 'latest' }, /^version: required to publish/],
    [{ consumers: 'missing.yml' }, /^consumers: file '.*missing\.yml' not found/],
  ])('bad input %j is refused before anything is sent', async (extra, message) => {
    const err = await publishRelease(inputs(extra as Partial<PublishInputs>)).catch((e: Error) => e);
    expect(isInputError(err)).toBe(true);
    expect((err as Error).message).toMatch(message);
    expect(gh.writes()).toEqual([]);
  });
});
