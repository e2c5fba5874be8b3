/**
 * JSON Schema (as the banks produce it) → fast-check arbitrary. Covers the subset OpenAPI specs
 * use: types (and 3.1 type lists), enum/const, string formats and lengths, patterns, numeric bounds
 * and multipleOf, arrays, objects with required and optional properties, allOf (merged), oneOf
 * and anyOf (one branch), nullable. Recursion through `$ref` stops at a depth where only required
 * properties are generated. Values that a branch cannot guarantee are filtered by ajv afterwards.
 */
import fc, { type Arbitrary } from 'fast-check';
import { isObj, type Obj } from '../breaking/spec/loc.js';
import type { JsonSchema, SchemaBank } from './schema.js';

const MAX_DEPTH = 4;
const MAX_ITEMS = 4;

export function arbitraryFor(schema: JsonSchema, bank: SchemaBank, depth = 0): Arbitrary<unknown> {
  if (schema === true) return fc.constantFrom<unknown>('x', 1, true);
  if (schema === false || !isObj(schema)) return fc.constant(null);
  const s = schema;
  if (typeof s.$ref === 'string') {
    const target = bank.resolve(s.$ref);
    const rest = { ...s };
    delete rest.$ref;
    const merged = Object.keys(rest).length > 0 && isObj(target) ? mergeAll([target, rest], bank) : target;
    return merged === undefined ? fc.constant(null) : arbitraryFor(merged, bank, depth + 1);
  }
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as unknown[]));
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    const rest = { ...s };
    delete rest.allOf;
    return arbitraryFor(mergeAll([...(s.allOf as JsonSchema[]), rest], bank), bank, depth);
  }
  const branches = (Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined) as JsonSchema[] | undefined;
  if (branches && branches.length > 0) {
    const rest = { ...s };
    delete rest.oneOf;
    delete rest.anyOf;
    const hasRest = Object.keys(rest).length > 0;
    return fc.oneof(...branches.map((b) => arbitraryFor(hasRest && isObj(b) ? mergeAll([rest, b], bank) : b, bank, depth)));
  }
  const types = typeList(s);
  if (types.length > 1) return fc.oneof(...types.map((t) => byType(t, s, bank, depth)));
  return byType(types[0]!, s, bank, depth);
}

function typeList(s: Obj): string[] {
  if (Array.isArray(s.type) && s.type.length > 0) return s.type.map(String);
  if (typeof s.type === 'string') return [s.type];
  if (isObj(s.properties) || Array.isArray(s.required)) return ['object'];
  if (s.items !== undefined) return ['array'];
  if (typeof s.minLength === 'number' || typeof s.maxLength === 'number' || typeof s.pattern === 'string' || typeof s.format === 'string') return ['string'];
  if (typeof s.minimum === 'number' || typeof s.maximum === 'number') return ['number'];
  return ['string', 'integer', 'boolean'];
}

