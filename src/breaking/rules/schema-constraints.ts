// Value constraints of a schema (bounds, lengths, item and property counts, pattern, multipleOf) as one table driving one
// generic check. Which ids exist for which position and direction is the registry's business: the
// check emits `${prefix}-${rule}-${action}` for every change and the emitter drops ids that oasdiff
// does not define (e.g. `response-body-max-decreased`, a narrowing no client notices).
import type { Emitter, RuleFamily, SchemaPair } from '../context.js';
import { child, isObj, own, type Loc } from '../spec/loc.js';
import { isRule, RULES } from './registry.js';
import { wrapOf } from './wrap.js';

/** One numeric bound keyword. */
interface Bound {
  /** Rule-id segment: `max-length` in `request-property-max-length-decreased`. */
  readonly rule: string;
  /** Schema keyword, as shown in messages and used to locate the change. */
  readonly keyword: string;
  /** The bound's value in a schema, if it has one. */
  readonly read: (schema: unknown) => number | undefined;
  /** For `maximum`/`minimum`: the exclusive bound of the same side. */
  readonly exclusive?: string;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** 3.0 writes an exclusive bound as `maximum: 10` + `exclusiveMaximum: true`; 3.1 as `exclusiveMaximum: 10`. */
const exclusiveFlag = (s: unknown, flag: string): boolean => own(s, flag) === true;

/**
 * The bounds. The 3.0 boolean form is normalised to the 3.1 numeric form, so
 * `maximum: 10, exclusiveMaximum: true` is an exclusive maximum of 10 and no inclusive maximum:
 * switching between the two spellings is no change, and turning the flag on is an exclusive
 * maximum being set.
 */
const BOUNDS: readonly Bound[] = [
  { rule: 'max', keyword: 'maximum', exclusive: 'exclusive-max', read: (s) => (exclusiveFlag(s, 'exclusiveMaximum') ? undefined : num(own(s, 'maximum'))) },
  { rule: 'min', keyword: 'minimum', exclusive: 'exclusive-min', read: (s) => (exclusiveFlag(s, 'exclusiveMinimum') ? undefined : num(own(s, 'minimum'))) },
  { rule: 'exclusive-max', keyword: 'exclusiveMaximum', read: (s) => num(own(s, 'exclusiveMaximum')) ?? (exclusiveFlag(s, 'exclusiveMaximum') ? num(own(s, 'maximum')) : undefined) },
  { rule: 'exclusive-min', keyword: 'exclusiveMinimum', read: (s) => num(own(s, 'exclusiveMinimum')) ?? (exclusiveFlag(s, 'exclusiveMinimum') ? num(own(s, 'minimum')) : undefined) },
  { rule: 'max-length', keyword: 'maxLength', read: (s) => num(own(s, 'maxLength')) },
  // An absent minLength is 0 (no shorter string is possible), as oasdiff reads it: setting one raises it.
  { rule: 'min-length', keyword: 'minLength', read: (s) => num(own(s, 'minLength')) ?? 0 },
  { rule: 'max-items', keyword: 'maxItems', read: (s) => num(own(s, 'maxItems')) },
  { rule: 'min-items', keyword: 'minItems', read: (s) => num(own(s, 'minItems')) },
  { rule: 'max-properties', keyword: 'maxProperties', read: (s) => num(own(s, 'maxProperties')) },
  { rule: 'min-properties', keyword: 'minProperties', read: (s) => num(own(s, 'minProperties')) ?? 0 },
];

/** Item-count bounds that, on an array parameter, are also read from a misplaced spot: its `items` schema. */
const ITEM_COUNTS = new Set(['max-items', 'min-items']);

/** A pattern that accepts every string: replacing a pattern by it lifts the restriction. */
const ANY_PATTERN = new Set(['.*', '^.*$', '^.*', '.*$', '(.*)', '^(.*)$', '[\\s\\S]*', '^[\\s\\S]*$']);

/**
 * The registered id for `rest` at this position, most specific first: a readOnly property in a
 * request and a writeOnly property in a response have their own (informational) variants, header
 * parameter properties their own ids, and the response body's enum rule its historical name.
 */
export function ruleId(p: SchemaPair, rest: string): string | undefined {
  const candidates: string[] = [];
  const rev = p.rev.v;
  if (p.prefix === 'request-property' && own(rev, 'readOnly') === true) {
    // Clients do not send a readOnly property, so narrowing it breaks none of them: its own
    // informational id where oasdiff has one, and no error where oasdiff has none.
    const ro = `request-read-only-property-${rest}`;
    if (isRule(ro)) return ro;
    const plain = `request-property-${rest}`;
    return isRule(plain) && RULES[plain]!.level !== 'error' ? plain : undefined;
  }
  if (p.prefix === 'response-property' && own(rev, 'writeOnly') === true) candidates.push(`response-write-only-property-${rest}`);
  if (p.prefix === 'request-parameter-property' && p.place.param?.in === 'header') candidates.push(`request-header-property-${rest}`);
  candidates.push(`${p.prefix}-${rest}`);
  const alias = ALIASES[`${p.prefix}-${rest}`];
  if (alias) candidates.push(alias);
  return candidates.find(isRule);
}

/** Ids oasdiff spells differently from the `${prefix}-${rule}` pattern. */
const ALIASES: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  'response-body-enum-value-removed': 'response-mediatype-enum-value-removed',
});

