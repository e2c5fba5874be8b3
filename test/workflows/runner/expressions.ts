/**
 * `${{ }}` and `if:` evaluation with @actions/expressions: values to expression data and back, the
 * `${{ }}` parts of a string, strings and truthiness as the runner sees them, status functions and
 * hashFiles(). The contexts themselves are built in contexts.ts.
 */
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WorkflowError, isObject, msg, type Y } from './model.js';
import type { LocalRunner } from './workflow.js';

/** What evaluation uses of the runner: where a read of a missing key is recorded as happening. */
type Runner = Pick<LocalRunner, 'currentWhere'>;

/** JS value → expression data. */
export function toData(v: unknown): data.ExpressionData {
  if (v === null || v === undefined) return new data.Null();
  if (typeof v === 'string') return new data.StringData(v);
  if (typeof v === 'number') return new data.NumberData(v);
  if (typeof v === 'boolean') return new data.BooleanData(v);
  if (Array.isArray(v)) return new data.Array(...v.map(toData));
  if (isObject(v)) return new data.Dictionary(...Object.entries(v).map(([key, value]) => ({ key, value: toData(value) })));
  throw new Error(`cannot use ${typeof v} in an expression context`);
}
/** Expression data → JS value. */
export function fromData(d: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(d, data.replacer)) as unknown;
}

/** A dictionary that reports a read of a key it does not have (GitHub answers those with null). */
export class Tracked extends data.Dictionary {
  constructor(
    private readonly onMissing: (key: string) => void,
    entries: Record<string, data.ExpressionData> = {},
  ) {
    super(...Object.entries(entries).map(([key, value]) => ({ key, value })));
  }
  override get(key: string): data.ExpressionData | undefined {
    const v = super.get(key);
    if (v === undefined) this.onMissing(key);
    return v;
  }
}

export interface FunctionDef {
  name: string;
  minArgs: number;
  maxArgs: number;
  call: (...args: data.ExpressionData[]) => data.ExpressionData;
}

const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'];

/** Every `${{ … }}` in a string, as [start, end, inner text]; string literals may hold `}}`. */
function templateParts(s: string, where: string): { start: number; end: number; expr: string }[] {
  const parts: { start: number; end: number; expr: string }[] = [];
  let i = 0;
  for (;;) {
    const start = s.indexOf('${{', i);
    if (start < 0) return parts;
    let j = start + 3;
    let inString = false;
    let end = -1;
    while (j < s.length) {
      const c = s[j]!;
      if (inString) {
        if (c === "'") {
          if (s[j + 1] === "'") j++;
          else inString = false;
        }
      } else if (c === "'") inString = true;
      else if (c === '}' && s[j + 1] === '}') {
        end = j + 2;
        break;
      }
      j++;
    }
    if (end < 0) throw new WorkflowError(`${where}: unterminated \${{ in '${s}'`);
    parts.push({ start, end, expr: s.slice(start + 3, end - 2).trim() });
    i = end;
  }
}

/** A scalar as the runner passes it to a string field. */
function asString(d: data.ExpressionData, where: string, expr: string): string {
  switch (d.kind) {
    case data.Kind.String:
    case data.Kind.Number:
    case data.Kind.Null:
      return d.coerceString();
    case data.Kind.Boolean:
      return (d as data.BooleanData).value ? 'true' : 'false';
    default:
      throw new WorkflowError(`${where}: \${{ ${expr} }} is ${d.kind === data.Kind.Array ? 'an array' : 'an object'} where a string is needed (use toJSON())`);
  }
}

export function truthy(d: data.ExpressionData): boolean {
  switch (d.kind) {
    case data.Kind.Null:
      return false;
    case data.Kind.Boolean:
      return (d as data.BooleanData).value;
    case data.Kind.Number: {
      const n = d.number();
      return n !== 0 && !Number.isNaN(n);
    }
    case data.Kind.String:
      return d.coerceString().length > 0;
    default:
      return true;
  }
}

/** Whether an if: calls success(), failure(), always() or cancelled() (else GitHub prefixes success() &&). */
export function hasStatusFunction(expr: string): boolean {
  let tokens;
  try {
    tokens = new Lexer(expr).lex().tokens;
  } catch {
    return false;
  }
  return tokens.some((t, i) => STATUS_FUNCTIONS.includes(t.lexeme.toLowerCase()) && tokens[i + 1]?.lexeme === '(');
}

