import type { OperationPair, RuleFamily, Scope } from '../context.js';
import type { Spec } from '../spec/load.js';
import { child, isObj, own, ownKeys, type Loc } from '../spec/loc.js';
import { readsSame } from './reads-same.js';

/**
 * Security: the document-wide requirement list (`api-global-security-*`), each operation's own list
 * (`api-security-*`) and the schemes in `components.securitySchemes` (`api-security-component-*`).
 *
 * A requirement list is an OR of alternatives; each alternative ANDs its schemes, each with AND-ed
 * scopes. Alternatives have no identity of their own, so they are matched as whole units first; a
 * leftover is read as a scope change only when exactly one leftover on each side has the same set of
 * scheme names; everything else is an alternative added or removed.
 */
export const securityFamily: RuleFamily = {
  name: 'security',

  spec(s: Scope) {
    const base = rootLoc(s.base);
    const rev = rootLoc(s.rev);
    diffRequirements(child(base, 'security'), child(rev, 'security'), s, {
      added: 'api-global-security-added',
      removed: 'api-global-security-removed',
      scopeAdded: 'api-global-security-scope-added',
      scopeRemoved: 'api-global-security-scope-removed',
      where: 'the document-wide security',
    });
    diffSchemes(s.base.deref(child(child(base, 'components'), 'securitySchemes')), s.rev.deref(child(child(rev, 'components'), 'securitySchemes')), s);
  },

  operation(op: OperationPair, s: Scope) {
    if (!op.base || !op.rev) return;
    const ownB = own(op.base.v, 'security') !== undefined;
    const ownR = own(op.rev.v, 'security') !== undefined;
    // Neither declares its own list: both follow the document-wide one, whose changes are reported once there.
    if (!ownB && !ownR) return;
    // One version declares its own list, the other inherits the document's: compare what applies to the
    // operation, so a requirement moved from the document onto it is no change and dropping a `security: []`
    // override makes the document's requirements new to it. A finding about an inherited requirement points
    // at the operation of that version (its own list there is what was added or dropped).
    diffRequirements(ownB ? child(op.base, 'security') : child(rootLoc(s.base), 'security'), ownR ? child(op.rev, 'security') : child(rootLoc(s.rev), 'security'), s, {
      added: 'api-security-added',
      removed: 'api-security-removed',
      scopeAdded: 'api-security-scope-added',
      scopeRemoved: 'api-security-scope-removed',
      where: `the security of ${op.operation}`,
      ...(ownB ? {} : { baseInherited: op.base }),
      ...(ownR ? {} : { revInherited: op.rev }),
    });
  },
};

function rootLoc(spec: Spec): Loc {
  return { v: spec.root.value, doc: spec.root, path: [] };
}

interface RequirementIds {
  added: string;
  removed: string;
  scopeAdded: string;
  scopeRemoved: string;
  where: string;
  /** Set when the base's list is the document-wide one the operation inherits: the operation, where findings about it point. */
  baseInherited?: Loc;
  /** The same for the revision. */
  revInherited?: Loc;
}

/** One security requirement object: scheme name → scopes. */
interface Alternative {
  loc: Loc;
  /** Keyed by the scheme's name in the revision (a base scheme renamed with the same definition goes by its new name). */
  schemes: Map<string, string[]>;
  /** Those names → the names as written in this alternative. */
  written: Map<string, string>;
  /** Sorted scheme names joined: the identity used for matching by scheme set. */
  names: string;
}

function alternatives(list: Loc, renames?: ReadonlyMap<string, string>): Alternative[] {
  if (!Array.isArray(list.v)) return [];
  const out: Alternative[] = [];
  for (let i = 0; i < list.v.length; i++) {
    const loc = child(list, i);
    if (!isObj(loc.v)) continue;
    const schemes = new Map<string, string[]>();
    const written = new Map<string, string>();
    for (const name of ownKeys(loc.v)) {
      const scopes = own(loc.v, name);
      const key = renames?.get(name) ?? name;
      schemes.set(key, Array.isArray(scopes) ? scopes.filter((x): x is string => typeof x === 'string') : []);
      written.set(key, name);
    }
    out.push({ loc, schemes, written, names: [...schemes.keys()].sort().join('\u0000') });
  }
  return out;
}

/** `petstore_auth: [read, write] AND api_key`; empty for the anonymous alternative `{}`. */
export function describeAlternative(a: Alternative): string {
  return [...a.schemes.keys()]
    .map((name) => [a.written.get(name) ?? name, name] as const)
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map(([shown, name]) => {
      const scopes = [...a.schemes.get(name)!].sort();
      return scopes.length ? `${shown}: [${scopes.join(', ')}]` : shown;
    })
    .join(' AND ');
}

const renamesBySpecs = new WeakMap<Spec, WeakMap<Spec, Map<string, string>>>();

/**
 * Schemes renamed with the same definition: base name → revision name, for a base scheme missing from
 * the revision whose definition (descriptions aside) matches exactly one revision scheme missing from
 * the base, and the other way round. A requirement naming it is the same requirement: the scheme's
 * name never goes on the wire (the components' change is still reported, as removed and added).
 */
