/**
 * `uses:` steps: which action a reference names (this repository's `$/…` or OWNER/api-delivery-actions,
 * the caller's `./…`, or a stand-in for a third-party action), and running it: a stand-in is called;
 * a node action runs `node <main>` with INPUT_<NAME> for its inputs.
 */
import type { data } from '@actions/expressions';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { expandMap, expandString, type FunctionDef } from './expressions.js';
import type { JobState } from './jobs.js';
import { isObject, msg, WorkflowError, type StandIn, type StepRun, type Y } from './model.js';
import { STAND_INS } from './stand-ins.js';
import { spawnStep, type CommandState } from './workflow-commands.js';
import type { LocalRunner } from './workflow.js';

/** A `uses:` step: runs the action; returns whether it succeeded and the outputs it declares. */
export async function runUses(
  runner: LocalRunner,
  st: JobState,
  s: Y,
  step: {
    label: string;
    id: string | undefined;
    displayName: string;
    run: StepRun;
    cmd: CommandState;
    full: Record<string, data.ExpressionData>;
    ctx: (extraEnv?: Record<string, string>) => Record<string, data.ExpressionData>;
    stepEnv: Record<string, string>;
    fns: FunctionDef[];
    runnerEnv: () => Record<string, string>;
    deadline: number;
  },
): Promise<{ ok: boolean; declared: Set<string> | undefined }> {
  const { label, id, displayName, run, cmd, full, ctx, stepEnv, fns, runnerEnv, deadline } = step;
  const ws = st.job.workspace;
  let ok = true;
  let declared: Set<string> | undefined;
  const uses = (s.uses as string).trim();
  const withValues = expandMap(runner, s.with, full, fns, `${label}.with`);
  const action = resolveAction(runner, uses, ws, label);
  if (action.kind === 'stand-in') {
    const si = action.standIn;
    for (const k of Object.keys(withValues)) {
      if (!si.inputs.includes(k)) throw new WorkflowError(`${label}: the local stand-in for ${uses} does not implement input '${k}' (it implements: ${si.inputs.join(', ') || 'none'})`);
    }
    if (si.outputs) declared = new Set(si.outputs);
    runner.log(`  step ${displayName}: ${uses} (local stand-in)`);
    const logLines: string[] = [];
    try {
      const r = await si.run({
        with: withValues,
        job: st.job,
        step: { name: displayName, ...(id ? { id } : {}) },
        github: { ...runner.github, job: st.job.id, workspace: ws },
        workspace: ws,
        runnerTemp: st.job.runnerTemp,
        artifactsDir: runner.artifactsDir,
        origin: runner.opts.origin,
        env: runnerEnv(),
        log: (l) => logLines.push(l),
        annotate: (a) => cmd.annotations.push(a),
      });
      ok = r.ok;
      run.outputs = r.outputs ?? {};
    } catch (e) {
      if (e instanceof WorkflowError) throw e;
      ok = false;
      cmd.annotations.push({ level: 'error', message: msg(e) });
      logLines.push(`Error: ${msg(e)}`);
    }
    run.log = logLines.join('\n');
  } else if (action.kind === 'missing') {
    ok = false;
    run.log = action.message;
    cmd.annotations.push({ level: 'error', message: action.message });
    runner.log(`  step ${displayName}: ${uses}: ${action.message}`);
  } else {
    const def = action.def;
    const runs = def.runs as Y;
    declared = new Set(Object.keys(isObject(def.outputs) ? def.outputs : {}));
    const inputsDef = (isObject(def.inputs) ? def.inputs : {}) as Record<string, Y>;
    for (const k of Object.keys(withValues)) {
      if (!inputsDef[k]) {
        // The runner warns and passes it on anyway.
        cmd.annotations.push({ level: 'warning', message: `Unexpected input(s) '${k}', valid inputs are ['${Object.keys(inputsDef).join("', '")}']` });
      }
    }
    const inputEnv: Record<string, string> = {};
    const defaultCtx = ctx(stepEnv);
    for (const [k, d] of Object.entries(inputsDef)) {
      let v: string | undefined;
      if (k in withValues) v = withValues[k];
      else if (isObject(d) && d.default !== undefined) v = expandString(runner, d.default, defaultCtx, fns, `${action.file}: inputs.${k}.default (for ${label})`);
      else if (isObject(d) && (d.required === true || d.required === 'true')) {
        cmd.annotations.push({ level: 'warning', message: `Input required and not supplied: ${k}` });
      }
      if (v !== undefined) inputEnv[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
    }
    for (const [k, v] of Object.entries(withValues)) if (!inputsDef[k]) inputEnv[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
    const main = path.resolve(action.dir, String(runs.main));
    runner.log(`  step ${displayName}: ${uses} (node ${path.relative(runner.actionsRoot, main)})`);
    if (!existsSync(main)) {
      ok = false;
      run.log = `File not found: '${main}'`;
      cmd.annotations.push({ level: 'error', message: run.log });
    } else {
      const envAll = { ...runnerEnv(), ...inputEnv, GITHUB_ACTION_PATH: action.dir, GITHUB_ACTION_REPOSITORY: action.repository };
      const r = await spawnStep(runner.opts.nodeBinary ?? process.execPath, [main], ws, envAll, cmd, deadline);
      run.log = r.log;
      run.exitCode = r.code;
      if (r.code !== 0) {
        ok = false;
        if (r.timedOut) cmd.annotations.push({ level: 'error', message: 'The action has timed out.' });
      }
    }
  }
  return { ok, declared };
}

/** Whether a `uses:` runs a stand-in (whose outputs are its own, not GITHUB_OUTPUT's). */
export function isStandIn(runner: LocalRunner, uses: string): boolean {
  return !uses.startsWith('$/') && !uses.startsWith('./') && standInFor(runner, uses) !== undefined;
}

function standInFor(runner: LocalRunner, uses: string): StandIn | undefined {
  const bare = uses.replace(/@.*$/, '');
  return runner.opts.standIns?.[bare] ?? STAND_INS[bare];
}

/** What a `uses:` names: a node action (its action.yml read), a stand-in, or an action.yml that is not there. */
function resolveAction(
  runner: LocalRunner,
  uses: string,
  workspace: string,
  label: string,
):
  | { kind: 'node'; def: Y; dir: string; file: string; repository: string }
  | { kind: 'stand-in'; standIn: StandIn }
  | { kind: 'missing'; message: string } {
  if (uses.startsWith('docker://')) throw new WorkflowError(`${label}: ${uses}: docker actions are not supported by the local runner`);
  let dir: string;
  let repository = '';
  if (uses.startsWith('$/')) {
    dir = path.join(runner.actionsRoot, uses.slice(2));
    repository = runner.opts.ownRepository ?? 'OWNER/api-delivery-actions';
  } else if (uses.startsWith('./')) {
    // Resolved in the caller's checkout (the workspace), as GitHub does: not in the workflow's repository.
    dir = path.join(workspace, uses.slice(2));
  } else {
    const m = /^([^/@]+\/[^/@]+)(\/[^@]*)?@(.+)$/.exec(uses);
    if (!m) throw new WorkflowError(`${label}: '${uses}' is not an action reference (owner/repo[/path]@ref, ./path or $/path)`);
    if (runner.opts.ownRepository && m[1] === runner.opts.ownRepository) {
      dir = path.join(runner.actionsRoot, (m[2] ?? '').replace(/^\//, ''));
      repository = m[1];
    } else {
      const si = standInFor(runner, uses);
      if (!si) throw new WorkflowError(`${label}: ${uses}: no local stand-in for this action (the local runner runs only this repository's actions and the stand-ins for ${Object.keys({ ...STAND_INS, ...runner.opts.standIns }).join(', ')})`);
      return { kind: 'stand-in', standIn: si };
    }
  }
  const file = ['action.yml', 'action.yaml'].map((f) => path.join(dir, f)).find((f) => existsSync(f));
  if (!file) {
    return { kind: 'missing', message: `Can't find 'action.yml', 'action.yaml' or 'Dockerfile' under '${dir}'. Did you forget to run actions/checkout before running your local action?` };
  }
  const def = parseYaml(readFileSync(file, 'utf8')) as Y;
  const runs = def.runs;
  if (!isObject(runs)) throw new WorkflowError(`${label}: ${file}: no runs:`);
  const using = String(runs.using);
  if (!/^node\d+$/.test(using)) throw new WorkflowError(`${label}: ${uses}: runs.using '${using}' is not supported by the local runner (node actions only)`);
  for (const k of ['pre', 'post', 'pre-if', 'post-if']) if (runs[k] !== undefined) throw new WorkflowError(`${label}: ${uses}: runs.${k} is not supported by the local runner`);
  return { kind: 'node', def, dir, file: path.relative(runner.actionsRoot, file), repository };
}
