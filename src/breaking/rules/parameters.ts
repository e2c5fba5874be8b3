import type { OperationPair, ParameterPair, RuleFamily, Scope } from '../context.js';
import type { Spec } from '../spec/load.js';
import { child, own, type Loc } from '../spec/loc.js';
import { markedDeprecated } from './lifecycle.js';

/**
 * Operation parameters: added, removed, required flag or serialisation changed. Changes inside parameter schemas
 * (type, enum, bounds, and the required properties of object-typed header parameters) belong to the
 * schema families; removal of a deprecated parameter to the lifecycle family.
 */
export const parametersFamily: RuleFamily = {
  name: 'parameters',

  parameter(p: ParameterPair, s: Scope) {
    if (p.rev && !p.base) added(p, p.rev, s);
    else if (p.base && !p.rev) removed(p, p.base, s);
    else if (p.base && p.rev) {
      requiredChanged(p, p.base, p.rev, s);
      serializationChanged(p, p.base, p.rev, s);
    }
  },
};

function isRequired(param: Loc): boolean {
  return own(param.v, 'required') === true;
}

function added(p: ParameterPair, rev: Loc, s: Scope): void {
  const data = { in: p.in, name: p.name };
  if (p.in === 'path') {
    s.emit('new-request-path-parameter', `path parameter '${p.name}' added`, rev, data);
    return;
  }
  const required = isRequired(rev);
  const kind = required ? 'required' : 'optional';
  if (fromPathItem(p.op, p.in, p.name, s.rev)) {
    s.emit(
      `new-${kind}-request-default-parameter-to-existing-path`,
      `${kind} ${p.in} parameter '${p.name}' added to the path's common parameters, so this existing operation receives it`,
      rev,
      data,
    );
    return;
  }
  s.emit(`new-${kind}-request-parameter`, `${kind} ${p.in} parameter '${p.name}' added`, rev, data);
}

function removed(p: ParameterPair, base: Loc, s: Scope): void {
  // A parameter that was deprecated before removal is judged by the lifecycle rules (sunset dates).
  if (markedDeprecated(s.base, base.v)) return;
  s.emit('request-parameter-removed', `${p.in} parameter '${p.name}' removed`, base, { in: p.in, name: p.name });
}

function requiredChanged(p: ParameterPair, base: Loc, rev: Loc, s: Scope): void {
  if (p.in === 'path') return; // path parameters are always required
  const was = isRequired(base);
  const now = isRequired(rev);
  if (was === now) return;
  const at = own(rev.v, 'required') !== undefined ? child(rev, 'required') : rev;
  const data = { in: p.in, name: p.name, from: was, to: now };
  if (now) s.emit('request-parameter-became-required', `${p.in} parameter '${p.name}' became required`, at, data);
  else s.emit('request-parameter-became-optional', `${p.in} parameter '${p.name}' became optional`, at, data);
}

/** OpenAPI's defaults: `form` for query and cookie parameters, `simple` for path and header ones; explode with `form`. */
function serialization(param: Loc, inn: string): { style: string; explode: boolean } {
  const st = own(param.v, 'style');
  const style = typeof st === 'string' ? st : inn === 'query' || inn === 'cookie' ? 'form' : 'simple';
  const ex = own(param.v, 'explode');
  return { style, explode: typeof ex === 'boolean' ? ex : style === 'form' };
}

/** Whether a parameter's value is an array or an object (whose serialisation style and explode shape). */
function structured(param: Loc, spec: Spec): boolean {
  if (own(param.v, 'schema') === undefined) return false;
  const schema = spec.deref(child(param, 'schema')).v;
  const type = own(schema, 'type');
  const types = Array.isArray(type) ? type : [type];
  return types.includes('array') || types.includes('object') || (type === undefined && (own(schema, 'items') !== undefined || own(schema, 'properties') !== undefined));
}

/**
 * `style`/`explode` changed in a way that changes what goes on the wire: for arrays and objects any
 * change (`ids=1&ids=2` vs `ids=1,2` vs `ids=1|2`); for a single value only a path parameter's style
 * (`/pets/1` vs `/pets/.1` vs `/pets/;id=1`). Parameters described with `content` have no style.
 */
function serializationChanged(p: ParameterPair, base: Loc, rev: Loc, s: Scope): void {
  if (own(base.v, 'schema') === undefined || own(rev.v, 'schema') === undefined) return;
  const b = serialization(base, p.in);
  const r = serialization(rev, p.in);
  if (b.style === r.style && b.explode === r.explode) return;
  const shaped = structured(base, s.base) || structured(rev, s.rev);
  if (!shaped && (p.in !== 'path' || b.style === r.style)) return;
  const show = (x: { style: string; explode: boolean }) => (shaped ? `style=${x.style}, explode=${x.explode}` : `style=${x.style}`);
  const key = own(rev.v, 'style') !== undefined ? 'style' : own(rev.v, 'explode') !== undefined ? 'explode' : undefined;
  s.emit(
    'request-parameter-serialization-changed',
    `${p.in} parameter '${p.name}' serialisation changed from ${show(b)} to ${show(r)}`,
    key ? child(rev, key) : rev,
    { in: p.in, name: p.name, from: b, to: r },
  );
}

/** True when the revision declares the parameter on the path item and the operation does not override it. */
function fromPathItem(op: OperationPair, inn: string, name: string, spec: Spec): boolean {
  if (!op.rev || !op.revPathItem) return false;
  return declares(op.revPathItem, inn, name, spec) && !declares(op.rev, inn, name, spec);
}

function declares(holder: Loc, inn: string, name: string, spec: Spec): boolean {
  const list = child(holder, 'parameters');
  if (!Array.isArray(list.v)) return false;
  const norm = (n: string) => (inn === 'header' ? n.toLowerCase() : n);
  for (let i = 0; i < list.v.length; i++) {
    const param = spec.deref(child(list, i));
    const pn = own(param.v, 'name');
    if (own(param.v, 'in') === inn && typeof pn === 'string' && norm(pn) === norm(name)) return true;
  }
  return false;
}
