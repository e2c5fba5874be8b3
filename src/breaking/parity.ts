import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RULES } from './rules/registry.js';
import { compareSpecs } from './engine.js';
import { loadSpec } from './spec/load.js';

/** oasdiff's test switched these off; the corpus expectations never include them. */
const VERSIONING_RULES = new Set(['api-version-not-bumped', 'api-version-decreased', 'api-major-version-not-bumped']);
const LEVEL_RANK: Record<string, number> = { INFO: 0, WARN: 1, ERR: 2 };
const OUR_TO_OASDIFF: Record<string, string> = { info: 'INFO', warning: 'WARN', error: 'ERR' };

interface Expectation {
  source: string;
  config: {
    checks: 'single' | 'all';
    single_check_rule_ids?: string[];
    min_level?: string;
    deprecation_days_beta?: number;
    deprecation_days_stable?: number;
  };
  exhaustive: boolean;
  expected_count: number | null;
  changes: { id: string; level?: string; operation?: string; path?: string }[];
  absent_ids?: string[];
}

export interface ExpectationOutcome {
  case: string;
  source: string;
  met: boolean;
  why?: string;
  expected: string[];
  got: string[];
  family: string;
}

export interface ParityReport {
  cases: number;
  casesWithResult: number;
  expectations: number;
  met: number;
  outcomes: ExpectationOutcome[];
  errors: { case: string; error: string }[];
}

/** Run every case folder under `dir` and judge each expectation the way the corpus README says. */
export function runParity(dir: string, only?: RegExp): ParityReport {
  const cases = readdirSync(dir)
    .filter((d) => existsSync(path.join(dir, d, 'expected.json')))
    .filter((d) => !only || only.test(d))
    .sort();
  const report: ParityReport = { cases: cases.length, casesWithResult: 0, expectations: 0, met: 0, outcomes: [], errors: [] };
  const today = new Date();
  for (const name of cases) {
    const folder = path.join(dir, name);
    const expected = JSON.parse(readFileSync(path.join(folder, 'expected.json'), 'utf8')) as { expectations: Expectation[] };
    let base, rev;
    try {
      base = loadSpec(path.join(folder, 'base.yaml'));
      rev = loadSpec(path.join(folder, 'revision.yaml'));
    } catch (e) {
      report.errors.push({ case: name, error: (e as Error).message });
      for (const exp of expected.expectations) {
        report.expectations++;
        report.outcomes.push(outcome(name, exp, false, `load error: ${(e as Error).message}`, []));
      }
      continue;
    }
    let counted = false;
    for (const exp of expected.expectations) {
      report.expectations++;
      let found: { id: string; level: string; operation?: string }[];
      try {
        const result = compareSpecs(base, rev, {
          today,
          // oasdiff's test configs default to no deprecation policy (0 days) unless the test sets one.
          deprecationDaysBeta: exp.config.deprecation_days_beta ?? 0,
          deprecationDaysStable: exp.config.deprecation_days_stable ?? 0,
          failOn: 'never',
        });
        if (!counted) {
          report.casesWithResult++;
          counted = true;
        }
        found = result.findings.map((f) => ({ id: f.id, level: OUR_TO_OASDIFF[f.level]!, operation: f.operation }));
      } catch (e) {
        report.errors.push({ case: name, error: (e as Error).stack ?? String(e) });
        report.outcomes.push(outcome(name, exp, false, `engine error: ${(e as Error).message}`, []));
        continue;
      }
      const min = LEVEL_RANK[exp.config.min_level ?? 'INFO'] ?? 0;
      // A check also emits ids shared with other checks (e.g. the sunset-parse ids), which the corpus's
      // per-check list leaves out; the ids the expectation itself names are the check's too.
      const single = exp.config.checks === 'single' ? new Set([...(exp.config.single_check_rule_ids ?? []), ...exp.changes.map((c) => c.id)]) : undefined;
      const kept = found.filter((f) => !VERSIONING_RULES.has(f.id) && (!single || single.has(f.id)) && (LEVEL_RANK[defaultLevel(f.id)] ?? 0) >= min);
      const why = judge(exp, kept);
      if (!why) report.met++;
      report.outcomes.push(outcome(name, exp, !why, why, kept.map((k) => k.id)));
    }
  }
  return report;
}

