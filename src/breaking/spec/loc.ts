import type { Doc } from './doc.js';

/** A node of a spec together with where it sits: the file and the JSON-pointer path inside it. */
export interface Loc {
  readonly v: unknown;
  readonly doc: Doc;
  readonly path: readonly string[];
}

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own-property read: spec keys such as `__proto__` or `constructor` are data, never the prototype. */
export function own(o: unknown, key: string): unknown {
  return isObj(o) && Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

export function ownKeys(o: unknown): string[] {
  return isObj(o) ? Object.keys(o) : [];
}

export function child(loc: Loc, key: string | number): Loc {
  const k = String(key);
  const v = Array.isArray(loc.v) ? loc.v[Number(k)] : own(loc.v, k);
  return new ChildLoc(v, loc.doc, loc, k);
}

/** Most nodes a walk visits never need their path (only reported ones do): it is built on first use. */
class ChildLoc implements Loc {
  private built?: readonly string[];

  constructor(
    readonly v: unknown,
    readonly doc: Doc,
    private readonly parent: Loc,
    private readonly key: string,
  ) {}

  get path(): readonly string[] {
    return (this.built ??= [...this.parent.path, this.key]);
  }
}

export function locId(loc: Loc): string {
  return `${loc.doc.id}#/${loc.path.map(escapePointer).join('/')}`;
}

export function escapePointer(s: string): string {
  if (s.indexOf('~') < 0 && s.indexOf('/') < 0) return s;
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}
