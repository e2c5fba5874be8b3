// What values a schema admits, apart from bounds: its type and format, nullability, the
// list-of-types pattern (oneOf/anyOf of plain types), const, default, enum and x-extensible-enum.
// Requests are judged toward the revision (can every value a client sent before still be sent?),
// responses toward the base (is every value the server returns now one clients already handle?).
import type { Emitter, RuleFamily, SchemaPair, SchemaPlace } from '../context.js';
import { ANNOTATION_KEYWORDS } from '../schema-match.js';
import { child, isObj, own, type Loc } from '../spec/loc.js';
import { emitRule } from './schema-constraints.js';
import { wrapOf, type Wrap } from './wrap.js';

/** Stable text of a JSON value (object keys sorted) for equality and set membership. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

const show = (v: unknown): string => (typeof v === 'string' ? v : canon(v));

/**
 * `show` for values reported side by side (a default changed, enum values removed and added), except
 * that values shown alike but different (the number 1 and the string '1') are shown as JSON.
 */
function distinctShow(...groups: (readonly [unknown, number][])[]): (v: unknown) => string {
  const seen = new Map<string, string>();
  const clash = new Set<string>();
  for (const g of groups) {
    for (const [v] of g) {
      const s = show(v);
      const c = canon(v);
      const known = seen.get(s);
      if (known === undefined) seen.set(s, c);
      else if (known !== c) clash.add(s);
    }
  }
  return (v) => (clash.has(show(v)) ? canon(v) : show(v));
}

function at(side: Loc, keyword: string): Loc {
  return own(side.v, keyword) !== undefined ? child(side, keyword) : side;
}

// ---------- type and format ----------

/** The declared types (3.0 string or 3.1 list), `null` left out. */
function typesOf(s: unknown): string[] {
  const t = own(s, 'type');
  const list = typeof t === 'string' ? [t] : Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
  return [...new Set(list.filter((x) => x !== 'null'))].sort();
}

function formatOf(s: unknown): string {
  const f = own(s, 'format');
  return typeof f === 'string' ? f : '';
}

/** Every value of `sub` is a value of `sup`. */
const isSubtype = (sub: string, sup: string): boolean => sub === sup || (sub === 'integer' && sup === 'number');
/** `sub` is non-empty and each of its types fits one of `sup`'s. */
const typeSetWithin = (sub: readonly string[], sup: readonly string[]): boolean => sub.length > 0 && sub.every((t) => sup.some((u) => isSubtype(t, u)));
const sameTypes = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * Could a value valid under `from` be rejected by `to`? No type means any value. In a loosely typed
 * location (text: parameters, headers, non-JSON bodies) every value can be read as a string.
 */
function typeRejects(from: readonly string[], to: readonly string[], loose: boolean): boolean {
  if (to.length === 0) return false;
  if (typeSetWithin(from, to)) return false;
  if (loose && to.includes('string')) return false;
  return true;
}

/**
 * Formats that only widen: every value of the first is a value of the second, per type. Unlike
 * oasdiff, `date` → `date-time` (and `time` → `date-time`) is not one: `2024-05-01` is no valid
 * RFC 3339 date-time, so a client sending dates is refused and a client parsing date-times fails.
 */
const FORMAT_WIDENINGS: Record<string, readonly [string, string][]> = {
  number: [['float', 'double']],
  integer: [['int32', 'int64'], ['int32', 'bigint'], ['int64', 'bigint']],
};

/** Could a value valid under format `from` be rejected by format `to` (of type `toTypes`)? */
function formatRejects(from: string, to: string, toTypes: readonly string[]): boolean {
  if (from === to || to === '') return false;
  if (toTypes.length !== 1) return true;
  return !(FORMAT_WIDENINGS[toTypes[0]!] ?? []).some(([a, b]) => a === from && b === to);
}

/** Whether the holder reads values as typed JSON (a number is not a string). */
function stronglyTyped(mediaType: string): boolean {
  const mt = mediaType.split(';')[0]!.trim().toLowerCase();
  return mt === 'application/json' || mt.endsWith('+json');
}

