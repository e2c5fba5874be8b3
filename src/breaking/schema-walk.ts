import type { ChangeSink, Emitter, RuleFamily, SchemaPair, SchemaPlace, Scope } from './context.js';
import { isRule } from './rules/registry.js';
import { Sameness } from './same.js';
import { refOf, type Spec } from './spec/load.js';
import { child, isObj, locId, own, type Loc } from './spec/loc.js';
import { isWalkCopy, wrapOf } from './rules/wrap.js';
import { matchSubschemas, sameMergedAllOf, SINGLE, type Deref } from './schema-match.js';
import { EMPTY, RouteLister, type SubChange, type SubResult } from './sub-result.js';

/** Keywords holding a map of subschemas. */
const MAPS = ['properties', 'patternProperties', 'dependentSchemas'];

/**
 * Walks matched schema pairs, calling every family's `schema` hook at each one. Results at and below
 * a `$ref` are computed once per (position kind, place context, base target, revision target) and
 * reused by every operation that reaches the same pair. A pair met again while it is being walked
 * (a recursive schema) links back to its own result, so the results form a graph with cycles. A
 * top schema met again below itself is walked once more as a nested one; the route lister reports
 * each change (rule and node) once, so the repeat adds nothing.
 */
export class SchemaWalker {
  /** Results by (position kind, context, pair), entered before they are built so a cycle finds them. */
  private readonly memo = new Map<string, SubResult>();
  private readonly routes = new RouteLister();
  private readonly hooks: RuleFamily[];

  constructor(
    families: readonly RuleFamily[],
    private readonly scope: Scope,
    private readonly baseSpec: Spec,
    private readonly revSpec: Spec,
  ) {
    this.hooks = families.filter((f) => f.schema);
    this.sameness = new Sameness(baseSpec, revSpec);
  }

  private readonly sameness: Sameness;
  private readonly derefBase: Deref = (l) => this.baseSpec.deref(l);
  private readonly derefRev: Deref = (l) => this.revSpec.deref(l);

  /** Whether two nodes say exactly the same in both versions (see Sameness). */
  same(base: Loc, rev: Loc): boolean {
    return this.sameness.same(base, rev);
  }

  /**
   * Walk a top schema pair (parameter, body or header schema) and report into `emit`. A change
   * reached by several routes (a shared schema used twice in one body) is reported once, under the
   * shortest route's path; `subject` names the place from the slash-joined path ('' at the top).
   */
  walkTop(base: Loc, rev: Loc, place: SchemaPlace, emit: ChangeSink, subject: (rel: string) => string): void {
    const topPrefix = `${place.side}-${place.holder}`;
    const result = this.walk(base, rev, place, topPrefix, this.contextOf(place), 0);
    if (result === EMPTY) return;
    const operation = place.op.operation;
    const listed = this.routes.list(result);
    for (let i = 0; i < listed.length; i++) {
      const { rel, c } = listed[i]!;
      emit(c.id, `${subject(rel)} ${c.detail}`, c.at, operation, c.data);
    }
  }

  /** Pointers of dereferenced nodes (the loader hands out one Loc per `$ref` target), built once each. */
  private readonly ids = new Map<Loc, string>();

  private idOf(loc: Loc): string {
    let id = this.ids.get(loc);
    // A schema copied for a wrap pair (see rules/wrap.ts) has results of its own, apart from its original's.
    if (id === undefined) this.ids.set(loc, (id = isWalkCopy(loc) ? `${locId(loc)}~copy` : locId(loc)));
    return id;
  }

  /** The part of a place the rules read (see RuleFamily.schemaContext): results are shared where it is equal. */
  private contextOf(place: SchemaPlace): string {
    let key = place.param ? place.param.in : '';
    for (const f of this.hooks) key += `|${f.schemaContext?.(place) ?? ''}`;
    return key;
  }

