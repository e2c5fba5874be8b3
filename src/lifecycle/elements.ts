/**
 * The parts of a spec that can be deprecated or carry an `x-sunset` date: operations (of paths and
 * of 3.1 webhooks), their parameters, their response headers, their request and response body
 * schemas and those schemas' properties (and the schemas these reach through `items`,
 * `additionalProperties`, `allOf`, `anyOf` and `oneOf`).
 */
import { deprecationKey, hasSunset, isDeprecated } from '../breaking/rules/lifecycle.js';
import { refOf, type Spec } from '../breaking/spec/load.js';
import { child, isObj, own, ownKeys, type Loc } from '../breaking/spec/loc.js';
import { HTTP_METHODS, mergedParameters, parameterSchema, specOperations } from '../breaking/spec/operations.js';

export type ElementKind = 'path item' | 'operation' | 'parameter' | 'response header' | 'request body' | 'response body' | 'request property' | 'response property';

/** One element with `deprecated: true` or `x-sunset`, reported once however many operations reach it. */
export interface Element {
  kind: ElementKind;
  /** How messages name it: `operation`, `query parameter 'limit'`, `response property 'owner/id'`. */
  what: string;
  /** The node that holds `deprecated` / `x-sunset`. */
  loc: Loc;
  /** Every operation that reaches it (`GET /pets`), in spec order. */
  operations: string[];
  /** The first operation's node, for its stability level. */
  op: Loc;
  /**
   * `deprecated: true`; a path item counts as deprecated when every one of its operations is (OpenAPI
   * has no `deprecated` on a path item: one written there marks nothing).
   */
  deprecated: boolean;
  /** The key that marks it deprecated: `deprecated`, or `x-deprecated` on a Swagger 2.0 parameter or schema. */
  deprecatedKey: DeprecatedKey;
  /** An operation without its own `x-sunset` whose path item has one: that date covers it. */
  pathSunset?: true;
}

export interface SpecElements {
  operations: number;
  elements: Element[];
}

export type DeprecatedKey = 'deprecated' | 'x-deprecated';

/** An operation as the gate judges it: a path's (`GET /pets`) or a 3.1 webhook's (`WEBHOOK POST newPet`). */
interface Operation {
  /** How findings name it. */
  key: string;
  /** How its path item is named: `path item '/pets'`, `webhook 'newPet'`. */
  itemWhat: string;
  loc: Loc;
  item: Loc;
  parameters: Loc[];
}

/** Walk every operation of the spec; only elements that are deprecated or have a sunset are kept. */
export function lifecycleElements(spec: Spec): SpecElements {
  const found = new Map<string, Element>();
  // Swagger 2.0 has `deprecated` on operations only: parameters and schemas use the `x-deprecated` extension.
  const extended = spec.version === '2.0';
  const add = (kind: ElementKind, what: string, loc: Loc, op: Operation) => {
    const dkey = kind === 'path item' || kind === 'operation' ? 'deprecated' : deprecationKey(loc.v, extended);
    if (own(loc.v, dkey) !== true && !hasSunset(loc.v) && !miswrittenDeprecated(loc.v, dkey)) return;
    const key = `${kind}\u0000${loc.doc.id}#${loc.path.join('/')}`;
    const known = found.get(key);
    if (known) {
      if (!known.operations.includes(op.key)) known.operations.push(op.key);
      if (kind === 'path item') known.deprecated &&= isDeprecated(op.loc.v);
    } else {
      const deprecated = kind === 'path item' ? isDeprecated(op.loc.v) : own(loc.v, dkey) === true;
      const pathSunset = kind === 'operation' && !hasSunset(loc.v) && hasSunset(op.item.v) ? { pathSunset: true as const } : {};
      found.set(key, { kind, what, loc, operations: [op.key], op: op.loc, deprecated, deprecatedKey: dkey, ...pathSunset });
    }
  };
  const marked = (node: unknown) => {
    const dkey = deprecationKey(node, extended);
    return own(node, dkey) === true || hasSunset(node) || miswrittenDeprecated(node, dkey);
  };
  const operations: Operation[] = [
    ...specOperations(spec).map((op) => ({ key: op.key, itemWhat: `path item '${op.path}'`, loc: op.loc, item: op.item, parameters: op.parameters })),
    ...webhookOperations(spec),
  ];
  for (const op of operations) {
    // `x-sunset` on a path item is the date for all its operations.
    add('path item', op.itemWhat, op.item, op);
    add('operation', 'operation', op.loc, op);
    for (const p of op.parameters) {
      const what = `${String(own(p.v, 'in'))} parameter '${String(own(p.v, 'name'))}'`;
      // Marked on the parameter, else on its schema (a JSON Schema `deprecated`, or `content`'s schema).
      const schema = parameterSchema(p);
      // A 3.1 `$ref` may carry its own mark; else its target's counts.
      const schemaMark = schema && [schema, resolve(spec, schema)].find((s) => marked(s.v));
      add('parameter', what, marked(p.v) ? p : (schemaMark ?? p), op);
    }
    for (const [name, header] of responseHeaders(spec, op.loc)) {
      add('response header', `response header '${name}'`, marked(header.v) ? header : resolve(spec, header), op);
    }
    // A body schema itself (a deprecated component used as the body), then its properties at any depth.
    const visitor =
      (side: 'request' | 'response') =>
      (loc: Loc, route: string, via: string): void => {
        if (route) add(`${side} property`, `${side} property '${route}'${via}`, loc, op);
        else add(`${side} body`, `${side} body${via}`, loc, op);
      };
    for (const schema of requestSchemas(spec, op.loc)) {
      const visit = visitor('request');
      visit(marked(schema.v) ? schema : resolve(spec, schema), '', '');
      walkProperties(spec, schema, '', new Set(), marked, visit);
    }
    for (const schema of responseSchemas(spec, op.loc)) {
      const visit = visitor('response');
      visit(marked(schema.v) ? schema : resolve(spec, schema), '', '');
      walkProperties(spec, schema, '', new Set(), marked, visit);
    }
  }
  return { operations: operations.length, elements: [...found.values()] };
}

