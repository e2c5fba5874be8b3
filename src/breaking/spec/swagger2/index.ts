/** Swagger 2.0 → OpenAPI 3.0: the entry point, and the types the loader and the conversion share. */
import { isObj, type Obj } from '../loc.js';
import { Conversion } from './conversion.js';
import { Converter } from './converter.js';

export type Path = readonly string[];

/** A node of a Swagger 2.0 spec as it is written: the file (its id), where in it, and the value. */
export interface Site {
  readonly file: string;
  readonly path: Path;
  readonly v: unknown;
}

/** The files a Swagger 2.0 root reaches through `$ref`, as the loader reads them. */
export interface Files {
  /** The root file's id. */
  readonly root: string;
  /** A file as shown in messages. */
  name(file: string): string;
  /** One `$ref` hop from a node written in `file` at `at`: the node it names, as written (throws InputError). */
  follow(file: string, at: Path, ref: string): Site;
  /** The `openapi` version a file declares at its top, if any: its shapes are not Swagger 2.0's. */
  openapi(file: string): string | undefined;
}

/**
 * A path item, parameter, response, request body or form field written in another file (or, reached
 * from one, in the root outside its `parameters` and `responses`): converted in the context it is
 * used in, and kept apart so that it is read, and located, in its own file.
 */
export interface Part {
  readonly file: string;
  readonly value: unknown;
  /** A path of `value` → the path of the node it came from in `file`. */
  readonly origin: (path: Path) => Path;
}

export interface Converted {
  value: Obj;
  /** A path of the result → the original file's. */
  origin: (path: Path) => Path;
  /**
   * A pointer written against the original file (`/definitions/Pet`, as another file's `$ref` into
   * the root names it) → the same node's path in the result (`/components/schemas/Pet`); undefined
   * where the node has no place of its own in the result (a body or formData parameter).
   */
  pointer: (path: Path) => Path | undefined;
  /** The converted path items, parameters and responses kept in other files (see Part). */
  parts: Part[];
  /** `$ref` objects of the results (root and parts) that stand for a part: they lead there, not where their text points. */
  links: Map<object, Part>;
  /** `$ref` objects written in other files that the conversion followed (and so checked) itself. */
  followed: Set<object>;
}

/**
 * Swagger 2.0 → OpenAPI 3.0, enough for diffing: definitions, parameters (body/formData → requestBody),
 * responses, produces/consumes, securityDefinitions. Local `#/definitions/…` refs are rewritten;
 * `pointer` does the same for refs into this file from other files. Path items, parameters and
 * responses reached through `files` in other files are converted too, each as a Part.
 */
export function convertSwagger2(src: Obj, files: Files): Converted {
  const rawRefs = new WeakMap<object, string>();
  const conversion = new Conversion(rewriteRefs(src, rawRefs) as Obj, files, rawRefs);
  const converter = new Converter(conversion, files.root, []);
  const value = converter.convert();
  return {
    value,
    origin: (path) => converter.back.map(path)!,
    pointer: (path) => converter.fwd.map(path),
    parts: conversion.parts,
    links: conversion.links,
    followed: conversion.followed,
  };
}

/**
 * Only refs into this document move: a ref into another file reads that file as it is written.
 * `raw` keeps the text of each rewritten ref, for following it in the file as written.
 */
function rewriteRefs(v: unknown, raw: WeakMap<object, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => rewriteRefs(x, raw));
  if (!isObj(v)) return v;
  const out: Obj = Object.create(null);
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (k === '$ref' && typeof x === 'string' && x.startsWith('#/')) {
      out[k] = x
        .replace('#/definitions/', '#/components/schemas/')
        .replace('#/parameters/', '#/components/parameters/')
        .replace('#/responses/', '#/components/responses/');
      if (out[k] !== x) raw.set(out, x);
    } else if (k === 'example' || k === 'x-example') {
      out[k] = x;
    } else {
      out[k] = rewriteRefs(x, raw);
    }
  }
  return out;
}
