import type { Emitter, OperationPair, ParameterPair, RuleFamily, SchemaPair, Scope } from '../context.js';
import type { Spec } from '../spec/load.js';
import { child, isObj, own, type Loc } from '../spec/loc.js';
import { specOperations } from '../spec/operations.js';
import { wrapOf } from './wrap.js';

/**
 * Lifecycle rules: deprecation, `x-sunset` dates and `x-stability-level` of operations,
 * parameters and body properties, and removal of deprecated parameters.
 *
 * Stability levels order draft < alpha < beta < stable; a missing level counts as stable. The
 * default threshold is beta: operations below it (draft, alpha) are out of scope for most checks,
 * and removing one is not a breaking change (see {@link inStabilityScope}).
 */

export const STABILITY_LEVELS = ['draft', 'alpha', 'beta', 'stable'] as const;
export type Stability = (typeof STABILITY_LEVELS)[number];

const STABILITY_KEY = 'x-stability-level';
export const SUNSET_KEY = 'x-sunset';
/** Lowest level whose operations the checks look at. */
const THRESHOLD: Stability = 'beta';

export type StabilityRead = { ok: true; level: Stability | '' } | { ok: false; error: string };

/** The `x-stability-level` of an operation or schema node: '' when absent, an error when not one of the four levels. */
export function stabilityOf(node: unknown): StabilityRead {
  const v = own(node, STABILITY_KEY);
  if (v === undefined || v === null) return { ok: true, level: '' };
  if (typeof v !== 'string') return { ok: false, error: `x-stability-level must be a string, got ${JSON.stringify(v)}` };
  if ((STABILITY_LEVELS as readonly string[]).includes(v)) return { ok: true, level: v as Stability };
  return { ok: false, error: `x-stability-level must be one of ${STABILITY_LEVELS.join(', ')}, got '${v}'` };
}

function rank(level: Stability | ''): number {
  return STABILITY_LEVELS.indexOf(level === '' ? 'stable' : level);
}

function included(level: Stability | ''): boolean {
  return rank(level) >= rank(THRESHOLD);
}

/**
 * Whether most checks look at this operation pair. An added operation always counts; a removed
 * one only when its base level is valid and at or above the threshold (removing a draft or alpha
 * operation breaks nobody); a kept one unless its revision level is below the threshold (an
 * invalid level keeps it in scope and is reported by the lifecycle family).
 */
export function inStabilityScope(op: Pick<OperationPair, 'base' | 'rev'>): boolean {
  if (!op.base) return true;
  if (!op.rev) {
    const s = stabilityOf(op.base.v);
    return s.ok && included(s.level);
  }
  const s = stabilityOf(op.rev.v);
  return !s.ok || included(s.level);
}

// ---------------------------------------------------------------------------------------------
// Sunset dates

/** A calendar date, as days since 1970-01-01. */
export type Day = number;

const MS_PER_DAY = 86_400_000;

function dayOf(y: number, m: number, d: number): Day | undefined {
  if (m < 1 || m > 12 || d < 1) return undefined;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
  return Math.round(t / MS_PER_DAY);
}

