/** The cross-file bookkeeping of one conversion: `$ref`s followed, parts made, nodes in other files checked. */
import { InputError } from '../../../kit/errors.js';
import { isObj, own, type Obj } from '../loc.js';
import { Converter } from './converter.js';
import type { Files, Part, Path, Site } from './index.js';
import { isRef, kind, pointer, strings, valueAt } from './values.js';

type Role = 'path item' | 'operation' | 'parameter' | 'response';

const PARAMETER_IN = new Set(['query', 'header', 'path', 'formData', 'body']);

/** What one conversion shares: the root's defaults, the files it reaches and the parts made so far. */
export class Conversion {
  readonly parts: Part[] = [];
  readonly links = new Map<object, Part>();
  readonly followed = new Set<object>();
  readonly consumes: string[];
  readonly produces: string[];
  private readonly made = new Map<string, Part>();

  constructor(
    readonly root: Obj,
    readonly files: Files,
    private readonly rawRefs: WeakMap<object, string>,
  ) {
    this.consumes = strings(own(root, 'consumes')) ?? ['application/json'];
    this.produces = strings(own(root, 'produces')) ?? ['application/json'];
  }

  /**
   * Follow `$ref`s from a node to the value they name, and where that is written. `viaRoot`: the
   * value is in the root, or the way there passes one of the root's own parameters or responses,
   * which have their converted place (a `$ref` kept as written finds it, as the root's own do).
   */
  resolve(site: Site): Site & { viaRoot: boolean } {
    let cur = site;
    let seen: Set<string> | undefined;
    let viaRoot = false;
    while (isRef(cur.v)) {
      seen ??= new Set();
      const key = `${cur.file}#${cur.path.join('/')}`;
      if (seen.has(key) || seen.size > 64) throw this.error(site, '$ref cycle: the reference never reaches a value');
      seen.add(key);
      if (cur.file !== this.files.root) this.followed.add(cur.v);
      const next = this.files.follow(cur.file, cur.path, (this.rawRefs.get(cur.v) ?? cur.v.$ref).trim());
      // The root is read in its converted form's terms: its own refs already name components.
      cur = next.file === this.files.root ? { ...next, v: valueAt(this.root, next.path) } : next;
      viaRoot ||= cur.file === this.files.root && cur.path.length === 2 && (cur.path[0] === 'parameters' || cur.path[0] === 'responses');
    }
    return { ...cur, viaRoot: viaRoot || cur.file === this.files.root };
  }

  /**
   * The part for `site` in a context (`key`), converted once by `make`: its first node is
   * written at `site`, and `from` is the `$ref` that reached it (for messages).
   */
  part(key: string, site: Site, role: Role, from: Site, make: (c: Converter) => unknown): Part {
    const id = `${key}\u0000${site.file}#${site.path.join('/')}`;
    const known = this.made.get(id);
    if (known) return known;
    if (!isObj(site.v)) throw this.error(site, `expected a Swagger 2.0 ${role} (a mapping), found ${kind(site.v)}`, from);
    this.check(site, role, from);
    const c = new Converter(this, site.file, site.path);
    const part: { file: string; value: unknown; origin: Part['origin'] } = { file: site.file, value: undefined, origin: (p) => c.back.map(p)! };
    this.made.set(id, part);
    part.value = make(c);
    this.parts.push(part);
    return part;
  }

  /** A `$ref` object, with the text of the one written, that leads to `part`. */
  link(written: unknown, part: Part): Obj {
    const text = isRef(written) ? written.$ref : '';
    const holder: Obj = { $ref: text };
    this.links.set(holder, part);
    return holder;
  }

  /**
   * A node in another file is read in Swagger 2.0's shapes: refuse what would be misread (an
   * OpenAPI 3 file or shape, a parameter without a place or name) rather than report nothing.
   */
  check(site: Site, role: Role, from?: Site): void {
    if (site.file === this.files.root) return;
    const version = this.files.openapi(site.file);
    if (version !== undefined) {
      throw this.error(
        site,
        `expected a Swagger 2.0 ${role}, but ${this.files.name(site.file)} is an OpenAPI ${version} document, whose shapes a Swagger 2.0 spec does not read: keep the whole spec in one version`,
        from,
      );
    }
    const v = site.v;
    if (!isObj(v)) throw this.error(site, `expected a Swagger 2.0 ${role} (a mapping), found ${kind(v)}`, from);
    const shape = (field: string, what: string): InputError => this.error(site, `field '${field}' ${what}`, from, field);
    if (role === 'parameter') {
      if (typeof v.in !== 'string' || !PARAMETER_IN.has(v.in)) {
        throw shape('in', `is ${v.in === undefined ? 'missing' : JSON.stringify(v.in)}: a Swagger 2.0 parameter is in query, header, path, formData or body`);
      }
      if (typeof v.name !== 'string') throw shape('name', `is ${v.name === undefined ? 'missing' : JSON.stringify(v.name)}: a Swagger 2.0 parameter needs a name`);
      if (v.in === 'body' && !isObj(v.schema)) throw shape('schema', `is ${v.schema === undefined ? 'missing' : 'not a mapping'}: a Swagger 2.0 body parameter needs a schema`);
      for (const k of ['schema', 'content']) {
        if (v.in !== 'body' && v[k] !== undefined) {
          throw shape(k, `is OpenAPI 3's shape: a Swagger 2.0 ${v.in} parameter carries type, format, items… itself (only a body parameter has a schema)`);
        }
      }
    } else if (role === 'response') {
      if (v.content !== undefined) throw shape('content', "is OpenAPI 3's shape: a Swagger 2.0 response has a 'schema', its media types come from produces");
    } else {
      if (v.parameters != null && !Array.isArray(v.parameters)) throw shape('parameters', 'is not a list of parameters');
      if (role === 'operation') {
        if (v.requestBody !== undefined) throw shape('requestBody', "is OpenAPI 3's shape: a Swagger 2.0 operation takes its body from an 'in: body' parameter");
        if (v.responses != null && !isObj(v.responses)) throw shape('responses', 'is not a mapping of status codes to responses');
      }
    }
  }

  error(site: Site, what: string, from?: Site, field?: string): InputError {
    const name = this.files.name(site.file);
    const path = field ? [...site.path, field] : site.path;
    const via = from && (from.file !== site.file || from.path !== site.path) ? ` (reached from ${this.files.name(from.file)} at ${pointer(from.path)})` : '';
    return new InputError(`${name} at ${pointer(path)}: ${what}${via}`, { file: name, field: path.join('/') });
  }
}
