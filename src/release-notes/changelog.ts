import type { BreakingResult, Semver } from '../breaking/engine.js';
import { METHODS } from '../breaking/context.js';
import { formatDay, parseSunset } from '../breaking/rules/lifecycle.js';
import { child, isObj, own, ownKeys, type Loc } from '../breaking/spec/loc.js';
import type { Spec } from '../breaking/spec/load.js';
import type { Finding, Level, Location } from '../kit/result.js';
import { migrationHint } from './migration.js';

/**
 * The API changelog between two specs, read from the breaking engine's findings and the two loaded
 * specs: which changes break clients, what is deprecated and until when, what is new.
 */
export interface ApiChangelog {
  title: string;
  baseVersion?: string;
  revisionVersion?: string;
  semver: Semver;
  /** Error-level findings: clients break. */
  breaking: ChangeEntry[];
  /** Warning-level findings: some clients may break. */
  mayAffect: ChangeEntry[];
  /** Everything deprecated in the revision (new in this release or earlier), soonest sunset first. */
  deprecations: DeprecationEntry[];
  newOperations: NewOperation[];
  /** Info-level changes that are neither new operations nor deprecations. */
  other: ChangeEntry[];
}

export interface ChangeEntry {
  id: string;
  level: Level;
  /** As the revision names it (`DELETE /pets/{id}`); the base's name for removed operations. */
  operation?: string;
  message: string;
  location?: Location;
  /** Breaking and may-affect changes only. */
  family?: string;
  hint?: string;
}

export interface DeprecationEntry {
  operation: string;
  /** `operation`, or the deprecated part: `query parameter 'sort'`, `request property 'tag'`… */
  element: string;
  /** YYYY-MM-DD, when the spec gives a valid x-sunset. */
  sunset?: string;
  /** The x-sunset value when it is not a valid date. */
  invalidSunset?: string;
  /** Days from the release day to the sunset (negative: already past). */
  daysLeft?: number;
  /** Deprecated by this release (a finding), not by an earlier one. */
  newInRelease: boolean;
  location?: Location;
}

export interface NewOperation {
  operation: string;
  summary?: string;
  operationId?: string;
  location?: Location;
}

const DEPRECATION = /-deprecated(-with-sunset|-sunset-missing|-sunset-invalid|-sunset-parse)?$|^api-deprecated-sunset-(parse|missing)$/;
/** Policy findings about sunset dates: the breaking gate judges them; notes show the schedule instead. */
const SUNSET_POLICY = /sunset-date-too-small$|sunset-date-changed-too-small$|(^|-)sunset-deleted$/;
/** The version rules speak to the breaking gate; release notes check versions themselves. */
const VERSION_RULES = /^api-(major-)?version-/;

export function buildChangelog(result: BreakingResult, base: Spec, rev: Spec, today: Date): ApiChangelog {
  const names = revisionNames(rev);
  const display = (op: string | undefined) => (op ? (names.get(opKey(op)) ?? op) : undefined);
  const out: ApiChangelog = {
    title: str(own(own(rev.root.value, 'info'), 'title')) ?? 'API',
    baseVersion: str(own(own(base.root.value, 'info'), 'version')),
    revisionVersion: str(own(own(rev.root.value, 'info'), 'version')),
    semver: result.semver,
    breaking: [],
    mayAffect: [],
    deprecations: [],
    newOperations: [],
    other: [],
  };
  const deprecated = new Map<string, DeprecationEntry>();
  const todayDay = Math.floor(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) / 86_400_000);

  for (const f of result.findings) {
    const operation = display(f.operation);
    if (VERSION_RULES.test(f.id)) continue;
    if (f.id === 'endpoint-added') {
      out.newOperations.push(newOperation(rev, operation ?? f.message, f.location));
      continue;
    }
    if (DEPRECATION.test(f.id)) {
      const element = deprecatedElement(f);
      const e: DeprecationEntry = { operation: operation ?? '(spec)', element, newInRelease: true };
      applySunset(e, f.data?.sunset, todayDay);
      if (f.location) e.location = f.location;
      deprecated.set(`${e.operation}\u0000${element}`, e);
      continue;
    }
    if (SUNSET_POLICY.test(f.id)) continue;
    const entry: ChangeEntry = { id: f.id, level: f.level, message: f.message };
    if (operation) entry.operation = operation;
    if (f.location) entry.location = f.location;
    if (f.level === 'info') {
      out.other.push(entry);
      continue;
    }
    Object.assign(entry, migrationHint(f.id));
    (f.level === 'error' ? out.breaking : out.mayAffect).push(entry);
  }

  for (const e of scanDeprecations(rev, todayDay)) {
    const key = `${e.operation}\u0000${e.element}`;
    const known = deprecated.get(key);
    if (known) {
      // The spec's own x-sunset is the truth for the schedule; the finding says it is new.
      if (!known.sunset && !known.invalidSunset) Object.assign(known, { sunset: e.sunset, invalidSunset: e.invalidSunset, daysLeft: e.daysLeft });
    } else deprecated.set(key, e);
  }
  out.deprecations = [...deprecated.values()].sort(
    (a, b) => (a.sunset ?? '9999').localeCompare(b.sunset ?? '9999') || a.operation.localeCompare(b.operation) || a.element.localeCompare(b.element),
  );
  out.newOperations.sort((a, b) => pathOf(a.operation).localeCompare(pathOf(b.operation)) || a.operation.localeCompare(b.operation));
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function pathOf(op: string): string {
  return op.slice(op.indexOf(' ') + 1);
}

