/**
 * The design lint: one loaded spec against the rules design reviews apply (security on every
 * operation, RFC 9457 problem details for errors, naming, documentation). Findings carry the
 * spec line; an element shared by several operations (a `$ref`'d response, a path-level
 * parameter) is reported once, where it is written, naming every operation that reaches it.
 */
import { refOf, type Spec } from '../breaking/spec/load.js';
import type { Doc } from '../breaking/spec/doc.js';
import { child, isObj, own, ownKeys, type Loc } from '../breaking/spec/loc.js';
import { specOperations, type SpecOperation } from '../breaking/spec/operations.js';
import { plural } from '../kit/format/common.js';
import type { Finding } from '../kit/result.js';
import { mediaTypeKey, type DesignOptions } from './config.js';
import { nonKebabSegments, parameterNameIn, parameterNameOk, pathOf, schemaNameIn, schemaNameOk } from './names.js';
import { DESIGN_RULES, type DesignRule } from './rules.js';

export interface LintOutcome {
  findings: Finding[];
  metrics: Record<string, number>;
  /** Every operation of the spec (`GET /pets/{id}`), for the PRD's endpoint list. */
  operations: string[];
}

/** Marks an operation as public on purpose: `security: []` with it is no finding. */
export const PUBLIC_MARKER = 'x-public';

const COMPONENT_KINDS = ['schemas', 'parameters', 'responses', 'requestBodies', 'headers', 'examples', 'links', 'callbacks', 'pathItems', 'securitySchemes'] as const;

interface Pending {
  id: DesignRule;
  text: string;
  at: Loc;
  key?: string;
  ops: string[];
  data?: Record<string, unknown>;
}

/** Findings keyed by rule and place: the second operation reaching the same place joins the first finding. */
class Collector {
  private readonly pending = new Map<string, Pending>();

  add(id: DesignRule, op: string | undefined, text: string, at: Loc, key?: string, data?: Record<string, unknown>): void {
    const k = `${id}\u0000${at.doc.id}#${at.path.join('/')}\u0000${key ?? ''}`;
    const known = this.pending.get(k);
    if (known) {
      if (op && !known.ops.includes(op)) known.ops.push(op);
      return;
    }
    this.pending.set(k, { id, text, at, key, ops: op ? [op] : [], data });
  }

  findings(): Finding[] {
    const pending = [...this.pending.values()];
    const locations = locationsOf(pending.map((p) => ({ at: p.at, key: p.key })));
    return pending.map((p, i) => {
      const [first] = p.ops;
      const also = p.ops.length > 1 ? ` (also in ${plural(p.ops.length - 1, 'other operation')})` : '';
      return {
        id: p.id,
        level: DESIGN_RULES[p.id].level,
        message: first ? `${first}: ${p.text}${also}` : p.text,
        ...(first ? { operation: first } : {}),
        location: locations[i]!,
        ...(p.data || p.ops.length > 1 ? { data: { ...p.data, ...(p.ops.length > 1 ? { operations: p.ops } : {}) } } : {}),
      };
    });
  }
}

/**
 * The file and line of each `key` in its node, else of the node itself. One `lines` call per file:
 * in a JSON file each call scans the text, so one per finding took seconds on a large spec.
 */
function locationsOf(places: readonly { at: Loc; key?: string }[]): { file: string; line?: number }[] {
  const byDoc = new Map<Doc, { paths: (readonly string[])[]; slots: { index: number; first: number; count: number }[] }>();
  places.forEach(({ at, key }, index) => {
    let group = byDoc.get(at.doc);
    if (!group) byDoc.set(at.doc, (group = { paths: [], slots: [] }));
    const candidates = key !== undefined && own(at.v, key) !== undefined ? [child(at, key).path, at.path] : [at.path];
    group.slots.push({ index, first: group.paths.length, count: candidates.length });
    group.paths.push(...candidates);
  });
  const out: { file: string; line?: number }[] = new Array(places.length);
  for (const [doc, { paths, slots }] of byDoc) {
    const lines = doc.lines(paths);
    for (const { index, first, count } of slots) {
      const line = lines.slice(first, first + count).find((l) => l !== undefined);
      out[index] = { file: doc.name, ...(line ? { line } : {}) };
    }
  }
  return out;
}

