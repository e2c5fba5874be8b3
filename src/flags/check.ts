/** The flags gate's rules: the flags file itself, the flags operations name, new operations, stale flags. */
import { formatDay, type Day } from '../breaking/rules/lifecycle.js';
import { plural } from '../kit/format/common.js';
import type { Finding, Level } from '../kit/result.js';
import { FLAG_STATUSES, isKnownStatus, removeByOf, statusOf, suggest, type FlagDate, type FlagEntry, type FlagsFile } from './file.js';
import { flagNameProblem, FLAG_KEY, type OperationFlag } from './spec.js';

export const FLAG_RULES = {
  'flag-missing': 'error',
  'flag-invalid-name': 'error',
  'flag-undeclared': 'error',
  'flag-removed-in-use': 'error',
  'flag-duplicate': 'error',
  'flag-owner-missing': 'error',
  'flag-created-missing': 'error',
  'flag-invalid-date': 'error',
  'flag-invalid-status': 'error',
  'flag-past-remove-by': 'error',
  'flag-too-old': 'warning',
  'flag-cleanup-due': 'warning',
  'flag-unused': 'warning',
  'flag-waived': 'info',
  'flag-new-spec': 'info',
} as const satisfies Record<string, Level>;

export type FlagRule = keyof typeof FLAG_RULES;

function finding(id: FlagRule, message: string, file: string, line: number | undefined, extra: { operation?: string; data?: Record<string, unknown> } = {}): Finding {
  return {
    id,
    level: FLAG_RULES[id],
    message,
    location: { file, ...(line ? { line } : {}) },
    ...(extra.operation ? { operation: extra.operation } : {}),
    ...(extra.data ? { data: extra.data } : {}),
  };
}

/** What a finding about a flag says of it: owner, status and dates, as written. */
export function flagFacts(e: FlagEntry): Record<string, unknown> {
  const rb = removeByOf(e) ?? e.removeBy[0];
  return {
    flag: e.name,
    ...(e.owner?.trim() ? { owner: e.owner } : {}),
    status: statusOf(e),
    ...(e.created ? { created: e.created.raw } : {}),
    ...(rb ? { removeBy: rb.raw } : {}),
    ...(e.onSince ? { onSince: e.onSince.raw } : {}),
  };
}

/** `flag 'x' (owner @a, status on, created 2026-01-10, remove-by 2026-03-01)` */
function named(e: FlagEntry): string {
  const f = flagFacts(e);
  const parts = [`owner ${f.owner ?? 'none'}`, `status ${f.status}`];
  if (f.created) parts.push(`created ${f.created}`);
  if (f.removeBy) parts.push(`remove-by ${f.removeBy}`);
  if (f.onSince) parts.push(`on since ${f.onSince}`);
  return `flag '${e.name}' (${parts.join(', ')})`;
}

/** The first declaration of each name (later ones are `flag-duplicate`). */
export type FlagIndex = Map<string, FlagEntry>;

/** The file's own rules: duplicates, owner and created date, readable dates, known statuses. */
export function judgeFile(file: FlagsFile): { findings: Finding[]; index: FlagIndex } {
  const findings: Finding[] = [];
  const index: FlagIndex = new Map();
  for (const e of file.entries) {
    const first = index.get(e.name);
    if (first) {
      findings.push(
        finding('flag-duplicate', `flag '${e.name}' is declared again (first at line ${first.line ?? '?'}): keep one entry per flag`, file.name, e.line, {
          data: { flag: e.name, firstLine: first.line },
        }),
      );
      continue;
    }
    index.set(e.name, e);
    const problem = flagNameProblem(e.name);
    if (problem) {
      findings.push(finding('flag-invalid-name', `flag name ${problem}: a flag name is a non-empty string without spaces`, file.name, e.line, { data: { flag: e.name } }));
    }
    if (!e.owner?.trim()) {
      findings.push(
        finding('flag-owner-missing', `${named(e)} has no owner: add owner: (the team or person who removes it)`, file.name, e.ownerLine ?? e.line, { data: flagFacts(e) }),
      );
    }
    if (!e.created) {
      findings.push(
        finding('flag-created-missing', `${named(e)} has no created date: add created: YYYY-MM-DD (the stale-flag check counts its age from it)`, file.name, e.line, {
          data: flagFacts(e),
        }),
      );
    }
    for (const d of [e.created, ...e.removeBy, e.onSince]) {
      if (d && !d.read.ok) {
        findings.push(finding('flag-invalid-date', `${named(e)}: ${d.field} ${d.read.error}`, file.name, d.line ?? e.line, { data: { ...flagFacts(e), field: d.field, value: d.raw } }));
      }
    }
    const rb = removeByOf(e);
    if (rb && e.created?.read.ok && rb.read.day < e.created.read.day) {
      findings.push(
        finding('flag-invalid-date', `${named(e)}: ${rb.field} ${rb.raw} is before its created date ${e.created.raw}`, file.name, rb.line ?? e.line, {
          data: { ...flagFacts(e), field: rb.field, value: rb.raw },
        }),
      );
    }
    if (e.status !== undefined && !isKnownStatus(e.status)) {
      const hint = suggest(e.status, FLAG_STATUSES);
      findings.push(
        finding(
          'flag-invalid-status',
          `flag '${e.name}' has status ${JSON.stringify(e.status)}: expected one of ${FLAG_STATUSES.join(', ')}${hint ? ` (did you mean '${hint}'?)` : ''}`,
          file.name,
          e.statusLine ?? e.line,
          { data: { flag: e.name, status: e.status } },
        ),
      );
    }
  }
  return { findings, index };
}

