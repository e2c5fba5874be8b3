import type { OperationPair, RuleFamily, Scope } from '../context.js';
import { child, isObj, own, ownKeys, type Loc } from '../spec/loc.js';
import { HTTP_METHODS } from '../spec/operations.js';
import { checkRemoval, inStabilityScope, OPERATION_REMOVAL, PATH_REMOVAL } from './lifecycle.js';

/**
 * Endpoints, webhooks and callbacks added or removed (removal judged against deprecation and `x-sunset`),
 * operationId and tag changes, and named schemas dropped from components.
 */

function operationHook(p: OperationPair, s: Scope): void {
  if (!p.base && p.rev) {
    s.emit('endpoint-added', 'endpoint added', p.rev);
    return;
  }
  if (p.base && !p.rev) {
    // Draft and alpha operations (or ones with an unreadable level) may go without notice.
    if (!inStabilityScope(p)) return;
    const wholePath = !p.revPathItem;
    checkRemoval(p.base, wholePath ? PATH_REMOVAL : OPERATION_REMOVAL, wholePath ? `path '${p.basePath ?? p.path}'` : 'endpoint', s, (id, message, at, data) =>
      s.emit(id, message, at, data),
    );
    return;
  }
  if (!p.base || !p.rev || !inStabilityScope(p)) return;
  operationId(p.base, p.rev, s);
  tags(p.base, p.rev, s);
  callbacks(p.base, p.rev, s);
}

/** The operations of an operation's callbacks, keyed `name → expression → method` (each dereferenced). */
function callbackOperations(op: Loc, spec: Scope['base']): Map<string, { loc: Loc; ops: Map<string, Loc> }> {
  const out = new Map<string, { loc: Loc; ops: Map<string, Loc> }>();
  const list = child(op, 'callbacks');
  for (const name of ownKeys(list.v)) {
    const cb = spec.deref(child(list, name));
    const ops = new Map<string, Loc>();
    for (const expression of ownKeys(cb.v)) {
      const item = spec.deref(child(cb, expression));
      for (const method of HTTP_METHODS) {
        if (isObj(own(item.v, method))) ops.set(`${method.toUpperCase()} ${expression}`, child(item, method));
      }
    }
    out.set(name, { loc: child(list, name), ops });
  }
  return out;
}

/**
 * Callbacks added or removed: a subscriber that registered for a callback the revision drops is no
 * longer called. A callback that keeps its name is compared by its operations (method and URL expression).
 */
function callbacks(base: Loc, rev: Loc, s: Scope): void {
  const b = callbackOperations(base, s.base);
  const r = callbackOperations(rev, s.rev);
  for (const [name, cb] of b) {
    const kept = r.get(name);
    if (!kept) {
      s.emit('callback-removed', `callback '${name}' removed`, cb.loc, { callback: name });
      continue;
    }
    for (const [key, at] of cb.ops) {
      if (!kept.ops.has(key)) s.emit('callback-removed', `operation ${key} of callback '${name}' removed`, at, { callback: name, operation: key });
    }
    for (const [key, at] of kept.ops) {
      if (!cb.ops.has(key)) s.emit('callback-added', `operation ${key} added to callback '${name}'`, at, { callback: name, operation: key });
    }
  }
  for (const [name, cb] of r) {
    if (!b.has(name)) s.emit('callback-added', `callback '${name}' added`, cb.loc, { callback: name });
  }
}

function operationId(base: Loc, rev: Loc, s: Scope): void {
  const b = own(base.v, 'operationId');
  const r = own(rev.v, 'operationId');
  const bs = typeof b === 'string' ? b : '';
  const rs = typeof r === 'string' ? r : '';
  if (bs === rs) return;
  if (bs === '') {
    s.emit('api-operation-id-added', `operationId '${rs}' added`, child(rev, 'operationId'), { to: rs });
  } else if (rs === '') {
    s.emit('api-operation-id-removed', `operationId '${bs}' removed`, child(base, 'operationId'), { from: bs });
  } else {
    s.emit('api-operation-id-removed', `operationId changed from '${bs}' to '${rs}'`, child(rev, 'operationId'), { from: bs, to: rs });
  }
}

function tagList(loc: Loc): string[] {
  const v = own(loc.v, 'tags');
  return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
}

function tags(base: Loc, rev: Loc, s: Scope): void {
  const bt = tagList(base);
  const rt = tagList(rev);
  for (const t of bt) {
    if (!rt.includes(t)) s.emit('api-tag-removed', `tag '${t}' removed`, tagLoc(base, t), { tag: t });
  }
  for (const t of rt) {
    if (!bt.includes(t)) s.emit('api-tag-added', `tag '${t}' added`, tagLoc(rev, t), { tag: t });
  }
}

function tagLoc(op: Loc, tag: string): Loc {
  const list = child(op, 'tags');
  const i = (list.v as unknown[]).indexOf(tag);
  return child(list, i);
}

function rootOf(spec: Scope['base']): Loc {
  return { v: spec.root.value, doc: spec.root, path: [] };
}

function specHook(s: Scope): void {
  const base = rootOf(s.base);
  const rev = rootOf(s.rev);

  // Webhooks (OpenAPI 3.1), by name.
  const bw = child(base, 'webhooks');
  const rw = child(rev, 'webhooks');
  for (const name of ownKeys(rw.v)) {
    if (!isObj(bw.v) || own(bw.v, name) === undefined) s.emit('webhook-added', `webhook '${name}' added`, child(rw, name), { webhook: name });
  }
  for (const name of ownKeys(bw.v)) {
    if (!isObj(rw.v) || own(rw.v, name) === undefined) s.emit('webhook-removed', `webhook '${name}' removed`, child(bw, name), { webhook: name });
  }

  // Named schemas dropped from components.
  const bs = child(child(base, 'components'), 'schemas');
  const rs = child(child(rev, 'components'), 'schemas');
  for (const name of ownKeys(bs.v)) {
    if (own(rs.v, name) === undefined) s.emit('api-schema-removed', `schema '${name}' removed from components`, child(bs, name), { schema: name });
  }
}

export const pathsFamily: RuleFamily = {
  name: 'paths',
  allStabilities: true,
  spec: specHook,
  operation: operationHook,
};
