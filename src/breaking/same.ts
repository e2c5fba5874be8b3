import { refOf, type Spec } from './spec/load.js';
import { isObj, type Loc } from './spec/loc.js';

/** A pair's state: still being compared (assumed the same if met again: a cycle), or answered. */
const PENDING = 2;
type State = boolean | typeof PENDING;

/** What is known of one base object: its state against one revision object, and any others. */
interface Answer {
  y: object;
  state: State;
  others?: Map<object, State>;
}

/**
 * Whether a base node and a revision node say exactly the same thing, following `$ref`s that name
 * the same target on both sides. Most of a new version repeats the old one; a pair found the same
 * needs no rule run below it. Answers are kept per object pair, so each pair is compared once, and
 * a pair met again while being compared (a cycle) counts as the same until shown otherwise.
 */
export class Sameness {
  // A plain Map (not a WeakMap): it lives for one comparison, and ephemeron tables cost the GC dearly.
  private readonly memo = new Map<object, Answer>();

  constructor(
    private readonly base: Spec,
    private readonly rev: Spec,
  ) {}

  /** Pairs answered 'same' during the current top-level call while a cycle was assumed the same. */
  private made: [object, object][] = [];
  /** How many pending pairs have been met again (answered by assumption) in the current call. */
  private assumed = 0;

  same(b: Loc, r: Loc): boolean {
    return this.sameValues(b.v, r.v, b, r);
  }

  /** Whether `x` (in the base, next to `bl`) and `y` (in the revision, next to `rl`) say the same. */
  sameValues(x: unknown, y: unknown, bl: Loc, rl: Loc): boolean {
    this.made = [];
    this.assumed = 0;
    const result = this.value(x, y, bl, rl, 0);
    // A 'same' that leaned on a cycle assumption later disproved is not kept; answers reached
    // without assuming anything stand.
    if (!result) for (const [x, y] of this.made) if (this.known(x, y) === true) this.forget(x, y);
    this.made = [];
    return result;
  }

  private known(x: object, y: object): State | undefined {
    const a = this.memo.get(x);
    if (!a) return undefined;
    return a.y === y ? a.state : a.others?.get(y);
  }

  private remember(x: object, y: object, state: State): void {
    const a = this.memo.get(x);
    if (!a) this.memo.set(x, { y, state });
    else if (a.y === y) a.state = state;
    else (a.others ??= new Map()).set(y, state);
  }

  private forget(x: object, y: object): void {
    const a = this.memo.get(x);
    if (!a) return;
    if (a.y !== y) a.others?.delete(y);
    else if (a.others?.size) {
      const [[y2, state]] = a.others;
      a.others.delete(y2!);
      a.y = y2!;
      a.state = state!;
    } else this.memo.delete(x);
  }

  private value(x: unknown, y: unknown, bl: Loc, rl: Loc, depth: number): boolean {
    if (x === y) return true;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    // Data nested deeper than any schema (a hostile example) is simply not known to be the same.
    if (depth > 400) return false;
    const known = this.known(x, y);
    if (known === PENDING) {
      this.assumed++;
      return true;
    }
    if (known !== undefined) return known;
    const assumedBefore = this.assumed;
    this.remember(x, y, PENDING);
    const result = this.compare(x, y, bl, rl, depth);
    this.remember(x, y, result);
    // Only a 'same' that met a pending pair below it may have to be taken back.
    if (result && this.assumed !== assumedBefore) this.made.push([x, y]);
    return result;
  }

  private compare(x: object, y: object, bl: Loc, rl: Loc, depth: number): boolean {
    if (Array.isArray(x) || Array.isArray(y)) {
      if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!this.value(x[i], y[i], bl, rl, depth + 1)) return false;
      return true;
    }
    if (!isObj(x) || !isObj(y)) return false;
    const rx = refOf(x);
    const ry = refOf(y);
    if (rx !== undefined || ry !== undefined) {
      if (rx !== ry || Object.keys(x).length !== 1 || Object.keys(y).length !== 1) return false;
      // Same reference text: the same only if what it points at is the same in both versions.
      const tb = this.base.deref(near(x, bl));
      const tr = this.rev.deref(near(y, rl));
      return this.value(tb.v, tr.v, tb, tr, depth + 1);
    }
    // for…in over parsed JSON reads the key cache without copying it out (no inherited keys here).
    let ny = 0;
    for (const _ in y) ny++;
    let nx = 0;
    for (const k in x) {
      if (!Object.prototype.hasOwnProperty.call(y, k) || !this.value(x[k], y[k], bl, rl, depth + 1)) return false;
      nx++;
    }
    return nx === ny;
  }
}

/** `v`, found beside `loc`: its document resolves the reference; the path is only read for messages. */
function near(v: unknown, loc: Loc): Loc {
  return {
    v,
    doc: loc.doc,
    get path() {
      return loc.path;
    },
  };
}
