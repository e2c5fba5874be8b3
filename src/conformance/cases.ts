/**
 * Test cases for one operation. Positive cases come from the spec's examples first, then from its
 * schemas (fast-check, seeded per operation so adding an operation does not change the others).
 * Negative cases each break one promise of the spec (a required parameter left out, a wrong type,
 * a value outside an enum or a bound, malformed JSON, an unsupported media type, no credentials);
 * a mutation that the schema would still accept is dropped, so every negative case is really invalid.
 */
import fc, { type Arbitrary } from 'fast-check';
import { isObj, type Obj } from '../breaking/spec/loc.js';
import type { Encoding, MediaType, Operation, Parameter } from './operations.js';
import type { JsonSchema, SchemaBank } from './schema.js';
import { arbitraryFor } from './arbitrary.js';
import type { Validator } from './validate.js';

export type CaseKind = 'example' | 'generated' | 'negative' | 'no-credentials';
export type Expectation = 'accept' | 'reject' | 'unauthorized';

/** A request in spec terms: parameter values before serialization. */
export interface RequestData {
  params: Map<Parameter, unknown>;
  body?: {
    mediaType: string;
    value?: unknown;
    raw?: string;
    /** Form and multipart bodies: how each property is encoded. */
    encoding?: Record<string, Encoding>;
    /** Multipart bodies: the properties sent as files (`format: binary`, or a `contentMediaType`). */
    files?: string[];
  };
  /** Send the configured credential headers. */
  credentials: boolean;
}

export interface TestCase {
  op: Operation;
  kind: CaseKind;
  expect: Expectation;
  /** What a negative case breaks, e.g. `query parameter 'limit' above maximum 50`. */
  description: string;
  data: RequestData;
}

export interface CaseContext {
  request: SchemaBank;
  validator: Validator;
  seed: number;
  hasCredentials: boolean;
  /** Lower-case names of the credential headers (--header): header parameters of those names are theirs. */
  credentialHeaders?: ReadonlySet<string>;
}

/** Header parameters the gate does not generate: reserved by OpenAPI, or supplied by the credentials. */
function notGenerated(p: Parameter, ctx: CaseContext): boolean {
  return p.in === 'header' && (isReservedHeader(p.name) || ctx.credentialHeaders?.has(p.name.toLowerCase()) === true);
}

const JSON_MEDIA = /^application\/(.+\+)?json$|^\*\/\*$/i;

export function isJsonMedia(type: string): boolean {
  return JSON_MEDIA.test(type.split(';')[0]!.trim());
}

/**
 * Schema of a parameter as converted for requests. Path parameters are never empty, nor are query
 * parameters unless `allowEmptyValue` says so: no empty string, no empty array or object (they
 * serialize to nothing, or to an empty value), no empty array item.
 */
const pathSchemas = new WeakMap<Parameter, JsonSchema>();
const ANY_STRING: JsonSchema = { type: 'string' };

function paramSchema(p: Parameter, ctx: CaseContext): JsonSchema {
  if (!p.schema) return ANY_STRING;
  const s = ctx.request.convert(p.schema);
  const nonEmpty = p.in === 'path' || (p.in === 'query' && !p.allowEmpty);
  if (!nonEmpty || !isObj(s)) return s;
  let wrapped = pathSchemas.get(p);
  if (!wrapped) pathSchemas.set(p, (wrapped = { allOf: [s], minLength: 1, minItems: 1, items: { minLength: 1 }, minProperties: 1 }));
  return wrapped;
}

const baseType = (type: string) => type.split(';')[0]!.trim().toLowerCase();

/** Media types whose bodies the gate builds: JSON, forms, multipart forms, text, octet streams. */
export function bodyMedia(op: Operation): MediaType | undefined {
  const content = op.body?.content ?? [];
  const by = (re: RegExp) => content.find((m) => re.test(baseType(m.type)));
  return (
    content.find((m) => isJsonMedia(m.type)) ??
    by(/^application\/x-www-form-urlencoded$/) ??
    by(/^multipart\/form-data$/) ??
    by(/^text\//) ??
    by(/^application\/octet-stream$/) ??
    // Another type with an example written as text (XML, CSV…): that example is sent as it is.
    content.find((m) => m.examples.some((e) => typeof e === 'string'))
  );
}

/**
 * Why the gate cannot build a valid request for the operation, or undefined: a path template
 * variable without a parameter, or a required body of a media type it does not generate.
 */
export function untestable(op: Operation): string | undefined {
  const declared = new Set(op.parameters.filter((p) => p.in === 'path').map((p) => p.name));
  const missing = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).filter((n) => !declared.has(n));
  if (missing.length > 0) return `the path has ${missing.map((n) => `{${n}}`).join(', ')} but no path parameter of ${missing.length > 1 ? 'these names' : 'that name'} is declared`;
  if (op.body?.required && op.body.content.length > 0 && !bodyMedia(op)) {
    return `its required request body is ${op.body.content.map((m) => m.type).join(', ')}, which the gate does not generate (give the media type a text example to send it)`;
  }
  return undefined;
}

