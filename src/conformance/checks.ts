/**
 * The checks run on every answer. Ids are stable (test plans name them as `conformance:<id>`);
 * the Schemathesis check each one matches is named in CHECKS.
 */
import type { Level } from '../kit/result.js';
import type { Loc } from '../breaking/spec/loc.js';
import type { TestCase } from './cases.js';
import { isJsonMedia } from './cases.js';
import type { HttpResponse } from './http.js';
import { documentedResponse, type MediaType, type Response } from './operations.js';
import type { SchemaBank } from './schema.js';
import type { Validator } from './validate.js';

export interface CheckInfo {
  level: Level;
  summary: string;
  /** The Schemathesis check this one matches, for users coming from it. */
  schemathesis?: string;
}

export const CHECKS = {
  'request-completed': { level: 'error', summary: 'the API answered within the request timeout (no connection error)' },
  'no-server-error': { level: 'error', summary: 'no answer has a 5xx status', schemathesis: 'not_a_server_error' },
  'status-documented': { level: 'error', summary: "the status is documented for the operation (exact code, 'NXX' range or 'default')", schemathesis: 'status_code_conformance' },
  'content-type-documented': { level: 'error', summary: "the Content-Type is one the documented response declares", schemathesis: 'content_type_conformance' },
  'response-schema': { level: 'error', summary: 'the body is valid against the documented schema', schemathesis: 'response_schema_conformance' },
  'response-headers': { level: 'error', summary: 'headers the response declares as required are present and valid', schemathesis: 'response_headers_conformance' },
  'problem-details': { level: 'error', summary: 'application/problem+json bodies follow RFC 9457 (object; status matches the HTTP status; type, title, detail, instance are strings)' },
  'response-time': { level: 'error', summary: 'every answer arrives within the response-time limit', schemathesis: 'max_response_time' },
  'negative-rejected': { level: 'error', summary: 'requests that break the spec are answered with a 4xx', schemathesis: 'negative_data_rejection' },
  'auth-enforced': { level: 'error', summary: 'operations that require credentials answer 401 or 403 without them', schemathesis: 'ignored_auth' },
  'positive-accepted': { level: 'warning', summary: 'requests valid against the spec are not refused with a 4xx (other than 401, 403, 404, 409, 429)', schemathesis: 'positive_data_acceptance' },
} as const satisfies Record<string, CheckInfo>;

export type CheckId = keyof typeof CHECKS;

export function isCheckId(s: string): s is CheckId {
  return Object.prototype.hasOwnProperty.call(CHECKS, s);
}

export interface Failure {
  check: CheckId;
  message: string;
  /** Where in the spec the failure points (the documented response, or the operation). */
  at: Loc;
  /** Distinguishes failures of one check and operation when deduplicating. */
  key: string;
}

export interface CheckContext {
  response: SchemaBank;
  validator: Validator;
  maxResponseTimeMs: number;
  credentialsConfigured: boolean;
  skip: ReadonlySet<string>;
}

export interface CheckOutcome {
  passed: CheckId[];
  failures: Failure[];
  /** The body was over the size limit: its schema was not checked (where the documented response is). */
  unchecked?: Loc;
}

