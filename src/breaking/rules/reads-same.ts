// Whether two nodes of base and revision say the same, for rules that must pair elements the walk
// leaves unpaired (a response header renamed only in case, a media type key that only gained a
// charset, a status code replaced by its range).
import type { Scope } from '../context.js';
import { Sameness } from '../same.js';
import type { Spec } from '../spec/load.js';
import { isObj, own, type Loc } from '../spec/loc.js';

const byBase = new WeakMap<Spec, WeakMap<Spec, Sameness>>();

function sameness(s: Scope): Sameness {
  let inner = byBase.get(s.base);
  if (!inner) byBase.set(s.base, (inner = new WeakMap()));
  let same = inner.get(s.rev);
  if (!same) inner.set(s.rev, (same = new Sameness(s.base, s.rev)));
  return same;
}

/**
 * Whether base node `b` and revision node `r` (both dereferenced objects) say the same, `$ref`s
 * followed, apart from the keys in `ignore` (top level only: `description` of a response or header).
 */
export function readsSame(s: Scope, b: Loc, r: Loc, ignore: readonly string[] = []): boolean {
  if (!isObj(b.v) || !isObj(r.v)) return false;
  const keys = new Set([...Object.keys(b.v), ...Object.keys(r.v)].filter((k) => !ignore.includes(k)));
  const same = sameness(s);
  for (const k of keys) {
    const x = own(b.v, k);
    const y = own(r.v, k);
    if (x === undefined || y === undefined) {
      if (x !== y) return false;
      continue;
    }
    if (!same.sameValues(x, y, b, r)) return false;
  }
  return true;
}

/**
 * A media type name in a form that compares equal when two keys name the same type: type, subtype
 * and parameter names lower-cased, blanks and parameter order dropped, and `charset=utf-8` left out
 * on JSON types (JSON text is UTF-8, RFC 8259, so the parameter says nothing).
 */
export function mediaTypeKey(name: string): string {
  const [bare, ...params] = name.split(';').map((x) => x.trim());
  const type = bare!.toLowerCase();
  const json = type === 'application/json' || type.endsWith('+json');
  const kept = params
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const key = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
      let value = eq < 0 ? '' : p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'charset') value = value.toLowerCase();
      return [key, value] as const;
    })
    .filter(([k, v]) => !(json && k === 'charset' && v === 'utf-8'))
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return [type, ...kept].join(';');
}
