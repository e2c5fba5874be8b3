/**
 * One run of a workflow: LocalRunner holds its state; it parses the workflow, checks the workflow_call
 * inputs and secrets, runs the jobs (jobs.ts) and evaluates the workflow's outputs.
 */
import { data } from '@actions/expressions';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { aggregate, githubContext, inputsContext, outputsDict, secretsContext } from './contexts.js';
import { expand, expandMap, expandString, fromData, toData, Tracked } from './expressions.js';
import { runJobs } from './jobs.js';
import { checkKeys, isObject, WorkflowError, type JobRun, type Read, type Result, type RunnerOptions, type WorkflowRun, type Y } from './model.js';

/** This repository: where `uses: $/…` resolves by default (the workflow's own repository). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const GH_STAND_IN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'stand-ins', 'gh.mjs');

export async function runWorkflow(opts: RunnerOptions): Promise<WorkflowRun> {
  const runner = new LocalRunner(opts);
  return runner.run();
}

export class LocalRunner {
  readonly actionsRoot: string;
  private readonly file: string;
  readonly name: string;
  readonly wf: Y;
  readonly workDir: string;
  readonly artifactsDir: string;
  readonly toolDir: string;
  private readonly reads: Read[] = [];
  readonly jobsDone = new Map<string, JobRun[]>();
  readonly secretValues: string[] = [];
  readonly github: Record<string, unknown>;
  readonly eventPath: string;
  readonly token = `ghs_local${randomUUID().replace(/-/g, '')}`;
  private readonly lines: string[] = [];
  inputs: Record<string, string | boolean | number> = {};
  secrets: Record<string, string> = {};
  workflowEnv: Record<string, string> = {};
  /** Where the expression being evaluated is: reads of missing keys are recorded there. */
  currentWhere = '';

  constructor(readonly opts: RunnerOptions) {
    this.actionsRoot = opts.actionsRoot ?? REPO_ROOT;
    this.file = path.isAbsolute(opts.workflow) ? opts.workflow : path.join(this.actionsRoot, opts.workflow);
    this.name = path.basename(this.file);
    this.wf = parseYaml(readFileSync(this.file, 'utf8')) as Y;
    this.workDir = opts.workDir ?? mkdtempSync(path.join(tmpdir(), 'local-runner-'));
    this.artifactsDir = path.join(this.workDir, 'artifacts');
    this.toolDir = path.join(this.workDir, 'bin');
    mkdirSync(this.artifactsDir, { recursive: true });
    mkdirSync(this.toolDir, { recursive: true });
    // The GitHub CLI is on every hosted runner; here a stand-in implements `gh api` (see ../stand-ins/gh.mjs).
    writeFileSync(path.join(this.toolDir, 'gh'), `#!/bin/sh\nexec "${opts.nodeBinary ?? process.execPath}" "${GH_STAND_IN}" "$@"\n`);
    chmodSync(path.join(this.toolDir, 'gh'), 0o755);
    this.eventPath = path.join(this.workDir, 'event.json');
    writeFileSync(this.eventPath, JSON.stringify(opts.event.payload, null, 2));
    this.github = githubContext(this);
  }

  log(line: string): void {
    this.lines.push(line);
    this.opts.onLog?.(line);
  }

  record(kind: Read['kind'], ref: string): void {
    this.reads.push({ kind, where: this.currentWhere, ref });
  }

  wfJobs(): Record<string, Y> {
    const jobs = this.wf.jobs;
    if (!isObject(jobs)) throw new WorkflowError(`${this.name}: no jobs`);
    return jobs as Record<string, Y>;
  }

  async run(): Promise<WorkflowRun> {
    checkKeys(this.wf, ['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'], this.name);
    this.resolveInputsAndSecrets();
    const wfCtx = { github: toData(this.github), inputs: inputsContext(this), secrets: secretsContext(this), vars: toData(this.opts.vars ?? {}) };
    this.workflowEnv = expandMap(this, this.wf.env, wfCtx, [], `${this.name}: env`);
    if (isObject(this.wf.defaults)) checkKeys(this.wf.defaults, ['run'], `${this.name}: defaults`);

    const jobs = this.wfJobs();
    const ran = await runJobs(this, jobs);

    const outputs: Record<string, string> = {};
    const call = this.workflowCall();
    if (call && isObject(call.outputs)) {
      const jobsCtx = new Tracked(
        (k) => this.record('unknown-job', `jobs.${k}`),
        Object.fromEntries(
          Object.keys(jobs).map((id) => {
            const runs = this.jobsDone.get(id) ?? [];
            return [id, new data.Dictionary({ key: 'result', value: toData(aggregate(runs)) }, { key: 'outputs', value: outputsDict(this, `jobs.${id}`, runs, jobs[id]!) })];
          }),
        ),
      );
      for (const [name, o] of Object.entries(call.outputs)) {
        const where = `${this.name}: on.workflow_call.outputs.${name}.value`;
        outputs[name] = expandString(this, isObject(o) ? o.value : o, { github: toData(this.github), inputs: inputsContext(this), vars: toData(this.opts.vars ?? {}), jobs: jobsCtx }, [], where);
      }
    }
    const result: Result = ran.some((j) => j.result === 'failure') ? 'failure' : 'success';
    this.log(`${this.name}: ${result}`);
    const lines = this.lines;
    const self = this;
    return {
      file: this.name,
      inputs: this.inputs,
      jobs: ran,
      outputs,
      result,
      artifactsDir: this.artifactsDir,
      reads: this.reads,
      job(id: string): JobRun {
        const found = ran.filter((j) => j.id === id);
        if (found.length !== 1) throw new Error(`${self.name}: ${found.length === 0 ? `no job '${id}'` : `job '${id}' ran ${found.length} times (a matrix): pick one from jobs`}`);
        return found[0]!;
      },
      transcript: () => lines.join('\n'),
    };
  }

  private workflowCall(): Y | undefined {
    const on = (this.wf.on ?? (this.wf as Record<string, unknown>)['true']) as unknown;
    if (typeof on === 'string') return on === 'workflow_call' ? {} : undefined;
    if (Array.isArray(on)) return on.includes('workflow_call') ? {} : undefined;
    if (!isObject(on) || !('workflow_call' in on)) return undefined;
    return isObject(on.workflow_call) ? on.workflow_call : {};
  }

  private resolveInputsAndSecrets(): void {
    const call = this.workflowCall();
    const given = this.opts.inputs ?? {};
    const givenSecrets = this.opts.secrets ?? {};
    if (!call) {
      if (Object.keys(given).length || Object.keys(givenSecrets).length) throw new WorkflowError(`${this.name}: inputs or secrets given, but the workflow has no on.workflow_call`);
      return;
    }
    checkKeys(call, ['inputs', 'outputs', 'secrets'], `${this.name}: on.workflow_call`);
    const declared = (isObject(call.inputs) ? call.inputs : {}) as Record<string, Y>;
    for (const k of Object.keys(given)) {
      if (!declared[k]) throw new WorkflowError(`${this.name}: Invalid input, ${k} is not defined in the referenced workflow.`);
    }
    const inputs: Record<string, string | boolean | number> = {};
    // Defaults may read github and the inputs given so far.
    for (const [k, def] of Object.entries(declared)) {
      checkKeys(def, ['description', 'type', 'required', 'default'], `${this.name}: on.workflow_call.inputs.${k}`);
      const type = def.type;
      if (type !== 'string' && type !== 'boolean' && type !== 'number') throw new WorkflowError(`${this.name}: on.workflow_call.inputs.${k}: type '${String(type)}' is not string, boolean or number`);
      let v: unknown;
      if (k in given) v = given[k];
      else if (def.required === true) throw new WorkflowError(`${this.name}: Input ${k} is required, but not provided while calling.`);
      else if ('default' in def) {
        const d = expand(this, def.default, { github: toData(this.github), inputs: toData(inputs), vars: toData(this.opts.vars ?? {}) }, [], `${this.name}: on.workflow_call.inputs.${k}.default`);
        v = fromData(d);
      } else v = type === 'boolean' ? false : type === 'number' ? 0 : '';
      if (type === 'string') {
        if (typeof v !== 'string') {
          if (typeof v === 'number' || typeof v === 'boolean') v = String(v);
          else throw new WorkflowError(`${this.name}: input ${k}: expected a string`);
        }
      } else if (type === 'boolean') {
        if (typeof v === 'string' && (v === 'true' || v === 'false') && !(k in given)) v = v === 'true';
        if (typeof v !== 'boolean') throw new WorkflowError(`${this.name}: The input '${k}' of the called workflow is a boolean: got ${JSON.stringify(v)}`);
      } else {
        if (typeof v === 'string' && v.trim() !== '' && !(k in given)) v = Number(v);
        if (typeof v !== 'number' || Number.isNaN(v)) throw new WorkflowError(`${this.name}: The input '${k}' of the called workflow is a number: got ${JSON.stringify(v)}`);
      }
      inputs[k] = v as string | boolean | number;
    }
    this.inputs = inputs;
    const declaredSecrets = (isObject(call.secrets) ? call.secrets : {}) as Record<string, Y>;
    for (const k of Object.keys(givenSecrets)) {
      if (!declaredSecrets[k]) throw new WorkflowError(`${this.name}: Invalid secret, ${k} is not defined in the referenced workflow.`);
    }
    const secrets: Record<string, string> = {};
    for (const [k, def] of Object.entries(declaredSecrets)) {
      if (isObject(def)) checkKeys(def, ['description', 'required'], `${this.name}: on.workflow_call.secrets.${k}`);
      if (k in givenSecrets) secrets[k] = givenSecrets[k]!;
      else if (isObject(def) && def.required === true) throw new WorkflowError(`${this.name}: Secret ${k} is required, but not provided while calling.`);
      else secrets[k] = '';
    }
    this.secrets = secrets;
    for (const v of [...Object.values(secrets), this.token]) if (v) this.secretValues.push(v);
  }
}