function mediaOf(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** `application/*` and `*\/*` in the spec match any subtype / type; `application/*+json` any subtype with that suffix. */
function mediaMatches(declared: string, actual: string): boolean {
  const d = mediaOf(declared);
  if (d === '*/*' || d === actual) return true;
  const [dt, ds] = d.split('/');
  const [at, as] = actual.split('/');
  if (dt !== at || ds === undefined || as === undefined) return false;
  if (ds === '*') return true;
  return ds.startsWith('*+') && as.endsWith(ds.slice(1));
}

function bestMedia(resp: Response, actual: string): MediaType | undefined {
  const exact = resp.content.find((m) => mediaOf(m.type) === actual);
  return exact ?? resp.content.find((m) => mediaMatches(m.type, actual));
}

const ACCEPTABLE_POSITIVE_4XX = new Set([404, 409, 429]);

export function checkResponse(c: TestCase, res: HttpResponse, ctx: CheckContext): CheckOutcome {
  const op = c.op;
  const passed: CheckId[] = [];
  const failures: Failure[] = [];
  const responsesLoc: Loc = { v: undefined, doc: op.loc.doc, path: [...op.loc.path, 'responses'] };
  const judge = (check: CheckId, failure: Omit<Failure, 'check'> | undefined) => {
    if (ctx.skip.has(check)) return;
    if (failure) failures.push({ check, ...failure });
    else passed.push(check);
  };
  const status = res.status;
  const doc = documentedResponse(op, status);
  const at = doc?.loc ?? responsesLoc;

  judge('no-server-error', status >= 500 ? { message: `answered ${status} ${statusText(res)}`, at, key: String(status) } : undefined);
  judge(
    'status-documented',
    doc ? undefined : { message: `answered ${status}${redirectNote(res)}, which the spec does not document (documented: ${op.responses.map((r) => r.status).join(', ') || 'none'})`, at: responsesLoc, key: String(status) },
  );

  if (c.expect === 'reject') {
    judge('negative-rejected', status < 400 ? { message: `accepted an invalid request with ${status} (${c.description}); expected a 4xx`, at: op.loc, key: c.description.replace(/\d+/g, 'N') } : undefined);
  } else if (c.expect === 'unauthorized') {
    judge('auth-enforced', status === 401 || status === 403 ? undefined : { message: `answered ${status} to a request without credentials; expected 401 or 403`, at: op.loc, key: String(status) });
  } else if (status >= 400 && status < 500) {
    // Without usable credentials a 401/403 is the gate's doing, not a missing constraint in the spec.
    const authIsTheirs = (status === 401 || status === 403) && (!ctx.credentialsConfigured || op.queryCredentials.length > 0);
    const refused = !ACCEPTABLE_POSITIVE_4XX.has(status) && !authIsTheirs;
    const hint = status === 401 || status === 403 ? ' (are the --header credentials valid for this operation?)' : '';
    judge('positive-accepted', refused ? { message: `refused a request that is valid against the spec with ${status}${problemDetail(res)}${hint}`, at, key: String(status) } : undefined);
  }

  if (ctx.maxResponseTimeMs > 0) {
    const ms = Math.round(res.elapsedMs);
    judge('response-time', ms > ctx.maxResponseTimeMs ? { message: `answered in ${ms} ms, over the ${ctx.maxResponseTimeMs} ms limit`, at: op.loc, key: 'slow' } : undefined);
  }

  if (!doc) return { passed, failures };
  const bodyAllowed = op.method !== 'head' && status !== 204 && status !== 304;
  const hasBody = res.body.length > 0 && bodyAllowed;
  const actual = mediaOf(res.headers.get('content-type'));
  if (bodyAllowed && !hasBody && actual && isJsonMedia(actual) && doc.content.length > 0) {
    // The API says JSON and sends nothing: a client parsing the documented body fails.
    const declared = bestMedia(doc, actual);
    if (declared && isJsonMedia(declared.type === '*/*' ? actual : declared.type)) {
      judge('response-schema', { message: `answered ${status} with Content-Type ${actual} and an empty body, which is not JSON (the spec documents a body)`, at, key: 'empty' });
    }
  } else if (bodyAllowed && !hasBody && !actual && doc.status !== 'default' && doc.content.length > 0 && doc.content.every((m) => isJsonMedia(m.type) && m.type !== '*/*')) {
    // Nothing at all where the spec documents only JSON bodies for this status: a client parsing the
    // documented body fails. (Not for `default`: it is "anything else", often a framework's bare 404 or 405.)
    const declared = doc.content.map((m) => m.type).join(', ');
    judge('response-schema', { message: `answered ${status} with an empty body and no Content-Type; the spec documents a body (${declared})`, at, key: 'empty' });
  }
  let media: MediaType | undefined;
  if (doc.content.length > 0 && hasBody) {
    media = actual ? bestMedia(doc, actual) : undefined;
    const declared = doc.content.map((m) => m.type).join(', ');
    judge(
      'content-type-documented',
      media
        ? undefined
        : { message: actual ? `answered ${status} with Content-Type ${actual}; the spec declares ${declared}` : `answered ${status} with a body but no Content-Type; the spec declares ${declared}`, at, key: actual || 'none' },
    );
  }

  for (const h of doc.headers) {
    if (['content-type'].includes(h.name.toLowerCase())) continue;
    const value = res.headers.get(h.name);
    if (value === null) {
      if (h.required) judge('response-headers', { message: `answered ${status} without the required header ${h.name}`, at, key: h.name });
      continue;
    }
    if (!h.schema) continue;
    const schema = ctx.response.convert(h.schema);
    const v = headerReadings(value, h.explode).some((x) => ctx.validator.validate(schema, x).ok);
    judge('response-headers', v ? undefined : { message: `answered ${status} with header ${h.name}: ${JSON.stringify(value)}, not valid against its schema`, at, key: h.name });
  }

  if (!media || !isJsonMedia(media.type === '*/*' ? actual : media.type)) return { passed, failures };
  const bodyAt: Loc = { v: undefined, doc: media.loc.doc, path: [...media.loc.path, 'schema'] };
  // Inline schemas point at their own line; shared ones (components) at the operation's response.
  const inline = media.loc.doc === op.loc.doc && op.loc.path.every((k, i) => media!.loc.path[i] === k);
  const schemaAt = inline ? bodyAt : at;
  // Only the first part of a body over the size limit was read: it cannot be judged (nor is it invalid).
  if (res.truncated) return { passed, failures, unchecked: at };
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    judge('response-schema', { message: `answered ${status} with ${actual} that is not valid JSON`, at: schemaAt, key: 'json' });
    return { passed, failures };
  }
  if (media.schema) {
    const v = ctx.validator.validate(ctx.response.convert(media.schema), parsed);
    judge('response-schema', v.ok ? undefined : { message: `answered ${status} with a body that does not match the schema: ${v.errors.join('; ')}`, at: schemaAt, key: `${status}:${v.errors[0] ?? ''}` });
  }
  if (mediaOf(media.type) === 'application/problem+json') {
    const why = problemShape(parsed, status);
    judge('problem-details', why ? { message: `answered ${status} with a problem+json body that breaks RFC 9457: ${why}`, at, key: why } : undefined);
  }
  return { passed, failures };
}

