/**
 * One keep-alive HTTP/1.1 connection that sends prebuilt request bytes and parses just enough of
 * the response to know its status and where it ends (Content-Length, chunked, or connection close).
 * No pipelining: one request in flight per connection, like a k6 VU. This is the engine's hot path,
 * so it avoids per-request strings and objects beyond the socket's own buffers.
 */
import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';

export interface Outcome {
  /** 0 when the request failed before a status line arrived. */
  status: number;
  /** Milliseconds from writing the request to the last byte of the response. */
  durationMs: number;
  /** Response bytes received (status line, headers, body). */
  bytes: number;
  /** Transport error (`ECONNREFUSED`, `timeout`, `parse`…) when status is 0. */
  error?: string;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const enum Body { None, Length, Chunked, UntilClose }
const enum Chunk { Size, Data, DataCrlf, Trailer }

export class Connection {
  private socket: net.Socket | undefined;
  private connected = false;
  private pending: Buffer | undefined;
  private started = 0;
  private received = 0;
  private status = 0;
  private headerDone = false;
  private body: Body = Body.None;
  private remaining = 0;
  private chunkState: Chunk = Chunk.Size;
  private closeAfter = false;
  private headOnly = false;
  private timer: NodeJS.Timeout | undefined;
  private done: ((o: Outcome) => void) | undefined;
  private request: Buffer | undefined;
  /** The request went out on a connection that had served others (the server may have closed it idle). */
  private reused = false;
  private retried = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs: number,
    private readonly secure = false,
  ) {}

  /** Send one request; resolves when the response is complete or the request failed. */
  send(request: Buffer, headOnly: boolean): Promise<Outcome> {
    return new Promise((resolve) => {
      this.done = resolve;
      this.headOnly = headOnly;
      this.status = 0;
      this.received = 0;
      this.headerDone = false;
      this.pending = undefined;
      this.closeAfter = false;
      this.request = request;
      this.retried = false;
      this.started = performance.now();
      this.timer = setTimeout(() => this.fail('timeout'), this.timeoutMs);
      this.write();
    });
  }

  private write(): void {
    this.reused = !!this.socket && !this.socket.destroyed && this.connected;
    if (!this.reused) this.open();
    const s = this.socket!;
    const request = this.request!;
    if (this.connected) s.write(request);
    else {
      s.once(this.secure ? 'secureConnect' : 'connect', () => {
        // Like k6's http_req_duration: sending, waiting and receiving; connecting is not counted.
        this.started = performance.now();
        s.write(request);
      });
    }
  }

  /** End the request in flight now (the run is over): it resolves as failed with `error`. */
  interrupt(error = 'interrupted'): void {
    this.retried = true;
    this.fail(error);
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
    this.connected = false;
  }

  private open(): void {
    this.connected = false;
    const s = this.secure
      ? tls.connect({ host: this.host, port: this.port, servername: net.isIP(this.host) ? undefined : this.host })
      : net.connect({ host: this.host, port: this.port, noDelay: true });
    if (this.secure) s.setNoDelay(true);
    this.socket = s;
    // Events of a socket this connection has already replaced are ignored.
    s.on(this.secure ? 'secureConnect' : 'connect', () => this.socket === s && (this.connected = true));
    s.on('data', (d: Buffer) => this.socket === s && this.onData(d));
    s.on('error', (e: NodeJS.ErrnoException) => this.socket === s && this.fail(e.code ?? e.message));
    s.on('close', () => {
      if (this.socket !== s) return;
      this.socket = undefined;
      if (this.done && this.headerDone && this.body === Body.UntilClose) this.finish();
      else if (this.done) this.fail('connection closed');
    });
  }

  private onData(d: Buffer): void {
    if (!this.done) return; // bytes after a finished response on a connection we will drop
    this.received += d.length;
    let buf = d;
    while (!this.headerDone) {
      buf = this.pending ? Buffer.concat([this.pending, buf]) : buf;
      this.pending = undefined;
      const end = buf.indexOf(CRLFCRLF);
      if (end < 0) {
        if (buf.length > 65536) return this.fail('parse: response header larger than 64 KiB');
        if (buf.length) this.pending = buf;
        return;
      }
      const head = this.parseHead(buf, end);
      if (head < 0) return this.fail('parse: not an HTTP/1.x response');
      buf = buf.subarray(end + 4);
      if (head === 0) continue; // 1xx interim response: the real one follows
      this.headerDone = true;
      if (this.body === Body.None) return this.finish();
    }
    this.consumeBody(buf);
  }

