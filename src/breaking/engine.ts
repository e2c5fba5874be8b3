import type { FailOn, Finding, GateResult, Level } from '../kit/result.js';
import { sortFindings, verdictFor } from '../kit/result.js';
import type { Change, EngineOptions, Scope } from './context.js';
import { applyIgnores, type IgnoreEntry } from './ignore.js';
import { FAMILIES } from './rules/index.js';
import { isRule, RULES } from './rules/registry.js';
import { loadSpec, type LoadOptions, type Spec } from './spec/load.js';
import { locId, type Loc } from './spec/loc.js';
import { walkSpecs } from './walk.js';

export type Semver = 'major' | 'minor' | 'patch';

export interface BreakingOptions extends EngineOptions, LoadOptions {
  failOn?: FailOn;
  /** oasdiff-style overrides: rule id → level, or null to drop the rule. */
  severity?: Map<string, Level | null>;
  ignores?: IgnoreEntry[];
}

export interface BreakingResult extends GateResult {
  gate: 'breaking';
  semver: Semver;
  base: string;
  revision: string;
}

/** Load both specs and compare them. */
export function checkBreaking(baseSource: string, revSource: string, opts: BreakingOptions = {}): BreakingResult {
  const base = loadSpec(baseSource, opts);
  const rev = loadSpec(revSource, opts);
  return compareSpecs(base, rev, opts);
}

/** Raw changes, before overrides, ignores and levels. */
export function diffSpecs(base: Spec, rev: Spec, opts: EngineOptions = {}): Change[] {
  const changes: Change[] = [];
  const seen = new Set<string>();
  // Schema changes arrive deduplicated per top schema (see SchemaWalker.walkTop); like oasdiff, the
  // same change under two media types or status codes is reported for each.
  const pushSchema = (c: Change) => void changes.push(c);
  const push = (c: Change) => {
    const key = `${c.operation ?? ''}\u0000${c.id}\u0000${c.at ? locId(c.at) : c.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    changes.push(c);
  };
  const scope: Scope = {
    base,
    rev,
    options: {
      deprecationDaysBeta: opts.deprecationDaysBeta ?? 31,
      deprecationDaysStable: opts.deprecationDaysStable ?? 180,
      today: opts.today ?? new Date(),
    },
    emit(id, message, at, data) {
      if (!isRule(id)) throw new Error(`internal: unknown rule id '${id}'`);
      push({ id, message, at, data });
    },
  };
  walkSpecs(base, rev, FAMILIES, scope, opts, { hook: push, schema: pushSchema });
  return changes;
}

export function compareSpecs(base: Spec, rev: Spec, opts: BreakingOptions = {}): BreakingResult {
  const changes = diffSpecs(base, rev, opts);
  const findings: Finding[] = [];
  const located = resolveLines(changes);
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    const override = opts.severity?.get(c.id);
    if (override === null) continue;
    const level = override ?? RULES[c.id]!.level;
    const f: Finding = { id: c.id, level, message: c.message };
    if (c.operation) f.operation = c.operation;
    const loc = located[i];
    if (loc) f.location = loc;
    if (c.data && Object.keys(c.data).length) f.data = c.data;
    findings.push(f);
  }
  const kept = applyIgnores(findings, opts.ignores ?? [], opts.today ?? new Date());
  const sorted = sortFindings(kept);
  return {
    gate: 'breaking',
    verdict: verdictFor(sorted, opts.failOn ?? 'error'),
    semver: semverFor(sorted),
    base: base.root.name,
    revision: rev.root.name,
    findings: sorted,
    metrics: { 'operations-changed': new Set(sorted.map((f) => f.operation).filter(Boolean)).size, findings: sorted.length },
  };
}

/** A breaking change is a major bump; any other change a minor one; nothing reported, a patch. */
export function semverFor(findings: readonly Finding[]): Semver {
  if (findings.some((f) => f.level === 'error')) return 'major';
  return findings.length > 0 ? 'minor' : 'patch';
}

/** Source lines for all changes: each distinct node located once, one pass per file. */
function resolveLines(changes: readonly Change[]): ({ file: string; line?: number } | undefined)[] {
  const byDoc = new Map<Loc['doc'], Map<Loc, number | undefined>>();
  for (const c of changes) {
    if (!c.at) continue;
    let locs = byDoc.get(c.at.doc);
    if (!locs) byDoc.set(c.at.doc, (locs = new Map()));
    locs.set(c.at, undefined);
  }
  for (const [doc, locs] of byDoc) {
    const keys = [...locs.keys()];
    const lines = doc.lines(keys.map((l) => l.path));
    keys.forEach((l, k) => locs.set(l, lines[k]));
  }
  return changes.map((c) => {
    if (!c.at) return undefined;
    const line = byDoc.get(c.at.doc)!.get(c.at);
    return line === undefined ? { file: c.at.doc.name } : { file: c.at.doc.name, line };
  });
}