  private walk(baseIn: Loc, revIn: Loc, place: SchemaPlace, topPrefix: string, context: string, depth: number, allOfRequired?: RequiredSets): SubResult {
    const viaRef = refOf(baseIn.v) !== undefined || refOf(revIn.v) !== undefined;
    const base = this.baseSpec.deref(baseIn);
    const rev = this.revSpec.deref(revIn);
    // An allOf member that reads the same still has to be judged when what its allOf requires changed.
    const requiredKept = !(allOfRequired && !sameSet(allOfRequired.base, allOfRequired.rev));
    if (this.sameness.same(base, rev) && requiredKept) return EMPTY;
    // Properties moved into (or out of) allOf members, accepting the same instances, change nothing.
    // (Members added or removed beside properties that stay put are still reported, as oasdiff does.)
    if (requiredKept && movedAcrossAllOf(base.v, rev.v) && sameMergedAllOf(base, rev, this.derefBase, this.derefRev)) {
      return EMPTY;
    }
    const prefix = depth === 0 ? topPrefix : nestedPrefix(topPrefix);
    let key: string | undefined;
    let node: SubResult | undefined;
    if (viaRef) {
      key = `${prefix}|${context}|${this.idOf(base)}|${this.idOf(rev)}${allOfRequired ? `|${[...allOfRequired.base]}>${[...allOfRequired.rev]}` : ''}`;
      // Done, or still being built further up this route (a cycle): either way, that result.
      const known = this.memo.get(key);
      if (known) return known;
      node = { own: [], kids: [] };
      this.memo.set(key, node);
    }
    const own: SubChange[] = node ? node.own : [];
    const pair: SchemaPair = {
      base,
      rev,
      place,
      propPath: [],
      prefix,
      deref: (loc) => (this.baseSpec.docs.get(loc.doc.id) === loc.doc ? this.baseSpec.deref(loc) : this.revSpec.deref(loc)),
      ...(allOfRequired ? { allOfRequired } : {}),
    };
    const e: Emitter = {
      emit: (id, detail, at, data) => {
        if (isRule(id)) own.push({ id, detail, at, data });
      },
    };
    for (const f of this.hooks) f.schema!(pair, e, this.scope);
    const kids: [string, SubResult][] = node ? node.kids : [];
    for (const [seg, b, r, req] of this.subPairs(pair)) {
      const kid = this.walk(b, r, place, topPrefix, context, depth + 1, req);
      if (kid !== EMPTY) kids.push([seg, kid]);
    }
    const empty = own.length === 0 && kids.length === 0;
    // Routes inside a cycle may already hold `node`; later ones are spared an empty result.
    if (node && empty) this.memo.set(key!, EMPTY);
    return empty ? EMPTY : (node ?? { own, kids });
  }
  /** Matched sub-schema pairs that differ, each with the path segment that leads to it. */
  private subPairs(pair: SchemaPair): [string, Loc, Loc, RequiredSets?][] {
    const { base, rev } = pair;
    const out: [string, Loc, Loc, RequiredSets?][] = [];
    if (!isObj(base.v) || !isObj(rev.v)) return out;
    // A schema wrapped whole (see rules/wrap.ts): what each side wraps (or the plain one) is compared, at the same path.
    const wrap = wrapOf(pair);
    if (wrap) {
      out.push(['', wrap.base, wrap.rev]);
      return out;
    }
    for (const k of SINGLE) {
      const bv = own(base.v, k);
      const rv = own(rev.v, k);
      if (isObj(bv) && isObj(rv) && !this.sameness.sameValues(bv, rv, base, rev)) out.push([k, child(base, k), child(rev, k)]);
      else if (k === 'items' && isObj(bv) !== isObj(rv) && bv === undefined !== (rv === undefined) && isArrayType(base.v) && isArrayType(rev.v)) {
        // `items` dropped (any item) or added: compared with the empty schema, located at the array.
        out.push(bv === undefined ? [k, anySchema(base), child(rev, k)] : [k, child(base, k), anySchema(rev)]);
      } else if (k === 'additionalProperties' && isObj(bv) !== isObj(rv) && (isAny(bv) || isAny(rv))) {
        // Extra properties constrained by a schema where any were allowed (absent or `true`), or freed:
        // the schema is compared with the empty one. (`false` on either side is the properties rules' business.)
        out.push(isAny(bv) ? [k, anySchema(base), child(rev, k)] : [k, child(base, k), anySchema(rev)]);
      }
    }
    for (const k of MAPS) {
      const bm = own(base.v, k);
      const rm = own(rev.v, k);
      if (!isObj(bm) || !isObj(rm)) continue;
      let bl: Loc | undefined;
      let rl: Loc | undefined;
      for (const name of Object.keys(rm)) {
        if (!Object.prototype.hasOwnProperty.call(bm, name) || this.sameness.sameValues(bm[name], rm[name], base, rev)) continue;
        bl ??= child(base, k);
        rl ??= child(rev, k);
        out.push([k === 'properties' ? name : `${k}[${name}]`, child(bl, name), child(rl, name)]);
      }
    }
    const bp = own(base.v, 'prefixItems');
    const rp = own(rev.v, 'prefixItems');
    if (Array.isArray(bp) && Array.isArray(rp)) {
      for (let i = 0; i < Math.min(bp.length, rp.length); i++) out.push([`prefixItems[${i}]`, child(child(base, 'prefixItems'), i), child(child(rev, 'prefixItems'), i)]);
    }
    const derefBase: Deref = (l) => this.baseSpec.deref(l);
    const derefRev: Deref = (l) => this.revSpec.deref(l);
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
      const members = matchSubschemas(base, rev, k, derefBase, derefRev);
      const req = k === 'allOf' && members.length > 0 ? allOfRequired(base, rev, derefBase, derefRev) : undefined;
      for (const [label, b, r] of members) out.push([`${k}[${label}]`, b, r, req]);
    }
    return out;
  }
}

