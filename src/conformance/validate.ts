/** ajv over the schema banks: draft 2020-12 for OpenAPI 3.1, draft-07 semantics for 3.0 (after rewriting). */
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { InputError } from '../kit/errors.js';
import { WRITE_ONLY_KEYWORD, type JsonSchema, type SchemaBank } from './schema.js';

type AjvLike = {
  addSchema(schema: object): unknown;
  addKeyword(def: object): unknown;
  compile(schema: object | boolean): ValidateFunction;
};
type Ctor = new (opts: object) => AjvLike;
const Ajv = ((AjvModule as unknown as { default?: Ctor }).default ?? AjvModule) as unknown as Ctor;
const Ajv2020 = ((Ajv2020Module as unknown as { default?: Ctor }).default ?? Ajv2020Module) as unknown as Ctor;
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: AjvLike) => void;

export interface Validation {
  ok: boolean;
  /** `/items/0/name must be string`, at most a few. */
  errors: string[];
}

/** Compiles and caches validators for schemas converted by the banks. */
export class Validator {
  private readonly ajv: AjvLike;
  private readonly cache = new WeakMap<object, ValidateFunction>();

  constructor(banks: SchemaBank[], openapi31: boolean) {
    // Schemas are checked one by one in `prepare` (with their spec location) instead of as a whole bank.
    const opts = { strict: false, allErrors: true, logger: false, validateFormats: true, validateSchema: false };
    this.ajv = openapi31 ? new Ajv2020(opts) : new Ajv(opts);
    addFormats(this.ajv);
    this.ajv.addKeyword({
      keyword: WRITE_ONLY_KEYWORD,
      schemaType: 'boolean',
      errors: false,
      error: { message: 'is writeOnly: the API should never send it back' },
      validate: (flag: boolean) => !flag,
    });
    for (const b of banks) this.ajv.addSchema(b.document());
  }

  /** Compile now; a schema ajv cannot use is bad input, named by `where` (file and JSON pointer). */
  prepare(schema: JsonSchema, where: string): void {
    try {
      this.compiled(schema);
    } catch (e) {
      throw new InputError(`${where}: schema cannot be used for validation: ${(e as Error).message}`, { file: where.split(' ')[0] });
    }
  }

  private compiled(schema: JsonSchema): ValidateFunction {
    const key = typeof schema === 'object' ? schema : FALSE_KEY;
    let fn = this.cache.get(key);
    if (!fn) {
      fn = this.ajv.compile(schema);
      this.cache.set(key, fn);
    }
    return fn;
  }

  validate(schema: JsonSchema, value: unknown): Validation {
    if (schema === true) return { ok: true, errors: [] };
    const fn = this.compiled(schema);
    const ok = fn(value) as boolean;
    return { ok, errors: ok ? [] : describeErrors(fn.errors ?? []) };
  }
}

const FALSE_KEY = { not: {} };

function describeErrors(errors: ErrorObject[], max = 5): string[] {
  const out: string[] = [];
  for (const e of errors) {
    // Branch errors of oneOf/anyOf repeat the same complaint per branch; keep the summary line.
    // `must match "then" schema` only repeats the errors of the branch a discriminator picked.
    if (e.keyword === 'if') continue;
    const where = e.instancePath || '(root)';
    let msg = `${where} ${e.message ?? 'is invalid'}`;
    if (e.keyword === 'enum') msg += `: ${JSON.stringify((e.params as { allowedValues?: unknown[] }).allowedValues)}`;
    if (e.keyword === 'additionalProperties') msg += `: '${(e.params as { additionalProperty?: string }).additionalProperty}'`;
    if (!out.includes(msg)) out.push(msg);
    if (out.length >= max) break;
  }
  return out;
}
