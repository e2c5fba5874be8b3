/**
 * The operations of a loaded spec in the shape the conformance gate needs: parameters (path-level
 * merged with operation-level), request body media types, responses with their source lines,
 * and whether the operation asks for credentials.
 */
import type { Spec } from '../breaking/spec/load.js';
import { child, isObj, own, ownKeys, type Loc } from '../breaking/spec/loc.js';
import { HTTP_METHODS, specOperations, type HttpMethod } from '../breaking/spec/operations.js';

/** Methods that change state on the server: skipped unless the run is stateful. */
export const STATEFUL_METHODS: ReadonlySet<string> = new Set(['post', 'put', 'patch', 'delete']);

export type ParamIn = 'path' | 'query' | 'header' | 'cookie';

export interface Parameter {
  name: string;
  in: ParamIn;
  required: boolean;
  /** The parameter's schema (or the schema of its single `content` media type). */
  schema?: Loc;
  /** Serialized as JSON when the parameter is described with `content`. */
  json: boolean;
  style?: string;
  explode?: boolean;
  /** OpenAPI's `allowEmptyValue` (query only): without it an empty value is not a valid one. */
  allowEmpty: boolean;
  examples: unknown[];
  loc: Loc;
}

/** How one property of a form or multipart body is encoded (OpenAPI's Encoding Object). */
export interface Encoding {
  contentType?: string;
  style?: string;
  explode?: boolean;
}

export interface MediaType {
  type: string;
  schema?: Loc;
  examples: unknown[];
  /** Per property, for `application/x-www-form-urlencoded` and `multipart/*` bodies. */
  encoding: Record<string, Encoding>;
  loc: Loc;
}

export interface RequestBody {
  required: boolean;
  content: MediaType[];
  loc: Loc;
}

export interface Header {
  name: string;
  required: boolean;
  schema?: Loc;
  /** Simple style, exploded: an object is `k=v,…` rather than `k,v,…`. */
  explode?: boolean;
}

export interface Response {
  /** `200`, `4XX` or `default`. */
  status: string;
  content: MediaType[];
  headers: Header[];
  /** Where the status key sits in the operation (the line annotations point at). */
  loc: Loc;
}

export interface Operation {
  /** `GET /pets/{id}`. */
  name: string;
  method: HttpMethod;
  path: string;
  operationId?: string;
  deprecated: boolean;
  parameters: Parameter[];
  body?: RequestBody;
  responses: Response[];
  /** True when every security alternative asks for something (no `{}` alternative). */
  needsCredentials: boolean;
  /** Names of the security schemes of the first alternative, for messages. */
  securitySchemes: string[];
  /**
   * When every security alternative needs an API key in a query parameter (which the gate does not
   * send: credentials are headers): `scheme (in: query, name: api_key)` of each; else empty.
   */
  queryCredentials: string[];
  loc: Loc;
  /** The documented methods on the same path, upper case. */
  pathMethods: string[];
}

/** `apiKey` schemes with `in: query`: scheme name → parameter name. */
function queryKeySchemes(spec: Spec): Map<string, string> {
  const out = new Map<string, string>();
  const root: Loc = { v: spec.root.value, doc: spec.root, path: [] };
  const schemes = child(child(root, 'components'), 'securitySchemes');
  for (const name of ownKeys(schemes.v)) {
    let s: Loc;
    try {
      s = spec.deref(child(schemes, name));
    } catch {
      continue;
    }
    if (own(s.v, 'type') === 'apiKey' && own(s.v, 'in') === 'query') out.set(name, String(own(s.v, 'name') ?? name));
  }
  return out;
}

export function listOperations(spec: Spec): Operation[] {
  const queryKeys = queryKeySchemes(spec);
  return specOperations(spec).map((op) => {
    const alternatives = op.protected ? op.securityAlternatives : [];
    const inQuery = alternatives.length > 0 && alternatives.every((a) => ownKeys(a).some((k) => queryKeys.has(k)));
    const queryCredentials = inQuery
      ? [...new Set(alternatives.flatMap((a) => ownKeys(a).filter((k) => queryKeys.has(k))))].map((k) => `${k} (in: query, name: ${queryKeys.get(k)})`)
      : [];
    const v = op.loc.v as Record<string, unknown>;
    return {
      name: op.key,
      method: op.method,
      path: op.path,
      operationId: typeof v.operationId === 'string' ? v.operationId : undefined,
      deprecated: v.deprecated === true,
      parameters: op.parameters.flatMap((p) => parameter(spec, p) ?? []),
      body: requestBody(spec, child(op.loc, 'requestBody')),
      responses: responses(spec, child(op.loc, 'responses')),
      needsCredentials: op.protected,
      securitySchemes: op.securityAlternatives[0] ? ownKeys(op.securityAlternatives[0]) : [],
      queryCredentials,
      loc: op.loc,
      pathMethods: HTTP_METHODS.filter((m) => isObj(own(op.item.v, m))).map((m) => m.toUpperCase()),
    };
  });
}

