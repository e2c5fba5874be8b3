import { isObj, own, ownKeys, type Obj } from './loc.js';

type Path = readonly string[];

export interface Converted {
  value: Obj;
  /** A path of the result → the original file's. */
  origin: (path: Path) => Path;
  /**
   * A pointer written against the original file (`/definitions/Pet`, as another file's `$ref` into
   * the root names it) → the same node's path in the result (`/components/schemas/Pet`); undefined
   * where the node has no place of its own in the result (a body or formData parameter).
   */
  pointer: (path: Path) => Path | undefined;
  /**
   * Path items, parameters and responses kept in other files: they are written in Swagger 2.0's
   * shapes, which only the root's conversion rewrites, so a comparison would misread them.
   */
  external: { at: Path; converted: Path; ref: string; role: 'path item' | 'parameter' | 'response' }[];
}

/**
 * Swagger 2.0 → OpenAPI 3.0, enough for diffing: definitions, parameters (body/formData → requestBody),
 * responses, produces/consumes, securityDefinitions. Local `#/definitions/…` refs are rewritten;
 * `pointer` does the same for refs into this file from other files.
 */
export function convertSwagger2(src: Obj): Converted {
  const converter = new Converter(rewriteRefs(src) as Obj);
  const value = converter.convert();
  return { value, origin: (path) => converter.back.map(path)!, pointer: (path) => converter.fwd.map(path), external: converter.external };
}

interface PrefixNode {
  readonly next: Map<string, PrefixNode>;
  /** null: the prefix has no counterpart. */
  to?: Path | null;
}

/**
 * Path prefixes of one document → those of the other. The deepest mapped prefix of a path wins and
 * the rest is kept as is; a prefix mapped to null maps the path to undefined.
 */
class PrefixMap {
  private readonly root: PrefixNode = { next: new Map() };

  add(from: Path, to: Path | null): void {
    let node = this.root;
    for (const k of from) {
      let next = node.next.get(k);
      if (!next) node.next.set(k, (next = { next: new Map() }));
      node = next;
    }
    node.to = to;
  }

  map(path: Path): Path | undefined {
    let node: PrefixNode | undefined = this.root;
    let to: Path | null | undefined;
    let depth = 0;
    for (let i = 0; i < path.length && node; i++) {
      node = node.next.get(path[i]!);
      if (node?.to !== undefined) [to, depth] = [node.to, i + 1];
    }
    if (to === null) return undefined;
    return to ? [...to, ...path.slice(depth)] : path;
  }
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

/** A parameter as the operation sees it (`$ref`s to `#/parameters/…` followed) and where it is written. */
interface Placed {
  readonly written: unknown;
  readonly p: unknown;
  readonly at: Path;
}

class Converter {
  readonly external: Converted['external'] = [];
  /** Converted paths → original ones. */
  readonly back = new PrefixMap();
  /** Original paths → converted ones, where the conversion moved something. */
  readonly fwd = new PrefixMap();
  private readonly consumes: string[];
  private readonly produces: string[];

  constructor(private readonly v: Obj) {
    this.consumes = strings(own(v, 'consumes')) ?? ['application/json'];
    this.produces = strings(own(v, 'produces')) ?? ['application/json'];
  }

  convert(): Obj {
    const v = this.v;
    const out: Obj = { openapi: '3.0.0', info: own(v, 'info') ?? {}, paths: {} };
    const servers = this.servers();
    if (servers) out.servers = servers;
    out.components = this.components();
    for (const k of ['security', 'tags', 'externalDocs']) if (own(v, k) !== undefined) out[k] = own(v, k);
    for (const k of ownKeys(v)) if (k.startsWith('x-')) out[k] = v[k];
    const paths = own(v, 'paths');
    const outPaths: Obj = {};
    for (const p of ownKeys(paths)) {
      const item = (paths as Obj)[p];
      if (isObj(item)) outPaths[p] = this.pathItem(['paths', p], item);
    }
    out.paths = outPaths;
    return out;
  }

