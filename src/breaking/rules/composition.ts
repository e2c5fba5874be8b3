import type { Emitter, RuleFamily, SchemaPair } from '../context.js';
import { ANNOTATION_KEYWORDS, diffSubschemas, sameSchema } from '../schema-match.js';
import { refOf } from '../spec/load.js';
import { child, isObj, own, ownKeys, type Loc } from '../spec/loc.js';
import { ruleId } from './schema-constraints.js';
import { movedIntoOneOf } from './schema-properties.js';
import { listOfTypesJudged } from './schema-types.js';
import { wrapOf } from './wrap.js';

/**
 * allOf/anyOf/oneOf members added or removed, a concrete object wrapped in a oneOf, and
 * discriminator changes. Members are matched as the walker matches them (diffSubschemas): by
 * `$ref`, then inline members by content, title, or as the one member left on each side. The
 * walker walks inside matched members, so changes within them come from the other families.
 *
 * Ids are `${p.prefix}-…`: `request-body`/`response-body` at the top, `request-property`/
 * `response-property` below; positions with no such rule (parameters, headers) are dropped.
 */
export const compositionFamily: RuleFamily = {
  name: 'composition',
  schema(p, e) {
    if (!isObj(p.base.v) || !isObj(p.rev.v)) return;
    // A body wrapped in a oneOf is reported once as such, instead of as oneOf members added; there
    // is no such rule below the body, where the new members are reported.
    const top = p.prefix === 'request-body' || p.prefix === 'response-body';
    const wrap = wrapOf(p);
    const wrapped = top && !wrap ? wrappedInOneOf(p) : 0;
    if (wrapped) e.emit(`${p.prefix}-wrapped-in-one-of`, `was wrapped in a oneOf of ${wrapped} alternatives`, p.rev, { alternatives: wrapped });
    const listOfTypes = listOfTypesJudged(p);
    const harmless = !listOfTypes && harmlessOneOfAnyOfSwap(p);
    for (const k of KEYWORDS) {
      if (harmless && k.keyword !== 'allOf') continue;
      if (k.keyword === 'oneOf' && wrapped) continue;
      if (wrap && (k.keyword === wrap.baseKeyword || k.keyword === wrap.revKeyword)) continue;
      // oneOf/anyOf lists of plain types are judged by the type rules (`…-list-of-types-…`, nullability).
      if (k.keyword !== 'allOf' && listOfTypes) continue;
      members(p, e, k);
    }
    discriminator(p, e);
  },
};

interface Keyword {
  keyword: 'allOf' | 'anyOf' | 'oneOf';
  /** Rule-id fragment: `all-of`. */
  id: string;
  /** Members that only annotate get their own informational ids (allOf only: they change nothing). */
  annotationOnly: boolean;
}

const KEYWORDS: readonly Keyword[] = [
  { keyword: 'allOf', id: 'all-of', annotationOnly: true },
  { keyword: 'anyOf', id: 'any-of', annotationOnly: false },
  { keyword: 'oneOf', id: 'one-of', annotationOnly: false },
];

function members(p: SchemaPair, e: Emitter, k: Keyword): void {
  const d = diffSubschemas(p.base, p.rev, k.keyword, p.deref, p.deref);
  for (const [dir, side, indexes] of [
    ['added', p.rev, d.added],
    ['removed', p.base, d.deleted],
  ] as const) {
    if (indexes.length === 0) continue;
    const list = child(side, k.keyword);
    const locs = indexes.map((i) => child(list, i));
    const annot = k.annotationOnly ? locs.filter((l) => isAnnotationOnly(p.deref(l))) : [];
    const real = locs.filter((l) => !annot.includes(l));
    for (const [group, suffix] of [
      [real, ''],
      [annot, '-annotation-only'],
    ] as const) {
      if (group.length === 0) continue;
      const id = ruleId(p, `${k.id}-${dir}${suffix}`);
      if (!id) continue;
      const names = group.map((l) => memberName(l));
      const what = suffix ? ` (annotations only)` : '';
      e.emit(id, `${k.keyword} ${dir === 'added' ? 'gained' : 'lost'} ${names.join(', ')}${what}`, group[0], {
        [dir]: names,
      });
    }
  }
}

