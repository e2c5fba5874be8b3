import type {
  ChangeSink, EngineOptions, HeaderPair, MediaTypePair, Method, OperationPair, ParameterPair, Pair, ResponsePair, RuleFamily, SchemaPlace, Scope,
} from './context.js';
import { METHODS } from './context.js';
import { isRule } from './rules/registry.js';
import { inStabilityScope, SUNSET_KEY } from './rules/lifecycle.js';
import { mediaTypeKey } from './rules/reads-same.js';
import { SchemaWalker } from './schema-walk.js';
import type { Spec } from './spec/load.js';
import { child, isObj, own, ownKeys, type Loc } from './spec/loc.js';
import { mergedParameters, parameterSchema } from './spec/operations.js';

/** `/pets/{petId}` → `/pets/{}` unless parameter names count. */
export function pathKey(path: string, includeParamNames: boolean): string {
  return includeParamNames ? path : path.replace(/\{[^}/]*\}/g, '{}');
}

/**
 * The structural walk: pairs up paths (and 3.1 webhooks), operations, parameters, bodies, responses,
 * headers and schemas of base and revision, and hands each pair to the rule families.
 */
export interface Sinks {
  /** Changes from operation hooks (deduplicated by the engine). */
  hook: ChangeSink;
  /** Changes from schema walks (already deduplicated per top schema). */
  schema: ChangeSink;
}

export function walkSpecs(base: Spec, rev: Spec, families: readonly RuleFamily[], scope: Scope, opts: EngineOptions, sinks: Sinks): void {
  for (const f of families) f.spec?.(scope);
  const schemas = new SchemaWalker(families, scope, base, rev);
  walkPaths(pathsOf(base, opts), pathsOf(rev, opts), families, scope, schemas, base, rev, sinks);
  // Webhooks (OpenAPI 3.1) kept in both versions are compared like paths named `webhook:NAME`, as oasdiff
  // does; a webhook added or removed as a whole is the paths family's webhook-added/removed.
  const bw = webhooksOf(base, opts);
  const rw = webhooksOf(rev, opts);
  for (const key of [...bw.keys()]) if (!rw.has(key)) bw.delete(key);
  for (const key of [...rw.keys()]) if (!bw.has(key)) rw.delete(key);
  if (bw.size > 0) walkPaths(bw, rw, families, scope, schemas, base, rev, sinks);
}

/** A path as written and its (dereferenced) path item. */
interface PathEntry {
  path: string;
  item: Loc;
}

function walkPaths(basePaths: Map<string, PathEntry[]>, revPaths: Map<string, PathEntry[]>, families: readonly RuleFamily[], scope: Scope, schemas: SchemaWalker, base: Spec, rev: Spec, sinks: Sinks): void {
  const keys = new Set([...basePaths.keys(), ...revPaths.keys()]);
  for (const key of keys) {
    const bl = basePaths.get(key);
    const rl = revPaths.get(key);
    for (const method of METHODS) {
      // Paths that differ only in parameter names are one endpoint; a spec may still split its methods
      // over both spellings (`GET /pets/{id}`, `DELETE /pets/{petId}`): each method is read where it is.
      const b = withMethod(bl, method);
      const r = withMethod(rl, method);
      if (!b && !r) continue;
      const path = (b ?? r)!.path;
      const revItem = r ?? rl?.[0];
      const op: OperationPair = {
        method,
        path,
        basePath: b?.path,
        revPath: r?.path,
        base: b ? base.deref(child(b.item, method)) : undefined,
        rev: r ? rev.deref(child(r.item, method)) : undefined,
        basePathItem: b?.item ?? bl?.[0]?.item,
        revPathItem: revItem?.item,
        operation: `${method.toUpperCase()} ${path}`,
      };
      walkOperation(op, families, scope, schemas, base, rev, sinks);
    }
  }
}

/** The entry whose path item has an operation for `method`. */
function withMethod(list: PathEntry[] | undefined, method: Method): PathEntry | undefined {
  return list?.find((e) => isObj(own(e.item.v, method)));
}

function pathsOf(spec: Spec, opts: EngineOptions): Map<string, PathEntry[]> {
  const out = new Map<string, PathEntry[]>();
  const root: Loc = { v: spec.root.value, doc: spec.root, path: [] };
  const paths = child(root, 'paths');
  for (const p of ownKeys(paths.v)) {
    if (opts.matchPath && !opts.matchPath.test(p)) continue;
    if (opts.unmatchPath && opts.unmatchPath.test(p)) continue;
    const item = spec.deref(child(paths, p));
    if (!isObj(item.v)) continue;
    const key = pathKey(p, opts.includePathParams ?? false);
    const list = out.get(key);
    if (list) list.push({ path: p, item });
    else out.set(key, [{ path: p, item }]);
  }
  return out;
}