function schemeRenames(s: Scope): Map<string, string> {
  let inner = renamesBySpecs.get(s.base);
  if (!inner) renamesBySpecs.set(s.base, (inner = new WeakMap()));
  let out = inner.get(s.rev);
  if (out) return out;
  out = new Map();
  inner.set(s.rev, out);
  const bs = s.base.deref(child(child(rootLoc(s.base), 'components'), 'securitySchemes'));
  const rs = s.rev.deref(child(child(rootLoc(s.rev), 'components'), 'securitySchemes'));
  const gone = ownKeys(bs.v).filter((n) => own(rs.v, n) === undefined);
  const fresh = ownKeys(rs.v).filter((n) => own(bs.v, n) === undefined);
  if (gone.length === 0 || fresh.length === 0) return out;
  const same = (b: string, r: string) => readsSame(s, s.base.deref(child(bs, b)), s.rev.deref(child(rs, r)), ['description']);
  for (const b of gone) {
    const matches = fresh.filter((r) => same(b, r));
    if (matches.length !== 1) continue;
    const r = matches[0]!;
    if (gone.filter((other) => same(other, r)).length === 1) out.set(b, r);
  }
  return out;
}

function sameScopes(a: Alternative, b: Alternative): boolean {
  for (const [name, scopes] of a.schemes) {
    const other = b.schemes.get(name);
    if (!other) return false;
    const x = new Set(scopes);
    const y = new Set(other);
    if (x.size !== y.size || [...x].some((v) => !y.has(v))) return false;
  }
  return true;
}

function diffRequirements(baseList: Loc, revList: Loc, s: Scope, ids: RequirementIds): void {
  const base = alternatives(baseList, schemeRenames(s));
  const rev = alternatives(revList);
  const usedB = new Set<number>();
  const usedR = new Set<number>();
  // 1. identical alternatives cancel out.
  base.forEach((b, i) => {
    const j = rev.findIndex((r, jj) => !usedR.has(jj) && r.names === b.names && sameScopes(b, r));
    if (j >= 0) {
      usedB.add(i);
      usedR.add(j);
    }
  });
  // 2. a leftover whose scheme set is unique on both sides: a scope change.
  const leftWith = (list: Alternative[], used: Set<number>, names: string) => list.map((a, k) => [a, k] as const).filter(([a, k]) => !used.has(k) && a.names === names);
  base.forEach((b, i) => {
    if (usedB.has(i)) return;
    const lb = leftWith(base, usedB, b.names);
    const lr = leftWith(rev, usedR, b.names);
    if (lb.length !== 1 || lr.length !== 1) return;
    const [r, j] = lr[0]!;
    usedB.add(i);
    usedR.add(j);
    for (const [name, scopes] of r.schemes) {
      const before = new Set(b.schemes.get(name) ?? []);
      const after = new Set(scopes);
      const schemeLoc = child(r.loc, name);
      scopes.forEach((scope, k) => {
        if (!before.has(scope)) {
          s.emit(ids.scopeAdded, `scope '${scope}' of security scheme '${name}' added to ${ids.where}${via(ids.revInherited)}`, ids.revInherited ?? child(schemeLoc, k), { scheme: name, scope });
        }
      });
      const baseName = b.written.get(name) ?? name;
      (b.schemes.get(name) ?? []).forEach((scope, k) => {
        if (!after.has(scope)) {
          s.emit(ids.scopeRemoved, `scope '${scope}' of security scheme '${name}' removed from ${ids.where}${via(ids.baseInherited)}`, ids.baseInherited ?? child(child(b.loc, baseName), k), { scheme: name, scope });
        }
      });
    }
  });
  // 3. the rest was removed or added. The anonymous alternative `{}` carries nothing to report.
  base.forEach((b, i) => {
    if (usedB.has(i) || b.schemes.size === 0) return;
    const text = describeAlternative(b);
    s.emit(ids.removed, `security requirement '${text}' removed from ${ids.where}${via(ids.baseInherited)}`, ids.baseInherited ?? b.loc, { requirement: text });
  });
  rev.forEach((r, j) => {
    if (usedR.has(j) || r.schemes.size === 0) return;
    const text = describeAlternative(r);
    s.emit(ids.added, `security requirement '${text}' added to ${ids.where}${via(ids.revInherited)}`, ids.revInherited ?? r.loc, { requirement: text });
  });
}

/** How a finding says that the requirement is the document-wide one, inherited by the operation. */
function via(inherited: Loc | undefined): string {
  return inherited ? ' (inherited from the document-wide security)' : '';
}

const FLOWS = ['implicit', 'password', 'clientCredentials', 'authorizationCode'] as const;

