import { locateJsonLines } from '../breaking/spec/json-locate.js';
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
  if (spec.docs.size > 1) {
    const others = [...spec.docs.values()].filter((d) => d !== spec.root).map((d) => d.name);
    throw new InputError(
      `${spec.root.name}: the pact comparison reads a single-file spec, and this one references ${others.join(', ')}; bundle it into one file first (e.g. redocly bundle)`,
      { file: spec.root.name },
    );
  }
  const comparator = newComparator(spec.root.value);
  const findings: Finding[] = [];
  const interactions: InteractionRow[] = [];
  for (const pact of pacts) {
    const results: ComparatorResult[] = [];
    try {
      for await (const r of comparator.compare(pact.json)) results.push(r);
    } catch (e) {
      throw new InputError(`${pact.file}: the comparator could not read this pact: ${(e as Error).message}`, { file: pact.file });
    }
    const pactFindings = results.filter((r) => r.type !== 'info').map((r) => toFinding(r, pact, spec.root.name));
    findings.push(...pactFindings);
    for (const it of pact.interactions) {
      const own = pactFindings.filter((f) => f.data?.interactionIndex === it.index && f.data?.list === it.list);
      const errors = own.filter((f) => f.level === 'error');
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
    },
  };
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
  return {
    id: r.code,
    level: r.type === 'error' ? 'error' : 'warning',
    message: `${pact.consumer} → ${pact.provider}, ${label}: ${r.message}${inSpec}`,
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
