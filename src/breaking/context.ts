import type { Spec } from './spec/load.js';
import type { Loc } from './spec/loc.js';
import { HTTP_METHODS, type HttpMethod } from './spec/operations.js';

export interface EngineOptions {
  /** Match `/pets/{id}` and `/pets/{petId}` as different endpoints. */
  includePathParams?: boolean;
  deprecationDaysBeta?: number;
  deprecationDaysStable?: number;
  /** Only operations whose path matches this regex. */
  matchPath?: RegExp;
  /** Skip operations whose path matches this regex. */
  unmatchPath?: RegExp;
  /** The day sunset dates are judged against. */
  today?: Date;
}

/** A change a rule reports; its level comes from the rule registry (and the user's overrides). */
export interface Change {
  id: string;
  message: string;
  /** The node it is about: in the revision, or in the base for removals. */
  at?: Loc;
  operation?: string;
  data?: Record<string, unknown>;
}

/** Receives a change as its parts (a shared schema's change reaches it once per operation: no object made for it). */
export type ChangeSink = (id: string, message: string, at: Loc | undefined, operation: string | undefined, data: Record<string, unknown> | undefined) => void;

export interface Emitter {
  /** Report `id` (must be a registered rule id). */
  emit(id: string, message: string, at?: Loc, data?: Record<string, unknown>): void;
}

/** What every hook can see. */
export interface Scope extends Emitter {
  readonly base: Spec;
  readonly rev: Spec;
  readonly options: Required<Pick<EngineOptions, 'deprecationDaysBeta' | 'deprecationDaysStable'>> & { today: Date };
}

export type Method = HttpMethod;
export const METHODS: readonly Method[] = HTTP_METHODS;

/** A pair of the same element in base and revision; one side is missing when it was added or removed. */
export interface Pair {
  readonly base?: Loc;
  readonly rev?: Loc;
}

export interface OperationPair extends Pair {
  readonly method: Method;
  /** Path as written in the base (the revision's when added), as oasdiff names operations. */
  readonly path: string;
  readonly basePath?: string;
  readonly revPath?: string;
  readonly basePathItem?: Loc;
  readonly revPathItem?: Loc;
  /** `GET /pets/{id}` */
  readonly operation: string;
}

export interface ParameterPair extends Pair {
  readonly op: OperationPair;
  readonly in: string;
  readonly name: string;
}

export interface MediaTypePair extends Pair {
  readonly op: OperationPair;
  readonly mediaType: string;
  /** Request body media type, or the response status it belongs to. */
  readonly status?: string;
  /** Set when the base's key differs: a response media type renamed to a related one (`application/json` → `application/problem+json`). */
  readonly baseMediaType?: string;
}

export interface ResponsePair extends Pair {
  readonly op: OperationPair;
  readonly status: string;
}

export interface HeaderPair extends Pair {
  readonly op: OperationPair;
  readonly status: string;
  readonly name: string;
}

export type Side = 'request' | 'response';

/** Where a schema pair sits, which decides rule ids (`request-property-…`, `response-body-…`). */
export interface SchemaPlace {
  readonly side: Side;
  /** What holds the top schema. */
  readonly holder: 'parameter' | 'body' | 'header';
  readonly op: OperationPair;
  /** For parameters: `query`, `path`…; for bodies: the media type; for headers: the header name. */
  readonly holderName: string;
  readonly status?: string;
  readonly param?: ParameterPair;
}

export interface SchemaPair {
  /** Dereferenced schemas; `v` is undefined on a side where it does not exist. */
  readonly base: Loc;
  readonly rev: Loc;
  readonly place: SchemaPlace;
  /** Property path from the top schema, e.g. ['data', 'items', 'name']; empty at the top. */
  readonly propPath: readonly string[];
  /**
   * Rule-id prefix for this position: `request-parameter`, `request-body`, `response-header`
   * at the top; `request-parameter-property`, `request-property`, `response-property` below it.
   */
  readonly prefix: string;
  /** Deref a subschema of either side. */
  deref(loc: Loc): Loc;
  /**
   * For an allOf member: the names its allOf requires on each side (the holder's `required` and
   * every member's), so `required` moved between members is no change.
   */
  readonly allOfRequired?: { readonly base: ReadonlySet<string>; readonly rev: ReadonlySet<string> };
}

/** A family of rules: the hooks it needs. */
export interface RuleFamily {
  readonly name: string;
  /**
   * Also call `operation` for operations below the stability threshold (draft/alpha, see
   * `inStabilityScope` in rules/lifecycle.ts); the walk does not descend into those for any family.
   */
  readonly allStabilities?: boolean;
  spec?(s: Scope): void;
  operation?(p: OperationPair, s: Scope): void;
  parameter?(p: ParameterPair, s: Scope): void;
  requestBody?(p: Pair & { op: OperationPair }, s: Scope): void;
  mediaType?(p: MediaTypePair, s: Scope): void;
  response?(p: ResponsePair, s: Scope): void;
  header?(p: HeaderPair, s: Scope): void;
  /** Called for every matched schema pair, top and nested; emit through `e` so results can be reused. */
  schema?(p: SchemaPair, e: Emitter, s: Scope): void;
  /**
   * What `schema` reads of the pair's place beyond its side, holder and parameter location, as a
   * short string: a schema's results are shared between the places where every family answers alike.
   */
  schemaContext?(place: SchemaPlace): string;
}
