/** The operations a probe calls, read from an OpenAPI document: security, parameters, bodies, and how to fill them. */
import { loadSpec, type Spec } from '../../breaking/spec/load.js';
import { child, isObj, own, ownKeys, type Loc } from '../../breaking/spec/loc.js';
import { specOperations } from '../../breaking/spec/operations.js';

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Record<string, unknown>;
  example?: unknown;
}

export interface Operation {
  method: string;
  path: string;
  /** `GET /pets/{id}` */
  key: string;
  operationId?: string;
  /** The spec asks for credentials (its effective `security` has no empty alternative). */
  protected: boolean;
  /** `security: []` (or an empty alternative): deliberately public. */
  public: boolean;
  params: Param[];
  /** The first JSON-ish request body media type, and an example body if the spec gives one. */
  body?: { type: string; example?: unknown; required: boolean };
  file: string;
  line?: number;
}

export interface ProbeSpec {
  file: string;
  operations: Operation[];
}

export function readProbeSpec(source: string, cwd: string): ProbeSpec {
  const spec = loadSpec(source, { cwd });
  return { file: spec.root.name, operations: operationsOf(spec) };
}

function operationsOf(spec: Spec): Operation[] {
  return specOperations(spec).map((op) => {
    const operationId = own(op.loc.v, 'operationId');
    const [line] = op.loc.doc.lines([op.loc.path]);
    return {
      method: op.method.toUpperCase(),
      path: op.path,
      key: op.key,
      operationId: typeof operationId === 'string' ? operationId : undefined,
      protected: op.protected,
      public: op.public,
      params: op.parameters.flatMap((p) => paramOf(spec, p) ?? []),
      body: bodyOf(spec, child(op.loc, 'requestBody')),
      file: op.loc.doc.name,
      ...(line ? { line } : {}),
    };
  });
}

function paramOf(spec: Spec, p: Loc): Param | undefined {
  const name = own(p.v, 'name');
  const where = own(p.v, 'in');
  if (typeof name !== 'string' || !['path', 'query', 'header', 'cookie'].includes(where as string)) return undefined;
  const schemaLoc = spec.deref(child(p, 'schema'));
  const schema = isObj(schemaLoc.v) ? schemaLoc.v : {};
  const examples = own(p.v, 'examples');
  const firstExample = isObj(examples) ? own(spec.deref(child(child(p, 'examples'), ownKeys(examples)[0] ?? '')).v, 'value') : undefined;
  return {
    name,
    in: where as Param['in'],
    required: own(p.v, 'required') === true || where === 'path',
    schema,
    example: own(p.v, 'example') ?? firstExample,
  };
}

function bodyOf(spec: Spec, loc: Loc): Operation['body'] {
  const rb = spec.deref(loc);
  if (!isObj(rb.v)) return undefined;
  const content = child(rb, 'content');
  const types = ownKeys(content.v);
  const type = types.find((t) => /json/i.test(t)) ?? types[0];
  if (!type) return undefined;
  const media = child(content, type);
  const schema = spec.deref(child(media, 'schema'));
  const example = own(media.v, 'example') ?? (isObj(schema.v) ? own(schema.v, 'example') : undefined);
  return { type, example, required: own(rb.v, 'required') === true };
}

/** A value the API should accept for a parameter: the spec's example, default or first enum value, else a placeholder. */
export function sampleValue(p: Param): string {
  const s = p.schema;
  const enumFirst = Array.isArray(s.enum) ? s.enum[0] : undefined;
  const v = p.example ?? s.example ?? s.default ?? enumFirst;
  if (v !== undefined && v !== null && typeof v !== 'object') return String(v);
  const type = s.type;
  if (type === 'integer' || type === 'number') return String(typeof s.minimum === 'number' ? s.minimum : 1);
  if (type === 'boolean') return 'true';
  if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (s.format === 'date') return '2026-01-01';
  if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
  return 'asvs-probe';
}

/** Malformed input for a parameter: a broken percent-escape where a path segment goes, a wrong-typed value elsewhere. */
export const MALFORMED_PATH_SEGMENT = '%E0%A4%A';
export const MALFORMED_QUERY_VALUE = "'\"<probe>%00";

/**
 * The request target for an operation: path parameters filled (valid values, or `malformed` for the
 * path ones), required query parameters filled; optional ones only when `malformedQuery` is set.
 */
export function requestTarget(op: Operation, opts: { malformedPath?: boolean; malformedQuery?: boolean } = {}): string {
  let path = op.path;
  for (const p of op.params.filter((x) => x.in === 'path')) {
    const value = opts.malformedPath ? MALFORMED_PATH_SEGMENT : encodeURIComponent(sampleValue(p));
    path = path.split(`{${p.name}}`).join(value);
  }
  const q = new URLSearchParams();
  const query = op.params.filter((x) => x.in === 'query');
  for (const p of query) {
    if (opts.malformedQuery) q.append(p.name, MALFORMED_QUERY_VALUE);
    else if (p.required) q.append(p.name, sampleValue(p));
  }
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}

export function headerParams(op: Operation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.params) if (p.in === 'header' && p.required && !/^(authorization|content-type|accept)$/i.test(p.name)) out[p.name] = sampleValue(p);
  return out;
}

/** `GET /pets`, `getPet` or `listPets` → the operation; undefined when nothing matches. */
export function findOperation(ops: Operation[], ref: string): Operation | undefined {
  const r = ref.trim();
  const m = /^([A-Za-z]+)\s+(\/\S*)$/.exec(r);
  if (m) return ops.find((o) => o.method === m[1]!.toUpperCase() && o.path === m[2]);
  return ops.find((o) => o.operationId === r);
}
