/**
 * A simulated GitHub runner for the action tests: a committed bundle `dist/<name>/index.js` runs
 * the way the runner runs it, with INPUT_* for every input (the defaults in action.yml filled in,
 * as the runner does), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY pointing at temp files, and the files,
 * stdout, stderr and exit code read back. No mocks.
 *
 * Importing this module registers an afterAll in the importing test file that removes every
 * directory made by tempDir() and runAction().
 */
import { afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

/** The repository root: the default GITHUB_WORKSPACE and the base of repo-relative paths. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp directory, removed after the test file. */
export function tempDir(prefix = 'action-test-'): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}

/** What the runner passes for inputs the workflow leaves out: the defaults in action.yml (repo-relative). */
export function defaultsOf(actionYml: string): Record<string, string> {
  const inputs = (parseYaml(readFileSync(path.resolve(root, actionYml), 'utf8')) as { inputs: Record<string, { default?: unknown }> }).inputs;
  const out: Record<string, string> = {};
  for (const [name, def] of Object.entries(inputs)) {
    // `${{ github.token }}` is an expression the runner would evaluate; there is no token here.
    out[name] = def.default == null || String(def.default).includes('${{') ? '' : String(def.default);
  }
  return out;
}

/** GITHUB_OUTPUT in the runner's format: `name=value` or `name<<DELIM` … `DELIM`. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: delimiter ${heredoc[2]} not found`);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else {
      const eq = line.indexOf('=');
      if (eq < 0) throw new Error(`GITHUB_OUTPUT: invalid line ${line}`);
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

export interface Run {
  code: number | null;
  /** stdout; with stderr interleaved unless mergeStderr is false. */
  stdout: string;
  /** stderr alone. */
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The step's RUNNER_TEMP. */
  tmp: string;
}

export interface StepOptions {
  /** The bundle to run, absolute or repo-relative (`dist/<name>/index.js`). */
  bundle: string;
  /** The action.yml, repo-relative, whose input defaults are filled in. */
  actionYml: string;
  inputs?: Record<string, string>;
  /** Added to (and overriding) the clean environment: PATH, HOME, GITHUB_WORKSPACE, … */
  env?: Record<string, string>;
  /** The step's working directory; default: its GITHUB_WORKSPACE. */
  cwd?: string;
  /** Interleave stderr into Run.stdout, as the runner's log does (default true). Run.stderr has it either way. */
  mergeStderr?: boolean;
  /** HOME is the step's own temp dir instead of the test process's HOME (default false). */
  isolateHome?: boolean;
  /**
   * Kill the step and fail after this long. The default stays under jest's 60 s testTimeout, so a
   * hung step fails with its own output instead of being left running behind a bare jest timeout.
   */
  timeoutMs?: number;
}

/**
 * Spawn a bundle as a step. Asynchronous on purpose: HTTP servers the tests start answer from this
 * process's event loop while the step runs.
 */
export function runAction(opts: StepOptions): Promise<Run> {
  const bundle = path.resolve(root, opts.bundle);
  const tmp = tempDir(`${path.basename(path.dirname(bundle))}-action-`);
  const files = { output: path.join(tmp, 'github_output'), summary: path.join(tmp, 'step_summary') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const env: Record<string, string> = {
    // A clean environment: nothing leaks in from a runner that happens to run these tests.
    PATH: process.env.PATH ?? '',
    HOME: opts.isolateHome ? tmp : (process.env.HOME ?? tmp),
    GITHUB_WORKSPACE: root,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: tmp,
    ...opts.env,
  };
  // @actions/core reads INPUT_<name with spaces as _, upper-cased>; dashes stay.
  for (const [k, v] of Object.entries({ ...defaultsOf(opts.actionYml), ...opts.inputs })) {
    env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  }
  const timeoutMs = opts.timeoutMs ?? 55_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle], { cwd: opts.cwd ?? env.GITHUB_WORKSPACE, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (opts.mergeStderr !== false) stdout += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${opts.bundle} did not finish within ${timeoutMs} ms; output so far:\n${stdout.slice(-4000)}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve({ code, stdout, stderr, outputs: parseOutputFile(readFileSync(files.output, 'utf8')), summary: readFileSync(files.summary, 'utf8'), tmp });
      } catch (err) {
        reject(err);
      }
    });
  });
}

/**
 * Workflow-command annotations on stdout, by type. By default both `::error file=…::msg` and the bare
 * `::error::msg` (setFailed's) count; `{ bare: false }` keeps only those with properties.
 */
export function annotations(stdout: string, { bare = true }: { bare?: boolean } = {}): Record<'error' | 'warning' | 'notice', string[]> {
  const lines = stdout.split('\n');
  const of = (t: string) => lines.filter((l) => l.startsWith(`::${t} `) || (bare && l.startsWith(`::${t}::`)));
  return { error: of('error'), warning: of('warning'), notice: of('notice') };
}
