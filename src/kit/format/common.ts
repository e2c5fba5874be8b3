/** Small helpers the writers share: grouping by operation, locations, counts. */
import { countByLevel, sortFindings, type Finding, type GateResult, type Location } from '../result.js';

export interface Group {
  /** `undefined` for findings that belong to no single operation. */
  operation?: string;
  findings: Finding[];
}

/**
 * Findings sorted worst first, then grouped by operation. Groups keep the order in which
 * they first appear, so the group holding the worst finding comes first.
 */
export function groupByOperation(findings: readonly Finding[]): Group[] {
  const groups = new Map<string, Group>();
  for (const f of sortFindings(findings)) {
    const key = f.operation === undefined ? '\u0000general' : `op:${f.operation}`;
    let group = groups.get(key);
    if (!group) {
      group = { operation: f.operation, findings: [] };
      groups.set(key, group);
    }
    group.findings.push(f);
  }
  return [...groups.values()];
}

/** A line or column we can show: a whole number from 1 up. */
export function isPosition(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}

/** A location's file that is a URL (a spec or pact read over HTTP), not a file of the checkout. */
export function isUrl(file: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(file);
}

/** `file:line:col`, `file:line`, `file`, or '' when there is no location. */
export function formatLocation(loc: Location | undefined): string {
  if (!loc?.file) return '';
  if (!isPosition(loc.line)) return loc.file;
  return isPosition(loc.column) ? `${loc.file}:${loc.line}:${loc.column}` : `${loc.file}:${loc.line}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `2 errors, 1 warning, 0 info`. */
export function countsLine(result: GateResult): string {
  const c = countByLevel(result.findings);
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info`;
}

export function metricEntries(result: GateResult): [string, number][] {
  return Object.entries(result.metrics ?? {});
}
