import { describe, expect, test } from '@jest/globals';
import { bumpOf, checkVersion, compareVersions, parseVersion, requireVersion, suggestVersion, type VersionCheckInput } from '../../src/release-notes/version.js';

const v = (s: string) => parseVersion(s)!;

describe('semantic versions', () => {
  test.each(['1.2.3', 'v1.2.3', '0.0.1', '2.0.0-rc.1', '1.0.0-alpha.beta+build.7'])('%s parses', (s) => {
    expect(parseVersion(s)).toBeDefined();
  });
  test.each(['1.2', '01.2.3', '1.2.3.4', 'latest', '', 'v', '1.2.3-'])('%s does not', (s) => {
    expect(parseVersion(s)).toBeUndefined();
  });
  test('a bad --version is an input error naming the option', () => {
    expect(() => requireVersion('2.0', 'version')).toThrow(/^version: '2\.0' is not a semantic version/);
  });
  test('precedence follows semver (prereleases before the release, numeric ids numerically)', () => {
    const order = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.1.0', '2.0.0'];
    for (let i = 1; i < order.length; i++) expect(compareVersions(v(order[i - 1]!), v(order[i]!))).toBe(-1);
    expect(compareVersions(v('v1.0.0'), v('1.0.0'))).toBe(0);
  });
  test('bumps', () => {
    expect(bumpOf(v('1.4.0'), v('2.0.0'))).toBe('major');
    expect(bumpOf(v('1.4.0'), v('1.5.0'))).toBe('minor');
    expect(bumpOf(v('1.4.0'), v('1.4.1'))).toBe('patch');
    expect(bumpOf(v('1.4.0'), v('1.4.0'))).toBe('none');
    // rc.1 → final finishes the release the rc started: 2.0.0 is a major release (was 'patch', which failed rc → final with any change).
    expect(bumpOf(v('2.0.0-rc.1'), v('2.0.0'))).toBe('major');
  });
  test('suggested next versions', () => {
    expect(suggestVersion(v('1.4.2'), 'major')).toBe('2.0.0');
    expect(suggestVersion(v('1.4.2'), 'minor')).toBe('1.5.0');
    expect(suggestVersion(v('1.4.2'), 'patch')).toBe('1.4.3');
    expect(suggestVersion(v('0.3.1'), 'major')).toBe('0.4.0');
  });
});

describe('does the release version agree with the changes?', () => {
  const base: VersionCheckInput = { advice: 'major', breakingCount: 3, previous: '1.4.0', previousFrom: 'base spec', revisionVersion: '2.0.0' };
  const ids = (i: Partial<VersionCheckInput>) => checkVersion({ ...base, ...i }).findings.map((f) => `${f.level}:${f.id}`);

  test('a major release for breaking changes agrees', () => {
    expect(ids({ version: v('2.0.0') })).toEqual([]);
  });
  test('a breaking change in a minor release is an error that says what is needed', () => {
    const r = checkVersion({ ...base, version: v('1.5.0'), revisionVersion: '1.5.0' });
    expect(r.findings).toEqual([
      expect.objectContaining({ id: 'version-bump-too-small', level: 'error', message: '1.4.0 → 1.5.0 is a minor release but the API has 3 breaking changes: a major release is needed (e.g. 2.0.0).' }),
    ]);
  });
  test('new operations in a patch release are an error too', () => {
    expect(ids({ advice: 'minor', breakingCount: 0, version: v('1.4.1'), revisionVersion: '1.4.1' })).toEqual(['error:version-bump-too-small']);
  });
  test('a version that does not go up is an error', () => {
    expect(ids({ version: v('1.4.0'), revisionVersion: '1.4.0' })).toEqual(['error:version-not-increased']);
    expect(ids({ version: v('1.3.9'), revisionVersion: '1.3.9' })).toEqual(['error:version-not-increased']);
  });
  test('a revision whose info.version differs from the release is a warning, not an error', () => {
    const r = checkVersion({ ...base, version: v('2.0.0'), revisionVersion: '2.0.0-draft', revisionLocation: { file: 'openapi.yaml', line: 4 } });
    expect(r.findings).toEqual([expect.objectContaining({ id: 'revision-version-mismatch', level: 'warning', location: { file: 'openapi.yaml', line: 4 } })]);
  });
  test('before 1.0.0 breaking changes fit a minor release', () => {
    expect(ids({ previous: '0.3.0', version: v('0.4.0'), revisionVersion: '0.4.0' })).toEqual([]);
    expect(ids({ previous: '0.3.0', version: v('0.3.1'), revisionVersion: '0.3.1' })).toEqual(['error:version-bump-too-small']);
  });
  test('a major release without breaking changes is allowed, with a note', () => {
    expect(ids({ advice: 'minor', breakingCount: 0, version: v('2.0.0') })).toEqual(['info:version-bump-larger-than-needed']);
  });
  test('an unparseable previous version is a warning: nothing to compare with', () => {
    expect(ids({ previous: 'v1', version: v('2.0.0') })).toEqual(['warning:previous-version-unparseable']);
  });
  test('without a version the next one is suggested', () => {
    const r = checkVersion({ ...base });
    expect(r.findings).toEqual([]);
    expect(r.suggestedVersion).toBe('2.0.0');
  });
});
