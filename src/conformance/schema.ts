/**
 * OpenAPI schemas as plain JSON Schema, for ajv and for the case generator. Every `$ref` target
 * becomes one entry of a shared `$defs` bank (so recursive schemas stay finite), and OpenAPI 3.0's
 * dialect is rewritten: `nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`, and the
 * keywords JSON Schema does not know. `readOnly` properties are not required in requests and
 * `writeOnly` ones not in responses, as the OpenAPI specification says.
 */
import type { Spec } from '../breaking/spec/load.js';
import { refOf } from '../breaking/spec/load.js';
import { child, isObj, locId, own, ownKeys, unescapePointer, type Loc, type Obj } from '../breaking/spec/loc.js';

export type JsonSchema = Obj | boolean;

/**
 * Added next to `writeOnly: true` in response schemas: the validator fails a value that is there
 * (a writeOnly property the API sent back), wherever the schema applies.
 */
export const WRITE_ONLY_KEYWORD = 'x-conformance-write-only';
export type Direction = 'request' | 'response';

/** Keywords whose value is one schema. */
const ONE = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems'];
/** Keywords whose value is a list of schemas. */
const LIST = ['allOf', 'oneOf', 'anyOf', 'prefixItems'];
/** Keywords whose value maps names to schemas. */
const MAP = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'];
/** OpenAPI-only or identity keywords that would confuse a JSON Schema validator. */
const DROP = new Set(['discriminator', 'xml', 'externalDocs', 'example', '$schema', '$id', '$anchor', '$dynamicAnchor', '$comment']);

export class SchemaBank {
  readonly defs: Record<string, JsonSchema> = Object.create(null);
  /** Where each bank entry comes from, for messages. */
  readonly sources = new Map<string, Loc>();
  private readonly names = new Map<string, string>();

  constructor(
    private readonly spec: Spec,
    readonly direction: Direction,
    /** Absolute id the bank is registered under in ajv; refs point into it. */
    readonly id = `urn:conformance:${direction}`,
  ) {}

  get openapi30(): boolean {
    return this.spec.version !== '3.1';
  }

  private readonly converted = new Map<string, JsonSchema>();

  /** Convert the schema at `loc` (following `$ref`s into the bank); the same location gives the same object. */
  convert(loc: Loc): JsonSchema {
    const key = locId(loc);
    let s = this.converted.get(key);
    if (s === undefined) {
      s = this.node(loc);
      this.converted.set(key, s);
    }
    return s;
  }

  /** A `{ $ref }` to one bank entry. */
  refTo(name: string): JsonSchema {
    return { $ref: `${this.id}#/$defs/${encodeURIComponent(name)}` };
  }

  /** The bank entry a `{ $ref }` produced by this bank points at. */
  resolve(ref: string): JsonSchema | undefined {
    const prefix = `${this.id}#/$defs/`;
    return ref.startsWith(prefix) ? this.defs[decodeURIComponent(ref.slice(prefix.length))] : undefined;
  }

  /** The bank as one schema document for ajv. */
  document(): Obj {
    return { $id: this.id, $defs: this.defs };
  }

  private node(loc: Loc): JsonSchema {
    const v = loc.v;
    if (typeof v === 'boolean') return v;
    if (!isObj(v)) return {};
    if (refOf(v) !== undefined) {
      const target = this.spec.deref(loc);
      const key = locId(target);
      let name = this.names.get(key);
      if (!name) {
        name = this.freshName(target.path);
        this.names.set(key, name);
        this.sources.set(name, target);
        this.defs[name] = {};
        this.defs[name] = this.plain(target);
      }
      return { $ref: `${this.id}#/$defs/${encodeURIComponent(name)}` };
    }
    return this.plain(loc);
  }

  private freshName(path: readonly string[]): string {
    const base = (path[path.length - 1] ?? 'schema').replace(/[^A-Za-z0-9_.-]/g, '_') || 'schema';
    let name = base;
    for (let i = 2; name in this.defs; i++) name = `${base}_${i}`;
    return name;
  }

