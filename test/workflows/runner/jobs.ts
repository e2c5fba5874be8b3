/**
 * The jobs: in needs order, one at a time; a job's if: and its matrix combinations; and each run of it
 * (its contexts, env, defaults.run, timeout, steps, outputs and environment).
 */
import type { data } from '@actions/expressions';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { aggregate, inputsContext, needsContext, secretsContext, statusFunctions, stepsContext } from './contexts.js';
import { condition, expand, expandMap, expandString, fromData, hasStatusFunction, toData, Tracked } from './expressions.js';
import { checkKeys, isObject, needsOf, WorkflowError, type JobRun, type Result, type Y } from './model.js';
import { runStep } from './steps.js';
import type { LocalRunner } from './workflow.js';

/** A run of a job in progress: what its steps read and change. */
export interface JobState {
  job: JobRun;
  def: Y;
  where: string;
  contextsBase: Record<string, data.ExpressionData>;
  globalEnv: Record<string, string>;
  path: string[];
  masks: string[];
  stepData: Map<string, { outputs: Record<string, string>; outcome: Result; conclusion: Result; uses?: string; declared?: Set<string>; skipped: boolean }>;
  failed: boolean;
  deadline: number;
}

/** Every job, one at a time, in file order among those whose needs are done (so that runs are repeatable). */
export async function runJobs(runner: LocalRunner, jobs: Record<string, Y>): Promise<JobRun[]> {
  for (const [id, def] of Object.entries(jobs)) {
    for (const n of needsOf(def)) if (!jobs[n]) throw new WorkflowError(`${runner.name}: jobs.${id}: needs '${n}', which is not a job`);
  }
  const pending = Object.keys(jobs);
  const ran: JobRun[] = [];
  while (pending.length > 0) {
    const i = pending.findIndex((id) => needsOf(jobs[id]!).every((n) => runner.jobsDone.has(n)));
    if (i < 0) throw new WorkflowError(`${runner.name}: the needs of ${pending.join(', ')} form a cycle`);
    const id = pending.splice(i, 1)[0]!;
    const runs = await runJob(runner, id, jobs[id]!);
    runner.jobsDone.set(id, runs);
    ran.push(...runs);
  }
  return ran;
}

/** A job: skipped by the test or its if:, else one run per matrix combination. */
async function runJob(runner: LocalRunner, id: string, def: Y): Promise<JobRun[]> {
  const where = `${runner.name}: jobs.${id}`;
  checkKeys(
    def,
    ['name', 'needs', 'if', 'runs-on', 'timeout-minutes', 'permissions', 'outputs', 'steps', 'env', 'defaults', 'concurrency', 'environment', 'strategy'],
    where,
  );
  if (!Array.isArray(def.steps)) throw new WorkflowError(`${where}: no steps (a job that calls a reusable workflow is not supported)`);
  const needs = needsOf(def);
  const base = { github: toData(runner.github), inputs: inputsContext(runner), vars: toData(runner.opts.vars ?? {}), needs: needsContext(runner, id, needs) };

  const skipped = (reason: string): JobRun[] => {
    runner.log(`job ${id}: skipped (${reason})`);
    return [
      { id, key: id, name: typeof def.name === 'string' ? def.name : id, result: 'skipped', skippedReason: reason, outputs: {}, steps: [], summary: '', annotations: [], permissions: def.permissions, workspace: '', runnerTemp: '' },
    ];
  };
  if (runner.opts.skipJobs?.[id]) return skipped(`skipped by the test: ${runner.opts.skipJobs[id]}`);
  const ifValue = def.if;
  const run = condition(runner, ifValue, base, statusFunctions(runner, 'job', undefined, needs), `${where}.if`);
  if (!run) {
    const notOk = needs.filter((n) => aggregate(runner.jobsDone.get(n) ?? []) !== 'success');
    const implicit = !hasStatusFunction(String(ifValue ?? ''));
    const needsNote = notOk.map((n) => `${n}=${aggregate(runner.jobsDone.get(n) ?? [])}`).join(', ');
    return skipped(
      ifValue === undefined
        ? `needed job(s) ${notOk.join(', ')} did not succeed`
        : `if: ${String(ifValue).trim()} was false${implicit && notOk.length ? ` (its implicit success() needs every needed job to succeed: ${needsNote})` : ''}`,
    );
  }

  let combos: (Record<string, unknown> | undefined)[] = [undefined];
  let strategy: Y = {};
  if (def.strategy !== undefined) {
    if (!isObject(def.strategy)) throw new WorkflowError(`${where}.strategy: expected a mapping`);
    strategy = def.strategy;
    checkKeys(strategy, ['matrix', 'fail-fast', 'max-parallel'], `${where}.strategy`);
    const m = expand(runner, strategy.matrix, base, [], `${where}.strategy.matrix`);
    const mjs = typeof strategy.matrix === 'string' ? fromData(m) : expandMatrixValues(strategy.matrix, (v, w) => fromData(expand(runner, v, base, [], w)), `${where}.strategy.matrix`);
    if (!isObject(mjs)) throw new WorkflowError(`${where}.strategy.matrix: expected a mapping`);
    combos = expandMatrix(mjs, `${where}.strategy.matrix`);
  }
  await runner.opts.beforeJob?.(id);
  // A key some combinations lack (added by include) reads as '' in the others, as on GitHub: no defect.
  const matrixKeys = new Set(combos.flatMap((c) => Object.keys(c ?? {})));
  const runs: JobRun[] = [];
  for (let i = 0; i < combos.length; i++) {
    runs.push(await runJobInstance(runner, id, def, combos[i], i, combos.length, strategy, needs, matrixKeys));
  }
  return runs;
}

