import type { Emitter, RuleFamily, SchemaPair } from '../context.js';
import { child, isObj, own, ownKeys, type Loc } from '../spec/loc.js';
import { ruleId } from './schema-constraints.js';
import { wrapOf } from './wrap.js';

/**
 * JSON Schema 2020-12 / OpenAPI 3.1 keywords: if/then/else, contains/minContains/maxContains,
 * prefixItems, unevaluated*, dependentRequired/dependentSchemas, propertyNames, patternProperties,
 * contentEncoding/contentMediaType/contentSchema.
 *
 * One table drives every rule. Each row names the keyword, the rule-id stem and how its two
 * sides are compared; the id is `${p.prefix}-${stem}-${change}`, so the same row serves
 * request-body, request-property, response-body and response-property (ids that are not
 * registered, e.g. under request-parameter, are dropped by the emitter). The level, i.e. whether
 * the change breaks clients, comes from the registry: a change that narrows the set of valid
 * instances breaks senders (request side), one that widens it breaks receivers (response side).
 * `narrows` records which change narrows, and goes into the finding's data.
 */
type Kind =
  /** A subschema keyword: added / removed. */
  | 'schema'
  /** A number: increased / decreased. */
  | 'bound'
  /** An array of subschemas by position: added / removed entries. */
  | 'tuple'
  /** A map: entries added / removed (and changed, for string-list values). */
  | 'map'
  /** A string: changed (including set or unset). */
  | 'value';

interface KeywordRow {
  readonly keyword: string;
  /** Rule-id stem after the prefix, e.g. `min-contains`. */
  readonly stem: string;
  readonly kind: Kind;
  /** Which change narrows what the schema accepts (undefined: neither clearly). */
  readonly narrows?: 'added' | 'removed' | 'increased' | 'decreased';
  /** How the keyword is named in messages. */
  readonly what: string;
}

const ROWS: readonly KeywordRow[] = [
  { keyword: 'if', stem: 'if', kind: 'schema', narrows: 'added', what: '`if` subschema' },
  { keyword: 'then', stem: 'then', kind: 'schema', narrows: 'added', what: '`then` subschema' },
  { keyword: 'else', stem: 'else', kind: 'schema', narrows: 'added', what: '`else` subschema' },
  { keyword: 'contains', stem: 'contains', kind: 'schema', narrows: 'added', what: '`contains` subschema' },
  { keyword: 'minContains', stem: 'min-contains', kind: 'bound', narrows: 'increased', what: 'minContains' },
  { keyword: 'maxContains', stem: 'max-contains', kind: 'bound', narrows: 'decreased', what: 'maxContains' },
  { keyword: 'prefixItems', stem: 'prefix-items', kind: 'tuple', narrows: 'added', what: 'prefixItems' },
  { keyword: 'unevaluatedItems', stem: 'unevaluated-items', kind: 'schema', narrows: 'added', what: 'unevaluatedItems' },
  { keyword: 'unevaluatedProperties', stem: 'unevaluated-properties', kind: 'schema', narrows: 'added', what: 'unevaluatedProperties' },
  { keyword: 'propertyNames', stem: 'property-names', kind: 'schema', narrows: 'added', what: 'propertyNames' },
  { keyword: 'contentSchema', stem: 'content-schema', kind: 'schema', narrows: 'added', what: 'contentSchema' },
  { keyword: 'dependentRequired', stem: 'dependent-required', kind: 'map', narrows: 'added', what: 'dependentRequired entry' },
  { keyword: 'dependentSchemas', stem: 'dependent-schema', kind: 'map', narrows: 'added', what: 'dependentSchemas entry' },
  { keyword: 'patternProperties', stem: 'pattern-property', kind: 'map', narrows: 'added', what: 'patternProperties entry' },
  { keyword: 'contentEncoding', stem: 'content-encoding', kind: 'value', what: 'contentEncoding' },
  { keyword: 'contentMediaType', stem: 'content-media-type', kind: 'value', what: 'contentMediaType' },
];

export const keywordsFamily: RuleFamily = {
  name: 'schema-keywords',
  schema(p, e) {
    if (!isObj(p.base.v) || !isObj(p.rev.v) || wrapOf(p)) return;
    for (const row of ROWS) CHECKS[row.kind](p, e, row);
  },
};