const ERROR_STATUS = /^[45](?:\d\d|XX)$/i;
const CLIENT_ERROR_STATUS = /^4(?:\d\d|XX)$/i;
const SUCCESS_STATUS = /^2(?:\d\d|XX)$/i;
/** 204 No Content and 205 Reset Content have no body by definition. */
const NO_CONTENT = new Set(['204', '205']);

export function lintSpec(spec: Spec, options: DesignOptions): LintOutcome {
  const c = new Collector();
  const root: Loc = { v: spec.root.value, doc: spec.root, path: [] };
  const components = spec.deref(child(root, 'components'));
  const ops = specOperations(spec);

  checkSecurity(spec, root, components, ops, c);
  for (const op of ops) {
    checkResponses(spec, op, options, c);
    checkParameters(op, options, c);
    const summary = own(op.loc.v, 'summary');
    const description = own(op.loc.v, 'description');
    if (!nonEmpty(summary) && !nonEmpty(description)) {
      c.add('operation-summary-missing', op.key, 'has neither a summary nor a description: say what it does for the reference docs', op.loc);
    }
  }
  checkOperationIds(ops, c);
  checkPaths(spec, root, ops, c);
  const schemas = spec.deref(child(components, 'schemas'));
  for (const name of ownKeys(schemas.v)) {
    if (!schemaNameOk(name)) {
      const fix = schemaNameIn(name);
      c.add('schema-name-not-pascal-case', undefined, `schema '${name}' is not PascalCase${fix !== name ? ` (write '${fix}')` : ''}`, schemas, name);
    }
  }
  const unused = unusedComponents(spec, root, components, ops);
  for (const { kind, name, holder } of unused) {
    c.add('component-unused', undefined, `components/${kind}/${name} is not used by any operation: remove it or reference it`, holder, name);
  }
  return {
    findings: c.findings(),
    metrics: {
      operations: ops.length,
      'public operations': ops.filter((o) => o.public).length,
      schemas: ownKeys(schemas.v).length,
      'unused components': unused.length,
    },
    operations: ops.map((o) => o.key),
  };
}

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '';
}

// ---------------------------------------------------------------- security

function checkSecurity(spec: Spec, root: Loc, components: Loc, ops: SpecOperation[], c: Collector): void {
  const schemes = new Set(ownKeys(spec.deref(child(components, 'securitySchemes')).v));
  const checkNames = (security: Loc, op: string | undefined) => {
    if (!Array.isArray(security.v)) return;
    security.v.forEach((alt, i) => {
      for (const name of ownKeys(alt)) {
        if (schemes.has(name)) continue;
        const whose = op ? 'its security requirement' : 'the document-wide security requirement';
        c.add('security-scheme-undefined', op, `${whose} names '${name}', which components.securitySchemes does not define`, child(security, i), name);
      }
    });
  };
  const rootSecurity = child(root, 'security');
  checkNames(rootSecurity, undefined);
  // A spec with no security anywhere gets one finding, not one per operation (GitHub's has 771).
  const unsecured = ops.filter((op) => op.security === undefined);
  if (ops.length > 1 && unsecured.length === ops.length) {
    c.add(
      'security-missing',
      undefined,
      `no operation has a security requirement and the document has none (${ops.length} operations): define components.securitySchemes and a document-wide security (e.g. security: [{bearerAuth: []}]); mark public operations with security: [] and ${PUBLIC_MARKER}: true`,
      child(root, 'paths'),
      undefined,
      { operations: ops.length },
    );
    ops = ops.filter((op) => op.security !== undefined);
  }
  for (const op of ops) {
    const own_ = child(op.loc, 'security');
    const written = own_.v !== undefined;
    if (written) checkNames(own_, op.key);
    const marked = own(op.loc.v, PUBLIC_MARKER) === true;
    const where = written ? own_ : rootSecurity;
    const inherited = written ? '' : ' (from the document-wide security)';
    if (op.public) {
      if (!marked) {
        const how = Array.isArray(op.security) && op.security.length === 0 ? 'security: []' : 'an empty {} alternative';
        const whence = written ? '' : ' in the document-wide security';
        c.add(
          'security-public-unmarked',
          op.key,
          `can be called without credentials (${how}${whence}) but is not marked ${PUBLIC_MARKER}: true: mark it if it is public on purpose, else require a scheme`,
          where,
        );
      }
    } else if (!op.protected) {
      const why = op.security === undefined ? 'has no security requirement, and the document has none' : 'has a security value that names no scheme';
      c.add('security-missing', op.key, `${why}: add one (e.g. security: [{bearerAuth: []}]), or security: [] with ${PUBLIC_MARKER}: true for a public operation`, op.loc, written ? 'security' : undefined);
    } else if (marked) {
      c.add('security-public-mismatch', op.key, `is marked ${PUBLIC_MARKER}: true but requires credentials${inherited}: drop the marker or make it public with security: []`, op.loc, PUBLIC_MARKER);
    }
  }
}