/** The webhooks of a 3.1 spec as paths named `webhook:NAME`. */
function webhooksOf(spec: Spec, opts: EngineOptions): Map<string, PathEntry[]> {
  const out = new Map<string, PathEntry[]>();
  const root: Loc = { v: spec.root.value, doc: spec.root, path: [] };
  const hooks = child(root, 'webhooks');
  for (const name of ownKeys(hooks.v)) {
    const p = `webhook:${name}`;
    if (opts.matchPath && !opts.matchPath.test(p)) continue;
    if (opts.unmatchPath && opts.unmatchPath.test(p)) continue;
    const item = spec.deref(child(hooks, name));
    if (isObj(item.v)) out.set(p, [{ path: p, item }]);
  }
  return out;
}

/** The path item's `x-sunset`, which dates an operation that has none of its own (see rules/lifecycle.ts), reads the same. */
function samePathItemSunset(op: OperationPair): boolean {
  return JSON.stringify(own(op.basePathItem?.v, SUNSET_KEY)) === JSON.stringify(own(op.revPathItem?.v, SUNSET_KEY));
}

function walkOperation(op: OperationPair, families: readonly RuleFamily[], specScope: Scope, schemas: SchemaWalker, base: Spec, rev: Spec, sinks: Sinks): void {
  const emit = sinks.schema;
  const scope: Scope = {
    ...specScope,
    emit(id, message, at, data) {
      if (!isRule(id)) throw new Error(`internal: unknown rule id '${id}'`);
      sinks.hook(id, message, at, op.operation, data);
    },
  };
  // An operation that reads the same in both versions (with its path item's parameters) has nothing
  // to report; most of a new version is such operations.
  if (op.base && op.rev && schemas.same(op.base, op.rev) && sameParameters(op, schemas) && samePathItemSunset(op)) return;
  // Draft and alpha operations are out of scope for most checks (oasdiff's default threshold).
  const inScope = inStabilityScope(op);
  for (const f of families) if (inScope || f.allStabilities) f.operation?.(op, scope);
  if (!op.base || !op.rev || !inScope) return;

  for (const pp of parameterPairs(op, base, rev)) {
    // A parameter that reads the same in both versions has nothing to report (a changed operation
    // usually keeps most of its parameters, and path-level ones repeat on every operation of the path).
    if (pp.base && pp.rev && schemas.same(pp.base, pp.rev)) continue;
    for (const f of families) f.parameter?.(pp, scope);
    if (pp.base && pp.rev) {
      const bs = parameterSchema(pp.base);
      const rs = parameterSchema(pp.rev);
      if (bs && rs) {
        const place: SchemaPlace = { side: 'request', holder: 'parameter', op, holderName: pp.in, param: pp };
        const named = `${pp.in} parameter '${pp.name}'`;
        schemas.walkTop(bs, rs, place, emit, (rel) => (!rel ? named : rel === 'items' ? `${named} items` : `${named} property '${rel}'`));
      }
    }
  }

  const rbB = derefChild(op.base, 'requestBody', base);
  const rbR = derefChild(op.rev, 'requestBody', rev);
  const rb: Pair & { op: OperationPair } = { op, base: isObj(rbB?.v) ? rbB : undefined, rev: isObj(rbR?.v) ? rbR : undefined };
  if ((rb.base || rb.rev) && !(rb.base && rb.rev && schemas.same(rb.base, rb.rev))) {
    for (const f of families) f.requestBody?.(rb, scope);
    if (rb.base && rb.rev) walkContent(rb.base, rb.rev, op, 'request', undefined, families, scope, schemas, emit);
  }

  const respB = child(op.base, 'responses');
  const respR = child(op.rev, 'responses');
  const codes = new Set([...ownKeys(respB.v), ...ownKeys(respR.v)]);
  for (const status of codes) {
    const b = own(respB.v, status) !== undefined ? base.deref(child(respB, status)) : undefined;
    const r = own(respR.v, status) !== undefined ? rev.deref(child(respR, status)) : undefined;
    if (b && r && schemas.same(b, r)) continue;
    const rp: ResponsePair = { op, status, base: b, rev: r };
    for (const f of families) f.response?.(rp, scope);
    if (!b || !r) continue;
    const hb = child(b, 'headers');
    const hr = child(r, 'headers');
    for (const [baseName, revName] of headerNames(ownKeys(hb.v), ownKeys(hr.v))) {
      const bh = baseName !== undefined ? base.deref(child(hb, baseName)) : undefined;
      const rh = revName !== undefined ? rev.deref(child(hr, revName)) : undefined;
      const name = revName ?? baseName!;
      const hp: HeaderPair = { op, status, name, base: bh, rev: rh };
      for (const f of families) f.header?.(hp, scope);
      if (bh && rh && own(bh.v, 'schema') !== undefined && own(rh.v, 'schema') !== undefined) {
        const place: SchemaPlace = { side: 'response', holder: 'header', op, holderName: name, status };
        schemas.walkTop(child(bh, 'schema'), child(rh, 'schema'), place, emit, (rel) =>
          rel ? `response header '${name}' (${status}) property '${rel}'` : `response header '${name}' (${status})`,
        );
      }
    }
    walkContent(b, r, op, 'response', status, families, scope, schemas, emit);
  }
}

