/** Sending requests: a timeout per request, redirects never followed, bodies read up to a size limit. */
import type { HttpRequest } from './request.js';

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
  /** Milliseconds from sending to the last byte of the body. */
  elapsedMs: number;
  truncated: boolean;
}

/**
 * `answered`: the status line and headers arrived, the body did not (the connection broke while it was read).
 * `timedOut`: the time given ran out. `badPort`: the HTTP client refused to call the port at all (the
 * Fetch standard's blocked ports).
 */
export type SendResult = { ok: true; response: HttpResponse } | { ok: false; error: string; answered?: boolean; timedOut?: boolean; badPort?: boolean };

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export async function send(req: HttpRequest, timeoutMs: number): Promise<SendResult> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let status: number | undefined;
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      redirect: 'manual',
      signal: controller.signal,
    });
    status = res.status;
    const { text, truncated } = await readLimited(res);
    return { ok: true, response: { status: res.status, headers: res.headers, body: text, elapsedMs: performance.now() - started, truncated } };
  } catch (e) {
    const answered = status !== undefined;
    if (controller.signal.aborted) return { ok: false, answered, timedOut: true, error: answered ? `status ${status}, then no complete body within ${timeoutMs} ms` : `no answer within ${timeoutMs} ms` };
    const cause = (e as { cause?: { message?: string } }).cause;
    return { ok: false, answered, error: describeError(e, status), ...(!answered && cause?.message === 'bad port' ? { badPort: true } : {}) };
  } finally {
    clearTimeout(timer);
  }
}

/** What went wrong, in words, with the library's code for searching. */
export function describeError(e: unknown, status?: number): string {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const cause = err.cause ?? err;
  const code = cause.code ?? err.code;
  const text = cause.message ?? err.message ?? String(e);
  const codeNote = code ? ` (${code})` : '';
  if (status !== undefined) return `status ${status}, then the connection closed before the body was complete: ${text}${codeNote}`;
  if (code === 'ECONNREFUSED') return `connection refused: nothing listens at this address${codeNote}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name does not resolve${codeNote}`;
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') return `the connection closed before an answer: ${text}${codeNote}`;
  if (code?.startsWith('HPE_')) return `not a valid HTTP answer: ${text}${codeNote}`;
  return `${text}${codeNote}`;
}

async function readLimited(res: Response): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

/** Seconds from a Retry-After header (delta seconds or an HTTP date), or undefined. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.ceil((t - now) / 1000));
}