  /** `host`, `basePath` and `schemes` as OpenAPI 3 servers (one per scheme; https when none is named). */
  private servers(): Obj[] | undefined {
    const v = this.v;
    const host = own(v, 'host');
    const basePath = own(v, 'basePath');
    const path = typeof basePath === 'string' && basePath !== '/' ? basePath.replace(/\/+$/, '') : '';
    if (typeof host !== 'string' || host === '') {
      if (!path) return undefined;
      this.back.add(['servers'], ['basePath']);
      return [{ url: path }];
    }
    const listed = own(v, 'schemes');
    const schemes = Array.isArray(listed) ? listed.filter((x): x is string => typeof x === 'string') : [];
    this.back.add(['servers'], ['host']);
    return (schemes.length ? schemes : ['https']).map((scheme) => ({ url: `${scheme}://${host}${path}` }));
  }

  private components(): Obj {
    const v = this.v;
    const components: Obj = {};
    if (isObj(own(v, 'definitions'))) {
      components.schemas = own(v, 'definitions');
      this.back.add(['components', 'schemas'], ['definitions']);
    }
    this.fwd.add(['definitions'], ['components', 'schemas']);
    if (isObj(own(v, 'securityDefinitions'))) {
      const schemes: Obj = {};
      for (const [name, def] of Object.entries(own(v, 'securityDefinitions') as Obj)) {
        schemes[name] = this.securityScheme(def, ['components', 'securitySchemes', name], ['securityDefinitions', name]);
      }
      components.securitySchemes = schemes;
    }
    if (isObj(own(v, 'responses'))) {
      const rs: Obj = {};
      for (const [code, r] of Object.entries(own(v, 'responses') as Obj)) {
        rs[code] = this.response(r, this.produces, ['components', 'responses', code], ['responses', code]);
      }
      components.responses = rs;
    }
    if (isObj(own(v, 'parameters'))) {
      const ps: Obj = {};
      for (const [name, p] of Object.entries(own(v, 'parameters') as Obj)) {
        if (isBodyLike(p)) {
          this.fwd.add(['parameters', name], null); // it becomes part of each operation's request body
          continue;
        }
        ps[name] = this.parameter(p, ['components', 'parameters', name], ['parameters', name]);
      }
      components.parameters = ps;
    }
    return components;
  }

  /** A `$ref` to another file where a Swagger 2.0 shape is expected (see Converted.external). */
  private noteExternal(at: Path, converted: Path, v: unknown, role: Converted['external'][number]['role']): void {
    const ref = isObj(v) ? v.$ref : undefined;
    if (typeof ref === 'string' && !ref.startsWith('#')) this.external.push({ at, converted, ref, role });
  }

  private pathItem(at: Path, item: Obj): Obj {
    this.noteExternal(at, at, item, 'path item');
    const out: Obj = {};
    const shared = this.placed(item.parameters, [...at, 'parameters']);
    for (const k of ownKeys(item)) {
      const op = item[k];
      if (k === 'parameters') out.parameters = this.plainParameters(shared, [...at, 'parameters']);
      else if (METHODS.has(k) && isObj(op)) out[k] = this.operation([...at, k], op, shared);
      else out[k] = op;
    }
    return out;
  }

  private placed(list: unknown, at: Path): Placed[] {
    if (!Array.isArray(list)) return [];
    return list.map((written: unknown, i) => this.resolveLocal(written) ?? { written, p: written, at: [...at, String(i)] });
  }

  /** A `#/parameters/…` ref (already rewritten to components) and where its target sits in the original. */
  private resolveLocal(written: unknown): Placed | undefined {
    if (!isObj(written) || typeof written.$ref !== 'string' || !written.$ref.startsWith('#/components/parameters/')) return undefined;
    const name = written.$ref.slice('#/components/parameters/'.length);
    const p = own(own(this.v, 'parameters'), name);
    return p === undefined ? undefined : { written, p, at: ['parameters', name] };
  }