/** Schemes in `components.securitySchemes`: added, removed, type replaced, OAuth flow URLs and scopes changed. */
function diffSchemes(base: Loc, rev: Loc, s: Scope): void {
  const bNames = ownKeys(base.v);
  const rNames = ownKeys(rev.v);
  for (const name of bNames) {
    if (own(rev.v, name) === undefined) {
      s.emit('api-security-component-removed', `security scheme '${name}' removed from components`, child(base, name), { scheme: name });
    }
  }
  for (const name of rNames) {
    if (own(base.v, name) === undefined) {
      s.emit('api-security-component-added', `security scheme '${name}' added to components`, child(rev, name), { scheme: name });
      continue;
    }
    const b = s.base.deref(child(base, name));
    const r = s.rev.deref(child(rev, name));
    const bt = own(b.v, 'type');
    const rt = own(r.v, 'type');
    if (bt !== rt) {
      const at = rt !== undefined ? child(r, 'type') : r;
      s.emit('api-security-component-type-changed', `type of security scheme '${name}' changed from '${String(bt)}' to '${String(rt)}'`, at, { scheme: name, from: bt, to: rt });
    } else credentialsChanged(name, b, r, s);
    diffFlows(name, child(b, 'flows'), child(r, 'flows'), s);
  }
}

/** Where a scheme of the same type carries the credential: an API key's `in` and `name`, an HTTP scheme's `scheme`. */
const CREDENTIAL_KEYS: Record<string, readonly string[]> = { apiKey: ['in', 'name'], http: ['scheme'] };

/** Clients send the credential as the spec said: in another header, query parameter or cookie, or another HTTP scheme, it is refused. */
function credentialsChanged(name: string, b: Loc, r: Loc, s: Scope): void {
  const keys = CREDENTIAL_KEYS[String(own(b.v, 'type'))] ?? [];
  // HTTP auth scheme names are case-insensitive (RFC 9110): `Bearer` and `bearer` are one scheme.
  const read = (v: unknown, k: string) => {
    const x = own(v, k);
    return typeof x === 'string' && (k === 'scheme' || (k === 'name' && own(v, 'in') === 'header')) ? x.toLowerCase() : x;
  };
  const changed = keys.filter((k) => read(b.v, k) !== read(r.v, k));
  if (changed.length === 0) return;
  const was = changed.map((k) => `${k} '${String(own(b.v, k))}'`).join(', ');
  const now = changed.map((k) => `${k} '${String(own(r.v, k))}'`).join(', ');
  const at = own(r.v, changed[0]!) !== undefined ? child(r, changed[0]!) : r;
  s.emit('api-security-component-credentials-changed', `security scheme '${name}' now takes its credential differently: ${was} → ${now}`, at, {
    scheme: name,
    from: Object.fromEntries(changed.map((k) => [k, own(b.v, k)])),
    to: Object.fromEntries(changed.map((k) => [k, own(r.v, k)])),
  });
}

function diffFlows(scheme: string, base: Loc, rev: Loc, s: Scope): void {
  for (const flow of FLOWS) {
    const b = child(base, flow);
    const r = child(rev, flow);
    // A flow dropped leaves its clients without a way to get a token (only when the scheme stays OAuth).
    if (isObj(b.v) && !isObj(r.v) && isObj(rev.v)) {
      s.emit('api-security-component-oauth-flow-removed', `${flow} flow removed from security scheme '${scheme}'`, b, { scheme, flow });
    } else if (!isObj(b.v) && isObj(r.v) && isObj(base.v)) {
      s.emit('api-security-component-oauth-flow-added', `${flow} flow added to security scheme '${scheme}'`, r, { scheme, flow });
    }
    if (!isObj(b.v) || !isObj(r.v)) continue;
    const urls = [
      ['authorizationUrl', 'api-security-component-oauth-url-changed'],
      ['tokenUrl', 'api-security-component-oauth-token-url-changed'],
    ] as const;
    for (const [key, id] of urls) {
      const from = own(b.v, key);
      const to = own(r.v, key);
      if (from === to) continue;
      const at = to !== undefined ? child(r, key) : r;
      s.emit(id, `${key} of the ${flow} flow of security scheme '${scheme}' changed from '${String(from ?? '')}' to '${String(to ?? '')}'`, at, { scheme, flow, from, to });
    }
    const bs = child(b, 'scopes');
    const rs = child(r, 'scopes');
    for (const scope of ownKeys(bs.v)) {
      if (own(rs.v, scope) === undefined) {
        s.emit('api-security-component-oauth-scope-removed', `scope '${scope}' removed from the ${flow} flow of security scheme '${scheme}'`, child(bs, scope), { scheme, flow, scope });
      }
    }
    for (const scope of ownKeys(rs.v)) {
      const from = own(bs.v, scope);
      const to = own(rs.v, scope);
      if (from === undefined) {
        s.emit('api-security-component-oauth-scope-added', `scope '${scope}' added to the ${flow} flow of security scheme '${scheme}'`, child(rs, scope), { scheme, flow, scope });
      } else if (from !== to) {
        s.emit('api-security-component-oauth-scope-changed', `description of scope '${scope}' in the ${flow} flow of security scheme '${scheme}' changed`, child(rs, scope), { scheme, flow, scope, from, to });
      }
    }
  }
}
