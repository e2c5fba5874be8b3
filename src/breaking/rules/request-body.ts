import type { MediaTypePair, OperationPair, Pair, RuleFamily, Scope } from '../context.js';
import { isRule } from './registry.js';
import { child, own, type Loc } from '../spec/loc.js';

/**
 * The request body as a whole: added, removed, `required` flipped; its media types added or
 * removed; a media type's schema appearing or disappearing. Changes inside the body schema belong
 * to the schema families.
 */
export const requestBodyFamily: RuleFamily = {
  name: 'request-body',

  requestBody(p: Pair & { op: OperationPair }, s: Scope) {
    if (p.rev && !p.base) {
      const required = own(p.rev.v, 'required') === true;
      if (required) s.emit('request-body-added-required', 'required request body added', p.rev);
      else s.emit('request-body-added-optional', 'optional request body added', p.rev);
      return;
    }
    if (p.base && !p.rev) {
      s.emit('request-body-removed', 'request body removed', p.base);
      return;
    }
    if (!p.base || !p.rev) return;
    const was = own(p.base.v, 'required') === true;
    const now = own(p.rev.v, 'required') === true;
    if (was === now) return;
    const at = own(p.rev.v, 'required') !== undefined ? child(p.rev, 'required') : p.rev;
    if (now) s.emit('request-body-became-required', 'request body became required', at, { from: was, to: now });
    else s.emit('request-body-became-optional', 'request body became optional', at, { from: was, to: now });
  },

  mediaType(p: MediaTypePair, s: Scope) {
    if (p.status !== undefined) return; // responses are the responses family's
    mediaTypeChange(p, s, {
      added: 'request-body-media-type-added',
      removed: 'request-body-media-type-removed',
      where: 'request body',
      schemaPrefix: 'request-body-media-type',
    });
  },
};

export interface MediaTypeIds {
  added: string;
  removed: string;
  /** `request body` or `response 200`. */
  where: string;
  /** `…-schema-added/removed` and `…-item-schema-added/removed` are built from it. */
  schemaPrefix: string;
}

/** A media type added or removed, or its `schema` / `itemSchema` appearing or disappearing. Shared with responses. */
export function mediaTypeChange(p: MediaTypePair, s: Scope, ids: MediaTypeIds): void {
  const data: Record<string, unknown> = { mediaType: p.mediaType };
  if (p.status !== undefined) data.status = p.status;
  if (p.rev && !p.base) {
    s.emit(ids.added, `media type '${p.mediaType}' added to the ${ids.where}`, p.rev, data);
    return;
  }
  if (p.base && !p.rev) {
    s.emit(ids.removed, `media type '${p.mediaType}' removed from the ${ids.where}`, p.base, data);
    return;
  }
  if (!p.base || !p.rev) return;
  for (const [key, part] of [['schema', 'schema'], ['itemSchema', 'item-schema']] as const) {
    const b = own(p.base.v, key) !== undefined;
    const r = own(p.rev.v, key) !== undefined;
    if (b === r) continue;
    const id = `${ids.schemaPrefix}-${part}-${r ? 'added' : 'removed'}`;
    if (!isRule(id)) continue;
    const at: Loc = r ? child(p.rev, key) : child(p.base, key);
    s.emit(id, `${key} ${r ? 'added to' : 'removed from'} media type '${p.mediaType}' of the ${ids.where}`, at, data);
  }
}