/**
 * Response header names paired as [base name, revision name]; HTTP header names ignore case, so
 * `X-Rate-Limit` and `x-rate-limit` are one header. A name only in one version has undefined beside it.
 */
function headerNames(baseNames: string[], revNames: string[]): [string | undefined, string | undefined][] {
  const byLower = new Map<string, [string | undefined, string | undefined]>();
  for (const n of baseNames) if (!byLower.has(n.toLowerCase())) byLower.set(n.toLowerCase(), [n, undefined]);
  const out: [string | undefined, string | undefined][] = [];
  for (const n of revNames) {
    const pair = byLower.get(n.toLowerCase());
    if (pair && pair[1] === undefined) pair[1] = n;
    else out.push([undefined, n]);
  }
  return [...byLower.values(), ...out];
}

function walkContent(b: Loc, r: Loc, op: OperationPair, side: 'request' | 'response', status: string | undefined, families: readonly RuleFamily[], scope: Scope, schemas: SchemaWalker, emit: ChangeSink): void {
  const cb = child(b, 'content');
  const cr = child(r, 'content');
  for (const [baseKey, mediaType] of mediaTypeKeys(ownKeys(cb.v), ownKeys(cr.v), side === 'response')) {
    const mb = baseKey !== undefined ? child(cb, baseKey) : undefined;
    const mr = own(cr.v, mediaType) !== undefined ? child(cr, mediaType) : undefined;
    const mp: MediaTypePair = { op, mediaType, status, base: mb, rev: mr, ...(mb && baseKey !== mediaType ? { baseMediaType: baseKey } : {}) };
    for (const f of families) f.mediaType?.(mp, scope);
    if (!mb || !mr) continue;
    const sb = child(mb, 'schema');
    const sr = child(mr, 'schema');
    if (sb.v === undefined || sr.v === undefined) continue;
    const place: SchemaPlace = { side, holder: 'body', op, holderName: mediaType, status };
    const where = side === 'request' ? `request body (${mediaType})` : `response body (${status}, ${mediaType})`;
    const noun = side === 'request' ? 'request property' : 'response property';
    schemas.walkTop(sb, sr, place, emit, (rel) => (rel ? `${noun} '${rel}' in ${where}` : where));
  }
}

/**
 * Media-type keys paired as [base key, revision key]: the same key, or keys naming the same media
 * type (`application/json; charset=utf-8`, see mediaTypeKey), on both sides; for responses,
 * also a revision key whose media type contains or is contained by a leftover base key
 * (`application/json` → `application/problem+json`). A key only in the revision comes as
 * [undefined, key]; one only in the base as [key, key] (the revision has no node there).
 */
function mediaTypeKeys(baseKeys: string[], revKeys: string[], pairRenamed: boolean): [string | undefined, string][] {
  const revSet = new Set(revKeys);
  const baseSet = new Set(baseKeys);
  const out: [string | undefined, string][] = [];
  const leftBase = baseKeys.filter((k) => !revSet.has(k));
  const used = new Set<string>();
  for (const k of revKeys) {
    if (baseSet.has(k)) {
      out.push([k, k]);
      continue;
    }
    // The same media type written another way (`application/json; charset=utf-8`) is the same content.
    const named = leftBase.find((bk) => !used.has(bk) && mediaTypeKey(bk) === mediaTypeKey(k));
    const m = named ?? (pairRenamed ? leftBase.find((bk) => !used.has(bk) && (mediaTypeContains(bk, k) || mediaTypeContains(k, bk))) : undefined);
    if (m !== undefined) used.add(m);
    out.push([m, k]);
  }
  for (const bk of leftBase) if (!used.has(bk)) out.push([bk, bk]);
  return out;
}

