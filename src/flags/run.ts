/**
 * The flags gate, from string inputs as the CLI and the action get them:
 * - check (phase 2): every operation the revision adds names its feature flag; with a flags file,
 *   every named flag is declared there and the file is complete;
 * - stale (phase 5): flags past their remove-by date, too old, on long enough to remove, unused,
 *   or named by operations but missing from the file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { formatDay, type Day } from '../breaking/rules/lifecycle.js';
import { compareSpecs } from '../breaking/engine.js';
import { loadSpec } from '../breaking/spec/load.js';
import { InputError } from '../kit/errors.js';
import { parseFailOn, parseNonNegativeInt } from '../kit/inputs.js';
import { sortFindings, verdictFor, type FailOn, type Finding, type GateResult } from '../kit/result.js';
import { parseToday } from '../lifecycle/run.js';
import { judgeFile, judgeNewOperations, judgeNewSpec, judgeReferences, judgeStale, type FlagIndex } from './check.js';
import { loadFlagsFile, removeByOf, statusOf, type FlagsFile } from './file.js';
import { operationFlags, type OperationFlag } from './spec.js';

export const DEFAULT_MAX_AGE_DAYS = 90;
export const DEFAULT_CLEANUP_DAYS = 30;

export type FlagsMode = 'check' | 'stale';
export const FLAGS_MODES: readonly FlagsMode[] = ['check', 'stale'];

export interface FlagsCheckInputs {
  /** Base spec: a file or `REV:path`. */
  base?: string;
  /** Revision spec: a file or `REV:path`. */
  revision?: string;
  /** Flags file; empty: names are not checked against a register. */
  flags?: string;
  failOn?: string;
  cwd?: string;
}

export interface FlagsStaleInputs {
  spec?: string;
  flags?: string;
  maxAgeDays?: string;
  cleanupDays?: string;
  /** `YYYY-MM-DD`; empty: today in UTC. */
  today?: string;
  failOn?: string;
  cwd?: string;
}

/** One row of the flag register as the report shows it. */
export interface FlagRow {
  name: string;
  owner?: string;
  status: string;
  created?: string;
  removeBy?: string;
  onSince?: string;
  /** Days since created (stale mode, readable created date). */
  ageDays?: number;
  /** Operations naming it. */
  operations: string[];
  file: string;
  line?: number;
}

export interface NewOperation {
  operation: string;
  /** The flag it names; null: none; false: none on purpose; undefined: unreadable. */
  flag: string | null | false | undefined;
  file: string;
  line?: number;
}

export interface FlagsResult extends GateResult {
  gate: 'flags';
  mode: FlagsMode;
  /** The flags file as named, when one was read. */
  flagsFile?: string;
  /** The register with the operations naming each flag (empty without a flags file). */
  flags: FlagRow[];
  /** check: the specs as named and the operations the revision adds. */
  base?: string;
  revision?: string;
  newOperations?: NewOperation[];
  /** stale: the spec as named and the thresholds. */
  spec?: string;
  today?: string;
  maxAgeDays?: number;
  cleanupDays?: number;
}

export function parseMode(v: string | undefined, field = 'mode'): FlagsMode {
  const s = (v ?? '').trim() || 'check';
  if (!(FLAGS_MODES as readonly string[]).includes(s)) throw new InputError(`${field}: '${s}' is not one of ${FLAGS_MODES.join(', ')}`, { field });
  return s as FlagsMode;
}

function required(v: string | undefined, field: string, what: string): string {
  const s = v?.trim();
  if (!s) throw new InputError(`${field}: required (${what})`, { field });
  return s;
}

function register(file: FlagsFile | undefined, index: FlagIndex | undefined, ops: readonly OperationFlag[], today?: Day): FlagRow[] {
  if (!file || !index) return [];
  const users = new Map<string, string[]>();
  for (const o of ops) {
    if (o.ref.kind !== 'named') continue;
    const list = users.get(o.ref.name);
    if (list) list.push(o.operation);
    else users.set(o.ref.name, [o.operation]);
  }
  return [...index.values()].map((e) => {
    const rb = removeByOf(e) ?? e.removeBy[0];
    const created = e.created?.read.ok ? e.created.read.day : undefined;
    return {
      name: e.name,
      ...(e.owner?.trim() ? { owner: e.owner } : {}),
      status: statusOf(e),
      ...(e.created ? { created: e.created.raw } : {}),
      ...(rb ? { removeBy: rb.read.ok ? formatDay(rb.read.day) : rb.raw } : {}),
      ...(e.onSince ? { onSince: e.onSince.raw } : {}),
      ...(today !== undefined && created !== undefined ? { ageDays: today - created } : {}),
      operations: users.get(e.name) ?? [],
      file: file.name,
      ...(e.line ? { line: e.line } : {}),
    };
  });
}

function result(mode: FlagsMode, findings: Finding[], failOn: FailOn, metrics: Record<string, number>, extra: Partial<FlagsResult>): FlagsResult {
  return { gate: 'flags', mode, verdict: verdictFor(findings, failOn), findings: sortFindings(findings), metrics, flags: [], ...extra };
}