const textMedia = (type: string) => /^text\//.test(baseType(type));
const binaryMedia = (type: string) => baseType(type) === 'application/octet-stream';
/** A media type the gate sends only the text examples of (XML, CSV under application/…). */
const examplesOnly = (type: string) =>
  !isJsonMedia(type) && !textMedia(type) && !binaryMedia(type) && !/^(application\/x-www-form-urlencoded|multipart\/form-data)$/.test(baseType(type));

/** Properties of a multipart body sent as files: `format: binary`, or (3.1) a `contentMediaType`. */
function fileProperties(schema: JsonSchema | undefined, bank: SchemaBank): string[] {
  const out: string[] = [];
  for (const [name, subs] of propertySchemas(schema, bank)) {
    const isFile = (x: unknown): boolean => {
      const s = resolved(x, bank);
      if (!isObj(s)) return false;
      if (s.format === 'binary' || typeof s.contentMediaType === 'string') return true;
      return isFile(s.items);
    };
    if (subs.some(isFile)) out.push(name);
  }
  return out;
}

/** The request body of `media` holding `value`, with what a form or multipart body needs to be encoded. */
export function bodyOf(media: MediaType, value: unknown, ctx: CaseContext): NonNullable<RequestData['body']> {
  const body: NonNullable<RequestData['body']> = { mediaType: media.type, value };
  if (Object.keys(media.encoding).length > 0) body.encoding = media.encoding;
  if (/^multipart\//.test(baseType(media.type))) body.files = fileProperties(media.schema ? ctx.request.convert(media.schema) : undefined, ctx.request);
  else if (!isJsonMedia(media.type) && !/x-www-form-urlencoded/i.test(media.type) && typeof value === 'string') body.raw = value;
  return body;
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function valid(ctx: CaseContext, schema: JsonSchema, value: unknown): boolean {
  return ctx.validator.validate(schema, value).ok;
}

/** Header values must be visible ASCII; anything else the client library refuses to send. */
function sendable(p: Parameter, v: unknown): boolean {
  if (p.in === 'path') return v !== '.' && v !== '..';
  if (p.in !== 'header' && p.in !== 'cookie') return true;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(text ?? '') && !(p.in === 'cookie' && /[;,\s]/.test(text ?? ''));
}

/** Up to `count` generated positive requests for `op`. */
export function generatedCases(op: Operation, count: number, ctx: CaseContext): TestCase[] {
  if (count <= 0) return [];
  const fields: Record<string, Arbitrary<unknown>> = {};
  const params = op.parameters.filter((p) => !notGenerated(p, ctx));
  params.forEach((p, i) => {
    const arb = arbitraryFor(paramSchema(p, ctx), ctx.request).filter((v) => sendable(p, v));
    fields[`p${i}`] = p.required ? arb : fc.option(arb, { nil: undefined });
  });
  const media = bodyMedia(op);
  const bodySchema = media?.schema && !examplesOnly(media.type) ? ctx.request.convert(media.schema) : undefined;
  if (media) {
    // Without a schema: an object for JSON and forms, some text for text and octet streams.
    const arb = examplesOnly(media.type)
      ? fc.constantFrom(...media.examples.filter((e) => typeof e === 'string'))
      : bodySchema !== undefined
        ? arbitraryFor(bodySchema, ctx.request)
        : textMedia(media.type) || binaryMedia(media.type)
          ? fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme-ascii' })
          : fc.constant({});
    fields.body = op.body?.required ? arb : fc.option(arb, { nil: undefined });
  }
  const samples = fc.sample(fc.record(fields), { seed: (ctx.seed ^ hashString(op.name)) | 0, numRuns: count * 3 });
  const out: TestCase[] = [];
  const seen = new Set<string>();
  for (const sample of samples) {
    if (out.length >= count) break;
    const s = sample as Record<string, unknown>;
    const values = new Map<Parameter, unknown>();
    let ok = true;
    params.forEach((p, i) => {
      const v = s[`p${i}`];
      if (v === undefined) return;
      if (!valid(ctx, paramSchema(p, ctx), v)) ok = false;
      values.set(p, v);
    });
    if (bodySchema !== undefined && s.body !== undefined && !valid(ctx, bodySchema, s.body)) ok = false;
    if (!ok) continue;
    const key = JSON.stringify([[...values.values()], s.body]);
    if (seen.has(key)) continue;
    seen.add(key);
    const data: RequestData = { params: values, credentials: true };
    if (media && (s.body !== undefined || op.body?.required)) data.body = bodyOf(media, s.body ?? {}, ctx);
    out.push({ op, kind: 'generated', expect: 'accept', description: 'generated from the schemas', data });
  }
  return out;
}

/** Cases built from the spec's examples, other parameters filled from the first generated case. */
export function exampleCases(op: Operation, ctx: CaseContext, filler: TestCase | undefined): TestCase[] {
  const media = bodyMedia(op);
  const bodyExamples = (media?.examples ?? []).filter((e) => !examplesOnly(media!.type) || typeof e === 'string');
  const paramWithExamples = op.parameters.filter((p) => p.examples.length > 0);
  if (bodyExamples.length === 0 && paramWithExamples.length === 0) return [];
  const variants = Math.max(1, Math.min(5, bodyExamples.length, ...paramWithExamples.map((p) => p.examples.length)));
  const out: TestCase[] = [];
  for (let i = 0; i < Math.max(variants, 1); i++) {
    const params = new Map<Parameter, unknown>();
    for (const p of op.parameters) {
      if (notGenerated(p, ctx)) continue;
      if (p.examples.length > 0) params.set(p, p.examples[Math.min(i, p.examples.length - 1)]);
      else if (filler?.data.params.has(p)) params.set(p, filler.data.params.get(p));
    }
    const missing = op.parameters.some((p) => p.required && !params.has(p) && !notGenerated(p, ctx));
    if (missing) continue;
    const data: RequestData = { params, credentials: true };
    if (media && bodyExamples.length > 0) {
      const example = bodyExamples[Math.min(i, bodyExamples.length - 1)];
      // One schema often serves both directions, and so does its example: the server owns readOnly properties.
      data.body = bodyOf(media, media.schema && !examplesOnly(media.type) ? withoutReadOnly(example, ctx.request.convert(media.schema), ctx.request) : example, ctx);
    }
    else if (filler?.data.body) data.body = filler.data.body;
    else if (op.body?.required) continue;
    out.push({ op, kind: 'example', expect: 'accept', description: 'built from the spec examples', data });
  }
  return out;
}

/** A schema behind at most a few `$ref`s into the bank. */
function resolved(schema: unknown, bank: SchemaBank): unknown {
  let s = schema;
  for (let i = 0; i < 8 && isObj(s) && typeof s.$ref === 'string'; i++) s = bank.resolve(s.$ref);
  return s;
}

/** Is the property schema `readOnly` (directly, behind `$ref`s, or in an `allOf` part)? */
function isReadOnly(schema: unknown, bank: SchemaBank, depth = 0): boolean {
  const s = resolved(schema, bank);
  if (!isObj(s) || depth > 8) return false;
  if (s.readOnly === true) return true;
  return Array.isArray(s.allOf) && s.allOf.some((x) => isReadOnly(x, bank, depth + 1));
}

/** Property schemas an object schema declares, `allOf`/`oneOf`/`anyOf` parts included. */
function propertySchemas(schema: unknown, bank: SchemaBank, depth = 0): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const s = resolved(schema, bank);
  if (!isObj(s) || depth > 8) return out;
  if (isObj(s.properties)) for (const [k, v] of Object.entries(s.properties)) out.set(k, [...(out.get(k) ?? []), v]);
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const list = s[key];
    if (!Array.isArray(list)) continue;
    for (const part of list) for (const [k, v] of propertySchemas(part, bank, depth + 1)) out.set(k, [...(out.get(k) ?? []), ...v]);
  }
  return out;
}