/** One expression (the inside of a `${{ }}`) over the contexts and functions available at that place. */
export function evaluate(runner: Runner, expr: string, contexts: Record<string, data.ExpressionData>, functions: FunctionDef[], where: string): data.ExpressionData {
  let ast;
  try {
    ast = new Parser(new Lexer(expr).lex().tokens, Object.keys(contexts), functions).parse();
  } catch (e) {
    throw new WorkflowError(`${where}: \${{ ${expr} }}: ${msg(e)} (contexts available here: ${Object.keys(contexts).join(', ')})`);
  }
  if (!ast) throw new WorkflowError(`${where}: empty expression`);
  const root = new data.Dictionary(...Object.entries(contexts).map(([key, value]) => ({ key, value })));
  const previous = runner.currentWhere;
  runner.currentWhere = where;
  try {
    return new Evaluator(ast, root, new Map(functions.map((f) => [f.name.toLowerCase(), f]))).evaluate();
  } catch (e) {
    if (e instanceof WorkflowError) throw e;
    throw new WorkflowError(`${where}: \${{ ${expr} }}: ${msg(e)}`);
  } finally {
    runner.currentWhere = previous;
  }
}

/** A YAML value with its expressions evaluated: one whole `${{ }}` keeps its type, else a string. */
export function expand(runner: Runner, value: unknown, contexts: Record<string, data.ExpressionData>, functions: FunctionDef[], where: string): data.ExpressionData {
  if (typeof value !== 'string') return toData(value);
  const parts = templateParts(value, where);
  if (parts.length === 0) return new data.StringData(value);
  if (parts.length === 1 && parts[0]!.start === 0 && parts[0]!.end === value.length) {
    return evaluate(runner, parts[0]!.expr, contexts, functions, where);
  }
  let out = '';
  let i = 0;
  for (const p of parts) {
    out += value.slice(i, p.start) + asString(evaluate(runner, p.expr, contexts, functions, where), where, p.expr);
    i = p.end;
  }
  return new data.StringData(out + value.slice(i));
}

export function expandString(runner: Runner, value: unknown, contexts: Record<string, data.ExpressionData>, functions: FunctionDef[], where: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') {
    const parts = templateParts(value, where);
    if (parts.length === 1 && parts[0]!.start === 0 && parts[0]!.end === value.length) {
      return asString(evaluate(runner, parts[0]!.expr, contexts, functions, where), where, parts[0]!.expr);
    }
    return (expand(runner, value, contexts, functions, where) as data.StringData).coerceString();
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new WorkflowError(`${where}: expected a string, got ${JSON.stringify(value)}`);
}

export function expandMap(runner: Runner, value: unknown, contexts: Record<string, data.ExpressionData>, functions: FunctionDef[], where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') {
    const d = expand(runner, value, contexts, functions, where);
    if (d.kind !== data.Kind.Dictionary) throw new WorkflowError(`${where}: expected a mapping`);
    const js = fromData(d) as Y;
    return Object.fromEntries(Object.entries(js).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  }
  if (!isObject(value)) throw new WorkflowError(`${where}: expected a mapping`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) out[k] = expandString(runner, v, contexts, functions, `${where}.${k}`);
  return out;
}

/** An if: condition; without a status function it is success() && (…), as on GitHub. */
export function condition(runner: Runner, value: unknown, contexts: Record<string, data.ExpressionData>, functions: FunctionDef[], where: string): boolean {
  if (value === undefined || value === null) value = 'success()';
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value !== 'string') throw new WorkflowError(`${where}: if: must be a string`);
  let expr = value.trim();
  const parts = templateParts(expr, where);
  if (parts.length === 1 && parts[0]!.start === 0 && parts[0]!.end === expr.length) expr = parts[0]!.expr;
  else if (parts.length > 0) {
    throw new WorkflowError(`${where}: if: '${value}' mixes text and \${{ }}: GitHub reads it as a non-empty string (always true); write the whole condition as one expression`);
  }
  if (!hasStatusFunction(expr)) expr = `success() && (${expr})`;
  return truthy(evaluate(runner, expr, contexts, functions, where));
}

export function hashFiles(workspace: string): FunctionDef {
  return {
    name: 'hashFiles',
    minArgs: 1,
    maxArgs: 255,
    call: (...args) => {
      const patterns = args.map((a) => a.coerceString());
      const include = patterns.filter((p) => !p.startsWith('!')).map(globToRegExp);
      const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          if (e.name === '.git') continue;
          const full = path.join(dir, e.name);
          if (e.isDirectory()) walk(full);
          else if (e.isFile()) {
            const rel = path.relative(workspace, full).split(path.sep).join('/');
            if (include.some((r) => r.test(rel)) && !exclude.some((r) => r.test(rel))) files.push(full);
          }
        }
      };
      if (existsSync(workspace)) walk(workspace);
      if (files.length === 0) return new data.StringData('');
      const all = createHash('sha256');
      for (const f of files.sort()) all.update(createHash('sha256').update(readFileSync(f)).digest());
      return new data.StringData(all.digest('hex'));
    },
  };
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re.replace(/^\.\//, '')}$`);
}