function byType(type: string, s: Obj, bank: SchemaBank, depth: number): Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integer(s);
    case 'number':
      return number(s);
    case 'string':
      return string(s);
    case 'array':
      return array(s, bank, depth);
    case 'object':
      return object(s, bank, depth);
    default:
      return fc.constant(null);
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function integer(s: Obj): Arbitrary<unknown> {
  let min = num(s.minimum) ?? (num(s.exclusiveMinimum) !== undefined ? Math.floor(num(s.exclusiveMinimum)!) + 1 : undefined);
  let max = num(s.maximum) ?? (num(s.exclusiveMaximum) !== undefined ? Math.ceil(num(s.exclusiveMaximum)!) - 1 : undefined);
  if (min !== undefined) min = Math.ceil(min);
  if (max !== undefined) max = Math.floor(max);
  let lo = min ?? (max !== undefined ? max - 1000 : -1000);
  let hi = max ?? (min !== undefined ? min + 1000 : 1000);
  if (lo > hi) return fc.constant(lo);
  const step = num(s.multipleOf);
  if (step && Number.isInteger(step) && step > 0) {
    const from = Math.ceil(lo / step);
    const to = Math.floor(hi / step);
    if (Number.isSafeInteger(from) && Number.isSafeInteger(to)) return from > to ? fc.constant(from * step) : fc.integer({ min: from, max: to }).map((k) => k * step);
  }
  // fast-check's integer() wants safe bounds (beyond 2^53 it never returns): stay in the safe
  // range when the schema's range reaches into it, else draw big integers (int64 ids) as doubles.
  if (lo > Number.MAX_SAFE_INTEGER || hi < -Number.MAX_SAFE_INTEGER) {
    return fc.bigInt({ min: BigInt(lo), max: BigInt(hi) }).map((b) => Number(b)).filter((n) => n >= lo && n <= hi);
  }
  lo = Math.max(lo, -Number.MAX_SAFE_INTEGER);
  hi = Math.min(hi, Number.MAX_SAFE_INTEGER);
  return fc.integer({ min: lo, max: hi });
}

function number(s: Obj): Arbitrary<unknown> {
  const min = num(s.minimum) ?? num(s.exclusiveMinimum);
  const max = num(s.maximum) ?? num(s.exclusiveMaximum);
  const lo = min ?? (max !== undefined ? max - 1000 : -1000);
  const hi = max ?? (min !== undefined ? min + 1000 : 1000);
  const step = num(s.multipleOf);
  if (step && step > 0) {
    const from = Math.ceil(lo / step);
    const to = Math.floor(hi / step);
    return fc.integer({ min: from, max: Math.max(from, to) }).map((k) => Number((k * step).toPrecision(12)));
  }
  return fc
    .double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true, minExcluded: num(s.exclusiveMinimum) !== undefined, maxExcluded: num(s.exclusiveMaximum) !== undefined })
    .map((d) => (Object.is(d, -0) ? 0 : d));
}

const DAY = 86_400_000;
const dates = fc.integer({ min: Date.UTC(1990, 0, 1) / DAY, max: Date.UTC(2040, 0, 1) / DAY }).map((d) => new Date(d * DAY));

function string(s: Obj): Arbitrary<unknown> {
  const minLength = num(s.minLength) ?? 0;
  const maxLength = num(s.maxLength);
  // A 3.1 file (`contentMediaType`) is generated like a 3.0 `format: binary` one: some bytes, never none.
  const format = typeof s.format === 'string' ? s.format : typeof s.contentMediaType === 'string' && s.contentEncoding === undefined ? 'binary' : undefined;
  const byFormat = formatArbitrary(format);
  let base: Arbitrary<string>;
  if (byFormat) base = byFormat;
  else if (typeof s.pattern === 'string') {
    try {
      base = fc.stringMatching(new RegExp(s.pattern, 'u'));
    } catch {
      base = fc.string();
    }
  } else {
    const max = Math.min(maxLength ?? minLength + 12, minLength + 40);
    base = fc.string({ minLength, maxLength: Math.max(minLength, max), unit: 'grapheme-ascii' });
  }
  if (byFormat || typeof s.pattern === 'string') {
    return base.filter((x) => x.length >= minLength && (maxLength === undefined || x.length <= maxLength));
  }
  return base;
}

