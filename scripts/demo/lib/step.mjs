// The simulated runner every demo uses: a gate's committed bundle run as a step, with the inputs
// filled from its action.yml defaults (as the runner does), INPUT_* variables, and GITHUB_OUTPUT /
// GITHUB_STEP_SUMMARY files read back afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

function defaultsOf(gate) {
  const { inputs } = parseYaml(readFileSync(path.join(root, 'actions', gate, 'action.yml'), 'utf8'));
  // `${{ … }}` defaults are expressions only the runner can evaluate.
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.default === undefined || String(v.default).includes('${{') ? '' : String(v.default)]));
}

/** GITHUB_OUTPUT in the runner's format: `name=value` or `name<<DELIM` … `DELIM`. */
function parseOutputs(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^(.+?)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return out;
}

/**
 * Run `dist/<gate>/index.js` as a step. Asynchronous, so a server in this process answers while the
 * step runs. `inputs` override the action's defaults; `tmp` (the step's RUNNER_TEMP) is created here.
 */
export function runStep(gate, inputs = {}, { env = {}, onStdout } = {}) {
  const tmp = mkdtempSync(path.join(tmpdir(), `api-delivery-demo-${gate}-`));
  const stepEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: root,
    GITHUB_OUTPUT: path.join(tmp, 'github_output'),
    GITHUB_STEP_SUMMARY: path.join(tmp, 'step_summary'),
    RUNNER_TEMP: tmp,
    ...env,
  };
  writeFileSync(stepEnv.GITHUB_OUTPUT, '');
  writeFileSync(stepEnv.GITHUB_STEP_SUMMARY, '');
  const all = { ...defaultsOf(gate), ...(typeof inputs === 'function' ? inputs(tmp) : inputs) };
  for (const [k, v] of Object.entries(all)) stepEnv[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', gate, 'index.js')], { cwd: root, env: stepEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      onStdout?.(String(d));
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        tmp,
        outputs: parseOutputs(readFileSync(stepEnv.GITHUB_OUTPUT, 'utf8')),
        summary: readFileSync(stepEnv.GITHUB_STEP_SUMMARY, 'utf8'),
      }),
    );
  });
}

/** What a user sees of a step: its annotations, the job summary and the outputs. */
export function printStep(run, { annotations = 'all', summaryTitle = 'job summary (markdown)' } = {}) {
  const all = run.stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l));
  const shown = annotations === 'errors' ? all.filter((l) => l.startsWith('::error')) : all;
  console.log(`── ${annotations === 'errors' ? 'error annotations' : 'annotations'} (${shown.length}, as the runner shows them on the PR's files) ──`);
  for (const a of shown) console.log(a);
  console.log(`\n── ${summaryTitle} ──`);
  console.log(run.summary);
  console.log('── step outputs ──');
  for (const [k, v] of Object.entries(run.outputs)) console.log(`${k} = ${v}`);
}

/** A step that neither passed nor failed its gate (bad input, a crash) shows its output. */
export function judged(run) {
  const ok = run.code === 0 || run.code === 1;
  if (!ok) console.error(run.stderr || run.stdout);
  return ok;
}