  /** The parameters of a list that stay parameters, as written (refs kept). */
  private plainParameters(list: readonly Placed[], at: Path): unknown[] {
    const out: unknown[] = [];
    list.forEach((placed, i) => {
      if (!isBodyLike(placed.p)) out.push(this.parameter(placed.written, [...at, String(out.length)], [...at, String(i)]));
      else this.fwd.add([...at, String(i)], null);
    });
    return out;
  }

  /** `forward`: a pointer to the original parameter lands on the result (not so for a form field, which becomes a schema). */
  private parameter(p: unknown, from: Path, to: Path, forward = true): unknown {
    this.noteExternal(to, from, p, 'parameter');
    this.back.add(from, to);
    if (forward) this.fwd.add(to, from);
    if (!isObj(p) || typeof p.$ref === 'string') return p;
    const out: Obj = {};
    const schema: Obj = {};
    for (const k of Object.keys(p)) {
      if (SCHEMA_KEYS.includes(k)) {
        if (k === 'collectionFormat') continue;
        schema[k] = p[k];
        if (forward) this.fwd.add([...to, k], [...from, 'schema', k]);
      } else out[k] = p[k];
    }
    if (Object.keys(schema).length > 0) {
      out.schema = schema;
      this.back.add([...from, 'schema'], to);
    }
    return out;
  }

  private operation(at: Path, op: Obj, shared: readonly Placed[]): Obj {
    const out: Obj = {};
    const consumes = strings(op.consumes) ?? this.consumes;
    const produces = strings(op.produces) ?? this.produces;
    const mine = this.placed(op.parameters, [...at, 'parameters']);
    const all = [...mine, ...shared.filter((s) => !mine.some((p) => samePlace(p.p, s.p)))];
    for (const k of Object.keys(op)) {
      if (k === 'parameters') out.parameters = this.plainParameters(mine, [...at, 'parameters']);
      else if (k === 'responses' && isObj(op.responses)) out.responses = this.responses(op.responses, produces, [...at, 'responses']);
      else if (k !== 'consumes' && k !== 'produces') out[k] = op[k];
    }
    const body = all.find((x) => isObj(x.p) && x.p.in === 'body');
    const form = all.filter((x) => isObj(x.p) && x.p.in === 'formData');
    if (body) out.requestBody = this.body(body, consumes, [...at, 'requestBody']);
    else if (form.length > 0) out.requestBody = this.form(form, consumes, [...at, 'requestBody']);
    return out;
  }

  private body(placed: Placed, consumes: string[], at: Path): Obj {
    const body = placed.p as Obj;
    this.back.add(at, placed.at);
    // A body written in the operation: its schema is the request body's (a shared one has no single place).
    if (placed.at[0] === 'paths' && consumes.length > 0) this.fwd.add([...placed.at, 'schema'], [...at, 'content', consumes[0]!, 'schema']);
    const content: Obj = {};
    for (const m of consumes) {
      content[m] = { schema: body.schema ?? {} };
      this.back.add([...at, 'content', m], placed.at);
      this.back.add([...at, 'content', m, 'schema'], [...placed.at, 'schema']);
    }
    return { required: body.required === true, content, ...(body.description ? { description: body.description } : {}) };
  }

  private form(fields: readonly Placed[], consumes: string[], at: Path): Obj {
    const media = consumes.find((m) => m.includes('form')) ?? 'application/x-www-form-urlencoded';
    const schemaAt = [...at, 'content', media, 'schema'];
    // The made-up body, its media type and object schema are written nowhere: the first field stands in.
    for (const p of [at, [...at, 'content', media], schemaAt, [...schemaAt, 'type']]) this.back.add(p, fields[0]!.at);
    const properties: Obj = {};
    const required: string[] = [];
    for (const { p, at: original } of fields) {
      const field = p as Obj;
      const name = String(field.name);
      const converted = this.parameter({ ...field, in: undefined }, [...schemaAt, 'properties', name], original, false) as Obj;
      properties[name] = converted.schema ?? {};
      if (field.required !== true) continue;
      if (required.length === 0) this.back.add([...schemaAt, 'required'], [...original, 'required']);
      this.back.add([...schemaAt, 'required', String(required.length)], [...original, 'required']);
      required.push(name);
    }
    return { content: { [media]: { schema: { type: 'object', properties, ...(required.length ? { required } : {}) } } } };
  }