/**
 * For a base written `REV:path` (not a file on disk): the revision when it exists in git but has no
 * file at that path, i.e. the spec is new since REV; undefined otherwise (a file, a URL, an unknown
 * revision, no git: the loader reports those).
 */
export function absentFromRevision(source: string, cwd: string): string | undefined {
  if (/^https?:\/\//i.test(source) || existsSync(path.resolve(cwd, source))) return undefined;
  const m = /^([^:]+):(.+)$/.exec(source);
  if (!m || /^[a-zA-Z]$/.test(m[1]!)) return undefined;
  const rev = m[1]!;
  const rel = path.posix.normalize(m[2]!.replace(/^\.\//, ''));
  const git = (...args: string[]) => {
    try {
      execFileSync('git', args, { cwd, stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (!git('rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`)) return undefined;
  return git('cat-file', '-e', '--end-of-options', `${rev}:./${rel}`) ? undefined : rev;
}

/** check: the operations `revision` adds to `base` (the breaking engine's endpoint-added) must name their flags. */
export function runFlagsCheck(i: FlagsCheckInputs): FlagsResult {
  const base = required(i.base, 'base', 'the spec before the change: a file or REV:path such as origin/main:openapi.yaml');
  const revision = required(i.revision, 'revision', 'the spec after the change: a file or REV:path');
  const failOn = parseFailOn(i.failOn);
  const cwd = i.cwd ?? process.cwd();
  const flagsPath = i.flags?.trim();
  const file = flagsPath ? loadFlagsFile(flagsPath, cwd) : undefined;
  const missingAt = absentFromRevision(base, cwd);
  const baseSpec = missingAt === undefined ? loadSpec(base, { cwd }) : undefined;
  const revSpec = loadSpec(revision, { cwd });
  const ops = operationFlags(revSpec);
  // The breaking engine decides what is new, matching paths as it does (parameter names ignored). A
  // spec the base revision does not have yet is a new API: every operation of it is new.
  const added = baseSpec
    ? new Set(compareSpecs(baseSpec, revSpec).findings.filter((f) => f.id === 'endpoint-added' && f.operation).map((f) => f.operation!))
    : new Set(ops.map((o) => o.operation));
  const newOps = ops.filter((o) => added.has(o.operation));
  const judged = file ? judgeFile(file) : undefined;
  const findings = [
    ...(judged?.findings ?? []),
    ...judgeReferences(ops, file, judged?.index),
    ...judgeNewOperations(newOps),
    ...(missingAt !== undefined ? [judgeNewSpec(base, missingAt, revSpec.root.name, ops.length)] : []),
  ];
  return result(
    'check',
    findings,
    failOn,
    {
      operations: ops.length,
      'new operations': newOps.length,
      'new operations flagged': newOps.filter((o) => o.ref.kind === 'named').length,
      ...(judged ? { 'flags declared': judged.index.size } : {}),
    },
    {
      base: baseSpec ? baseSpec.root.name : base,
      revision: revSpec.root.name,
      ...(file ? { flagsFile: file.name } : {}),
      flags: register(file, judged?.index, ops),
      newOperations: newOps.map((o) => ({
        operation: o.operation,
        flag: o.ref.kind === 'named' ? o.ref.name : o.ref.kind === 'none' ? null : o.ref.kind === 'waived' ? false : undefined,
        file: o.file,
        ...(o.line ? { line: o.line } : {}),
      })),
    },
  );
}

/** stale: the flags file judged against today and the spec's operations. */
export function runFlagsStale(i: FlagsStaleInputs): FlagsResult {
  const spec = required(i.spec, 'spec', 'an OpenAPI file or REV:path');
  const flagsPath = required(i.flags, 'flags', 'the flags file, e.g. flags.yaml');
  const today = parseToday(i.today);
  const maxAgeDays = parseNonNegativeInt(i.maxAgeDays, 'max-age-days') ?? DEFAULT_MAX_AGE_DAYS;
  const cleanupDays = parseNonNegativeInt(i.cleanupDays, 'cleanup-days') ?? DEFAULT_CLEANUP_DAYS;
  const failOn = parseFailOn(i.failOn);
  const cwd = i.cwd ?? process.cwd();
  const file = loadFlagsFile(flagsPath, cwd);
  const loaded = loadSpec(spec, { cwd });
  const ops = operationFlags(loaded);
  const { findings: fileFindings, index } = judgeFile(file);
  const stale = judgeStale(file, index, ops, { today, maxAgeDays, cleanupDays });
  const findings = [...fileFindings, ...judgeReferences(ops, file, index), ...stale];
  const flagged = new Set(stale.map((f) => String(f.data?.flag)));
  return result(
    'stale',
    findings,
    failOn,
    {
      'flags declared': index.size,
      'flags active': [...index.values()].filter((e) => statusOf(e) !== 'removed').length,
      'flags stale': flagged.size,
      'operations flagged': ops.filter((o) => o.ref.kind === 'named').length,
    },
    {
      spec: loaded.root.name,
      flagsFile: file.name,
      today: formatDay(today),
      maxAgeDays,
      cleanupDays,
      flags: register(file, index, ops, today),
    },
  );
}
