import type { HeaderPair, MediaTypePair, ResponsePair, RuleFamily, Scope } from '../context.js';
import { child, isObj, own, ownKeys, type Loc } from '../spec/loc.js';
import { mediaTypeContains } from '../walk.js';
import { mediaTypeKey, readsSame } from './reads-same.js';
import { mediaTypeChange } from './request-body.js';

/**
 * Responses of an operation: status codes added or removed, their media types added, removed or
 * renamed, a media type's schema appearing or disappearing, response headers added, removed or
 * made optional. (Enum values dropped from a top-level response body, `response-mediatype-enum-value-removed`,
 * come from the schema families' enum check.)
 */
export const responsesFamily: RuleFamily = {
  name: 'responses',

  response(p: ResponsePair, s: Scope) {
    if (p.base && p.rev) return;
    const cls = statusClass(p.status);
    if (!cls) return;
    const kind = cls === 'success' ? 'success' : 'non-success';
    const data = { status: p.status };
    // Point at the status key in the operation, not at a shared response it may reference.
    if (p.op.rev && p.rev) s.emit(`response-${kind}-status-added`, `${kind} response status '${p.status}' added`, child(child(p.op.rev, 'responses'), p.status), data);
    else if (p.op.base && p.base && !replacedInClass(p, p.base, s)) {
      s.emit(`response-${kind}-status-removed`, `${kind} response status '${p.status}' removed`, child(child(p.op.base, 'responses'), p.status), data);
    }
  },

  mediaType(p: MediaTypePair, s: Scope) {
    if (p.status === undefined) return; // request bodies are the request-body family's
    // A key that only gained or lost a parameter that says nothing (`application/json; charset=utf-8`) is no rename.
    if (p.baseMediaType !== undefined && p.baseMediaType !== p.mediaType && p.base && p.rev && mediaTypeKey(p.baseMediaType) !== mediaTypeKey(p.mediaType)) {
      mediaTypeRenamed(p, p.baseMediaType, s);
    }
    mediaTypeChange(p, s, {
      added: 'response-media-type-added',
      removed: 'response-media-type-removed',
      where: `response ${p.status}`,
      schemaPrefix: 'response-body-media-type',
    });
  },

  header(p: HeaderPair, s: Scope) {
    if (p.name.toLowerCase() === 'content-type') return; // OpenAPI: a response header of that name is ignored
    const data = { header: p.name, status: p.status };
    if (p.rev && !p.base) {
      s.emit('response-header-added', `response header '${p.name}' added to response ${p.status}`, p.rev, data);
      return;
    }
    if (p.base && !p.rev) {
      if (own(p.base.v, 'required') === true) {
        s.emit('required-response-header-removed', `required response header '${p.name}' removed from response ${p.status}`, p.base, data);
      } else {
        s.emit('optional-response-header-removed', `optional response header '${p.name}' removed from response ${p.status}`, p.base, data);
      }
      return;
    }
    if (!p.base || !p.rev) return;
    if (own(p.base.v, 'required') === true && own(p.rev.v, 'required') !== true) {
      const at = own(p.rev.v, 'required') !== undefined ? child(p.rev, 'required') : p.rev;
      s.emit('response-header-became-optional', `response header '${p.name}' of response ${p.status} became optional`, at, data);
    }
  },
};

/** `200` → success, `404` → non-success, `2XX` → success range; `default` and anything else → undefined. */
export function statusClass(status: string): 'success' | 'other' | undefined {
  if (/^[1-5]\d\d$/.test(status)) return status.startsWith('2') ? 'success' : 'other';
  if (/^[1-5]XX$/i.test(status)) return status.startsWith('2') ? 'success' : 'other';
  return undefined;
}

function mediaTypeRenamed(p: MediaTypePair, from: string, s: Scope): void {
  const to = p.mediaType;
  const data = { status: p.status, from, to };
  const at = p.rev!;
  if (mediaTypeContains(from, to)) {
    s.emit('response-media-type-name-specialized', `media type of response ${p.status} narrowed from '${from}' to '${to}'`, at, data);
  } else if (mediaTypeContains(to, from)) {
    s.emit('response-media-type-name-generalized', `media type of response ${p.status} widened from '${from}' to '${to}'`, at, data);
  } else {
    s.emit('response-media-type-name-changed', `media type of response ${p.status} changed from '${from}' to '${to}'`, at, data);
  }
}

/** The dereferenced response `status` of an operation, if it has one. */
function responseOf(op: Loc | undefined, status: string, spec: Scope['base']): Loc | undefined {
  if (!op) return undefined;
  const list = child(op, 'responses');
  return own(list.v, status) !== undefined ? spec.deref(child(list, status)) : undefined;
}

/**
 * A status code removed while the revision adds the range that holds it (`200` → `2XX`), or a range
 * removed while the revision adds a code inside it (`2XX` → `200`), with a response that reads the
 * same (descriptions aside): clients get the response they handled before, so nothing was removed.
 */
function replacedInClass(p: ResponsePair, base: Loc, s: Scope): boolean {
  const revList = p.op.rev ? child(p.op.rev, 'responses') : undefined;
  const baseList = p.op.base ? child(p.op.base, 'responses') : undefined;
  if (!revList || !isObj(revList.v)) return false;
  const isRange = /^[1-5]XX$/i.test(p.status);
  for (const key of ownKeys(revList.v)) {
    if (own(baseList?.v, key) !== undefined || key[0] !== p.status[0]) continue;
    const related = isRange ? /^[1-5]\d\d$/.test(key) : /^[1-5]XX$/i.test(key);
    if (!related) continue;
    const r = responseOf(p.op.rev, key, s.rev);
    if (r && readsSame(s, base, r, ['description'])) return true;
  }
  return false;
}