/** `#/components/schemas/Dog`, `subschema #2: Title` or `subschema #2`, as oasdiff names members. */
function memberName(loc: Loc): string {
  const ref = refOf(loc.v);
  if (ref !== undefined) return ref;
  const n = Number(loc.path[loc.path.length - 1]) + 1;
  const title = own(loc.v, 'title');
  return typeof title === 'string' && title ? `subschema #${n}: ${title}` : `subschema #${n}`;
}

/**
 * The same members moved between oneOf and anyOf in the direction no client notices: a request's
 * oneOf made anyOf (it accepts more: also values matching several members) or a response's anyOf
 * made oneOf (it sends less). The other directions are still reported as members lost and gained.
 */
function harmlessOneOfAnyOfSwap(p: SchemaPair): boolean {
  const from = p.place.side === 'request' ? 'oneOf' : 'anyOf';
  const to = from === 'oneOf' ? 'anyOf' : 'oneOf';
  const b = own(p.base.v, from);
  const r = own(p.rev.v, to);
  if (!Array.isArray(b) || !Array.isArray(r) || b.length !== r.length || own(p.base.v, to) !== undefined || own(p.rev.v, from) !== undefined) return false;
  const used = new Set<number>();
  for (let i = 0; i < b.length; i++) {
    const bi = child(child(p.base, from), i);
    const j = r.findIndex((_, jj) => !used.has(jj) && sameSchema(bi, child(child(p.rev, to), jj), p.deref, p.deref, true));
    if (j < 0) return false;
    used.add(j);
  }
  return true;
}

function isAnnotationOnly(loc: Loc): boolean {
  return isObj(loc.v) && ownKeys(loc.v).every((key) => ANNOTATION_KEYWORDS.has(key));
}

/** The number of alternatives when the body was wrapped in a oneOf (see movedIntoOneOf); else 0. */
function wrappedInOneOf(p: SchemaPair): number {
  const alts = own(p.rev.v, 'oneOf');
  return Array.isArray(alts) && movedIntoOneOf(p).size > 0 ? alts.length : 0;
}

function discriminator(p: SchemaPair, e: Emitter): void {
  const bl = child(p.base, 'discriminator');
  const rl = child(p.rev, 'discriminator');
  const b = bl.v;
  const r = rl.v;
  const pre = `${p.prefix}-discriminator`;
  if (!isObj(b) && !isObj(r)) return;
  if (!isObj(b)) {
    e.emit(`${pre}-added`, 'discriminator added', rl);
    return;
  }
  if (!isObj(r)) {
    e.emit(`${pre}-removed`, 'discriminator removed', bl);
    return;
  }
  const bn = own(b, 'propertyName');
  const rn = own(r, 'propertyName');
  if (bn !== rn) {
    e.emit(`${pre}-property-name-changed`, `discriminator property name changed from '${String(bn)}' to '${String(rn)}'`, child(rl, 'propertyName'), {
      from: bn,
      to: rn,
    });
  }
  const bm = own(b, 'mapping');
  const rm = own(r, 'mapping');
  const bk = ownKeys(bm);
  const rk = ownKeys(rm);
  const added = rk.filter((k) => !bk.includes(k));
  const deleted = bk.filter((k) => !rk.includes(k));
  if (added.length) e.emit(`${pre}-mapping-added`, `discriminator mapping gained ${list(added)}`, child(child(rl, 'mapping'), added[0]!), { added });
  if (deleted.length) e.emit(`${pre}-mapping-deleted`, `discriminator mapping lost ${list(deleted)}`, child(child(bl, 'mapping'), deleted[0]!), { deleted });
  for (const k of rk) {
    if (!bk.includes(k)) continue;
    const from = own(bm, k);
    const to = own(rm, k);
    if (from === to) continue;
    e.emit(`${pre}-mapping-changed`, `discriminator mapping '${k}' changed from '${String(from)}' to '${String(to)}'`, child(child(rl, 'mapping'), k), {
      key: k,
      from,
      to,
    });
  }
}

function list(names: string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}