/** What makes a body an invalid RFC 9457 problem details object, or undefined. */
export function problemShape(body: unknown, status: number): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not a JSON object';
  const b = body as Record<string, unknown>;
  if (b.status !== undefined && b.status !== status) return `'status' is ${JSON.stringify(b.status)}, the HTTP status is ${status}`;
  for (const k of ['type', 'title', 'detail', 'instance']) {
    if (b[k] !== undefined && typeof b[k] !== 'string') return `'${k}' is not a string`;
  }
  return undefined;
}

/** Redirects are never followed: say where one pointed. */
function redirectNote(res: HttpResponse): string {
  const to = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
  return to ? ` (a redirect to ${to}, not followed)` : '';
}

function coerce(v: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (v === 'true' || v === 'false') return v === 'true';
  return v;
}

/**
 * What a header value may stand for (headers use the simple style): the text, the number or
 * boolean it spells, a comma-separated list, an object from `k,v,…` or (exploded) `k=v,…` pairs.
 */
function headerReadings(value: string, explode = false): unknown[] {
  const items = value.split(',').map((x) => x.trim());
  const out: unknown[] = [value, coerce(value), items, items.map(coerce)];
  const obj: Record<string, unknown> = {};
  if (explode) {
    for (const item of items) {
      const i = item.indexOf('=');
      if (i <= 0) return out;
      obj[item.slice(0, i)] = coerce(item.slice(i + 1));
    }
  } else {
    if (items.length % 2 !== 0) return out;
    for (let i = 0; i < items.length; i += 2) obj[items[i]!] = coerce(items[i + 1]!);
  }
  out.push(obj);
  return out;
}

function statusText(res: HttpResponse): string {
  return problemDetail(res).trim();
}

/** ` ("detail")` from a problem body, to say why a request was refused. */
function problemDetail(res: HttpResponse): string {
  try {
    const b = JSON.parse(res.body) as { detail?: unknown; title?: unknown };
    const d = typeof b.detail === 'string' ? b.detail : typeof b.title === 'string' ? b.title : undefined;
    return d ? ` ("${d.slice(0, 200)}")` : '';
  } catch {
    return '';
  }
}