/** A copy of an example without the properties its schema marks `readOnly` (nested objects and arrays too). */
export function withoutReadOnly(value: unknown, schema: unknown, bank: SchemaBank, depth = 0): unknown {
  if (depth > 16) return value;
  if (Array.isArray(value)) {
    const s = resolved(schema, bank);
    const items = isObj(s) ? s.items : undefined;
    return items === undefined ? value : value.map((x) => withoutReadOnly(x, items, bank, depth + 1));
  }
  if (!isObj(value)) return value;
  const props = propertySchemas(schema, bank);
  if (props.size === 0) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    const subs = props.get(k) ?? [];
    if (subs.some((x) => isReadOnly(x, bank))) continue;
    out[k] = subs.length === 1 ? withoutReadOnly(v, subs[0], bank, depth + 1) : v;
  }
  return out;
}

/** Formats whose violation a server can be expected to notice. */
const CHECKED_FORMATS = new Set(['date', 'date-time', 'time', 'uuid', 'email', 'uri', 'ipv4', 'ipv6', 'int32', 'int64']);

/** Values that break a schema's promises, each with what it breaks; only those the schema rejects. */
function mutations(schema: JsonSchema, bank: SchemaBank, onWire = false): { value: unknown; what: string }[] {
  let s: JsonSchema | undefined = schema;
  for (let i = 0; i < 8 && isObj(s) && typeof s.$ref === 'string'; i++) s = bank.resolve(s.$ref);
  if (isObj(s) && Array.isArray(s.allOf) && s.allOf.length === 1 && Object.keys(s).length <= 2) return mutations(s.allOf[0] as JsonSchema, bank, onWire).concat(lengthMutations(s));
  if (!isObj(s)) return [];
  const out: { value: unknown; what: string }[] = [];
  const type = Array.isArray(s.type) ? s.type : s.type !== undefined ? [s.type] : [];
  if (type.length > 0 && !type.includes('string')) out.push({ value: 'not-a-' + String(type[0]), what: `a string where ${type.join(' or ')} is expected` });
  // On the wire (path, query, header) every value is text: a number is no wrong type there.
  else if (!onWire && type.includes('string') && !type.includes('integer') && !type.includes('number')) out.push({ value: 12345, what: 'a number where a string is expected' });
  if (typeof s.format === 'string' && CHECKED_FORMATS.has(s.format) && !Array.isArray(s.enum)) {
    out.push({ value: `not-a-valid-${s.format}`, what: `"not-a-valid-${s.format}" is not a ${s.format}` });
  }
  if (Array.isArray(s.enum) && s.enum.length > 0) {
    const probe = typeof s.enum[0] === 'number' ? 987654321 : 'not-in-enum-zzz';
    out.push({ value: probe, what: `${JSON.stringify(probe)} outside the enum` });
  }
  const stringy = type.length === 0 || type.includes('string');
  if (typeof s.pattern === 'string' && stringy && !Array.isArray(s.enum) && s.const === undefined) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(s.pattern, 'u');
    } catch {
      re = undefined;
    }
    const probe = re && ['~pattern-mismatch~', '0', 'ZZ', '-'].find((x) => !re!.test(x));
    if (probe !== undefined) out.push({ value: probe, what: `${JSON.stringify(probe)} does not match the pattern ${s.pattern}` });
  }
  if (typeof s.minimum === 'number') out.push({ value: Number.isInteger(s.minimum) ? s.minimum - 1 : s.minimum - 0.5, what: `below minimum ${s.minimum}` });
  if (typeof s.maximum === 'number') out.push({ value: Number.isInteger(s.maximum) ? s.maximum + 1 : s.maximum + 0.5, what: `above maximum ${s.maximum}` });
  if (typeof s.exclusiveMinimum === 'number') out.push({ value: s.exclusiveMinimum, what: `at exclusive minimum ${s.exclusiveMinimum}` });
  if (typeof s.exclusiveMaximum === 'number') out.push({ value: s.exclusiveMaximum, what: `at exclusive maximum ${s.exclusiveMaximum}` });
  return out.concat(lengthMutations(s));
}

