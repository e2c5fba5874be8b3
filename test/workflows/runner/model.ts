/** What a run gives back and what it takes (the public types), and the helpers that read a workflow's YAML. */

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

// ---------------------------------------------------------------- reading the workflow's YAML

export type Y = Record<string, unknown>;
export const isObject = (v: unknown): v is Y => typeof v === 'object' && v !== null && !Array.isArray(v);
export const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function checkKeys(obj: Y, allowed: string[], where: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new WorkflowError(`${where}: '${k}' is not supported by the local runner (it supports: ${allowed.join(', ')})`);
  }
}

/** A job's `needs:`, as a list. */
export function needsOf(job: Y): string[] {
  return typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs.map(String) : [];
}
