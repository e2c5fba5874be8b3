// `npm run bench`: the breaking check on the largest real-world pairs, beside the floor (reading and
// parsing both files: JSON.parse for JSON, the yaml package for YAML) measured in the same run.
// Each figure is the best of N runs in a fresh process; peak memory is that process's max RSS.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const rw = path.resolve(here, '../../shared/corpus/real-world');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const PAIRS: [string, string, string][] = [
  ['stripe json', 'stripe/2021-11-12.json', 'stripe/2022-04-12.json'],
  ['stripe yaml', 'stripe/2023-03-10.yaml', 'stripe/2023-09-12.yaml'],
  ['github', 'github/2021-06-07.json', 'github/2021-10-10.json'],
  ['box', 'box/2025-12-02.json', 'box/2026-06-29.json'],
  ['twilio', 'twilio/2025-07-24.json', 'twilio/2025-10-14.json'],
  ['digitalocean', 'digitalocean/2025-11-07/specification/DigitalOcean-public.v2.yaml', 'digitalocean/2026-05-01/specification/DigitalOcean-public.v2.yaml'],
];

// The measured code is the bundled engine (as users run it), built aside for the benchmark.
const bundle = path.resolve(here, '../.tmp/bench/index.js');
function buildBundle(): void {
  const ncc = path.resolve(here, '../node_modules/@vercel/ncc/dist/ncc/cli.js');
  const r = spawnSync(process.execPath, [ncc, 'build', path.join(here, 'bench-breaking-child.ts'), '-o', path.dirname(bundle), '--quiet'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('bench: building the bundle failed');
}

interface M { ms: number; rssMb: number; findings: number; errors: number }

function measure(mode: string, a: string, b: string): M {
  let best: M | undefined;
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, [bundle, mode, a, b], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${mode} ${a}: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as M;
    if (!best || m.ms < best.ms) best = { ...m, rssMb: Math.max(m.rssMb, best?.rssMb ?? 0) };
  }
  return best!;
}

if (!existsSync(rw)) {
  console.log(`bench: ${rw} not found (the shared corpus lives beside the checkout); nothing measured`);
  process.exit(0);
}
buildBundle();
console.log(`breaking check vs floor, best of ${RUNS} (node ${process.version})\n`);
console.log('pair           floor ms  check ms  ratio  peak MB  findings (errors)');
for (const [name, a, b] of PAIRS) {
  const fa = path.join(rw, a);
  const fb = path.join(rw, b);
  if (!existsSync(fa) || !existsSync(fb)) continue;
  const floor = name === 'digitalocean' ? undefined : measure('floor', fa, fb);
  const check = measure('check', fa, fb);
  const ratio = floor ? (check.ms / floor.ms).toFixed(1) + '×' : '–';
  console.log(
    `${name.padEnd(14)} ${(floor ? floor.ms.toFixed(0) : '–').padStart(8)} ${check.ms.toFixed(0).padStart(9)} ${ratio.padStart(6)} ${check.rssMb.toFixed(0).padStart(8)}  ${check.findings} (${check.errors})`,
  );
}
console.log('\nfloor = reading both files and parsing them (JSON.parse / yaml); digitalocean spans ~2,500 files, so no single-parse floor is printed.');
