/**
 * The runner's side of a step's environment: the variables every step gets (GITHUB_*, RUNNER_*, PATH),
 * and the file commands, fresh files per step read after it as the runner reads them: GITHUB_OUTPUT,
 * GITHUB_ENV (NODE_OPTIONS refused), GITHUB_PATH, GITHUB_STATE and GITHUB_STEP_SUMMARY (over 1 MiB
 * dropped with an error).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isStandIn } from './actions.js';
import type { JobState } from './jobs.js';
import { msg, type StepRun } from './model.js';
import { mask, type CommandState } from './workflow-commands.js';
import type { LocalRunner } from './workflow.js';

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

/** Per step: fresh file-command files, as the runner makes them. */
export function newFileCommandFiles(runnerTemp: string) {
  const files = {
    output: path.join(runnerTemp, '_runner_file_commands', `set_output_${randomUUID()}`),
    env: path.join(runnerTemp, '_runner_file_commands', `set_env_${randomUUID()}`),
    path: path.join(runnerTemp, '_runner_file_commands', `add_path_${randomUUID()}`),
    state: path.join(runnerTemp, '_runner_file_commands', `save_state_${randomUUID()}`),
    summary: path.join(runnerTemp, '_runner_file_commands', `step_summary_${randomUUID()}`),
  };
  mkdirSync(path.dirname(files.output), { recursive: true });
  for (const f of Object.values(files)) writeFileSync(f, '');
  return files;
}

type Files = ReturnType<typeof newFileCommandFiles>;

/** The process environment of a step: the test's, the env: levels, then the runner's variables. */
export function runnerEnvironment(runner: LocalRunner, st: JobState, env: Record<string, string>, files: Files, id: string | undefined, index: number): Record<string, string> {
  return {
    ...(runner.opts.env ?? {}),
    PATH: [...st.path, runner.toolDir, runner.opts.env?.PATH ?? process.env.PATH ?? '/usr/bin:/bin'].join(':'),
    HOME: runner.opts.env?.HOME ?? process.env.HOME ?? st.job.runnerTemp,
    ...env,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: st.job.workspace,
    GITHUB_EVENT_PATH: runner.eventPath,
    GITHUB_EVENT_NAME: String(runner.github.event_name),
    GITHUB_REPOSITORY: String(runner.github.repository),
    GITHUB_REPOSITORY_OWNER: String(runner.github.repository_owner),
    GITHUB_REPOSITORY_ID: '1',
    GITHUB_SHA: String(runner.github.sha),
    GITHUB_REF: String(runner.github.ref),
    GITHUB_REF_NAME: String(runner.github.ref_name),
    GITHUB_REF_TYPE: String(runner.github.ref_type),
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_HEAD_REF: String(runner.github.head_ref ?? ''),
    GITHUB_BASE_REF: String(runner.github.base_ref ?? ''),
    GITHUB_SERVER_URL: String(runner.github.server_url),
    GITHUB_API_URL: String(runner.github.api_url),
    GITHUB_GRAPHQL_URL: String(runner.github.graphql_url),
    GITHUB_RUN_ID: String(runner.github.run_id),
    GITHUB_RUN_NUMBER: String(runner.github.run_number),
    GITHUB_RUN_ATTEMPT: String(runner.github.run_attempt),
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_ACTOR: String(runner.github.actor),
    GITHUB_TRIGGERING_ACTOR: String(runner.github.triggering_actor),
    GITHUB_WORKFLOW: String(runner.github.workflow),
    GITHUB_WORKFLOW_REF: String(runner.github.workflow_ref),
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
    RUNNER_TOOL_CACHE: path.join(runner.workDir, 'toolcache'),
  };
}

/** The file commands, read after the step as the runner reads them; false when one of them is invalid. */
export function readFileCommands(runner: LocalRunner, st: JobState, run: StepRun, files: Files, cmd: CommandState): boolean {
  let ok = true;
  try {
    if (!run.uses || !isStandIn(runner, run.uses)) run.outputs = { ...run.outputs, ...parseEnvFile(readFileSync(files.output, 'utf8'), 'output') };
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
  return ok;
}
