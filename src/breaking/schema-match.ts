// Matching and comparing subschemas across versions: which allOf/anyOf/oneOf members are the same
// member, and whether two schemas say the same. Used by the walker and by the composition rules.
import { refOf } from './spec/load.js';
import { child, isObj, locId, own, type Loc } from './spec/loc.js';

/** Keywords holding one subschema. */
export const SINGLE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema'];

/** Dereference a node of the base or the revision spec. */
export type Deref = (loc: Loc) => Loc;

/** How the members of an allOf/anyOf/oneOf list changed (indexes into the base and revision lists). */
export interface SubschemaDiff {
  /** Members present on both sides (identical inline members left out): label (`Dog`, a title, `#2` for the base's 2nd member), base index, revision index. */
  readonly modified: readonly [string, number, number][];
  readonly added: readonly number[];
  readonly deleted: readonly number[];
}

/** Keywords that document a schema without constraining the instances it accepts. */
export const ANNOTATION_KEYWORDS: ReadonlySet<string> = new Set(['title', 'description', 'default', 'example', 'examples', 'externalDocs', '$comment']);
/** Annotations no rule judges: two schemas differing only in these say the same (`default` is judged: see schema-types). */
const UNJUDGED: ReadonlySet<string> = new Set([...ANNOTATION_KEYWORDS].filter((k) => k !== 'default'));

/**
 * Compare the members of allOf/anyOf/oneOf, much as oasdiff does: `$ref` members by reference;
 * inline members that are identical are unchanged, then members with the same title are paired,
 * then inline members sharing the most property names (each the other's only best match), and a
 * lone member left on each side is taken as the same member modified. Finally an inline member and
 * a `$ref` member that accept the same instances are a refactor, not a change.
 */
export function diffSubschemas(base: Loc, rev: Loc, keyword: string, derefBase: Deref, derefRev: Deref): SubschemaDiff {
  const bv = own(base.v, keyword);
  const rv = own(rev.v, keyword);
  // The rules and the walk both ask for the same lists; an answer depends only on the two lists.
  if (!Array.isArray(bv) || !Array.isArray(rv)) return computeSubschemaDiff(base, rev, keyword, bv, rv, derefBase, derefRev);
  let inner = diffMemo.get(bv);
  if (!inner) diffMemo.set(bv, (inner = new Map()));
  let d = inner.get(rv);
  if (!d) inner.set(rv, (d = computeSubschemaDiff(base, rev, keyword, bv, rv, derefBase, derefRev)));
  return d;
}

const diffMemo = new WeakMap<unknown[], Map<unknown[], SubschemaDiff>>();

