/**
 * One migration hint per family of breaking-change rules: what a client team does about it.
 * Matched in order against the engine's rule ids (src/breaking/rules/registry.ts); the first match wins.
 */
export interface MigrationFamily {
  family: string;
  match: RegExp;
  hint: string;
}

export const MIGRATION_FAMILIES: readonly MigrationFamily[] = [
  {
    family: 'removed operation',
    match: /^api-(path-)?removed-|^api-path-sunset-parse$|^api-schema-removed$|^webhook-removed$/,
    hint: 'Stop calling this operation before you upgrade; move to its replacement named in the deprecation notice or the API reference.',
  },
  {
    family: 'removed callback',
    match: /^callback-removed$/,
    hint: 'The API will no longer call your callback URL for this event: stop depending on it, or subscribe to its replacement.',
  },
  {
    family: 'removed request input',
    match: /^request-(parameter|property)-removed|^request-parameter-sunset-parse$/,
    hint: 'Stop sending it; the server no longer reads it (and a strict server rejects it).',
  },
  {
    family: 'new required input',
    match: /^new-required-|^new-request-path-parameter$|became-required|^request-body-added-required$|^request-.*required-.*-added$/,
    hint: 'Send the new required value on every call; requests without it are rejected.',
  },
  {
    family: 'security',
    match: /^api-(global-)?security-|^api-security-component-/,
    hint: 'Check the credentials and scopes your client requests; obtain a token that satisfies the new requirement.',
  },
  {
    family: 'stability',
    match: /stability-decreased$|^api-invalid-stability-level$/,
    hint: 'The operation is less stable than before: pin the version you test against and expect further changes.',
  },
  {
    family: 'wider response values',
    match: /^response-.*(max(-length|-items|-contains|-properties)?-(increased|unset)|exclusive-max-increased|min(-length|-items|-contains|-properties)?-(decreased|unset)|exclusive-min-decreased|multiple-of-(removed|changed)|enum-removed|type-generalized|name-generalized)$/,
    hint: 'Responses may now hold values outside the old limits: relax client-side validation, field sizes and parsing to the new ones.',
  },
  {
    family: 'response field removed or optional',
    match: /^(required-|optional-)?response-.*(-removed|became-optional|became-nullable|list-of-types-widened|became-not-write-only)$/,
    hint: 'Do not rely on the field being present (or non-null) in responses: make it optional in your models and handle its absence.',
  },
  {
    family: 'new response values',
    match: /^response-.*(enum-value-added|-one-of-added|-any-of-added|-added)$/,
    hint: 'Handle values your client does not know yet (a default branch, or pass them through) instead of failing.',
  },
  {
    family: 'response status',
    match: /^response-(non-)?success-status-/,
    hint: 'Handle the changed status codes in your client.',
  },
  {
    family: 'default value',
    match: /default-value-/,
    hint: 'If you rely on the default, send the value explicitly.',
  },
  {
    family: 'type change',
    match: /type-changed|type-specialized|list-of-types-narrowed|became-not-nullable|-const-|content-(media-type|encoding)-changed/,
    hint: 'Update your models to the new type (regenerate clients from the new spec) and convert the values you send.',
  },
  {
    family: 'tighter request constraint',
    match:
      /^request-.*(max(-length|-items|-contains|-properties)?-(decreased|set)|exclusive-max-(decreased|set)|min(-length|-items|-contains|-properties)?-(increased|set)|exclusive-min-(increased|set)|pattern-(added|changed)|multiple-of-(added|changed)|additional-properties-disallowed|became-enum|enum-value-removed|x-extensible-enum-value-removed|name-specialized)$/,
    hint: 'Validate what you send against the new limits before calling; values outside them are rejected with 400.',
  },
  {
    family: 'request media type',
    match: /^request-body-media-type-|^request-body-removed$|mediatype-enum-value-removed/,
    hint: 'Send the request body in one of the media types the operation still accepts.',
  },
  {
    family: 'parameter serialisation',
    match: /^request-parameter-serialization-changed$/,
    hint: 'Serialise the parameter as the new spec says (its style and explode): the server reads the old form differently or rejects it.',
  },
  {
    family: 'request shape',
    match: /^request-.*(removed|content-schema|all-of-|one-of|any-of-|discriminator|if-|then-|else-|dependent-|unevaluated-|property-names|pattern-property|prefix-items|contains-)/,
    hint: 'Regenerate your client models from the new spec and check the payloads you build against them.',
  },
  {
    family: 'response shape',
    match: /^response-.*(wrapped-in-one-of|all-of-|one-of|any-of-|discriminator|dependent-|if-|then-|else-|unevaluated-|content-schema)/,
    hint: 'Regenerate your client models from the new spec: responses are shaped differently, so check how you parse them.',
  },
  {
    family: 'sunset',
    match: /sunset|deprecated/,
    hint: 'Plan the migration before the sunset date in the deprecation schedule.',
  },
];

const FALLBACK = 'Review your calls to this operation against the new spec; regenerate clients from it.';

export function migrationHint(ruleId: string): { family: string; hint: string } {
  const f = MIGRATION_FAMILIES.find((m) => m.match.test(ruleId));
  return f ? { family: f.family, hint: f.hint } : { family: 'other', hint: FALLBACK };
}