export function formatDay(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * The calendar day of `d` in UTC, as the lifecycle gate and ignore-file expiry read today: the same
 * instant gives the same verdict on a runner (UTC) and on a laptop in any time zone.
 */
export function utcDay(d: Date): Day {
  return Math.floor(d.getTime() / MS_PER_DAY);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

export type SunsetRead = { ok: true; day: Day } | { ok: false; error: string };

/** Read an `x-sunset` value: a `YYYY-MM-DD` date or an RFC 3339 date-time (its own calendar date counts). */
export function parseSunset(v: unknown): SunsetRead {
  if (v instanceof Date && !Number.isNaN(v.getTime())) {
    // A YAML 1.1 timestamp read as a Date: the date as written (the loader reads it as UTC).
    return { ok: true, day: Math.floor(v.getTime() / MS_PER_DAY) };
  }
  if (typeof v !== 'string') return { ok: false, error: `x-sunset must be a date string, got ${JSON.stringify(v)}` };
  let m = DATE.exec(v);
  if (!m) {
    m = DATE_TIME.exec(v);
    if (m && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60 || (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)))) m = null;
  }
  if (!m) return { ok: false, error: `x-sunset '${v}' is neither a YYYY-MM-DD date nor an RFC 3339 date-time${httpDateHint(v)}` };
  const day = dayOf(Number(m[1]), Number(m[2]), Number(m[3]));
  // Written the right way but not on the calendar (February 29 of a common year, a 13th month).
  if (day === undefined) return { ok: false, error: `x-sunset '${v}' names a day that does not exist${v.length > 10 ? ` (${v.slice(0, 10)})` : ''}` };
  return { ok: true, day };
}

const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** An HTTP-date, as the `Sunset` response header (RFC 8594) is written, is not read: say how to write it instead. */
function httpDateHint(v: string): string {
  const t = HTTP_DATE.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) return '';
  return `; this is an HTTP-date, as the Sunset header writes it: in x-sunset write '${new Date(t).toISOString().slice(0, 10)}'`;
}

export function hasSunset(node: unknown): boolean {
  return own(node, SUNSET_KEY) !== undefined;
}

export function isDeprecated(node: unknown): boolean {
  return own(node, 'deprecated') === true;
}

/**
 * One version of an element as the deprecation rules read it. Swagger 2.0 has `deprecated` on
 * operations only: its parameters and schemas are marked with the common `x-deprecated: true`
 * (`extended`), as the lifecycle gate reads them. An operation without an `x-sunset` of its own takes
 * its path item's (`sunsetFrom`), the date the lifecycle gate judges it by.
 */
interface Side {
  deprecated: boolean;
  /** Where its deprecation is written (or the node). */
  deprecatedAt: Loc;
  /** The node whose `x-sunset` counts: the element's, else its path item's. */
  sunset: Loc;
}

/** The key that says whether a node is deprecated: `x-deprecated` in Swagger 2.0 (`extended`) unless the node has a `deprecated` anyway. */
export function deprecationKey(node: unknown, extended: boolean | undefined): 'deprecated' | 'x-deprecated' {
  return extended && own(node, 'deprecated') === undefined ? 'x-deprecated' : 'deprecated';
}

/** Whether a parameter or schema of `spec` is marked deprecated (Swagger 2.0: also `x-deprecated`). */
export function markedDeprecated(spec: Spec, node: unknown): boolean {
  return own(node, deprecationKey(node, spec.version === '2.0')) === true;
}

function sideOf(node: Loc, opts: { extended?: boolean; sunsetFrom?: Loc } = {}): Side {
  const key = deprecationKey(node.v, opts.extended);
  const sunset = !hasSunset(node.v) && opts.sunsetFrom && hasSunset(opts.sunsetFrom.v) ? opts.sunsetFrom : node;
  return { deprecated: own(node.v, key) === true, deprecatedAt: at(node, key), sunset };
}

/** The path items of a spec's operations, by operation node: where a removed operation's path-level `x-sunset` is read. */
const pathItems = new WeakMap<Spec, WeakMap<object, Loc>>();

function pathItemOf(spec: Spec, op: Loc): Loc | undefined {
  if (!isObj(op.v)) return undefined;
  let items = pathItems.get(spec);
  if (!items) {
    items = new WeakMap();
    for (const o of specOperations(spec)) if (isObj(o.loc.v)) items.set(o.loc.v, o.item);
    pathItems.set(spec, items);
  }
  return items.get(op.v);
}

/** The node's key when present, else the node itself (so a finding still gets a line). */
function at(loc: Loc, key: string): Loc {
  return own(loc.v, key) !== undefined ? child(loc, key) : loc;
}