/**
 * The operations of a 3.1 spec's `webhooks`, named `WEBHOOK POST newPet`: the webhook's name is no
 * path, and the leading word keeps them apart from path operations in every report.
 */
function webhookOperations(spec: Spec): Operation[] {
  if (spec.version !== '3.1') return [];
  const root: Loc = { v: spec.root.value, doc: spec.root, path: [] };
  const hooks = spec.deref(child(root, 'webhooks'));
  const out: Operation[] = [];
  for (const name of ownKeys(hooks.v)) {
    const item = spec.deref(child(hooks, name));
    for (const method of HTTP_METHODS) {
      const loc = child(item, method);
      if (!isObj(loc.v)) continue;
      const parameters = [...mergedParameters(spec, item, loc).values()];
      out.push({ key: `WEBHOOK ${method.toUpperCase()} ${name}`, itemWhat: `webhook '${name}'`, loc, item, parameters });
    }
  }
  return out;
}

function mediaSchemas(spec: Spec, holder: Loc): Loc[] {
  const content = child(spec.deref(holder), 'content');
  return ownKeys(content.v).map((media) => child(child(content, media), 'schema')).filter((s) => s.v !== undefined);
}

function requestSchemas(spec: Spec, op: Loc): Loc[] {
  return mediaSchemas(spec, child(op, 'requestBody'));
}

function responseSchemas(spec: Spec, op: Loc): Loc[] {
  const responses = child(op, 'responses');
  return ownKeys(responses.v).flatMap((status) => mediaSchemas(spec, child(responses, status)));
}

/** The response headers an operation declares, by name (raw: a `$ref` may carry its own `deprecated`). */
function responseHeaders(spec: Spec, op: Loc): [string, Loc][] {
  const responses = child(op, 'responses');
  return ownKeys(responses.v).flatMap((status) => {
    const headers = child(spec.deref(child(responses, status)), 'headers');
    return ownKeys(headers.v).map((name): [string, Loc] => [name, child(headers, name)]);
  });
}

/** `deprecated` (or `key`) written as something other than a boolean, such as the string "true". */
export function miswrittenDeprecated(node: unknown, key: DeprecatedKey = 'deprecated'): boolean {
  const d = own(node, key);
  return d !== undefined && d !== null && typeof d !== 'boolean';
}

/** The node a `$ref` chain ends at, its siblings not merged in (so it keeps its own identity and line). */
function resolve(spec: Spec, loc: Loc): Loc {
  let cur = loc;
  while (refOf(cur.v) !== undefined) cur = targetOf(spec, cur);
  return cur;
}

/** `$ref` targets by the `$ref` node: a walk meets the same `$ref`s once per operation and body. */
const targets = new WeakMap<Spec, WeakMap<object, Loc>>();

