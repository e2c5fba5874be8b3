import { isObj, own, ownKeys, type Obj } from './loc.js';

/**
 * Swagger 2.0 → OpenAPI 3.0, enough for diffing: definitions, parameters (body/formData → requestBody),
 * responses, produces/consumes, securityDefinitions. Local `#/definitions/…` refs are rewritten.
 */
export function convertSwagger2(src: Obj): Obj {
  const v = rewriteRefs(src) as Obj;
  const consumes = strings(own(v, 'consumes')) ?? ['application/json'];
  const produces = strings(own(v, 'produces')) ?? ['application/json'];
  const out: Obj = { openapi: '3.0.0', info: own(v, 'info') ?? {}, paths: {} };
  const components: Obj = {};
  if (isObj(own(v, 'definitions'))) components.schemas = own(v, 'definitions');
  if (isObj(own(v, 'securityDefinitions'))) {
    const schemes: Obj = {};
    for (const [name, def] of Object.entries(own(v, 'securityDefinitions') as Obj)) schemes[name] = convertSecurityScheme(def);
    components.securitySchemes = schemes;
  }
  if (isObj(own(v, 'responses'))) {
    const rs: Obj = {};
    for (const [code, r] of Object.entries(own(v, 'responses') as Obj)) rs[code] = convertResponse(r, produces);
    components.responses = rs;
  }
  if (isObj(own(v, 'parameters'))) {
    const ps: Obj = {};
    for (const [name, p] of Object.entries(own(v, 'parameters') as Obj)) {
      if (isObj(p) && (p.in === 'body' || p.in === 'formData')) continue;
      ps[name] = convertParameter(p);
    }
    components.parameters = ps;
  }
  out.components = components;
  for (const k of ['security', 'tags', 'externalDocs']) if (own(v, k) !== undefined) out[k] = own(v, k);
  for (const k of ownKeys(v)) if (k.startsWith('x-')) out[k] = v[k];
  const paths = own(v, 'paths');
  const outPaths: Obj = {};
  for (const p of ownKeys(paths)) {
    const item = (paths as Obj)[p];
    if (!isObj(item)) continue;
    const outItem: Obj = {};
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const k of ownKeys(item)) {
      const op = item[k];
      if (k === 'parameters') {
        outItem.parameters = shared.filter((x) => !isBodyLike(x, v)).map(convertParameter);
      } else if (METHODS.has(k) && isObj(op)) {
        outItem[k] = convertOperation(op, shared, v, consumes, produces);
      } else {
        outItem[k] = op;
      }
    }
    outPaths[p] = outItem;
  }
  out.paths = outPaths;
  return out;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

function rewriteRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(rewriteRefs);
  if (!isObj(v)) return v;
  const out: Obj = Object.create(null);
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (k === '$ref' && typeof x === 'string') {
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

function isBodyLike(p: unknown, root: Obj): boolean {
  const r = resolveLocal(p, root);
  return isObj(r) && (r.in === 'body' || r.in === 'formData');
}

function resolveLocal(p: unknown, root: Obj): unknown {
  if (isObj(p) && typeof p.$ref === 'string' && p.$ref.startsWith('#/components/parameters/')) {
    const name = p.$ref.slice('#/components/parameters/'.length);
    return own(own(root, 'parameters'), name) ?? p;
  }
  return p;
}

const SCHEMA_KEYS = [
  'type', 'format', 'items', 'collectionFormat', 'default', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'enum', 'multipleOf',
];

function convertParameter(p: unknown): unknown {
  if (!isObj(p) || typeof p.$ref === 'string') return p;
  const out: Obj = {};
  const schema: Obj = {};
  for (const k of Object.keys(p)) {
    if (SCHEMA_KEYS.includes(k)) {
      if (k !== 'collectionFormat') schema[k] = p[k];
    } else out[k] = p[k];
  }
  if (Object.keys(schema).length > 0) out.schema = schema;
  return out;
}

function convertOperation(op: Obj, shared: unknown[], root: Obj, consumes: string[], produces: string[]): Obj {
  const out: Obj = {};
  const opConsumes = strings(op.consumes) ?? consumes;
  const opProduces = strings(op.produces) ?? produces;
  const params = Array.isArray(op.parameters) ? op.parameters : [];
  const all = [...params, ...shared.filter((s) => !params.some((p) => samePlace(resolveLocal(p, root), resolveLocal(s, root))))];
  const body = all.map((p) => resolveLocal(p, root)).find((p) => isObj(p) && p.in === 'body') as Obj | undefined;
  const form = all.map((p) => resolveLocal(p, root)).filter((p) => isObj(p) && p.in === 'formData') as Obj[];
  for (const k of Object.keys(op)) {
    if (k === 'parameters') out.parameters = params.filter((p) => !isBodyLike(p, root)).map(convertParameter);
    else if (k === 'responses' && isObj(op.responses)) {
      const rs: Obj = {};
      for (const [code, r] of Object.entries(op.responses)) rs[code] = convertResponse(r, opProduces);
      out.responses = rs;
    } else if (k !== 'consumes' && k !== 'produces') out[k] = op[k];
  }
  if (body) {
    const content: Obj = {};
    for (const m of opConsumes) content[m] = { schema: body.schema ?? {} };
    out.requestBody = { required: body.required === true, content, ...(body.description ? { description: body.description } : {}) };
  } else if (form.length > 0) {
    const properties: Obj = {};
    const required: string[] = [];
    for (const f of form) {
      const s = convertParameter({ ...f, in: undefined }) as Obj;
      properties[String(f.name)] = s.schema ?? {};
      if (f.required === true) required.push(String(f.name));
    }
    const media = opConsumes.find((m) => m.includes('form')) ?? 'application/x-www-form-urlencoded';
    out.requestBody = { content: { [media]: { schema: { type: 'object', properties, ...(required.length ? { required } : {}) } } } };
  }
  return out;
}

function samePlace(a: unknown, b: unknown): boolean {
  return isObj(a) && isObj(b) && a.name === b.name && a.in === b.in;
}

function convertResponse(r: unknown, produces: string[]): unknown {
  if (!isObj(r) || typeof r.$ref === 'string') return r;
  const out: Obj = {};
  for (const k of Object.keys(r)) {
    if (k === 'schema') {
      const content: Obj = {};
      for (const m of produces) content[m] = { schema: r.schema };
      out.content = content;
    } else if (k === 'headers' && isObj(r.headers)) {
      const hs: Obj = {};
      for (const [name, h] of Object.entries(r.headers)) {
        const c = convertParameter(h) as Obj;
        hs[name] = c;
      }
      out.headers = hs;
    } else if (k !== 'examples') out[k] = r[k];
  }
  if (out.description === undefined) out.description = '';
  return out;
}

function convertSecurityScheme(def: unknown): unknown {
  if (!isObj(def)) return def;
  if (def.type === 'basic') return { type: 'http', scheme: 'basic', ...(def.description ? { description: def.description } : {}) };
  if (def.type === 'apiKey') return { type: 'apiKey', name: def.name, in: def.in };
  if (def.type === 'oauth2') {
    const flowName = ({ implicit: 'implicit', password: 'password', application: 'clientCredentials', accessCode: 'authorizationCode' } as Record<string, string>)[
      String(def.flow)
    ];
    const flow: Obj = { scopes: def.scopes ?? {} };
    if (def.authorizationUrl) flow.authorizationUrl = def.authorizationUrl;
    if (def.tokenUrl) flow.tokenUrl = def.tokenUrl;
    return { type: 'oauth2', flows: { [flowName ?? 'implicit']: flow } };
  }
  return def;
}
