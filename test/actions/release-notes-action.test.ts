/**
 * dist/release-notes run the way the GitHub runner runs it: INPUT_* for every input (defaults from
 * action.yml), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, GITHUB_API_URL pointing at a GitHub API
 * on 127.0.0.1 that records every request. No mocks.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startFakeGitHub, type FakeGitHub } from '../release-notes/github-server.js';
import { root, runAction, tempDir } from './runner.js';

const BUNDLE = path.join(root, 'dist/release-notes/index.js');
const ACTION = 'actions/release-notes/action.yml';
const V1 = 'examples/petstore/openapi.v1.yaml';
const V2 = 'examples/petstore/openapi.v2.yaml';
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub({ token: 'ghs_test' });
  gh.addRepo('acme/petstore');
});
afterAll(async () => {
  await gh.close();
});

const runStep = (inputs: Record<string, string>) =>
  runAction({
    bundle: BUNDLE,
    actionYml: ACTION,
    inputs,
    env: { GITHUB_API_URL: gh.url, GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' },
  });

describe('dist/release-notes: notes and the version check', () => {
  test('v1 → v2 as 2.0.0: pass, semver major, notes in the file and the job summary', async () => {
    const r = await runStep({ base: V1, revision: V2, version: '2.0.0' });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ verdict: 'pass', semver: 'major', version: '2.0.0', 'release-id': '', 'release-url': '', 'error-count': '0' });
    const notes = readFileSync(r.outputs['notes-file']!, 'utf8');
    expect(r.outputs['notes-file']).toBe(path.join(r.tmp, 'release-notes.md'));
    expect(notes).toContain('### Breaking changes');
    expect(notes).toContain('| `DELETE /pets/{id}` | operation | 2027-06-30 |');
    expect(notes).toContain("- `GET /pets/{id}/vaccinations`: List a pet's vaccinations");
    expect(r.summary).toContain('## ✅ API release notes: passed');
    expect(r.summary).toContain('Release **2.0.0** after 1.4.0; the changes call for a **major** release.');
    expect(r.summary).toContain(notes.trim());
    const result = JSON.parse(readFileSync(r.outputs['result-file']!, 'utf8'));
    expect(result).toMatchObject({ gate: 'release-notes', verdict: 'pass', semver: 'major', version: '2.0.0' });
    // Without publish nothing is written to GitHub (the token default is empty here, so no pull requests either).
    expect(gh.requests).toEqual([]);
  });

  test('a minor release with breaking changes fails: exit 1, an error annotation, a warning on info.version', async () => {
    const r = await runStep({ base: V1, revision: V2, version: '1.5.0' });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ verdict: 'fail', 'error-count': '1', 'warning-count': '1' });
    expect(r.stdout).toMatch(/^::error title=version-bump-too-small::1\.4\.0 → 1\.5\.0 is a minor release but the API has 7 breaking changes/m);
    expect(r.stdout).toMatch(/^::warning file=examples\/petstore\/openapi\.v2\.yaml,line=4,title=revision-version-mismatch::/m);
  });

  test.each([
    [{ version: '2.0' }, /version: '2\.0' is not a semantic version/],
    [{ revision: 'examples/petstore/nope.yaml' }, /examples\/petstore\/nope\.yaml: file not found/],
    [{ 'fail-on': 'sometimes' }, /fail-on: 'sometimes' is not one of/],
    [{ publish: 'yes' }, /publish: 'yes' is not true or false/],
    [{ 'dry-run': 'maybe' }, /dry-run: 'maybe' is not true or false/],
  ])('bad input %j exits 2 naming the input', async (extra, message) => {
    const r = await runStep({ base: V1, revision: V2, version: '2.0.0', ...extra });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`^::error::${message.source}`, 'm'));
  });
});

describe('dist/release-notes: publish against the GitHub API on 127.0.0.1', () => {
  test('the first run creates the release, the second edits the same one; CHANGELOG entry once', async () => {
    const work = tempDir();
    const common = {
      base: V1,
      revision: V2,
      version: '2.0.0',
      publish: 'true',
      repository: 'acme/petstore',
      'github-token': 'ghs_test',
      'pull-requests': 'false',
      changelog: path.join(work, 'CHANGELOG.md'),
      'docs-dir': path.join(work, 'site'),
      prerelease: 'true',
    };
    const first = await runStep(common);
    expect(first.code).toBe(0);
    const releases = gh.repos.get('acme/petstore')!.releases;
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({ tag_name: 'v2.0.0', prerelease: true, draft: false, target_commitish: '0123456789abcdef0123456789abcdef01234567' });
    expect(first.outputs['release-id']).toBe(String(releases[0]!.id));
    expect(first.outputs['release-url']).toBe(releases[0]!.html_url);
    expect(first.outputs['docs-dir']).toBe(path.join(work, 'site'));
    expect(existsSync(path.join(work, 'site/index.html'))).toBe(true);
    expect(first.summary).toContain(`- GitHub Release for v2.0.0: created (id ${releases[0]!.id})`);

    const second = await runStep({ ...common, prerelease: 'false' });
    expect(second.code).toBe(0);
    expect(releases).toHaveLength(1);
    expect(second.outputs['release-id']).toBe(first.outputs['release-id']);
    expect(releases[0]!.prerelease).toBe(false);
    expect(second.summary).toContain('- GitHub Release for v2.0.0: updated');
    expect(readFileSync(path.join(work, 'CHANGELOG.md'), 'utf8').match(/<!-- api-delivery:release-notes:2\.0\.0 -->/g)).toHaveLength(1);
    expect(gh.requests.filter((q) => q.method === 'POST')).toHaveLength(1);
    // The token is registered as a secret (the runner masks it) and appears nowhere else.
    const lines = (first.stdout + second.stdout).split('\n');
    expect(lines.filter((l) => l.includes('ghs_test'))).toEqual(['::add-mask::ghs_test', '::add-mask::ghs_test']);
  });

  test('a repository that does not exist exits 2 with a clear message and writes nothing', async () => {
    const before = gh.writes().length;
    const r = await runStep({ base: V1, revision: V2, version: '2.0.0', publish: 'true', repository: 'acme/missing', 'github-token': 'ghs_test', 'pull-requests': 'false', changelog: '' });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error::repository acme\/missing: not found, or the token cannot see it \(HTTP 404/m);
    expect(gh.writes().length).toBe(before);
  });
});

describe('actions/release-notes/action.yml (inputs and outputs against the adapter: test/workflows/lint.test.ts)', () => {
  const action = parseYaml(read(ACTION)) as { outputs: Record<string, unknown> };
  test('the outputs the issue asks for are there', () => {
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(['release-id', 'release-url', 'semver', 'notes-file', 'verdict', 'result-file']));
  });
});
