import type { SchemaPair } from '../context.js';
import { ANNOTATION_KEYWORDS } from '../schema-match.js';
import { child, isObj, own, type Loc } from '../spec/loc.js';

/**
 * One version writes a schema plainly and the other wraps it whole: `allOf: [S]` (3.0's way to put
 * `nullable` or a description beside a `$ref`) or `anyOf`/`oneOf: [S, {type: 'null'}]` (3.1's
 * nullable `$ref`); or both versions wrap it, with different keywords (3.0's `nullable` + `allOf`
 * rewritten as 3.1's `oneOf` with a null member). A list of one member (beside null) accepts what
 * that member accepts, so the wrapping itself changes nothing a client sees apart from nullability:
 * the schema families compare no properties, bounds or members across such a pair, and the walker
 * compares what is wrapped (or the plain schema) on each side instead, whether it is the same
 * component, a renamed one or an inline schema, with null taken out of both: nullability is
 * judged once, here, for the whole.
 */
export interface Wrap {
  /** What the walker compares in place of the pair, at the same path (null taken out). */
  readonly base: Loc;
  readonly rev: Loc;
  /** The keyword that wraps in each version (undefined: that version is plain). */
  readonly baseKeyword?: Keyword;
  readonly revKeyword?: Keyword;
  /** Where each version, as a whole, admits null (undefined: it does not). */
  readonly baseNull?: Loc;
  readonly revNull?: Loc;
  /** The schema whose `default` applies in each version: the wrapper's, if it has one, else what it wraps. */
  readonly baseDefault: Loc;
  readonly revDefault: Loc;
}

type Keyword = 'allOf' | 'anyOf' | 'oneOf';
const KEYWORDS = ['allOf', 'anyOf', 'oneOf'] as const;
/** Keywords a wrapper may carry beside its list: they describe the wrapped schema, or are judged elsewhere. */
const WRAPPER_EXTRAS = new Set([...ANNOTATION_KEYWORDS, 'nullable', 'deprecated', 'readOnly', 'writeOnly']);

const known = new WeakMap<SchemaPair, Wrap | null>();

export function wrapOf(p: SchemaPair): Wrap | undefined {
  let w = known.get(p);
  if (w === undefined) known.set(p, (w = find(p) ?? null));
  return w ?? undefined;
}

/** One version's side of a possible wrap: the wrapped member, the list keyword and what the wrapper says of null. */
interface Wrapper {
  readonly keyword: Keyword;
  readonly member: Loc;
  /** Where the wrapper itself admits null (its `nullable`, or its list holding a null member). */
  readonly nullAt?: Loc;
  readonly type: unknown;
}

function find(p: SchemaPair): Wrap | undefined {
  if (!isObj(p.base.v) || !isObj(p.rev.v)) return undefined;
  const bw = wrapperOf(p, p.base);
  const rw = wrapperOf(p, p.rev);
  if (bw === undefined || rw === undefined || (bw === PLAIN && rw === PLAIN)) return undefined;
  if (bw !== PLAIN && rw !== PLAIN) {
    // Both wrap: with the same keyword, the walk pairs the members as usual.
    if (bw.keyword === rw.keyword || !sameJson(bw.type, rw.type)) return undefined;
    const b = p.deref(bw.member);
    const r = p.deref(rw.member);
    const outside = judgedOutside(p.base, p.rev);
    return withNull(
      {
        base: inner(b, bw.member, outside),
        rev: inner(r, rw.member, outside),
        baseKeyword: bw.keyword,
        revKeyword: rw.keyword,
        baseDefault: defaultOf(p.base, b),
        revDefault: defaultOf(p.rev, r),
      },
      bw.nullAt ?? nullAt(b),
      rw.nullAt ?? nullAt(r),
    );
  }
  const wrapper = (bw === PLAIN ? rw : bw) as Wrapper;
  const plain = bw === PLAIN ? p.base : p.rev;
  if (wrapper.type !== undefined && !sameJson(wrapper.type, own(plain.v, 'type'))) return undefined;
  const member = p.deref(wrapper.member);
  const outside = judgedOutside(bw === PLAIN ? p.rev : p.base);
  const plainSide = { loc: inner(plain, plain, outside), null: nullAt(plain), default: plain };
  const wrapSide = { loc: inner(member, wrapper.member, outside), null: wrapper.nullAt ?? nullAt(member), default: defaultOf(bw === PLAIN ? p.rev : p.base, member) };
  const [b, r] = bw === PLAIN ? [plainSide, wrapSide] : [wrapSide, plainSide];
  return withNull(
    {
      base: b.loc,
      rev: r.loc,
      ...(bw === PLAIN ? { revKeyword: wrapper.keyword } : { baseKeyword: wrapper.keyword }),
      baseDefault: b.default,
      revDefault: r.default,
    },
    b.null,
    r.null,
  );
}

