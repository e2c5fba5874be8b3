/** Which feature flag each operation of a spec names: `x-feature-flag` on the operation, else on its path item. */
import type { Spec } from '../breaking/spec/load.js';
import { child, own, type Loc } from '../breaking/spec/loc.js';
import { specOperations } from '../breaking/spec/operations.js';

export const FLAG_KEY = 'x-feature-flag';

export type FlagRef =
  /** No x-feature-flag on the operation or its path item. */
  | { kind: 'none' }
  /** A flag name. */
  | { kind: 'named'; name: string }
  /** `x-feature-flag: false`: shipped without a flag on purpose. */
  | { kind: 'waived' }
  /** Anything else (a number, a list, an empty string, a name with spaces). */
  | { kind: 'invalid'; value: unknown; why: string };

export interface OperationFlag {
  /** `GET /pets` */
  operation: string;
  ref: FlagRef;
  /** Where the x-feature-flag that rules is written: 'operation', 'path item', or undefined when none is. */
  on?: 'operation' | 'path item';
  /** The line of that x-feature-flag key, else of the operation. */
  file: string;
  line?: number;
}

/** A flag name: a non-empty string without whitespace or control characters. */
export function flagNameProblem(name: string): string | undefined {
  if (name === '') return 'is an empty string';
  if (/[\s\u0000-\u001f\u007f]/.test(name)) return `${JSON.stringify(name)} has whitespace or control characters`;
  return undefined;
}

export function readFlagRef(v: unknown): FlagRef {
  if (v === undefined || v === null) return { kind: 'none' };
  if (v === false) return { kind: 'waived' };
  if (typeof v !== 'string') {
    const what = Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
    return { kind: 'invalid', value: v, why: `is ${what}: expected one flag name (a string), or false for none on purpose` };
  }
  const problem = flagNameProblem(v);
  return problem ? { kind: 'invalid', value: v, why: `${problem}: expected a flag name` } : { kind: 'named', name: v };
}

/** Every operation of `spec.paths` with the flag it names, in spec order; lines found in one pass per file. */
export function operationFlags(spec: Spec): OperationFlag[] {
  const ops = specOperations(spec);
  const locs: Loc[] = [];
  const out: OperationFlag[] = ops.map((op) => {
    let at: Loc = op.loc;
    let on: OperationFlag['on'];
    let value: unknown;
    if (own(op.loc.v, FLAG_KEY) !== undefined) {
      at = child(op.loc, FLAG_KEY);
      on = 'operation';
      value = at.v;
    } else if (own(op.item.v, FLAG_KEY) !== undefined) {
      at = child(op.item, FLAG_KEY);
      on = 'path item';
      value = at.v;
    }
    locs.push(at);
    return { operation: op.key, ref: readFlagRef(value), ...(on ? { on } : {}), file: at.doc.name };
  });
  const byDoc = new Map<Loc['doc'], number[]>();
  locs.forEach((l, i) => {
    const list = byDoc.get(l.doc);
    if (list) list.push(i);
    else byDoc.set(l.doc, [i]);
  });
  for (const [doc, idx] of byDoc) {
    const lines = doc.lines(idx.map((i) => locs[i]!.path));
    idx.forEach((i, k) => {
      const line = lines[k];
      if (line !== undefined) out[i]!.line = line;
    });
  }
  return out;
}
