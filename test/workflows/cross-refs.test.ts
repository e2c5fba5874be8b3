/**
 * Cross-references actionlint cannot check for our own actions: it does not read the action.yml behind
 * `uses: $/actions/<gate>` (nor `./actions/<gate>` or `OWNER/api-delivery-actions/actions/<gate>@…`), so a
 * typo'd input is silently ignored by the runner and a wrong output name silently reads as ''.
 * We parse each workflow with `yaml` and check, per file, job and step:
 *   1. every `with:` key given to one of our actions is an input its action.yml declares;
 *   2. every required input of that action without a default is given, and the inputs some settings need
 *      (CONDITIONAL_INPUTS: what action.yml cannot say, e.g. contract provider mode needs provider);
 *   3. every `steps.<id>…` in a job names an earlier step of that job (job `outputs:` and `environment:`
 *      may name any step);
 *      for `steps.<id>.outputs.<name>`, our action must declare that output, and a run step must write it
 *      (`<name>=` or `<name><<` in its script); of third-party actions, only those listed below are checked;
 *   4. every `needs.<job>…` names a job listed in `needs:`, and `needs.<job>.outputs.<name>` an output that
 *      job declares; `steps` in any other job-level field (where the context does not exist) is reported;
 *   5. workflow_call `outputs:` values name existing job outputs; every `inputs.<name>` is declared under
 *      on.workflow_call.inputs (or workflow_dispatch.inputs), every `secrets.<NAME>` of a workflow_call
 *      workflow under on.workflow_call.secrets (or is GITHUB_TOKEN);
 *   6. workflow_call inputs and secrets that nothing reads (a caller sets them and nothing happens).
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const workflowDir = path.join(root, '.github/workflows');
const workflowFiles = readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

type Yaml = Record<string, unknown>;
const isObject = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------- our actions

interface ActionSpec {
  /** e.g. actions/breaking/action.yml */
  file: string;
  inputs: Record<string, { required: boolean; hasDefault: boolean }>;
  outputs: Set<string>;
}

/**
 * The directory of our own action a `uses:` names ('actions/breaking', or '' for the umbrella action.yml),
 * or undefined for anything else (third-party actions, docker://, other repositories).
 */
export function ownActionDir(uses: string): string | undefined {
  const m = /^(?:\$|\.|[\w.-]+\/api-delivery-actions)(?:\/(actions\/[\w.-]+))?\/?(?:@.*)?$/.exec(uses.trim());
  return m ? (m[1] ?? '') : undefined;
}

const actionCache = new Map<string, ActionSpec | undefined>();
function loadAction(dir: string): ActionSpec | undefined {
  if (actionCache.has(dir)) return actionCache.get(dir);
  const file = path.posix.join(dir, 'action.yml');
  let spec: ActionSpec | undefined;
  if (existsSync(path.join(root, file))) {
    const a = parseYaml(read(file)) as { inputs?: Yaml; outputs?: Yaml };
    const inputs: ActionSpec['inputs'] = {};
    for (const [k, v] of Object.entries(a.inputs ?? {})) {
      const o = isObject(v) ? v : {};
      inputs[k] = { required: o.required === true || o.required === 'true', hasDefault: o.default !== undefined };
    }
    spec = { file, inputs, outputs: new Set(Object.keys(a.outputs ?? {})) };
  }
  actionCache.set(dir, spec);
  return spec;
}

/**
 * Outputs of the third-party actions whose outputs our workflows read (from their action.yml at the pinned
 * version). Other third-party actions' outputs are not checked.
 */
const THIRD_PARTY_OUTPUTS: Record<string, string[]> = {
  'actions/deploy-pages': ['page_url'], // v4.0.5
};

/**
 * Inputs an action needs only in some settings, which action.yml cannot express: without them the step
 * fails with an input error at run time. Each rule says when a step's `with:` is broken.
 */
