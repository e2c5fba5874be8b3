/**
 * A step's process and what its output does: stdout and stderr are read line by line as workflow
 * commands (::error/::warning/::notice become annotations, at most 10 of each per step; ::add-mask::,
 * ::stop-commands::), and masked values are *** in what is kept.
 */
import { spawn } from 'node:child_process';
import type { Annotation } from './model.js';

const unescapeData = (s: string) => s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%25/g, '%');

/** What one step's workflow commands change: the masks (the job's), stop-commands, the annotations kept and dropped. */
export interface CommandState {
  masks: string[];
  stopToken?: string;
  annotations: Annotation[];
  counts: Record<string, number>;
  dropped: number;
}

/** One output line: a workflow command is applied; returns the line as the log shows it. */
function processLine(raw: string, st: CommandState): string {
  const line = raw.replace(/^\s+/, '');
  if (!line.startsWith('::')) return raw;
  const end = line.indexOf('::', 2);
  if (end < 0) return raw;
  const head = line.slice(2, end);
  const message = line.slice(end + 2);
  const sp = head.indexOf(' ');
  const command = (sp < 0 ? head : head.slice(0, sp)).toLowerCase();
  if (st.stopToken !== undefined) {
    if (command === st.stopToken.toLowerCase()) st.stopToken = undefined;
    return raw;
  }
  const props: Record<string, string> = {};
  if (sp >= 0) {
    for (const kv of head.slice(sp + 1).split(',')) {
      const e = kv.indexOf('=');
      if (e > 0) props[kv.slice(0, e).trim().toLowerCase()] = unescapeProperty(kv.slice(e + 1));
    }
  }
  switch (command) {
    case 'error':
    case 'warning':
    case 'notice': {
      const text = unescapeData(message);
      st.counts[command] = (st.counts[command] ?? 0) + 1;
      if (st.counts[command]! > 10) {
        st.dropped++;
        return raw;
      }
      const num = (k: string) => (props[k] !== undefined && /^\d+$/.test(props[k]!) ? Number(props[k]) : undefined);
      const a: Annotation = { level: command, message: text };
      if (props.title) a.title = props.title;
      if (props.file) a.file = props.file;
      const line = num('line') ?? num('endline');
      if (line !== undefined) a.line = line;
      if (num('endline') !== undefined) a.endLine = num('endline');
      if (line !== undefined && num('col') !== undefined) a.col = num('col');
      if (line !== undefined && num('endcolumn') !== undefined) a.endColumn = num('endcolumn');
      st.annotations.push(a);
      return raw;
    }
    case 'add-mask':
      if (message.trim()) st.masks.push(unescapeData(message));
      return '::add-mask::***';
    case 'stop-commands':
      st.stopToken = message;
      if (message.length > 6) st.masks.push(message);
      return raw;
    default:
      // group, endgroup, debug, echo, add-matcher and anything unknown: shown as they are.
      return raw;
  }
}

/** Every masked value, and every line of a multi-line one, as ***. */
export function mask(text: string, masks: string[]): string {
  let out = text;
  for (const m of [...masks].sort((a, b) => b.length - a.length)) {
    if (!m) continue;
    out = out.split(m).join('***');
    for (const part of m.split(/\r?\n/)) if (part.length > 2 && part !== m) out = out.split(part).join('***');
  }
  return out;
}

/** Runs a step's process in its own process group, killed at the deadline and when it ends. */
export function spawnStep(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  st: CommandState,
  deadline: number,
): Promise<{ code: number | null; log: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: string[] = [];
    const buffers = { out: '', err: '' };
    const feed = (which: 'out' | 'err', chunk: string, flush = false) => {
      buffers[which] += chunk;
      const parts = buffers[which].split('\n');
      buffers[which] = flush ? '' : parts.pop()!;
      for (const l of parts) if (!(flush && l === '')) out.push(processLine(l, st));
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => feed('out', d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => feed('err', d));
    let timedOut = false;
    const ms = deadline - Date.now();
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      feed('out', '', true);
      feed('err', '', true);
      // The runner ends what a step left running in its process group (a provider started in the background).
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve({ code: timedOut ? null : code, log: out.join('\n'), timedOut });
    });
  });
}
