// `npm run demo`: the ASVS job on the example API. The example server starts in this process on
// 127.0.0.1; the committed action bundle runs as the GitHub runner runs it (INPUT_* variables,
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files), in mode both: live probes, then the checklist
// examples/petstore/Security-ASVS-checklist.md verified with the probe outcomes. A second run plants
// a fault (an operation that answers without credentials) to show the checklist row citing
// probe:auth failing. No network but 127.0.0.1, no GitHub.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../examples/petstore/server.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'api-delivery-demo-asvs-'));

/** Spawn the bundle (asynchronously: the server answers from this process's event loop). */
function runStep(name, inputs) {
  const files = { output: path.join(tmp, `${name}.output`), summary: path.join(tmp, `${name}.summary.md`) };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_WORKSPACE: root, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, RUNNER_TEMP: tmp };
  const all = {
    mode: 'both',
    checklist: 'examples/petstore/Security-ASVS-checklist.md',
    level: '',
    version: '',
    'allow-todo': 'false',
    'base-ref': '',
    catalog: '',
    openapi: 'examples/petstore/openapi.v2.yaml',
    probes: 'all',
    'rate-limit-operation': '',
    'rate-limit-max': '100',
    'rate-limit-concurrency': '8',
    timeout: '10',
    'max-duration': '60',
    'fail-on': 'error',
    'working-directory': '.',
    'result-file': path.join(tmp, `${name}-result.json`),
    'sarif-file': '',
    ...inputs,
  };
  for (const [k, v] of Object.entries(all)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'dist/asvs/index.js')], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr, summary: readFileSync(files.summary, 'utf8'), outputs: readFileSync(files.output, 'utf8') }));
  });
}

function outputsOf(text) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(.+)<<(ghadelimiter_.+)$/.exec(lines[i]);
    if (m) out.push(`${m[1]} = ${lines[i + 1]}`);
  }
  return out;
}

let failed = false;
const good = await startServer({ rateLimit: { limit: 30, windowMs: 60_000 } });
const bad = await startServer({ rateLimit: { limit: 30, windowMs: 60_000 }, bugs: ['unprotected-get'] });
try {
  console.log(`═══ asvs: probe the example API at ${good.url} and verify examples/petstore/Security-ASVS-checklist.md (level 1)\n`);
  const run = await runStep('asvs', { 'base-url': good.url, token: 'demo-token' });
  const annotations = run.stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l));
  console.log(`── annotations (${annotations.length}) ──`);
  for (const a of annotations) console.log(a);
  console.log('\n── job summary (markdown) ──');
  console.log(run.summary);
  console.log('── step outputs ──');
  for (const o of outputsOf(run.outputs)) console.log(o);
  console.log(`\nThe step exited ${run.status}: ${run.status === 0 ? 'the gate passed' : run.status === 1 ? 'the gate failed' : 'bad input'}.`);
  failed ||= run.status !== 0 && run.status !== 1;
  if (run.status === 2 || run.status === null) console.error(run.stderr || run.stdout);

  console.log(`\n═══ asvs: the same job against a misconfigured server (GET /pets/{id} answers without credentials) at ${bad.url}\n`);
  const broken = await runStep('asvs-broken', { 'base-url': bad.url, token: 'demo-token' });
  console.log('── error annotations ──');
  for (const a of broken.stdout.split('\n').filter((l) => l.startsWith('::error'))) console.log(a);
  const probes = broken.summary.slice(broken.summary.indexOf('### Live probes'));
  console.log(`\n${probes}`);
  console.log(`The step exited ${broken.status}: ${broken.status === 1 ? 'the gate failed, as it should: the checklist cites probe:auth for v5.0.0-8.2.1' : 'unexpected'}.`);
  failed ||= broken.status !== 1;
  console.log(`JSON results are in ${tmp}`);
} finally {
  await good.close();
  await bad.close();
}
// The demo succeeds when both jobs ran and judged as expected; a usage error or crash fails it.
process.exitCode = failed ? 1 : 0;
