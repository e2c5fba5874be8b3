import type { Emitter, RuleFamily, SchemaPair } from '../context.js';
import { refOf } from '../spec/load.js';
import { child, isObj, own, ownKeys, type Loc } from '../spec/loc.js';
import { emitRule } from './schema-constraints.js';
import { wrapOf } from './wrap.js';

/**
 * Properties of an object schema pair: properties added and removed, `required` changes, and
 * readOnly/writeOnly flags. Runs at every matched schema pair (top, nested properties, items,
 * additionalProperties, allOf/anyOf/oneOf members…), so a property is reported once, at the
 * object that holds it; the walker's subject names that object.
 *
 * What a property means for a client depends on the direction: readOnly properties are never
 * sent, so a request ignores them; writeOnly properties are never returned, so a response reports
 * them under their own (informational) ids.
 */
export const propertiesFamily: RuleFamily = {
  name: 'schema-properties',
  schema(p, e) {
    if (!isObj(p.base.v) || !isObj(p.rev.v) || wrapOf(p)) return;
    const obj = new ObjectPair(p);
    if (p.place.holder === 'body') {
      if (p.place.side === 'request') requestBody(obj, e);
      else responseBody(obj, e);
      additionalProperties(p, e);
    } else if (p.place.holder === 'parameter' && p.place.holderName === 'header') {
      headerParameter(obj, e);
    }
  },
};

/** The two sides of an object schema, with their properties dereferenced. */
class ObjectPair {
  readonly baseReq: ReadonlySet<string>;
  readonly revReq: ReadonlySet<string>;
  readonly added: string[];
  readonly removed: string[];
  readonly kept: string[];
  /** Base properties that moved into the alternatives of a oneOf the revision wraps the schema in. */
  readonly moved: ReadonlySet<string>;
  private readonly baseProps: unknown;
  private readonly revProps: unknown;
  private baseHolder?: Loc;
  private revHolder?: Loc;

  constructor(readonly p: SchemaPair) {
    this.baseProps = own(p.base.v, 'properties');
    this.revProps = own(p.rev.v, 'properties');
    const bp = ownKeys(this.baseProps);
    const rp = ownKeys(this.revProps);
    const inBase = new Set(bp);
    const inRev = new Set(rp);
    this.added = rp.filter((n) => !inBase.has(n));
    this.removed = bp.filter((n) => !inRev.has(n));
    this.kept = rp.filter((n) => inBase.has(n));
    this.baseReq = union(requiredOf(p.base.v), p.allOfRequired?.base);
    this.revReq = union(requiredOf(p.rev.v), p.allOfRequired?.rev);
    this.moved = movedIntoOneOf(p, bp);
  }

  baseProp(name: string): Loc {
    return this.p.deref(this.baseEntry(name));
  }

  revProp(name: string): Loc {
    return this.p.deref(this.revEntry(name));
  }

  /** The property's entry under `properties` (where a finding about the property points), not its `$ref` target. */
  baseEntry(name: string): Loc {
    return child((this.baseHolder ??= child(this.p.base, 'properties')), name);
  }

  revEntry(name: string): Loc {
    return child((this.revHolder ??= child(this.p.rev, 'properties')), name);
  }

  /** A property's readOnly/writeOnly flag, read in place unless the property is a `$ref` (most kept properties are not looked up). */
  flag(side: 'base' | 'rev', name: string, key: 'readOnly' | 'writeOnly'): boolean {
    const raw = own(side === 'base' ? this.baseProps : this.revProps, name);
    if (refOf(raw) === undefined || own(raw, key) !== undefined) return own(raw, key) === true;
    return flag(side === 'base' ? this.baseProp(name) : this.revProp(name), key);
  }

  /** Names that joined (`to` = true) or left the `required` list of properties present on both sides. */
  requiredChanged(to: boolean): string[] {
    return this.kept.filter((n) => (to ? this.revReq.has(n) && !this.baseReq.has(n) : this.baseReq.has(n) && !this.revReq.has(n)));
  }
}

