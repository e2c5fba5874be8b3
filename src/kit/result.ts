/** The one result model every gate returns and every surface renders. */
export type Level = 'error' | 'warning' | 'info';

export const LEVELS: readonly Level[] = ['error', 'warning', 'info'];

export interface Location {
  file: string;
  line?: number;
  column?: number;
}

export interface Finding {
  /** Stable rule id, e.g. `request-parameter-removed`. */
  id: string;
  level: Level;
  message: string;
  location?: Location;
  /** `GET /pets/{id}` where the finding belongs to one operation. */
  operation?: string;
  data?: Record<string, unknown>;
}

export interface GateResult {
  gate: string;
  verdict: 'pass' | 'fail';
  findings: Finding[];
  metrics?: Record<string, number>;
  /** Gate-specific extras (e.g. `semver` for the breaking gate) live beside the common fields. */
  [extra: string]: unknown;
}

export type FailOn = 'error' | 'warning' | 'never';

export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'never'];

const RANK: Record<Level, number> = { error: 0, warning: 1, info: 2 };

/** Lower is worse: error 0, warning 1, info 2. */
export function levelRank(level: Level): number {
  return RANK[level];
}

export function countByLevel(findings: readonly Finding[]): Record<Level, number> {
  const counts: Record<Level, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.level]++;
  return counts;
}

export function verdictFor(findings: readonly Finding[], failOn: FailOn): 'pass' | 'fail' {
  if (failOn === 'never') return 'pass';
  const worst = failOn === 'error' ? 0 : 1;
  return findings.some((f) => RANK[f.level] <= worst) ? 'fail' : 'pass';
}

/** Worst first, then by operation, file, line and id so output is stable (code-point order, no locale). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      RANK[a.level] - RANK[b.level] ||
      cmp(a.operation ?? '', b.operation ?? '') ||
      cmp(a.location?.file ?? '', b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      cmp(a.id, b.id),
  );
}

function cmp(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Exit codes mean one thing each: 3 is a bug of ours (the message carries the stack), never a verdict. */
export const EXIT = { pass: 0, fail: 1, usage: 2, internal: 3 } as const;
