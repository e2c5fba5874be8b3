import type { Change, Emitter, RuleFamily, SchemaPair, SchemaPlace, Scope } from './context.js';
import { isRule } from './rules/registry.js';
import { refOf, type Spec } from './spec/load.js';
import { child, isObj, locId, own, type Loc } from './spec/loc.js';

/** A change found below some schema, with its property path relative to that schema. */
interface SubChange {
  id: string;
  detail: string;
  at?: Loc;
  rel: readonly string[];
  data?: Record<string, unknown>;
}

/** Keywords holding one subschema, walked into when both sides have it. */
const SINGLE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema'];
/** Keywords holding a map of subschemas. */
const MAPS = ['properties', 'patternProperties', 'dependentSchemas'];

/**
 * Walks matched schema pairs, calling every family's `schema` hook at each one. Results below a
 * `$ref` are computed once per (position kind, base target, revision target) and reused by every
 * operation that reaches the same pair; a pair already being walked (a cycle) contributes nothing.
 */
export class SchemaWalker {
  private readonly memo = new Map<string, SubChange[]>();
  private readonly active = new Set<string>();
  private readonly hooks: RuleFamily[];

  constructor(
    families: readonly RuleFamily[],
    private readonly scope: Scope,
    private readonly baseSpec: Spec,
    private readonly revSpec: Spec,
  ) {
    this.hooks = families.filter((f) => f.schema);
  }

  /** Walk a top schema pair (parameter, body or header schema) and report into `emit`. */
  walkTop(base: Loc, rev: Loc, place: SchemaPlace, emit: (c: Change) => void, subject: (path: readonly string[]) => string): void {
    const topPrefix = `${place.side}-${place.holder}`;
    const out = this.walk(base, rev, place, topPrefix, 0);
    for (const c of out) {
      emit({ id: c.id, message: `${subject(c.rel)} ${c.detail}`, at: c.at, operation: place.op.operation, data: c.data });
    }
  }

  private walk(baseIn: Loc, revIn: Loc, place: SchemaPlace, topPrefix: string, depth: number): SubChange[] {
    const viaRef = refOf(baseIn.v) !== undefined || refOf(revIn.v) !== undefined;
    const base = this.baseSpec.deref(baseIn);
    const rev = this.revSpec.deref(revIn);
    const prefix = depth === 0 ? topPrefix : nestedPrefix(topPrefix);
    let key: string | undefined;
    if (viaRef && depth > 0) {
      key = `${prefix}|${locId(base)}|${locId(rev)}`;
      const known = this.memo.get(key);
      if (known) return known;
      if (this.active.has(key)) return [];
      this.active.add(key);
    }
    const out: SubChange[] = [];
    const pair: SchemaPair = {
      base,
      rev,
      place,
      propPath: [],
      prefix,
      deref: (loc) => (this.baseSpec.docs.get(loc.doc.id) === loc.doc ? this.baseSpec.deref(loc) : this.revSpec.deref(loc)),
    };
    const e: Emitter = {
      emit: (id, detail, at, data) => {
        if (isRule(id)) out.push({ id, detail, at, rel: [], data });
      },
    };
    for (const f of this.hooks) f.schema!(pair, e, this.scope);
    for (const [seg, b, r] of subPairs(base, rev)) {
      for (const c of this.walk(b, r, place, topPrefix, depth + 1)) out.push({ ...c, rel: [...seg, ...c.rel] });
    }
    if (key) {
      this.active.delete(key);
      this.memo.set(key, out);
    }
    return out;
  }
}

function nestedPrefix(top: string): string {
  if (top === 'request-body') return 'request-property';
  if (top === 'response-body') return 'response-property';
  return `${top}-property`;
}

/** Matched sub-schema pairs, each with the path segments that lead to it. */
function* subPairs(base: Loc, rev: Loc): Generator<[string[], Loc, Loc]> {
  if (!isObj(base.v) || !isObj(rev.v)) return;
  for (const k of SINGLE) {
    if (isObj(own(base.v, k)) && isObj(own(rev.v, k))) yield [[k === 'items' ? 'items' : k], child(base, k), child(rev, k)];
  }
  for (const k of MAPS) {
    const bm = own(base.v, k);
    const rm = own(rev.v, k);
    if (!isObj(bm) || !isObj(rm)) continue;
    const bl = child(base, k);
    const rl = child(rev, k);
    for (const name of Object.keys(rm)) {
      if (!Object.prototype.hasOwnProperty.call(bm, name)) continue;
      yield [k === 'properties' ? [name] : [`${k}[${name}]`], child(bl, name), child(rl, name)];
    }
  }
  const bp = own(base.v, 'prefixItems');
  const rp = own(rev.v, 'prefixItems');
  if (Array.isArray(bp) && Array.isArray(rp)) {
    for (let i = 0; i < Math.min(bp.length, rp.length); i++) yield [[`prefixItems[${i}]`], child(child(base, 'prefixItems'), i), child(child(rev, 'prefixItems'), i)];
  }
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    for (const [label, b, r] of matchSubschemas(base, rev, k)) yield [[`${k}[${label}]`], b, r];
  }
}

/**
 * Pair the members of allOf/anyOf/oneOf: members with the same `$ref` first, then the rest in order.
 */
export function matchSubschemas(base: Loc, rev: Loc, keyword: string): [string, Loc, Loc][] {
  const bl = own(base.v, keyword);
  const rl = own(rev.v, keyword);
  if (!Array.isArray(bl) || !Array.isArray(rl)) return [];
  const out: [string, Loc, Loc][] = [];
  const usedRev = new Set<number>();
  const restBase: number[] = [];
  bl.forEach((b, i) => {
    const ref = refOf(b);
    const j = ref === undefined ? -1 : rl.findIndex((r, jj) => !usedRev.has(jj) && refOf(r) === ref);
    if (j >= 0) {
      usedRev.add(j);
      out.push([ref!.split('/').pop() ?? String(i), child(child(base, keyword), i), child(child(rev, keyword), j)]);
    } else if (ref === undefined) restBase.push(i);
  });
  const restRev = rl.map((_, j) => j).filter((j) => !usedRev.has(j) && refOf(rl[j]) === undefined);
  for (let n = 0; n < Math.min(restBase.length, restRev.length); n++) {
    out.push([`#${restBase[n]}`, child(child(base, keyword), restBase[n]!), child(child(rev, keyword), restRev[n]!)]);
  }
  return out;
}