type Check = (p: SchemaPair, e: Emitter, row: KeywordRow) => void;

const CHECKS: Record<Kind, Check> = {
  schema(p, e, row) {
    const had = present(own(p.base.v, row.keyword));
    const has = present(own(p.rev.v, row.keyword));
    if (had === has) return;
    const change = has ? 'added' : 'removed';
    const at = has ? child(p.rev, row.keyword) : child(p.base, row.keyword);
    emit(p, e, row, change, `${row.what} ${change}`, at, {});
  },

  bound(p, e, row) {
    const from = own(p.base.v, row.keyword);
    const to = own(p.rev.v, row.keyword);
    if (typeof from !== 'number' || typeof to !== 'number' || from === to) return;
    const change = to > from ? 'increased' : 'decreased';
    emit(p, e, row, change, `${row.what} ${change} from ${from} to ${to}`, child(p.rev, row.keyword), { from, to });
  },

  tuple(p, e, row) {
    const from = listLength(own(p.base.v, row.keyword));
    const to = listLength(own(p.rev.v, row.keyword));
    if (from === to) return;
    const change = to > from ? 'added' : 'removed';
    const n = Math.abs(to - from);
    const at = to > from ? child(p.rev, row.keyword) : child(p.base, row.keyword);
    emit(p, e, row, change, `${n} ${row.what} ${n === 1 ? 'entry' : 'entries'} ${change} (${from} → ${to})`, at, { from, to });
  },

  map(p, e, row) {
    const bm = own(p.base.v, row.keyword);
    const rm = own(p.rev.v, row.keyword);
    const bl = child(p.base, row.keyword);
    const rl = child(p.rev, row.keyword);
    for (const key of ownKeys(rm)) {
      if (!hasOwn(bm, key)) emit(p, e, row, 'added', `${row.what} '${key}' added`, child(rl, key), { key, value: listOf(own(rm, key)) });
    }
    for (const key of ownKeys(bm)) {
      if (!hasOwn(rm, key)) emit(p, e, row, 'removed', `${row.what} '${key}' removed`, child(bl, key), { key, value: listOf(own(bm, key)) });
    }
    for (const key of ownKeys(rm)) {
      if (!hasOwn(bm, key)) continue;
      const from = own(bm, key);
      const to = own(rm, key);
      if (!Array.isArray(from) || !Array.isArray(to)) continue;
      const added = to.filter((x) => !from.includes(x)).map(String);
      const removed = from.filter((x) => !to.includes(x)).map(String);
      if (!added.length && !removed.length) continue;
      const parts = [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : ''].filter(Boolean);
      const id = ruleId(p, `${row.stem}-changed`);
      if (!id) continue;
      e.emit(id, `${row.what} '${key}' changed: ${parts.join('; ')}`, child(rl, key), {
        keyword: row.keyword,
        key,
        from: from.map(String),
        to: to.map(String),
        narrows: added.length > 0,
      });
    }
  },

  value(p, e, row) {
    const from = own(p.base.v, row.keyword);
    const to = own(p.rev.v, row.keyword);
    if (from === to || (from === undefined && to === undefined)) return;
    const show = (v: unknown) => (v === undefined ? 'none' : `'${String(v)}'`);
    const at = to !== undefined ? child(p.rev, row.keyword) : child(p.base, row.keyword);
    const id = ruleId(p, `${row.stem}-changed`);
    if (!id) return;
    e.emit(id, `${row.what} changed from ${show(from)} to ${show(to)}`, at, {
      keyword: row.keyword,
      from: from ?? null,
      to: to ?? null,
    });
  },
};

function emit(p: SchemaPair, e: Emitter, row: KeywordRow, change: string, detail: string, at: Loc, data: Record<string, unknown>): void {
  const id = ruleId(p, `${row.stem}-${change}`);
  if (id) e.emit(id, detail, at, { keyword: row.keyword, ...data, narrows: row.narrows === change });
}

/** Whether a subschema keyword is written (boolean schemas such as `unevaluatedProperties: false` count). */
function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function listLength(v: unknown): number {
  return Array.isArray(v) ? v.length : 0;
}

function listOf(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map(String) : undefined;
}

function hasOwn(o: unknown, key: string): boolean {
  return isObj(o) && Object.prototype.hasOwnProperty.call(o, key);
}