/**
 * One group per x-feature-flag as written: a path item's is one node for all its operations, so it
 * is reported once, naming the first operation and counting the others.
 */
function byLocation(ops: readonly OperationFlag[]): OperationFlag[][] {
  const groups = new Map<string, OperationFlag[]>();
  for (const o of ops) {
    const key = o.on === 'path item' ? `${o.file}\u0000${o.line ?? ''}\u0000${o.operation.replace(/^\S+ /, '')}` : `\u0001${o.operation}`;
    const list = groups.get(key);
    if (list) list.push(o);
    else groups.set(key, [o]);
  }
  return [...groups.values()];
}

function also(group: readonly OperationFlag[]): string {
  return group.length > 1 ? ` (path item: also ${plural(group.length - 1, 'other operation')})` : '';
}

function groupData(group: readonly OperationFlag[]): Record<string, unknown> {
  return { on: group[0]!.on ?? 'operation', ...(group.length > 1 ? { operations: group.map((o) => o.operation) } : {}) };
}

/**
 * What operations name: an x-feature-flag that is no flag name; with a flags file, a name it lacks
 * (`flag-undeclared`) or marks removed (`flag-removed-in-use`).
 */
export function judgeReferences(ops: readonly OperationFlag[], file: FlagsFile | undefined, index: FlagIndex | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const group of byLocation(ops)) {
    const o = group[0]!;
    const ref = o.ref;
    if (ref.kind === 'invalid') {
      findings.push(
        finding('flag-invalid-name', `${o.operation}: ${FLAG_KEY} ${ref.why}${also(group)}`, o.file, o.line, {
          operation: o.operation,
          data: { ...groupData(group), value: ref.value },
        }),
      );
      continue;
    }
    if (ref.kind !== 'named' || !file || !index) continue;
    const e = index.get(ref.name);
    if (!e) {
      const hint = suggest(ref.name, index.keys());
      findings.push(
        finding(
          'flag-undeclared',
          `${o.operation}: ${FLAG_KEY} '${ref.name}' is not declared in ${file.name}${hint ? ` (did you mean '${hint}'?)` : ''}: add it with its owner and created date${also(group)}`,
          o.file,
          o.line,
          { operation: o.operation, data: { ...groupData(group), flag: ref.name, flagsFile: file.name } },
        ),
      );
    } else if (statusOf(e) === 'removed') {
      findings.push(
        finding(
          'flag-removed-in-use',
          `${o.operation}: ${FLAG_KEY} '${ref.name}' names a flag ${file.name}:${e.statusLine ?? e.line ?? '?'} marks removed: delete the ${FLAG_KEY} (the operation is no longer behind a flag)${also(group)}`,
          o.file,
          o.line,
          { operation: o.operation, data: { ...groupData(group), ...flagFacts(e), flagsFile: file.name, flagsLine: e.statusLine ?? e.line } },
        ),
      );
    }
  }
  return findings;
}