function union(a: Set<string>, b: ReadonlySet<string> | undefined): Set<string> {
  if (b) for (const x of b) a.add(x);
  return a;
}

function requiredOf(v: unknown): Set<string> {
  const r = own(v, 'required');
  return new Set(Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : []);
}

function flag(loc: Loc, key: 'readOnly' | 'writeOnly'): boolean {
  return own(loc.v, key) === true;
}

function hasDefault(loc: Loc): boolean {
  return isObj(loc.v) && Object.prototype.hasOwnProperty.call(loc.v, 'default');
}

/**
 * A concrete object (properties, no oneOf) that became a oneOf of alternatives with no type or
 * properties of its own: the properties found in some alternative moved, they were not removed.
 */
export function movedIntoOneOf(p: SchemaPair, baseProps = ownKeys(own(p.base.v, 'properties'))): ReadonlySet<string> {
  const b = p.base.v;
  const r = p.rev.v;
  const alts = own(r, 'oneOf');
  if (baseProps.length === 0 || own(b, 'oneOf') !== undefined || !Array.isArray(alts) || alts.length === 0) return new Set();
  if (ownKeys(own(r, 'properties')).length > 0 || own(r, 'type') !== undefined) return new Set();
  const altProps = alts.map((_, i) => ownKeys(own(p.deref(child(child(p.rev, 'oneOf'), i)).v, 'properties')));
  return new Set(baseProps.filter((n) => altProps.some((names) => names.includes(n))));
}

/** Emits `id` with `detail`, the property's node and its name. */
function report(e: Emitter, id: string, detail: string, at: Loc, name: string, extra: Record<string, unknown> = {}): void {
  e.emit(id, detail, at, { property: name, ...extra });
}

const FLAGS = [
  ['readOnly', 'read-only'],
  ['writeOnly', 'write-only'],
] as const;

/** Flag changes of kept properties, reported as `${side}-${required|optional}-property-became-${not-}${read|write}-only`. */
function flagChanges(o: ObjectPair, e: Emitter, side: 'request' | 'response'): void {
  for (const name of o.kept) {
    for (const [key, word] of FLAGS) {
      const from = o.flag('base', name, key);
      const to = o.flag('rev', name, key);
      if (from === to) continue;
      const kind = o.baseReq.has(name) ? 'required' : 'optional';
      report(e, `${side}-${kind}-property-became-${to ? '' : 'not-'}${word}`, `${kind} property '${name}' became ${to ? '' : 'not '}${word}`, o.revProp(name), name, {
        from,
        to,
      });
    }
  }
}

function requestBody(o: ObjectPair, e: Emitter): void {
  for (const name of o.removed) {
    if (o.moved.has(name)) continue;
    const b = o.baseProp(name);
    if (flag(b, 'readOnly')) continue;
    report(e, 'request-property-removed', `no longer has property '${name}'`, o.baseEntry(name), name);
  }
  for (const name of o.added) {
    const r = o.revProp(name);
    if (flag(r, 'readOnly')) continue;
    if (!o.revReq.has(name)) report(e, 'new-optional-request-property', `has new optional property '${name}'`, o.revEntry(name), name);
    else if (hasDefault(r)) report(e, 'new-required-request-property-with-default', `has new required property '${name}' (it has a default)`, o.revEntry(name), name);
    else report(e, 'new-required-request-property', `has new required property '${name}'`, o.revEntry(name), name);
  }
  for (const name of o.requiredChanged(true)) {
    const r = o.revProp(name);
    if (flag(r, 'readOnly')) continue;
    if (hasDefault(r)) report(e, 'request-property-became-required-with-default', `property '${name}' became required (it has a default)`, o.revEntry(name), name);
    else report(e, 'request-property-became-required', `property '${name}' became required`, o.revEntry(name), name);
  }
  for (const name of o.requiredChanged(false)) {
    const r = o.revProp(name);
    if (flag(r, 'readOnly')) continue;
    report(e, 'request-property-became-optional', `property '${name}' became optional`, o.revEntry(name), name);
  }
  // A required property clients did not send (readOnly) that is no longer readOnly: they must send it now.
  for (const name of o.kept) {
    if (!o.baseReq.has(name) || !o.revReq.has(name) || !o.flag('base', name, 'readOnly') || o.flag('rev', name, 'readOnly')) continue;
    const withDefault = hasDefault(o.revProp(name));
    report(
      e,
      withDefault ? 'request-property-became-required-with-default' : 'request-property-became-required',
      `property '${name}' became required: it is no longer read-only${withDefault ? ' (it has a default)' : ''}`,
      o.revEntry(name),
      name,
    );
  }
  flagChanges(o, e, 'request');
}

