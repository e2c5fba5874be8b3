import { InputError } from '../kit/errors.js';
import type { Finding, Location } from '../kit/result.js';
import type { Semver } from '../breaking/engine.js';

/** A semantic version (https://semver.org), with an optional leading `v` as tags often carry. */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
  /** As written, without the leading `v`. */
  text: string;
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

export function parseVersion(text: string): Version | undefined {
  const m = SEMVER.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ? m[4].split('.') : [], text: text.trim().replace(/^v/, '') };
}

/** A release tag: an optional component prefix (`api/`, `api-`, `api@`) and a version (`v1.2.0`, `1.2.0`). */
export interface ReleaseTag {
  tag: string;
  /** `api/` in `api/v1.2.0`; '' for `v1.2.0`. */
  prefix: string;
  version: Version;
}

/** `v1.2.0`, `1.2.0`, `api/v1.2.0`, `api-v1.2.0`, `@acme/api@1.2.0` → prefix and version; anything else → undefined. */
export function parseTag(tag: string): ReleaseTag | undefined {
  const t = tag.trim();
  const direct = parseVersion(t);
  if (direct) return { tag: t, prefix: '', version: direct };
  // The shortest prefix ending in / - @ after which a version follows.
  for (let i = 0; i < t.length; i++) {
    if (!'/-@'.includes(t[i]!)) continue;
    const v = parseVersion(t.slice(i + 1));
    if (v && /^v?\d/.test(t.slice(i + 1))) return { tag: t, prefix: t.slice(0, i + 1), version: v };
  }
  return undefined;
}

/** Parse a version the user gave; a malformed one is bad input. */
export function requireVersion(text: string, field: string): Version {
  const v = parseVersion(text);
  if (!v) throw new InputError(`${field}: '${text}' is not a semantic version (expected MAJOR.MINOR.PATCH, e.g. 2.0.0 or v2.1.0-rc.1)`, { field });
  return v;
}

/** Semver precedence: negative when a < b. */
export function compareVersions(a: Version, b: Version): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  if (!a.prerelease.length || !b.prerelease.length) return Math.sign(b.prerelease.length - a.prerelease.length);
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Math.sign(Number(x) - Number(y));
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Which part of the version a release raises: compares the release parts, prereleases ignored. */
export function bumpOf(previous: Version, next: Version): Semver | 'none' {
  if (next.major !== previous.major) return next.major > previous.major ? 'major' : 'none';
  if (next.minor !== previous.minor) return next.minor > previous.minor ? 'minor' : 'none';
  if (next.patch !== previous.patch) return next.patch > previous.patch ? 'patch' : 'none';
  // 2.0.0-rc.1 → 2.0.0 (or rc.1 → rc.2) finishes the same release, measured from the last final version:
  // X.0.0 is a major release, X.Y.0 a minor one, X.Y.Z a patch.
  if (previous.prerelease.length === 0) return 'none';
  return next.minor === 0 && next.patch === 0 ? 'major' : next.patch === 0 ? 'minor' : 'patch';
}

/** The bump a change needs. Before 1.0.0 breaking changes go in a minor release (semver item 4: anything may change). */
export function requiredBump(previous: Version, advice: Semver): Semver {
  if (previous.major === 0 && advice === 'major') return 'minor';
  return advice;
}

const RANK: Record<Semver | 'none', number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** 2.0.0-rc.1 → 2.0.0-rc.2 or → 2.0.0: one release in the making, not a new major one. */
function sameRelease(a: Version, b: Version): boolean {
  return a.prerelease.length > 0 && a.major === b.major && a.minor === b.minor && a.patch === b.patch;
}

