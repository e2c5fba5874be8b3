import { locateJsonLines } from '../breaking/spec/json-locate.js';
import { bundleSpec } from '../breaking/spec/bundle.js';
import { loadSpec, type LoadOptions } from '../breaking/spec/load.js';
import { InputError } from '../kit/errors.js';
import { sortFindings, verdictFor, type FailOn, type Finding } from '../kit/result.js';
import { newComparator, type ComparatorResult } from './comparator.js';
import type { ContractResult, InteractionRow } from './model.js';
import type { PactFile } from './pact-file.js';

export interface CompareOptions extends LoadOptions {
  failOn: FailOn;
}

/**
 * Bi-directional check: every interaction of every pact against the provider's OpenAPI spec,
 * with `@pactflow/openapi-pact-comparator` (the check PactFlow runs on the server). No broker.
 */
export async function comparePacts(pacts: readonly PactFile[], specSource: string, opts: CompareOptions): Promise<ContractResult> {
  const spec = loadSpec(specSource, opts);
  // The comparator reads one document: a spec spread over files is bundled into one first.
  const comparator = newComparator(spec.docs.size > 1 ? bundleSpec(spec) : spec.root.value);
  const findings: Finding[] = [];
  const interactions: InteractionRow[] = [];
  for (const pact of pacts) {
    checkHttpShape(pact);
    const results: ComparatorResult[] = [];
    try {
      for await (const r of comparator.compare(pact.json)) results.push(r);
    } catch (e) {
      throw new InputError(`${pact.file}: the comparator could not read this pact: ${(e as Error).message}`, { file: pact.file });
    }
    const pactFindings = results.filter((r) => r.type !== 'info').map((r) => toFinding(r, pact, spec.root.name));
    findings.push(...pactFindings);
    if (pact.interactions.length === 0) {
      // Nothing was compared: say so rather than report a clean pass.
      findings.push({
        id: 'pact-no-interactions',
        level: 'warning',
        message: `${pact.file}: the pact between ${pact.consumer} and ${pact.provider} has no interactions, so nothing was checked against the spec (did the consumer tests run?)`,
        location: { file: pact.file },
      });
    }
    const messages = pact.interactions.filter((it) => /Messages$/.test(it.type));
    if (messages.length > 0) {
      // The comparator checks HTTP interactions only: a message has no OpenAPI operation to match.
      const n = messages.length;
      const named = messages.slice(0, 5).map((it) => `${it.list}[${it.index}] '${it.description}'`);
      findings.push({
        id: 'messages-not-compared',
        level: 'warning',
        message:
          `${pact.consumer} → ${pact.provider}: ${n} message interaction${n === 1 ? ' was' : 's were'} not compared (${named.join(', ')}${n > 5 ? `, and ${n - 5} more` : ''}): ` +
          'an OpenAPI spec describes HTTP requests, not messages; verify them with the provider (contract verify --provider-messages-url)',
        location: { file: pact.file, line: messages[0]!.line },
        data: { consumer: pact.consumer, provider: pact.provider, interactions: messages.map((it) => it.description) },
      });
    }
    for (const it of pact.interactions) {
      const own = pactFindings.filter((f) => f.data?.interactionIndex === it.index && f.data?.list === it.list);
      const errors = own.filter((f) => f.level === 'error');
      if (/Messages$/.test(it.type)) {
        interactions.push({
          consumer: pact.consumer,
          provider: pact.provider,
          description: it.description,
          state: it.states.join(' and '),
          result: 'not-verified',
          file: pact.file,
          line: it.line,
          detail: 'message interaction: not in the OpenAPI spec, not compared',
        });
        continue;
      }
      interactions.push({
        consumer: pact.consumer,
        provider: pact.provider,
        description: it.description,
        state: it.states.join(' and '),
        result: errors.length > 0 ? 'fail' : 'pass',
        file: pact.file,
        line: it.line,
        detail: errors.length > 0 ? errors.map((f) => String(f.data?.code)).join(', ') : undefined,
      });
    }
  }
  const sorted = sortFindings(findings);
  const notCompared = interactions.filter((i) => i.result === 'not-verified').length;
  return {
    gate: 'contract',
    mode: 'compare',
    verdict: verdictFor(sorted, opts.failOn),
    findings: sorted,
    interactions,
    metrics: {
      pacts: pacts.length,
      interactions: interactions.length,
      'failed interactions': interactions.filter((i) => i.result === 'fail').length,
      ...(notCompared > 0 ? { 'not compared (messages)': notCompared } : {}),
    },
  };
}

