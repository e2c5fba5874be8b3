/**
 * A small local runner for GitHub Actions workflows, for tests: it runs a reusable workflow's jobs on
 * this machine the way the runner would, offline (no Docker, no GitHub), so that what only shows at run
 * time is caught: a shell error in a `run:` step, a step output read under the wrong name, an `if:` that
 * never fires, a path that does not exist in the caller's checkout.
 *
 * What it does, in the order GitHub does it:
 * - parses the workflow (`yaml`), checks the `workflow_call` inputs (types, required, defaults evaluated)
 *   and secrets (declared, required), and orders the jobs by `needs` (one at a time, in file order among
 *   those that are ready, so that runs are repeatable);
 * - evaluates every `${{ }}` and `if:` with `@actions/expressions` over the contexts GitHub makes
 *   available at that place (github, inputs, secrets, vars, env, steps, needs, job, runner, strategy,
 *   matrix, jobs): an expression naming a context that is not available there is an error, as on GitHub.
 *   Functions: the built-in ones (contains, startsWith, endsWith, format, join, toJSON, fromJSON), the
 *   status functions success(), failure(), always(), cancelled() (an `if:` without one gets success() &&),
 *   and hashFiles();
 * - runs a job for each matrix combination (include/exclude as documented; one after the other, so
 *   fail-fast and max-parallel change nothing); job `if:`, `outputs`, `env`, `defaults.run`,
 *   `timeout-minutes` (a job or step past it fails), `environment` (name and url), `permissions`
 *   (recorded: the deploy-pages stand-in checks them); `runs-on` and `concurrency` are evaluated and
 *   otherwise ignored; nothing is ever cancelled, so cancelled() is false;
 * - runs `run:` steps with bash in a fresh checkout of the caller's repository per job: an unspecified
 *   shell is `bash -e {0}` and `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`, as the runner
 *   does (RunnerOptions.defaultShell: 'pipefail' makes the unspecified shell strict too); `sh` is `sh -e`;
 * - runs `uses: $/<path>` (the workflow's own repository: RunnerOptions.actionsRoot) and `uses: ./<path>`
 *   (the caller's checkout, as GitHub resolves it) by reading that action.yml: `runs.using: node*` runs
 *   `node <main>` with INPUT_<NAME> for every input given or defaulted (names upper-cased, spaces as
 *   `_`, dashes kept; defaults are expressions too) and the runner's variables (GITHUB_OUTPUT, GITHUB_ENV,
 *   GITHUB_PATH, GITHUB_STATE, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, GITHUB_EVENT_PATH, RUNNER_TEMP, …);
 * - reads the file commands after each step as the runner does (see ../shared/formats/actions-runner.md:
 *   `name=value` and heredocs, NODE_OPTIONS refused in GITHUB_ENV, a summary over 1 MiB dropped with an
 *   error) and the workflow commands on stdout and stderr (::error/::warning/::notice with their
 *   properties, at most 10 of each per step become annotations; ::add-mask::, ::stop-commands::,
 *   ::group::, ::debug::); secrets and masked values are *** in logs, summaries and annotations;
 * - honours `continue-on-error`, `working-directory`, `timeout-minutes`, step `outputs`, `outcome` and
 *   `conclusion`;
 * - third-party actions get local stand-ins (see STAND_INS): actions/checkout (a clone of the caller's
 *   repository at the event's ref, with fetch-depth, ref and fetch-tags honoured), actions/setup-node
 *   (no-op: the runner's Node), actions/upload-artifact and download-artifact (a directory per run),
 *   actions/upload-pages-artifact and actions/deploy-pages (the site is kept as an artifact; nothing is
 *   deployed). The GitHub CLI is absent here: a stand-in `gh` on PATH implements `gh api` against
 *   RunnerOptions.githubApiUrl (a loopback server), and fails saying so when there is none.
 *
 * What it refuses, with an error naming the workflow, job, step and expression: any workflow, job or
 * step key it does not implement (services, container, job-level uses or continue-on-error, …), a
 * composite or docker action, an action with pre/post scripts, another repository's action without a
 * stand-in, a stand-in input it does not implement, a shell other than bash/sh, an object or array
 * where a string is needed, an expression that does not parse or names an unavailable context.
 *
 * Reads that GitHub answers with an empty value without complaint are recorded (WorkflowRun.reads): an
 * unknown step id or job, an output the step or job does not declare or did not set, an undeclared input
 * or secret. The tests decide which are defects.
 */
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

/** This repository: where `uses: $/…` resolves by default (the workflow's own repository). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const GH_STAND_IN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'stand-ins', 'gh.mjs');

// ---------------------------------------------------------------- public types

export type Result = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
}

export interface StepRun {
  index: number;
  id?: string;
  name: string;
  uses?: string;
  outcome: Result;
  conclusion: Result;
  /** Why the step did not run: its if: was false (with the expression). */
  skippedReason?: string;
  exitCode?: number | null;
  outputs: Record<string, string>;
  /** stdout and stderr as the log shows them (masked). */
  log: string;
  /** The annotations the runner keeps (10 per type per step). */
  annotations: Annotation[];
  /** Annotations past the 10 per type, which appear only in the log. */
  droppedAnnotations: number;
  summary: string;
}

export interface JobRun {
  id: string;
  /** The job id, with the matrix values for a matrix job: `build (node 20)`. */
  key: string;
  name: string;
  matrix?: Record<string, unknown>;
  result: Result;
  /** Why the job did not run: its if: was false, a needed job did not succeed, or a test skipped it. */
  skippedReason?: string;
  /** Why the job failed outside a step (a timeout, a bad defaults.run directory). */
  failureReason?: string;
  outputs: Record<string, string>;
  steps: StepRun[];
  /** Every step summary of the job, joined in order (what the job summary shows). */
  summary: string;
  annotations: Annotation[];
  permissions: unknown;
  environment?: { name: string; url: string };
  workspace: string;
  runnerTemp: string;
}

export interface Read {
  kind: 'unknown-step' | 'undeclared-output' | 'unset-output' | 'skipped-step-output' | 'unknown-job' | 'skipped-job-output' | 'undeclared-input' | 'undeclared-secret' | 'unknown-matrix-key';
  /** workflow: job: step: field */
  where: string;
  /** The reference read, e.g. steps.gate.outputs.verdikt */
  ref: string;
}

export interface WorkflowRun {
  file: string;
  inputs: Record<string, string | boolean | number>;
  jobs: JobRun[];
  outputs: Record<string, string>;
  /** failure when a job failed, else success. */
  result: Result;
  artifactsDir: string;
  reads: Read[];
  /** The one run of a job (a matrix job: use jobs.filter). */
  job(id: string): JobRun;
  /** Every job and step with its result, annotations and (for failed steps) the log tail. */
  transcript(): string;
}

export interface Event {
  /** pull_request, push, schedule, workflow_dispatch, … */
  name: string;
  /** The webhook payload (written to GITHUB_EVENT_PATH; github.event). */
  payload: Record<string, unknown>;
}

export interface StandInContext {
  with: Record<string, string>;
  job: JobRun;
  step: { name: string; id?: string };
  github: Record<string, unknown>;
  workspace: string;
  runnerTemp: string;
  artifactsDir: string;
  origin: string;
  env: Record<string, string>;
  log(line: string): void;
  annotate(a: Annotation): void;
}
export interface StandIn {
  /** The inputs it implements; another `with:` key is an error (never silently ignored). */
  inputs: string[];
  /** Outputs it sets (for the reads check). */
  outputs?: string[];
  run(ctx: StandInContext): Promise<{ ok: boolean; outputs?: Record<string, string> }>;
}

