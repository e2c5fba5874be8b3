import { describe, expect, test } from '@jest/globals';
import { ciContextFromEnv, versionInfo } from '../../src/contract/git-context.js';

describe('version and branch to publish under', () => {
  test('pull_request: the head commit and head branch, not the merge ref', () => {
    const ctx = ciContextFromEnv(
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_SHA: 'merge', GITHUB_HEAD_REF: 'feature/a', GITHUB_REF: 'refs/pull/3/merge', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9' },
      'head',
    );
    expect(versionInfo(ctx)).toEqual({ version: 'head', branch: 'feature/a', buildUrl: 'https://github.com/o/r/actions/runs/9' });
  });
  test('push to a branch; a tag push has no branch', () => {
    expect(versionInfo(ciContextFromEnv({ GITHUB_EVENT_NAME: 'push', GITHUB_SHA: 's', GITHUB_REF: 'refs/heads/release/2' }))).toEqual({ version: 's', branch: 'release/2', buildUrl: undefined });
    expect(versionInfo(ciContextFromEnv({ GITHUB_EVENT_NAME: 'push', GITHUB_SHA: 's', GITHUB_REF: 'refs/tags/v1' })).branch).toBeUndefined();
  });
  test('a pull_request without the payload falls back to GITHUB_SHA but keeps the head branch', () => {
    expect(versionInfo(ciContextFromEnv({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_SHA: 'm', GITHUB_HEAD_REF: 'b', GITHUB_REF: 'refs/pull/1/merge' }))).toMatchObject({ version: 'm', branch: 'b' });
  });
  test('explicit values win; blanks do not', () => {
    expect(versionInfo({ sha: 's', ref: 'refs/heads/main' }, { version: ' 1.2.3 ', branch: '', buildUrl: 'u' })).toEqual({ version: '1.2.3', branch: 'main', buildUrl: 'u' });
  });
});