/** Emit the first registered id among `rests` (fallbacks for ids oasdiff lacks at some positions). */
export function emitRule(p: SchemaPair, e: Emitter, rests: readonly string[], detail: string, at: Loc, data?: Record<string, unknown>): void {
  for (const rest of rests) {
    const id = ruleId(p, rest);
    if (id) {
      e.emit(id, detail, at, data);
      return;
    }
  }
}

/** Where a keyword sits: in the revision, or in the base when it is gone. */
function keywordAt(p: SchemaPair, keyword: string, gone: boolean): Loc {
  const side = gone ? p.base : p.rev;
  return own(side.v, keyword) !== undefined ? child(side, keyword) : side;
}

function checkBound(p: SchemaPair, e: Emitter, bound: Bound, base: unknown, rev: unknown, where: { base: Loc; rev: Loc }, label = bound.keyword): void {
  const from = bound.read(base);
  const to = bound.read(rev);
  if (from === to) return;
  // The same number moving between the inclusive and the exclusive bound (3.0's flag turned on or
  // off) is one change, reported by the exclusive bound (set or unset).
  const ex = bound.exclusive ? BOUNDS.find((b) => b.rule === bound.exclusive) : undefined;
  if (ex && (from === undefined) !== (to === undefined) && ex.read(base) === to && ex.read(rev) === from) return;
  let action: string;
  let detail: string;
  if (from !== undefined && to !== undefined) {
    action = to < from ? 'decreased' : 'increased';
    const written = (s: unknown) => own(s, bound.keyword) !== undefined;
    if (!written(rev)) detail = `${label} ${from} removed`;
    else if (!written(base)) detail = `${label} set to ${to}`;
    else detail = `${label} ${action} from ${from} to ${to}`;
  } else if (to !== undefined) {
    action = 'set';
    detail = `${label} set to ${to}`;
  } else {
    action = 'unset';
    detail = `${label} ${from} removed`;
  }
  // Point at the keyword where it is written: in the revision, else (dropped) in the base.
  const side = own(where.rev.v, bound.keyword) !== undefined || own(where.base.v, bound.keyword) === undefined ? where.rev : where.base;
  const at = own(side.v, bound.keyword) !== undefined ? child(side, bound.keyword) : side;
  emitRule(p, e, [`${bound.rule}-${action}`], detail, at, { keyword: bound.keyword, from, to });
}

