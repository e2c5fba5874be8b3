// `npm run demo`: the breaking-change job on the bundled example (examples/petstore v1 → v2),
// run the way the GitHub runner runs the action: the committed bundle, INPUT_* variables, and
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files that are printed afterwards. No network, no GitHub.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'api-delivery-demo-'));
const files = { output: 'github_output', summary: 'step_summary' };
for (const f of Object.values(files)) writeFileSync(path.join(tmp, f), '');

const inputs = {
  base: 'examples/petstore/openapi.v1.yaml',
  revision: 'examples/petstore/openapi.v2.yaml',
  'fail-on': 'error',
  'working-directory': '.',
  'deprecation-days-beta': '31',
  'deprecation-days-stable': '180',
  'include-path-params': 'false',
  'allow-external-refs': 'false',
  comment: 'false',
  'result-file': path.join(tmp, 'breaking-result.json'),
  'sarif-file': path.join(tmp, 'breaking.sarif'),
};
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  GITHUB_WORKSPACE: root,
  GITHUB_OUTPUT: path.join(tmp, files.output),
  GITHUB_STEP_SUMMARY: path.join(tmp, files.summary),
  RUNNER_TEMP: tmp,
};
for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;

console.log('═══ breaking: the breaking-change job on examples/petstore/openapi.v1.yaml → openapi.v2.yaml\n');
const run = spawnSync(process.execPath, [path.join(root, 'dist/breaking/index.js')], { cwd: root, env, encoding: 'utf8' });
const annotations = run.stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l));
console.log(`── annotations (${annotations.length}, as the runner shows them on the PR's files) ──`);
for (const a of annotations) console.log(a);
console.log('\n── job summary (markdown) ──');
console.log(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'));
console.log('── step outputs ──');
const outputs = readFileSync(env.GITHUB_OUTPUT, 'utf8').split('\n');
for (let i = 0; i < outputs.length; i++) {
  const m = /^(.+)<<(ghadelimiter_.+)$/.exec(outputs[i]);
  if (m) console.log(`${m[1]} = ${outputs[i + 1]}`);
}
console.log(
  `\nThe step exited ${run.status}: ${run.status === 1 ? 'the gate failed, as it should on these breaking changes (a PR would be blocked)' : run.status === 0 ? 'the gate passed' : 'bad input'}.`,
);
console.log(`JSON result and SARIF are in ${tmp}`);
// The demo itself succeeds when the job ran and judged (0 or 1); a usage error (2) or crash fails it.
process.exitCode = run.status === 0 || run.status === 1 ? 0 : 1;
if (process.exitCode) console.error(run.stderr);
