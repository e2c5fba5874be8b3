/** A test case as an HTTP request (parameter serialization per OpenAPI styles), and as a curl line. */
import { isObj } from '../breaking/spec/loc.js';
import type { TestCase } from './cases.js';
import { isJsonMedia } from './cases.js';
import type { Encoding } from './operations.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
}

export interface Credentials {
  /** Headers sent with every request that asks for credentials (from --header). */
  headers: [string, string][];
}

/** How a number is written on the wire: integers beyond 2^53 in full digits (never `1e+21`, never rounded). */
export type Spell = (n: number) => string;

/** Integers beyond 2^53 as the exact value of the double (BigInt digits); other numbers as JavaScript writes them. */
export const plainSpell: Spell = (n) => (Number.isInteger(n) && !Number.isSafeInteger(n) ? BigInt(n).toString() : String(n));

/**
 * The spelling of the integer literals beyond 2^53 in the spec's source texts, by the double they
 * parse to: an example or bound of 9223372036854775807 is sent as written, not as the double's
 * 9223372036854775808 (which overflows an int64). Two literals for one double: the one nearer zero.
 */
export function spellingFrom(texts: string[]): Spell {
  const exact = new Map<number, string>();
  for (const t of texts) {
    for (const m of t.matchAll(/(?<![\w.+-])-?\d{16,}(?![\w.])/g)) {
      const n = Number(m[0]);
      if (!Number.isInteger(n) || Number.isSafeInteger(n)) continue;
      const prev = exact.get(n);
      const abs = (x: string) => BigInt(x.replace(/^-/, ''));
      if (prev === undefined || abs(m[0]) < abs(prev)) exact.set(n, m[0].replace(/^(-?)0+(?=\d)/, '$1'));
    }
  }
  if (exact.size === 0) return plainSpell;
  return (n) => exact.get(n) ?? plainSpell(n);
}

/** JSON text, integers beyond 2^53 spelled exactly. */
export function jsonText(v: unknown, spell: Spell = plainSpell): string {
  let big = false;
  const text = JSON.stringify(v ?? null, (_k, x: unknown) => {
    if (typeof x === 'number' && Number.isInteger(x) && !Number.isSafeInteger(x)) {
      big = true;
      return `\u0000${spell(x)}`;
    }
    return x;
  });
  return big ? text.replace(/"\\u0000(-?\d+)"/g, '$1') : text;
}

function scalar(v: unknown, spell: Spell = plainSpell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return spell(v);
  if (typeof v === 'object') return jsonText(v, spell);
  return String(v);
}

/**
 * A path or header value per its style (simple, label, matrix) and explode, as the OpenAPI
 * specification's style table writes them: `enc` encodes each name and value, the delimiters stay.
 */
function styled(style: string, explode: boolean, name: string, v: unknown, enc: (s: string) => string, spell: Spell): string {
  const list = Array.isArray(v) ? v.map((x) => enc(scalar(x, spell))) : undefined;
  const pairs = !list && isObj(v) ? Object.entries(v).map(([k, x]) => [enc(k), enc(scalar(x, spell))] as const) : undefined;
  const n = enc(name);
  if (style === 'matrix') {
    if (list) return explode ? list.map((x) => `;${n}=${x}`).join('') : `;${n}=${list.join(',')}`;
    if (pairs) return explode ? pairs.map(([k, x]) => `;${k}=${x}`).join('') : `;${n}=${pairs.flat().join(',')}`;
    const x = enc(scalar(v, spell));
    return x === '' ? `;${n}` : `;${n}=${x}`;
  }
  if (style === 'label') {
    if (list) return `.${list.join(explode ? '.' : ',')}`;
    if (pairs) return `.${explode ? pairs.map(([k, x]) => `${k}=${x}`).join('.') : pairs.flat().join(',')}`;
    return `.${enc(scalar(v, spell))}`;
  }
  if (list) return list.join(',');
  if (pairs) return explode ? pairs.map(([k, x]) => `${k}=${x}`).join(',') : pairs.flat().join(',');
  return enc(scalar(v, spell));
}

/** A query (or form field) value per its style and explode: the name/value pairs to send. */
function queryPairs(name: string, style: string | undefined, explodeFlag: boolean | undefined, v: unknown, spell: Spell): [string, string][] {
  const s = style ?? 'form';
  const explode = explodeFlag ?? s === 'form';
  if (Array.isArray(v)) {
    if (explode && s === 'form') return v.map((x) => [name, scalar(x, spell)]);
    const sep = s === 'spaceDelimited' ? ' ' : s === 'pipeDelimited' ? '|' : ',';
    return [[name, v.map((x) => scalar(x, spell)).join(sep)]];
  }
  if (isObj(v)) {
    if (s === 'deepObject') return Object.entries(v).map(([k, x]) => [`${name}[${k}]`, scalar(x, spell)]);
    if (explode) return Object.entries(v).map(([k, x]) => [k, scalar(x, spell)]);
    return [[name, Object.entries(v).flatMap(([k, x]) => [k, scalar(x, spell)]).join(',')]];
  }
  return [[name, scalar(v, spell)]];
}