const isExpr = (v: unknown) => typeof v === 'string' && v.includes('${{');
const CONDITIONAL_INPUTS: { action: string; rule: string; broken(w: Yaml): boolean }[] = [
  {
    // The provider name defaults to the one in local pact files; pacts from a broker or a URL carry none.
    action: 'actions/contract',
    rule: "mode provider needs 'provider' when pact-files may be empty or a URL (the broker's pacts)",
    broken: (w) => w.mode === 'provider' && w.provider === undefined && (w['pact-files'] === undefined || isExpr(w['pact-files'])),
  },
  {
    // max-regression without a baseline is an input error (exit 2).
    action: 'actions/perf',
    rule: "max-regression may only be set when baseline is (guard it with the baseline's expression)",
    broken: (w) => {
      const mr = w['max-regression'];
      if (mr === undefined || mr === '') return false;
      const b = w.baseline;
      if (typeof b === 'string' && b.trim() !== '' && !isExpr(b)) return false;
      const inner = typeof b === 'string' ? /\$\{\{\s*([\s\S]*?)\s*\}\}/.exec(b)?.[1] : undefined;
      return inner === undefined || !String(mr).includes(inner);
    },
  },
];

// ---------------------------------------------------------------- expressions

interface Str {
  /** Where the string sits, e.g. `with.base` or `outputs.verdict`. */
  where: string;
  /** The expression text in it: every ${{ … }}, or the whole value of an `if:`. */
  exprs: string[];
}

/** Every string under `value` with the expressions in it (an `if:` is an expression without ${{ }}). */
function strings(value: unknown, where: string, key = ''): Str[] {
  if (typeof value === 'string') {
    const exprs = [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1]!);
    if (key === 'if' && exprs.length === 0) exprs.push(value);
    return exprs.length > 0 ? [{ where, exprs }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${where}[${i}]`, key));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => strings(v, where ? `${where}.${k}` : k, k));
  return [];
}

interface Ref {
  /** The reference as written, e.g. steps.gate.outputs.verdict */
  text: string;
  /** steps.<id>, needs.<job>, jobs.<job>: the id; inputs/secrets: the name. */
  id: string;
  /** outputs.<name>: the name; undefined for .result, .outcome, … */
  output?: string;
}

// A context name starts the reference: not a property of something else (github.event.inputs.x).
const ID = String.raw`[A-Za-z_][\w-]*`;
const ACCESS = String.raw`(?:\.(${ID})|\[\s*'([^']+)'\s*\]|\[\s*"([^"]+)"\s*\])`;
const contextRe = (ctx: string) => new RegExp(String.raw`(?<![\w.\]-])${ctx}${ACCESS}(?:\.outputs${ACCESS})?(?:\.(${ID}))?`, 'g');

/** References into one context (`steps`, `needs`, `jobs`, `inputs`, `secrets`) in expression text. */
export function refs(ctx: 'steps' | 'needs' | 'jobs' | 'inputs' | 'secrets', expr: string): Ref[] {
  const out: Ref[] = [];
  for (const m of blankStrings(expr).matchAll(contextRe(ctx))) {
    const id = m[1] ?? m[2] ?? m[3]!;
    const output = m[4] ?? m[5] ?? m[6];
    out.push({ text: m[0], id, ...(output !== undefined ? { output } : {}) });
  }
  return out;
}

/**
 * The expression with its string literals blanked ('steps.x' inside format() is no reference), except
 * those used as a property index (steps.gate.outputs['error-count']).
 */
function blankStrings(expr: string): string {
  return expr.replace(/(\[\s*)?'((?:[^']|'')*)'/g, (s, bracket: string | undefined) => (bracket ? s : "''"));
}

// ---------------------------------------------------------------- the checker

/** Output names a run script writes to $GITHUB_OUTPUT (heuristic: `name=` or `name<<` in the script). */
function runWrites(run: string, name: string): boolean {
  const esc = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return /GITHUB_OUTPUT/.test(run) && new RegExp(`(^|[^\\w-])${esc}(=|<<)`, 'm').test(run);
}

const jobsOf = (wf: Yaml): [string, Yaml][] =>
  isObject(wf.jobs) ? Object.entries(wf.jobs).filter((e): e is [string, Yaml] => isObject(e[1])) : [];
const stepsOf = (job: Yaml): Yaml[] => (Array.isArray(job.steps) ? job.steps.filter(isObject) : []);
const needsOf = (job: Yaml): string[] => (typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs.map(String) : []);
const stepLabel = (step: Yaml, i: number) =>
  `step ${i}${typeof step.name === 'string' ? ` "${step.name}"` : ''}${typeof step.id === 'string' ? ` (id ${step.id})` : ''}`;

function triggers(wf: Yaml): Yaml {
  const on = wf.on ?? (wf as Yaml)[true as unknown as string]; // `on:` is a plain key in YAML 1.2
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((e) => [String(e), null]));
  return isObject(on) ? on : {};
}

