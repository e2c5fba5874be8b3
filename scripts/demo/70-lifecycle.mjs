// `npm run demo`: the phase-5 sunset check on the example spec. The committed lifecycle bundle runs
// as the runner runs it (lib/step.mjs), once as of a day before the example's sunset date (a
// warning: it is near) and once as of a day after it (an error: the endpoint should be gone).
import path from 'node:path';
import { judged, printStep, runStep } from './lib/step.mjs';

const step = (today) =>
  runStep('lifecycle', (tmp) => ({
    spec: 'examples/petstore/openapi.v2.yaml',
    today,
    'result-file': path.join(tmp, 'lifecycle-result.json'),
  }));

let failed = false;
for (const [today, expected] of [
  ['2027-06-10', 0],
  ['2027-07-01', 1],
]) {
  console.log(`═══ lifecycle: sunset dates in examples/petstore/openapi.v2.yaml as of ${today}\n`);
  const run = await step(today);
  printStep(run);
  console.log(`\nThe step exited ${run.code}: ${run.code === 0 ? 'the gate passed' : run.code === 1 ? 'the gate failed (a sunset has passed)' : 'bad input'}.\n`);
  failed ||= !judged(run) || run.code !== expected;
}
process.exitCode = failed ? 1 : 0;