export interface RunnerOptions {
  /** The workflow file: absolute, or relative to actionsRoot (e.g. .github/workflows/phase-1-design.yml). */
  workflow: string;
  /** The caller's repository (a git repository with the branches and tags the event names). */
  origin: string;
  /** `with:` of the calling job. */
  inputs?: Record<string, string | boolean | number>;
  /** `secrets:` of the calling job. */
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  event: Event;
  /** github context values (ref, sha, ref_name, …); default: derived from the event and origin. */
  github?: Record<string, unknown>;
  /** owner/name of the caller's repository (default acme/petstore). */
  repository?: string;
  /** Where `uses: $/…` resolves: the workflow's own repository (default: this repository). */
  actionsRoot?: string;
  /** owner/name under which the workflow's own repository is also reachable (`OWNER/api-delivery-actions/actions/x@sha`). */
  ownRepository?: string;
  /** Base of GITHUB_API_URL (a loopback server); the gh stand-in and our actions call it. */
  githubApiUrl?: string;
  /** Jobs the test skips, with the reason (printed in the transcript). */
  skipJobs?: Record<string, string>;
  /** More stand-ins, by `owner/name[/path]` (no @ref). */
  standIns?: Record<string, StandIn>;
  /** Extra process environment every step gets (PATH is the test process's unless given). */
  env?: Record<string, string>;
  /** 'runner' (default): an unspecified shell is bash -e; 'pipefail': bash -eo pipefail as `shell: bash`. */
  defaultShell?: 'runner' | 'pipefail';
  /** The node binary for node actions (default: this process's). */
  nodeBinary?: string;
  /** Directory for workspaces, temp dirs and artifacts (default: a new temp directory). */
  workDir?: string;
  /** Called with each line of the transcript as it happens (e.g. console.log). */
  onLog?: (line: string) => void;
  /**
   * Called before a job that is not skipped starts. On GitHub each job waits for a fresh runner; a test
   * uses this for what that gap gives (e.g. a rate-limit window of the API under test running out).
   */
  beforeJob?: (jobId: string) => void | Promise<void>;
}

/** An error in the workflow or a feature this runner does not implement: names the place. */
export class WorkflowError extends Error {}

// ---------------------------------------------------------------- helpers

type Y = Record<string, unknown>;
const isObject = (v: unknown): v is Y => typeof v === 'object' && v !== null && !Array.isArray(v);
const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

function checkKeys(obj: Y, allowed: string[], where: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new WorkflowError(`${where}: '${k}' is not supported by the local runner (it supports: ${allowed.join(', ')})`);
  }
}

/** JS value → expression data. */
function toData(v: unknown): data.ExpressionData {
  if (v === null || v === undefined) return new data.Null();
  if (typeof v === 'string') return new data.StringData(v);
  if (typeof v === 'number') return new data.NumberData(v);
  if (typeof v === 'boolean') return new data.BooleanData(v);
  if (Array.isArray(v)) return new data.Array(...v.map(toData));
  if (isObject(v)) return new data.Dictionary(...Object.entries(v).map(([key, value]) => ({ key, value: toData(value) })));
  throw new Error(`cannot use ${typeof v} in an expression context`);
}
/** Expression data → JS value. */
function fromData(d: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(d, data.replacer)) as unknown;
}

