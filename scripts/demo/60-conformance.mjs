// `npm run demo`: the conformance job (API test plan executor) against the example API, run the way
// the GitHub runner runs the action: the committed bundle, INPUT_* variables, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files printed afterwards. The Petstore server runs in this process on
// 127.0.0.1: first as built (full mode, stateful, with the example test plan: a clean pass), then
// with planted bugs (the findings, each with the curl line that reproduces it). No other network.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../examples/petstore/server.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bundle = path.join(root, 'dist/conformance/index.js');

function defaults() {
  const text = readFileSync(path.join(root, 'actions/conformance/action.yml'), 'utf8');
  const out = {};
  let current;
  for (const line of text.split('\n')) {
    const name = /^  ([a-z-]+):$/.exec(line);
    if (name) current = name[1];
    const def = /^    default: '(.*)'$/.exec(line);
    if (current && def) out[current] = def[1];
    if (/^outputs:/.test(line)) break;
  }
  return out;
}

/** Run the action bundle as a step; asynchronous so the in-process server can answer. */
function step(title, inputs) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'api-delivery-demo-conformance-'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: root,
    GITHUB_OUTPUT: path.join(tmp, 'github_output'),
    GITHUB_STEP_SUMMARY: path.join(tmp, 'step_summary'),
    RUNNER_TEMP: tmp,
  };
  writeFileSync(env.GITHUB_OUTPUT, '');
  writeFileSync(env.GITHUB_STEP_SUMMARY, '');
  for (const [k, v] of Object.entries({ ...defaults(), ...inputs })) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      console.log(`═══ conformance: ${title}\n`);
      const annotations = stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l));
      console.log(`── annotations (${annotations.length}) ──`);
      for (const a of annotations) console.log(a);
      console.log('\n── job summary (markdown) ──');
      console.log(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'));
      console.log('── step outputs ──');
      const lines = readFileSync(env.GITHUB_OUTPUT, 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        const m = /^(.+)<<(ghadelimiter_.+)$/.exec(lines[i]);
        if (m) console.log(`${m[1]} = ${lines[i + 1]}`);
      }
      console.log(`\nThe step exited ${code}: ${code === 0 ? 'the gate passed' : code === 1 ? 'the gate failed, as it should on these bugs' : 'bad input'}.\n`);
      if (code !== 0 && code !== 1) console.error(stderr || stdout);
      resolve(code);
    });
  });
}

const common = { openapi: 'examples/petstore/openapi.v2.yaml', headers: 'Authorization: Bearer demo-token', seed: '1' };
const clean = await startServer({});
let codes;
try {
  const pass = await step('full mode against the example API as built (stateful, with the example test plan)', {
    ...common,
    'base-url': clean.url,
    stateful: 'true',
    'test-plan': 'examples/conformance/Test-plan.md',
  });
  await clean.close();
  const bugs = ['undocumented-status', 'wrong-type', 'enum-500', 'missing-required'];
  const bugged = await startServer({ bugs });
  try {
    const fail = await step(`full mode against a variant with planted bugs (${bugs.join(', ')})`, { ...common, 'base-url': bugged.url });
    codes = [pass, fail];
  } finally {
    await bugged.close();
  }
} finally {
  await clean.close().catch(() => {});
}
// The demo succeeds when both jobs ran and judged as expected: the clean API passes, the bugged one fails.
process.exitCode = codes && codes[0] === 0 && codes[1] === 1 ? 0 : 1;