/** Minimum days between today and a sunset date for an element of the given stability. */
export function deprecationDays(level: Stability | '', s: Scope): number {
  if (level === 'draft' || level === 'alpha') return 0;
  if (level === 'beta') return s.options.deprecationDaysBeta;
  return s.options.deprecationDaysStable;
}

// ---------------------------------------------------------------------------------------------
// Generic checks, driven by rule-id tables

/** Rule ids for a newly deprecated or reactivated element. */
interface DeprecationIds {
  deprecated: string;
  withSunset: string;
  sunsetMissing: string;
  sunsetInvalid: string;
  tooSmall: string;
  reactivated: string;
}

const OPERATION_DEPRECATION: DeprecationIds = {
  deprecated: 'endpoint-deprecated',
  withSunset: 'endpoint-deprecated-with-sunset',
  sunsetMissing: 'api-deprecated-sunset-missing',
  sunsetInvalid: 'api-deprecated-sunset-parse',
  tooSmall: 'api-sunset-date-too-small',
  reactivated: 'endpoint-reactivated',
};

const PARAMETER_DEPRECATION: DeprecationIds = {
  deprecated: 'request-parameter-deprecated',
  withSunset: 'request-parameter-deprecated',
  sunsetMissing: 'request-parameter-deprecated-sunset-missing',
  sunsetInvalid: 'request-parameter-sunset-parse',
  tooSmall: 'request-parameter-sunset-date-too-small',
  reactivated: 'request-parameter-reactivated',
};

function propertyDeprecation(prefix: string): DeprecationIds {
  return {
    deprecated: `${prefix}-deprecated`,
    withSunset: `${prefix}-deprecated-with-sunset`,
    sunsetMissing: `${prefix}-deprecated-sunset-missing`,
    sunsetInvalid: `${prefix}-deprecated-sunset-invalid`,
    tooSmall: `${prefix}-sunset-date-too-small`,
    reactivated: `${prefix}-reactivated`,
  };
}

/** Rule ids for a change of `x-sunset` on an element that stays deprecated. */
interface SunsetChangeIds {
  deleted: string;
  invalid: string;
  tooSmall: string;
}

const OPERATION_SUNSET_CHANGE: SunsetChangeIds = { deleted: 'sunset-deleted', invalid: 'api-path-sunset-parse', tooSmall: 'api-sunset-date-changed-too-small' };
const PARAMETER_SUNSET_CHANGE: SunsetChangeIds = {
  deleted: 'request-parameter-sunset-deleted',
  invalid: 'request-parameter-sunset-parse',
  tooSmall: 'request-parameter-sunset-date-changed-too-small',
};

/** Rule ids for the removal of an element; `without` undefined when another family reports it. */
export interface RemovalIds {
  without?: string;
  withDeprecation: string;
  invalid: string;
  beforeSunset: string;
}

export const PATH_REMOVAL: RemovalIds = {
  without: 'api-path-removed-without-deprecation',
  withDeprecation: 'api-path-removed-with-deprecation',
  invalid: 'api-path-sunset-parse',
  beforeSunset: 'api-path-removed-before-sunset',
};
export const OPERATION_REMOVAL: RemovalIds = {
  without: 'api-removed-without-deprecation',
  withDeprecation: 'api-removed-with-deprecation',
  invalid: 'api-path-sunset-parse',
  beforeSunset: 'api-removed-before-sunset',
};
/** A removed parameter that was not deprecated is the parameters family's `request-parameter-removed`. */
const PARAMETER_REMOVAL: RemovalIds = {
  withDeprecation: 'request-parameter-removed-with-deprecation',
  invalid: 'request-parameter-sunset-parse',
  beforeSunset: 'request-parameter-removed-before-sunset',
};

type Emit = (id: string, message: string, at: Loc, data?: Record<string, unknown>) => void;

/**
 * `deprecated` flipped between base and rev: report the deprecation (judged against the sunset
 * policy for `level`) or the reactivation. `what` names the element in messages.
 */
