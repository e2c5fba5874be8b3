// `npm run demo`: the release-notes job on the bundled example (examples/petstore v1 → v2 as 2.0.0),
// run the way the GitHub runner runs the action (lib/step.mjs). publish: true with dry-run: true, so
// the demo shows the GitHub Release, the CHANGELOG.md entry, the consumer issue and the webhook
// payload it would send, and builds the docs site into a temp directory. No network, no GitHub.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { judged, printStep, runStep } from './lib/step.mjs';

console.log('═══ release-notes: examples/petstore/openapi.v1.yaml → openapi.v2.yaml released as 2.0.0 (publish, dry run)\n');
const run = await runStep(
  'release-notes',
  (tmp) => ({
    base: 'examples/petstore/openapi.v1.yaml',
    revision: 'examples/petstore/openapi.v2.yaml',
    version: '2.0.0',
    repository: 'acme/petstore',
    'pull-requests': 'false',
    publish: 'true',
    'dry-run': 'true',
    changelog: path.join(tmp, 'CHANGELOG.md'),
    'docs-dir': path.join(tmp, 'site'),
    consumers: 'examples/release-notes/consumers.yml',
    'notes-file': path.join(tmp, 'release-notes.md'),
    'result-file': path.join(tmp, 'release-notes-result.json'),
  }),
  // The consumers file names this variable for the partners' webhook; a dry run never calls it.
  { env: { API_RELEASE_WEBHOOK_URL: 'https://hooks.example.test/services/T000/B000/not-a-real-secret' } },
);
printStep(run, { summaryTitle: 'job summary: version check, the notes, and what publishing would send' });
const docs = run.outputs['docs-dir'];
if (docs) {
  console.log(`\nDocs site (open index.html in a browser, or publish the directory to GitHub Pages): ${docs}`);
  console.log(`  ${readdirSync(docs).sort().join('  ')}`);
}
console.log(
  `\nThe step exited ${run.code}: ${run.code === 0 ? 'the version agrees with the changes; nothing was sent (dry run)' : run.code === 1 ? 'the version check failed' : 'bad input'}.`,
);
// The demo succeeds when the job ran and judged (0 or 1); a usage error (2) or crash fails it.
process.exitCode = judged(run) ? 0 : 1;