/** A schema's types as a list: its `type` (3.1 list or 3.0 string) or a oneOf/anyOf of plain single-type schemas. */
interface TypeList {
  /** The types, `null` left out (it is the nullability rules' business), sorted. */
  readonly types: string[];
  /** Written as oneOf/anyOf members rather than `type`. */
  readonly list: boolean;
  /** A `null` member. */
  readonly nullMember: boolean;
  /** `oneOf` or `anyOf`, for a list. */
  readonly keyword?: string;
  /** The members say nothing but their type (and annotations): the list is its types and nothing more. */
  readonly pure: boolean;
}

/** oneOf/anyOf whose members are all plain single-type schemas: another way to write a list of types. */
function listOfTypes(p: SchemaPair, side: Loc): TypeList | undefined {
  const single = typesOf(side.v);
  const t = own(side.v, 'type');
  if (single.length === 1 && !Array.isArray(t)) return { types: single, list: false, nullMember: false, pure: true };
  for (const k of ['oneOf', 'anyOf']) {
    const members = own(side.v, k);
    if (!Array.isArray(members) || members.length === 0) continue;
    const types: string[] = [];
    let nullMember = false;
    let pure = true;
    for (let i = 0; i < members.length; i++) {
      const m = p.deref(child(child(side, k), i)).v;
      const mt = own(m, 'type');
      const plain = (typeof mt === 'string' || (Array.isArray(mt) && mt.length === 1)) && !['properties', 'oneOf', 'anyOf', 'allOf'].some((c) => own(m, c) !== undefined);
      if (!plain) return undefined;
      const name = typeof mt === 'string' ? mt : String(mt![0]);
      if (name === 'null') nullMember = true;
      else types.push(name);
      if (pure && Object.keys(m as object).some((key) => key !== 'type' && !ANNOTATION_KEYWORDS.has(key) && !key.startsWith('x-'))) pure = false;
    }
    return types.length ? { types: [...new Set(types)].sort(), list: true, nullMember, pure, keyword: k } : undefined;
  }
  // A 3.1 type list (`null` in it is nullability).
  return single.length > 0 ? { types: single, list: false, nullMember: false, pure: true } : undefined;
}

/** The JSON type of a value (`integer` for a whole number). */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The schema's enum or const values (null aside: nullability) all have one of `types`. */
function valuesFit(s: unknown, types: readonly string[]): boolean {
  const values = Array.isArray(own(s, 'enum')) ? (own(s, 'enum') as unknown[]) : hasKey(s, 'const') ? [own(s, 'const')] : [];
  const typed = values.filter((v) => v !== null);
  return typed.length > 0 && types.length > 0 && typed.every((v) => types.some((t) => isSubtype(jsonType(v), t)));
}

/** A schema carrying its type in subschemas (wrapped in oneOf/anyOf/allOf): its own lack of `type` says nothing. */
const composed = (s: unknown): boolean => ['oneOf', 'anyOf', 'allOf'].some((k) => Array.isArray(own(s, k)) && (own(s, k) as unknown[]).length > 0);

/** Parameter sent as `form` + `explode` (the query/cookie default): one value is a one-element array. */
function formExplode(place: SchemaPlace): boolean {
  const param = place.param?.rev?.v;
  const inn = place.param?.in;
  const style = own(param, 'style') ?? (inn === 'query' || inn === 'cookie' ? 'form' : 'simple');
  const explode = own(param, 'explode') ?? style === 'form';
  return style === 'form' && explode === true;
}

/** Validation keywords apart from type/nullability, for "does the item schema accept what the scalar did". */
const NOT_CONSTRAINTS = new Set(['type', 'nullable', 'title', 'description', 'default', 'example', 'examples', 'externalDocs', '$comment', 'deprecated', 'readOnly', 'writeOnly', 'xml']);
function constraintsOf(s: unknown): string {
  if (!isObj(s)) return canon(s);
  return canon(Object.fromEntries(Object.entries(s).filter(([k]) => !NOT_CONSTRAINTS.has(k) && !k.startsWith('x-'))));
}

/** A scalar (or union of scalars) query/cookie parameter that became an array of items accepting the same values. */
function scalarToExplodedArray(p: SchemaPair, from: readonly string[], to: readonly string[]): boolean {
  if (from.length === 0 || from.includes('array') || !sameTypes(to, ['array']) || !formExplode(p.place)) return false;
  if (!isObj(own(p.rev.v, 'items'))) return false;
  const item = p.deref(child(p.rev, 'items')).v;
  if (typeRejects(from, typesOf(item), true)) return false;
  return constraintsOf(item) === constraintsOf(p.base.v);
}