function computeSubschemaDiff(base: Loc, rev: Loc, keyword: string, bv: unknown, rv: unknown, derefBase: Deref, derefRev: Deref): SubschemaDiff {
  const bl = Array.isArray(bv) ? bv : [];
  const rl = Array.isArray(rv) ? rv : [];
  const modified: [string, number, number][] = [];
  let added: number[] = [];
  let deleted: number[] = [];
  if (bl.length === 0 && rl.length === 0) return { modified, added, deleted };
  const bItem = (i: number): Loc => child(child(base, keyword), i);
  const rItem = (j: number): Loc => child(child(rev, keyword), j);
  const usedRev = new Set<number>();
  const usedBase = new Set<number>();
  bl.forEach((b, i) => {
    const ref = refOf(b);
    if (ref === undefined) return;
    const j = rl.findIndex((r, jj) => !usedRev.has(jj) && refOf(r) === ref);
    if (j < 0) return;
    usedRev.add(j);
    usedBase.add(i);
    modified.push([ref.split('/').pop() || String(i), i, j]);
  });
  const inlineBase = bl.map((_, i) => i).filter((i) => refOf(bl[i]) === undefined);
  let inlineRev = rl.map((_, j) => j).filter((j) => refOf(rl[j]) === undefined);
  let restBase: number[] = [];
  for (const i of inlineBase) {
    const j = inlineRev.find((jj) => sameSchema(bItem(i), rItem(jj), derefBase, derefRev, false));
    if (j === undefined) restBase.push(i);
    else inlineRev = inlineRev.filter((jj) => jj !== j);
  }
  const titleOf = (v: unknown): string => {
    const t = own(v, 'title');
    return typeof t === 'string' ? t : '';
  };
  for (const j of [...inlineRev]) {
    const t = titleOf(rl[j]);
    if (!t) continue;
    const i = restBase.find((ii) => titleOf(bl[ii]) === t);
    if (i === undefined) continue;
    restBase = restBase.filter((ii) => ii !== i);
    inlineRev = inlineRev.filter((jj) => jj !== j);
    modified.push([t, i, j]);
  }
  // Inline members left on both sides (one changed, others added or removed, or its title changed):
  // each pair sharing the most property names, when each is the other's only best match, is one
  // member modified, and so is a lone member left on each side.
  const label = (i: number, j: number): string => titleOf(rl[j]) || `#${i + 1}`;
  if (restBase.length + inlineRev.length > 2 && restBase.length > 0 && inlineRev.length > 0) {
    const names = (v: unknown): string[] => Object.keys((own(v, 'properties') as object | undefined) ?? {});
    const bNames = restBase.map((i) => names(bl[i]));
    const rNames = inlineRev.map((j) => new Set(names(rl[j])));
    const score = bNames.map((ns) => rNames.map((rs) => ns.filter((n) => rs.has(n)).length));
    const bestOf = (row: number[]): number => {
      const max = Math.max(...row);
      return max > 0 && row.indexOf(max) === row.lastIndexOf(max) ? row.indexOf(max) : -1;
    };
    const pairs: [number, number][] = [];
    score.forEach((row, x) => {
      const y = bestOf(row);
      if (y >= 0 && bestOf(score.map((r) => r[y]!)) === x) pairs.push([restBase[x]!, inlineRev[y]!]);
    });
    for (const [i, j] of pairs) modified.push([label(i, j), i, j]);
    restBase = restBase.filter((i) => !pairs.some(([x]) => x === i));
    inlineRev = inlineRev.filter((j) => !pairs.some(([, y]) => y === j));
  }
  if (restBase.length === 1 && inlineRev.length === 1) {
    modified.push([label(restBase[0]!, inlineRev[0]!), restBase[0]!, inlineRev[0]!]);
    restBase = [];
    inlineRev = [];
  }
  deleted = [...bl.map((_, i) => i).filter((i) => refOf(bl[i]) !== undefined && !usedBase.has(i)), ...restBase].sort((x, y) => x - y);
  added = [...rl.map((_, j) => j).filter((j) => refOf(rl[j]) !== undefined && !usedRev.has(j)), ...inlineRev].sort((x, y) => x - y);
  // An inline member replaced by an equivalent `$ref` member (or back), or a member whose component
  // was renamed with the same content, is a refactor.
  const matchedAdded = new Set<number>();
  deleted = deleted.filter((i) => {
    const j = added.find((jj) => !matchedAdded.has(jj) && sameSchema(bItem(i), rItem(jj), derefBase, derefRev, true));
    if (j === undefined) return true;
    matchedAdded.add(j);
    return false;
  });
  added = added.filter((j) => !matchedAdded.has(j));
  return { modified, added, deleted };
}

/** Keywords whose value is a map of subschemas, and keywords whose value is a list of subschemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/**
 * Whether two schemas (either side, `$ref`s followed) are the same; with `validationOnly`,
 * annotation keywords no rule judges are ignored at every schema level.
 */
export function sameSchema(a: Loc, b: Loc, derefA: Deref, derefB: Deref, validationOnly: boolean, seen = new Set<string>()): boolean {
  const x = derefA(a);
  const y = derefB(b);
  if (!isObj(x.v) || !isObj(y.v)) return sameValue(x.v, y.v);
  const key = `${locId(x)}|${locId(y)}`;
  if (seen.has(key)) return true;
  seen.add(key);
  const keys = (v: object): string[] => Object.keys(v).filter((k) => k !== '$ref' && !(validationOnly && UNJUDGED.has(k)));
  const kx = keys(x.v);
  const ky = keys(y.v);
  if (kx.length !== ky.length || kx.some((k) => !Object.prototype.hasOwnProperty.call(y.v, k))) return false;
  for (const k of kx) {
    const cx = child(x, k);
    const cy = child(y, k);
    if (SCHEMA_MAPS.has(k) && isObj(cx.v) && isObj(cy.v)) {
      const nx = Object.keys(cx.v);
      if (nx.length !== Object.keys(cy.v).length) return false;
      for (const n of nx) {
        if (!Object.prototype.hasOwnProperty.call(cy.v, n) || !sameSchema(child(cx, n), child(cy, n), derefA, derefB, validationOnly, seen)) return false;
      }
    } else if (SCHEMA_LISTS.has(k) && Array.isArray(cx.v) && Array.isArray(cy.v)) {
      if (cx.v.length !== cy.v.length) return false;
      for (let i = 0; i < cx.v.length; i++) if (!sameSchema(child(cx, i), child(cy, i), derefA, derefB, validationOnly, seen)) return false;
    } else if (isObj(cx.v) && isObj(cy.v) && (SINGLE.includes(k) || k === 'items')) {
      if (!sameSchema(cx, cy, derefA, derefB, validationOnly, seen)) return false;
    } else if (!sameValue(cx.v, cy.v)) return false;
  }
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}