type RequiredSets = { base: ReadonlySet<string>; rev: ReadonlySet<string> };

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** Names required by a schema holding allOf, or by any of its members, on each side (sorted); none: undefined. */
function allOfRequired(base: Loc, rev: Loc, derefBase: Deref, derefRev: Deref): RequiredSets | undefined {
  const side = (holder: Loc, deref: Deref): Set<string> => {
    const names: string[] = [];
    const add = (v: unknown) => {
      const r = own(v, 'required');
      if (Array.isArray(r)) for (const n of r) if (typeof n === 'string') names.push(n);
    };
    add(holder.v);
    const list = own(holder.v, 'allOf');
    if (Array.isArray(list)) for (let i = 0; i < list.length; i++) add(deref(child(child(holder, 'allOf'), i)).v);
    return new Set(names.sort());
  };
  const b = side(base, derefBase);
  const r = side(rev, derefRev);
  return b.size === 0 && r.size === 0 ? undefined : { base: b, rev: r };
}

function isArrayType(v: unknown): boolean {
  const t = own(v, 'type');
  return t === 'array' || (Array.isArray(t) && t.includes('array'));
}

/** An implicit subschema accepting anything (`items` or `additionalProperties` left out), at its holder's place. */
function anySchema(holder: Loc): Loc {
  return { v: {}, doc: holder.doc, path: holder.path };
}

/** `additionalProperties` left out or `true`: any extra property allowed. */
function isAny(v: unknown): boolean {
  return v === undefined || v === true;
}

function hasAllOf(v: unknown): boolean {
  return own(v, 'allOf') !== undefined;
}

/** One side holds allOf and the other not, or both do and their own properties differ by name. */
function movedAcrossAllOf(b: unknown, r: unknown): boolean {
  const ba = hasAllOf(b);
  const ra = hasAllOf(r);
  if (!ba && !ra) return false;
  if (ba !== ra) return true;
  const bp = Object.keys((own(b, 'properties') as object | undefined) ?? {});
  const rp = own(r, 'properties');
  return bp.length !== Object.keys((rp as object | undefined) ?? {}).length || bp.some((n) => own(rp, n) === undefined);
}

function nestedPrefix(top: string): string {
  if (top === 'request-body') return 'request-property';
  if (top === 'response-body') return 'response-property';
  return `${top}-property`;
}
