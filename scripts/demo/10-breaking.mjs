// `npm run demo`: the breaking-change job on the bundled example (examples/petstore v1 → v2),
// run the way the GitHub runner runs the action (see lib/step.mjs). No network, no GitHub.
import path from 'node:path';
import { judged, printStep, runStep } from './lib/step.mjs';

console.log('═══ breaking: the breaking-change job on examples/petstore/openapi.v1.yaml → openapi.v2.yaml\n');
const run = await runStep('breaking', (tmp) => ({
  base: 'examples/petstore/openapi.v1.yaml',
  revision: 'examples/petstore/openapi.v2.yaml',
  'result-file': path.join(tmp, 'breaking-result.json'),
  'sarif-file': path.join(tmp, 'breaking.sarif'),
}));
printStep(run);
console.log(
  `\nThe step exited ${run.code}: ${run.code === 1 ? 'the gate failed, as it should on these breaking changes (a PR would be blocked)' : run.code === 0 ? 'the gate passed' : 'bad input'}.`,
);
console.log(`JSON result and SARIF are in ${run.tmp}`);
// The demo itself succeeds when the job ran and judged (0 or 1); a usage error (2) or crash fails it.
process.exitCode = judged(run) ? 0 : 1;
