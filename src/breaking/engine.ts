import type { FailOn, Finding, GateResult, Level, Location } from '../kit/result.js';
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
    if (c.at) f.location = located.get(c.at)!;
    if (c.data && hasKeys(c.data)) f.data = c.data;
    findings.push(f);
  }
  const kept = applyIgnores(findings, opts.ignores ?? [], opts.today ?? new Date());
  const sorted = sortFindings(kept);
  const operations = new Set<string>();
  for (const f of sorted) if (f.operation) operations.add(f.operation);
  return {
    gate: 'breaking',
    verdict: verdictFor(sorted, opts.failOn ?? 'error'),
    semver: semverFor(sorted),
    base: base.root.name,
    revision: rev.root.name,
    findings: sorted,
    metrics: { 'operations-changed': operations.size, findings: sorted.length },
  };
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** A breaking change is a major bump; any other change a minor one; nothing reported, a patch. */
export function semverFor(findings: readonly Finding[]): Semver {
  if (findings.some((f) => f.level === 'error')) return 'major';
  return findings.length > 0 ? 'minor' : 'patch';
}

/**
 * Where each changed node is: each distinct node located once, one pass per file. Findings at the
 * same node share one location object (a shared schema's change is reported by many operations).
 */
function resolveLines(changes: readonly Change[]): Map<Loc, Location> {
  const byDoc = new Map<Loc['doc'], Loc[]>();
  const out = new Map<Loc, Location>();
  for (let i = 0; i < changes.length; i++) {
    const at = changes[i]!.at;
    if (!at || out.has(at)) continue;
    out.set(at, { file: at.doc.name });
    let locs = byDoc.get(at.doc);
    if (!locs) byDoc.set(at.doc, (locs = []));
    locs.push(at);
  }
  for (const [doc, locs] of byDoc) {
    const lines = doc.lines(locs.map((l) => l.path));
    for (let k = 0; k < locs.length; k++) {
      const line = lines[k];
      if (line !== undefined) out.get(locs[k]!)!.line = line;
    }
  }
  return out;
}
