/**
 * The caller's repository for the phase-workflow runs: a git repository built from the bundled example
 * (examples/ and templates/ of this working tree) with the history a real API repository has:
 *
 *   main          A  "Petstore API 1.4.0"   examples/petstore/openapi.yaml = openapi.v1.yaml   tag v1.0.0
 *   feature/pets-v2   B  "Petstore API 2.0.0"   openapi.yaml = openapi.v2.yaml (breaking), docs/PRD.md
 *   refs/pull/7/merge M  (A + B, what GitHub checks out for pull request #7)
 *   main after merge  M  (mergePr: true), tag v2.0.0 on it (releaseV2: true)
 *
 * Dates that the gates judge against today (the x-sunset of DELETE /pets/{id}, the flags register's
 * created/remove-by/on-since) are moved relative to today, so the runs give the same verdicts on any
 * day; everything else is the example as shipped.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './runner/index.js';

export const SPEC = 'examples/petstore/openapi.yaml';
export const REPOSITORY = 'acme/petstore';
export const PR_NUMBER = 7;
export const PR_BRANCH = 'feature/pets-v2';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The Petstore's PRD, filled in (the Definition of Ready phase 1 checks). */
export const PETSTORE_PRD = `# PRD: Petstore API 2.0

Owner: petstore team · Reviewers: API guild · Spec: ${SPEC}

## Problem

Partners cannot see a pet's vaccinations and filter pets by species without calling support; we want
self-service before the spring adoption season, measured by support tickets about pets halving.

## Consumers

| Consumer | Team / contact | Uses | Expected traffic |
|---|---|---|---|
| petstore web | web team | all endpoints | 40 rps at peak |

## Endpoints

| Endpoint | Purpose | New / changed |
|---|---|---|
| GET /pets | list pets of a species | changed |
| POST /pets | register a pet | unchanged |
| GET /pets/{id} | read one pet | changed |
| DELETE /pets/{petId} | remove a pet | deprecated |
| GET /pets/{id}/vaccinations | a pet's vaccinations | new |

## Service level objectives (SLOs)

- Availability: 99.9% of requests succeed over 30 days
- Latency: p95 under 100 ms for GET /pets at the expected traffic

## Security (ASVS level)

- ASVS level 1
- Bearer tokens on every operation; nothing is public.

## Rollout and deprecation

- Rollout: GET /pets/{id}/vaccinations behind the pet-vaccinations flag, 10% of tenants first.
- Deprecation: DELETE /pets/{id} is deprecated with a sunset date; partners move to status sold.
`;

export interface ExampleRepo {
  dir: string;
  /** A: main before the PR (v1). */
  base: string;
  /** B: the PR head (v2). */
  head: string;
  /** M: the PR merge commit. */
  merge: string;
}

