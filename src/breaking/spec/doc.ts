import { isAlias, isMap, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { InputError } from '../../kit/errors.js';
import { locateJsonLines } from './json-locate.js';

/** Alias expansions allowed per YAML document: real specs use a handful; a bomb uses millions. */
const MAX_ALIAS_COUNT = 1000;

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
      return { name, id, value, lines: (paths) => locateJsonLines(text, paths) };
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
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: true });
  } catch (e) {
    throw new InputError(`${name}: not valid YAML or JSON: ${(e as Error).message}`, { file: name });
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = err.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    throw new InputError(`${name}${where}: not valid YAML or JSON: ${err.message.split('\n')[0]}`, { file: name });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const msg = (e as Error).message;
    if (/alias/i.test(msg)) {
      throw new InputError(
        `${name}: YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} alias uses): refusing a possible alias bomb`,
        { file: name },
      );
    }
    throw new InputError(`${name}: cannot read YAML: ${msg}`, { file: name });
  }
  return {
    name,
    id,
    value,
    lines: (paths) => paths.map((p) => yamlLine(doc, lineCounter, p)),
  };
}

function yamlLine(doc: Document, lc: LineCounter, path: readonly string[]): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as YamlNode | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => keyText(it.key) === key);
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

function keyText(key: unknown): string | undefined {
  if (key && typeof key === 'object' && 'value' in key) return String((key as { value: unknown }).value);
  return key === null || key === undefined ? undefined : String(key);
}
