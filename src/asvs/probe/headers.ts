/**
 * probe:headers: answers carry `X-Content-Type-Options: nosniff`, reveal no versions in `Server` /
 * `X-Powered-By` (and friends), do not combine `Access-Control-Allow-Origin: *` (or an echoed foreign
 * origin) with credentials, and, on https, send HSTS.
 */
import type { Finding } from '../../kit/result.js';
import type { ProbeResponse } from './http.js';
import { headerParams, requestTarget, type Operation } from './operations.js';
import { outcome, probeFinding, type ProbeContext, type ProbeOutcome } from './types.js';

const PROBE_ORIGIN = 'https://asvs-probe.invalid';
const VERSION_HEADERS = ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-generator', 'x-runtime-version'];
/** `nginx/1.18.0`, `Express 4.17.1`, `PHP/8.1`, `Microsoft-IIS/10.0`: a product followed by a version number. */
const HAS_VERSION = /(?:\/|\s|^)v?\d+(?:\.\d+)+|\/\s*v?\d+(?![\w])/;

export async function probeHeaders(ctx: ProbeContext): Promise<ProbeOutcome> {
  const start = ctx.client.sent;
  const op = pickReadable(ctx.spec.operations);
  const samples: { what: string; op?: Operation; res: ProbeResponse }[] = [];
  if (op) {
    const res = await ctx.client.request(op.method, requestTarget(op), {
      headers: { ...headerParams(op), Origin: PROBE_ORIGIN },
      auth: true,
    });
    samples.push({ what: `${op.key} (${res.status})`, op, res });
  }
  const missing = await ctx.client.request('GET', '/asvs-probe-no-such-path', { headers: { Origin: PROBE_ORIGIN }, auth: true });
  samples.push({ what: `an unknown path (${missing.status})`, res: missing });

  const findings: Finding[] = [];
  const seen = new Set<string>();
  const once = (key: string, f: () => Finding) => {
    if (!seen.has(key)) {
      seen.add(key);
      findings.push(f());
    }
  };
  const https = ctx.client.base.protocol === 'https:';
  for (const { what, op: o, res } of samples) {
    const h = res.headers;
    // A proxy and the app may both set it: fetch joins the two as `nosniff, nosniff`.
    const xcto = (h.get('x-content-type-options') ?? '').split(',').map((v) => v.trim().toLowerCase());
    if (!xcto.includes('nosniff') || xcto.some((v) => v !== 'nosniff')) {
      once('nosniff', () => probeFinding(ctx, 'probe:headers', 'asvs-header-nosniff-missing', 'error', `X-Content-Type-Options: nosniff is missing on ${what}`, o));
    }
    for (const name of VERSION_HEADERS) {
      const value = h.get(name);
      if (value && HAS_VERSION.test(value)) {
        once(`version:${name}`, () =>
          probeFinding(ctx, 'probe:headers', 'asvs-header-version-leak', 'error', `${canonical(name)}: '${value.slice(0, 80)}' reveals a software version (${what})`, o, {
            header: canonical(name),
          }),
        );
      }
    }
    const acao = (h.get('access-control-allow-origin') ?? '').trim();
    const acac = (h.get('access-control-allow-credentials') ?? '').trim().toLowerCase() === 'true';
    if (acac && (acao === '*' || acao === PROBE_ORIGIN)) {
      once('cors', () =>
        probeFinding(
          ctx,
          'probe:headers',
          'asvs-cors-credentials-any-origin',
          'error',
          acao === '*'
            ? `Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true (${what})`
            : `the foreign origin ${PROBE_ORIGIN} is echoed in Access-Control-Allow-Origin with credentials allowed (${what})`,
          o,
        ),
      );
    }
    if (https) {
      const hsts = h.get('strict-transport-security') ?? '';
      const maxAge = /max-age\s*=\s*"?(\d+)/i.exec(hsts);
      if (!maxAge || Number(maxAge[1]) <= 0) {
        once('hsts', () =>
          probeFinding(ctx, 'probe:headers', 'asvs-header-hsts-missing', 'error', `Strict-Transport-Security with a positive max-age is missing on ${what}`, o),
        );
      }
    }
  }
  const checked = ['nosniff', 'no version in Server/X-Powered-By', 'CORS', ...(https ? ['HSTS'] : [])].join(', ');
  return outcome('probe:headers', findings, ctx.client.sent - start, `${samples.length} answers checked: ${checked}`);
}

/** A GET the caller can make: no path parameters first, then any GET. */
export function pickReadable(ops: Operation[]): Operation | undefined {
  const gets = ops.filter((o) => o.method === 'GET');
  return gets.find((o) => !o.params.some((p) => p.in === 'path')) ?? gets[0];
}

function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}
