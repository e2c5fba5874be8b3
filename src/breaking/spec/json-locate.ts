/**
 * Lines of JSON-pointer paths in JSON text, found in one pass that descends only into the
 * requested branches. JSON.parse keeps no positions, and a full positional parse would cost
 * many times the parse itself on a 4 MB spec; findings need only a few hundred lines.
 */
interface Trie {
  children: Map<string, Trie>;
  /** Lengths of the children's keys: most keys of an object are not wanted, and are told by length alone. */
  lengths: Set<number>;
  /** Indexes into the requested path list that end here. */
  ends: number[];
}

/** A whole string (written so that long strings need no backtracking stack) or a bracket. */
const TOKEN = /"[^"\\]*(?:\\.[^"\\]*)*"|[{}[\]]/g;

const newTrie = (): Trie => ({ children: new Map(), lengths: new Set(), ends: [] });

export function locateJsonLines(text: string, paths: readonly (readonly string[])[]): (number | undefined)[] {
  const offsets: (number | undefined)[] = new Array(paths.length).fill(undefined);
  if (paths.length === 0) return [];
  const root = newTrie();
  paths.forEach((p, i) => {
    let t = root;
    for (const k of p) {
      let next = t.children.get(k);
      if (!next) {
        t.children.set(k, (next = newTrie()));
        t.lengths.add(k.length);
      }
      t = next;
    }
    t.ends.push(i);
  });
  const scanner = new Scanner(text, paths.length);
  scanner.ws();
  scanner.walk(root, scanner.pos, offsets);
  return linesAt(text, offsets);
}

class Scanner {
  pos = 0;
  constructor(
    private readonly s: string,
    /** Paths still to find: once none are left, the rest of the text is not read. */
    private left: number,
  ) {}

  ws(): void {
    const s = this.s;
    let p = this.pos;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
  }

  /** At the start of a value: record where `trie` ends, descend into wanted children, skip the rest. */
  walk(trie: Trie, keyOffset: number, out: (number | undefined)[]): void {
    for (const i of trie.ends) out[i] = keyOffset;
    this.left -= trie.ends.length;
    if (this.left === 0) return;
    if (trie.children.size === 0) return this.skipValue();
    const c = this.s[this.pos];
    if (c === '{') {
      this.pos++;
      this.ws();
      if (this.s[this.pos] === '}') return void this.pos++;
      for (;;) {
        this.ws();
        const keyStart = this.pos;
        const key = this.readKey(trie.lengths);
        this.ws();
        this.pos++; // ':'
        this.ws();
        const child = key === undefined ? undefined : trie.children.get(key);
        if (child) this.walk(child, keyStart, out);
        else this.skipValue();
        if (this.left === 0) return;
        this.ws();
        if (this.s[this.pos] === ',') this.pos++;
        else return void this.pos++; // '}'
      }
    } else if (c === '[') {
      this.pos++;
      this.ws();
      if (this.s[this.pos] === ']') return void this.pos++;
      for (let index = 0; ; index++) {
        this.ws();
        const child = trie.children.get(String(index));
        if (child) this.walk(child, this.pos, out);
        else this.skipValue();
        if (this.left === 0) return;
        this.ws();
        if (this.s[this.pos] === ',') this.pos++;
        else return void this.pos++; // ']'
      }
    } else {
      this.skipValue();
    }
  }

  /** The key at the cursor, or undefined when its length shows it is none of `wanted` (no copy made). */
  readKey(wanted: ReadonlySet<number>): string | undefined {
    const s = this.s;
    const start = this.pos;
    this.skipString();
    const end = this.pos - 1;
    let escaped = false;
    for (let i = start + 1; i < end; i++) {
      if (s.charCodeAt(i) === 92) {
        escaped = true;
        break;
      }
    }
    if (!escaped) return wanted.has(end - start - 1) ? s.slice(start + 1, end) : undefined;
    return JSON.parse(s.slice(start, end + 1)) as string;
  }

  skipString(): void {
    const s = this.s;
    let p = this.pos + 1;
    for (;;) {
      const q = s.indexOf('"', p);
      if (q < 0) {
        this.pos = s.length;
        return;
      }
      let backslashes = 0;
      for (let b = q - 1; s.charCodeAt(b) === 92; b--) backslashes++;
      p = q + 1;
      if (backslashes % 2 === 0) break;
    }
    this.pos = p;
  }

  skipValue(): void {
    const s = this.s;
    const c = s[this.pos];
    if (c === '"') return this.skipString();
    if (c === '{' || c === '[') {
      // A regular expression runs as native code from the first call; a character loop would run
      // interpreted until the engine warms up, which on one pass over a 4 MB file it barely does.
      let depth = 0;
      TOKEN.lastIndex = this.pos;
      while (TOKEN.test(s)) {
        const ch = s.charCodeAt(TOKEN.lastIndex - 1);
        if (ch === 34) continue;
        if (ch === 123 || ch === 91) depth++;
        else if (--depth === 0) {
          this.pos = TOKEN.lastIndex;
          return;
        }
      }
      this.pos = s.length;
      return;
    }
    let p = this.pos;
    while (p < s.length) {
      const ch = s.charCodeAt(p);
      if (ch === 44 || ch === 125 || ch === 93 || ch === 32 || ch === 10 || ch === 13 || ch === 9) break;
      p++;
    }
    this.pos = p;
  }
}

/** 1-based lines of the offsets, counting newlines once up to the last of them. */
function linesAt(text: string, offsets: readonly (number | undefined)[]): (number | undefined)[] {
  const order = offsets.map((_, i) => i).filter((i) => offsets[i] !== undefined);
  order.sort((a, b) => offsets[a]! - offsets[b]!);
  const out: (number | undefined)[] = new Array(offsets.length).fill(undefined);
  let line = 1;
  let next = text.indexOf('\n');
  for (const i of order) {
    const at = offsets[i]!;
    while (next >= 0 && next < at) {
      line++;
      next = text.indexOf('\n', next + 1);
    }
    out[i] = line;
  }
  return out;
}