function lengthMutations(s: Obj): { value: unknown; what: string }[] {
  const out: { value: unknown; what: string }[] = [];
  if (typeof s.maxLength === 'number' && s.maxLength < 10_000) out.push({ value: 'x'.repeat(s.maxLength + 1), what: `longer than maxLength ${s.maxLength}` });
  if (typeof s.minLength === 'number' && s.minLength > 1) out.push({ value: 'x'.repeat(s.minLength - 1), what: `shorter than minLength ${s.minLength}` });
  return out;
}

function fromText(s: string): unknown {
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s)) return Number(s);
  if (s === 'true' || s === 'false') return s === 'true';
  return s;
}

/**
 * The values a server may read from `value` once serialized: on the wire a number is text, and a
 * lone value is an array of one item (`tag=x` is `tag: [x]`), or of the items between delimiters.
 */
function wireReadings(p: Parameter, value: unknown): unknown[] {
  const out: unknown[] = [value];
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return out;
  const text = String(value);
  out.push(text, fromText(text));
  const items = text.split(p.style === 'pipeDelimited' ? '|' : p.style === 'spaceDelimited' ? ' ' : ',');
  out.push([text], [fromText(text)], items, items.map(fromText));
  if (p.in === 'query' && (p.explode ?? (p.style ?? 'form') === 'form')) out.push({ [p.name]: text });
  return out;
}

