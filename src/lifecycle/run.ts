/** The lifecycle gate: sunset enforcement for one spec, from string inputs as the CLI and the action get them. */
import { formatDay, parseSunset, type Day } from '../breaking/rules/lifecycle.js';
import { loadSpec } from '../breaking/spec/load.js';
import { own } from '../breaking/spec/loc.js';
import { InputError } from '../kit/errors.js';
import { parseFailOn, parseNonNegativeInt } from '../kit/inputs.js';
import { sortFindings, verdictFor, type FailOn, type GateResult } from '../kit/result.js';
import { judgeElements, type SunsetEntry } from './check.js';
import { lifecycleElements } from './elements.js';

export interface LifecycleInputs {
  /** A spec file or `REV:path`. */
  spec: string;
  /** `YYYY-MM-DD`; empty: today in UTC. */
  today?: string;
  warnDays?: string;
  failOn?: string;
  /** Directory the spec path and git revisions are read from. */
  cwd?: string;
}

export interface LifecycleOptions {
  spec: string;
  today: Day;
  warnDays: number;
  failOn: FailOn;
  cwd: string;
}

export interface LifecycleResult extends GateResult {
  gate: 'lifecycle';
  /** The spec as it was named (relative to cwd, or `REV:path`). */
  spec: string;
  today: string;
  warnDays: number;
  /** Every element with a readable sunset date, soonest (or longest past) first. */
  schedule: SunsetEntry[];
}

export const DEFAULT_WARN_DAYS = 30;

export function parseLifecycleInputs(i: LifecycleInputs): LifecycleOptions {
  const spec = i.spec?.trim();
  if (!spec) throw new InputError('spec: required (an OpenAPI file or REV:path)', { field: 'spec' });
  return {
    spec,
    today: parseToday(i.today),
    warnDays: parseNonNegativeInt(i.warnDays, 'warn-days') ?? DEFAULT_WARN_DAYS,
    failOn: parseFailOn(i.failOn),
    cwd: i.cwd ?? process.cwd(),
  };
}

/** `--today`: a calendar date written YYYY-MM-DD; empty means the current UTC date. */
export function parseToday(v: string | undefined): Day {
  const s = (v ?? '').trim() || new Date().toISOString().slice(0, 10);
  const read = /^\d{4}-\d{2}-\d{2}$/.test(s) ? parseSunset(s) : undefined;
  if (!read?.ok) throw new InputError(`today: '${s}' is not a date: expected YYYY-MM-DD, e.g. 2026-03-31`, { field: 'today' });
  return read.day;
}

export function checkLifecycle(o: LifecycleOptions): LifecycleResult {
  const spec = loadSpec(o.spec, { cwd: o.cwd });
  const { operations, elements } = lifecycleElements(spec);
  const { findings, schedule } = judgeElements(elements, o.today, o.warnDays);
  return {
    gate: 'lifecycle',
    verdict: verdictFor(findings, o.failOn),
    findings: sortFindings(findings),
    metrics: {
      operations,
      // A schema property both sent and received is one element here; a path item counts by its operations.
      deprecated: new Set(elements.filter((e) => e.kind !== 'path item' && own(e.loc.v, e.deprecatedKey) === true).map((e) => `${e.loc.doc.id}#${e.loc.path.join('/')}`)).size,
      'sunset passed': findings.filter((f) => f.id === 'sunset-passed').length,
    },
    spec: spec.root.name,
    today: formatDay(o.today),
    warnDays: o.warnDays,
    schedule,
  };
}

/** Parse inputs, load the spec, judge it: one call for every surface. */
export function runLifecycle(i: LifecycleInputs): LifecycleResult {
  return checkLifecycle(parseLifecycleInputs(i));
}
