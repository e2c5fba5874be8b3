// `npm run parity [-- --verbose] [-- --only REGEX]`: the engine over oasdiff's spec pairs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatParity, runParity } from '../src/breaking/parity.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const dirArg = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--only');
const dir = dirArg ?? path.resolve(here, '../../shared/corpus/oasdiff-pairs');
if (!existsSync(dir)) {
  console.error(`parity: corpus not found at ${dir} (it lives in ../shared beside the checkout)`);
  process.exit(2);
}
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? new RegExp(args[onlyIdx + 1]!) : undefined;
const report = runParity(dir, only);
console.log(formatParity(report, args.includes('--verbose')));
if (args.includes('--json')) console.log(JSON.stringify(report.outcomes.filter((o) => !o.met), null, 1));