function checkPattern(p: SchemaPair, e: Emitter): void {
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const from = str(own(p.base.v, 'pattern'));
  const to = str(own(p.rev.v, 'pattern'));
  if (from === to) return;
  if (from !== undefined && to !== undefined && canonicalPattern(from) === canonicalPattern(to)) return;
  const data = { keyword: 'pattern', from, to };
  if (from === undefined) emitRule(p, e, ['pattern-added'], `pattern '${to}' added`, keywordAt(p, 'pattern', false), data);
  else if (to === undefined) emitRule(p, e, ['pattern-removed'], `pattern '${from}' removed`, keywordAt(p, 'pattern', true), data);
  else if (ANY_PATTERN.has(to)) emitRule(p, e, ['pattern-generalized', 'pattern-changed'], `pattern generalized from '${from}' to '${to}'`, keywordAt(p, 'pattern', false), data);
  else emitRule(p, e, ['pattern-changed'], `pattern changed from '${from}' to '${to}'`, keywordAt(p, 'pattern', false), data);
}

/**
 * A pattern in one spelling of what it matches, for rewrites that change nothing under ECMA-262 (the
 * regex dialect of JSON Schema): `\d` and `[0-9]`, `\w` and `[0-9A-Z_a-z]`, a character class's
 * characters and ranges in any order or split differently (`[a-zA-Z]`, `[A-Za-z]`), `{1,}` and `+`,
 * `{0,}` and `*`, `{0,1}` and `?`, `{n,n}` and `{n}`. Whatever is not understood is kept as written,
 * so two patterns spelled alike here match the same strings.
 */
export function canonicalPattern(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const shorthand = SHORTHANDS[src[i + 1] ?? ''];
      out += shorthand ? renderClass(false, shorthand.slice(), []) : src.slice(i, i + 2);
      i += 2;
    } else if (c === '[') {
      const cls = readClass(src, i);
      if (!cls) return src;
      out += cls.text;
      i = cls.end;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i, i + 24));
      if (!m) {
        out += c;
        i++;
        continue;
      }
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : m[3] === '' ? Infinity : Number(m[3]);
      out += hi === Infinity ? (lo === 0 ? '*' : lo === 1 ? '+' : `{${lo},}`) : lo === 0 && hi === 1 ? '?' : lo === hi ? `{${lo}}` : `{${lo},${hi}}`;
      i += m[0].length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

type Range = [number, number];
const code = (ch: string): number => ch.codePointAt(0)!;
/** Character class escapes that stand for ranges of characters. */
const SHORTHANDS: Record<string, readonly Range[]> = Object.assign(Object.create(null) as Record<string, readonly Range[]>, {
  d: [[code('0'), code('9')]],
  w: [
    [code('0'), code('9')],
    [code('A'), code('Z')],
    [code('_'), code('_')],
    [code('a'), code('z')],
  ],
});

/** A character class from `[` at `start`: its canonical text and the index after its `]`; undefined if it does not close. */
function readClass(src: string, start: number): { text: string; end: number } | undefined {
  let i = start + 1;
  const negated = src[i] === '^';
  if (negated) i++;
  const ranges: Range[] = [];
  const opaque: string[] = [];
  /** One class atom at i: a code point, ranges (a shorthand), or opaque text (another escape). */
  const atom = (): { cp?: number; ranges?: readonly Range[]; text?: string; len: number } | undefined => {
    if (i >= src.length) return undefined;
    if (src[i] !== '\\') {
      const cp = code(src.slice(i));
      return { cp, len: cp > 0xffff ? 2 : 1 };
    }
    const n = src[i + 1];
    if (n === undefined) return undefined;
    if (SHORTHANDS[n]) return { ranges: SHORTHANDS[n], len: 2 };
    if (/[A-Za-z0-9]/.test(n)) {
      // \s, \D, \uXXXX, \p{…}, \cX, \0…: kept as written.
      const m = /^\\(?:[pP]\{[^}]*\}|u\{[0-9A-Fa-f]+\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|c[A-Za-z]|.)/.exec(src.slice(i, i + 40))!;
      return { text: m[0], len: m[0].length };
    }
    return { cp: code(n), len: 2 };
  };
  while (i < src.length && src[i] !== ']') {
    const a = atom();
    if (!a) return undefined;
    i += a.len;
    if (a.cp !== undefined && src[i] === '-' && i + 1 < src.length && src[i + 1] !== ']') {
      i++;
      const b = atom();
      if (!b || b.cp === undefined || b.cp < a.cp) return undefined;
      i += b.len;
      ranges.push([a.cp, b.cp]);
    } else if (a.cp !== undefined) ranges.push([a.cp, a.cp]);
    else if (a.ranges) ranges.push(...a.ranges);
    else opaque.push(a.text!);
  }
  if (i >= src.length) return undefined;
  return { text: renderClass(negated, ranges, opaque), end: i + 1 };
}

