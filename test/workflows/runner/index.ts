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
 * - third-party actions get local stand-ins (see stand-ins.ts): actions/checkout (a clone of the caller's
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
 *
 * The modules: workflow.ts (a run: the workflow, its inputs, secrets and outputs), jobs.ts (needs order,
 * matrix, each run of a job), steps.ts (a step, and `run:` scripts), actions.ts (`uses:` steps: node
 * actions and stand-ins), stand-ins.ts (the third-party actions), file-commands.ts (the runner's
 * variables and file commands), workflow-commands.ts (a step's process, workflow commands, masking),
 * expressions.ts and contexts.ts (`${{ }}` and `if:`), model.ts (the public types), git.ts.
 */
export { parseEnvFile } from './file-commands.js';
export {
  WorkflowError,
  type Annotation,
  type Event,
  type JobRun,
  type Read,
  type Result,
  type RunnerOptions,
  type StandIn,
  type StandInContext,
  type StepRun,
  type WorkflowRun,
} from './model.js';
export { REPO_ROOT, runWorkflow } from './workflow.js';