function typeLabel(types: readonly string[], format: string): string {
  const t = types.length === 0 ? 'any' : types.join('|');
  return format ? `${t}/${format}` : t;
}

/**
 * Whether both sides are a type or a list of types, at least one is a list, and the type rules say
 * all there is to say about the oneOf/anyOf members: the set of types changed (e.g. `type: string` →
 * `oneOf: [{type: string}, {type: integer}]`: `…-list-of-types-widened/narrowed`), or the members
 * say nothing but their type (the same types respelled, a `null` member added: the nullability
 * rules). Composition leaves those oneOf/anyOf changes alone.
 */
export function listOfTypesJudged(p: SchemaPair): boolean {
  const b = listOfTypes(p, p.base);
  const r = listOfTypes(p, p.rev);
  return !!b && !!r && (b.list || r.list) && (!sameTypes(b.types, r.types) || (b.pure && r.pure));
}

function checkType(p: SchemaPair, e: Emitter, bl: TypeList | undefined, rl: TypeList | undefined): void {
  // The list-of-types pattern is reported as such, and replaces a type change.
  if (bl && rl && (bl.list || rl.list)) {
    if (sameTypes(bl.types, rl.types)) return;
    const removed = bl.types.filter((t) => !rl.types.includes(t));
    const added = rl.types.filter((t) => !bl.types.includes(t));
    const data = { from: bl.types, to: rl.types };
    const where = at(p.rev, ['oneOf', 'anyOf'].find((k) => own(p.rev.v, k) !== undefined) ?? 'type');
    if (removed.length) emitRule(p, e, ['list-of-types-narrowed'], `list of types narrowed: ${removed.join(', ')} removed`, where, data);
    else emitRule(p, e, ['list-of-types-widened'], `list of types widened: ${added.join(', ')} added`, where, data);
    return;
  }

  const bt = typesOf(p.base.v);
  const rt = typesOf(p.rev.v);
  const bf = formatOf(p.base.v);
  const rf = formatOf(p.rev.v);
  let typeChanged = !sameTypes(bt, rt);
  const formatChanged = bf !== rf;
  if (!typeChanged && !formatChanged) return;
  // A schema wrapped in (or unwrapped from) oneOf/anyOf/allOf is the composition rules' business.
  if (typeChanged && ((rt.length === 0 && composed(p.rev.v)) || (bt.length === 0 && composed(p.base.v)))) {
    if (!formatChanged) return;
    typeChanged = false;
  }
  // A type written beside (or dropped from) an enum or const whose values all have that type admits
  // the same values; so does a type changed under enums (or consts) whose values fit both types.
  const fitsRev = valuesFit(p.base.v, rt);
  const fitsBase = valuesFit(p.rev.v, bt);
  if (typeChanged && ((bt.length === 0 && fitsRev) || (rt.length === 0 && fitsBase) || (fitsRev && fitsBase && valuesFit(p.base.v, bt) && valuesFit(p.rev.v, rt)))) {
    if (!formatChanged) return;
    typeChanged = false;
  }
  const dimension = typeChanged && formatChanged ? 'type/format' : typeChanged ? 'type' : 'format';
  const detail = `${dimension} changed from '${typeLabel(bt, bf)}' to '${typeLabel(rt, rf)}'`;
  const where = at(p.rev, typeChanged ? 'type' : 'format');
  const data = { from: typeLabel(bt, bf), to: typeLabel(rt, rf) };
  const bothConcrete = bt.length > 0 && rt.length > 0;

  if (p.place.side === 'request') {
    // Breaking if a value a client sent before may now be refused.
    const breaking = (loose: boolean): boolean => (typeChanged && typeRejects(bt, rt, loose)) || (formatChanged && formatRejects(bf, rf, rt));
    if (p.prefix === 'request-parameter-property') {
      // How an object parameter is serialised is unknown: judge it both ways.
      const strict = breaking(false);
      const loose = breaking(true);
      const rest = strict !== loose ? 'type-changed' : strict ? 'type-specialized' : 'type-generalized';
      emitRule(p, e, [rest], detail, where, data);
      return;
    }
    const loose = p.place.holder !== 'body' || !stronglyTyped(p.place.holderName);
    let rest: string;
    if (breaking(loose)) {
      rest = p.prefix === 'request-parameter' && typeChanged && !(formatChanged && formatRejects(bf, rf, rt)) && scalarToExplodedArray(p, bt, rt) ? 'type-generalized' : 'type-changed';
    } else if (typeChanged && bothConcrete && !typeSetWithin(bt, rt)) rest = 'type-compatible';
    else rest = 'type-generalized';
    emitRule(p, e, rest === 'type-compatible' ? [rest, 'type-generalized'] : [rest], detail, where, data);
    return;
  }

  // Response: breaking if the server may now return a value clients did not expect.
  const loose = p.place.holder !== 'body' || !stronglyTyped(p.place.holderName);
  const breaking = (typeChanged && typeRejects(rt, bt, loose)) || (formatChanged && formatRejects(rf, bf, bt));
  let rest: string;
  if (breaking) rest = typeChanged && typeSetWithin(bt, rt) ? 'type-generalized' : 'type-changed';
  else if (typeChanged && bothConcrete && !typeSetWithin(rt, bt)) rest = 'type-compatible';
  else rest = 'type-specialized';
  emitRule(p, e, rest === 'type-compatible' ? [rest, 'type-specialized'] : [rest], detail, where, data);
}