/** One run of a job (one matrix combination) in a fresh workspace. */
async function runJobInstance(
  runner: LocalRunner,
  id: string,
  def: Y,
  matrix: Record<string, unknown> | undefined,
  index: number,
  total: number,
  strategy: Y,
  needs: string[],
  matrixKeys: Set<string>,
): Promise<JobRun> {
  const key = matrix ? `${id} (${Object.values(matrix).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')})` : id;
  const where = `${runner.name}: jobs.${key}`;
  const matrixCtx = new Tracked((k) => matrixKeys.has(k) || runner.record('unknown-matrix-key', `matrix.${k}`), Object.fromEntries(Object.entries(matrix ?? {}).map(([k, v]) => [k, toData(v)])));
  const strategyCtx = toData({ 'fail-fast': strategy['fail-fast'] ?? true, 'job-index': index, 'job-total': total, 'max-parallel': strategy['max-parallel'] ?? total });
  const jobBase = { github: toData(runner.github), inputs: inputsContext(runner), vars: toData(runner.opts.vars ?? {}), needs: needsContext(runner, id, needs), strategy: strategyCtx, matrix: matrixCtx };
  const name = def.name !== undefined ? expandString(runner, def.name, jobBase, [], `${where}.name`) : key;
  expandString(runner, def['runs-on'], jobBase, [], `${where}.runs-on`);
  const timeout = def['timeout-minutes'] !== undefined ? Number(fromData(expand(runner, def['timeout-minutes'], jobBase, [], `${where}.timeout-minutes`))) : 360;
  if (!Number.isFinite(timeout) || timeout <= 0) throw new WorkflowError(`${where}.timeout-minutes: not a positive number`);
  if (typeof def.concurrency === 'string') expandString(runner, def.concurrency, jobBase, [], `${where}.concurrency`);
  else if (isObject(def.concurrency)) {
    checkKeys(def.concurrency, ['group', 'cancel-in-progress'], `${where}.concurrency`);
    expandString(runner, def.concurrency.group, jobBase, [], `${where}.concurrency.group`);
  }

  const dirKey = key.replace(/[^\w.-]+/g, '_');
  const jobDir = mkdtempSync(path.join(runner.workDir, `job-${dirKey}-`));
  const repoName = (runner.github.repository as string).split('/')[1]!;
  const workspace = path.join(jobDir, 'work', repoName);
  const runnerTemp = path.join(jobDir, 'temp');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(runnerTemp, { recursive: true });
  const github = { ...runner.github, job: id, workspace };
  const job: JobRun = { id, key, name, result: 'success', outputs: {}, steps: [], summary: '', annotations: [], permissions: def.permissions, workspace, runnerTemp };
  if (matrix) job.matrix = matrix;
  runner.log(`job ${key}: started (${name})`);

  const runnerCtx = toData({ os: 'Linux', arch: 'X64', name: 'local-runner', temp: runnerTemp, tool_cache: path.join(runner.workDir, 'toolcache'), debug: '', environment: 'github-hosted' });
  const envBase = { ...jobBase, github: toData(github), secrets: secretsContext(runner) };
  const jobEnv = expandMap(runner, def.env, envBase, [], `${where}.env`);
  const defaults: Record<string, string> = {};
  for (const d of [runner.wf.defaults, def.defaults]) {
    if (!isObject(d)) continue;
    checkKeys(d, ['run'], `${where}.defaults`);
    if (isObject(d.run)) {
      checkKeys(d.run, ['shell', 'working-directory'], `${where}.defaults.run`);
      Object.assign(defaults, expandMap(runner, d.run, { ...jobBase, github: toData(github), env: toData({ ...runner.workflowEnv, ...jobEnv }) }, [], `${where}.defaults.run`));
    }
  }
  const st: JobState = {
    job,
    def,
    where,
    contextsBase: { ...jobBase, github: toData(github), runner: runnerCtx },
    globalEnv: { ...runner.workflowEnv, ...jobEnv },
    path: [],
    masks: [...runner.secretValues],
    stepData: new Map(),
    failed: false,
    deadline: Date.now() + timeout * 60_000,
  };

  const steps = def.steps as unknown[];
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (!isObject(s)) throw new WorkflowError(`${where}.steps[${i}]: not a mapping`);
    const stepRun = await runStep(runner, st, s, i, defaults);
    job.steps.push(stepRun);
    job.annotations.push(...stepRun.annotations);
    if (stepRun.summary) job.summary += (job.summary && !job.summary.endsWith('\n') ? '\n' : '') + stepRun.summary;
    if (stepRun.conclusion === 'failure') st.failed = true;
  }
  job.result = st.failed ? 'failure' : 'success';

  const outCtx = { ...st.contextsBase, secrets: secretsContext(runner), env: toData(st.globalEnv), steps: stepsContext(runner, st), job: toData({ status: job.result }) };
  if (def.outputs !== undefined) {
    if (!isObject(def.outputs)) throw new WorkflowError(`${where}.outputs: expected a mapping`);
    for (const [k, v] of Object.entries(def.outputs)) {
      const value = expandString(runner, v, outCtx, [], `${where}.outputs.${k}`);
      // GitHub leaves out a job output that holds a secret (with a warning), and keeps empty ones out of needs.
      if (st.masks.some((m) => m && value.includes(m))) {
        runner.log(`job ${key}: output ${k} holds a secret: left out, as GitHub does`);
        continue;
      }
      job.outputs[k] = value;
    }
  }
  if (def.environment !== undefined) {
    const envDef = def.environment;
    if (typeof envDef === 'string') job.environment = { name: expandString(runner, envDef, jobBase, [], `${where}.environment`), url: '' };
    else if (isObject(envDef)) {
      checkKeys(envDef, ['name', 'url'], `${where}.environment`);
      job.environment = {
        name: expandString(runner, envDef.name, jobBase, [], `${where}.environment.name`),
        url: expandString(runner, envDef.url, outCtx, [], `${where}.environment.url`),
      };
    }
  }
  runner.log(`job ${key}: ${job.result}`);
  return job;
}