/** Pair the members of allOf/anyOf/oneOf that are the same member on both sides (see diffSubschemas). */
export function matchSubschemas(base: Loc, rev: Loc, keyword: string, derefBase: Deref, derefRev: Deref): [string, Loc, Loc][] {
  return diffSubschemas(base, rev, keyword, derefBase, derefRev).modified.map(([label, i, j]) => [
    label,
    child(child(base, keyword), i),
    child(child(rev, keyword), j),
  ]);
}

/** A schema with its allOf members folded in: properties by name, required names, every other keyword. */
interface Merged {
  readonly props: Map<string, Loc>;
  readonly required: Set<string>;
  readonly rest: Map<string, Loc>;
}

/**
 * Whether two schemas, at least one holding allOf, accept the same instances once their allOf
 * members are folded into one object: properties moved from a schema into an allOf member (or
 * back) change nothing. Conservative: members saying different things about one keyword, or a
 * keyword whose meaning depends on its neighbours (`additionalProperties`), fall back to the walk.
 */
export function sameMergedAllOf(base: Loc, rev: Loc, derefBase: Deref, derefRev: Deref): boolean {
  const b = mergeAllOf(base, derefBase, 0);
  if (!b) return false;
  const r = mergeAllOf(rev, derefRev, 0);
  if (!r || b.props.size !== r.props.size || b.required.size !== r.required.size || b.rest.size !== r.rest.size) return false;
  for (const n of b.required) if (!r.required.has(n)) return false;
  for (const [n, l] of b.props) {
    const o = r.props.get(n);
    if (!o || !sameSchema(l, o, derefBase, derefRev, true)) return false;
  }
  for (const [k, l] of b.rest) {
    const o = r.rest.get(k);
    if (!o || !sameSchema(l, o, derefBase, derefRev, true)) return false;
  }
  return true;
}

function mergeAllOf(loc: Loc, deref: Deref, depth: number, into: Merged = { props: new Map(), required: new Set(), rest: new Map() }): Merged | undefined {
  const x = deref(loc);
  if (!isObj(x.v) || depth > 8) return undefined;
  for (const k of Object.keys(x.v)) {
    if (k === '$ref' || UNJUDGED.has(k)) continue;
    const c = child(x, k);
    if (k === 'allOf') {
      if (!Array.isArray(c.v)) return undefined;
      for (let i = 0; i < c.v.length; i++) if (!mergeAllOf(child(c, i), deref, depth + 1, into)) return undefined;
    } else if (k === 'properties') {
      if (!isObj(c.v)) return undefined;
      for (const n of Object.keys(c.v)) {
        const known = into.props.get(n);
        if (known && !sameSchema(known, child(c, n), deref, deref, true)) return undefined;
        into.props.set(n, child(c, n));
      }
    } else if (k === 'required') {
      if (!Array.isArray(c.v)) return undefined;
      for (const n of c.v) if (typeof n === 'string') into.required.add(n);
    } else if (k === 'additionalProperties' || k === 'unevaluatedProperties' || k === 'patternProperties') {
      // What these admit depends on the properties of their own schema, not the merged ones.
      return undefined;
    } else {
      const known = into.rest.get(k);
      if (known && !sameSchema(known, c, deref, deref, true)) return undefined;
      into.rest.set(k, c);
    }
  }
  return into;
}