/** `GET /pets/{petId}` and `GET /pets/{id}` are the same endpoint (the engine matches them so). */
function opKey(op: string): string {
  const sp = op.indexOf(' ');
  return `${op.slice(0, sp).toUpperCase()} ${op.slice(sp + 1).replace(/\{[^}]*\}/g, '{}')}`;
}

/** Operation names as the revision writes them, keyed by `opKey`. */
function revisionNames(rev: Spec): Map<string, string> {
  const names = new Map<string, string>();
  for (const { op } of operations(rev)) names.set(opKey(op), op);
  return names;
}

interface OperationLoc {
  op: string;
  node: Loc;
  pathItem: Loc;
}

function operations(spec: Spec): OperationLoc[] {
  const out: OperationLoc[] = [];
  const root: Loc = { v: spec.root.value, doc: spec.root, path: [] };
  const paths = child(root, 'paths');
  for (const p of ownKeys(paths.v)) {
    const item = spec.deref(child(paths, p));
    if (!isObj(item.v)) continue;
    for (const m of METHODS) {
      const node = child(item, m);
      if (isObj(node.v)) out.push({ op: `${m.toUpperCase()} ${p}`, node, pathItem: item });
    }
  }
  return out;
}

function newOperation(rev: Spec, operation: string, location?: Location): NewOperation {
  const found = operations(rev).find((o) => o.op === operation);
  const n: NewOperation = { operation };
  const summary = str(own(found?.node.v, 'summary'));
  const operationId = str(own(found?.node.v, 'operationId'));
  if (summary) n.summary = summary;
  if (operationId) n.operationId = operationId;
  if (location) n.location = location;
  return n;
}

function deprecatedElement(f: Finding): string {
  if (/^(endpoint|api)-/.test(f.id)) return 'operation';
  const d = f.data ?? {};
  if (f.id.startsWith('request-parameter-')) return `${String(d.in ?? '')} parameter '${String(d.name ?? '?')}'`.trim();
  const prop = d.property ?? /'([^']+)'/.exec(f.message)?.[1] ?? '?';
  return `${f.id.startsWith('response-') ? 'response' : 'request'} property '${String(prop)}'`;
}

function applySunset(e: DeprecationEntry, v: unknown, todayDay: number): void {
  if (v === undefined) return;
  const s = parseSunset(v);
  if (s.ok) {
    e.sunset = formatDay(s.day);
    e.daysLeft = s.day - todayDay;
  } else e.invalidSunset = String(v);
}

/** Operations and parameters the revision marks deprecated (also those deprecated by earlier releases). */
function scanDeprecations(rev: Spec, todayDay: number): DeprecationEntry[] {
  const out: DeprecationEntry[] = [];
  const lineOf = (loc: Loc): Location => {
    const line = loc.doc.lines([loc.path])[0];
    return line === undefined ? { file: loc.doc.name } : { file: loc.doc.name, line };
  };
  for (const { op, node, pathItem } of operations(rev)) {
    if (own(node.v, 'deprecated') === true) {
      const e: DeprecationEntry = { operation: op, element: 'operation', newInRelease: false, location: lineOf(node) };
      applySunset(e, own(node.v, 'x-sunset'), todayDay);
      out.push(e);
    }
    for (const holder of [child(pathItem, 'parameters'), child(node, 'parameters')]) {
      if (!Array.isArray(holder.v)) continue;
      holder.v.forEach((_, i) => {
        const p = rev.deref(child(holder, i));
        if (own(p.v, 'deprecated') !== true) return;
        const e: DeprecationEntry = {
          operation: op,
          element: `${String(own(p.v, 'in') ?? '')} parameter '${String(own(p.v, 'name') ?? '?')}'`.trim(),
          newInRelease: false,
          location: lineOf(p),
        };
        applySunset(e, own(p.v, 'x-sunset'), todayDay);
        out.push(e);
      });
    }
  }
  return out;
}