function renderClass(negated: boolean, ranges: Range[], opaque: string[]): string {
  ranges.sort((x, y) => x[0] - y[0]);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const ch = (cp: number): string => {
    const s = String.fromCodePoint(cp);
    return '\\]^-['.includes(s) ? `\\${s}` : s;
  };
  const body = merged.map(([lo, hi]) => (lo === hi ? ch(lo) : `${ch(lo)}-${ch(hi)}`)).join('');
  return `[${negated ? '^' : ''}${body}${[...new Set(opaque)].sort().join('')}]`;
}

/** Whether `a` is a whole multiple of `b` (both positive), allowing for decimal steps such as 0.01. */
function isMultiple(a: number, b: number): boolean {
  const r = a / b;
  return Math.round(r) >= 1 && Math.abs(r - Math.round(r)) < 1e-9 * Math.max(1, r);
}

/**
 * multipleOf: a request accepts the old values iff the old step is a multiple of the new one (10 → 5);
 * a response keeps sending multiples of the old step iff the new step is a multiple of it (5 → 10).
 */
function checkMultipleOf(p: SchemaPair, e: Emitter): void {
  const step = (v: unknown): number | undefined => {
    const n = num(own(v, 'multipleOf'));
    return n !== undefined && n > 0 ? n : undefined;
  };
  const from = step(p.base.v);
  const to = step(p.rev.v);
  if (from === to) return;
  const data = { keyword: 'multipleOf', from, to };
  if (from === undefined) emitRule(p, e, ['multiple-of-added'], `multipleOf ${to} added`, keywordAt(p, 'multipleOf', false), data);
  else if (to === undefined) emitRule(p, e, ['multiple-of-removed'], `multipleOf ${from} removed`, keywordAt(p, 'multipleOf', true), data);
  else {
    const keepsOld = p.place.side === 'request' ? isMultiple(from, to) : isMultiple(to, from);
    const rest = keepsOld ? (p.place.side === 'request' ? 'multiple-of-generalized' : undefined) : 'multiple-of-changed';
    if (rest) emitRule(p, e, [rest], `multipleOf changed from ${from} to ${to}`, keywordAt(p, 'multipleOf', false), data);
  }
}

export const constraintsFamily: RuleFamily = {
  name: 'schema-constraints',
  schema(p, e) {
    if (!isObj(p.base.v) || !isObj(p.rev.v) || wrapOf(p)) return;
    const where = { base: p.base, rev: p.rev };
    for (const bound of BOUNDS) {
      checkBound(p, e, bound, p.base.v, p.rev.v, where);
      // An array parameter whose item count sits (wrongly) on its `items` schema: read it there,
      // as oasdiff does, when the parameter's own bound did not change.
      if (p.prefix === 'request-parameter' && ITEM_COUNTS.has(bound.rule) && bound.read(p.base.v) === bound.read(p.rev.v)) {
        const bi = own(p.base.v, 'items');
        const ri = own(p.rev.v, 'items');
        if (!isObj(bi) || !isObj(ri)) continue;
        const b = p.deref(child(p.base, 'items'));
        const r = p.deref(child(p.rev, 'items'));
        if (bound.read(b.v) !== undefined && bound.read(r.v) !== undefined) checkBound(p, e, bound, b.v, r.v, { base: b, rev: r }, `items ${bound.keyword}`);
      }
    }
    checkPattern(p, e);
    checkMultipleOf(p, e);
  },
};
