/** A test case as an HTTP request (parameter serialization per OpenAPI styles), and as a curl line. */
import { isObj } from '../breaking/spec/loc.js';
import type { TestCase } from './cases.js';
import { isJsonMedia } from './cases.js';
import type { Parameter } from './operations.js';

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

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function pathSegment(v: string): string {
  return encodeURIComponent(v);
}

function serialize(p: Parameter, v: unknown): string | [string, string][] {
  if (p.json) return JSON.stringify(v);
  const explode = p.explode ?? (p.style === undefined || p.style === 'form');
  if (Array.isArray(v)) {
    if (p.in === 'query' && explode && (p.style ?? 'form') === 'form') return v.map((x) => [p.name, scalar(x)]);
    const sep = p.style === 'spaceDelimited' ? ' ' : p.style === 'pipeDelimited' ? '|' : ',';
    return v.map(scalar).join(sep);
  }
  if (isObj(v)) {
    if (p.in === 'query' && p.style === 'deepObject') return Object.entries(v).map(([k, x]) => [`${p.name}[${k}]`, scalar(x)]);
    if (p.in === 'query' && explode) return Object.entries(v).map(([k, x]) => [k, scalar(x)]);
    return Object.entries(v).flatMap(([k, x]) => [k, scalar(x)]).join(',');
  }
  return scalar(v);
}

export function buildRequest(c: TestCase, baseUrl: string, creds: Credentials): HttpRequest {
  let path = c.op.path;
  const query = new URLSearchParams();
  const headers: [string, string][] = [];
  const cookies: string[] = [];
  for (const [p, v] of c.data.params) {
    const s = serialize(p, v);
    if (p.in === 'path') path = path.split(`{${p.name}}`).join(pathSegment(typeof s === 'string' ? s : s.map((x) => x[1]).join(',')));
    else if (p.in === 'query') {
      if (typeof s === 'string') query.append(p.name, s);
      else for (const [k, x] of s) query.append(k, x);
    } else if (p.in === 'header') headers.push([p.name, typeof s === 'string' ? s : s.map((x) => x[1]).join(',')]);
    else cookies.push(`${p.name}=${typeof s === 'string' ? s : s.map((x) => x[1]).join(',')}`);
  }
  const credentials = c.data.credentials ? creds.headers : [];
  // One Cookie header (RFC 6265): cookie parameters and a credential cookie from --header travel together.
  const credCookie = credentials.find(([k]) => k.toLowerCase() === 'cookie');
  if (cookies.length > 0) headers.push(['Cookie', [...cookies, ...(credCookie ? [credCookie[1]] : [])].join('; ')]);
  headers.push(...credentials.filter((h) => cookies.length === 0 || h !== credCookie));
  let body: string | undefined;
  const b = c.data.body;
  if (b) {
    headers.push(['Content-Type', b.mediaType]);
    if (b.raw !== undefined) body = b.raw;
    else if (isJsonMedia(b.mediaType)) body = JSON.stringify(b.value ?? null);
    else if (/x-www-form-urlencoded/i.test(b.mediaType) && isObj(b.value)) body = new URLSearchParams(Object.entries(b.value).map(([k, x]) => [k, scalar(x)])).toString();
    else body = scalar(b.value);
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
  const out = new Set<string>();
  for (const [k, v] of creds.headers) {
    out.add(v);
    const scheme = /^[A-Za-z][\w.+-]*\s+(\S.*)$/.exec(v);
    if (scheme) out.add(scheme[1]!);
    if (k.toLowerCase() === 'cookie') for (const pair of v.split(/;\s*/)) out.add(pair.slice(pair.indexOf('=') + 1));
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
  if (req.body !== undefined) parts.push('--data-raw', shellQuote(hide(req.body)));
  return parts.join(' ');
}