function checkDeprecation(base: Side, rev: Side, ids: DeprecationIds, stability: StabilityRead, what: string, s: Scope, emit: Emit): void {
  if (base.deprecated === rev.deprecated) return;
  if (!rev.deprecated) {
    emit(ids.reactivated, say(what, 'is no longer deprecated'), rev.deprecatedAt);
    return;
  }
  if (!stability.ok) return; // reported as api-invalid-stability-level
  const min = deprecationDays(stability.level, s);
  const level = stability.level || 'stable';
  const raw = own(rev.sunset.v, SUNSET_KEY);
  if (raw === undefined) {
    if (min > 0) {
      emit(ids.sunsetMissing, say(what, `deprecated without an x-sunset date; ${level} elements need a sunset at least ${min} days ahead`), rev.deprecatedAt, {
        stability: level,
        minDays: min,
      });
    } else {
      emit(ids.deprecated, say(what, 'deprecated'), rev.deprecatedAt, stability.level ? { stability: stability.level } : undefined);
    }
    return;
  }
  const sunsetAt = child(rev.sunset, SUNSET_KEY);
  const sunset = parseSunset(raw);
  if (!sunset.ok) {
    emit(ids.sunsetInvalid, say(what, `deprecated with an invalid sunset date: ${sunset.error}`), sunsetAt, { sunset: raw });
    return;
  }
  const days = sunset.day - utcDay(s.options.today);
  const date = formatDay(sunset.day);
  if (days < min) {
    emit(ids.tooSmall, say(what, `deprecated with sunset date ${date}, ${days} days from today; ${level} elements need at least ${min}`), sunsetAt, {
      sunset: date,
      days,
      minDays: min,
      stability: level,
    });
    return;
  }
  emit(ids.withSunset, say(what, `deprecated with sunset date ${date}`), sunsetAt, { sunset: date, ...(stability.level ? { stability: stability.level } : {}) });
}

/** `x-sunset` deleted or moved on an element deprecated in the revision. */
function checkSunsetChange(base: Side, rev: Side, ids: SunsetChangeIds, stability: StabilityRead, what: string, s: Scope, emit: Emit): void {
  if (!rev.deprecated) return;
  const bv = own(base.sunset.v, SUNSET_KEY);
  const rv = own(rev.sunset.v, SUNSET_KEY);
  if (bv === undefined) return;
  if (rv === undefined) {
    emit(ids.deleted, `${what} is still deprecated but its x-sunset date was removed`, rev.deprecatedAt, { baseSunset: bv });
    return;
  }
  if (sameValue(bv, rv)) return;
  const r = parseSunset(rv);
  if (!r.ok) {
    emit(ids.invalid, `${what}: ${r.error}`, child(rev.sunset, SUNSET_KEY), { sunset: rv });
    return;
  }
  const b = parseSunset(bv);
  if (!b.ok) {
    emit(ids.invalid, `${what}: base ${b.error}`, child(base.sunset, SUNSET_KEY), { sunset: bv });
    return;
  }
  if (!stability.ok) return;
  const min = deprecationDays(stability.level, s);
  const days = r.day - utcDay(s.options.today);
  if (b.day > r.day && days < min) {
    emit(ids.tooSmall, `${what}: sunset date moved earlier from ${formatDay(b.day)} to ${formatDay(r.day)}, ${days} days from today; at least ${min} are required`, child(rev.sunset, SUNSET_KEY), {
      baseSunset: formatDay(b.day),
      sunset: formatDay(r.day),
      days,
      minDays: min,
    });
  }
}

/**
 * The removal of an element (`base` is its last version): without prior deprecation, after it,
 * before its sunset date or with an unreadable one. Returns nothing after the sunset date. An
 * operation without an `x-sunset` of its own is judged by its path item's.
 */
