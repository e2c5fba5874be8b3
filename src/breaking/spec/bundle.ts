import { isDataKey, refOf, type Spec } from './load.js';
import { escapePointer, isObj, type Loc } from './loc.js';

/** Where targets in other files are put in the bundled document. */
export const BUNDLED = 'x-bundled';

/**
 * One self-contained document from a spec spread over files: each `$ref` into another file is
 * pointed at a copy of its target kept once under `#/x-bundled/<n>`, and `$ref`s inside the copies
 * are rewritten the same way, so cycles across files stay cycles. References within the root file
 * are left as written; data (examples, defaults, extensions) is copied as it is.
 */
export function bundleSpec(spec: Spec): Record<string, unknown> {
  const hoisted: Record<string, unknown> = {};
  const names = new Map<string, string>();
  const copy = (v: unknown, doc: Loc['doc'], path: string[], key: string): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => copy(x, doc, [...path, String(i)], key));
    if (!isObj(v)) return v;
    const ref = refOf(v);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = v[k];
      out[k] = k === '$ref' || isDataKey(k, key) ? x : copy(x, doc, [...path, k], k);
    }
    if (ref !== undefined) out.$ref = pointerTo(spec.target({ v, doc, path }));
    return out;
  };
  const pointerTo = (target: Loc): string => {
    if (target.doc === spec.root) return target.path.length ? `#/${target.path.map(escapePointer).join('/')}` : '#';
    const id = `${target.doc.id}#/${target.path.join('/')}`;
    let name = names.get(id);
    if (name === undefined) {
      name = String(names.size + 1);
      names.set(id, name);
      hoisted[name] = {};
      hoisted[name] = copy(target.v, target.doc, [...target.path], target.path[target.path.length - 1] ?? '');
    }
    return `#/${BUNDLED}/${name}`;
  };
  const root = copy(spec.root.value, spec.root, [], '') as Record<string, unknown>;
  if (names.size > 0) root[BUNDLED] = hoisted;
  return root;
}