function defaultLevel(id: string): string {
  const r = RULES[id];
  return r ? OUR_TO_OASDIFF[r.level]! : 'INFO';
}

function judge(exp: Expectation, kept: { id: string; operation?: string }[]): string | undefined {
  for (const a of exp.absent_ids ?? []) if (kept.some((k) => k.id === a)) return `reported ${a}, which must be absent`;
  if (exp.exhaustive) {
    const want = exp.changes.map((c) => c.id).sort();
    const got = kept.map((k) => k.id).sort();
    if (exp.expected_count !== null && got.length !== exp.expected_count) return `expected ${exp.expected_count} change(s), got ${got.length}`;
    if (want.length === got.length && want.join() !== got.join()) return `ids differ`;
  } else {
    for (const c of exp.changes) if (!kept.some((k) => k.id === c.id)) return `missing ${c.id}`;
  }
  for (const c of exp.changes) {
    if (!c.operation || !c.path) continue;
    const op = `${c.operation.toUpperCase()} ${c.path}`;
    if (!kept.some((k) => k.id === c.id && k.operation === op)) return `${c.id} not reported on ${op}`;
  }
  return undefined;
}

function outcome(name: string, exp: Expectation, met: boolean, why: string | undefined, got: string[]): ExpectationOutcome {
  const ids = exp.changes.map((c) => c.id);
  return {
    case: name,
    source: exp.source,
    met,
    why,
    expected: ids,
    got,
    family: familyOf(ids[0] ?? exp.absent_ids?.[0] ?? exp.config.single_check_rule_ids?.[0] ?? 'none'),
  };
}

/** A coarse grouping of rule ids for the misses table. */
export function familyOf(id: string): string {
  if (/deprecat|sunset|stability|reactivated/.test(id)) return 'lifecycle';
  if (/security/.test(id)) return 'security';
  if (/(all-of|any-of|one-of|discriminator)/.test(id)) return 'composition';
  if (/(-if-|-then-|-else-|contains|prefix-items|unevaluated|dependent|property-names|pattern-property|content-)/.test(id)) return 'schema 3.1 keywords';
  if (/enum/.test(id)) return 'enums';
  if (/(max|min|pattern)/.test(id)) return 'schema constraints';
  if (/(type|format|nullable|const|default)/.test(id)) return 'schema types';
  if (/(property|properties)/.test(id)) return 'schema properties';
  if (/parameter/.test(id)) return 'parameters';
  if (/request-body/.test(id)) return 'request body';
  if (/(response|media-?type)/.test(id)) return 'responses';
  return 'paths';
}

export function formatParity(r: ParityReport, verbose = false): string {
  const lines: string[] = [];
  const pct = r.expectations ? ((100 * r.met) / r.expectations).toFixed(1) : '0';
  lines.push(`oasdiff parity: ${r.met}/${r.expectations} expectations met (${pct}%), ${r.casesWithResult}/${r.cases} pairs gave a result`);
  const fam = new Map<string, { met: number; all: number }>();
  for (const o of r.outcomes) {
    const f = fam.get(o.family) ?? { met: 0, all: 0 };
    f.all++;
    if (o.met) f.met++;
    fam.set(o.family, f);
  }
  lines.push('', 'family                 met / all  missed');
  for (const [name, f] of [...fam].sort((a, b) => b[1].all - b[1].met - (a[1].all - a[1].met))) {
    lines.push(`${name.padEnd(22)} ${String(f.met).padStart(4)} / ${String(f.all).padEnd(4)} ${f.all - f.met}`);
  }
  if (verbose) {
    lines.push('', 'misses:');
    for (const o of r.outcomes.filter((x) => !x.met)) {
      lines.push(`- ${o.case} [${o.source.split(':').pop()}]: ${o.why}; expected [${o.expected.join(', ')}] got [${o.got.join(', ')}]`);
    }
  }
  if (r.errors.length) {
    lines.push('', 'errors:');
    for (const e of r.errors) lines.push(`- ${e.case}: ${e.error.split('\n').slice(0, 3).join(' | ')}`);
  }
  return lines.join('\n');
}
