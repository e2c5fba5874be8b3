/**
 * A step: its label, contexts, if:, env, continue-on-error and timeout; a `run:` script with bash or sh
 * in the job's workspace (a `uses:` step is run by actions.ts); then the file commands, masking, its
 * outcome and conclusion, and its lines in the transcript.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runUses } from './actions.js';
import { secretsContext, statusFunctions, stepsContext } from './contexts.js';
import { condition, expand, expandMap, expandString, fromData, hashFiles, toData, truthy } from './expressions.js';
import { newFileCommandFiles, readFileCommands, runnerEnvironment } from './file-commands.js';
import type { JobState } from './jobs.js';
import { checkKeys, WorkflowError, type StepRun, type Y } from './model.js';
import { mask, spawnStep, type CommandState } from './workflow-commands.js';
import type { LocalRunner } from './workflow.js';

/** One step of a job: what the job and the transcript show of it. */
export async function runStep(runner: LocalRunner, st: JobState, s: Y, index: number, defaults: Record<string, string>): Promise<StepRun> {
  const label = `${st.where}.steps[${index}]${typeof s.name === 'string' ? ` "${s.name}"` : ''}${typeof s.id === 'string' ? ` (id ${s.id})` : ''}`;
  checkKeys(s, ['id', 'name', 'if', 'uses', 'with', 'run', 'shell', 'env', 'working-directory', 'continue-on-error', 'timeout-minutes'], label);
  if ((s.uses === undefined) === (s.run === undefined)) throw new WorkflowError(`${label}: a step needs exactly one of uses and run`);
  const id = typeof s.id === 'string' ? s.id : undefined;
  const ws = st.job.workspace;
  const fns = [hashFiles(ws)];
  const ctx = (extraEnv: Record<string, string> = {}) => ({
    ...st.contextsBase,
    env: toData({ ...st.globalEnv, ...extraEnv }),
    steps: stepsContext(runner, st),
    job: toData({ status: st.failed ? 'failure' : 'success', container: {}, services: {} }),
  });
  const withSecrets = (extraEnv: Record<string, string> = {}) => ({ ...ctx(extraEnv), secrets: secretsContext(runner) });
  const displayName = s.name !== undefined ? expandString(runner, s.name, withSecrets(), fns, `${label}.name`) : typeof s.uses === 'string' ? `Run ${s.uses}` : `Run ${String(s.run).split('\n')[0]}`;
  const run: StepRun = { index, name: displayName, outcome: 'success', conclusion: 'success', outputs: {}, log: '', annotations: [], droppedAnnotations: 0, summary: '' };
  if (id) run.id = id;
  if (typeof s.uses === 'string') run.uses = s.uses;

  const go = condition(runner, s.if, ctx(), [...fns, ...statusFunctions(runner, 'step', st, [])], `${label}.if`);
  if (!go) {
    run.outcome = 'skipped';
    run.conclusion = 'skipped';
    run.skippedReason = s.if === undefined ? 'an earlier step failed' : `if: ${String(s.if).trim()} was false`;
    if (id) st.stepData.set(id, { outputs: {}, outcome: 'skipped', conclusion: 'skipped', skipped: true, ...(run.uses ? { uses: run.uses } : {}) });
    runner.log(`  step ${displayName}: skipped (${run.skippedReason})`);
    return run;
  }

  const stepEnv = expandMap(runner, s.env, withSecrets(), fns, `${label}.env`);
  const env = { ...st.globalEnv, ...stepEnv };
  const full = withSecrets(stepEnv);
  const continueOnError = s['continue-on-error'] === undefined ? false : truthy(expand(runner, s['continue-on-error'], full, fns, `${label}.continue-on-error`));
  const stepTimeout = s['timeout-minutes'] === undefined ? undefined : Number(fromData(expand(runner, s['timeout-minutes'], full, fns, `${label}.timeout-minutes`)));
  const deadline = Math.min(st.deadline, stepTimeout ? Date.now() + stepTimeout * 60_000 : Infinity);

  const files = newFileCommandFiles(st.job.runnerTemp);
  const cmd: CommandState = { masks: st.masks, annotations: [], counts: {}, dropped: 0 };
  let ok = true;
  let declared: Set<string> | undefined;
  const runnerEnv = (): Record<string, string> => runnerEnvironment(runner, st, env, files, id, index);

  if (typeof s.run === 'string') {
    if (s.with !== undefined) throw new WorkflowError(`${label}: with: on a run step`);
    const script = expandString(runner, s.run, full, fns, `${label}.run`);
    const shell = s.shell !== undefined ? expandString(runner, s.shell, full, fns, `${label}.shell`) : defaults.shell;
    let argv: string[];
    if (shell === undefined) argv = runner.opts.defaultShell === 'pipefail' ? ['bash', '--noprofile', '--norc', '-eo', 'pipefail'] : ['bash', '-e'];
    else if (shell === 'bash') argv = ['bash', '--noprofile', '--norc', '-eo', 'pipefail'];
    else if (shell === 'sh') argv = ['sh', '-e'];
    else throw new WorkflowError(`${label}: shell '${shell}' is not supported by the local runner (bash, sh)`);
    const wd = s['working-directory'] !== undefined ? expandString(runner, s['working-directory'], full, fns, `${label}.working-directory`) : defaults['working-directory'];
    const cwd = wd ? path.resolve(ws, wd) : ws;
    const scriptFile = path.join(st.job.runnerTemp, `${randomUUID()}.sh`);
    writeFileSync(scriptFile, script);
    runner.log(`  step ${displayName}: run (${argv.join(' ')}${wd ? `, in ${wd}` : ''})`);
    if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
      run.log = `An error occurred trying to start process '/usr/bin/bash' with working directory '${cwd}'. No such file or directory`;
      cmd.annotations.push({ level: 'error', message: run.log });
      ok = false;
      run.exitCode = null;
    } else {
      const r = await spawnStep(argv[0]!, [...argv.slice(1), scriptFile], cwd, runnerEnv(), cmd, deadline);
      run.log = r.log;
      run.exitCode = r.code;
      if (r.code !== 0) {
        ok = false;
        cmd.annotations.push({ level: 'error', message: r.timedOut ? 'The action has timed out.' : `Process completed with exit code ${r.code}.` });
      }
    }
  } else {
    ({ ok, declared } = await runUses(runner, st, s, { label, id, displayName, run, cmd, full, ctx, stepEnv, fns, runnerEnv, deadline }));
  }

  if (!readFileCommands(runner, st, run, files, cmd)) ok = false;
  run.log = mask(run.log, st.masks);
  run.annotations = cmd.annotations.map((a) => ({ ...a, message: mask(a.message, st.masks) }));
  run.droppedAnnotations = cmd.dropped;
  run.outcome = ok ? 'success' : 'failure';
  run.conclusion = ok || continueOnError ? 'success' : 'failure';
  if (id) st.stepData.set(id, { outputs: run.outputs, outcome: run.outcome, conclusion: run.conclusion, skipped: false, ...(run.uses ? { uses: run.uses } : {}), ...(declared ? { declared } : {}) });
  runner.log(`    ${run.outcome}${run.outcome !== run.conclusion ? ` (continue-on-error: ${run.conclusion})` : ''}${run.exitCode !== undefined ? `, exit ${run.exitCode}` : ''}`);
  for (const a of run.annotations) runner.log(`    ${a.level}${a.file ? ` ${a.file}${a.line ? `:${a.line}` : ''}` : ''}: ${a.message.split('\n')[0]}`);
  if (!ok) for (const l of run.log.split('\n').slice(-15)) runner.log(`    | ${l}`);
  return run;
}