/** Outputs a job declares, or undefined when they cannot be known here (a reusable workflow from elsewhere). */
function jobOutputs(job: Yaml): Set<string> | undefined {
  if (typeof job.uses === 'string') {
    const m = /^\.\/(\.github\/workflows\/[\w.-]+\.ya?ml)$/.exec(job.uses);
    if (!m || !existsSync(path.join(root, m[1]!))) return undefined;
    const called = triggers(parseYaml(read(m[1]!)) as Yaml).workflow_call;
    return new Set(Object.keys((isObject(called) && isObject(called.outputs) ? called.outputs : {}) as Yaml));
  }
  return new Set(Object.keys(isObject(job.outputs) ? job.outputs : {}));
}

export interface CrossRefReport {
  /** Broken references: each one is a defect. */
  errors: string[];
  /** workflow_call inputs and secrets nothing reads. */
  unused: string[];
}

/** Every broken cross-reference in one workflow file (text), named by file, job, step and reference. */
export function crossRefs(text: string, file: string): CrossRefReport {
  const errors: string[] = [];
  const wf = parseYaml(text) as Yaml;
  const on = triggers(wf);
  const call = isObject(on.workflow_call) ? on.workflow_call : on.workflow_call === null ? {} : undefined;
  const dispatch = isObject(on.workflow_dispatch) ? on.workflow_dispatch : undefined;
  const declaredInputs = new Set([
    ...Object.keys(isObject(call?.inputs) ? call.inputs : {}),
    ...Object.keys(isObject(dispatch?.inputs) ? dispatch.inputs : {}),
  ]);
  const declaredSecrets = new Set(Object.keys(isObject(call?.secrets) ? call.secrets : {}));
  const jobs = new Map(jobsOf(wf));
  const usedInputs = new Set<string>();
  const usedSecrets = new Set<string>();

  /** inputs.* and secrets.* in any string of the workflow outside `on:`. */
  const checkInputsAndSecrets = (s: Str, where: string) => {
    for (const e of s.exprs) {
      for (const r of refs('inputs', e)) {
        usedInputs.add(r.id);
        if (!declaredInputs.has(r.id)) {
          errors.push(`${file}: ${where}: ${s.where}: ${r.text} is not declared under on.workflow_call.inputs${dispatch ? ' or on.workflow_dispatch.inputs' : ''}`);
        }
      }
      for (const r of refs('secrets', e)) {
        usedSecrets.add(r.id);
        if (call && r.id !== 'GITHUB_TOKEN' && !declaredSecrets.has(r.id)) {
          errors.push(`${file}: ${where}: ${s.where}: ${r.text} is not declared under on.workflow_call.secrets`);
        }
      }
    }
  };

  // 5. workflow_call outputs name job outputs.
  if (call && isObject(call.outputs)) {
    for (const [name, o] of Object.entries(call.outputs)) {
      for (const s of strings(isObject(o) ? o.value : o, `on.workflow_call.outputs.${name}.value`)) {
        checkInputsAndSecrets(s, 'on.workflow_call.outputs');
        for (const e of s.exprs) {
          for (const r of refs('jobs', e)) {
            const job = jobs.get(r.id);
            if (!job) errors.push(`${file}: ${s.where}: ${r.text}: there is no job '${r.id}'`);
            else if (r.output !== undefined) {
              const outs = jobOutputs(job);
              if (outs && !outs.has(r.output)) errors.push(`${file}: ${s.where}: ${r.text}: job '${r.id}' declares no output '${r.output}'`);
            }
          }
        }
      }
    }
  }

  for (const [jobId, job] of jobs) {
    const needs = needsOf(job);
    const steps = stepsOf(job);
    const stepIndex = new Map<string, number>();
    steps.forEach((s, i) => typeof s.id === 'string' && stepIndex.set(s.id, i));

    for (const n of needs) if (!jobs.has(n)) errors.push(`${file}: jobs.${jobId}: needs '${n}', which is not a job`);

    /** A steps.<id> reference from `where`; `before` is the index it must precede (undefined: any step). */
    const checkStepRef = (r: Ref, where: string, before: number | undefined) => {
      const i = stepIndex.get(r.id);
      if (i === undefined) {
        errors.push(`${where}: ${r.text}: job '${jobId}' has no step with id '${r.id}'`);
        return;
      }
      if (before !== undefined && i >= before) {
        errors.push(`${where}: ${r.text}: step '${r.id}' does not run before this step`);
        return;
      }
      if (r.output === undefined) return;
      const target = steps[i]!;
      const dir = typeof target.uses === 'string' ? ownActionDir(target.uses) : undefined;
      if (dir !== undefined) {
        const action = loadAction(dir);
        if (action && !action.outputs.has(r.output)) {
          errors.push(`${where}: ${r.text}: ${action.file} declares no output '${r.output}' (it has ${[...action.outputs].join(', ')})`);
        }
      } else if (typeof target.uses === 'string') {
        const known = THIRD_PARTY_OUTPUTS[target.uses.split('@')[0]!];
        if (known && !known.includes(r.output)) {
          errors.push(`${where}: ${r.text}: ${target.uses.split('@')[0]} has no output '${r.output}' (it has ${known.join(', ')})`);
        }
      } else if (typeof target.run === 'string' && !runWrites(target.run, r.output)) {
        errors.push(`${where}: ${r.text}: the run script of step '${r.id}' does not write '${r.output}' to $GITHUB_OUTPUT`);
      }
    };
    const checkNeedsRef = (r: Ref, where: string) => {
      if (!needs.includes(r.id)) {
        errors.push(`${where}: ${r.text}: '${r.id}' is not in this job's needs (${needs.join(', ') || 'none'})`);
        return;
      }
      const target = jobs.get(r.id);
      if (!target || r.output === undefined) return;
      const outs = jobOutputs(target);
      if (outs && !outs.has(r.output)) errors.push(`${where}: ${r.text}: job '${r.id}' declares no output '${r.output}'`);
    };

    // Job-level fields: steps exist only in `outputs:` and `environment:` (its url); needs anywhere.
    for (const [key, value] of Object.entries(job)) {
      if (key === 'steps') continue;
      for (const s of strings(value, key, key)) {
        const where = `${file}: jobs.${jobId}: ${s.where}`;
        checkInputsAndSecrets(s, `jobs.${jobId}`);
        for (const e of s.exprs) {
          for (const r of refs('steps', e)) {
            if (key === 'outputs' || key === 'environment') checkStepRef(r, where, undefined);
            else errors.push(`${where}: ${r.text}: the steps context does not exist in a job's ${key}`);
          }
          for (const r of refs('needs', e)) checkNeedsRef(r, where);
        }
      }
    }

    steps.forEach((step, i) => {
      const label = `jobs.${jobId}, ${stepLabel(step, i)}`;
      for (const s of strings(step, '')) {
        const where = `${file}: ${label}: ${s.where}`;
        checkInputsAndSecrets(s, label);
        for (const e of s.exprs) {
          for (const r of refs('steps', e)) checkStepRef(r, where, i);
          for (const r of refs('needs', e)) checkNeedsRef(r, where);
        }
      }

      // 1 and 2: the inputs given to our own actions.
      const dir = typeof step.uses === 'string' ? ownActionDir(step.uses) : undefined;
      if (dir === undefined) return;
      const action = loadAction(dir);
      if (!action) {
        errors.push(`${file}: ${label}: uses '${String(step.uses)}', but there is no ${path.posix.join(dir, 'action.yml')}`);
        return;
      }
      const given = isObject(step.with) ? Object.keys(step.with) : [];
      for (const k of given) {
        if (!(k in action.inputs)) errors.push(`${file}: ${label}: with.${k} is not an input of ${action.file} (the runner ignores it)`);
      }
      for (const [k, v] of Object.entries(action.inputs)) {
        if (v.required && !v.hasDefault && !given.includes(k)) errors.push(`${file}: ${label}: required input '${k}' of ${action.file} is not given`);
      }
      const w = isObject(step.with) ? step.with : {};
      for (const c of CONDITIONAL_INPUTS) if (c.action === dir && c.broken(w)) errors.push(`${file}: ${label}: ${c.action}: ${c.rule}`);
    });
  }

  // 6. Declared but never read.
  const unused = [
    ...[...declaredInputs].filter((n) => !usedInputs.has(n)).map((n) => `${file}: input '${n}' is declared but never used`),
    ...[...declaredSecrets].filter((n) => !usedSecrets.has(n)).map((n) => `${file}: secret '${n}' is declared but never used`),
  ];
  return { errors, unused };
}