// ---------------------------------------------------------------- responses

function responseName(spec: Spec, r: Loc, status: string): string {
  if (r.doc === spec.root && r.path.length === 3 && r.path[0] === 'components' && r.path[1] === 'responses') return `response '${r.path[2]}' (used for ${status})`;
  return `${status} response`;
}

function checkResponses(spec: Spec, op: SpecOperation, options: DesignOptions, c: Collector): void {
  const responses = spec.deref(child(op.loc, 'responses'));
  const statuses = ownKeys(responses.v);
  if (!statuses.some((s) => CLIENT_ERROR_STATUS.test(s))) {
    const hint = statuses.includes('default') ? ' (a default response does not tell clients which errors to expect)' : '';
    c.add('error-response-missing', op.key, `has no 4xx response${hint}: document the client errors it returns (400, 401, 403, 404, …)`, op.loc, 'responses');
  }
  const expected = options.errorMediaTypes.join(' or ');
  for (const status of statuses) {
    const r = spec.deref(child(responses, status));
    const content = child(r, 'content');
    const types = ownKeys(content.v);
    const name = responseName(spec, r, status);
    if (ERROR_STATUS.test(status) || status === 'default') {
      if (types.length === 0) {
        if (op.method !== 'head') c.add('error-response-without-body', op.key, `${name} declares no body: describe it as ${expected} (RFC 9457 problem details)`, r);
      } else if (!types.some((t) => options.errorMediaTypes.includes(mediaTypeKey(t)))) {
        c.add('error-response-not-problem-json', op.key, `${name} is ${types.join(', ')}, not ${expected} (RFC 9457 problem details): return problem details, or add your error format to options.error-media-types in the rules file`, r, 'content', { status, mediaTypes: types });
      }
    } else if (SUCCESS_STATUS.test(status) && !NO_CONTENT.has(status) && op.method !== 'head') {
      if (types.length === 0) {
        const how = status === '202' ? 'describe the status it returns with a schema (RFC 9110: a 202 points at or describes the pending work)' : 'describe it with a schema (or answer 204 No Content)';
        c.add('success-response-schema-missing', op.key, `${name} has no body: ${how}`, r);
        continue;
      }
      // OpenAPI 3.1 describes binary content by its media type alone (`image/png: {}`); 3.0 needs a schema.
      const missing = types.filter((t) => own(child(content, t).v, 'schema') === undefined && !(spec.version === '3.1' && isBinaryMediaType(t)));
      if (missing.length > 0) {
        const binary = spec.version !== '3.1' && missing.some(isBinaryMediaType) ? ' (binary content: schema: {type: string, format: binary})' : '';
        c.add('success-response-schema-missing', op.key, `${name} has no schema for ${missing.join(', ')}${binary}`, child(content, missing[0]!));
      }
    }
  }
}