/** The next version the advice leads to (suggestion when the user gave none). */
export function suggestVersion(previous: Version, advice: Semver): string {
  const need = requiredBump(previous, advice);
  if (previous.prerelease.length) {
    // 2.1.0-rc.1 finishes as 2.1.0 unless the change needs more than a minor release over 2.0.x.
    const core = { ...previous, prerelease: [] };
    if (RANK[bumpOf(previous, core)] >= RANK[need]) return `${previous.major}.${previous.minor}.${previous.patch}`;
    return need === 'major' ? `${previous.major + 1}.0.0` : `${previous.major}.${previous.minor + 1}.0`;
  }
  if (need === 'major') return `${previous.major + 1}.0.0`;
  if (need === 'minor') return `${previous.major}.${previous.minor + 1}.0`;
  return `${previous.major}.${previous.minor}.${previous.patch + 1}`;
}

export interface VersionCheck {
  findings: Finding[];
  /** The release's version (given, or suggested from the advice). */
  version?: string;
  previousVersion?: string;
  suggestedVersion?: string;
  /** The bump the given version makes. */
  bump?: Semver | 'none';
}

export interface VersionCheckInput {
  advice: Semver;
  breakingCount: number;
  /** --version; undefined means "suggest one". */
  version?: Version;
  /** --previous-version, else the base spec's info.version. */
  previous?: string;
  previousFrom: 'option' | 'base tag' | 'base spec';
  /** The revision spec's info.version and where it is written. */
  revisionVersion?: string;
  revisionLocation?: Location;
}

/** Does the release version agree with the changes? Errors fail the gate, warnings inform. */
export function checkVersion(i: VersionCheckInput): VersionCheck {
  const findings: Finding[] = [];
  const out: VersionCheck = { findings };
  const prev = i.previous === undefined ? undefined : parseVersion(i.previous);
  if (i.previous !== undefined && !prev) {
    findings.push({
      id: 'previous-version-unparseable',
      level: 'warning',
      message: `The previous version '${i.previous}' (${i.previousFrom === 'option' ? '--previous-version' : i.previousFrom === 'base tag' ? 'the base tag' : "base spec's info.version"}) is not a semantic version: the release version cannot be checked against the changes. Pass --previous-version X.Y.Z.`,
      data: { previous: i.previous },
    });
  }
  if (prev) {
    out.previousVersion = prev.text;
    out.suggestedVersion = suggestVersion(prev, i.advice);
  }
  if (i.version) out.version = i.version.text;
  if (i.version && prev) {
    const bump = bumpOf(prev, i.version);
    out.bump = bump;
    const need = requiredBump(prev, i.advice);
    if (compareVersions(i.version, prev) <= 0) {
      findings.push({
        id: 'version-not-increased',
        level: 'error',
        message: `Version ${i.version.text} is not greater than the previous version ${prev.text}.`,
        data: { version: i.version.text, previous: prev.text },
      });
    } else if (RANK[bump] < RANK[need]) {
      const why =
        i.advice === 'major'
          ? `the API has ${i.breakingCount} breaking change${i.breakingCount === 1 ? '' : 's'}`
          : 'the API has new or changed operations';
      findings.push({
        id: 'version-bump-too-small',
        level: 'error',
        message: `${prev.text} → ${i.version.text} is a ${bump} release but ${why}: a ${need} release is needed (e.g. ${suggestVersion(prev, i.advice)}).`,
        data: { version: i.version.text, previous: prev.text, bump, required: need },
      });
    } else if (RANK[bump] > RANK[need] && bump === 'major' && !sameRelease(prev, i.version)) {
      findings.push({
        id: 'version-bump-larger-than-needed',
        level: 'info',
        message: `${prev.text} → ${i.version.text} is a major release, but the API has no breaking change (${need} would do).`,
        data: { version: i.version.text, previous: prev.text, bump, required: need },
      });
    }
  }
  if (i.version && i.revisionVersion !== undefined) {
    const rv = parseVersion(i.revisionVersion);
    if (!rv || compareVersions(rv, i.version) !== 0) {
      const f: Finding = {
        id: 'revision-version-mismatch',
        level: 'warning',
        message: `The revision's info.version is '${i.revisionVersion}' but the release is ${i.version.text}: update info.version so the published spec says which version it is.`,
        data: { version: i.version.text, revisionVersion: i.revisionVersion },
      };
      if (i.revisionLocation) f.location = i.revisionLocation;
      findings.push(f);
    }
  }
  return out;
}
