/** Small helpers on parsed values and their paths. */
import { escapePointer, isObj, own, type Obj } from '../loc.js';
import type { Path } from './index.js';

export function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

export function isRef(v: unknown): v is Obj & { $ref: string } {
  return isObj(v) && typeof v.$ref === 'string';
}

export function valueAt(v: unknown, path: Path): unknown {
  for (const k of path) v = Array.isArray(v) ? v[Number(k)] : own(v, k);
  return v;
}

export function pointer(path: Path): string {
  return `/${path.map(escapePointer).join('/')}`;
}

export function kind(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  return Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `the ${typeof v} ${JSON.stringify(v)}`;
}