function formatArbitrary(format: string | undefined): Arbitrary<string> | undefined {
  switch (format) {
    case 'email':
    case 'idn-email':
      return fc.emailAddress();
    case 'uuid':
      return fc.uuid();
    case 'date':
      return dates.map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc.tuple(dates, fc.integer({ min: 0, max: DAY - 1000 })).map(([d, ms]) => new Date(d.getTime() + ms).toISOString().replace(/\.\d+Z$/, 'Z'));
    case 'time':
      return fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })).map(([h, m, x]) => `${pad(h)}:${pad(m)}:${pad(x)}Z`);
    case 'uri':
    case 'url':
    case 'iri':
      return fc.webUrl();
    case 'uri-reference':
    case 'iri-reference':
      return fc.webPath().map((p) => p || '/');
    case 'hostname':
    case 'idn-hostname':
      return fc.domain();
    case 'ipv4':
      return fc.ipV4();
    case 'ipv6':
      return fc.ipV6();
    case 'binary':
      return fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme-ascii' });
    case 'byte':
      return fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b).toString('base64'));
    case 'int32':
    case 'int64':
      return fc.integer({ min: -1000, max: 1000 }).map(String);
    default:
      return undefined;
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function array(s: Obj, bank: SchemaBank, depth: number): Arbitrary<unknown> {
  const minLength = num(s.minItems) ?? 0;
  const maxLength = Math.max(minLength, Math.min(num(s.maxItems) ?? minLength + MAX_ITEMS, minLength + MAX_ITEMS));
  const deep = depth >= MAX_DEPTH;
  const items = isObj(s.items) || typeof s.items === 'boolean' ? arbitraryFor(s.items as JsonSchema, bank, depth + 1) : fc.constantFrom<unknown>('x', 1);
  if (deep && minLength === 0) return fc.constant([]);
  const max = deep ? minLength : maxLength;
  if (s.uniqueItems === true) return fc.uniqueArray(items, { minLength, maxLength: max, selector: (v) => JSON.stringify(v) });
  return fc.array(items, { minLength, maxLength: max });
}

function object(s: Obj, bank: SchemaBank, depth: number): Arbitrary<unknown> {
  const props = isObj(s.properties) ? s.properties : {};
  const required = new Set((Array.isArray(s.required) ? s.required : []).map(String));
  const model: Record<string, Arbitrary<unknown>> = {};
  const deep = depth >= MAX_DEPTH;
  for (const [name, sub] of Object.entries(props)) {
    const target = isObj(sub) && typeof sub.$ref === 'string' ? bank.resolve(sub.$ref) : sub;
    // Requests never carry readOnly properties; the server owns them.
    if (bank.direction === 'request' && isObj(target) && target.readOnly === true && !required.has(name)) continue;
    if (deep && !required.has(name)) continue;
    model[name] = arbitraryFor(sub as JsonSchema, bank, depth + 1);
  }
  for (const r of required) if (!(r in model)) model[r] = fc.constantFrom<unknown>('x', 1);
  return fc.record(model, { requiredKeys: [...required].filter((r) => r in model) });
}

/** allOf as one schema: properties and required lists joined, the tighter bound kept. */
export function mergeAll(schemas: JsonSchema[], bank: SchemaBank): Obj {
  const out: Obj = {};
  for (const raw of schemas) {
    let s: JsonSchema | undefined = raw;
    for (let i = 0; i < 8 && isObj(s) && typeof s.$ref === 'string'; i++) s = bank.resolve(s.$ref as string);
    if (!isObj(s)) continue;
    if (Array.isArray(s.allOf)) {
      const rest = { ...s };
      delete rest.allOf;
      s = mergeAll([...(s.allOf as JsonSchema[]), rest], bank);
    }
    for (const [k, v] of Object.entries(s)) {
      if (k === 'properties' && isObj(v)) out.properties = { ...(isObj(out.properties) ? out.properties : {}), ...v };
      else if (k === 'required' && Array.isArray(v)) out.required = [...new Set([...((out.required as unknown[]) ?? []), ...v])];
      else if ((k === 'minimum' || k === 'minLength' || k === 'minItems') && typeof v === 'number') out[k] = Math.max(v, num(out[k]) ?? -Infinity);
      else if ((k === 'maximum' || k === 'maxLength' || k === 'maxItems') && typeof v === 'number') out[k] = Math.min(v, num(out[k]) ?? Infinity);
      else if (!(k in out)) out[k] = v;
    }
  }
  return out;
}
