/** The operations of a loaded spec: their parameters (path item's merged with the operation's) and effective security. */
import type { Spec } from './load.js';
import { child, isObj, own, ownKeys, type Loc, type Obj } from './loc.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface SpecOperation {
  method: HttpMethod;
  path: string;
  /** `GET /pets/{id}` */
  key: string;
  loc: Loc;
  /** The path item (dereferenced) the operation sits in. */
  item: Loc;
  /** Dereferenced Parameter Objects, as `mergedParameters` gives them. */
  parameters: Loc[];
  /** The operation's `security`, else the root's; undefined when neither has one. */
  security: unknown;
  /** The Security Requirement Objects of `security`. */
  securityAlternatives: Obj[];
  /** `security: []` or an empty alternative: callers may come without credentials. */
  public: boolean;
  /** At least one alternative, and every one names a scheme. */
  protected: boolean;
}

export function specOperations(spec: Spec): SpecOperation[] {
  const root: Loc = { v: spec.root.value, doc: spec.root, path: [] };
  const rootSecurity = own(root.v, 'security');
  const paths = spec.deref(child(root, 'paths'));
  const out: SpecOperation[] = [];
  for (const path of ownKeys(paths.v)) {
    if (!path.startsWith('/')) continue;
    const item = spec.deref(child(paths, path));
    for (const method of HTTP_METHODS) {
      // An operation written as a `$ref` to its own file (DigitalOcean's layout) is read where it points.
      const loc = spec.deref(child(item, method));
      if (!isObj(loc.v)) continue;
      const security = own(loc.v, 'security') ?? rootSecurity;
      const securityAlternatives = Array.isArray(security) ? security.filter(isObj) : [];
      const isPublic = Array.isArray(security) && (security.length === 0 || securityAlternatives.some((a) => ownKeys(a).length === 0));
      out.push({
        method,
        path,
        key: `${method.toUpperCase()} ${path}`,
        loc,
        item,
        parameters: [...mergedParameters(spec, item, loc).values()],
        security,
        securityAlternatives,
        public: isPublic,
        protected: securityAlternatives.length > 0 && !isPublic,
      });
    }
  }
  return out;
}

/**
 * The dereferenced parameters of an operation and its path item, keyed `${in}:${name}` (header
 * names lower-cased, as HTTP compares them); an operation's parameter replaces the path item's.
 */
export function mergedParameters(spec: Spec, item: Loc | undefined, op: Loc): Map<string, Loc> {
  const out = new Map<string, Loc>();
  for (const holder of [item, op]) {
    if (!holder) continue;
    const list = child(holder, 'parameters');
    if (!Array.isArray(list.v)) continue;
    for (let i = 0; i < list.v.length; i++) {
      const p = spec.deref(child(list, i));
      const where = own(p.v, 'in');
      const name = own(p.v, 'name');
      if (typeof where !== 'string' || typeof name !== 'string') continue;
      out.set(`${where}:${where === 'header' ? name.toLowerCase() : name}`, p);
    }
  }
  return out;
}

/** A parameter's schema: its `schema`, or the schema of its one `content` entry (JSON in a query string). */
export function parameterSchema(param: Loc): Loc | undefined {
  const schema = child(param, 'schema');
  if (schema.v !== undefined) return schema;
  const content = child(param, 'content');
  const keys = ownKeys(content.v);
  if (keys.length !== 1) return undefined;
  const inner = child(child(content, keys[0]!), 'schema');
  return inner.v !== undefined ? inner : undefined;
}
