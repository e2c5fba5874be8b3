// `npm run demo`: the release-notes job on the bundled example (examples/petstore v1 → v2 as 2.0.0),
// run the way the GitHub runner runs the action: the committed bundle, INPUT_* variables, and
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files printed afterwards. publish: true with dry-run: true, so
// the demo shows the GitHub Release, the CHANGELOG.md entry, the consumer issue and the webhook
// payload it would send, and builds the docs site into a temp directory. No network, no GitHub.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'api-delivery-demo-release-'));
const files = { output: 'github_output', summary: 'step_summary' };
for (const f of Object.values(files)) writeFileSync(path.join(tmp, f), '');

const inputs = {
  base: 'examples/petstore/openapi.v1.yaml',
  revision: 'examples/petstore/openapi.v2.yaml',
  version: '2.0.0',
  'fail-on': 'error',
  'working-directory': '.',
  repository: 'acme/petstore',
  'pull-requests': 'false',
  publish: 'true',
  'dry-run': 'true',
  draft: 'false',
  prerelease: 'false',
  changelog: path.join(tmp, 'CHANGELOG.md'),
  'docs-dir': path.join(tmp, 'site'),
  consumers: 'examples/release-notes/consumers.yml',
  'notes-file': path.join(tmp, 'release-notes.md'),
  'result-file': path.join(tmp, 'release-notes-result.json'),
};
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  GITHUB_WORKSPACE: root,
  GITHUB_OUTPUT: path.join(tmp, files.output),
  GITHUB_STEP_SUMMARY: path.join(tmp, files.summary),
  RUNNER_TEMP: tmp,
  // The consumers file names this variable for the partners' webhook; a dry run never calls it.
  PARTNER_HOOK: 'https://hooks.example.test/services/T000/B000/not-a-real-secret',
};
for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;

console.log('═══ release-notes: examples/petstore/openapi.v1.yaml → openapi.v2.yaml released as 2.0.0 (publish, dry run)\n');
const run = spawnSync(process.execPath, [path.join(root, 'dist/release-notes/index.js')], { cwd: root, env, encoding: 'utf8' });
const annotations = run.stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l));
console.log(`── annotations (${annotations.length}) ──`);
for (const a of annotations) console.log(a);
console.log('\n── job summary: version check, the notes, and what publishing would send ──');
console.log(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'));
console.log('── step outputs ──');
const outputs = readFileSync(env.GITHUB_OUTPUT, 'utf8').split('\n');
const values = {};
for (let i = 0; i < outputs.length; i++) {
  const m = /^(.+)<<(ghadelimiter_.+)$/.exec(outputs[i]);
  if (m) {
    values[m[1]] = outputs[i + 1] === m[2] ? '' : outputs[i + 1];
    console.log(`${m[1]} = ${values[m[1]]}`);
  }
}
if (values['docs-dir']) {
  console.log(`\nDocs site (open index.html in a browser, or publish the directory to GitHub Pages): ${values['docs-dir']}`);
  console.log(`  ${readdirSync(values['docs-dir']).sort().join('  ')}`);
}
console.log(
  `\nThe step exited ${run.status}: ${run.status === 0 ? 'the version agrees with the changes; nothing was sent (dry run)' : run.status === 1 ? 'the version check failed' : 'bad input'}.`,
);
// The demo succeeds when the job ran and judged (0 or 1); a usage error (2) or crash fails it.
process.exitCode = run.status === 0 || run.status === 1 ? 0 : 1;
if (process.exitCode) console.error(run.stderr);
