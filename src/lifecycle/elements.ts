/**
 * The parts of a spec that can be deprecated or carry an `x-sunset` date: operations, their
 * parameters, and the properties of their request and response body schemas.
 */
import { hasSunset, isDeprecated } from '../breaking/rules/lifecycle.js';
import { refOf, type Spec } from '../breaking/spec/load.js';
import { child, isObj, own, ownKeys, type Loc } from '../breaking/spec/loc.js';
import { specOperations, type SpecOperation } from '../breaking/spec/operations.js';

export type ElementKind = 'path item' | 'operation' | 'parameter' | 'request property' | 'response property';

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
  /** `deprecated: true`; a path item counts as deprecated when every one of its operations is. */
  deprecated: boolean;
  /** An operation without its own `x-sunset` whose path item has one: that date covers it. */
  pathSunset?: true;
}

export interface SpecElements {
  operations: number;
  elements: Element[];
}

/** Walk every operation of the spec; only elements that are deprecated or have a sunset are kept. */
export function lifecycleElements(spec: Spec): SpecElements {
  const found = new Map<string, Element>();
  const add = (kind: ElementKind, what: string, loc: Loc, op: SpecOperation) => {
    if (!isDeprecated(loc.v) && !hasSunset(loc.v) && !miswrittenDeprecated(loc.v)) return;
    const key = `${kind}\u0000${loc.doc.id}#${loc.path.join('/')}`;
    const known = found.get(key);
    if (known) {
      if (!known.operations.includes(op.key)) known.operations.push(op.key);
      if (kind === 'path item' && !isDeprecated(loc.v)) known.deprecated &&= isDeprecated(op.loc.v);
    } else {
      const deprecated = isDeprecated(loc.v) || (kind === 'path item' && isDeprecated(op.loc.v));
      const pathSunset = kind === 'operation' && !hasSunset(loc.v) && hasSunset(op.item.v) ? { pathSunset: true as const } : {};
      found.set(key, { kind, what, loc, operations: [op.key], op: op.loc, deprecated, ...pathSunset });
    }
  };
  const operations = specOperations(spec);
  for (const op of operations) {
    // `x-sunset` on a path item is the date for all its operations.
    add('path item', `path item '${op.path}'`, op.item, op);
    add('operation', 'operation', op.loc, op);
    for (const p of op.parameters) add('parameter', `${String(own(p.v, 'in'))} parameter '${String(own(p.v, 'name'))}'`, p, op);
    for (const schema of requestSchemas(spec, op.loc)) {
      walkProperties(spec, schema, '', new Set(), (loc, name) => add('request property', `request property '${name}'`, loc, op));
    }
    for (const schema of responseSchemas(spec, op.loc)) {
      walkProperties(spec, schema, '', new Set(), (loc, name) => add('response property', `response property '${name}'`, loc, op));
    }
  }
  return { operations: operations.length, elements: [...found.values()] };
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

/** `deprecated` written as something other than a boolean, such as the string "true". */
export function miswrittenDeprecated(node: unknown): boolean {
  const d = own(node, 'deprecated');
  return d !== undefined && d !== null && typeof d !== 'boolean';
}

/** The node a `$ref` chain ends at, its siblings not merged in (so it keeps its own identity and line). */
function resolve(spec: Spec, loc: Loc): Loc {
  let cur = loc;
  while (refOf(cur.v) !== undefined) cur = spec.target(cur);
  return cur;
}

const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;

/**
 * Visit each property below `schema`, named by its route (`owner/id`). Array items, composition
 * members and additionalProperties add nothing to the route. `seen` keeps recursive schemas finite.
 */
function walkProperties(spec: Spec, s: Loc, route: string, seen: Set<unknown>, visit: (loc: Loc, name: string) => void): void {
  if (!isObj(s.v) || seen.has(s.v)) return;
  seen.add(s.v);
  // The target first, then the node's own keywords (a 3.1 `$ref` may have `properties` beside it).
  // Merging siblings into a fresh object would defeat `seen` on a recursive schema.
  if (refOf(s.v) !== undefined) walkProperties(spec, spec.target(s), route, seen, visit);
  const props = child(s, 'properties');
  for (const name of ownKeys(props.v)) {
    const raw = child(props, name);
    const full = route ? `${route}/${name}` : name;
    // A 3.1 `$ref` may carry its own `deprecated` / `x-sunset` beside it; else the target's count.
    visit(isDeprecated(raw.v) || hasSunset(raw.v) || miswrittenDeprecated(raw.v) ? raw : resolve(spec, raw), full);
    walkProperties(spec, raw, full, seen, visit);
  }
  walkProperties(spec, child(s, 'items'), route, seen, visit);
  walkProperties(spec, child(s, 'additionalProperties'), route, seen, visit);
  for (const key of SUBSCHEMA_LISTS) {
    const list = child(s, key);
    if (Array.isArray(list.v)) list.v.forEach((_, i) => walkProperties(spec, child(list, i), route, seen, visit));
  }
}
