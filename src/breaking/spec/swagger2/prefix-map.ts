/** Path prefixes of one document mapped to another's (a conversion's result and its source). */
import type { Path } from './index.js';

interface PrefixNode {
  readonly next: Map<string, PrefixNode>;
  /** null: the prefix has no counterpart. */
  to?: Path | null;
}

/**
 * Path prefixes of one document → those of the other. The deepest mapped prefix of a path wins and
 * the rest is kept as is; a prefix mapped to null maps the path to undefined.
 */
export class PrefixMap {
  private readonly root: PrefixNode = { next: new Map() };

  add(from: Path, to: Path | null): void {
    let node = this.root;
    for (const k of from) {
      let next = node.next.get(k);
      if (!next) node.next.set(k, (next = { next: new Map() }));
      node = next;
    }
    node.to = to;
  }

  map(path: Path): Path | undefined {
    let node: PrefixNode | undefined = this.root;
    let to: Path | null | undefined = this.root.to;
    let depth = 0;
    for (let i = 0; i < path.length && node; i++) {
      node = node.next.get(path[i]!);
      if (node?.to !== undefined) [to, depth] = [node.to, i + 1];
    }
    if (to === null) return undefined;
    return to ? [...to, ...path.slice(depth)] : path;
  }
}