function withNull(w: Wrap, baseNull: Loc | undefined, revNull: Loc | undefined): Wrap {
  return { ...w, ...(baseNull ? { baseNull } : {}), ...(revNull ? { revNull } : {}) };
}

const PLAIN = 'plain';

/** PLAIN (no allOf/anyOf/oneOf), a wrapper of one member, or undefined (composed otherwise). */
function wrapperOf(p: SchemaPair, loc: Loc): Wrapper | typeof PLAIN | undefined {
  const v = loc.v as Record<string, unknown>;
  let keyword: Keyword | undefined;
  for (const k of KEYWORDS) {
    if (own(v, k) === undefined) continue;
    if (keyword) return undefined;
    keyword = k;
  }
  if (!keyword) return PLAIN;
  for (const key of Object.keys(v)) {
    if (key === keyword || key === 'type' || key.startsWith('x-') || WRAPPER_EXTRAS.has(key)) continue;
    return undefined;
  }
  const list = child(loc, keyword);
  if (!Array.isArray(list.v)) return undefined;
  let member: Loc | undefined;
  let nullMember = false;
  for (let i = 0; i < list.v.length; i++) {
    const m = child(list, i);
    if (isNullSchema(p.deref(m).v)) nullMember = true;
    else if (member) return undefined;
    else member = m;
  }
  if (!member || (keyword === 'allOf' && nullMember)) return undefined;
  const at = own(v, 'nullable') === true ? child(loc, 'nullable') : nullMember ? list : undefined;
  return { keyword, member, ...(at ? { nullAt: at } : {}), type: own(v, 'type') };
}

/** The wrapper, if it carries a `default`, else the schema it wraps. */
function defaultOf(wrapper: Loc, member: Loc): Loc {
  return isObj(wrapper.v) && Object.prototype.hasOwnProperty.call(wrapper.v, 'default') ? wrapper : member;
}

/** What the walker compares for one side: `raw` (a `$ref`, so results are shared) unless `loc` had to be neutralised. */
function inner(loc: Loc, raw: Loc, outside: readonly string[]): Loc {
  const d = neutral(loc, outside);
  return d === loc ? raw : d;
}

const copies = new WeakSet<Loc>();

/** A copy of a schema made for the walk (see neutral), not found in a document: it has results of its own. */
export function isWalkCopy(loc: Loc): boolean {
  return copies.has(loc);
}

/** Lifecycle keywords (see rules/lifecycle.ts) a wrapper may carry for what it wraps. */
const LIFECYCLE = ['deprecated', 'x-sunset', 'x-stability-level'];

/**
 * Keywords judged once for the whole of a wrap pair (the pair's own sides are compared for them),
 * so left out of what is compared inside: `default` (the types family reads it where it applies,
 * see defaultOf), and the lifecycle keywords a wrapper carries.
 */
function judgedOutside(...wrappers: Loc[]): string[] {
  return ['default', ...LIFECYCLE.filter((k) => wrappers.some((w) => isObj(w.v) && Object.prototype.hasOwnProperty.call(w.v, k)))];
}

/**
 * The schema without what admits null (`nullable`, `'null'` in a type list) and without the
 * keywords `outside` (judged for the wrap pair as a whole), at the same place; itself if it has none of them.
 */
function neutral(loc: Loc, outside: readonly string[]): Loc {
  const v = loc.v;
  if (!isObj(v)) return loc;
  const t = own(v, 'type');
  const nullInList = Array.isArray(t) && t.includes('null') && t.length > 1;
  if (own(v, 'nullable') === undefined && !nullInList && !outside.some((k) => Object.prototype.hasOwnProperty.call(v, k))) return loc;
  const copy: Record<string, unknown> = { ...v };
  delete copy.nullable;
  for (const k of outside) delete copy[k];
  if (nullInList) {
    const rest = (t as unknown[]).filter((x) => x !== 'null');
    copy.type = rest.length === 1 ? rest[0] : rest;
  }
  const out: Loc = {
    v: copy,
    doc: loc.doc,
    get path() {
      return loc.path;
    },
  };
  copies.add(out);
  return out;
}

/** Where a schema admits null by its own keywords (`nullable: true`, `'null'` among its types); undefined: it does not. */
function nullAt(loc: Loc): Loc | undefined {
  if (own(loc.v, 'nullable') === true) return child(loc, 'nullable');
  const t = own(loc.v, 'type');
  return t === 'null' || (Array.isArray(t) && t.includes('null')) ? child(loc, 'type') : undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isNullSchema(v: unknown): boolean {
  const t = own(v, 'type');
  return t === 'null' || (Array.isArray(t) && t.length === 1 && t[0] === 'null');
}