/** Serialized the way it travels: a mutation that the server would read as a valid value is no negative case. */
function wireValid(p: Parameter, schema: JsonSchema, value: unknown, ctx: CaseContext): boolean {
  return wireReadings(p, value).some((v) => valid(ctx, schema, v));
}

export function negativeCases(op: Operation, base: TestCase | undefined, ctx: CaseContext): TestCase[] {
  if (!base) return [];
  const out: TestCase[] = [];
  const neg = (description: string, data: RequestData, expect: Expectation = 'reject') =>
    out.push({ op, kind: expect === 'unauthorized' ? 'no-credentials' : 'negative', expect, description, data });
  const withParams = (params: Map<Parameter, unknown>): RequestData => ({ ...base.data, params });

  for (const p of op.parameters) {
    if (notGenerated(p, ctx)) continue;
    const label = `${p.in} parameter '${p.name}'`;
    if (p.required && p.in !== 'path') {
      const params = new Map(base.data.params);
      params.delete(p);
      neg(`${label} left out (it is required)`, withParams(params));
    }
    if (!p.schema) continue;
    const schema = paramSchema(p, ctx);
    for (const m of mutations(ctx.request.convert(p.schema), ctx.request, true)) {
      if (wireValid(p, schema, m.value, ctx) || !sendable(p, m.value)) continue;
      const params = new Map(base.data.params);
      params.set(p, m.value);
      neg(`${label}: ${m.what}`, withParams(params));
    }
  }

  const media = bodyMedia(op);
  if (media && isJsonMedia(media.type)) {
    const bodySchema = media.schema ? ctx.request.convert(media.schema) : undefined;
    const value = base.data.body?.value ?? {};
    neg('malformed JSON body', { ...base.data, body: { mediaType: media.type, raw: '{"malformed": ' } });
    if (bodySchema !== undefined) {
      let root: JsonSchema | undefined = bodySchema;
      for (let i = 0; i < 8 && isObj(root) && typeof root.$ref === 'string'; i++) root = ctx.request.resolve(root.$ref);
      if (isObj(value) && !Array.isArray(value) && isObj(root)) {
        if (!valid(ctx, bodySchema, [value])) neg('a JSON array where an object is expected', { ...base.data, body: { mediaType: media.type, value: [value] } });
        const required = Array.isArray(root.required) ? root.required.map(String) : [];
        for (const r of required) {
          const copy = { ...(value as Obj) };
          delete copy[r];
          if (!valid(ctx, bodySchema, copy)) neg(`body property '${r}' left out (it is required)`, { ...base.data, body: { mediaType: media.type, value: copy } });
        }
        const props = isObj(root.properties) ? root.properties : {};
        for (const [name, sub] of Object.entries(props)) {
          // The server ignores (or refuses) readOnly properties whatever their value: no promise to break.
          if (isReadOnly(sub, ctx.request)) continue;
          for (const m of mutations(sub as JsonSchema, ctx.request)) {
            const copy = { ...(value as Obj), [name]: m.value };
            if (!valid(ctx, bodySchema, copy)) neg(`body property '${name}': ${m.what}`, { ...base.data, body: { mediaType: media.type, value: copy } });
          }
        }
      }
    }
  }
  if (op.body && op.body.content.length > 0) {
    const documented = new Set(op.body.content.map((m) => m.type.split(';')[0]!.trim().toLowerCase()));
    const wildcard = [...documented].some((t) => t === '*/*' || t === 'text/*');
    const unsupported = documented.has('text/plain') ? 'application/x-unsupported-conformance' : 'text/plain';
    if (!wildcard) neg(`unsupported media type ${unsupported}`, { ...base.data, body: { mediaType: unsupported, raw: 'plain text' } });
    if (op.body.required) neg('required request body left out', { ...base.data, body: undefined });
  }
  if (op.needsCredentials && ctx.hasCredentials) neg('no credentials', { ...base.data, credentials: false }, 'unauthorized');
  return out;
}

/** Accept, Content-Type and Authorization in `in: header` are ignored by OpenAPI. */
export function isReservedHeader(name: string): boolean {
  return ['accept', 'content-type', 'authorization'].includes(name.toLowerCase());
}
