// `npm run bench`: every scripts/bench-<name>.ts in turn (each prints its own figures).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = path.dirname(new URL(import.meta.url).pathname);
const only = process.argv.slice(2);
let failed = 0;
for (const f of readdirSync(dir).filter((n) => /^bench-[a-z0-9-]+\.ts$/.test(n) && !n.endsWith('-child.ts')).sort()) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  console.log(`── ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
  console.log('');
}
process.exitCode = failed ? 1 : 0;