  private plain(loc: Loc): JsonSchema {
    const v = loc.v as Obj;
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      if (DROP.has(k) || k.startsWith('x-')) continue;
      if (ONE.includes(k) && (isObj(x) || typeof x === 'boolean')) out[k] = this.node({ v: x, doc: loc.doc, path: [...loc.path, k] });
      else if (LIST.includes(k) && Array.isArray(x)) out[k] = x.map((s, i) => this.node({ v: s, doc: loc.doc, path: [...loc.path, k, String(i)] }));
      else if (MAP.includes(k) && isObj(x)) {
        const m: Obj = {};
        for (const name of Object.keys(x)) m[name] = this.node({ v: x[name], doc: loc.doc, path: [...loc.path, k, name] });
        out[k] = m;
      } else if (k === 'items' && Array.isArray(x)) {
        // Tuple form (not OpenAPI, but seen in the wild).
        out.prefixItems = x.map((s, i) => this.node({ v: s, doc: loc.doc, path: [...loc.path, k, String(i)] }));
      } else out[k] = x;
    }
    this.dropDirectional(out);
    this.discriminate(loc, out);
    if (this.direction === 'response' && out.writeOnly === true) out[WRITE_ONLY_KEYWORD] = true;
    // Boolean exclusive bounds are 3.0 syntax; 3.1 specs converted from 3.0 often keep them.
    exclusiveBounds(out);
    if (this.openapi30) return this.from30(out);
    delete out.nullable;
    return out;
  }

  /** Required properties that the other direction owns are not required here. */
  private dropDirectional(s: Obj): void {
    const props = own(s, 'properties');
    const req = own(s, 'required');
    if (!isObj(props) || !Array.isArray(req)) return;
    const flag = this.direction === 'request' ? 'readOnly' : 'writeOnly';
    const owned = new Set(Object.keys(props).filter((p) => own(this.deep(props[p]), flag) === true));
    if (owned.size === 0) return;
    s.required = req.filter((r) => !owned.has(String(r)));
  }

  /**
   * `oneOf`/`anyOf` with a `discriminator`: each branch also requires the discriminator property to
   * hold one of its names (the `mapping` keys that point at it, else its component name), so the
   * branches no longer overlap (a Cat is not also a Dog) and generated bodies carry a value the
   * server can dispatch on. Requests use the explicit names when there are; responses accept both.
   */
  private discriminate(loc: Loc, out: Obj): void {
    const d = own(loc.v, 'discriminator');
    const prop = own(d, 'propertyName');
    const listKey = ['oneOf', 'anyOf'].find((k) => Array.isArray(own(loc.v, k)) && Array.isArray(out[k]));
    if (typeof prop !== 'string' || !listKey) return;
    const list = child(loc, listKey);
    const branches = list.v as unknown[];
    const targetOf = (l: Loc): string | undefined => {
      try {
        return locId(this.spec.deref(l));
      } catch {
        return undefined;
      }
    };
    const ids = branches.map((b, i) => (refOf(b) !== undefined ? targetOf(child(list, i)) : undefined));
    const explicit: string[][] = branches.map(() => []);
    const mapping = own(d, 'mapping');
    for (const key of ownKeys(mapping)) {
      const value = own(mapping, key);
      if (typeof value !== 'string') continue;
      const ref = /[#/]/.test(value) ? value : `#/components/schemas/${value}`;
      const id = targetOf({ v: { $ref: ref }, doc: loc.doc, path: [...loc.path, 'discriminator', 'mapping', key] });
      const i = id === undefined ? -1 : ids.indexOf(id);
      if (i >= 0) explicit[i]!.push(key);
    }
    const implicit = branches.map((b) => {
      const m = /#\/(?:components\/schemas|definitions)\/([^/]+)$/.exec(refOf(b) ?? '');
      return m ? unescapePointer(decodeURIComponent(m[1]!)) : undefined;
    });
    const names = branches.map((_, i) =>
      this.direction === 'request' && explicit[i]!.length > 0 ? explicit[i]! : [...new Set([...explicit[i]!, ...(implicit[i] ? [implicit[i]!] : [])])],
    );
    const converted = out[listKey] as JsonSchema[];
    if (this.direction === 'response' && names.every((n) => n.length > 0)) {
      // Validation only: the value picks its branch, so errors name what is wrong in that branch.
      delete out[listKey];
      const all = [...new Set(names.flat())];
      out.allOf = [
        ...(Array.isArray(out.allOf) ? out.allOf : []),
        { properties: { [prop]: { enum: all } }, required: [prop] },
        ...converted.map((s, i) => ({ if: { properties: { [prop]: { enum: names[i] } }, required: [prop] }, then: s })),
      ];
      return;
    }
    out[listKey] = converted.map((s, i) => (names[i]!.length === 0 ? s : { allOf: [s, { properties: { [prop]: { enum: names[i] } }, required: [prop] }] }));
  }

  /** A property schema behind at most a few `$ref`s into the bank. */
  private deep(s: unknown): unknown {
    let cur = s;
    for (let i = 0; i < 8 && isObj(cur) && typeof cur.$ref === 'string'; i++) cur = this.resolve(cur.$ref);
    return cur;
  }

  private from30(s: Obj): Obj {
    const nullable = s.nullable === true;
    delete s.nullable;
    if (!nullable) return s;
    if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
    if (typeof s.type === 'string') {
      s.type = [s.type, 'null'];
      return s;
    }
    if (s.type === undefined && (s.$ref !== undefined || s.allOf || s.oneOf || s.anyOf)) return { anyOf: [s, { type: 'null' }] };
    return s;
  }
}

function exclusiveBounds(s: Obj): void {
  if (typeof s.exclusiveMinimum === 'boolean') {
    if (s.exclusiveMinimum && typeof s.minimum === 'number') {
      s.exclusiveMinimum = s.minimum;
      delete s.minimum;
    } else delete s.exclusiveMinimum;
  }
  if (typeof s.exclusiveMaximum === 'boolean') {
    if (s.exclusiveMaximum && typeof s.maximum === 'number') {
      s.exclusiveMaximum = s.maximum;
      delete s.maximum;
    } else delete s.exclusiveMaximum;
  }
}