// ---------------------------------------------------------------- matrix

function expandMatrix(m: Y, where: string): Record<string, unknown>[] {
  const keys = Object.keys(m).filter((k) => k !== 'include' && k !== 'exclude');
  let combos: Record<string, unknown>[] = [{}];
  for (const k of keys) {
    const values = m[k];
    if (!Array.isArray(values)) throw new WorkflowError(`${where}: matrix.${k} must be a list`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  }
  if (keys.length === 0) combos = [];
  const matches = (c: Record<string, unknown>, e: Record<string, unknown>) =>
    Object.entries(e).every(([k, v]) => JSON.stringify(c[k]) === JSON.stringify(v));
  const exclude = (m.exclude ?? []) as Record<string, unknown>[];
  combos = combos.filter((c) => !exclude.some((e) => matches(c, e)));
  const originals = combos.map((c) => ({ ...c }));
  for (const inc of (m.include ?? []) as Record<string, unknown>[]) {
    let added = false;
    originals.forEach((orig, i) => {
      // An include entry extends every original combination none of whose original values it overwrites.
      if (Object.entries(inc).every(([k, v]) => !(k in orig) || JSON.stringify(orig[k]) === JSON.stringify(v))) {
        combos[i] = { ...combos[i], ...inc };
        added = true;
      }
    });
    if (!added) combos.push({ ...inc });
  }
  if (combos.length === 0) throw new WorkflowError(`${where}: the matrix has no combination`);
  return combos;
}

function expandMatrixValues(m: unknown, ev: (v: unknown, where: string) => unknown, where: string): unknown {
  if (typeof m === 'string') return ev(m, where);
  if (Array.isArray(m)) return m.map((v, i) => expandMatrixValues(v, ev, `${where}[${i}]`));
  if (isObject(m)) return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, expandMatrixValues(v, ev, `${where}.${k}`)]));
  return m;
}