/**
 * The fields the comparator needs in an HTTP interaction, checked first so that a bad one is named
 * (the comparator itself only says "Malformed Pact file").
 */
function checkHttpShape(pact: PactFile): void {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const raw = pact.json.interactions;
  if (!Array.isArray(raw)) return;
  for (const it of pact.interactions) {
    if (it.list !== 'interactions' || it.type !== 'Synchronous/HTTP') continue;
    const o = raw[it.index] as Record<string, unknown>;
    const where = `interactions[${it.index}]`;
    const bad = (field: string, expected: string, value: unknown) =>
      new InputError(`${pact.file}: ${where}.${field} is ${JSON.stringify(value) ?? 'missing'}: expected ${expected} (interaction '${it.description}')`, {
        file: pact.file,
        field: `${where}.${field}`,
      });
    if (!isObj(o.request)) throw bad('request', 'an object with method and path', o.request);
    if (!isObj(o.response)) throw bad('response', 'an object with a status', o.response);
    if (typeof o.request.method !== 'string') throw bad('request.method', 'an HTTP method such as "GET"', o.request.method);
    if (typeof o.request.path !== 'string') throw bad('request.path', 'a path such as "/pets/1"', o.request.path);
    const status = o.response.status;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) throw bad('response.status', 'an HTTP status code from 100 to 599', status);
    for (const side of ['request', 'response'] as const) {
      const h = (o[side] as Record<string, unknown>).headers;
      if (h !== undefined && !isObj(h)) throw bad(`${side}.headers`, 'an object mapping header names to values', h);
    }
  }
}

/** `[root].interactions[3].response.body.items.0` → list, index and the JSON path inside the pact. */
export function parseMockLocation(location: string | undefined): { list: string; index: number; path: string[] } | undefined {
  const m = /^\[root\]\.(interactions|messages)\[(\d+)\]\.?(.*)$/.exec(location ?? '');
  if (!m) return undefined;
  const rest = m[3]!.replace(/\[(\d+)\]/g, '.$1');
  return { list: m[1]!, index: Number(m[2]), path: rest === '' ? [] : rest.split('.') };
}

function toFinding(r: ComparatorResult, pact: PactFile, specName: string): Finding {
  const where = parseMockLocation(r.mockDetails?.location);
  const it = where ? pact.interactions.find((i) => i.list === where.list && i.index === where.index) : undefined;
  const line = where ? lineOf(pact.text, where.list, where.index, where.path) : undefined;
  const method = r.specDetails?.pathMethod;
  const pathName = r.specDetails?.pathName;
  const operation = method && pathName ? `${method.toUpperCase()} ${pathName}` : undefined;
  const label = it ? `${where!.list}[${it.index}] '${it.description}'` : 'the pact';
  const inSpec = operation ? ` (${specName}: ${operation})` : ` (${specName})`;
  // The field in the pact the finding is about (the comparator's messages rarely name it).
  const field = where && where.path.length > 1 ? ` at ${where.path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')}` : '';
  return {
    id: r.code,
    level: r.type === 'error' ? 'error' : 'warning',
    message: `${pact.consumer} → ${pact.provider}, ${label}: ${r.message}${field}${inSpec}`,
    location: { file: pact.file, line: line ?? it?.line },
    operation,
    data: {
      code: r.code,
      consumer: pact.consumer,
      provider: pact.provider,
      list: where?.list,
      interactionIndex: it?.index,
      interaction: it?.description,
      state: it?.states.join(' and '),
      pactLocation: r.mockDetails?.location,
      specLocation: r.specDetails?.location,
    },
  };
}

/** The line of the deepest part of `path` that exists in the file (v4 wraps bodies, so not every part does). */
function lineOf(text: string, list: string, index: number, path: string[]): number | undefined {
  const base = [list, String(index)];
  const candidates = [base, ...path.map((_, i) => [...base, ...path.slice(0, i + 1)])];
  const lines = locateJsonLines(text, candidates);
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i] !== undefined) return lines[i];
  return undefined;
}
