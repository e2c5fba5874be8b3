import { describe, expect, it } from '@jest/globals';
import { diffTexts, findingsMatching, idLevels, lineOf, specWith } from '../helpers.js';

const MINE = /-(all-of|any-of|one-of)-(added|removed)(-annotation-only)?$|-wrapped-in-one-of$|-discriminator-/;

const mine = (base: string, rev: string) => findingsMatching(base, rev, MINE);

const COMPONENTS = `components:
  schemas:
    Cat:
      type: object
      properties:
        meow: {type: boolean}
    Dog:
      type: object
      properties:
        bark: {type: boolean}
    Fox:
      type: object
      properties:
        yelp: {type: boolean}
`;

/** POST /pets: request body and 200 response with the given schemas (indented 12 and 14). */
function spec(request: string, response = request.replace(/^/gm, '  ')): string {
  return specWith(
    `  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema:
${request}      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
${response}`,
    COMPONENTS,
  );
}

const PETS = `              oneOf:
                - $ref: '#/components/schemas/Cat'
                - $ref: '#/components/schemas/Dog'
              discriminator:
                propertyName: kind
                mapping:
                  cat: '#/components/schemas/Cat'
                  dog: '#/components/schemas/Dog'
`;

describe('composition family', () => {
  it('reports nothing when nothing changed, nor when $ref members are reordered', () => {
    expect(diffTexts(spec(PETS), spec(PETS)).findings).toEqual([]);
    const reordered = PETS.replace("- $ref: '#/components/schemas/Cat'\n                - $ref: '#/components/schemas/Dog'", "- $ref: '#/components/schemas/Dog'\n                - $ref: '#/components/schemas/Cat'");
    expect(reordered).not.toBe(PETS);
    expect(mine(spec(PETS), spec(reordered))).toEqual([]);
  });

  it('reports oneOf members added and removed with direction-dependent levels', () => {
    const more = PETS.replace("                - $ref: '#/components/schemas/Dog'\n", "                - $ref: '#/components/schemas/Dog'\n                - $ref: '#/components/schemas/Fox'\n");
    const added = mine(spec(PETS), spec(more));
    expect(idLevels(added)).toEqual([
      ['request-body-one-of-added', 'info'],
      ['response-body-one-of-added', 'error'],
    ]);
    const resp = added.find((f) => f.id === 'response-body-one-of-added')!;
    expect(resp.operation).toBe('POST /pets');
    expect(resp.location?.line).toBe(lineOf(spec(more), 'Fox', 2));
    expect(resp.message).toContain('#/components/schemas/Fox');
    expect(idLevels(mine(spec(more), spec(PETS)))).toEqual([
      ['request-body-one-of-removed', 'error'],
      ['response-body-one-of-removed', 'info'],
    ]);
  });

  it('reports allOf and anyOf changes below the body under property ids, one finding per list', () => {
    const base = `              type: object
              properties:
                pet:
                  anyOf:
                    - $ref: '#/components/schemas/Cat'
                    - $ref: '#/components/schemas/Dog'
                owner:
                  allOf:
                    - $ref: '#/components/schemas/Cat'
`;
    const rev = `              type: object
              properties:
                pet:
                  anyOf:
                    - $ref: '#/components/schemas/Cat'
                owner:
                  allOf:
                    - $ref: '#/components/schemas/Cat'
                    - $ref: '#/components/schemas/Dog'
                    - $ref: '#/components/schemas/Fox'
`;
    const f = mine(spec(base), spec(rev));
    expect(idLevels(f)).toEqual([
      ['request-property-all-of-added', 'error'],
      ['request-property-any-of-removed', 'error'],
      ['response-property-all-of-added', 'info'],
      ['response-property-any-of-removed', 'info'],
    ]);
    expect(f.find((x) => x.id === 'request-property-all-of-added')!.message).toContain("request property 'owner'");
  });

  it('matches inline members by content and title, and treats an equivalent $ref as a refactor', () => {
    const base = `              anyOf:
                - type: string
                - title: Num
                  type: integer
                - type: object
                  properties:
                    meow: {type: boolean}
`;
    const rev = `              anyOf:
                - title: Num
                  type: integer
                  maximum: 10
                - type: string
                - $ref: '#/components/schemas/Cat'
`;
    expect(mine(spec(base), spec(rev))).toEqual([]);
    const dropped = `              anyOf:
                - type: string
`;
    expect(idLevels(mine(spec(base), spec(dropped)))).toEqual([
      ['request-body-any-of-removed', 'error'],
      ['response-body-any-of-removed', 'info'],
    ]);
  });

  it('reports allOf members that only annotate under their own informational ids', () => {
    const base = `              allOf:
                - $ref: '#/components/schemas/Cat'
`;
    const rev = `              allOf:
                - $ref: '#/components/schemas/Cat'
                - description: A cat, really.
`;
    expect(idLevels(mine(spec(base), spec(rev)))).toEqual([
      ['request-body-all-of-added-annotation-only', 'info'],
      ['response-body-all-of-added-annotation-only', 'info'],
    ]);
  });

  it('leaves a list of plain types to the type rules', () => {
    const base = `              oneOf:
                - type: string
`;
    const rev = `              oneOf:
                - type: string
                - type: integer
`;
    expect(mine(spec(base), spec(rev))).toEqual([]);
  });

  it('reports a body wrapped in a oneOf once, instead of oneOf members added', () => {
    const base = `              type: object
              properties:
                meow: {type: boolean}
                bark: {type: boolean}
`;
    const rev = `              oneOf:
                - $ref: '#/components/schemas/Cat'
                - $ref: '#/components/schemas/Dog'
`;
    expect(idLevels(mine(spec(base), spec(rev)))).toEqual([
      ['request-body-wrapped-in-one-of', 'error'],
      ['response-body-wrapped-in-one-of', 'error'],
    ]);
  });

  it('reports discriminator changes', () => {
    const rev = PETS.replace('propertyName: kind', 'propertyName: type')
      .replace("cat: '#/components/schemas/Cat'", "kitty: '#/components/schemas/Cat'")
      .replace("dog: '#/components/schemas/Dog'", "dog: '#/components/schemas/Fox'");
    const f = mine(spec(PETS), spec(rev));
    expect(idLevels(f.filter((x) => x.id.startsWith('request-')))).toEqual([
      ['request-body-discriminator-mapping-added', 'info'],
      ['request-body-discriminator-mapping-changed', 'info'],
      ['request-body-discriminator-mapping-deleted', 'info'],
      ['request-body-discriminator-property-name-changed', 'info'],
    ]);
    expect(f.find((x) => x.id === 'request-body-discriminator-property-name-changed')!.data).toMatchObject({ from: 'kind', to: 'type' });
    const none = PETS.replace(/ {14}discriminator:\n(.*\n)*/, '');
    expect(idLevels(mine(spec(none), spec(PETS)))).toEqual([
      ['request-body-discriminator-added', 'info'],
      ['response-body-discriminator-added', 'info'],
    ]);
    expect(idLevels(mine(spec(PETS), spec(none)))).toEqual([
      ['request-body-discriminator-removed', 'info'],
      ['response-body-discriminator-removed', 'info'],
    ]);
  });
  it('points a discriminator mapping added or lost at that mapping entry', () => {
    const rev = PETS.replace("dog: '#/components/schemas/Dog'", "fox: '#/components/schemas/Fox'");
    const f = mine(spec(PETS), spec(rev)).filter((x) => x.id.startsWith('request-body-discriminator-mapping'));
    const at = (id: string) => f.find((x) => x.id === id)!.location;
    expect(at('request-body-discriminator-mapping-added')).toMatchObject({ file: expect.stringMatching(/revision\.yaml$/), line: lineOf(spec(rev), 'fox:') });
    expect(at('request-body-discriminator-mapping-deleted')).toMatchObject({ file: expect.stringMatching(/base\.yaml$/), line: lineOf(spec(PETS), 'dog:') });
  });

  it('reads a $ref wrapped in allOf beside nullable, or in anyOf/oneOf with a null member, as the same schema made nullable', () => {
    const plain = `              type: object
              properties:
                pet:
                  $ref: '#/components/schemas/Cat'
`;
    const allOf30 = `              type: object
              properties:
                pet:
                  nullable: true
                  allOf:
                    - $ref: '#/components/schemas/Cat'
`;
    const anyOf31 = `              type: object
              properties:
                pet:
                  anyOf:
                    - $ref: '#/components/schemas/Cat'
                    - type: 'null'
`;
    const v31 = (t: string) => t.replace('openapi: 3.0.3', 'openapi: 3.1.0');
    for (const [base, rev] of [
      [spec(plain), spec(allOf30)],
      [v31(spec(plain)), v31(spec(anyOf31))],
    ] as const) {
      const f = diffTexts(base, rev).findings;
      expect(f.map((x) => [x.id, x.level, x.operation]).sort()).toEqual([
        ['request-property-became-nullable', 'info', 'POST /pets'],
        ['response-property-became-nullable', 'error', 'POST /pets'],
      ]);
    }
    // Unwrapping again: not nullable any more, and no member or property reported.
    expect(idLevels(diffTexts(v31(spec(anyOf31)), v31(spec(plain))).findings)).toEqual([
      ['request-property-became-not-nullable', 'error'],
      ['response-property-became-not-nullable', 'info'],
    ]);
    // A body wrapped with only a description beside allOf is no change at all.
    const described = `              description: a cat
              allOf:
                - $ref: '#/components/schemas/Cat'
`;
    expect(diffTexts(spec("              $ref: '#/components/schemas/Cat'\n"), spec(described)).findings).toEqual([]);
  });

  it('compares a component wrapped for nullability in the same change with its old self, at the same path', () => {
    const plain = `              type: object
              properties:
                pet:
                  $ref: '#/components/schemas/Cat'
`;
    const wrapped = `              type: object
              properties:
                pet:
                  oneOf:
                    - $ref: '#/components/schemas/Cat'
                    - type: 'null'
`;
    const v31 = (t: string) => t.replace('openapi: 3.0.3', 'openapi: 3.1.0');
    // The same change also gives Cat a new required property.
    const rev = v31(spec(wrapped)).replace('        meow: {type: boolean}\n    Dog:', '        meow: {type: boolean}\n        lives: {type: integer}\n      required: [lives]\n    Dog:');
    const f = diffTexts(v31(spec(plain)), rev).findings;
    expect(f.map((x) => [x.id, x.level, x.message.replace(/ in (request|response) body.*? (has|became)/, ' $2')]).sort()).toEqual([
      ['new-required-request-property', 'error', "request property 'pet' has new required property 'lives'"],
      ['request-property-became-nullable', 'info', "request property 'pet' became nullable"],
      ['response-property-became-nullable', 'error', "response property 'pet' became nullable"],
      ['response-required-property-added', 'info', "response property 'pet' has new required property 'lives'"],
    ]);
  });
});