/** Phase 2: every operation the revision adds names its flag (or `false`, on purpose). */
export function judgeNewOperations(newOps: readonly OperationFlag[]): Finding[] {
  const findings: Finding[] = [];
  for (const o of newOps) {
    if (o.ref.kind === 'none') {
      findings.push(
        finding(
          'flag-missing',
          `${o.operation}: new operation without a feature flag: add ${FLAG_KEY}: <flag name> to the operation (or its path item), or ${FLAG_KEY}: false to ship it unflagged on purpose`,
          o.file,
          o.line,
          { operation: o.operation },
        ),
      );
    } else if (o.ref.kind === 'waived') {
      findings.push(finding('flag-waived', `${o.operation}: new operation shipped without a feature flag on purpose (${FLAG_KEY}: false on the ${o.on})`, o.file, o.line, { operation: o.operation, data: { on: o.on } }));
    }
  }
  return findings;
}

/** check: the base revision has no such file, so the spec is new and every operation counts as added. */
export function judgeNewSpec(base: string, rev: string, revisionFile: string, operations: number): Finding {
  return finding(
    'flag-new-spec',
    `${base}: the file does not exist at ${rev}: the spec is new, so all ${plural(operations, 'operation')} of it count as added and each names its flag (or ${FLAG_KEY}: false); to ship a new API unflagged, give the revision as the base too`,
    revisionFile,
    undefined,
    { data: { base, revision: rev, operations } },
  );
}

export interface StaleOptions {
  today: Day;
  maxAgeDays: number;
  cleanupDays: number;
}

function ok(d: FlagDate | undefined): Day | undefined {
  return d?.read.ok ? d.read.day : undefined;
}

/** Phase 5: flags past their remove-by date, older than the maximum age, on long enough to remove, or used by no operation. */
export function judgeStale(file: FlagsFile, index: FlagIndex, ops: readonly OperationFlag[], o: StaleOptions): Finding[] {
  const findings: Finding[] = [];
  const used = new Set<string>();
  for (const op of ops) if (op.ref.kind === 'named') used.add(op.ref.name);
  for (const e of index.values()) {
    const status = statusOf(e);
    if (status === 'removed') continue;
    const facts = flagFacts(e);
    const rb = removeByOf(e);
    if (rb && rb.read.day < o.today) {
      const days = o.today - rb.read.day;
      findings.push(
        finding('flag-past-remove-by', `${named(e)} was to be removed by ${formatDay(rb.read.day)}, ${plural(days, 'day')} ago: remove the flag and its code paths, then mark it removed`, file.name, rb.line ?? e.line, {
          data: { ...facts, daysPast: days },
        }),
      );
    }
    const created = ok(e.created);
    // A readable remove-by is the team's own deadline, and rules over the maximum age: past it, the
    // flag is flag-past-remove-by; before it, the flag is not stale (the message below offers it).
    if (!rb && created !== undefined && o.today - created > o.maxAgeDays) {
      const age = o.today - created;
      findings.push(
        finding('flag-too-old', `${named(e)} is ${plural(age, 'day')} old (more than ${o.maxAgeDays}) and not removed: finish the rollout and remove it, or set a remove-by date`, file.name, e.created?.line ?? e.line, {
          data: { ...facts, ageDays: age, maxAgeDays: o.maxAgeDays },
        }),
      );
    }
    if (status === 'on') {
      const since = ok(e.onSince) ?? created;
      if (since !== undefined && o.today - since > o.cleanupDays) {
        const days = o.today - since;
        const from = ok(e.onSince) !== undefined ? `since ${formatDay(since)}` : `since at most ${formatDay(since)} (no on-since date: counted from created)`;
        findings.push(
          finding('flag-cleanup-due', `${named(e)} has been fully on ${from}, ${plural(days, 'day')} (more than ${o.cleanupDays}): cleanup is due, remove the flag and keep the on path`, file.name, e.onSince?.line ?? e.statusLine ?? e.line, {
            data: { ...facts, onDays: days, cleanupDays: o.cleanupDays },
          }),
        );
      }
    }
    if (!used.has(e.name)) {
      findings.push(
        finding('flag-unused', `${named(e)} is named by no operation of the spec: mark it removed (or delete the entry) once its code is gone`, file.name, e.line, { data: facts }),
      );
    }
  }
  return findings;
}