  private responses(rs: Obj, produces: string[], at: Path): Obj {
    const out: Obj = {};
    for (const [code, r] of Object.entries(rs)) out[code] = this.response(r, produces, [...at, code], [...at, code]);
    return out;
  }

  private response(r: unknown, produces: string[], from: Path, to: Path): unknown {
    this.noteExternal(to, from, r, 'response');
    this.back.add(from, to);
    this.fwd.add(to, from);
    if (!isObj(r) || typeof r.$ref === 'string') return r;
    const out: Obj = {};
    for (const k of Object.keys(r)) {
      if (k === 'schema') {
        const content: Obj = {};
        this.back.add([...from, 'content'], [...to, 'schema']);
        this.fwd.add([...to, 'schema'], produces.length > 0 ? [...from, 'content', produces[0]!, 'schema'] : null);
        for (const m of produces) {
          content[m] = { schema: r.schema };
          this.back.add([...from, 'content', m], [...to, 'schema']);
          this.back.add([...from, 'content', m, 'schema'], [...to, 'schema']);
        }
        out.content = content;
      } else if (k === 'headers' && isObj(r.headers)) {
        const hs: Obj = {};
        for (const [name, h] of Object.entries(r.headers)) hs[name] = this.parameter(h, [...from, 'headers', name], [...to, 'headers', name]);
        out.headers = hs;
      } else if (k !== 'examples') out[k] = r[k];
    }
    if (out.description === undefined) out.description = '';
    return out;
  }

  private securityScheme(def: unknown, from: Path, to: Path): unknown {
    this.back.add(from, to);
    this.fwd.add(to, from);
    if (!isObj(def)) return def;
    if (def.type === 'basic') return { type: 'http', scheme: 'basic', ...(def.description ? { description: def.description } : {}) };
    if (def.type === 'apiKey') return { type: 'apiKey', name: def.name, in: def.in };
    if (def.type !== 'oauth2') return def;
    const flowName = OAUTH_FLOWS[String(def.flow)] ?? 'implicit';
    const flow: Obj = { scopes: def.scopes ?? {} };
    if (def.authorizationUrl) flow.authorizationUrl = def.authorizationUrl;
    if (def.tokenUrl) flow.tokenUrl = def.tokenUrl;
    this.back.add([...from, 'flows'], to);
    this.back.add([...from, 'flows', flowName], to);
    return { type: 'oauth2', flows: { [flowName]: flow } };
  }
}

const OAUTH_FLOWS: Record<string, string> = {
  implicit: 'implicit',
  password: 'password',
  application: 'clientCredentials',
  accessCode: 'authorizationCode',
};

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

/** Only refs into this document move: a ref into another file reads that file as it is written. */
function rewriteRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(rewriteRefs);
  if (!isObj(v)) return v;
  const out: Obj = Object.create(null);
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (k === '$ref' && typeof x === 'string' && x.startsWith('#/')) {
      out[k] = x
        .replace('#/definitions/', '#/components/schemas/')
        .replace('#/parameters/', '#/components/parameters/')
        .replace('#/responses/', '#/components/responses/');
    } else if (k === 'example' || k === 'x-example') {
      out[k] = x;
    } else {
      out[k] = rewriteRefs(x);
    }
  }
  return out;
}

function isBodyLike(p: unknown): boolean {
  return isObj(p) && (p.in === 'body' || p.in === 'formData');
}

function samePlace(a: unknown, b: unknown): boolean {
  return isObj(a) && isObj(b) && a.name === b.name && a.in === b.in;
}

const SCHEMA_KEYS = [
  'type', 'format', 'items', 'collectionFormat', 'default', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'enum', 'multipleOf',
];