/** A dictionary that reports a read of a key it does not have (GitHub answers those with null). */
class Tracked extends data.Dictionary {
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

interface FunctionDef {
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

function truthy(d: data.ExpressionData): boolean {
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

// ---------------------------------------------------------------- file and workflow commands

/** GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE as the runner reads them; throws the runner's message. */
export function parseEnvFile(text: string, command: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const eq = line.indexOf('=');
    const hd = line.indexOf('<<');
    if (eq >= 0 && (hd < 0 || eq < hd)) {
      const name = line.slice(0, eq);
      if (!name) throw new Error(`Unable to process file command '${command}' successfully: invalid format '${line}'`);
      out[name] = line.slice(eq + 1);
    } else if (hd >= 0) {
      const name = line.slice(0, hd);
      const delim = line.slice(hd + 2);
      if (!name || !delim) throw new Error(`Unable to process file command '${command}' successfully: invalid format '${line}'`);
      const end = lines.indexOf(delim, i + 1);
      if (end < 0) throw new Error(`Unable to process file command '${command}' successfully: Matching delimiter not found '${delim}'`);
      out[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else {
      throw new Error(`Unable to process file command '${command}' successfully: Invalid format '${line}'`);
    }
  }
  return out;
}

const unescapeData = (s: string) => s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%25/g, '%');

interface CommandState {
  masks: string[];
  stopToken?: string;
  annotations: Annotation[];
  counts: Record<string, number>;
  dropped: number;
}

/** One output line: a workflow command is applied; returns the line as the log shows it. */
function processLine(raw: string, st: CommandState): string {
  const line = raw.replace(/^\s+/, '');
  if (!line.startsWith('::')) return raw;
  const end = line.indexOf('::', 2);
  if (end < 0) return raw;
  const head = line.slice(2, end);
  const message = line.slice(end + 2);
  const sp = head.indexOf(' ');
  const command = (sp < 0 ? head : head.slice(0, sp)).toLowerCase();
  if (st.stopToken !== undefined) {
    if (command === st.stopToken.toLowerCase()) st.stopToken = undefined;
    return raw;
  }
  const props: Record<string, string> = {};
  if (sp >= 0) {
    for (const kv of head.slice(sp + 1).split(',')) {
      const e = kv.indexOf('=');
      if (e > 0) props[kv.slice(0, e).trim().toLowerCase()] = unescapeProperty(kv.slice(e + 1));
    }
  }
  switch (command) {
    case 'error':
    case 'warning':
    case 'notice': {
      const text = unescapeData(message);
      st.counts[command] = (st.counts[command] ?? 0) + 1;
      if (st.counts[command]! > 10) {
        st.dropped++;
        return raw;
      }
      const num = (k: string) => (props[k] !== undefined && /^\d+$/.test(props[k]!) ? Number(props[k]) : undefined);
      const a: Annotation = { level: command, message: text };
      if (props.title) a.title = props.title;
      if (props.file) a.file = props.file;
      const line = num('line') ?? num('endline');
      if (line !== undefined) a.line = line;
      if (num('endline') !== undefined) a.endLine = num('endline');
      if (line !== undefined && num('col') !== undefined) a.col = num('col');
      if (line !== undefined && num('endcolumn') !== undefined) a.endColumn = num('endcolumn');
      st.annotations.push(a);
      return raw;
    }
    case 'add-mask':
      if (message.trim()) st.masks.push(unescapeData(message));
      return '::add-mask::***';
    case 'stop-commands':
      st.stopToken = message;
      if (message.length > 6) st.masks.push(message);
      return raw;
    default:
      // group, endgroup, debug, echo, add-matcher and anything unknown: shown as they are.
      return raw;
  }
}

function mask(text: string, masks: string[]): string {
  let out = text;
  for (const m of [...masks].sort((a, b) => b.length - a.length)) {
    if (!m) continue;
    out = out.split(m).join('***');
    for (const part of m.split(/\r?\n/)) if (part.length > 2 && part !== m) out = out.split(part).join('***');
  }
  return out;
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

// ---------------------------------------------------------------- git helpers

function git(cwd: string, args: string[], allowFail = false): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  if (r.status !== 0 && !allowFail) throw new Error(`git ${args.join(' ')} (in ${cwd}) failed: ${r.stderr || r.stdout}`);
  return r.status === 0 ? r.stdout.trim() : '';
}

// ---------------------------------------------------------------- the runner

interface JobState {
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

export async function runWorkflow(opts: RunnerOptions): Promise<WorkflowRun> {
  const runner = new LocalRunner(opts);
  return runner.run();
}

class LocalRunner {
  private readonly actionsRoot: string;
  private readonly file: string;
  private readonly name: string;
  private readonly wf: Y;
  private readonly workDir: string;
  private readonly artifactsDir: string;
  private readonly toolDir: string;
  private readonly reads: Read[] = [];
  private readonly jobsDone = new Map<string, JobRun[]>();
  private readonly secretValues: string[] = [];
  private readonly github: Record<string, unknown>;
  private readonly eventPath: string;
  private readonly token = `ghs_local${randomUUID().replace(/-/g, '')}`;
  private readonly lines: string[] = [];
  private inputs: Record<string, string | boolean | number> = {};
  private secrets: Record<string, string> = {};
  private workflowEnv: Record<string, string> = {};
  private currentWhere = '';

  constructor(private readonly opts: RunnerOptions) {
    this.actionsRoot = opts.actionsRoot ?? REPO_ROOT;
    this.file = path.isAbsolute(opts.workflow) ? opts.workflow : path.join(this.actionsRoot, opts.workflow);
    this.name = path.basename(this.file);
    this.wf = parseYaml(readFileSync(this.file, 'utf8')) as Y;
    this.workDir = opts.workDir ?? mkdtempSync(path.join(tmpdir(), 'local-runner-'));
    this.artifactsDir = path.join(this.workDir, 'artifacts');
    this.toolDir = path.join(this.workDir, 'bin');
    mkdirSync(this.artifactsDir, { recursive: true });
    mkdirSync(this.toolDir, { recursive: true });
    // The GitHub CLI is on every hosted runner; here a stand-in implements `gh api` (see stand-ins/gh.mjs).
    writeFileSync(path.join(this.toolDir, 'gh'), `#!/bin/sh\nexec "${opts.nodeBinary ?? process.execPath}" "${GH_STAND_IN}" "$@"\n`);
    chmodSync(path.join(this.toolDir, 'gh'), 0o755);
    this.eventPath = path.join(this.workDir, 'event.json');
    writeFileSync(this.eventPath, JSON.stringify(opts.event.payload, null, 2));
    this.github = this.githubContext();
  }

  private log(line: string): void {
    this.lines.push(line);
    this.opts.onLog?.(line);
  }

  private githubContext(): Record<string, unknown> {
    const repository = this.opts.repository ?? 'acme/petstore';
    const p = this.opts.event.payload as Y;
    const pr = isObject(p.pull_request) ? p.pull_request : undefined;
    let ref = '';
    let sha = '';
    const defaultBranch = isObject(p.repository) && typeof p.repository.default_branch === 'string' ? p.repository.default_branch : 'main';
    if (this.opts.event.name === 'pull_request' && pr) {
      ref = `refs/pull/${String(pr.number)}/merge`;
    } else if (typeof p.ref === 'string') {
      ref = p.ref;
    } else {
      ref = `refs/heads/${defaultBranch}`;
    }
    sha = git(this.opts.origin, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], true);
    const refType = ref.startsWith('refs/tags/') ? 'tag' : 'branch';
    const refName = ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\//, '');
    const base: Record<string, unknown> = {
      event_name: this.opts.event.name,
      event: p,
      event_path: this.eventPath,
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
      workflow: typeof this.wf.name === 'string' ? this.wf.name : this.name,
      workflow_ref: `${repository}/.github/workflows/caller.yml@${ref}`,
      run_id: '4242',
      run_number: '7',
      run_attempt: '1',
      retention_days: '90',
      server_url: 'https://github.com',
      api_url: this.opts.githubApiUrl ?? 'http://127.0.0.1:9/github-api-not-configured',
      graphql_url: `${this.opts.githubApiUrl ?? 'http://127.0.0.1:9/github-api-not-configured'}/graphql`,
      token: this.token,
      secret_source: 'Actions',
      action: '',
      job: '',
      workspace: '',
    };
    return { ...base, ...this.opts.github };
  }

  private record(kind: Read['kind'], ref: string): void {
    this.reads.push({ kind, where: this.currentWhere, ref });
  }

  // -------------------------------------------------------------- expressions

  private evaluate(expr: string, contexts: Record<string, data.ExpressionData>, functions: FunctionDef[], where: string): data.ExpressionData {
    let ast;
    try {
      ast = new Parser(new Lexer(expr).lex().tokens, Object.keys(contexts), functions).parse();
    } catch (e) {
      throw new WorkflowError(`${where}: \${{ ${expr} }}: ${msg(e)} (contexts available here: ${Object.keys(contexts).join(', ')})`);
    }
    if (!ast) throw new WorkflowError(`${where}: empty expression`);
    const root = new data.Dictionary(...Object.entries(contexts).map(([key, value]) => ({ key, value })));
    const previous = this.currentWhere;
    this.currentWhere = where;
    try {
      return new Evaluator(ast, root, new Map(functions.map((f) => [f.name.toLowerCase(), f]))).evaluate();
    } catch (e) {
      if (e instanceof WorkflowError) throw e;
      throw new WorkflowError(`${where}: \${{ ${expr} }}: ${msg(e)}`);
    } finally {
      this.currentWhere = previous;
    }
  }

  /** A YAML value with its expressions evaluated: one whole `${{ }}` keeps its type, else a string. */
  private expand(value: unknown, contexts: Record<string, data.ExpressionData>, functions: FunctionDef[], where: string): data.ExpressionData {
    if (typeof value !== 'string') return toData(value);
    const parts = templateParts(value, where);
    if (parts.length === 0) return new data.StringData(value);
    if (parts.length === 1 && parts[0]!.start === 0 && parts[0]!.end === value.length) {
      return this.evaluate(parts[0]!.expr, contexts, functions, where);
    }
    let out = '';
    let i = 0;
    for (const p of parts) {
      out += value.slice(i, p.start) + asString(this.evaluate(p.expr, contexts, functions, where), where, p.expr);
      i = p.end;
    }
    return new data.StringData(out + value.slice(i));
  }

  private expandString(value: unknown, contexts: Record<string, data.ExpressionData>, functions: FunctionDef[], where: string): string {
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') {
      const parts = templateParts(value, where);
      if (parts.length === 1 && parts[0]!.start === 0 && parts[0]!.end === value.length) {
        return asString(this.evaluate(parts[0]!.expr, contexts, functions, where), where, parts[0]!.expr);
      }
      return (this.expand(value, contexts, functions, where) as data.StringData).coerceString();
    }
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new WorkflowError(`${where}: expected a string, got ${JSON.stringify(value)}`);
  }

  private expandMap(value: unknown, contexts: Record<string, data.ExpressionData>, functions: FunctionDef[], where: string): Record<string, string> {
    if (value === undefined || value === null) return {};
    if (typeof value === 'string') {
      const d = this.expand(value, contexts, functions, where);
      if (d.kind !== data.Kind.Dictionary) throw new WorkflowError(`${where}: expected a mapping`);
      const js = fromData(d) as Y;
      return Object.fromEntries(Object.entries(js).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    }
    if (!isObject(value)) throw new WorkflowError(`${where}: expected a mapping`);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.expandString(v, contexts, functions, `${where}.${k}`);
    return out;
  }

  /** An if: condition; without a status function it is success() && (…), as on GitHub. */
  private condition(value: unknown, contexts: Record<string, data.ExpressionData>, functions: FunctionDef[], where: string): boolean {
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
    return truthy(this.evaluate(expr, contexts, functions, where));
  }

  // -------------------------------------------------------------- contexts

  private inputsContext(): data.Dictionary {
    return new Tracked(
      (k) => this.record('undeclared-input', `inputs.${k}`),
      Object.fromEntries(Object.entries(this.inputs).map(([k, v]) => [k, toData(v)])),
    );
  }
  private secretsContext(): data.Dictionary {
    return new Tracked(
      (k) => this.record('undeclared-secret', `secrets.${k}`),
      Object.fromEntries([...Object.entries(this.secrets), ['GITHUB_TOKEN', this.token]].map(([k, v]) => [k, toData(v)])),
    );
  }
  private needsContext(jobId: string, needs: string[]): data.Dictionary {
    const entries: Record<string, data.ExpressionData> = {};
    for (const n of needs) {
      const runs = this.jobsDone.get(n) ?? [];
      entries[n] = new data.Dictionary(
        { key: 'result', value: toData(aggregate(runs)) },
        { key: 'outputs', value: this.outputsDict(`needs.${n}`, runs, this.wfJobs()[n]!) },
      );
    }
    return new Tracked((k) => this.record('unknown-job', `needs.${k} (job ${jobId} needs ${needs.join(', ') || 'nothing'})`), entries);
  }
  private outputsDict(prefix: string, runs: JobRun[], def: Y): data.Dictionary {
    const merged: Record<string, string> = {};
    for (const r of runs) Object.assign(merged, r.outputs);
    const declared = new Set(Object.keys(isObject(def.outputs) ? def.outputs : {}));
    const skipped = runs.every((r) => r.result === 'skipped');
    return new Tracked(
      (k) => this.record(skipped ? 'skipped-job-output' : declared.has(k) ? 'unset-output' : 'undeclared-output', `${prefix}.outputs.${k}`),
      Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, toData(v)])),
    );
  }
  private wfJobs(): Record<string, Y> {
    const jobs = this.wf.jobs;
    if (!isObject(jobs)) throw new WorkflowError(`${this.name}: no jobs`);
    return jobs as Record<string, Y>;
  }

