import {
  isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit,
  type Document, type Node as YamlNode, type Pair, type YAMLMap,
} from 'yaml';
import { InputError } from '../../kit/errors.js';
import { locateJsonLines } from './json-locate.js';

/** Alias expansions allowed per YAML document: real specs use a handful; a bomb uses millions. */
const MAX_ALIAS_COUNT = 1000;
/** An alias shares one value, but each `<<` merge copies its sources anew: the nodes all merges copy, at most. */
const MAX_MERGED_NODES = 1_000_000;

/** One parsed file of a spec: its value and a way back to source lines. */
export interface Doc {
  /** Path as shown to users (relative to the working directory, or `rev:path` for git sources). */
  readonly name: string;
  /** Absolute path (or `rev:path`) used as identity. */
  readonly id: string;
  readonly value: unknown;
  /** Lines (1-based) of the given JSON-pointer paths; undefined where a path is not in the file. */
  lines(paths: readonly (readonly string[])[]): (number | undefined)[];
}

export function parseDoc(text: string, name: string, id: string): Doc {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value = JSON.parse(text) as unknown;
      return makeDoc(name, id, value, (paths) => locateJsonLines(text, paths));
    } catch {
      // Not strict JSON (comments, trailing commas…): YAML is a superset, let it try and report.
    }
  }
  return parseYamlDoc(text, name, id);
}

function parseYamlDoc(text: string, name: string, id: string): Doc {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: true, merge: true });
  } catch (e) {
    throw new InputError(`${name}: not valid YAML or JSON: ${(e as Error).message}`, { file: name });
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = err.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    throw new InputError(`${name}${where}: not valid YAML or JSON: ${err.message.split('\n')[0]}`, { file: name });
  }
  if (text.includes('<<') && mergedNodeCount(doc) > MAX_MERGED_NODES) {
    throw new InputError(
      `${name}: YAML merge keys (<<) copy more than ${MAX_MERGED_NODES} nodes: refusing a possible alias bomb`,
      { file: name },
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const msg = (e as Error).message;
    if (/excessive alias/i.test(msg)) {
      throw new InputError(
        `${name}: YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} alias uses): refusing a possible alias bomb`,
        { file: name },
      );
    }
    throw new InputError(`${name}: cannot read YAML: ${msg}`, { file: name });
  }
  return makeDoc(name, id, value, (paths) => paths.map((p) => yamlLine(doc, lineCounter, p)));
}

/** Nodes that converting `doc` builds for its `<<` merges: each copies its sources, merges inside them included. */
function mergedNodeCount(doc: Document): number {
  const targets = aliasTargets(doc);
  const resolve = (v: unknown): unknown => (isAlias(v) ? targets.get(v) : v);
  const sources = (value: unknown): unknown[] => {
    const source = resolve(value);
    return isSeq(source) ? source.items.map(resolve) : [source];
  };
  const sizes = new Map<unknown, number>();
  const size = (node: unknown): number => {
    if (!isCollection(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, Infinity); // a mapping merged into itself never ends
    let n = 1;
    for (const it of node.items) {
      if (!isPair(it)) n += size(it);
      else n += isMergeKey(it.key) ? sum(sources(it.value).map(size)) : size(it.key) + size(it.value);
    }
    sizes.set(node, n);
    return n;
  };
  let total = 0;
  visit(doc, {
    Pair: (_, pair) => {
      if (isMergeKey(pair.key)) total += sum(sources(pair.value).map(size));
    },
  });
  return total;
}

/** What each alias stands for: the last node before it with its anchor, as the yaml package resolves it. */
function aliasTargets(doc: Document): Map<unknown, unknown> {
  const anchors = new Map<string, unknown>();
  const targets = new Map<unknown, unknown>();
  visit(doc, {
    Node: (_, node) => {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return targets;
}

function sum(ns: number[]): number {
  return ns.reduce((a, b) => a + b, 0);
}

type Locate = (paths: readonly (readonly string[])[]) => (number | undefined)[];

function makeDoc(name: string, id: string, value: unknown, locate: Locate): Doc {
  return { name, id, value, lines: locate };
}

/** `doc` with a value converted from it (Swagger 2.0 → 3.0): `origin` takes the value's paths back to the file's. */
export function convertedDoc(doc: Doc, value: unknown, origin: (path: readonly string[]) => readonly string[]): Doc {
  return { ...doc, value, lines: (paths) => nearestLines(paths.map(origin), (p) => doc.lines(p)) };
}

/** Lines of the paths; where a path has no node in the file (made up by a conversion), its nearest ancestor's. */
function nearestLines(paths: readonly (readonly string[])[], locate: Locate): (number | undefined)[] {
  const out = locate(paths);
  let missing = out.flatMap((line, i) => (line === undefined && paths[i]!.length > 0 ? [{ i, path: paths[i]! }] : []));
  while (missing.length > 0) {
    missing = missing.map(({ i, path }) => ({ i, path: path.slice(0, -1) }));
    const found = locate(missing.map((m) => m.path));
    missing.forEach(({ i }, k) => (out[i] = found[k]));
    missing = missing.filter(({ i, path }) => out[i] === undefined && path.length > 0);
  }
  return out;
}

function yamlLine(doc: Document, lc: LineCounter, path: readonly string[]): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as YamlNode | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = pairOf(doc, node, key);
      if (!pair) return undefined;
      offset = (pair.key as YamlNode | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)] as YamlNode | undefined;
      if (!item) return undefined;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return undefined;
    }
    if (isAlias(node)) {
      // An alias: its target holds the rest of the path. (Scalars also carry `source`, so test with isAlias.)
      const target = node.resolve(doc);
      if (target) node = target;
    }
  }
  return offset === undefined ? undefined : lc.linePos(offset).line;
}

/** The pair for `key` in a mapping: its own first, then those merged in with `<<`, earlier sources first. */
function pairOf(doc: Document, map: YAMLMap, key: string, depth = 0): Pair | undefined {
  const own = map.items.find((it) => !isMergeKey(it.key) && keyText(it.key) === key);
  if (own || depth > MAX_MERGE_DEPTH) return own;
  for (const it of map.items) {
    if (!isMergeKey(it.key)) continue;
    for (const source of mergeSources(doc, it.value)) {
      const found = pairOf(doc, source, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** Merges nest a few levels in real files; the bound only stops a self-merging mapping. */
const MAX_MERGE_DEPTH = 32;

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

/** The mappings a `<<` value merges: one mapping or alias, or a sequence of them. */
function mergeSources(doc: Document, value: unknown): YAMLMap[] {
  const resolve = (v: unknown): unknown => (isAlias(v) ? v.resolve(doc) : v);
  const source = resolve(value);
  const items = isSeq(source) ? source.items.map(resolve) : [source];
  return items.filter((x): x is YAMLMap => isMap(x));
}

function keyText(key: unknown): string | undefined {
  if (key && typeof key === 'object' && 'value' in key) return String((key as { value: unknown }).value);
  return key === null || key === undefined ? undefined : String(key);
}
