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

export type SendResult = { ok: true; response: HttpResponse } | { ok: false; error: string };

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export async function send(req: HttpRequest, timeoutMs: number): Promise<SendResult> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      redirect: 'manual',
      signal: controller.signal,
    });
    const { text, truncated } = await readLimited(res);
    return { ok: true, response: { status: res.status, headers: res.headers, body: text, elapsedMs: performance.now() - started, truncated } };
  } catch (e) {
    if (controller.signal.aborted) return { ok: false, error: `no answer within ${timeoutMs} ms` };
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, error: cause?.code ?? cause?.message ?? (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
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
