import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../kit/errors.js';
import { convertedDoc, parseDoc, type Doc } from './doc.js';
import { escapePointer, isObj, own, unescapePointer, type Loc } from './loc.js';
import { convertSwagger2, type Converted, type Files } from './swagger2/index.js';

export interface LoadOptions {
  /** Directory that relative paths and git revisions are read from. */
  cwd?: string;
  /** Fetching `$ref: http…` is refused unless this is true. */
  allowExternalRefs?: boolean;
  /** Largest file accepted, in bytes. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
/** Real specs nest a few dozen levels; far deeper input is hostile and would exhaust the stack. */
const MAX_DEPTH = 400;

/** A loaded OpenAPI document and every file it reaches through `$ref`. */
export interface Spec {
  readonly root: Doc;
  readonly docs: Map<string, Doc>;
  readonly version: '2.0' | '3.0' | '3.1';
  /** Follow `$ref`s from `loc` until a non-reference node. */
  deref(loc: Loc): Loc;
  /** The node the `$ref` at `loc` names: one hop, its siblings not merged in. */
  target(loc: Loc): Loc;
}

type Source = { kind: 'file'; abs: string } | { kind: 'git'; rev: string; rel: string } | { kind: 'url'; url: string };

const GIT_SOURCE = /^([^:]+):(.+)$/;

/**
 * Load `source`: a file path, or `REV:path` read with `git show` (e.g. `origin/main:openapi.yaml`).
 * Every `$ref` in the document and the files it reaches is checked here, so a broken reference is an
 * input error even where no diff walks.
 */
export function loadSpec(source: string, opts: LoadOptions = {}): Spec {
  const cwd = opts.cwd ?? process.cwd();
  const loader = new Loader(cwd, opts);
  const rootSource = parseSource(source, cwd);
  const root = loader.load(rootSource, rootSource.kind === 'file' ? undefined : source);
  const { doc, version, pointer, converted } = checkOpenApi(root, loader);
  loader.replace(doc, pointer);
  if (converted) loader.addParts(root, converted);
  loader.checkAllRefs();
  return {
    root: doc,
    docs: loader.docs,
    version,
    deref: (loc) => loader.deref(loc),
    target: (loc) => loader.target(loc),
  };
}

function parseSource(source: string, cwd: string): Source {
  if (/^https?:\/\//i.test(source)) return { kind: 'url', url: source };
  const abs = path.resolve(cwd, source);
  if (existsSync(abs)) return { kind: 'file', abs };
  const m = GIT_SOURCE.exec(source);
  if (m && !/^[a-zA-Z]$/.test(m[1]!)) return { kind: 'git', rev: m[1]!, rel: path.posix.normalize(m[2]!.replace(/^\.\//, '')) };
  return { kind: 'file', abs };
}

/** `pointer`: for a converted Swagger 2.0 root, where a pointer written against the file lands in the result. */
type Pointer = (path: readonly string[]) => readonly string[] | undefined;

function checkOpenApi(doc: Doc, loader: Loader): { doc: Doc; version: Spec['version']; pointer?: Pointer; converted?: Converted } {
  const v = doc.value;
  if (!isObj(v)) {
    throw new InputError(`${doc.name}: not an OpenAPI document: expected a mapping at the top level`, { file: doc.name });
  }
  const openapi = own(v, 'openapi');
  const swagger = own(v, 'swagger');
  if (typeof openapi === 'string' && /^3\.0(\.|$)/.test(openapi)) return { doc, version: '3.0' };
  if (typeof openapi === 'string' && /^3\.[1-9]/.test(openapi)) return { doc, version: '3.1' };
  if (swagger === '2.0' || swagger === 2) {
    const converted = convertSwagger2(v, loader.swagger2Files(doc));
    return { doc: convertedDoc(doc, converted.value, converted.origin), version: '2.0', pointer: converted.pointer, converted };
  }
  if (openapi !== undefined) {
    throw new InputError(`${doc.name}: field 'openapi' is ${JSON.stringify(openapi)}: expected 3.0.x or 3.1.x`, {
      file: doc.name,
      field: 'openapi',
    });
  }
  throw new InputError(`${doc.name}: not an OpenAPI document: expected a top-level 'openapi: 3.x' or 'swagger: "2.0"' field`, {
    file: doc.name,
    field: 'openapi',
  });
}

class Loader {
  readonly docs = new Map<string, Doc>();
  private readonly sources = new Map<string, Source>();

  constructor(
    private readonly cwd: string,
    private readonly opts: LoadOptions,
  ) {}

  /** A converted Swagger 2.0 root, and how pointers written against its file map into it. */
  private converted?: { doc: Doc; pointer: Pointer };

  replace(doc: Doc, pointer?: Pointer): void {
    this.docs.set(doc.id, doc);
    if (pointer) this.converted = { doc, pointer };
  }

  /** `$ref` objects of converted Swagger 2.0 nodes that lead to a part, not where their text points. */
  private readonly links = new Map<object, Loc>();
  /** `$ref` objects in other files that the Swagger 2.0 conversion followed and checked itself. */
  private readonly followed = new Set<object>();
  /** Each part's document: the file it is written in (whose refs it reads) and its way back to that file's paths. */
  private readonly parts = new Map<Doc, { home: string; origin: (path: readonly string[]) => readonly string[] }>();

  /** How the Swagger 2.0 conversion reads the files `root` (not yet converted) reaches. */
  swagger2Files(root: Doc): Files {
    return {
      root: root.id,
      name: (file) => this.docs.get(file)?.name ?? file,
      follow: (file, at, ref) => {
        // Not cached: the root is still read as written, before its conversion replaces it.
        const to = this.lookupRef({ v: undefined, doc: this.docs.get(file)!, path: at }, ref);
        return { file: to.doc.id, path: to.path, v: to.v };
      },
      openapi: (file) => {
        const v = own(this.docs.get(file)?.value, 'openapi');
        return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
      },
    };
  }

  /** The parts a Swagger 2.0 conversion made, each a document of its own that reads and locates as its file. */
  addParts(root: Doc, converted: Converted): void {
    const locs = new Map<unknown, Loc>();
    converted.parts.forEach((part, i) => {
      const file = part.file === root.id ? root : this.docs.get(part.file)!;
      const doc: Doc = { ...convertedDoc(file, part.value, part.origin), id: `${part.file}\u0000swagger2:${i}` };
      this.docs.set(doc.id, doc);
      this.parts.set(doc, { home: part.file, origin: part.origin });
      locs.set(part, { v: part.value, doc, path: [] });
    });
    for (const [holder, part] of converted.links) this.links.set(holder, locs.get(part)!);
    for (const holder of converted.followed) this.followed.add(holder);
  }

  /** The node the `$ref` at `loc` names: one hop. */
  target(loc: Loc): Loc {
    return this.links.get(loc.v as object) ?? this.resolveRef(loc, refOf(loc.v) ?? '');
  }

  /** A path of `loc` as written in its file (a part's paths are the converted ones). */
  private shownPath(loc: Loc): string {
    return this.writtenPath(loc).join('/');
  }

  /** The same as a JSON pointer for messages: `/paths/~1pets~1{id}`, as the Swagger 2.0 converter shows it. */
  private shownPointer(loc: Loc): string {
    return `/${this.writtenPath(loc).map(escapePointer).join('/')}`;
  }

  private writtenPath(loc: Loc): readonly string[] {
    const part = this.parts.get(loc.doc);
    return part ? part.origin(loc.path) : loc.path;
  }

  load(src: Source, shownAs?: string): Doc {
    const id = sourceId(src);
    const known = this.docs.get(id);
    if (known) return known;
    const name = shownAs ?? this.displayName(src);
    const text = this.read(src, name);
    const doc = parseDoc(text, name, id);
    this.docs.set(id, doc);
    this.sources.set(id, src);
    return doc;
  }

  private displayName(src: Source): string {
    if (src.kind === 'file') {
      const rel = path.relative(this.cwd, src.abs);
      return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? src.abs : rel.split(path.sep).join('/');
    }
    if (src.kind === 'git') return `${src.rev}:${src.rel}`;
    return src.url;
  }

  private read(src: Source, name: string): string {
    const max = this.opts.maxBytes ?? DEFAULT_MAX_BYTES;
    const tooBig = (size: number) =>
      new InputError(
        `${name}: ${(size / 1048576).toFixed(1)} MB is over the ${(max / 1048576).toFixed(0)} MB limit for one spec file (raise it with --max-spec-size)`,
        { file: name },
      );
    if (src.kind === 'file') {
      let st;
      try {
        st = statSync(src.abs);
      } catch {
        throw new InputError(`${name}: file not found`, { file: name });
      }
      if (st.isDirectory()) throw new InputError(`${name}: is a directory, expected an OpenAPI file`, { file: name });
      if (st.size > max) throw tooBig(st.size);
      return readFileSync(src.abs, 'utf8');
    }
    if (src.kind === 'git') {
      let out: Buffer;
      try {
        out = execFileSync('git', ['show', '--end-of-options', `${src.rev}:./${src.rel}`], {
          cwd: this.cwd,
          maxBuffer: max + 1,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (e) {
        const err = e as { code?: string; stderr?: Buffer };
        if (err.code === 'ENOBUFS') throw tooBig(max + 1);
        const why = err.stderr?.toString().trim().split('\n')[0] ?? (e as Error).message;
        throw new InputError(`${name}: cannot read from git: ${why}`, { file: name });
      }
      return out.toString('utf8');
    }
    if (!this.opts.allowExternalRefs) {
      throw new InputError(`${name}: external reference not fetched (pass --allow-external-refs to allow URLs)`, { file: name });
    }
    return fetchTextSync(src.url, max, name);
  }

  private readonly resolved = new Map<Doc, Map<string, Loc>>();

  /** Resolve a `$ref` string written in `from`; a target is looked up once per file and ref. */
  resolveRef(from: Loc, ref: string): Loc {
    let cache = this.resolved.get(from.doc);
    if (!cache) this.resolved.set(from.doc, (cache = new Map()));
    let hit = cache.get(ref);
    if (!hit) {
      hit = this.lookupRef(from, ref);
      cache.set(ref, hit);
    }
    return hit;
  }

  private lookupRef(from: Loc, ref: string): Loc {
    const hash = ref.indexOf('#');
    const target = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    // A converted Swagger 2.0 part reads its refs as the file it was written in does.
    const part = this.parts.get(from.doc);
    const home = part ? this.docs.get(part.home)! : from.doc;
    let doc = home;
    if (target !== '') {
      const src = this.relativeSource(from, home, target, ref);
      try {
        doc = this.load(src);
      } catch (e) {
        if (e instanceof InputError) {
          throw new InputError(`${from.doc.name} at ${this.shownPointer(from)}: $ref '${ref}': ${e.message}`, { file: from.doc.name });
        }
        throw e;
      }
    }
    let parts: readonly string[] = fragment === '' || fragment === '/' ? [] : fragment.replace(/^\//, '').split('/').map(decodePart);
    // Other files point into a Swagger 2.0 root as written (`#/definitions/Pet`); it was converted.
    if (doc === this.converted?.doc) parts = this.convertedPointer(from, ref, parts);
    let v: unknown = doc.value;
    for (const p of parts) {
      v = Array.isArray(v) ? v[Number(p)] : own(v, p);
      if (v === undefined) {
        throw new InputError(`${from.doc.name} at ${this.shownPointer(from)}: $ref '${ref}' points at nothing in ${doc.name}`, {
          file: from.doc.name,
          field: this.shownPath(from),
        });
      }
    }
    return { v, doc, path: parts };
  }

  private convertedPointer(from: Loc, ref: string, parts: readonly string[]): readonly string[] {
    const mapped = this.converted!.pointer(parts);
    if (mapped) return mapped;
    throw new InputError(
      `${from.doc.name} at ${this.shownPointer(from)}: $ref '${ref}' names a Swagger 2.0 body or formData parameter of ${this.converted!.doc.name}; ` +
        'converted to OpenAPI 3 it is part of each request body, not a node of its own: refer to a definition instead',
      { file: from.doc.name, field: this.shownPath(from) },
    );
  }

  private relativeSource(from: Loc, home: Doc, target: string, ref: string): Source {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      if (/^https?:/i.test(target)) {
        if (!this.opts.allowExternalRefs) {
          throw new InputError(
            `${from.doc.name} at ${this.shownPointer(from)}: $ref '${ref}' is a URL; not fetched (pass --allow-external-refs to allow)`,
            { file: from.doc.name, field: this.shownPath(from) },
          );
        }
        return { kind: 'url', url: target };
      }
      throw new InputError(`${from.doc.name} at ${this.shownPointer(from)}: $ref '${ref}': unsupported scheme`, {
        file: from.doc.name,
      });
    }
    const base = this.sources.get(home.id);
    const decoded = decodeURI(target);
    if (!base || base.kind === 'file') {
      const dir = base && base.kind === 'file' ? path.dirname(base.abs) : this.cwd;
      return { kind: 'file', abs: path.resolve(dir, decoded) };
    }
    if (base.kind === 'git') return { kind: 'git', rev: base.rev, rel: path.posix.normalize(path.posix.join(path.posix.dirname(base.rel), decoded)) };
    return { kind: 'url', url: new URL(target, base.url).toString() };
  }

  deref(loc: Loc): Loc {
    let cur = loc;
    let seen: Set<string> | undefined;
    for (let hops = 0; ; hops++) {
      const ref = refOf(cur.v);
      if (ref === undefined) return cur;
      if (hops > 0) {
        seen ??= new Set();
        const key = `${cur.doc.id}#${cur.path.join('/')}`;
        if (seen.has(key) || hops > 64) {
          throw new InputError(`${loc.doc.name} at ${this.shownPointer(loc)}: $ref cycle: the reference never reaches a value`, {
            file: loc.doc.name,
          });
        }
        seen.add(key);
      }
      const next = this.links.get(cur.v as object) ?? this.resolveRef(cur, ref);
      cur = mergeSiblings(cur, next);
    }
  }

  /** Visit every `$ref` where the spec allows a Reference Object; data (examples, defaults, extensions) is skipped. */
  checkAllRefs(): void {
    const done = new Set<string>();
    const queue: Doc[] = [...this.docs.values()];
    while (queue.length > 0) {
      const doc = queue.pop()!;
      if (done.has(doc.id)) continue;
      done.add(doc.id);
      const before = this.docs.size;
      this.checkRefsIn(doc);
      if (this.docs.size !== before) for (const d of this.docs.values()) if (!done.has(d.id)) queue.push(d);
    }
  }

  /** Depth-first over one document; a path is only spelled out for a `$ref` or an error. */
  private checkRefsIn(doc: Doc): void {
    const route: string[] = [];
    const visit = (v: object, key: string): void => {
      if (route.length > MAX_DEPTH) {
        throw new InputError(`${doc.name} at /${route.slice(0, 8).map(escapePointer).join('/')}/…: nested more than ${MAX_DEPTH} levels deep; refusing to walk it`, {
          file: doc.name,
        });
      }
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          if (typeof x !== 'object' || x === null) continue;
          route.push(String(i));
          visit(x, route[route.length - 1]!);
          route.pop();
        }
        return;
      }
      const o = v as Record<string, unknown>;
      // The route is read (and copied) only if resolving fails, while it still names this node.
      if (typeof o.$ref === 'string' && Object.prototype.hasOwnProperty.call(o, '$ref') && !this.followed.has(o)) this.deref(new LazyPathLoc(o, doc, () => route.slice()));
      for (const k in o) {
        const x = o[k];
        if (typeof x !== 'object' || x === null || k === '$ref' || isDataKey(k, key)) continue;
        route.push(k);
        visit(x, k);
        route.pop();
      }
    };
    if (typeof doc.value === 'object' && doc.value !== null) visit(doc.value, '');
  }
}

/** A node whose path is only worked out when a message needs it. */
class LazyPathLoc implements Loc {
  private built?: readonly string[];

  constructor(
    readonly v: unknown,
    readonly doc: Doc,
    private readonly make: () => string[],
  ) {}

  get path(): readonly string[] {
    return (this.built ??= this.make());
  }
}

/** Keys whose values are data, not spec structure: a `$ref` inside them is an example payload. */
export function isDataKey(key: string, parentKey: string | undefined): boolean {
  if (key.startsWith('x-')) return true;
  if (key === 'example' || key === 'default' || key === 'enum' || key === 'const') return parentKey !== 'properties';
  // Example Object's literal value; examples as a 3.1 schema keyword is an array of data.
  if (key === 'value' || key === 'examples') return parentKey !== 'properties';
  return false;
}

export function refOf(v: unknown): string | undefined {
  if (!isObj(v)) return undefined;
  const r = own(v, '$ref');
  return typeof r === 'string' ? r.trim() : undefined;
}

const IGNORED_SIBLINGS = new Set(['$ref', 'description', 'summary']);

/** OpenAPI 3.1 lets a `$ref` carry siblings; they override the target's keywords (3.0 specs rarely have any). */
function mergeSiblings(ref: Loc, target: Loc): Loc {
  const o = ref.v as Record<string, unknown>;
  let extra: string[] | undefined;
  for (const k in o) if (!IGNORED_SIBLINGS.has(k)) (extra ??= []).push(k);
  if (!extra || !isObj(target.v)) return target;
  const merged: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(target.v)) merged[k] = target.v[k];
  for (const k of extra) merged[k] = o[k];
  return { v: merged, doc: ref.doc, path: ref.path };
}

const FETCH_SCRIPT = `
const [url, max] = process.argv.slice(1);
fetch(url, { signal: AbortSignal.timeout(15000) })
  .then(async (r) => {
    if (!r.ok) { process.stderr.write('HTTP ' + r.status); process.exit(3); }
    const t = await r.text();
    if (t.length > Number(max)) { process.stderr.write('over the size limit'); process.exit(4); }
    process.stdout.write(t);
  })
  .catch((e) => { process.stderr.write(String(e && e.message)); process.exit(5); });`;

/** The walk is synchronous; an allowed URL is fetched by a short-lived child process. */
function fetchTextSync(url: string, max: number, name: string): string {
  try {
    return execFileSync(process.execPath, ['-e', FETCH_SCRIPT, url, String(max)], {
      maxBuffer: max + 1024,
      timeout: 20000,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString('utf8');
  } catch (e) {
    const why = (e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message;
    throw new InputError(`${name}: cannot fetch: ${why}`, { file: name });
  }
}

function decodePart(p: string): string {
  let s = p;
  try {
    s = decodeURIComponent(p);
  } catch {
    // Keep the raw text: a literal '%' in a key is valid.
  }
  return unescapePointer(s);
}

function sourceId(src: Source): string {
  if (src.kind === 'file') return src.abs;
  if (src.kind === 'git') return `${src.rev}:${src.rel}`;
  return src.url;
}