function parameter(spec: Spec, loc: Loc): Parameter | undefined {
  const v = loc.v;
  const name = own(v, 'name');
  const where = own(v, 'in');
  if (typeof name !== 'string' || !['path', 'query', 'header', 'cookie'].includes(String(where))) return undefined;
  let schema = isObj(own(v, 'schema')) ? child(loc, 'schema') : undefined;
  let json = false;
  const examples = examplesOf(spec, loc);
  if (!schema && isObj(own(v, 'content'))) {
    const media = ownKeys(own(v, 'content'))[0];
    if (media) {
      const m = child(child(loc, 'content'), media);
      if (isObj(own(m.v, 'schema'))) schema = child(m, 'schema');
      json = /json/i.test(media);
      examples.push(...examplesOf(spec, m));
    }
  }
  if (schema) {
    const s = spec.deref(schema).v;
    if (own(s, 'example') !== undefined) examples.push(own(s, 'example'));
  }
  return {
    name,
    in: where as ParamIn,
    required: where === 'path' || own(v, 'required') === true,
    schema,
    json,
    style: typeof own(v, 'style') === 'string' ? (own(v, 'style') as string) : undefined,
    explode: typeof own(v, 'explode') === 'boolean' ? (own(v, 'explode') as boolean) : undefined,
    allowEmpty: own(v, 'allowEmptyValue') === true,
    examples,
    loc,
  };
}

/** `example` and the values of `examples` (Example Objects, `$ref`s allowed) of a parameter or media type. */
function examplesOf(spec: Spec, loc: Loc): unknown[] {
  const out: unknown[] = [];
  if (own(loc.v, 'example') !== undefined) out.push(own(loc.v, 'example'));
  const ex = child(loc, 'examples');
  for (const k of ownKeys(ex.v)) {
    const e = spec.deref(child(ex, k));
    if (own(e.v, 'value') !== undefined) out.push(own(e.v, 'value'));
  }
  return out;
}

function mediaTypes(spec: Spec, content: Loc): MediaType[] {
  return ownKeys(content.v).map((type) => {
    const loc = child(content, type);
    const examples = examplesOf(spec, loc);
    const schema = isObj(own(loc.v, 'schema')) ? child(loc, 'schema') : undefined;
    if (schema && examples.length === 0) {
      const s = spec.deref(schema).v;
      if (own(s, 'example') !== undefined) examples.push(own(s, 'example'));
    }
    const encoding: Record<string, Encoding> = {};
    const enc = own(loc.v, 'encoding');
    for (const name of ownKeys(enc)) {
      const e = own(enc, name);
      encoding[name] = {
        contentType: typeof own(e, 'contentType') === 'string' ? (own(e, 'contentType') as string) : undefined,
        style: typeof own(e, 'style') === 'string' ? (own(e, 'style') as string) : undefined,
        explode: typeof own(e, 'explode') === 'boolean' ? (own(e, 'explode') as boolean) : undefined,
      };
    }
    return { type, schema, examples, encoding, loc };
  });
}

function requestBody(spec: Spec, at: Loc): RequestBody | undefined {
  if (!isObj(at.v)) return undefined;
  const loc = spec.deref(at);
  return { required: own(loc.v, 'required') === true, content: mediaTypes(spec, child(loc, 'content')), loc };
}

function responses(spec: Spec, at: Loc): Response[] {
  return ownKeys(at.v).filter((k) => /^([1-5](\d\d|XX)|default)$/i.test(k)).map((status) => {
    const keyLoc = child(at, status);
    const loc = spec.deref(keyLoc);
    const hs = child(loc, 'headers');
    const headers = ownKeys(hs.v).map((name) => {
      const h = spec.deref(child(hs, name));
      return { name, required: own(h.v, 'required') === true, schema: isObj(own(h.v, 'schema')) ? child(h, 'schema') : undefined, explode: own(h.v, 'explode') === true };
    });
    return { status: status.toUpperCase() === 'DEFAULT' ? 'default' : status.toUpperCase(), content: mediaTypes(spec, child(loc, 'content')), headers, loc: keyLoc };
  });
}

/** The documented response for a status: exact code first, then its `NXX` range, then `default`. */
export function documentedResponse(op: Operation, status: number): Response | undefined {
  const exact = op.responses.find((r) => r.status === String(status));
  if (exact) return exact;
  const range = op.responses.find((r) => r.status === `${Math.floor(status / 100)}XX`);
  return range ?? op.responses.find((r) => r.status === 'default');
}

/** Does any documented response (not `default`) have a 4xx status? */
export function documents4xx(op: Operation): boolean {
  return op.responses.some((r) => r.status.startsWith('4'));
}

/** Source line of a location, when the file has it. */
export function lineOf(loc: Loc): number | undefined {
  return loc.doc.lines([loc.path])[0];
}
