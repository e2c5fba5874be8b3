import type { FailOn, Finding, GateResult, Level, Location } from '../kit/result.js';
import { sortFindings, verdictFor } from '../kit/result.js';
import type { ChangeSink, EngineOptions, Scope } from './context.js';
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

/**
 * Walk both specs and hand every change to `sink`: hook changes deduplicated by operation, rule, node
 * and message; schema changes arrive deduplicated per top schema (see SchemaWalker.walkTop) and, like
 * oasdiff, the same change under two media types or status codes is reported for each.
 */
export function diffSpecs(base: Spec, rev: Spec, opts: EngineOptions, sink: ChangeSink): void {
  const seen = new Set<string>();
  const hook: ChangeSink = (id, message, at, operation, data) => {
    // The message too: one node can hold several changes of one rule (a response component under two
    // status codes, two inherited security requirements), each with its own message.
    const key = `${operation ?? ''}\u0000${id}\u0000${at ? locId(at) : ''}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    sink(id, message, at, operation, data);
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
      hook(id, message, at, undefined, data);
    },
  };
  walkSpecs(base, rev, FAMILIES, scope, opts, { hook, schema: sink });
}

export function compareSpecs(base: Spec, rev: Spec, opts: BreakingOptions = {}): BreakingResult {
  const findings: Finding[] = [];
  // Where each finding is, resolved to lines once all are known (one pass per file).
  const at: (Loc | undefined)[] = [];
  diffSpecs(base, rev, opts, (id, message, loc, operation, data) => {
    const override = opts.severity?.get(id);
    if (override === null) return;
    const f: Finding = { id, level: override ?? RULES[id]!.level, message };
    if (operation) f.operation = operation;
    if (data && hasKeys(data)) f.data = data;
    findings.push(f);
    at.push(loc);
  });
  const located = resolveLines(at);
  for (let i = 0; i < findings.length; i++) {
    const loc = at[i];
    if (loc) findings[i]!.location = located.get(loc)!;
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
function resolveLines(locs: readonly (Loc | undefined)[]): Map<Loc, Location> {
  const byDoc = new Map<Loc['doc'], Loc[]>();
  const out = new Map<Loc, Location>();
  for (let i = 0; i < locs.length; i++) {
    const at = locs[i];
    if (!at || out.has(at)) continue;
    out.set(at, { file: at.doc.name });
    let list = byDoc.get(at.doc);
    if (!list) byDoc.set(at.doc, (list = []));
    list.push(at);
  }
  for (const [doc, list] of byDoc) {
    const lines = doc.lines(list.map((l) => l.path));
    for (let k = 0; k < list.length; k++) {
      const line = lines[k];
      if (line !== undefined) out.get(list[k]!)!.line = line;
    }
  }
  return out;
}
