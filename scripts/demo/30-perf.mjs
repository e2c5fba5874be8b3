// `npm run demo`: the performance job on the example Petstore. The server starts in this process on
// 127.0.0.1; the committed action bundle runs the built-in load engine against it the way the GitHub
// runner runs a step (INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files printed afterwards).
// Run 1 is healthy and becomes the baseline; run 2 hits the same server with its 'slow' fault planted
// and is judged against the budget and that baseline. No network beyond loopback, no k6.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../examples/petstore/server.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bundle = path.join(root, 'dist/perf/index.js');
const defaults = { engine: 'auto', 'k6-version': '2.2.0', 'raw-output': 'false', 'fail-on': 'error', 'working-directory': '.' };

function step(name, inputs) {
  const tmp = mkdtempSync(path.join(tmpdir(), `api-delivery-demo-perf-${name}-`));
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
  for (const [k, v] of Object.entries({ ...defaults, ...inputs, 'result-file': path.join(tmp, 'perf-result.json') })) env[`INPUT_${k.toUpperCase()}`] = v;
  // Asynchronous: the server answers from this process's event loop while the step runs.
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle], { cwd: root, env });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      for (const line of String(d).split('\n')) if (/^(built-in engine|\[\d+s\/)/.test(line)) console.log(`  ${line}`);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code) => {
      const outputs = {};
      const lines = readFileSync(env.GITHUB_OUTPUT, 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        const m = /^(.+)<<(ghadelimiter_.+)$/.exec(lines[i]);
        if (m) outputs[m[1]] = lines[i + 1];
      }
      resolve({ code, stdout, outputs, summary: readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'), resultFile: path.join(tmp, 'perf-result.json') });
    });
  });
}

function show(run) {
  const annotations = run.stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l));
  console.log(`\n── annotations (${annotations.length}) ──`);
  for (const a of annotations) console.log(a);
  console.log('\n── job summary (markdown) ──');
  console.log(run.summary);
  console.log('── step outputs ──');
  for (const [k, v] of Object.entries(run.outputs)) console.log(`${k} = ${v}`);
}

const inputs = {
  scenario: 'examples/perf/petstore.scenario.yaml',
  budget: 'examples/perf/budget.yaml',
  checklist: 'examples/perf/Performance-checklist.md',
  duration: '3s',
  env: 'PETSTORE_TOKEN=demo-token',
};

let ok = true;
const healthy = await startServer({});
console.log(`═══ perf (1/2): built-in engine, 80 requests/s for 3 s against the example server on ${healthy.url}\n`);
const first = await step('healthy', { ...inputs, 'base-url': healthy.url });
await healthy.close();
show(first);
console.log(`\nThe step exited ${first.code}${first.code === 0 ? ': within budget' : ''}. Its result file is the baseline for the next run.\n`);
ok &&= first.code === 0 || first.code === 1;

const slow = await startServer({ bugs: ['slow'] });
console.log(`═══ perf (2/2): the same load against the server with its 'slow' fault (200 ms per answer), judged against budget and baseline\n`);
const second = await step('slow', { ...inputs, 'base-url': slow.url, baseline: first.resultFile });
await slow.close();
show(second);
console.log(`\nThe step exited ${second.code}${second.code === 1 ? ': the gate failed, as it should on a 200 ms regression' : ''}.`);
ok &&= second.code === 0 || second.code === 1;
// The demo succeeds when both jobs ran and judged (0 or 1); a usage error (2) or crash fails it.
process.exitCode = ok ? 0 : 1;