export function checkRemoval(base: Loc, ids: RemovalIds, what: string, s: Scope, emit: Emit, extended = false): void {
  const side = sideOf(base, { sunsetFrom: pathItemOf(s.base, base), extended });
  if (!side.deprecated) {
    if (ids.without) emit(ids.without, `${what} removed without deprecation`, base);
    return;
  }
  const raw = own(side.sunset.v, SUNSET_KEY);
  if (raw === undefined) {
    emit(ids.withDeprecation, `${what} removed after deprecation`, base);
    return;
  }
  const sunset = parseSunset(raw);
  if (!sunset.ok) {
    emit(ids.invalid, `${what} removed: ${sunset.error}`, child(side.sunset, SUNSET_KEY), { sunset: raw });
    return;
  }
  if (utcDay(s.options.today) < sunset.day) {
    const date = formatDay(sunset.day);
    emit(ids.beforeSunset, `${what} removed before its sunset date ${date}`, base, { sunset: date });
  }
}

/** `x-stability-level` changed: reported when the level it leaves is within the threshold. */
function checkStabilityChange(
  base: Loc,
  rev: Loc,
  ids: { decreased: string; increased: string },
  what: string,
  emit: Emit,
  invalid?: (side: Loc, error: string) => void,
): void {
  const b = stabilityOf(base.v);
  const r = stabilityOf(rev.v);
  if (!b.ok || !r.ok) {
    if (invalid) {
      if (!b.ok) invalid(base, b.error);
      if (!r.ok) invalid(rev, r.error);
    }
    return;
  }
  const bl = b.level || 'stable';
  const rl = r.level || 'stable';
  if (bl === rl || !included(bl)) return;
  const decreased = rank(rl) < rank(bl);
  emit(decreased ? ids.decreased : ids.increased, say(what, `stability level ${decreased ? 'decreased' : 'increased'} from ${bl} to ${rl}`), at(rev, STABILITY_KEY), {
    from: bl,
    to: rl,
  });
}