/** Media types whose body is bytes, not a structure a schema describes. */
export function isBinaryMediaType(t: string): boolean {
  const m = mediaTypeKey(t);
  return /^(?:image|audio|video|font)\//.test(m) || ['application/octet-stream', 'application/pdf', 'application/zip', 'application/gzip'].includes(m);
}

// ---------------------------------------------------------------- naming

function checkParameters(op: SpecOperation, options: DesignOptions, c: Collector): void {
  const template = [...pathOf(op.path).matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const declared = new Set<string>();
  for (const p of op.parameters) {
    const where = own(p.v, 'in');
    const name = own(p.v, 'name');
    if (typeof name !== 'string') continue;
    if (where === 'path') {
      declared.add(name);
      if (!template.includes(name)) c.add('path-parameter-mismatch', op.key, `path parameter '${name}' is not in the path '${op.path}'`, p, 'name');
    }
    if ((where === 'path' || where === 'query') && !parameterNameOk(name, options.parameterCase)) {
      const fix = parameterNameIn(name, options.parameterCase);
      c.add('parameter-name-case', op.key, `${where} parameter '${name}' is not ${options.parameterCase}${fix !== name ? ` (write '${fix}')` : ''}`, p, 'name');
    }
  }
  for (const name of template) {
    if (!declared.has(name)) {
      c.add('path-parameter-mismatch', op.key, `path parameter {${name}} is not declared: add a parameter with in: path, name: ${name}, required: true`, op.loc);
    }
  }
}

function checkOperationIds(ops: SpecOperation[], c: Collector): void {
  const first = new Map<string, SpecOperation>();
  const duplicates: { op: SpecOperation; id: string; known: SpecOperation }[] = [];
  for (const op of ops) {
    const id = own(op.loc.v, 'operationId');
    if (!nonEmpty(id)) {
      c.add('operation-id-missing', op.key, 'has no operationId: code generators and the docs name the operation by it', op.loc);
      continue;
    }
    const known = first.get(id as string);
    if (!known) first.set(id as string, op);
    else duplicates.push({ op, id: id as string, known });
  }
  // The first use's line, looked up for all duplicates at once (one scan per file).
  const lines = locationsOf(duplicates.map((d) => ({ at: d.known.loc, key: 'operationId' })));
  duplicates.forEach(({ op, id, known }, i) => {
    const { file, line } = lines[i]!;
    const where = line ? ` (${known.loc.doc === op.loc.doc ? '' : `${file}:`}line ${line})` : '';
    c.add('operation-id-duplicate', op.key, `operationId '${id}' is also the operationId of ${known.key}${where}: operationIds must be unique`, op.loc, 'operationId');
  });
}

function checkPaths(spec: Spec, root: Loc, ops: SpecOperation[], c: Collector): void {
  const paths = spec.deref(child(root, 'paths'));
  for (const path of ownKeys(paths.v)) {
    if (!path.startsWith('/')) continue;
    const bad = nonKebabSegments(pathOf(path));
    if (bad.length === 0) continue;
    const list = bad.map((b) => `'${b.segment}'`).join(', ');
    const fix = bad.map((b) => `'${b.suggestion}'`).join(', ');
    const operations = ops.filter((o) => o.path === path).map((o) => o.key);
    c.add(
      'path-segment-not-kebab-case',
      undefined,
      `path '${path}': ${bad.length === 1 ? 'segment' : 'segments'} ${list} ${bad.length === 1 ? 'is' : 'are'} not kebab-case (write ${fix})`,
      paths,
      path,
      operations.length ? { operations } : undefined,
    );
  }
}

// ---------------------------------------------------------------- unused components

/**
 * Components no operation reaches: everything the document holds outside `components` (paths,
 * webhooks) is walked, following each `$ref` (into other files too) and discriminator mappings;
 * security requirements name the schemes they use. A component referenced only by another
 * unused component is unused too.
 */
function unusedComponents(spec: Spec, root: Loc, components: Loc, ops: SpecOperation[]): { kind: string; name: string; holder: Loc }[] {
  const reached = new Set<string>();
  const mark = (t: Loc) => {
    for (let i = 1; i <= t.path.length; i++) reached.add(`${t.doc.id}#${t.path.slice(0, i).join('/')}`);
  };
  const done = new Set<object>();
  const stack: { loc: Loc; key: string }[] = ownKeys(root.v)
    .filter((k) => k !== 'components' && !k.startsWith('x-'))
    .map((k) => ({ loc: child(root, k), key: k }));
  const schemasLoc = spec.deref(child(components, 'schemas'));
  while (stack.length > 0) {
    const { loc, key } = stack.pop()!;
    const v = loc.v;
    if (typeof v !== 'object' || v === null || done.has(v)) continue;
    done.add(v);
    if (Array.isArray(v)) {
      v.forEach((_, i) => stack.push({ loc: child(loc, i), key: `${key}[]` }));
      continue;
    }
    if (refOf(v) !== undefined) {
      const target = spec.target(loc);
      mark(target);
      stack.push({ loc: target, key });
    }
    // discriminator.mapping values are schema names or references, written as strings.
    const mapping = own(own(v, 'discriminator'), 'mapping');
    for (const value of Object.values(isObj(mapping) ? mapping : {})) {
      if (typeof value !== 'string') continue;
      const name = value.startsWith('#/') ? value.slice(2).split('/') : [...schemasLoc.path, value];
      const target = { v: undefined, doc: value.startsWith('#/') ? loc.doc : schemasLoc.doc, path: name };
      mark(target);
      const node = value.startsWith('#/') ? undefined : child(schemasLoc, value);
      if (node && node.v !== undefined) stack.push({ loc: node, key: value });
    }
    for (const k of ownKeys(v)) {
      if (k === '$ref' || isData(k, key, own(v, k))) continue;
      stack.push({ loc: child(loc, k), key: k });
    }
  }
  for (const security of [own(root.v, 'security'), ...ops.map((o) => o.security)]) {
    if (!Array.isArray(security)) continue;
    for (const alt of security) for (const name of ownKeys(alt)) reached.add(`schemes#${name}`);
  }
  const out: { kind: string; name: string; holder: Loc }[] = [];
  for (const kind of COMPONENT_KINDS) {
    const holder = spec.deref(child(components, kind));
    for (const name of ownKeys(holder.v)) {
      const used = kind === 'securitySchemes' ? reached.has(`schemes#${name}`) : reached.has(`${holder.doc.id}#${[...holder.path, name].join('/')}`);
      if (!used) out.push({ kind, name, holder });
    }
  }
  return out;
}

/** Keys whose value maps names the spec's author chose to objects: no key there is a keyword. */
const NAME_MAPS = new Set([
  'properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions', 'responses', 'examples', 'headers', 'links',
  'callbacks', 'encoding', 'schemas', 'parameters', 'requestBodies', 'securitySchemes', 'pathItems', 'webhooks', 'paths', 'content',
]);

/** Values that are data, not spec structure: a `$ref` inside an example is part of the example. */
function isData(key: string, parentKey: string, value: unknown): boolean {
  if (key.startsWith('x-')) return true;
  // In a map of names (a property called `example`, a `default` response or example) every key is structure.
  if (NAME_MAPS.has(parentKey)) return false;
  if (key === 'example' || key === 'default' || key === 'enum' || key === 'const' || key === 'value') return true;
  // A map of Example Objects (which may be `$ref`s) is structure; the 3.1 schema keyword `examples` is an array of data.
  return key === 'examples' && Array.isArray(value);
}
