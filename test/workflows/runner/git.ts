/** git in a directory, for the github context and the checkout stand-in. */
import { spawnSync } from 'node:child_process';

export function git(cwd: string, args: string[], allowFail = false): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  if (r.status !== 0 && !allowFail) throw new Error(`git ${args.join(' ')} (in ${cwd}) failed: ${r.stderr || r.stdout}`);
  return r.status === 0 ? r.stdout.trim() : '';
}