/** A message about `what`; schema hooks pass '' since the walker puts the subject in front. */
function say(what: string, rest: string): string {
  return what ? `${what} ${rest}` : rest;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---------------------------------------------------------------------------------------------
// The family

function operationHook(p: OperationPair, s: Scope): void {
  const emit: Emit = (id, message, loc, data) => s.emit(id, message, loc, data);
  const invalid = (side: Loc, error: string) => emit('api-invalid-stability-level', `invalid x-stability-level: ${error}`, at(side, STABILITY_KEY), { value: own(side.v, STABILITY_KEY) });

  if (p.base && !p.rev) {
    // A removed operation (alone or with its path): its stability must still be readable.
    const b = stabilityOf(p.base.v);
    if (!b.ok) invalid(p.base, b.error);
    return;
  }
  if (!p.base || !p.rev) return;

  checkStabilityChange(p.base, p.rev, { decreased: 'api-stability-decreased', increased: 'api-stability-increased' }, 'endpoint', emit, invalid);
  if (!inStabilityScope(p)) return;

  const stability = stabilityOf(p.rev.v);
  // A path item's x-sunset is the date of its operations that have none of their own.
  const base = sideOf(p.base, { sunsetFrom: p.basePathItem });
  const rev = sideOf(p.rev, { sunsetFrom: p.revPathItem });
  checkDeprecation(base, rev, OPERATION_DEPRECATION, stability, 'endpoint', s, emit);
  checkSunsetChange(base, rev, OPERATION_SUNSET_CHANGE, stability, 'endpoint', s, emit);
}

function parameterHook(p: ParameterPair, s: Scope): void {
  if (!inStabilityScope(p.op)) return;
  const what = `${p.in} parameter '${p.name}'`;
  const emit: Emit = (id, message, loc, data) => s.emit(id, message, loc, { in: p.in, name: p.name, ...data });
  if (p.base && !p.rev) {
    checkRemoval(p.base, PARAMETER_REMOVAL, what, s, emit, s.base.version === '2.0');
    return;
  }
  if (!p.base || !p.rev || !p.op.rev) return;
  const stability = stabilityOf(p.op.rev.v);
  const base = sideOf(p.base, { extended: s.base.version === '2.0' });
  const rev = sideOf(p.rev, { extended: s.rev.version === '2.0' });
  checkDeprecation(base, rev, PARAMETER_DEPRECATION, stability, what, s, emit);
  checkSunsetChange(base, rev, PARAMETER_SUNSET_CHANGE, stability, what, s, emit);
}

/** Body properties only: oasdiff's property deprecation and stability rules cover request and response bodies. */
const PROPERTY_PREFIXES = new Set(['request-property', 'response-property']);

function schemaHook(p: SchemaPair, e: Emitter, s: Scope): void {
  if (!PROPERTY_PREFIXES.has(p.prefix) || !p.place.op.rev) return;
  const emit: Emit = (id, message, loc, data) => e.emit(id, message, loc, data);
  const stability = stabilityOf(p.place.op.rev.v);
  const dep = lifecycleSides(p, 'deprecated');
  if (dep) {
    const [base, rev] = dep;
    checkDeprecation(sideOf(base, { extended: s.base.version === '2.0' }), sideOf(rev, { extended: s.rev.version === '2.0' }), propertyDeprecation(p.prefix), stability, '', s, emit);
  }
  const levels = lifecycleSides(p, STABILITY_KEY);
  if (levels) {
    checkStabilityChange(levels[0], levels[1], { decreased: `${p.prefix}-stability-decreased`, increased: `${p.prefix}-stability-increased` }, '', emit, (side, error) =>
      emit('api-invalid-stability-level', `invalid x-stability-level: ${error}`, at(side, STABILITY_KEY), { value: own(side.v, STABILITY_KEY) }),
    );
  }
}

/**
 * The two schemas whose `key` is compared for a schema pair. Where one version wraps the schema
 * whole (`nullable` + `allOf: [$ref]`, `oneOf: [$ref, {type: 'null'}]`, see rules/wrap.ts), the
 * wrapper is no change of its own: when no wrapper carries `key`, the walker compares what is wrapped
 * with the other side (undefined here, so it is judged once, there); when one does, the key is judged
 * here, and a wrapper without it reads as what it wraps.
 */
function lifecycleSides(p: SchemaPair, key: string): [Loc, Loc] | undefined {
  const w = wrapOf(p);
  if (!w) return [p.base, p.rev];
  const carries = (side: Loc, keyword: string | undefined) => keyword !== undefined && own(side.v, key) !== undefined;
  if (!carries(p.base, w.baseKeyword) && !carries(p.rev, w.revKeyword)) return undefined;
  return [wrapped(p, p.base, w.baseKeyword, key), wrapped(p, p.rev, w.revKeyword, key)];
}

/** A wrapper without `key` read as the one member it wraps (null left aside); anything else as itself. */
function wrapped(p: SchemaPair, side: Loc, keyword: string | undefined, key: string): Loc {
  if (keyword === undefined || own(side.v, key) !== undefined) return side;
  const list = child(side, keyword);
  if (!Array.isArray(list.v)) return side;
  for (let i = 0; i < list.v.length; i++) {
    const member = p.deref(child(list, i));
    const t = own(member.v, 'type');
    if (t !== 'null' && !(Array.isArray(t) && t.length === 1 && t[0] === 'null')) return member;
  }
  return side;
}

export const lifecycleFamily: RuleFamily = {
  name: 'lifecycle',
  allStabilities: true,
  operation: operationHook,
  parameter: parameterHook,
  schema: schemaHook,
  schemaContext: (place) => {
    const s = place.op.rev ? stabilityOf(place.op.rev.v) : undefined;
    return s === undefined ? '' : s.ok ? s.level : '?';
  },
};
