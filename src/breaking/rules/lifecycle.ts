import type { Emitter, OperationPair, ParameterPair, RuleFamily, SchemaPair, Scope } from '../context.js';
import { child, own, type Loc } from '../spec/loc.js';

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

/** The local calendar day of `d`. */
export function localDay(d: Date): Day {
  return Math.round(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / MS_PER_DAY);
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
  const day = m ? dayOf(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  if (day === undefined) return { ok: false, error: `x-sunset '${v}' is neither a YYYY-MM-DD date nor an RFC 3339 date-time` };
  return { ok: true, day };
}

export function hasSunset(node: unknown): boolean {
  return own(node, SUNSET_KEY) !== undefined;
}

export function isDeprecated(node: unknown): boolean {
  return own(node, 'deprecated') === true;
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
function checkDeprecation(base: Loc, rev: Loc, ids: DeprecationIds, stability: StabilityRead, what: string, s: Scope, emit: Emit): void {
  const was = isDeprecated(base.v);
  const now = isDeprecated(rev.v);
  if (was === now) return;
  if (!now) {
    emit(ids.reactivated, say(what, 'is no longer deprecated'), at(rev, 'deprecated'));
    return;
  }
  if (!stability.ok) return; // reported as api-invalid-stability-level
  const min = deprecationDays(stability.level, s);
  const level = stability.level || 'stable';
  if (!hasSunset(rev.v)) {
    if (min > 0) {
      emit(ids.sunsetMissing, say(what, `deprecated without an x-sunset date; ${level} elements need a sunset at least ${min} days ahead`), at(rev, 'deprecated'), {
        stability: level,
        minDays: min,
      });
    } else {
      emit(ids.deprecated, say(what, 'deprecated'), at(rev, 'deprecated'), stability.level ? { stability: stability.level } : undefined);
    }
    return;
  }
  const sunset = parseSunset(own(rev.v, SUNSET_KEY));
  if (!sunset.ok) {
    emit(ids.sunsetInvalid, say(what, `deprecated with an invalid sunset date: ${sunset.error}`), at(rev, SUNSET_KEY), { sunset: own(rev.v, SUNSET_KEY) });
    return;
  }
  const days = sunset.day - localDay(s.options.today);
  const date = formatDay(sunset.day);
  if (days < min) {
    emit(ids.tooSmall, say(what, `deprecated with sunset date ${date}, ${days} days from today; ${level} elements need at least ${min}`), at(rev, SUNSET_KEY), {
      sunset: date,
      days,
      minDays: min,
      stability: level,
    });
    return;
  }
  emit(ids.withSunset, say(what, `deprecated with sunset date ${date}`), at(rev, SUNSET_KEY), { sunset: date, ...(stability.level ? { stability: stability.level } : {}) });
}

/** `x-sunset` deleted or moved on an element deprecated in the revision. */
function checkSunsetChange(base: Loc, rev: Loc, ids: SunsetChangeIds, stability: StabilityRead, what: string, s: Scope, emit: Emit): void {
  if (!isDeprecated(rev.v)) return;
  const bv = own(base.v, SUNSET_KEY);
  const rv = own(rev.v, SUNSET_KEY);
  if (bv === undefined) return;
  if (rv === undefined) {
    emit(ids.deleted, `${what} is still deprecated but its x-sunset date was removed`, at(rev, 'deprecated'), { baseSunset: bv });
    return;
  }
  if (sameValue(bv, rv)) return;
  const r = parseSunset(rv);
  if (!r.ok) {
    emit(ids.invalid, `${what}: ${r.error}`, at(rev, SUNSET_KEY), { sunset: rv });
    return;
  }
  const b = parseSunset(bv);
  if (!b.ok) {
    emit(ids.invalid, `${what}: base ${b.error}`, at(base, SUNSET_KEY), { sunset: bv });
    return;
  }
  if (!stability.ok) return;
  const min = deprecationDays(stability.level, s);
  const days = r.day - localDay(s.options.today);
  if (b.day > r.day && days < min) {
    emit(ids.tooSmall, `${what}: sunset date moved earlier from ${formatDay(b.day)} to ${formatDay(r.day)}, ${days} days from today; at least ${min} are required`, at(rev, SUNSET_KEY), {
      baseSunset: formatDay(b.day),
      sunset: formatDay(r.day),
      days,
      minDays: min,
    });
  }
}

/**
 * The removal of an element (`base` is its last version): without prior deprecation, after it,
 * before its sunset date or with an unreadable one. Returns nothing after the sunset date.
 */
export function checkRemoval(base: Loc, ids: RemovalIds, what: string, s: Scope, emit: Emit): void {
  if (!isDeprecated(base.v)) {
    if (ids.without) emit(ids.without, `${what} removed without deprecation`, base);
    return;
  }
  if (!hasSunset(base.v)) {
    emit(ids.withDeprecation, `${what} removed after deprecation`, base);
    return;
  }
  const sunset = parseSunset(own(base.v, SUNSET_KEY));
  if (!sunset.ok) {
    emit(ids.invalid, `${what} removed: ${sunset.error}`, at(base, SUNSET_KEY), { sunset: own(base.v, SUNSET_KEY) });
    return;
  }
  if (localDay(s.options.today) < sunset.day) {
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
  checkDeprecation(p.base, p.rev, OPERATION_DEPRECATION, stability, 'endpoint', s, emit);
  checkSunsetChange(p.base, p.rev, OPERATION_SUNSET_CHANGE, stability, 'endpoint', s, emit);
}

function parameterHook(p: ParameterPair, s: Scope): void {
  if (!inStabilityScope(p.op)) return;
  const what = `${p.in} parameter '${p.name}'`;
  const emit: Emit = (id, message, loc, data) => s.emit(id, message, loc, { in: p.in, name: p.name, ...data });
  if (p.base && !p.rev) {
    checkRemoval(p.base, PARAMETER_REMOVAL, what, s, emit);
    return;
  }
  if (!p.base || !p.rev || !p.op.rev) return;
  const stability = stabilityOf(p.op.rev.v);
  checkDeprecation(p.base, p.rev, PARAMETER_DEPRECATION, stability, what, s, emit);
  checkSunsetChange(p.base, p.rev, PARAMETER_SUNSET_CHANGE, stability, what, s, emit);
}

/** Body properties only: oasdiff's property deprecation and stability rules cover request and response bodies. */
const PROPERTY_PREFIXES = new Set(['request-property', 'response-property']);

function schemaHook(p: SchemaPair, e: Emitter, s: Scope): void {
  if (!PROPERTY_PREFIXES.has(p.prefix) || !p.place.op.rev) return;
  const emit: Emit = (id, message, loc, data) => e.emit(id, message, loc, data);
  const stability = stabilityOf(p.place.op.rev.v);
  checkDeprecation(p.base, p.rev, propertyDeprecation(p.prefix), stability, '', s, emit);
  checkStabilityChange(p.base, p.rev, { decreased: `${p.prefix}-stability-decreased`, increased: `${p.prefix}-stability-increased` }, '', emit, (side, error) =>
    emit('api-invalid-stability-level', `invalid x-stability-level: ${error}`, at(side, STABILITY_KEY), { value: own(side.v, STABILITY_KEY) }),
  );
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
