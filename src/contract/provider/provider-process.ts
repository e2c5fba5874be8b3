import { spawn, type ChildProcess } from 'node:child_process';
import { InputError } from '../../kit/errors.js';
import { timeoutSignal } from '../../kit/inputs.js';

/** The last lines a process wrote, for error messages. */
export class LogTail {
  private lines: string[] = [];
  private partial = '';
  constructor(private readonly max = 40) {}
  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
  text(): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all.slice(-this.max).join('\n');
  }
}

export interface StartedProvider {
  log: LogTail;
  /** Stop the provider and everything it started (its process group). */
  stop(): Promise<void>;
}

export interface StartOptions {
  command: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** URL that answers once the provider is ready (any HTTP status below 500). */
  readyUrl: string;
  /** Give up after this long (bounded wait). */
  timeoutMs: number;
  /** Poll interval (default 250 ms). */
  intervalMs?: number;
}

/** Start the provider with a shell command and wait until its readiness URL answers. */
export async function startProvider(opts: StartOptions): Promise<StartedProvider> {
  const log = new LogTail();
  const child = spawn(opts.command, {
    cwd: opts.cwd,
    env: opts.env as NodeJS.ProcessEnv,
    shell: true,
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.on('error', (e) => {
      spawnError = e;
      resolve();
    });
  });
  const provider: StartedProvider = { log, stop: () => stopProcess(child, exitPromise, () => exited !== undefined || spawnError !== undefined) };
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 250;
  const tail = () => {
    const t = log.text().trim();
    return t ? `\nLast lines of the provider's output:\n${t}` : "\n(The provider wrote nothing.)";
  };
  for (;;) {
    if (spawnError) throw new InputError(`provider-command: could not start '${opts.command}': ${spawnError.message}`, { field: 'provider-command' });
    if (exited) {
      throw new InputError(
        `provider-command: '${opts.command}' exited (${exited.signal ? `signal ${exited.signal}` : `code ${exited.code}`}) before ${opts.readyUrl} answered${tail()}`,
        { field: 'provider-command' },
      );
    }
    const got = await answers(opts.readyUrl, Math.min(2000, Math.max(100, deadline - Date.now())));
    if (got === true) return provider;
    if (Date.now() >= deadline) {
      await provider.stop();
      throw new InputError(
        `ready-url: the provider did not become ready: ${opts.readyUrl} did not answer within ${Math.round(opts.timeoutMs / 100) / 10} s${lastAnswer(got)} (raise ready-timeout if it starts slowly)${tail()}`,
        { field: 'ready-url' },
      );
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

function lastAnswer(got: string): string {
  if (got === 'no answer') return '';
  return got.startsWith('HTTP ') ? ` with a good status (last attempt: ${got})` : ` (last attempt: ${got})`;
}

/** Wait for an already-running provider (no command): the same bounded readiness check. */
export async function waitUntilReady(url: string, timeoutMs: number, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await answers(url, Math.min(2000, Math.max(100, deadline - Date.now())));
    if (got === true) return;
    if (Date.now() >= deadline) {
      throw new InputError(`ready-url: ${url} did not answer within ${Math.round(timeoutMs / 100) / 10} s${lastAnswer(got)}: is the provider running?`, { field: 'ready-url' });
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** `true` when the URL answers below 500; else what happened (`HTTP 503`, `ECONNREFUSED`) for the message. */
async function answers(url: string, timeoutMs: number): Promise<true | string> {
  const timeout = timeoutSignal(timeoutMs);
  try {
    const res = await fetch(url, { signal: timeout.signal, redirect: 'manual' });
    await res.arrayBuffer().catch(() => undefined);
    return res.status < 500 ? true : `HTTP ${res.status}`;
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    return err.name === 'TimeoutError' ? 'no answer' : (err.cause?.code ?? err.message);
  } finally {
    timeout.clear();
  }
}

async function stopProcess(child: ChildProcess, exited: Promise<void>, done: () => boolean): Promise<void> {
  if (done() || child.pid === undefined) return;
  const kill = (signal: NodeJS.Signals) => {
    try {
      // The shell's whole process group: `npm start` or `sh -c` leaves the real server as a grandchild.
      if (process.platform !== 'win32') process.kill(-child.pid!, signal);
      else child.kill(signal);
    } catch {
      // Already gone.
    }
  };
  kill('SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
  if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') {
    kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}