const identity = (s: string) => s;

/**
 * An `application/x-www-form-urlencoded` body. Each property per its `encoding`: with a `style` or
 * `explode`, as a query parameter of that style; else by its content type: an array as repeated
 * fields, an object (or a JSON `contentType`) as JSON text, anything else as text.
 */
export function formBody(value: unknown, encoding: Record<string, Encoding> = {}, spell: Spell = plainSpell): string {
  if (!isObj(value)) return scalar(value, spell);
  const q = new URLSearchParams();
  for (const [k, x] of Object.entries(value)) {
    const e = encoding[k];
    // An empty list is no field at all (as an exploded one is), not an empty value.
    if (Array.isArray(x) && x.length === 0) continue;
    const styled = e?.style !== undefined || e?.explode !== undefined;
    if (!styled && ((e?.contentType !== undefined && /json/i.test(e.contentType)) || isObj(x))) q.append(k, jsonText(x, spell));
    else for (const [n, y] of queryPairs(k, e?.style, e?.explode, x, spell)) q.append(n, y);
  }
  return q.toString();
}

/**
 * A `multipart/form-data` body: one part per property (one per item of an array), files (`files`)
 * with a filename, objects as JSON, each part's Content-Type from `encoding` when it names one.
 */
export function multipartBody(value: unknown, files: ReadonlySet<string>, encoding: Record<string, Encoding> = {}, spell: Spell = plainSpell): { body: string; boundary: string } {
  const parts: string[] = [];
  const entries = isObj(value) ? Object.entries(value) : [];
  for (const [k, x] of entries) {
    for (const item of Array.isArray(x) && !encoding[k]?.contentType?.includes('json') ? x : [x]) {
      const file = files.has(k);
      const type = encoding[k]?.contentType?.split(',')[0]?.trim() ?? (file ? 'application/octet-stream' : isObj(item) || Array.isArray(item) ? 'application/json' : undefined);
      const name = k.replace(/["\r\n]/g, '_');
      const head = [`Content-Disposition: form-data; name="${name}"${file ? `; filename="${name}.bin"` : ''}`, ...(type ? [`Content-Type: ${type}`] : [])];
      parts.push(`${head.join('\r\n')}\r\n\r\n${type && /json/i.test(type) ? jsonText(item, spell) : scalar(item, spell)}`);
    }
  }
  let boundary = 'conformance-boundary-7d0a1f';
  for (let i = 2; parts.some((p) => p.includes(boundary)); i++) boundary = `conformance-boundary-7d0a1f-${i}`;
  return { body: `${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`, boundary };
}

export function buildRequest(c: TestCase, baseUrl: string, creds: Credentials, spell: Spell = plainSpell): HttpRequest {
  let path = c.op.path;
  const query = new URLSearchParams();
  const headers: [string, string][] = [];
  const cookies: string[] = [];
  for (const [p, v] of c.data.params) {
    if (p.in === 'path') {
      const text = p.json ? encodeURIComponent(jsonText(v, spell)) : styled(p.style ?? 'simple', p.explode ?? false, p.name, v, encodeURIComponent, spell);
      path = path.split(`{${p.name}}`).join(text);
    } else if (p.in === 'query') {
      for (const [k, x] of p.json ? [[p.name, jsonText(v, spell)] as [string, string]] : queryPairs(p.name, p.style, p.explode, v, spell)) query.append(k, x);
    } else if (p.in === 'header') headers.push([p.name, p.json ? jsonText(v, spell) : styled('simple', p.explode ?? false, p.name, v, identity, spell)]);
    else cookies.push(`${p.name}=${p.json ? jsonText(v, spell) : styled('simple', false, p.name, v, identity, spell)}`);
  }
  const credentials = c.data.credentials ? creds.headers : [];
  // One Cookie header (RFC 6265): cookie parameters and a credential cookie from --header travel together.
  const credCookie = credentials.find(([k]) => k.toLowerCase() === 'cookie');
  if (cookies.length > 0) headers.push(['Cookie', [...cookies, ...(credCookie ? [credCookie[1]] : [])].join('; ')]);
  headers.push(...credentials.filter((h) => cookies.length === 0 || h !== credCookie));
  let body: string | undefined;
  const b = c.data.body;
  if (b) {
    let type = b.mediaType;
    if (b.raw !== undefined) body = b.raw;
    else if (isJsonMedia(b.mediaType)) body = jsonText(b.value, spell);
    else if (/x-www-form-urlencoded/i.test(b.mediaType)) body = formBody(b.value, b.encoding, spell);
    else if (/^multipart\//i.test(b.mediaType)) {
      const m = multipartBody(b.value, new Set(b.files ?? []), b.encoding, spell);
      body = m.body;
      type = `${b.mediaType}; boundary=${m.boundary}`;
    } else body = scalar(b.value, spell);
    headers.push(['Content-Type', type]);
  }
  const qs = query.toString();
  return { method: c.op.method.toUpperCase(), url: joinUrl(baseUrl, path) + (qs ? `?${qs}` : ''), headers, body };
}

export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

/** True when `url` stays under the base URL (same origin, path under the base path). */
export function underBase(url: string, base: string): boolean {
  const u = new URL(url);
  const b = new URL(base);
  const prefix = b.pathname.replace(/\/+$/, '');
  return u.origin === b.origin && (u.pathname === prefix || u.pathname.startsWith(`${prefix}/`) || prefix === '');
}

/**
 * False when URL parsing would change the path (a '.' or '..' segment, even as %2E, is resolved by
 * every WHATWG URL parser): such a request would reach another endpoint than the case means.
 */
export function sendsAsBuilt(url: string): boolean {
  const raw = url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/[?#].*$/, '') || '/';
  return new URL(url).pathname === raw;
}

/** POSIX shell single quotes. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The secret strings of the credential headers: each whole value, the credential after an auth
 * scheme (`Bearer abc` → `abc`), each cookie value. Short ones (under 4 characters) are left out:
 * replacing them everywhere would garble the text more than it hides.
 */
export function secretsOf(creds: Credentials): string[] {
  const plain = new Set<string>();
  for (const [k, v] of creds.headers) {
    plain.add(v);
    const scheme = /^([A-Za-z][\w.+-]*)\s+(\S.*)$/.exec(v);
    if (scheme) plain.add(scheme[2]!);
    // Basic credentials are base64 of `user:password`: a server may echo the decoded pair.
    if (scheme && scheme[1]!.toLowerCase() === 'basic') {
      const pair = Buffer.from(scheme[2]!, 'base64').toString('utf8');
      if (/^[\x20-\x7e]+$/.test(pair)) {
        plain.add(pair);
        if (pair.includes(':')) plain.add(pair.slice(pair.indexOf(':') + 1));
      }
    }
    if (k.toLowerCase() === 'cookie') for (const part of v.split(/;\s*/)) plain.add(part.slice(part.indexOf('=') + 1));
  }
  // As the API may echo them: percent-encoded (a redirect's Location), form-encoded, inside a JSON string.
  const out = new Set<string>();
  for (const x of plain) {
    out.add(x);
    out.add(encodeURIComponent(x));
    out.add(new URLSearchParams({ x }).toString().slice(2));
    out.add(JSON.stringify(x).slice(1, -1));
  }
  return [...out].filter((x) => x.length >= 4).sort((a, b) => b.length - a.length);
}

/** `text` with every secret of the credential headers replaced by `***` (for messages: servers echo tokens). */
export function redact(text: string, creds: Credentials): string {
  let out = text;
  for (const secret of secretsOf(creds)) out = out.split(secret).join('***');
  return out;
}

/**
 * The request as one curl line. Values of the credential headers are replaced by `***` unless
 * `showSecrets` (a credential cookie sent with cookie parameters: only its part), so the line can
 * sit in a job summary.
 */
export function curlLine(req: HttpRequest, creds: Credentials, showSecrets = false): string {
  const secret = new Map(creds.headers.map(([k, v]) => [k.toLowerCase(), v]));
  const hide = (s: string) => (showSecrets ? s : redact(s, creds));
  const parts = ['curl', '-i', '-X', req.method, shellQuote(hide(req.url))];
  for (const [k, v] of req.headers) {
    const whole = !showSecrets && secret.get(k.toLowerCase()) === v;
    parts.push('-H', shellQuote(`${k}: ${whole ? '***' : hide(v)}`));
  }
  if (req.body === undefined) return parts.join(' ');
  const body = hide(req.body);
  // Line breaks (multipart bodies) and other control characters: printf writes them, curl reads stdin,
  // so the reproduction stays one line a terminal shows as it is.
  if (!/[\x00-\x1f\x7f]/.test(body)) return [...parts, '--data-raw', shellQuote(body)].join(' ');
  return `printf '%b' ${shellQuote(printfEscaped(body))} | ${[...parts, '--data-binary', '@-'].join(' ')}`;
}

/** `s` as an argument of printf's `%b` that prints exactly `s`: backslashes and control characters escaped. */
export function printfEscaped(s: string): string {
  return s.replace(/[\\\x00-\x1f\x7f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\0${c.charCodeAt(0).toString(8).padStart(3, '0')}`;
  });
}
