/**
 * Lines of JSON-pointer paths in JSON text, found in one pass that descends only into the
 * requested branches. JSON.parse keeps no positions, and a full positional parse would cost
 * many times the parse itself on a 4 MB spec; findings need only a few hundred lines.
 */
interface Trie {
  children: Map<string, Trie>;
  /** Indexes into the requested path list that end here. */
  ends: number[];
}

export function locateJsonLines(text: string, paths: readonly (readonly string[])[]): (number | undefined)[] {
  const offsets: (number | undefined)[] = new Array(paths.length).fill(undefined);
  if (paths.length === 0) return [];
  const root: Trie = { children: new Map(), ends: [] };
  paths.forEach((p, i) => {
    let t = root;
    for (const k of p) {
      let next = t.children.get(k);
      if (!next) t.children.set(k, (next = { children: new Map(), ends: [] }));
      t = next;
    }
    t.ends.push(i);
  });
  const scanner = new Scanner(text, paths.length);
  scanner.ws();
  scanner.walk(root, scanner.pos, offsets);
  const lineStarts = lineStartsOf(text);
  return offsets.map((o) => (o === undefined ? undefined : lineOf(lineStarts, o)));
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
        const key = this.readString();
        this.ws();
        this.pos++; // ':'
        this.ws();
        const child = trie.children.get(key);
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

  readString(): string {
    const start = this.pos;
    this.skipString();
    const raw = this.s.slice(start + 1, this.pos - 1);
    return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
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
      let depth = 0;
      let p = this.pos;
      while (p < s.length) {
        const ch = s.charCodeAt(p);
        if (ch === 34) {
          this.pos = p;
          this.skipString();
          p = this.pos;
          continue;
        }
        if (ch === 123 || ch === 91) depth++;
        else if (ch === 125 || ch === 93) {
          depth--;
          if (depth === 0) {
            this.pos = p + 1;
            return;
          }
        }
        p++;
      }
      this.pos = p;
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

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
