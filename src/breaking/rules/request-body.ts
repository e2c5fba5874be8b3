import type { MediaTypePair, OperationPair, Pair, RuleFamily, Scope } from '../context.js';
import type { Spec } from '../spec/load.js';
import { child, own, ownKeys, type Loc } from '../spec/loc.js';
import { mediaTypeContains } from '../walk.js';
import { mediaTypeKey } from './reads-same.js';
import { isRule } from './registry.js';

/**
 * The request body as a whole: added, removed, `required` flipped; its media types added or
 * removed; a media type's schema appearing or disappearing; a form or multipart `encoding` changed.
 * Changes inside the body schema belong to the schema families.
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
    if (p.base && p.rev) encodingChanged(p, p.base, p.rev, s);
  },
};

/** A property's schema (dereferenced) in a body schema, if the schema lists it. */
function propertySchema(body: Loc, name: string, spec: Spec): Loc | undefined {
  if (own(body.v, 'schema') === undefined) return undefined;
  const props = child(spec.deref(child(body, 'schema')), 'properties');
  return own(props.v, name) !== undefined ? spec.deref(child(props, name)) : undefined;
}

function structuredValue(schema: Loc): boolean {
  const type = own(schema.v, 'type');
  const types = Array.isArray(type) ? type : [type];
  return types.includes('array') || types.includes('object') || (type === undefined && (own(schema.v, 'items') !== undefined || own(schema.v, 'properties') !== undefined));
}

/** The media types a part's `contentType` lists (`image/png, image/jpeg`); undefined when it is not written. */
function partTypes(enc: Loc | undefined): string[] | undefined {
  const v = own(enc?.v, 'contentType');
  if (typeof v !== 'string') return undefined;
  return v.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

/**
 * A form or multipart request body's `encoding` changed for a property it still has: a part's
 * `contentType` (written in both versions) no longer takes a type it took (`image/png, image/jpeg` →
 * `image/png`), or a form field holding an array or object is serialised with another style/explode.
 */
function encodingChanged(p: MediaTypePair, base: Loc, rev: Loc, s: Scope): void {
  const bare = p.mediaType.split(';')[0]!.trim().toLowerCase();
  const form = bare === 'application/x-www-form-urlencoded';
  if (!form && !bare.startsWith('multipart/')) return; // encoding applies to these only
  const be = child(base, 'encoding');
  const re = child(rev, 'encoding');
  if (be.v === undefined && re.v === undefined) return;
  const names = new Set([...ownKeys(be.v), ...ownKeys(re.v)]);
  for (const name of names) {
    const rProp = propertySchema(rev, name, s.rev);
    const bProp = propertySchema(base, name, s.base);
    if (!rProp || !bProp) continue; // a property added or removed is the schema families'
    const bEnc = own(be.v, name) !== undefined ? s.base.deref(child(be, name)) : undefined;
    const rEnc = own(re.v, name) !== undefined ? s.rev.deref(child(re, name)) : undefined;
    const data = { mediaType: p.mediaType, property: name };
    const bt = partTypes(bEnc);
    const rt = partTypes(rEnc);
    if (bt && rt) {
      const takes = (t: string) => rt.some((w) => mediaTypeKey(w) === mediaTypeKey(t) || mediaTypeContains(w, t));
      const lost = bt.filter((t) => !takes(t));
      if (lost.length > 0) {
        s.emit(
          'request-body-media-type-encoding-changed',
          `part '${name}' of the request body (${p.mediaType}) no longer takes ${lost.map((t) => `'${t}'`).join(', ')}: content type '${bt.join(', ')}' → '${rt.join(', ')}'`,
          child(rEnc!, 'contentType'),
          { ...data, from: bt, to: rt },
        );
      }
    }
    if (!form || !(structuredValue(bProp) || structuredValue(rProp))) continue;
    const b = formSerialization(bEnc);
    const r = formSerialization(rEnc);
    if (b.style === r.style && b.explode === r.explode) continue;
    const key = own(rEnc?.v, 'style') !== undefined ? 'style' : own(rEnc?.v, 'explode') !== undefined ? 'explode' : undefined;
    s.emit(
      'request-body-media-type-encoding-changed',
      `form field '${name}' of the request body serialised differently: style=${b.style}, explode=${b.explode} → style=${r.style}, explode=${r.explode}`,
      rEnc ? (key ? child(rEnc, key) : rEnc) : rev,
      { ...data, from: b, to: r },
    );
  }
}

/** A form field's style and explode (OpenAPI's defaults: `form`, exploded). */
function formSerialization(enc: Loc | undefined): { style: string; explode: boolean } {
  const st = own(enc?.v, 'style');
  const style = typeof st === 'string' ? st : 'form';
  const ex = own(enc?.v, 'explode');
  return { style, explode: typeof ex === 'boolean' ? ex : style === 'form' };
}

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

