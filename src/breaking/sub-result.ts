import { locId, type Loc } from './spec/loc.js';

/** A change reported at one schema pair. */
export interface SubChange {
  id: string;
  detail: string;
  at?: Loc;
  data?: Record<string, unknown>;
  /** Rule, detail and node: the same change found again (a top schema walked again below itself) is one. */
  key?: string;
}

/**
 * What a schema pair and everything below it reported: its own changes and its children's results,
 * each under the path segment that leads to it. Children are shared, not copied, so a memoised
 * subtree costs nothing to include again. Recursive schemas make the results a graph with cycles.
 */
export interface SubResult {
  own: SubChange[];
  kids: [seg: string, result: SubResult][];
}

export const EMPTY: SubResult = { own: [], kids: [] };

/** A change with the slash-joined property path from a result's schema to where it was found. */
export interface Reported {
  rel: string;
  c: SubChange;
  /** Segments in `rel`. */
  depth: number;
}

/**
 * Lists every change reachable from a result, each once (see SubChange.key), under its shortest route
 * (the first of equals in schema order): `id` rather than `children/items/id` or a long detour
 * through other components. A list is kept per result, so a subtree shared by many operations is listed once.
 * Results that reach each other (a strongly connected set, found with Tarjan's algorithm) are
 * listed by walking the set itself; everything outside it reuses the lists already made.
 */
export class RouteLister {
  private readonly lists = new Map<SubResult, Reported[]>();
  /** The strongly connected set each result already placed belongs to. */
  private readonly component = new Map<SubResult, number>();
  private readonly cyclic = new Set<number>();
  private components = 0;

  list(r: SubResult): Reported[] {
    const known = this.lists.get(r);
    if (known) return known;
    if (!this.component.has(r)) this.place(r);
    return this.lists.get(r) ?? this.listCyclic(r);
  }

  /** Tarjan's algorithm from `root` over results not yet placed; sets closed in reverse topological order. */
  private place(root: SubResult): void {
    const index = new Map<SubResult, number>();
    const low = new Map<SubResult, number>();
    const stack: SubResult[] = [];
    const onStack = new Set<SubResult>();
    const visit = (v: SubResult): void => {
      const i = index.size;
      index.set(v, i);
      low.set(v, i);
      stack.push(v);
      onStack.add(v);
      let selfLoop = false;
      for (const [, w] of v.kids) {
        if (w === v) selfLoop = true;
        if (this.component.has(w)) continue;
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) !== i) return;
      const id = this.components++;
      let size = 0;
      for (let w: SubResult | undefined; w !== v; size++) {
        w = stack.pop()!;
        onStack.delete(w);
        this.component.set(w, id);
      }
      if (size > 1 || selfLoop) this.cyclic.add(id);
      else this.lists.set(v, this.compose(v));
    };
    visit(root);
  }

  /** A result outside any cycle: its own changes, then each child's list under the child's segment. */
  private compose(r: SubResult): Reported[] {
    const best = new Map<string, Reported>();
    for (let i = 0; i < r.own.length; i++) offer(best, '', '', 0, r.own[i]!);
    for (let k = 0; k < r.kids.length; k++) {
      const [seg, kid] = r.kids[k]!;
      const list = this.list(kid);
      for (let i = 0; i < list.length; i++) {
        const f = list[i]!;
        offer(best, seg, f.rel, f.depth + 1, f.c);
      }
    }
    return [...best.values()];
  }

  /** A result in a cycle: breadth-first over its strongly connected set, reusing lists outside it. */
  private listCyclic(start: SubResult): Reported[] {
    const comp = this.component.get(start)!;
    const best = new Map<string, Reported>();
    const queue: [SubResult, string, number][] = [[start, '', 0]];
    const reached = new Set<SubResult>([start]);
    for (let q = 0; q < queue.length; q++) {
      const [r, rel, depth] = queue[q]!;
      for (let i = 0; i < r.own.length; i++) offer(best, rel, '', depth, r.own[i]!);
      for (let k = 0; k < r.kids.length; k++) {
        const [seg, kid] = r.kids[k]!;
        const at = join(rel, seg);
        if (this.component.get(kid) !== comp) {
          const list = this.list(kid);
          for (let i = 0; i < list.length; i++) {
            const f = list[i]!;
            offer(best, at, f.rel, depth + 1 + f.depth, f.c);
          }
        } else if (!reached.has(kid)) {
          reached.add(kid);
          queue.push([kid, at, depth + 1]);
        }
      }
    }
    const out = [...best.values()];
    this.lists.set(start, out);
    return out;
  }
}

/** Keep `c` under `head/tail` unless it is already listed under a route as short (the path is joined only when kept). */
function offer(best: Map<string, Reported>, head: string, tail: string, depth: number, c: SubChange): void {
  const key = (c.key ??= `${c.id}\u0000${c.detail}\u0000${c.at ? locId(c.at) : ''}`);
  const known = best.get(key);
  if (known && known.depth <= depth) return;
  best.set(key, { rel: join(head, tail), c, depth });
}

function join(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a}/${b}`;
}