// ---------- nullability ----------

function nullable(s: unknown): boolean {
  if (own(s, 'nullable') === true) return true;
  const t = own(s, 'type');
  return t === 'null' || (Array.isArray(t) && t.includes('null'));
}

function checkNullable(p: SchemaPair, e: Emitter, wrap?: Wrap, bl?: TypeList, rl?: TypeList): void {
  const from = wrap ? wrap.baseNull !== undefined : nullable(p.base.v) || !!bl?.nullMember;
  const to = wrap ? wrap.revNull !== undefined : nullable(p.rev.v) || !!rl?.nullMember;
  if (from === to) return;
  const side = to ? p.rev : p.base;
  // Where null is admitted (or was, in the base): a wrapper's or the list's null member, the schema's `nullable` or type.
  const list = to ? rl : bl;
  const where =
    (to ? wrap?.revNull : wrap?.baseNull) ??
    (own(side.v, 'nullable') !== undefined ? child(side, 'nullable') : list?.nullMember && list.keyword ? child(side, list.keyword) : at(side, 'type'));
  emitRule(p, e, [to ? 'became-nullable' : 'became-not-nullable'], to ? 'became nullable' : 'became not nullable', where, { from, to });
}

// ---------- const and default ----------

/** `base` and `rev` hold the keyword (the pair's own sides unless a wrap says where its default is). */
function checkValue(p: SchemaPair, e: Emitter, keyword: 'const' | 'default', rule: string, base = p.base, rev = p.rev): void {
  const has = (s: unknown): boolean => isObj(s) && Object.prototype.hasOwnProperty.call(s, keyword);
  const hb = has(base.v);
  const hr = has(rev.v);
  if (!hb && !hr) return;
  const from = own(base.v, keyword);
  const to = own(rev.v, keyword);
  const data = { from, to };
  if (hb && hr) {
    if (canon(from) === canon(to)) return;
    const shown = distinctShow([[from, 0], [to, 0]]);
    emitRule(p, e, [`${rule}-changed`], `${keyword} changed from '${shown(from)}' to '${shown(to)}'`, child(rev, keyword), data);
  } else if (hr) emitRule(p, e, [`${rule}-added`], `${keyword} '${show(to)}' added`, child(rev, keyword), data);
  else emitRule(p, e, [`${rule}-removed`], `${keyword} '${show(from)}' removed`, child(base, keyword), data);
}

// ---------- enum ----------

function listOf(s: unknown, keyword: string): unknown[] | undefined {
  const v = own(s, keyword);
  return Array.isArray(v) && v.length > 0 ? v : undefined;
}