// ---------------------------------------------------------------- the tests

describe('cross-references to our own actions, steps, jobs, inputs and secrets', () => {
  test('the workflows reach our actions (so the checks have something to check)', () => {
    const uses = workflowFiles.flatMap((f) =>
      jobsOf(parseYaml(read(`.github/workflows/${f}`)) as Yaml).flatMap(([, j]) => stepsOf(j).map((s) => String(s.uses ?? ''))),
    );
    const own = uses.filter((u) => ownActionDir(u) !== undefined);
    expect(own.length).toBeGreaterThan(20);
    for (const u of own) expect(loadAction(ownActionDir(u)!)).toBeDefined();
  });

  test.each(workflowFiles)('%s: every reference resolves', (f) => {
    expect(crossRefs(read(`.github/workflows/${f}`), f).errors).toEqual([]);
  });

  test.each(workflowFiles)('%s: every workflow_call input and secret is used', (f) => {
    expect(crossRefs(read(`.github/workflows/${f}`), f).unused).toEqual([]);
  });

  /**
   * Mutation test on the real workflows: rename one reference at a time (an output, a job or step id, an
   * input, a secret, a `with:` key of our action) and the checker must report it. This keeps the checker
   * from passing because it overlooks a place where references live.
   */
  test.each(workflowFiles)('%s: each reference, misspelt, is reported', (f) => {
    const text = read(`.github/workflows/${f}`);
    const base = crossRefs(text, f).errors.length;
    const lines = text.split('\n');
    const sites: { line: number; at: number; name: string }[] = [];
    const REF = /(?<![\w.-])(?:(?:steps|needs|jobs)\.([\w-]+)\.outputs\.([\w-]+)|(?:inputs|secrets)\.([\w-]+))/g;
    lines.forEach((l, line) => {
      if (/^\s*#/.test(l)) return;
      const spans = [...l.matchAll(/\$\{\{.*?\}\}/g)].map((m) => [m.index, m.index + m[0].length] as const);
      const ifValue = /^(\s*(?:- )?if:\s*)(?!\$\{\{)/.exec(l);
      if (ifValue) spans.push([ifValue[0].length, l.length]);
      for (const [from, to] of spans) {
        for (const m of l.slice(from, to).matchAll(REF)) {
          const start = from + m.index;
          if (m[3] !== undefined) {
            if (m[3] === 'GITHUB_TOKEN') continue;
            sites.push({ line, at: start + m[0].length - m[3].length, name: m[3] });
          } else {
            // the id, then the output name
            sites.push({ line, at: start + m[0].indexOf('.') + 1, name: m[1]! });
            sites.push({ line, at: start + m[0].length - m[2]!.length, name: m[2]! });
          }
        }
      }
    });
    // with: keys of our own actions
    let own = false;
    let withIndent = -1;
    lines.forEach((l, line) => {
      const uses = /^\s*(?:- )?uses:\s*(\S+)/.exec(l);
      if (uses) own = ownActionDir(uses[1]!) !== undefined;
      const w = /^(\s*)with:\s*$/.exec(l);
      if (w) withIndent = own ? w[1]!.length : -1;
      else if (withIndent >= 0) {
        const key = /^(\s*)([\w-]+):/.exec(l);
        if (key && key[1]!.length > withIndent) sites.push({ line, at: key[1]!.length, name: key[2]! });
        else if (!/^\s*(#.*)?$/.test(l) && (!key || key[1]!.length <= withIndent)) withIndent = -1;
      }
    });
    expect(sites.length).toBeGreaterThan(0);
    const missed: string[] = [];
    for (const { line, at, name } of sites) {
      const l = lines[line]!;
      expect(l.slice(at, at + name.length)).toBe(name);
      const mutated = [...lines.slice(0, line), `${l.slice(0, at)}${name}zz${l.slice(at + name.length)}`, ...lines.slice(line + 1)].join('\n');
      if (crossRefs(mutated, f).errors.length <= base) missed.push(`line ${line + 1}: ${name} → ${name}zz`);
    }
    expect(missed).toEqual([]);
  });

  test('the uses forms of our actions are recognised, and nothing else', () => {
    expect(ownActionDir('$/actions/breaking')).toBe('actions/breaking');
    expect(ownActionDir('./actions/breaking')).toBe('actions/breaking');
    expect(ownActionDir('OWNER/api-delivery-actions/actions/contract@0123456789abcdef0123456789abcdef01234567')).toBe('actions/contract');
    expect(ownActionDir('OWNER/api-delivery-actions@v1')).toBe('');
    expect(ownActionDir('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683')).toBeUndefined();
    expect(ownActionDir('someone/other-actions/actions/breaking@v1')).toBeUndefined();
  });

  test('the checker reports broken references (it can fail)', () => {
    const bad = [
      'on:',
      '  workflow_call:',
      '    inputs:',
      '      spec: { type: string, required: true }',
      '      forgotten: { type: string, required: false, default: "" }',
      '    secrets:',
      '      TOKEN: { required: false }',
      '    outputs:',
      '      verdict: { value: "${{ jobs.gate.outputs.verdict }}" }',
      '      missing: { value: "${{ jobs.gate.outputs.semverr }}" }',
      '      nojob: { value: "${{ jobs.nope.outputs.verdict }}" }',
      'permissions: {}',
      'jobs:',
      '  gate:',
      '    runs-on: ubuntu-latest',
      '    permissions: { contents: read }',
      '    if: ${{ steps.gate.outputs.verdict != \'\' }}',
      '    outputs:',
      '      verdict: ${{ steps.gate.outputs.verdict }}',
      '      base: ${{ steps.base.outputs.bas }}',
      '      ghost: ${{ steps.ghost.outputs.verdict }}',
      '    steps:',
      '      - id: early',
      '        env:',
      '          V: ${{ steps.gate.outputs.verdict }}',
      '        run: echo "$V"',
      '      - id: base',
      '        run: echo "base=x" >> "$GITHUB_OUTPUT"',
      '      - id: gate',
      '        uses: $/actions/breaking',
      '        with:',
      '          base: ${{ steps.base.outputs.base }}',
      '          fail_on: never',
      '          token: ${{ secrets.UNDECLARED }}',
      '      - if: steps.gate.outputs.error_count != \'0\'',
      '        env:',
      '          SPEC: ${{ inputs.specc }}',
      "          IDX: ${{ steps.gate.outputs['semver'] }}",
      "          LIT: ${{ format('steps.nothing.outputs.{0}', inputs.spec) }}",
      '        run: echo "$SPEC"',
      '      - uses: $/actions/contract',
      '        with:',
      '          mode: provider',
      '          pact-files: ${{ inputs.spec }}',
      '      - uses: $/actions/perf',
      '        with:',
      '          scenario: s.yaml',
      '          baseline: ${{ env.BASELINE }}',
      '          max-regression: 10%',
      '  report:',
      '    needs: gate',
      '    if: ${{ needs.gate.outputs.verdct == \'fail\' || needs.other.result == \'failure\' }}',
      '    runs-on: ubuntu-latest',
      '    permissions: {}',
      '    steps:',
      '      - uses: ./actions/design',
      '        with:',
      '          working-directory: ${{ needs.gate.outputs.base }}',
      '',
    ].join('\n');
    const { errors, unused } = crossRefs(bad, 'bad.yml');
    const expected = [
      /^bad\.yml: on\.workflow_call\.outputs\.missing\.value: jobs\.gate\.outputs\.semverr: job 'gate' declares no output 'semverr'$/,
      /^bad\.yml: on\.workflow_call\.outputs\.nojob\.value: jobs\.nope\.outputs\.verdict: there is no job 'nope'$/,
      /^bad\.yml: jobs\.gate: if: steps\.gate\.outputs\.verdict: the steps context does not exist in a job's if$/,
      /^bad\.yml: jobs\.gate: outputs\.base: steps\.base\.outputs\.bas: the run script of step 'base' does not write 'bas'/,
      /^bad\.yml: jobs\.gate: outputs\.ghost: steps\.ghost\.outputs\.verdict: job 'gate' has no step with id 'ghost'$/,
      /^bad\.yml: jobs\.gate, step 0 \(id early\): env\.V: steps\.gate\.outputs\.verdict: step 'gate' does not run before this step$/,
      /^bad\.yml: jobs\.gate, step 2 \(id gate\): with\.token: secrets\.UNDECLARED is not declared under on\.workflow_call\.secrets$/,
      /^bad\.yml: jobs\.gate, step 2 \(id gate\): with\.fail_on is not an input of actions\/breaking\/action\.yml/,
      /^bad\.yml: jobs\.gate, step 2 \(id gate\): with\.token is not an input of actions\/breaking\/action\.yml/,
      /^bad\.yml: jobs\.gate, step 2 \(id gate\): required input 'revision' of actions\/breaking\/action\.yml is not given$/,
      /^bad\.yml: jobs\.gate, step 3: if: steps\.gate\.outputs\.error_count: actions\/breaking\/action\.yml declares no output 'error_count'/,
      /^bad\.yml: jobs\.gate, step 3: env\.SPEC: inputs\.specc is not declared under on\.workflow_call\.inputs$/,
      /^bad\.yml: jobs\.gate, step 4: actions\/contract: mode provider needs 'provider'/,
      /^bad\.yml: jobs\.gate, step 5: actions\/perf: max-regression may only be set when baseline is/,
      /^bad\.yml: jobs\.report: if: needs\.gate\.outputs\.verdct: job 'gate' declares no output 'verdct'$/,
      /^bad\.yml: jobs\.report: if: needs\.other\.result: 'other' is not in this job's needs \(gate\)$/,
      /^bad\.yml: jobs\.report, step 0: required input 'spec' of actions\/design\/action\.yml is not given$/,
    ];
    for (const re of expected) expect(errors).toContainEqual(expect.stringMatching(re));
    expect(errors).toHaveLength(expected.length);
    expect(unused).toEqual(["bad.yml: input 'forgotten' is declared but never used", "bad.yml: secret 'TOKEN' is declared but never used"]);
  });
});