function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync('git', ['-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Pat Petstore',
      GIT_AUTHOR_EMAIL: 'pat@petstore.test',
      GIT_COMMITTER_NAME: 'Pat Petstore',
      GIT_COMMITTER_EMAIL: 'pat@petstore.test',
      GIT_CONFIG_NOSYSTEM: '1',
      ...env,
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** The example spec with its sunset a year from today. */
function spec(version: 'v1' | 'v2'): string {
  return readFileSync(path.join(REPO_ROOT, `examples/petstore/openapi.${version}.yaml`), 'utf8').replace(/x-sunset: '\d{4}-\d{2}-\d{2}'/g, `x-sunset: '${day(365)}'`);
}

/** The example flags register with its dates moved relative to today (same findings on any day). */
function flags(): string {
  return readFileSync(path.join(REPO_ROOT, 'examples/petstore/flags.yaml'), 'utf8')
    .replace('created: 2026-05-04', `created: ${day(-30)}`)
    .replace('remove-by: 2026-09-30', `remove-by: ${day(120)}`)
    .replace('created: 2026-02-02', `created: ${day(-300)}`)
    .replace('on-since: 2026-03-16', `on-since: ${day(-250)}`)
    .replace('created: 2025-09-01', `created: ${day(-450)}`);
}

export interface BuildOptions {
  /** Merge the PR into main (phases 4 and 5 run after the merge). */
  mergePr?: boolean;
  /** Tag v2.0.0 on main after the merge (the release phase 4 publishes). */
  releaseV2?: boolean;
  /** More files in the PR commit (path → content). */
  files?: Record<string, string>;
}

export function buildExampleRepo(dir: string, opts: BuildOptions = {}): ExampleRepo {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  // The checkout stand-in fetches single commits by sha (fetch-depth: 1), as GitHub's server allows.
  git(dir, ['config', 'uploadpack.allowAnySHA1InWant', 'true']);
  for (const d of ['examples', 'templates']) cpSync(path.join(REPO_ROOT, d), path.join(dir, d), { recursive: true });
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
  writeFileSync(path.join(dir, SPEC), spec('v1'));
  writeFileSync(path.join(dir, 'examples/petstore/flags.yaml'), flags());
  const at = (t: string) => ({ GIT_AUTHOR_DATE: t, GIT_COMMITTER_DATE: t });
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Petstore API 1.4.0'], at('2026-01-05T10:00:00Z'));
  git(dir, ['tag', '-a', 'v1.0.0', '-m', 'v1.0.0'], at('2026-01-05T10:00:00Z'));
  const base = git(dir, ['rev-parse', 'HEAD']);

  git(dir, ['checkout', '-q', '-b', PR_BRANCH]);
  writeFileSync(path.join(dir, SPEC), spec('v2'));
  mkdirSync(path.join(dir, 'docs'), { recursive: true });
  writeFileSync(path.join(dir, 'docs/PRD.md'), PETSTORE_PRD);
  for (const [f, text] of Object.entries(opts.files ?? {})) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Petstore API 2.0.0: vaccinations, species filter, id parameter'], at('2026-02-10T10:00:00Z'));
  const head = git(dir, ['rev-parse', 'HEAD']);
  const tree = git(dir, ['rev-parse', 'HEAD^{tree}']);
  const merge = git(dir, ['commit-tree', tree, '-p', base, '-p', head, '-m', `Merge pull request #${PR_NUMBER} from ${PR_BRANCH}`], at('2026-02-11T10:00:00Z'));
  git(dir, ['update-ref', `refs/pull/${PR_NUMBER}/merge`, merge]);
  git(dir, ['update-ref', `refs/pull/${PR_NUMBER}/head`, head]);
  git(dir, ['checkout', '-q', 'main']);
  if (opts.mergePr) {
    git(dir, ['merge', '-q', '--ff-only', merge]);
    if (opts.releaseV2) git(dir, ['tag', '-a', 'v2.0.0', '-m', 'v2.0.0'], at('2026-02-12T10:00:00Z'));
  }
  return { dir, base, head, merge };
}

const repositoryPayload = { full_name: REPOSITORY, name: REPOSITORY.split('/')[1], owner: { login: REPOSITORY.split('/')[0] }, default_branch: 'main', fork: false };

/** The pull_request event of PR #7 (feature/pets-v2 → main). */
export function pullRequestEvent(repo: ExampleRepo) {
  return {
    name: 'pull_request',
    payload: {
      action: 'synchronize',
      number: PR_NUMBER,
      pull_request: {
        number: PR_NUMBER,
        title: 'Petstore API 2.0.0',
        head: { ref: PR_BRANCH, sha: repo.head, repo: { full_name: REPOSITORY, fork: false } },
        base: { ref: 'main', sha: repo.base, repo: { full_name: REPOSITORY } },
      },
      repository: repositoryPayload,
    },
  };
}

/** The push of tag v2.0.0. */
export function tagPushEvent(repo: ExampleRepo, tag = 'v2.0.0') {
  return { name: 'push', payload: { ref: `refs/tags/${tag}`, before: '0'.repeat(40), after: repo.merge, created: true, repository: repositoryPayload } };
}

/** A scheduled run (its payload has no repository: the workflows fall back to github.ref_name). */
export function scheduleEvent() {
  return { name: 'schedule', payload: { schedule: '17 6 * * *' } };
}
