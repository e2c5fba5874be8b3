import path from 'node:path';
import type { SchemaPair } from '../context.js';
import { ANNOTATION_KEYWORDS, sameSchema } from '../schema-match.js';
import { child, isObj, own, type Loc } from '../spec/loc.js';

/**
 * One version writes a schema plainly and the other wraps it whole: `allOf: [S]` (3.0's way to put
 * `nullable` or a description beside a `$ref`) or `anyOf`/`oneOf: [S, {type: 'null'}]` (3.1's
 * nullable `$ref`), where S is the same schema or the same component (which may have changed too).
 * The wrapping itself changes nothing a client sees apart from nullability, so the schema families
 * compare no properties, bounds or members across such a pair; the walker compares the plain schema
 * with the wrapped member instead.
 */
export interface Wrap {
  /** The version that wraps. */
  readonly side: 'base' | 'rev';
  readonly keyword: 'allOf' | 'anyOf' | 'oneOf';
  /** The wrapper admits null (a `type: 'null'` member or `nullable: true`). */
  readonly nullable: boolean;
  /** The wrapped member (in the wrapping version). */
  readonly member: Loc;
}

const KEYWORDS = ['allOf', 'anyOf', 'oneOf'] as const;
/** Keywords a wrapper may carry beside its list: they describe the wrapped schema, or are judged elsewhere. */
const WRAPPER_EXTRAS = new Set([...ANNOTATION_KEYWORDS, 'nullable', 'deprecated', 'readOnly', 'writeOnly']);

const known = new WeakMap<SchemaPair, Wrap | null>();

export function wrapOf(p: SchemaPair): Wrap | undefined {
  let w = known.get(p);
  if (w === undefined) known.set(p, (w = find(p, p.base, p.rev, 'rev') ?? find(p, p.rev, p.base, 'base') ?? null));
  return w ?? undefined;
}

function find(p: SchemaPair, plain: Loc, wrapper: Loc, side: Wrap['side']): Wrap | undefined {
  if (!isObj(plain.v) || !isObj(wrapper.v) || KEYWORDS.some((k) => own(plain.v, k) !== undefined)) return undefined;
  const used = KEYWORDS.filter((k) => own(wrapper.v, k) !== undefined);
  if (used.length !== 1) return undefined;
  const keyword = used[0]!;
  for (const key of Object.keys(wrapper.v)) {
    if (key === keyword || key.startsWith('x-') || WRAPPER_EXTRAS.has(key)) continue;
    if (key === 'type' && JSON.stringify(own(wrapper.v, 'type')) === JSON.stringify(own(plain.v, 'type'))) continue;
    return undefined;
  }
  const list = child(wrapper, keyword);
  if (!Array.isArray(list.v)) return undefined;
  const members = list.v.map((_, i) => child(list, i));
  const rest = members.filter((m) => !isNullSchema(p.deref(m).v));
  const nullMember = rest.length < members.length;
  if (rest.length !== 1 || (keyword === 'allOf' && nullMember)) return undefined;
  const member = rest[0]!;
  if (!sameComponent(plain, p.deref(member)) && !sameSchema(plain, member, p.deref, p.deref, true)) return undefined;
  return { side, keyword, nullable: nullMember || own(wrapper.v, 'nullable') === true, member };
}

/** Both are the same named schema of their version: the same pointer, or the whole of a file of the same name. */
function sameComponent(a: Loc, b: Loc): boolean {
  if (a.path.length !== b.path.length || !a.path.every((k, i) => b.path[i] === k)) return false;
  return a.path.length > 0 || path.basename(a.doc.name) === path.basename(b.doc.name);
}

function isNullSchema(v: unknown): boolean {
  const t = own(v, 'type');
  return t === 'null' || (Array.isArray(t) && t.length === 1 && t[0] === 'null');
}
