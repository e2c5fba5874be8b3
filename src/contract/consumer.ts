import { spawn } from 'node:child_process';
import { LogTail } from './provider/provider-process.js';

export interface CommandRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  tail: string;
}

/**
 * Run the caller's consumer test command (it uses the project's own Pact, which writes the pact
 * files). Output is passed through line by line; the last lines are kept for the report.
 */
export function runCommand(
  command: string,
  opts: { cwd: string; env: Record<string, string | undefined>; timeoutMs: number; onOutput?: (chunk: string) => void },
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const tail = new LogTail(30);
    const child = spawn(command, { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (d: Buffer) => {
      const s = d.toString();
      tail.push(s);
      opts.onOutput?.(s);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, tail: tail.text() });
    });
  });
}
