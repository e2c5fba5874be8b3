/**
 * Swagger 2.0 shapes → OpenAPI 3's for the nodes written in one file: paths, operations, parameters
 * (body and formData → requestBody), responses, security definitions.
 */
import { isObj, own, ownKeys, type Obj } from '../loc.js';
import type { Conversion } from './conversion.js';
import type { Path, Site } from './index.js';
import { PrefixMap } from './prefix-map.js';
import { isRef, strings } from './values.js';

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

/** A parameter as the operation sees it (its `$ref`s followed) and where it and its list entry are written. */
interface Placed {
  /** The list entry as written: the parameter, or a `$ref` to it. */
  readonly written: unknown;
  readonly p: unknown;
  /** The file and path of `p`. */
  readonly file: string;
  readonly at: Path;
  /** The file and path of the list entry. */
  readonly wroteIn: string;
  readonly wroteAt: Path;
  /** See Conversion.resolve. */
  readonly viaRoot: boolean;
}

export class Converter {
  /** Converted paths → original ones (in `file`). */
  readonly back = new PrefixMap();
  /** Original paths → converted ones, where the conversion moved something. */
  readonly fwd = new PrefixMap();
  private readonly v: Obj;
  private readonly consumes: string[];
  private readonly produces: string[];

  /** Converts nodes written in `file`; a part's first node is written at `base`. */
  constructor(
    private readonly c: Conversion,
    private readonly file: string,
    private readonly base: Path,
  ) {
    this.v = c.root;
    this.consumes = c.consumes;
    this.produces = c.produces;
    if (base.length > 0) this.back.add([], base);
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
      if (isObj(item)) outPaths[p] = this.placedPathItem(['paths', p], item);
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
        rs[code] = this.placedResponse(r, this.produces, ['components', 'responses', code], ['responses', code]);
      }
      components.responses = rs;
    }
    if (isObj(own(v, 'parameters'))) {
      const ps: Obj = {};
      for (const name of Object.keys(own(v, 'parameters') as Obj)) {
        const placed = this.placedOne((own(v, 'parameters') as Obj)[name], ['parameters', name]);
        if (isBodyLike(placed.p)) {
          this.fwd.add(['parameters', name], null); // it becomes part of each operation's request body
          continue;
        }
        ps[name] = this.plainParameter(placed, ['components', 'parameters', name], ['parameters', name]);
      }
      components.parameters = ps;
    }
    return components;
  }

  private pathItem(out: Path, src: Path, item: Obj): Obj {
    this.c.check({ file: this.file, path: src, v: item }, 'path item');
    const res: Obj = {};
    const shared = this.placed(item.parameters, [...src, 'parameters']);
    for (const k of ownKeys(item)) {
      const op = item[k];
      if (k === 'parameters') res.parameters = this.plainParameters(shared, [...out, 'parameters'], [...src, 'parameters']);
      else if (METHODS.has(k) && isObj(op)) res[k] = this.placedOperation([...out, k], [...src, k], op, shared);
      else res[k] = op;
    }
    return res;
  }

  /** A path item written here, or a `$ref` to one: converted where it is written. */
  private placedPathItem(at: Path, written: Obj): Obj {
    if (!isRef(written)) return this.pathItem(at, at, written);
    const from: Site = { file: this.file, path: at, v: written };
    const beside = Object.keys(written).find((k) => k !== '$ref' && k !== 'description' && k !== 'summary' && !k.startsWith('x-'));
    if (beside !== undefined) {
      throw this.c.error(from, `field '${beside}' is written beside a $ref to a path item: Swagger 2.0 leaves what that means undefined; keep the path item in one place`, undefined, beside);
    }
    const site = this.c.resolve(from);
    return this.c.link(written, this.c.part('path item', site, 'path item', from, (c) => c.pathItem([], site.path, site.v as Obj)));
  }

  /** An operation, or a `$ref` to one (not 2.0, but written): its body may come from this path item's parameters. */
  private placedOperation(out: Path, src: Path, op: Obj, shared: readonly Placed[]): Obj {
    if (!isRef(op)) return this.operation(out, src, op, shared);
    const from: Site = { file: this.file, path: src, v: op };
    const site = this.c.resolve(from);
    const key = `operation of ${this.file}#${src.join('/')}`;
    return this.c.link(op, this.c.part(key, site, 'operation', from, (c) => c.operation([], site.path, site.v as Obj, shared)));
  }

  private placed(list: unknown, src: Path): Placed[] {
    if (!Array.isArray(list)) return [];
    return list.map((written: unknown, i) => this.placedOne(written, [...src, String(i)]));
  }

  /** A parameter (list entry) written here at `at`, its `$ref`s followed. */
  private placedOne(written: unknown, at: Path): Placed {
    const from: Site = { file: this.file, path: at, v: written };
    const site = this.c.resolve(from);
    this.c.check(site, 'parameter', from);
    return { written, p: site.v, file: site.file, at: site.path, wroteIn: this.file, wroteAt: at, viaRoot: site.viaRoot };
  }

  /** Where a parameter shows in this converter's file: itself, else its list entry, else the part's first node. */
  private local(placed: Placed): Path {
    if (placed.file === this.file) return placed.at;
    return placed.wroteIn === this.file ? placed.wroteAt : this.base;
  }

  /** The parameters of a list that stay parameters, as written (refs kept). */
  private plainParameters(list: readonly Placed[], out: Path, src: Path): unknown[] {
    const res: unknown[] = [];
    list.forEach((placed, i) => {
      if (!isBodyLike(placed.p)) res.push(this.plainParameter(placed, [...out, String(res.length)], [...src, String(i)]));
      else this.fwd.add([...src, String(i)], null);
    });
    return res;
  }

  /**
   * One parameter at `from` (converted: `to`): written here, or reached through the root (whose
   * converted form the `$ref` then finds), else a part converted in its own file.
   */
  private plainParameter(placed: Placed, to: Path, from: Path): unknown {
    if (placed.written === placed.p || placed.viaRoot) return this.parameter(placed.written, to, from);
    this.back.add(to, from);
    this.fwd.add(from, to);
    const site: Site = { file: placed.file, path: placed.at, v: placed.p };
    const written: Site = { file: placed.wroteIn, path: placed.wroteAt, v: placed.written };
    return this.c.link(placed.written, this.c.part('parameter', site, 'parameter', written, (c) => c.parameter(site.v, [], site.path)));
  }

  /** `forward`: a pointer to the original parameter lands on the result (not so for a form field, which becomes a schema). */
  private parameter(p: unknown, from: Path, to: Path, forward = true): unknown {
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

  private operation(out: Path, src: Path, op: Obj, shared: readonly Placed[]): Obj {
    this.c.check({ file: this.file, path: src, v: op }, 'operation');
    const res: Obj = {};
    const consumes = strings(op.consumes) ?? this.consumes;
    const produces = strings(op.produces) ?? this.produces;
    const mine = this.placed(op.parameters, [...src, 'parameters']);
    const all = [...mine, ...shared.filter((s) => !mine.some((p) => samePlace(p.p, s.p)))];
    for (const k of Object.keys(op)) {
      if (k === 'parameters') res.parameters = this.plainParameters(mine, [...out, 'parameters'], [...src, 'parameters']);
      else if (k === 'responses' && isObj(op.responses)) res.responses = this.responses(op.responses, produces, [...out, 'responses'], [...src, 'responses']);
      else if (k !== 'consumes' && k !== 'produces') res[k] = op[k];
    }
    const body = all.find((x) => isObj(x.p) && x.p.in === 'body');
    const form = all.filter((x) => isObj(x.p) && x.p.in === 'formData');
    if (body) res.requestBody = this.requestBody(body, consumes, [...out, 'requestBody']);
    else if (form.length > 0) res.requestBody = this.form(form, consumes, [...out, 'requestBody']);
    return res;
  }

  /** The request body of a body parameter: made here if it is written in this file, else a part in its own. */
  private requestBody(body: Placed, consumes: string[], at: Path): unknown {
    if (body.file === this.file) return this.body(body, consumes, at);
    this.back.add(at, this.local(body));
    const site: Site = { file: body.file, path: body.at, v: body.p };
    const written: Site = { file: body.wroteIn, path: body.wroteAt, v: body.written };
    return this.c.link(body.written, this.c.part(`body ${consumes.join(',')}`, site, 'parameter', written, (c) => c.body(body, consumes, [])));
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
    for (const p of [at, [...at, 'content', media], schemaAt, [...schemaAt, 'type']]) this.back.add(p, this.local(fields[0]!));
    const properties: Obj = {};
    const required: string[] = [];
    for (const placed of fields) {
      const field = placed.p as Obj;
      const name = String(field.name);
      const propertyAt = [...schemaAt, 'properties', name];
      if (placed.file === this.file) {
        const converted = this.parameter({ ...field, in: undefined }, propertyAt, placed.at, false) as Obj;
        properties[name] = converted.schema ?? {};
      } else {
        // A field kept in another file: its schema is a part there.
        this.back.add(propertyAt, this.local(placed));
        const site: Site = { file: placed.file, path: placed.at, v: field };
        const written: Site = { file: placed.wroteIn, path: placed.wroteAt, v: placed.written };
        properties[name] = this.c.link(placed.written, this.c.part('form field', site, 'parameter', written, () => fieldSchema(field)));
      }
      if (field.required !== true) continue;
      const requiredAt = placed.file === this.file ? [...placed.at, 'required'] : this.local(placed);
      if (required.length === 0) this.back.add([...schemaAt, 'required'], requiredAt);
      this.back.add([...schemaAt, 'required', String(required.length)], requiredAt);
      required.push(name);
    }
    return { content: { [media]: { schema: { type: 'object', properties, ...(required.length ? { required } : {}) } } } };
  }

  private responses(rs: Obj, produces: string[], out: Path, src: Path): Obj {
    const res: Obj = {};
    for (const [code, r] of Object.entries(rs)) res[code] = this.placedResponse(r, produces, [...out, code], [...src, code]);
    return res;
  }

  /** A response written here at `to` (converted: `from`), or a `$ref` to one: one through the root is found by the `$ref`, one elsewhere is a part. */
  private placedResponse(r: unknown, produces: string[], from: Path, to: Path): unknown {
    if (!isRef(r)) return this.response(r, produces, from, to);
    const written: Site = { file: this.file, path: to, v: r };
    const site = this.c.resolve(written);
    if (site.viaRoot) return this.response(r, produces, from, to);
    this.back.add(from, to);
    this.fwd.add(to, from);
    return this.c.link(r, this.c.part(`response ${produces.join(',')}`, site, 'response', written, (c) => c.response(site.v, produces, [], site.path)));
  }

  private response(r: unknown, produces: string[], from: Path, to: Path): unknown {
    this.back.add(from, to);
    this.fwd.add(to, from);
    if (!isObj(r) || typeof r.$ref === 'string') return r;
    this.c.check({ file: this.file, path: to, v: r }, 'response');
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

/** A formData field as a property schema: its schema keywords. */
function fieldSchema(field: Obj): Obj {
  const out: Obj = {};
  for (const k of Object.keys(field)) if (SCHEMA_KEYS.includes(k) && k !== 'collectionFormat') out[k] = field[k];
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
