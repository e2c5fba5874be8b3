// `npm run demo`: the contract gate, run the way the GitHub runner runs the action (the committed
// bundle, INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files printed afterwards):
//   1. compare: the example consumer's pact against examples/petstore/openapi.v2.yaml (no broker)
//   2. provider: the example server started on 127.0.0.1 and verified with real Pact, then the same
//      server with a planted bug (wrong-type) to show a failing verification.
// No network but 127.0.0.1, no broker, no GitHub.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bundle = path.join(root, 'dist/contract/index.js');
const defaults = Object.fromEntries(
  Object.entries(parseYaml(readFileSync(path.join(root, 'actions/contract/action.yml'), 'utf8')).inputs).map(([k, v]) => [k, v.default ?? '']),
);

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

let broken = false;
function step(title, inputs, expected) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'api-delivery-demo-'));
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
  for (const [k, v] of Object.entries({ ...defaults, ...inputs })) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  console.log(`═══ contract: ${title}\n`);
  const run = spawnSync(process.execPath, [bundle], { cwd: root, env, encoding: 'utf8' });
  const annotations = run.stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l));
  if (annotations.length) {
    console.log(`── annotations (${annotations.length}) ──`);
    for (const a of annotations) console.log(a);
    console.log('');
  }
  console.log('── job summary (markdown) ──');
  console.log(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'));
  const lines = readFileSync(env.GITHUB_OUTPUT, 'utf8').split('\n');
  const outputs = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(.+)<<(ghadelimiter_.+)$/.exec(lines[i]);
    if (m) outputs.push(`${m[1]}=${lines[i + 1]}`);
  }
  console.log(`── step outputs ──\n${outputs.join('\n')}\n`);
  console.log(`The step exited ${run.status} (${run.status === 0 ? 'pass' : run.status === 1 ? 'the gate failed' : 'bad input'}); expected ${expected}.\n`);
  if (run.status !== expected) {
    broken = true;
    console.error(run.stdout.split('\n').slice(-20).join('\n'), run.stderr);
  }
}

step('compare — the example pact vs examples/petstore/openapi.v2.yaml', {
  mode: 'compare',
  'pact-files': 'examples/petstore/consumer/pacts',
  openapi: 'examples/petstore/openapi.v2.yaml',
}, 0);

for (const bug of ['', 'wrong-type']) {
  const port = await freePort();
  step(`provider — verify the example server on 127.0.0.1:${port}${bug ? ` with the planted bug '${bug}'` : ''}`, {
    mode: 'provider',
    'pact-files': 'examples/petstore/consumer/pacts',
    'provider-url': `http://127.0.0.1:${port}`,
    'provider-command': `node examples/petstore/server.mjs --port ${port}${bug ? ` --bug ${bug}` : ''}`,
    'ready-url': `http://127.0.0.1:${port}/healthz`,
    'state-handlers': 'examples/petstore/provider/states.mjs',
  }, bug ? 1 : 0);
}
// The demo succeeds when every job ran and judged as expected.
process.exitCode = broken ? 1 : 0;