/** Values of `a` not in `b`, each with its index in `a`. */
function missing(a: readonly unknown[], b: readonly unknown[]): [unknown, number][] {
  const keys = new Set(b.map(canon));
  return a.map((v, i): [unknown, number] => [v, i]).filter(([v]) => !keys.has(canon(v)));
}

/** `const` on one side only, an enum on the other: the const is compared as the one-value enum it is. */
function constAgainstEnum(side: unknown, other: unknown): boolean {
  return hasKey(side, 'const') && !hasKey(other, 'const') && listOf(other, 'enum') !== undefined;
}

const hasKey = (s: unknown, k: string): boolean => isObj(s) && Object.prototype.hasOwnProperty.call(s, k);

function checkEnum(p: SchemaPair, e: Emitter): void {
  const bConst = constAgainstEnum(p.base.v, p.rev.v);
  const rConst = constAgainstEnum(p.rev.v, p.base.v);
  const from = bConst ? [own(p.base.v, 'const')] : listOf(p.base.v, 'enum');
  const to = rConst ? [own(p.rev.v, 'const')] : listOf(p.rev.v, 'enum');
  if (!from && to) {
    emitRule(p, e, ['became-enum'], `became an enum (${to.map(show).join(', ')})`, child(p.rev, 'enum'), { to });
    return;
  }
  // A response enum dropped (ours): clients that know only its values may now receive others.
  if (from && !to && p.place.side === 'response' && !hasKey(p.rev.v, 'const') && own(p.rev.v, 'writeOnly') !== true) {
    emitRule(p, e, ['enum-removed'], `enum (${from.map(show).join(', ')}) removed: other values may be sent`, child(p.base, 'enum'), { from });
    return;
  }
  if (!from || !to) return;
  // Where a value is written: its entry in the enum, or the const.
  const entry = (side: Loc, isConst: boolean, i: number): Loc => (isConst ? child(side, 'const') : child(child(side, 'enum'), i));
  // `null` joining or leaving the enum with `nullable` itself is the nullability change, reported once as such.
  const nullMoved = nullable(p.base.v) !== nullable(p.rev.v);
  const removed = missing(from, to);
  const added = missing(to, from);
  const shown = distinctShow(removed, added);
  for (const [v, i] of removed) {
    if (v === null && nullMoved) continue;
    emitRule(p, e, ['enum-value-removed'], `enum value '${shown(v)}' removed`, entry(p.base, bConst, i), { value: v });
  }
  for (const [v, i] of added) {
    if (v === null && nullMoved) continue;
    emitRule(p, e, ['enum-value-added'], `enum value '${shown(v)}' added`, entry(p.rev, rConst, i), { value: v });
  }
}

function checkExtensibleEnum(p: SchemaPair, e: Emitter): void {
  const from = listOf(p.base.v, 'x-extensible-enum');
  const to = listOf(p.rev.v, 'x-extensible-enum');
  if (!from || !to) return;
  for (const [v, i] of missing(from, to)) {
    emitRule(p, e, ['x-extensible-enum-value-removed'], `x-extensible-enum value '${show(v)}' removed`, child(child(p.base, 'x-extensible-enum'), i), { value: v });
  }
}

export const typesFamily: RuleFamily = {
  name: 'schema-types',
  schema(p, e) {
    if (!isObj(p.base.v) || !isObj(p.rev.v)) return;
    const wrap = wrapOf(p);
    if (wrap) {
      checkNullable(p, e, wrap);
      checkValue(p, e, 'default', 'default-value', wrap.baseDefault, wrap.revDefault);
      return;
    }
    const bl = listOfTypes(p, p.base);
    const rl = listOfTypes(p, p.rev);
    checkType(p, e, bl, rl);
    checkNullable(p, e, undefined, bl, rl);
    // A const against an enum on the other side is compared as a one-value enum (checkEnum).
    if (!constAgainstEnum(p.base.v, p.rev.v) && !constAgainstEnum(p.rev.v, p.base.v)) checkValue(p, e, 'const', 'const');
    checkValue(p, e, 'default', 'default-value');
    checkEnum(p, e);
    checkExtensibleEnum(p, e);
  },
  schemaContext: (place) => (place.holder === 'body' ? String(stronglyTyped(place.holderName)) : place.holder === 'parameter' ? String(formExplode(place)) : ''),
};