  /** Status line and the three headers that decide framing; everything in latin1 on the header block only. */
  private parseHead(buf: Buffer, end: number): -1 | 0 | 1 {
    // "HTTP/1.1 200 OK"
    if (buf[0] !== 0x48 || buf[4] !== 0x2f || end < 12) return -1;
    const status = (buf[9]! - 48) * 100 + (buf[10]! - 48) * 10 + (buf[11]! - 48);
    if (!(status >= 100 && status <= 599)) return -1;
    if (status < 200) return 0;
    this.status = status;
    let length = -1;
    let chunked = false;
    let close = buf[7] === 0x30; // HTTP/1.0 closes unless told otherwise
    const head = buf.toString('latin1', 0, end);
    let i = head.indexOf('\r\n') + 2;
    while (i > 1 && i < head.length) {
      let eol = head.indexOf('\r\n', i);
      if (eol < 0) eol = head.length;
      const c = head.charCodeAt(i) | 0x20;
      if (c === 0x63 /* c */ || c === 0x74 /* t */) {
        const colon = head.indexOf(':', i);
        if (colon > 0 && colon < eol) {
          const name = head.slice(i, colon).toLowerCase();
          const value = head.slice(colon + 1, eol).trim().toLowerCase();
          if (name === 'content-length') length = Number(value);
          else if (name === 'transfer-encoding') chunked = value.endsWith('chunked');
          else if (name === 'connection') close = value.includes('close') ? true : value.includes('keep-alive') ? false : close;
        }
      }
      i = eol + 2;
    }
    this.closeAfter = close;
    if (this.headOnly || status === 204 || status === 304) this.body = Body.None;
    else if (chunked) {
      this.body = Body.Chunked;
      this.chunkState = Chunk.Size;
      this.pending = undefined;
    } else if (length >= 0 && Number.isFinite(length)) {
      this.body = length === 0 ? Body.None : Body.Length;
      this.remaining = length;
    } else {
      this.body = Body.UntilClose;
      this.closeAfter = true;
    }
    return 1;
  }

  private consumeBody(buf: Buffer): void {
    if (this.body === Body.Length) {
      this.remaining -= buf.length;
      if (this.remaining <= 0) this.finish();
      return;
    }
    if (this.body === Body.UntilClose) return; // ends on 'close'
    this.consumeChunks(buf);
  }

  /** Chunked framing: sizes in hex, data, CRLF; a zero size ends the body after the trailer. */
  private consumeChunks(input: Buffer): void {
    let buf = this.pending ? Buffer.concat([this.pending, input]) : input;
    this.pending = undefined;
    let i = 0;
    while (i < buf.length) {
      if (this.chunkState === Chunk.Size || this.chunkState === Chunk.Trailer) {
        const eol = buf.indexOf('\r\n', i, 'latin1');
        if (eol < 0) {
          this.pending = buf.subarray(i);
          if (this.pending.length > 4096) this.fail('parse: chunk size line too long');
          return;
        }
        if (this.chunkState === Chunk.Trailer) {
          if (eol === i) return this.finish(); // empty line ends the trailer
          i = eol + 2;
          continue;
        }
        const size = parseInt(buf.toString('latin1', i, eol).split(';')[0]!, 16);
        if (!Number.isFinite(size) || size < 0) return this.fail('parse: bad chunk size');
        i = eol + 2;
        if (size === 0) this.chunkState = Chunk.Trailer;
        else {
          this.remaining = size;
          this.chunkState = Chunk.Data;
        }
      } else if (this.chunkState === Chunk.Data) {
        const take = Math.min(this.remaining, buf.length - i);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) {
          this.chunkState = Chunk.DataCrlf;
          this.remaining = 2;
        }
      } else {
        const take = Math.min(this.remaining, buf.length - i);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) this.chunkState = Chunk.Size;
      }
    }
  }

  private finish(): void {
    const done = this.done;
    if (!done) return;
    this.done = undefined;
    clearTimeout(this.timer);
    const durationMs = performance.now() - this.started;
    if (this.closeAfter) this.close();
    done({ status: this.status, durationMs, bytes: this.received });
  }

  private fail(error: string): void {
    const done = this.done;
    if (!done) return;
    // A kept-alive connection the server closed while idle: send once more on a new one, as HTTP clients do.
    if (this.reused && !this.retried && this.received === 0 && error !== 'timeout') {
      this.retried = true;
      this.socket?.destroy();
      this.socket = undefined;
      this.connected = false;
      this.write();
      return;
    }
    this.done = undefined;
    clearTimeout(this.timer);
    this.close();
    done({ status: 0, durationMs: performance.now() - this.started, bytes: this.received, error });
  }
}

/** The request bytes, built once per scenario request. */
export function buildRequest(method: string, target: URL, headers: Record<string, string>, body?: string): Buffer {
  const lines = [`${method} ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`];
  const names = new Set(Object.keys(headers).map((h) => h.toLowerCase()));
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (!names.has('user-agent')) lines.push('User-Agent: api-delivery-perf');
  if (!names.has('accept')) lines.push('Accept: */*');
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  if (payload || method === 'POST' || method === 'PUT' || method === 'PATCH') lines.push(`Content-Length: ${payload?.length ?? 0}`);
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
  return payload ? Buffer.concat([head, payload]) : head;
}