/** The node the `$ref` at `loc` names (one hop), found once per `$ref` node. */
function targetOf(spec: Spec, loc: Loc): Loc {
  let known = targets.get(spec);
  if (!known) targets.set(spec, (known = new WeakMap()));
  const node = loc.v as object;
  let t = known.get(node);
  if (!t) known.set(node, (t = spec.target(loc)));
  return t;
}

const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;

/**
 * Visit each property below `schema`, named by its route (`owner/id`), and each schema reached from
 * the schema of a route through `items`, `additionalProperties` or a composition member: a deprecated
 * component wrapped for `nullable` (`allOf: [$ref]`, `oneOf: [$ref, {type: 'null'}]`) or used as array
 * items is as deprecated as one referenced directly. `via` says how it was reached (' items', " oneOf
 * member 'LegacyCard'", nothing for what marks the route itself: see memberVia). `seen` keeps
 * recursive schemas finite.
 */
function walkProperties(
  spec: Spec,
  s: Loc,
  route: string,
  seen: Set<unknown>,
  marked: (node: unknown) => boolean,
  visit: (loc: Loc, route: string, via: string) => void,
): void {
  if (!isObj(s.v) || seen.has(s.v)) return;
  seen.add(s.v);
  // The target first, then the node's own keywords (a 3.1 `$ref` may have `properties` beside it).
  // Merging siblings into a fresh object would defeat `seen` on a recursive schema.
  if (refOf(s.v) !== undefined) walkProperties(spec, targetOf(spec, s), route, seen, marked, visit);
  const props = child(s, 'properties');
  for (const name of ownKeys(props.v)) {
    const raw = child(props, name);
    const full = route ? `${route}/${name}` : name;
    // A 3.1 `$ref` may carry its own `deprecated` / `x-sunset` beside it; else the target's count.
    visit(marked(raw.v) ? raw : resolve(spec, raw), full, '');
    walkProperties(spec, raw, full, seen, marked, visit);
  }
  subschema(spec, child(s, 'items'), route, seen, marked, visit, ' items');
  subschema(spec, child(s, 'additionalProperties'), route, seen, marked, visit, ' additionalProperties');
  for (const key of SUBSCHEMA_LISTS) {
    const list = child(s, key);
    if (Array.isArray(list.v)) for (let i = 0; i < list.v.length; i++) subschema(spec, child(list, i), route, seen, marked, visit, key, list);
  }
}

/**
 * A schema reached through `items`, `additionalProperties` or a member of `list` (`via` names its
 * keyword then): visited when marked, then walked. A node walked before was visited then (or is the
 * body, which the caller visits).
 */
function subschema(
  spec: Spec,
  loc: Loc,
  route: string,
  seen: Set<unknown>,
  marked: (node: unknown) => boolean,
  visit: (loc: Loc, route: string, via: string) => void,
  via: string,
  list?: Loc,
): void {
  if (!isObj(loc.v) || seen.has(loc.v)) return;
  const target = marked(loc.v) ? loc : resolve(spec, loc);
  if (marked(target.v)) visit(target, route, list ? memberVia(spec, list, via, loc) : via);
  walkProperties(spec, loc, route, seen, marked, visit);
}

/**
 * How a composition member is reached. Every member of `allOf` applies, so one marked deprecated marks
 * the schema itself (`allOf: [$ref, {deprecated: true}]`), as does the one member (null aside) of a
 * `oneOf`/`anyOf` wrapper (3.1's nullable `$ref`): nothing is added to the name. Of several
 * alternatives only the one marked is: `" oneOf member 'LegacyCard'"`.
 */
function memberVia(spec: Spec, list: Loc, keyword: string, member: Loc): string {
  if (keyword === 'allOf') return '';
  const members = list.v as unknown[];
  let alternatives = 0;
  for (let i = 0; i < members.length; i++) if (!isNullSchema(resolve(spec, child(list, i)).v)) alternatives++;
  return alternatives === 1 ? '' : ` ${keyword} member ${memberName(spec, member)}`;
}

/** A composition member as messages name it: its component (`'LegacyCard'`), its title, else its place in the list (`#2`). */
function memberName(spec: Spec, m: Loc): string {
  const last = refOf(m.v)?.split('/').pop();
  if (last) return `'${last.replace(/~1/g, '/').replace(/~0/g, '~')}'`;
  const title = own(resolve(spec, m).v, 'title');
  return typeof title === 'string' && title ? `'${title}'` : `#${Number(m.path[m.path.length - 1]) + 1}`;
}

function isNullSchema(v: unknown): boolean {
  const t = own(v, 'type');
  return t === 'null' || (Array.isArray(t) && t.length === 1 && t[0] === 'null');
}