interface MediaName {
  type: string;
  subtype: string;
  suffixes: string[];
}

function parseMediaName(name: string): MediaName | undefined {
  const bare = name.split(';')[0]!.trim().toLowerCase();
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(bare);
  if (!m) return undefined;
  const [subtype, ...suffixes] = m[2]!.split('+');
  if (!subtype || suffixes.some((x) => !x)) return undefined;
  return { type: m[1]!, subtype, suffixes };
}

/**
 * True when content of media type `narrow` is also valid `wide` content: `application/problem+json`
 * is a kind of `application/json`, `image/png+json+xml` a kind of `image/png+json`; every type is a
 * kind of the full wildcard, and `text/html` a kind of the `text` wildcard.
 */
export function mediaTypeContains(wide: string, narrow: string): boolean {
  const w = parseMediaName(wide);
  const n = parseMediaName(narrow);
  if (!w || !n) return false;
  if (w.type === '*' || (w.subtype === '*' && w.type === n.type)) return !(n.type === w.type && n.subtype === w.subtype);
  if (w.type !== n.type) return false;
  if (w.suffixes.length === 0 && n.suffixes.length > 0 && n.suffixes[n.suffixes.length - 1] === w.subtype) return true;
  if (w.subtype !== n.subtype || n.suffixes.length < w.suffixes.length) return false;
  return w.suffixes.every((x, i) => n.suffixes[i] === x);
}

function sameParameters(op: OperationPair, schemas: SchemaWalker): boolean {
  const b = op.basePathItem ? child(op.basePathItem, 'parameters') : undefined;
  const r = op.revPathItem ? child(op.revPathItem, 'parameters') : undefined;
  if (b?.v === undefined && r?.v === undefined) return true;
  return !!b && !!r && schemas.same(b, r);
}

function derefChild(loc: Loc, key: string, spec: Spec): Loc | undefined {
  const c = child(loc, key);
  return c.v === undefined ? undefined : spec.deref(c);
}

/**
 * Operation parameters merged with the path item's (the operation's win), matched by `in` + name; path
 * parameters of a matched path by their place in the template, since paths match ignoring parameter
 * names (`/users/{id}/posts/{postId}` → `/users/{userId}/posts/{id}`: `id` became `userId`).
 */
function parameterPairs(op: OperationPair, base: Spec, rev: Spec): ParameterPair[] {
  const bl = mergedParameters(base, op.basePathItem, op.base!);
  const rl = mergedParameters(rev, op.revPathItem, op.rev!);
  const out: ParameterPair[] = [];
  const usedRev = new Set<string>();
  const baseOrder = pathParamOrder(op.basePath ?? op.path);
  const revOrder = pathParamOrder(op.revPath ?? op.path);
  // Path parameters named in both templates, by position.
  const byPlace = new Map<string, string>();
  baseOrder.forEach((name, i) => {
    const renamed = revOrder[i];
    if (renamed === undefined || !bl.has(`path:${name}`) || !rl.has(`path:${renamed}`) || usedRev.has(`path:${renamed}`)) return;
    byPlace.set(`path:${name}`, `path:${renamed}`);
    usedRev.add(`path:${renamed}`);
  });
  for (const [key, b] of bl) {
    let rkey: string | undefined = byPlace.get(key);
    if (rkey === undefined && rl.has(key) && !usedRev.has(key)) rkey = key;
    const r = rkey !== undefined ? rl.get(rkey) : undefined;
    if (rkey !== undefined) usedRev.add(rkey);
    out.push({ op, in: String(own(b.v, 'in')), name: String(own(r?.v ?? b.v, 'name')), base: b, rev: r });
  }
  for (const [key, r] of rl) {
    if (!usedRev.has(key)) out.push({ op, in: String(own(r.v, 'in')), name: String(own(r.v, 'name')), rev: r });
  }
  return out;
}

/** Names of a path template's parameters in order (a plain scan: matchAll builds a new RegExp per call). */
function pathParamOrder(path: string): string[] {
  const out: string[] = [];
  for (let open = path.indexOf('{'); open >= 0; ) {
    const close = path.indexOf('}', open);
    if (close < 0) break;
    const name = path.slice(open + 1, close);
    if (name.includes('/')) open = path.indexOf('{', open + 1);
    else {
      out.push(name);
      open = path.indexOf('{', close + 1);
    }
  }
  return out;
}

export type { Method };
