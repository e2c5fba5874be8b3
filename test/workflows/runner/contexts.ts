/**
 * The contexts an expression reads: github (from the event and the caller's repository), inputs,
 * secrets, needs, steps and the jobs' outputs, where a read of a key that is not there is recorded
 * (LocalRunner.record); and the status functions success(), failure(), always(), cancelled().
 */
import { data } from '@actions/expressions';
import { toData, Tracked, type FunctionDef } from './expressions.js';
import { git } from './git.js';
import type { JobState } from './jobs.js';
import { isObject, needsOf, type JobRun, type Result, type Y } from './model.js';
import type { LocalRunner } from './workflow.js';

export function githubContext(runner: LocalRunner): Record<string, unknown> {
  const repository = runner.opts.repository ?? 'acme/petstore';
  const p = runner.opts.event.payload as Y;
  const pr = isObject(p.pull_request) ? p.pull_request : undefined;
  let ref = '';
  let sha = '';
  const defaultBranch = isObject(p.repository) && typeof p.repository.default_branch === 'string' ? p.repository.default_branch : 'main';
  if (runner.opts.event.name === 'pull_request' && pr) {
    ref = `refs/pull/${String(pr.number)}/merge`;
  } else if (typeof p.ref === 'string') {
    ref = p.ref;
  } else {
    ref = `refs/heads/${defaultBranch}`;
  }
  sha = git(runner.opts.origin, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], true);
  const refType = ref.startsWith('refs/tags/') ? 'tag' : 'branch';
  const refName = ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\//, '');
  const base: Record<string, unknown> = {
    event_name: runner.opts.event.name,
    event: p,
    event_path: runner.eventPath,
    ref,
    ref_name: refName,
    ref_type: refType,
    ref_protected: false,
    sha,
    head_ref: pr && isObject(pr.head) ? pr.head.ref : '',
    base_ref: pr && isObject(pr.base) ? pr.base.ref : '',
    repository,
    repository_owner: repository.split('/')[0],
    repository_id: '1',
    repositoryUrl: `git://github.com/${repository}.git`,
    actor: 'octocat',
    triggering_actor: 'octocat',
    workflow: typeof runner.wf.name === 'string' ? runner.wf.name : runner.name,
    workflow_ref: `${repository}/.github/workflows/caller.yml@${ref}`,
    run_id: '4242',
    run_number: '7',
    run_attempt: '1',
    retention_days: '90',
    server_url: 'https://github.com',
    api_url: runner.opts.githubApiUrl ?? 'http://127.0.0.1:9/github-api-not-configured',
    graphql_url: `${runner.opts.githubApiUrl ?? 'http://127.0.0.1:9/github-api-not-configured'}/graphql`,
    token: runner.token,
    secret_source: 'Actions',
    action: '',
    job: '',
    workspace: '',
  };
  return { ...base, ...runner.opts.github };
}

export function inputsContext(runner: LocalRunner): data.Dictionary {
  return new Tracked(
    (k) => runner.record('undeclared-input', `inputs.${k}`),
    Object.fromEntries(Object.entries(runner.inputs).map(([k, v]) => [k, toData(v)])),
  );
}

export function secretsContext(runner: LocalRunner): data.Dictionary {
  return new Tracked(
    (k) => runner.record('undeclared-secret', `secrets.${k}`),
    Object.fromEntries([...Object.entries(runner.secrets), ['GITHUB_TOKEN', runner.token]].map(([k, v]) => [k, toData(v)])),
  );
}

export function needsContext(runner: LocalRunner, jobId: string, needs: string[]): data.Dictionary {
  const entries: Record<string, data.ExpressionData> = {};
  for (const n of needs) {
    const runs = runner.jobsDone.get(n) ?? [];
    entries[n] = new data.Dictionary(
      { key: 'result', value: toData(aggregate(runs)) },
      { key: 'outputs', value: outputsDict(runner, `needs.${n}`, runs, runner.wfJobs()[n]!) },
    );
  }
  return new Tracked((k) => runner.record('unknown-job', `needs.${k} (job ${jobId} needs ${needs.join(', ') || 'nothing'})`), entries);
}

/** A job's outputs over its matrix runs, as needs.<job>.outputs and jobs.<job>.outputs read them. */
export function outputsDict(runner: LocalRunner, prefix: string, runs: JobRun[], def: Y): data.Dictionary {
  const merged: Record<string, string> = {};
  for (const r of runs) Object.assign(merged, r.outputs);
  const declared = new Set(Object.keys(isObject(def.outputs) ? def.outputs : {}));
  const skipped = runs.every((r) => r.result === 'skipped');
  return new Tracked(
    (k) => runner.record(skipped ? 'skipped-job-output' : declared.has(k) ? 'unset-output' : 'undeclared-output', `${prefix}.outputs.${k}`),
    Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, toData(v)])),
  );
}

export function stepsContext(runner: LocalRunner, st: JobState): data.Dictionary {
  const entries: Record<string, data.ExpressionData> = {};
  for (const [id, s] of st.stepData) {
    const outputs = new Tracked((k) => {
      if (s.skipped) runner.record('skipped-step-output', `steps.${id}.outputs.${k}`);
      else if (s.declared && !s.declared.has(k)) runner.record('undeclared-output', `steps.${id}.outputs.${k}`);
      else runner.record('unset-output', `steps.${id}.outputs.${k}`);
    }, Object.fromEntries(Object.entries(s.outputs).map(([k, v]) => [k, toData(v)])));
    entries[id] = new data.Dictionary({ key: 'outputs', value: outputs }, { key: 'outcome', value: toData(s.outcome) }, { key: 'conclusion', value: toData(s.conclusion) });
  }
  return new Tracked((k) => runner.record('unknown-step', `steps.${k}`), entries);
}

export function statusFunctions(runner: LocalRunner, kind: 'job' | 'step', st: { failed: boolean } | undefined, needs: string[]): FunctionDef[] {
  const fn = (name: string, f: () => boolean): FunctionDef => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(f()) });
  if (kind === 'job') {
    const ancestors = ancestorsOf(runner, needs);
    return [
      fn('success', () => needs.every((n) => aggregate(runner.jobsDone.get(n) ?? []) === 'success')),
      fn('failure', () => ancestors.some((n) => aggregate(runner.jobsDone.get(n) ?? []) === 'failure')),
      fn('always', () => true),
      fn('cancelled', () => false),
    ];
  }
  return [fn('success', () => !st!.failed), fn('failure', () => st!.failed), fn('always', () => true), fn('cancelled', () => false)];
}

/** The needed jobs and, transitively, the jobs they need: a job's failure() looks at all of them. */
function ancestorsOf(runner: LocalRunner, needs: string[]): string[] {
  const seen = new Set<string>();
  const walk = (ids: string[]) => {
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      walk(needsOf(runner.wfJobs()[id] ?? {}));
    }
  };
  walk(needs);
  return [...seen];
}

/** A job's result over its matrix runs: failure if any failed, skipped if all skipped. */
export function aggregate(runs: JobRun[]): Result {
  if (runs.length === 0) return 'skipped';
  if (runs.some((r) => r.result === 'failure')) return 'failure';
  if (runs.some((r) => r.result === 'cancelled')) return 'cancelled';
  if (runs.every((r) => r.result === 'skipped')) return 'skipped';
  return 'success';
}