  private stepsContext(st: JobState): data.Dictionary {
    const entries: Record<string, data.ExpressionData> = {};
    for (const [id, s] of st.stepData) {
      const outputs = new Tracked((k) => {
        if (s.skipped) this.record('skipped-step-output', `steps.${id}.outputs.${k}`);
        else if (s.declared && !s.declared.has(k)) this.record('undeclared-output', `steps.${id}.outputs.${k}`);
        else this.record('unset-output', `steps.${id}.outputs.${k}`);
      }, Object.fromEntries(Object.entries(s.outputs).map(([k, v]) => [k, toData(v)])));
      entries[id] = new data.Dictionary({ key: 'outputs', value: outputs }, { key: 'outcome', value: toData(s.outcome) }, { key: 'conclusion', value: toData(s.conclusion) });
    }
    return new Tracked((k) => this.record('unknown-step', `steps.${k}`), entries);
  }

  private statusFunctions(kind: 'job' | 'step', st: { failed: boolean } | undefined, needs: string[]): FunctionDef[] {
    const fn = (name: string, f: () => boolean): FunctionDef => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(f()) });
    if (kind === 'job') {
      const ancestors = this.ancestors(needs);
      return [
        fn('success', () => needs.every((n) => aggregate(this.jobsDone.get(n) ?? []) === 'success')),
        fn('failure', () => ancestors.some((n) => aggregate(this.jobsDone.get(n) ?? []) === 'failure')),
        fn('always', () => true),
        fn('cancelled', () => false),
      ];
    }
    return [fn('success', () => !st!.failed), fn('failure', () => st!.failed), fn('always', () => true), fn('cancelled', () => false)];
  }

  private ancestors(needs: string[]): string[] {
    const seen = new Set<string>();
    const walk = (ids: string[]) => {
      for (const id of ids) {
        if (seen.has(id)) continue;
        seen.add(id);
        walk(needsOf(this.wfJobs()[id] ?? {}));
      }
    };
    walk(needs);
    return [...seen];
  }

  private hashFiles(workspace: string): FunctionDef {
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

  // -------------------------------------------------------------- the run

  async run(): Promise<WorkflowRun> {
    checkKeys(this.wf, ['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'], this.name);
    this.resolveInputsAndSecrets();
    const wfCtx = { github: toData(this.github), inputs: this.inputsContext(), secrets: this.secretsContext(), vars: toData(this.opts.vars ?? {}) };
    this.workflowEnv = this.expandMap(this.wf.env, wfCtx, [], `${this.name}: env`);
    if (isObject(this.wf.defaults)) checkKeys(this.wf.defaults, ['run'], `${this.name}: defaults`);

    const jobs = this.wfJobs();
    for (const [id, def] of Object.entries(jobs)) {
      for (const n of needsOf(def)) if (!jobs[n]) throw new WorkflowError(`${this.name}: jobs.${id}: needs '${n}', which is not a job`);
    }
    const pending = Object.keys(jobs);
    const ran: JobRun[] = [];
    while (pending.length > 0) {
      const i = pending.findIndex((id) => needsOf(jobs[id]!).every((n) => this.jobsDone.has(n)));
      if (i < 0) throw new WorkflowError(`${this.name}: the needs of ${pending.join(', ')} form a cycle`);
      const id = pending.splice(i, 1)[0]!;
      const runs = await this.runJob(id, jobs[id]!);
      this.jobsDone.set(id, runs);
      ran.push(...runs);
    }

    const outputs: Record<string, string> = {};
    const call = this.workflowCall();
    if (call && isObject(call.outputs)) {
      const jobsCtx = new Tracked(
        (k) => this.record('unknown-job', `jobs.${k}`),
        Object.fromEntries(
          Object.keys(jobs).map((id) => {
            const runs = this.jobsDone.get(id) ?? [];
            return [id, new data.Dictionary({ key: 'result', value: toData(aggregate(runs)) }, { key: 'outputs', value: this.outputsDict(`jobs.${id}`, runs, jobs[id]!) })];
          }),
        ),
      );
      for (const [name, o] of Object.entries(call.outputs)) {
        const where = `${this.name}: on.workflow_call.outputs.${name}.value`;
        outputs[name] = this.expandString(isObject(o) ? o.value : o, { github: toData(this.github), inputs: this.inputsContext(), vars: toData(this.opts.vars ?? {}), jobs: jobsCtx }, [], where);
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
        const d = this.expand(def.default, { github: toData(this.github), inputs: toData(inputs), vars: toData(this.opts.vars ?? {}) }, [], `${this.name}: on.workflow_call.inputs.${k}.default`);
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

  private async runJob(id: string, def: Y): Promise<JobRun[]> {
    const where = `${this.name}: jobs.${id}`;
    checkKeys(
      def,
      ['name', 'needs', 'if', 'runs-on', 'timeout-minutes', 'permissions', 'outputs', 'steps', 'env', 'defaults', 'concurrency', 'environment', 'strategy'],
      where,
    );
    if (!Array.isArray(def.steps)) throw new WorkflowError(`${where}: no steps (a job that calls a reusable workflow is not supported)`);
    const needs = needsOf(def);
    const base = { github: toData(this.github), inputs: this.inputsContext(), vars: toData(this.opts.vars ?? {}), needs: this.needsContext(id, needs) };

    const skipped = (reason: string): JobRun[] => {
      this.log(`job ${id}: skipped (${reason})`);
      return [
        { id, key: id, name: typeof def.name === 'string' ? def.name : id, result: 'skipped', skippedReason: reason, outputs: {}, steps: [], summary: '', annotations: [], permissions: def.permissions, workspace: '', runnerTemp: '' },
      ];
    };
    if (this.opts.skipJobs?.[id]) return skipped(`skipped by the test: ${this.opts.skipJobs[id]}`);
    const ifValue = def.if;
    const run = this.condition(ifValue, base, this.statusFunctions('job', undefined, needs), `${where}.if`);
    if (!run) {
      const notOk = needs.filter((n) => aggregate(this.jobsDone.get(n) ?? []) !== 'success');
      const implicit = !hasStatusFunction(String(ifValue ?? ''));
      const needsNote = notOk.map((n) => `${n}=${aggregate(this.jobsDone.get(n) ?? [])}`).join(', ');
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
      const m = this.expand(strategy.matrix, base, [], `${where}.strategy.matrix`);
      const mjs = typeof strategy.matrix === 'string' ? fromData(m) : expandMatrixValues(strategy.matrix, (v, w) => fromData(this.expand(v, base, [], w)), `${where}.strategy.matrix`);
      if (!isObject(mjs)) throw new WorkflowError(`${where}.strategy.matrix: expected a mapping`);
      combos = expandMatrix(mjs, `${where}.strategy.matrix`);
    }
    await this.opts.beforeJob?.(id);
    // A key some combinations lack (added by include) reads as '' in the others, as on GitHub: no defect.
    const matrixKeys = new Set(combos.flatMap((c) => Object.keys(c ?? {})));
    const runs: JobRun[] = [];
    for (let i = 0; i < combos.length; i++) {
      runs.push(await this.runJobInstance(id, def, combos[i], i, combos.length, strategy, needs, matrixKeys));
    }
    return runs;
  }

  private async runJobInstance(
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
    const where = `${this.name}: jobs.${key}`;
    const matrixCtx = new Tracked((k) => matrixKeys.has(k) || this.record('unknown-matrix-key', `matrix.${k}`), Object.fromEntries(Object.entries(matrix ?? {}).map(([k, v]) => [k, toData(v)])));
    const strategyCtx = toData({ 'fail-fast': strategy['fail-fast'] ?? true, 'job-index': index, 'job-total': total, 'max-parallel': strategy['max-parallel'] ?? total });
    const jobBase = { github: toData(this.github), inputs: this.inputsContext(), vars: toData(this.opts.vars ?? {}), needs: this.needsContext(id, needs), strategy: strategyCtx, matrix: matrixCtx };
    const name = def.name !== undefined ? this.expandString(def.name, jobBase, [], `${where}.name`) : key;
    this.expandString(def['runs-on'], jobBase, [], `${where}.runs-on`);
    const timeout = def['timeout-minutes'] !== undefined ? Number(fromData(this.expand(def['timeout-minutes'], jobBase, [], `${where}.timeout-minutes`))) : 360;
    if (!Number.isFinite(timeout) || timeout <= 0) throw new WorkflowError(`${where}.timeout-minutes: not a positive number`);
    if (typeof def.concurrency === 'string') this.expandString(def.concurrency, jobBase, [], `${where}.concurrency`);
    else if (isObject(def.concurrency)) {
      checkKeys(def.concurrency, ['group', 'cancel-in-progress'], `${where}.concurrency`);
      this.expandString(def.concurrency.group, jobBase, [], `${where}.concurrency.group`);
    }

    const dirKey = key.replace(/[^\w.-]+/g, '_');
    const jobDir = mkdtempSync(path.join(this.workDir, `job-${dirKey}-`));
    const repoName = (this.github.repository as string).split('/')[1]!;
    const workspace = path.join(jobDir, 'work', repoName);
    const runnerTemp = path.join(jobDir, 'temp');
    mkdirSync(workspace, { recursive: true });
    mkdirSync(runnerTemp, { recursive: true });
    const github = { ...this.github, job: id, workspace };
    const job: JobRun = { id, key, name, result: 'success', outputs: {}, steps: [], summary: '', annotations: [], permissions: def.permissions, workspace, runnerTemp };
    if (matrix) job.matrix = matrix;
    this.log(`job ${key}: started (${name})`);

    const runnerCtx = toData({ os: 'Linux', arch: 'X64', name: 'local-runner', temp: runnerTemp, tool_cache: path.join(this.workDir, 'toolcache'), debug: '', environment: 'github-hosted' });
    const envBase = { ...jobBase, github: toData(github), secrets: this.secretsContext() };
    const jobEnv = this.expandMap(def.env, envBase, [], `${where}.env`);
    const defaults: Record<string, string> = {};
    for (const d of [this.wf.defaults, def.defaults]) {
      if (!isObject(d)) continue;
      checkKeys(d, ['run'], `${where}.defaults`);
      if (isObject(d.run)) {
        checkKeys(d.run, ['shell', 'working-directory'], `${where}.defaults.run`);
        Object.assign(defaults, this.expandMap(d.run, { ...jobBase, github: toData(github), env: toData({ ...this.workflowEnv, ...jobEnv }) }, [], `${where}.defaults.run`));
      }
    }
    const st: JobState = {
      job,
      def,
      where,
      contextsBase: { ...jobBase, github: toData(github), runner: runnerCtx },
      globalEnv: { ...this.workflowEnv, ...jobEnv },
      path: [],
      masks: [...this.secretValues],
      stepData: new Map(),
      failed: false,
      deadline: Date.now() + timeout * 60_000,
    };

    const steps = def.steps as unknown[];
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      if (!isObject(s)) throw new WorkflowError(`${where}.steps[${i}]: not a mapping`);
      const stepRun = await this.runStep(st, s, i, defaults);
      job.steps.push(stepRun);
      job.annotations.push(...stepRun.annotations);
      if (stepRun.summary) job.summary += (job.summary && !job.summary.endsWith('\n') ? '\n' : '') + stepRun.summary;
      if (stepRun.conclusion === 'failure') st.failed = true;
    }
    job.result = st.failed ? 'failure' : 'success';

    const outCtx = { ...st.contextsBase, secrets: this.secretsContext(), env: toData(st.globalEnv), steps: this.stepsContext(st), job: toData({ status: job.result }) };
    if (def.outputs !== undefined) {
      if (!isObject(def.outputs)) throw new WorkflowError(`${where}.outputs: expected a mapping`);
      for (const [k, v] of Object.entries(def.outputs)) {
        const value = this.expandString(v, outCtx, [], `${where}.outputs.${k}`);
        // GitHub leaves out a job output that holds a secret (with a warning), and keeps empty ones out of needs.
        if (st.masks.some((m) => m && value.includes(m))) {
          this.log(`job ${key}: output ${k} holds a secret: left out, as GitHub does`);
          continue;
        }
        job.outputs[k] = value;
      }
    }
    if (def.environment !== undefined) {
      const envDef = def.environment;
      if (typeof envDef === 'string') job.environment = { name: this.expandString(envDef, jobBase, [], `${where}.environment`), url: '' };
      else if (isObject(envDef)) {
        checkKeys(envDef, ['name', 'url'], `${where}.environment`);
        job.environment = {
          name: this.expandString(envDef.name, jobBase, [], `${where}.environment.name`),
          url: this.expandString(envDef.url, outCtx, [], `${where}.environment.url`),
        };
      }
    }
    this.log(`job ${key}: ${job.result}`);
    return job;
  }

  private async runStep(st: JobState, s: Y, index: number, defaults: Record<string, string>): Promise<StepRun> {
    const label = `${st.where}.steps[${index}]${typeof s.name === 'string' ? ` "${s.name}"` : ''}${typeof s.id === 'string' ? ` (id ${s.id})` : ''}`;
    checkKeys(s, ['id', 'name', 'if', 'uses', 'with', 'run', 'shell', 'env', 'working-directory', 'continue-on-error', 'timeout-minutes'], label);
    if ((s.uses === undefined) === (s.run === undefined)) throw new WorkflowError(`${label}: a step needs exactly one of uses and run`);
    const id = typeof s.id === 'string' ? s.id : undefined;
    const ws = st.job.workspace;
    const fns = [this.hashFiles(ws)];
    const ctx = (extraEnv: Record<string, string> = {}) => ({
      ...st.contextsBase,
      env: toData({ ...st.globalEnv, ...extraEnv }),
      steps: this.stepsContext(st),
      job: toData({ status: st.failed ? 'failure' : 'success', container: {}, services: {} }),
    });
    const withSecrets = (extraEnv: Record<string, string> = {}) => ({ ...ctx(extraEnv), secrets: this.secretsContext() });
    const displayName = s.name !== undefined ? this.expandString(s.name, withSecrets(), fns, `${label}.name`) : typeof s.uses === 'string' ? `Run ${s.uses}` : `Run ${String(s.run).split('\n')[0]}`;
    const run: StepRun = { index, name: displayName, outcome: 'success', conclusion: 'success', outputs: {}, log: '', annotations: [], droppedAnnotations: 0, summary: '' };
    if (id) run.id = id;
    if (typeof s.uses === 'string') run.uses = s.uses;

    const go = this.condition(s.if, ctx(), [...fns, ...this.statusFunctions('step', st, [])], `${label}.if`);
    if (!go) {
      run.outcome = 'skipped';
      run.conclusion = 'skipped';
      run.skippedReason = s.if === undefined ? 'an earlier step failed' : `if: ${String(s.if).trim()} was false`;
      if (id) st.stepData.set(id, { outputs: {}, outcome: 'skipped', conclusion: 'skipped', skipped: true, ...(run.uses ? { uses: run.uses } : {}) });
      this.log(`  step ${displayName}: skipped (${run.skippedReason})`);
      return run;
    }

    const stepEnv = this.expandMap(s.env, withSecrets(), fns, `${label}.env`);
    const env = { ...st.globalEnv, ...stepEnv };
    const full = withSecrets(stepEnv);
    const continueOnError = s['continue-on-error'] === undefined ? false : truthy(this.expand(s['continue-on-error'], full, fns, `${label}.continue-on-error`));
    const stepTimeout = s['timeout-minutes'] === undefined ? undefined : Number(fromData(this.expand(s['timeout-minutes'], full, fns, `${label}.timeout-minutes`)));
    const deadline = Math.min(st.deadline, stepTimeout ? Date.now() + stepTimeout * 60_000 : Infinity);

    // Per step: fresh file-command files, as the runner makes them.
    const files = {
      output: path.join(st.job.runnerTemp, '_runner_file_commands', `set_output_${randomUUID()}`),
      env: path.join(st.job.runnerTemp, '_runner_file_commands', `set_env_${randomUUID()}`),
      path: path.join(st.job.runnerTemp, '_runner_file_commands', `add_path_${randomUUID()}`),
      state: path.join(st.job.runnerTemp, '_runner_file_commands', `save_state_${randomUUID()}`),
      summary: path.join(st.job.runnerTemp, '_runner_file_commands', `step_summary_${randomUUID()}`),
    };
    mkdirSync(path.dirname(files.output), { recursive: true });
    for (const f of Object.values(files)) writeFileSync(f, '');

    const cmd: CommandState = { masks: st.masks, annotations: [], counts: {}, dropped: 0 };
    let ok = true;
    let declared: Set<string> | undefined;
    const runnerEnv = (): Record<string, string> => ({
      ...(this.opts.env ?? {}),
      PATH: [...st.path, this.toolDir, this.opts.env?.PATH ?? process.env.PATH ?? '/usr/bin:/bin'].join(':'),
      HOME: this.opts.env?.HOME ?? process.env.HOME ?? st.job.runnerTemp,
      ...env,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: ws,
      GITHUB_EVENT_PATH: this.eventPath,
      GITHUB_EVENT_NAME: String(this.github.event_name),
      GITHUB_REPOSITORY: String(this.github.repository),
      GITHUB_REPOSITORY_OWNER: String(this.github.repository_owner),
      GITHUB_REPOSITORY_ID: '1',
      GITHUB_SHA: String(this.github.sha),
      GITHUB_REF: String(this.github.ref),
      GITHUB_REF_NAME: String(this.github.ref_name),
      GITHUB_REF_TYPE: String(this.github.ref_type),
      GITHUB_REF_PROTECTED: 'false',
      GITHUB_HEAD_REF: String(this.github.head_ref ?? ''),
      GITHUB_BASE_REF: String(this.github.base_ref ?? ''),
      GITHUB_SERVER_URL: String(this.github.server_url),
      GITHUB_API_URL: String(this.github.api_url),
      GITHUB_GRAPHQL_URL: String(this.github.graphql_url),
      GITHUB_RUN_ID: String(this.github.run_id),
      GITHUB_RUN_NUMBER: String(this.github.run_number),
      GITHUB_RUN_ATTEMPT: String(this.github.run_attempt),
      GITHUB_RETENTION_DAYS: '90',
      GITHUB_ACTOR: String(this.github.actor),
      GITHUB_TRIGGERING_ACTOR: String(this.github.triggering_actor),
      GITHUB_WORKFLOW: String(this.github.workflow),
      GITHUB_WORKFLOW_REF: String(this.github.workflow_ref),
      GITHUB_JOB: st.job.id,
      GITHUB_ACTION: id ?? `__run_${index}`,
      GITHUB_OUTPUT: files.output,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STATE: files.state,
      GITHUB_STEP_SUMMARY: files.summary,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'local-runner',
      RUNNER_ENVIRONMENT: 'github-hosted',
      RUNNER_TEMP: st.job.runnerTemp,
      RUNNER_TOOL_CACHE: path.join(this.workDir, 'toolcache'),
    });

    if (typeof s.run === 'string') {
      if (s.with !== undefined) throw new WorkflowError(`${label}: with: on a run step`);
      const script = this.expandString(s.run, full, fns, `${label}.run`);
      const shell = s.shell !== undefined ? this.expandString(s.shell, full, fns, `${label}.shell`) : defaults.shell;
      let argv: string[];
      if (shell === undefined) argv = this.opts.defaultShell === 'pipefail' ? ['bash', '--noprofile', '--norc', '-eo', 'pipefail'] : ['bash', '-e'];
      else if (shell === 'bash') argv = ['bash', '--noprofile', '--norc', '-eo', 'pipefail'];
      else if (shell === 'sh') argv = ['sh', '-e'];
      else throw new WorkflowError(`${label}: shell '${shell}' is not supported by the local runner (bash, sh)`);
      const wd = s['working-directory'] !== undefined ? this.expandString(s['working-directory'], full, fns, `${label}.working-directory`) : defaults['working-directory'];
      const cwd = wd ? path.resolve(ws, wd) : ws;
      const scriptFile = path.join(st.job.runnerTemp, `${randomUUID()}.sh`);
      writeFileSync(scriptFile, script);
      this.log(`  step ${displayName}: run (${argv.join(' ')}${wd ? `, in ${wd}` : ''})`);
      if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
        run.log = `An error occurred trying to start process '/usr/bin/bash' with working directory '${cwd}'. No such file or directory`;
        cmd.annotations.push({ level: 'error', message: run.log });
        ok = false;
        run.exitCode = null;
      } else {
        const r = await this.spawnStep(argv[0]!, [...argv.slice(1), scriptFile], cwd, runnerEnv(), cmd, deadline);
        run.log = r.log;
        run.exitCode = r.code;
        if (r.code !== 0) {
          ok = false;
          cmd.annotations.push({ level: 'error', message: r.timedOut ? 'The action has timed out.' : `Process completed with exit code ${r.code}.` });
        }
      }
    } else {
      const uses = (s.uses as string).trim();
      const withValues = this.expandMap(s.with, full, fns, `${label}.with`);
      const action = this.resolveAction(uses, ws, label);
      if (action.kind === 'stand-in') {
        const si = action.standIn;
        for (const k of Object.keys(withValues)) {
          if (!si.inputs.includes(k)) throw new WorkflowError(`${label}: the local stand-in for ${uses} does not implement input '${k}' (it implements: ${si.inputs.join(', ') || 'none'})`);
        }
        if (si.outputs) declared = new Set(si.outputs);
        this.log(`  step ${displayName}: ${uses} (local stand-in)`);
        const logLines: string[] = [];
        try {
          const r = await si.run({
            with: withValues,
            job: st.job,
            step: { name: displayName, ...(id ? { id } : {}) },
            github: { ...this.github, job: st.job.id, workspace: ws },
            workspace: ws,
            runnerTemp: st.job.runnerTemp,
            artifactsDir: this.artifactsDir,
            origin: this.opts.origin,
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
        this.log(`  step ${displayName}: ${uses}: ${action.message}`);
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
          else if (isObject(d) && d.default !== undefined) v = this.expandString(d.default, defaultCtx, fns, `${action.file}: inputs.${k}.default (for ${label})`);
          else if (isObject(d) && (d.required === true || d.required === 'true')) {
            cmd.annotations.push({ level: 'warning', message: `Input required and not supplied: ${k}` });
          }
          if (v !== undefined) inputEnv[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
        }
        for (const [k, v] of Object.entries(withValues)) if (!inputsDef[k]) inputEnv[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
        const main = path.resolve(action.dir, String(runs.main));
        this.log(`  step ${displayName}: ${uses} (node ${path.relative(this.actionsRoot, main)})`);
        if (!existsSync(main)) {
          ok = false;
          run.log = `File not found: '${main}'`;
          cmd.annotations.push({ level: 'error', message: run.log });
        } else {
          const envAll = { ...runnerEnv(), ...inputEnv, GITHUB_ACTION_PATH: action.dir, GITHUB_ACTION_REPOSITORY: action.repository };
          const r = await this.spawnStep(this.opts.nodeBinary ?? process.execPath, [main], ws, envAll, cmd, deadline);
          run.log = r.log;
          run.exitCode = r.code;
          if (r.code !== 0) {
            ok = false;
            if (r.timedOut) cmd.annotations.push({ level: 'error', message: 'The action has timed out.' });
          }
        }
      }
    }

    // File commands, read after the step as the runner reads them.
    try {
      if (!run.uses || !this.isStandIn(run.uses)) run.outputs = { ...run.outputs, ...parseEnvFile(readFileSync(files.output, 'utf8'), 'output') };
      const setEnv = parseEnvFile(readFileSync(files.env, 'utf8'), 'env');
      for (const [k, v] of Object.entries(setEnv)) {
        if (k.toUpperCase() === 'NODE_OPTIONS') {
          cmd.annotations.push({ level: 'error', message: "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command." });
          continue;
        }
        st.globalEnv[k] = v;
      }
      const added = readFileSync(files.path, 'utf8').split('\n').filter((l) => l.trim() !== '');
      st.path.unshift(...added.reverse());
      parseEnvFile(readFileSync(files.state, 'utf8'), 'state');
    } catch (e) {
      ok = false;
      cmd.annotations.push({ level: 'error', message: msg(e) });
    }
    const summary = readFileSync(files.summary, 'utf8');
    if (Buffer.byteLength(summary) > 1024 * 1024) {
      cmd.annotations.push({ level: 'error', message: `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k, got ${Math.ceil(Buffer.byteLength(summary) / 1024)}k` });
    } else {
      run.summary = mask(summary, st.masks);
    }
    run.log = mask(run.log, st.masks);
    run.annotations = cmd.annotations.map((a) => ({ ...a, message: mask(a.message, st.masks) }));
    run.droppedAnnotations = cmd.dropped;
    run.outcome = ok ? 'success' : 'failure';
    run.conclusion = ok || continueOnError ? 'success' : 'failure';
    if (id) st.stepData.set(id, { outputs: run.outputs, outcome: run.outcome, conclusion: run.conclusion, skipped: false, ...(run.uses ? { uses: run.uses } : {}), ...(declared ? { declared } : {}) });
    this.log(`    ${run.outcome}${run.outcome !== run.conclusion ? ` (continue-on-error: ${run.conclusion})` : ''}${run.exitCode !== undefined ? `, exit ${run.exitCode}` : ''}`);
    for (const a of run.annotations) this.log(`    ${a.level}${a.file ? ` ${a.file}${a.line ? `:${a.line}` : ''}` : ''}: ${a.message.split('\n')[0]}`);
    if (!ok) for (const l of run.log.split('\n').slice(-15)) this.log(`    | ${l}`);
    return run;
  }

  private isStandIn(uses: string): boolean {
    return !uses.startsWith('$/') && !uses.startsWith('./') && this.standInFor(uses) !== undefined;
  }
  private standInFor(uses: string): StandIn | undefined {
    const bare = uses.replace(/@.*$/, '');
    return this.opts.standIns?.[bare] ?? STAND_INS[bare];
  }

  private resolveAction(
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
      dir = path.join(this.actionsRoot, uses.slice(2));
      repository = this.opts.ownRepository ?? 'OWNER/api-delivery-actions';
    } else if (uses.startsWith('./')) {
      // Resolved in the caller's checkout (the workspace), as GitHub does: not in the workflow's repository.
      dir = path.join(workspace, uses.slice(2));
    } else {
      const m = /^([^/@]+\/[^/@]+)(\/[^@]*)?@(.+)$/.exec(uses);
      if (!m) throw new WorkflowError(`${label}: '${uses}' is not an action reference (owner/repo[/path]@ref, ./path or $/path)`);
      if (this.opts.ownRepository && m[1] === this.opts.ownRepository) {
        dir = path.join(this.actionsRoot, (m[2] ?? '').replace(/^\//, ''));
        repository = m[1];
      } else {
        const si = this.standInFor(uses);
        if (!si) throw new WorkflowError(`${label}: ${uses}: no local stand-in for this action (the local runner runs only this repository's actions and the stand-ins for ${Object.keys({ ...STAND_INS, ...this.opts.standIns }).join(', ')})`);
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
    return { kind: 'node', def, dir, file: path.relative(this.actionsRoot, file), repository };
  }

  private spawnStep(
    cmd: string,
    args: string[],
    cwd: string,
    env: Record<string, string>,
    st: CommandState,
    deadline: number,
  ): Promise<{ code: number | null; log: string; timedOut: boolean }> {
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const out: string[] = [];
      const buffers = { out: '', err: '' };
      const feed = (which: 'out' | 'err', chunk: string, flush = false) => {
        buffers[which] += chunk;
        const parts = buffers[which].split('\n');
        buffers[which] = flush ? '' : parts.pop()!;
        for (const l of parts) if (!(flush && l === '')) out.push(processLine(l, st));
      };
      child.stdout.setEncoding('utf8').on('data', (d: string) => feed('out', d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => feed('err', d));
      let timedOut = false;
      const ms = deadline - Date.now();
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        feed('out', '', true);
        feed('err', '', true);
        // The runner ends what a step left running in its process group (a provider started in the background).
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
        resolve({ code: timedOut ? null : code, log: out.join('\n'), timedOut });
      });
    });
  }
}

/** Whether an if: calls success(), failure(), always() or cancelled() (else GitHub prefixes success() &&). */
function hasStatusFunction(expr: string): boolean {
  let tokens;
  try {
    tokens = new Lexer(expr).lex().tokens;
  } catch {
    return false;
  }
  return tokens.some((t, i) => STATUS_FUNCTIONS.includes(t.lexeme.toLowerCase()) && tokens[i + 1]?.lexeme === '(');
}

function needsOf(job: Y): string[] {
  return typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs.map(String) : [];
}

/** A job's result over its matrix runs: failure if any failed, skipped if all skipped. */
function aggregate(runs: JobRun[]): Result {
  if (runs.length === 0) return 'skipped';
  if (runs.some((r) => r.result === 'failure')) return 'failure';
  if (runs.some((r) => r.result === 'cancelled')) return 'cancelled';
  if (runs.every((r) => r.result === 'skipped')) return 'skipped';
  return 'success';
}

function expandMatrixValues(m: unknown, ev: (v: unknown, where: string) => unknown, where: string): unknown {
  if (typeof m === 'string') return ev(m, where);
  if (Array.isArray(m)) return m.map((v, i) => expandMatrixValues(v, ev, `${where}[${i}]`));
  if (isObject(m)) return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, expandMatrixValues(v, ev, `${where}.${k}`)]));
  return m;
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

// ---------------------------------------------------------------- stand-ins for third-party actions

const bool = (v: string | undefined, dflt: boolean) => (v === undefined || v === '' ? dflt : v === 'true');

/** actions/checkout: a clone of the caller's repository into the workspace at the event's ref. */
const checkout: StandIn = {
  inputs: ['repository', 'ref', 'fetch-depth', 'fetch-tags', 'persist-credentials', 'clean', 'token', 'lfs', 'submodules', 'show-progress'],
  outputs: ['ref', 'commit'],
  async run(c) {
    const w = c.with;
    if (w.repository && w.repository !== c.github.repository) throw new WorkflowError(`actions/checkout stand-in: repository '${w.repository}' is not the caller's (${String(c.github.repository)})`);
    if (bool(w.lfs, false) || (w.submodules && w.submodules !== 'false')) throw new WorkflowError('actions/checkout stand-in: lfs and submodules are not implemented');
    const depth = w['fetch-depth'] === undefined || w['fetch-depth'] === '' ? 1 : Number(w['fetch-depth']);
    if (!Number.isInteger(depth) || depth < 0) throw new Error(`The input 'fetch-depth' must be a number: '${w['fetch-depth']}'`);
    const origin = c.origin;
    // What to check out: the ref input (a branch, tag, ref or sha), else the event's ref and sha.
    let ref = w.ref || String(c.github.ref);
    let sha = w.ref ? '' : String(c.github.sha);
    if (w.ref) {
      if (/^[0-9a-f]{40}$/.test(ref)) sha = ref;
      else {
        const candidates = ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
        const found = candidates.find((r) => git(origin, ['rev-parse', '--verify', '--quiet', `${r}^{commit}`], true));
        if (!found) {
          c.log(`##[error]A branch or tag with the name '${ref}' could not be found`);
          c.annotate({ level: 'error', message: `A branch or tag with the name '${ref}' could not be found` });
          return { ok: false };
        }
        ref = found;
        sha = git(origin, ['rev-parse', `${found}^{commit}`]);
      }
    }
    const ws = c.workspace;
    rmSync(ws, { recursive: true, force: true });
    mkdirSync(ws, { recursive: true });
    git(ws, ['init', '-q']);
    git(ws, ['remote', 'add', 'origin', `file://${origin}`]);
    const depthArgs = depth > 0 ? [`--depth=${depth}`] : [];
    const refspecs: string[] = [];
    let local: string;
    if (depth === 0) refspecs.push('+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*');
    else if (bool(w['fetch-tags'], false)) refspecs.push('+refs/tags/*:refs/tags/*');
    if (ref.startsWith('refs/heads/')) {
      local = `refs/remotes/origin/${ref.slice('refs/heads/'.length)}`;
      // With full history the remote-tracking branches are fetched already.
      if (depth > 0) refspecs.push(`+${sha}:${local}`);
    } else if (ref.startsWith('refs/tags/')) {
      local = ref;
      if (depth > 0 || !refspecs.includes('+refs/tags/*:refs/tags/*')) refspecs.push(`+${ref}:${ref}`);
    } else if (ref.startsWith('refs/pull/')) {
      local = `refs/remotes/pull/${ref.slice('refs/pull/'.length)}`;
      refspecs.push(`+${sha}:${local}`);
    } else {
      local = sha;
      refspecs.push(sha);
    }
    git(ws, ['-c', 'protocol.version=2', 'fetch', '--no-tags', '--prune', '--no-recurse-submodules', ...depthArgs, 'origin', ...refspecs]);
    if (ref.startsWith('refs/heads/')) git(ws, ['checkout', '-q', '--force', '-B', ref.slice('refs/heads/'.length), local]);
    else git(ws, ['checkout', '-q', '--force', '--detach', sha]);
    c.log(`checked out ${ref} (${sha.slice(0, 7)}) with fetch-depth ${depth} from ${origin}`);
    return { ok: true, outputs: { ref, commit: sha } };
  },
};

const setupNode: StandIn = {
  inputs: ['node-version', 'node-version-file', 'cache', 'cache-dependency-path', 'registry-url', 'check-latest', 'architecture'],
  outputs: ['node-version', 'cache-hit'],
  async run(c) {
    c.log(`actions/setup-node stand-in: no install; the runner's Node ${process.version} is on PATH (asked for ${c.with['node-version'] || c.with['node-version-file'] || 'any'})`);
    return { ok: true, outputs: { 'node-version': process.version, 'cache-hit': 'false' } };
  },
};

/** Paths of an upload: absolute or relative to the workspace; one per line. */
function uploadPaths(spec: string, ws: string): string[] {
  const paths = spec
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of paths) {
    if (/[*?[\]!]/.test(p)) throw new WorkflowError(`actions/upload-artifact stand-in: wildcards and exclusions ('${p}') are not implemented`);
  }
  return paths.map((p) => path.resolve(ws, p));
}

const uploadArtifact: StandIn = {
  inputs: ['name', 'path', 'if-no-files-found', 'retention-days', 'compression-level', 'overwrite', 'include-hidden-files'],
  outputs: ['artifact-id', 'artifact-url', 'artifact-digest'],
  async run(c) {
    const name = c.with.name || 'artifact';
    const paths = uploadPaths(c.with.path ?? '', c.workspace);
    const found = paths.filter((p) => existsSync(p));
    const mode = c.with['if-no-files-found'] || 'warn';
    if (found.length === 0) {
      const text = `No files were found with the provided path: ${(c.with.path ?? '').trim()}. No artifacts will be uploaded.`;
      if (mode === 'error') {
        c.annotate({ level: 'error', message: text });
        return { ok: false };
      }
      if (mode === 'warn') c.annotate({ level: 'warning', message: text });
      c.log(text);
      return { ok: true };
    }
    const dest = path.join(c.artifactsDir, name);
    if (existsSync(dest)) {
      if (!bool(c.with.overwrite, false)) {
        const text = 'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run';
        c.annotate({ level: 'error', message: text });
        return { ok: false };
      }
      rmSync(dest, { recursive: true, force: true });
    }
    // Stored relative to the paths' least common ancestor, as upload-artifact v4 does.
    const dirs = found.map((p) => (statSync(p).isDirectory() ? p : path.dirname(p)));
    let root = dirs[0]!;
    while (!dirs.every((d) => d === root || d.startsWith(`${root}${path.sep}`))) root = path.dirname(root);
    for (const p of found) cpSync(p, path.join(dest, path.relative(root, p) || path.basename(p)), { recursive: true });
    c.log(`artifact ${name}: ${found.map((p) => path.relative(root, p) || path.basename(p)).join(', ')}`);
    return { ok: true, outputs: { 'artifact-id': String(readdirSync(c.artifactsDir).length), 'artifact-url': `https://github.com/${String(c.github.repository)}/actions/runs/${String(c.github.run_id)}/artifacts/${name}`, 'artifact-digest': '' } };
  },
};

const downloadArtifact: StandIn = {
  inputs: ['name', 'path', 'pattern', 'merge-multiple', 'github-token', 'repository', 'run-id'],
  outputs: ['download-path'],
  async run(c) {
    if (c.with.pattern || c.with['run-id'] || c.with.repository) throw new WorkflowError('actions/download-artifact stand-in: pattern, run-id and repository are not implemented');
    if (!c.with.name) throw new WorkflowError('actions/download-artifact stand-in: downloading every artifact (no name) is not implemented');
    const src = path.join(c.artifactsDir, c.with.name);
    if (!existsSync(src)) {
      c.annotate({ level: 'error', message: `Unable to download artifact(s): Artifact not found for name: ${c.with.name}` });
      return { ok: false };
    }
    const dest = path.resolve(c.workspace, c.with.path || '.');
    cpSync(src, dest, { recursive: true });
    return { ok: true, outputs: { 'download-path': dest } };
  },
};

const uploadPagesArtifact: StandIn = {
  inputs: ['path', 'name', 'retention-days'],
  outputs: ['artifact_id'],
  async run(c) {
    const src = path.resolve(c.workspace, c.with.path || '_site/');
    if (!existsSync(src) || !statSync(src).isDirectory()) {
      c.annotate({ level: 'error', message: `tar: ${c.with.path || '_site/'}: Cannot open: No such file or directory` });
      return { ok: false };
    }
    const dest = path.join(c.artifactsDir, c.with.name || 'github-pages');
    if (existsSync(dest)) {
      c.annotate({ level: 'error', message: 'Failed to CreateArtifact: (409) Conflict: an artifact with this name already exists on the workflow run' });
      return { ok: false };
    }
    cpSync(src, dest, { recursive: true });
    c.log(`pages artifact ${path.basename(dest)}: ${readdirSync(src).length} entries from ${src}`);
    return { ok: true, outputs: { artifact_id: '1' } };
  },
};

/** actions/deploy-pages: checks the permissions and the artifact it needs; deploys nothing. */
const deployPages: StandIn = {
  inputs: ['token', 'timeout', 'error_count', 'reporting_interval', 'artifact_name', 'preview'],
  outputs: ['page_url'],
  async run(c) {
    const perms = isObject(c.job.permissions) ? c.job.permissions : {};
    for (const [k, v] of [['pages', 'write'], ['id-token', 'write']] as const) {
      if (perms[k] !== v) {
        c.annotate({ level: 'error', message: `Ensure GITHUB_TOKEN has permission "${k}: ${v}".` });
        return { ok: false };
      }
    }
    const name = c.with.artifact_name || 'github-pages';
    if (!existsSync(path.join(c.artifactsDir, name))) {
      c.annotate({ level: 'error', message: `No artifacts named "${name}" were found for this workflow run. Ensure artifacts are uploaded with actions/upload-pages-artifact.` });
      return { ok: false };
    }
    const [owner, repo] = String(c.github.repository).split('/');
    c.log(`actions/deploy-pages stand-in: artifact ${name} found; nothing deployed`);
    return { ok: true, outputs: { page_url: `https://${owner}.github.io/${repo}/` } };
  },
};

const STAND_INS: Record<string, StandIn> = {
  'actions/checkout': checkout,
  'actions/setup-node': setupNode,
  'actions/upload-artifact': uploadArtifact,
  'actions/download-artifact': downloadArtifact,
  'actions/upload-pages-artifact': uploadPagesArtifact,
  'actions/deploy-pages': deployPages,
};