function responseBody(o: ObjectPair, e: Emitter): void {
  for (const name of o.removed) {
    if (o.moved.has(name)) continue;
    const b = o.baseProp(name);
    const kind = o.baseReq.has(name) ? 'required' : 'optional';
    const wo = flag(b, 'writeOnly') ? 'write-only-' : '';
    report(e, `response-${kind}-${wo}property-removed`, `no longer has ${kind} ${wo ? 'write-only ' : ''}property '${name}'`, o.baseEntry(name), name);
  }
  for (const name of o.added) {
    const r = o.revProp(name);
    const kind = o.revReq.has(name) ? 'required' : 'optional';
    const wo = flag(r, 'writeOnly') ? 'write-only-' : '';
    report(e, `response-${kind}-${wo}property-added`, `has new ${kind} ${wo ? 'write-only ' : ''}property '${name}'`, o.revEntry(name), name);
  }
  for (const to of [true, false]) {
    for (const name of o.requiredChanged(to)) {
      const r = o.revProp(name);
      const wo = flag(to ? r : o.baseProp(name), 'writeOnly') ? 'write-only-' : '';
      const became = to ? 'required' : 'optional';
      report(e, `response-${wo}property-became-${became}`, `${wo ? 'write-only ' : ''}property '${name}' became ${became}`, o.revEntry(name), name);
    }
  }
  flagChanges(o, e, 'response');
}

/**
 * `additionalProperties: false` set or lifted (ours: oasdiff has no id). Set, a request rejects the
 * properties it does not list; lifted, a response may send them. Response narrowing is not reported.
 */
function additionalProperties(p: SchemaPair, e: Emitter): void {
  const closed = (v: unknown) => own(v, 'additionalProperties') === false;
  const from = closed(p.base.v);
  const to = closed(p.rev.v);
  if (from === to) return;
  // The keyword where it is written: in the revision, else (dropped) in the base.
  const at = own(p.rev.v, 'additionalProperties') !== undefined ? child(p.rev, 'additionalProperties') : child(p.base, 'additionalProperties');
  const data = { keyword: 'additionalProperties', from: shown(p.base.v), to: shown(p.rev.v) };
  if (to) emitRule(p, e, ['additional-properties-disallowed'], 'additionalProperties became false: properties not listed are rejected', at, data);
  else emitRule(p, e, ['additional-properties-allowed'], 'additionalProperties false lifted: properties not listed are allowed', at, data);
}

/** `additionalProperties` as a finding's data shows it: true (also when left out), false or 'schema'. */
function shown(schema: unknown): boolean | string {
  const v = own(schema, 'additionalProperties');
  return v === undefined ? true : isObj(v) ? 'schema' : v === false ? false : true;
}

/** Object-typed header parameters: new required properties and properties that became required. */
function headerParameter(o: ObjectPair, e: Emitter): void {
  for (const name of o.added) {
    const r = o.revProp(name);
    if (!o.revReq.has(name) || flag(r, 'readOnly')) continue;
    report(e, 'new-required-request-header-property', `has new required property '${name}'`, o.revEntry(name), name);
  }
  for (const name of o.requiredChanged(true)) {
    const r = o.revProp(name);
    if (flag(r, 'readOnly')) continue;
    report(e, 'request-header-property-became-required', `property '${name}' became required`, o.revEntry(name), name);
  }
}
