/** Verify a checklist against the requirements of a level: one finding per problem, each on its row. */
import { InputError } from '../kit/errors.js';
import type { Finding, Level } from '../kit/result.js';
import type { Catalog } from './catalog-file.js';
import { isPartialStatus, parseStatus, readStatus, type Checklist, type Row, type Status } from './checklist.js';
import { checkPathEvidence, classifyEvidence, isEvidenceProblem, isKnownProbe } from './evidence.js';
import { PROBE_IDS } from './probe/ids.js';
import {
  chaptersOf,
  counterparts,
  findRequirement,
  isVersion,
  LATEST,
  parseVersionedId,
  requiredAt,
  requirementsOf,
  versionedId,
  type AsvsLevel,
  type AsvsVersion,
  type Requirement,
} from './standard.js';

/** What a probe run said, as far as a checklist row citing it needs to know. */
export interface ProbeVerdict {
  id: string;
  status: 'pass' | 'fail' | 'skipped';
  detail: string;
}

export interface VerifyOptions {
  /** Target level; defaults to the level the checklist declares. */
  level?: AsvsLevel;
  /** Defaults to the version the checklist declares, else the version of its ids. */
  version?: AsvsVersion;
  /** Repository root that evidence paths are relative to. */
  root: string;
  allowTodo?: boolean;
  catalog?: Catalog;
  /** Probe outcomes from this run; without them a cited probe is noted, not judged. */
  probes?: ProbeVerdict[];
  /** The checklist as it was on the base branch. */
  base?: Checklist;
}

export interface ChapterCoverage {
  chapter: string;
  name: string;
  required: number;
  pass: number;
  fail: number;
  na: number;
  todo: number;
  /** Rows with no usable status, plus requirements with no row. */
  missing: number;
}

export interface StatusChange {
  id: string;
  from: Status | 'added';
  to: Status | 'removed' | 'invalid';
  line?: number;
}

export interface VerifyOutcome {
  version: AsvsVersion;
  level: AsvsLevel;
  findings: Finding[];
  coverage: ChapterCoverage[];
  changes: StatusChange[];
  metrics: Record<string, number>;
}

export function parseLevel(text: string, field: string, file?: string): AsvsLevel {
  const m = /^L?([123])$/i.exec(text.trim());
  if (!m) throw new InputError(`${field}: '${text}' is not an ASVS level: expected 1, 2 or 3`, { field, file });
  return Number(m[1]) as AsvsLevel;
}

export function parseVersion(text: string, field: string, file?: string): AsvsVersion {
  let v = text.trim().replace(/^v/i, '');
  // "ASVS 5.0" names one release: 5.0.0. "4.0" does not (4.0.1, 4.0.2, 4.0.3 differ).
  if (/^5(\.0)?$/.test(v)) v = '5.0.0';
  if (!isVersion(v)) {
    const hint = /^4(\.0)?$/.test(v) ? ` ('${text.trim()}' could be 4.0.1, 4.0.2 or 4.0.3: write 4.0.3, the only 4.x supported)` : '';
    throw new InputError(`${field}: '${text}' is not a supported ASVS version: expected 4.0.3 or 5.0.0${hint}`, { field, file });
  }
  return v;
}

/** Which version the checklist is for: the option, the declaration, the most common id version, or the latest. */
function chooseVersion(list: Checklist, opt?: AsvsVersion): AsvsVersion {
  if (opt) return opt;
  if (list.version) return parseVersion(list.version.value, `${list.file}:${list.version.line}: ASVS version`, list.file);
  const counts = new Map<AsvsVersion, number>();
  for (const r of list.rows) {
    const v = parseVersionedId(r.id)?.version;
    if (v && isVersion(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return best ? best[0] : LATEST;
}

export function verifyChecklist(list: Checklist, opts: VerifyOptions): VerifyOutcome {
  const version = chooseVersion(list, opts.version);
  let level = opts.level;
  if (!level) {
    if (!list.level) throw new InputError(`level: required (1, 2 or 3): pass --level or declare 'Target level: N' in ${list.file}`, { field: 'level' });
    level = parseLevel(list.level.value, `${list.file}:${list.level.line}: Target level`, list.file);
  }
  if (opts.catalog && opts.catalog.version !== version) {
    throw new InputError(`catalog: '${opts.catalog.file}' is ASVS ${opts.catalog.version}, but the checklist is for ${version}`, {
      field: 'catalog',
      file: opts.catalog.file,
    });
  }
  const findings: Finding[] = [];
  const file = list.file;
  const describe = (id: string) => {
    const d = opts.catalog?.descriptions.get(id);
    return d ? ` — ${d}` : '';
  };
  const add = (id: string, lvl: Level, message: string, line: number | undefined, data: Record<string, unknown> = {}) => {
    findings.push({ id, level: lvl, message, location: { file, ...(line ? { line } : {}) }, ...(Object.keys(data).length ? { data } : {}) });
  };

  if (opts.version && list.version && list.version.value.replace(/^v/i, '') !== opts.version) {
    add('asvs-version-mismatch', 'error', `The checklist declares ASVS ${list.version.value}, but ${opts.version} was asked for`, list.version.line);
  }

  const known = requirementsOf(version);
  const seen = new Map<string, Row>();
  /** Requirements whose row exists but has an unversioned id: reported once, on that row, not also as missing. */
  const misspelt = new Set<string>();
  const statusOf = new Map<string, Status>();
  const probeById = new Map((opts.probes ?? []).map((p) => [p.id, p] as const));

  for (const row of list.rows) {
    const line = row.line;
    const parsed = parseVersionedId(row.id);
    if (!parsed) {
      const bare = /^V?(\d+\.\d+\.\d+)$/i.exec(row.id);
      if (bare) misspelt.add(versionedId(version, bare[1]!));
      const hint = bare
        ? `; write it with its version, e.g. ${versionedId(version, bare[1]!)} (a bare id is ambiguous: ASVS 5.0 renumbered every requirement)`
        : '; expected a versioned id such as v5.0.0-6.2.1';
      add('asvs-invalid-id', 'error', row.id ? `'${row.id}' is not a versioned ASVS id${hint}` : `Row without an ASVS id${hint}`, line);
      continue;
    }
    const id = versionedId(parsed.version, parsed.number);
    if (parsed.version !== version) {
      const other = isVersion(parsed.version) ? counterparts(id, version) : [];
      const hint = other.length ? `; in ${version} see ${other.join(', ')}` : isVersion(parsed.version) ? `; it has no ${version} counterpart` : '';
      add('asvs-version-mismatch', 'error', `${id} is an ASVS ${parsed.version} id in a checklist for ${version}${hint}`, line, {
        requirement: id,
        ...(other.length ? { counterparts: other } : {}),
      });
      continue;
    }
    const req = known.get(id);
    if (!req || req.level === 0) {
      add(
        'asvs-unknown-requirement',
        'error',
        req ? `${id} is a deleted placeholder in ASVS ${version}, not a requirement` : `${id} is not a requirement of ASVS ${version}`,
        line,
        { requirement: id },
      );
      continue;
    }
    const first = seen.get(id);
    if (first) {
      add('asvs-duplicate-requirement', 'error', `${id} is listed again (first on line ${first.line}); keep one row per requirement`, line, {
        requirement: id,
      });
      continue;
    }
    seen.set(id, row);
    checkRow(row, req);
  }

  function checkRow(row: Row, req: Requirement): void {
    const { line } = row;
    const id = req.id;
    const required = req.level <= level!;
    /** Problems on a row above the target level inform; they do not fail the gate. */
    const sev = (lvl: Level): Level => (required ? lvl : lvl === 'error' ? 'warning' : lvl);
    const above = required ? '' : ` (above level ${level})`;
    if (row.level && !new RegExp(`^L?${req.level}$`, 'i').test(row.level)) {
      add('asvs-level-mismatch', 'warning', `${id}: the Level column says '${row.level}', but ASVS ${version} puts it at level ${req.level}`, line, {
        requirement: id,
      });
    }
    const read = readStatus(row.status);
    const status = read.status;
    if (!status) {
      // A requirement above the target level may stay blank: it is not asked for.
      if (!required && row.status.trim() === '') return;
      const why = isPartialStatus(row.status)
        ? `; a requirement partly met is not met: mark it fail (or todo while the work goes on) and say in Notes what is missing`
        : row.status
          ? ' (also accepted: pass/yes/✅, fail/no/❌, n/a/not applicable, todo/not tested)'
          : ' (the cell is empty)';
      add('asvs-invalid-status', sev('error'), `${id}: status '${row.status}' is not one of pass, fail, n/a, todo${why}${above}`, line, { requirement: id });
      return;
    }
    statusOf.set(id, status);
    const data = { requirement: id, status, requiredAtLevel: required };
    const reason = [row.notes.trim(), read.note ?? ''].filter(Boolean).join('; ');
    if (status === 'fail') {
      add('asvs-requirement-failed', required ? 'error' : 'warning', `${id} is marked fail${above}${describe(id)}`, line, data);
    } else if (status === 'todo' && required) {
      add('asvs-requirement-todo', opts.allowTodo ? 'warning' : 'error', `${id} is still todo${describe(id)}`, line, data);
    } else if (status === 'n/a' && reason === '') {
      add('asvs-justification-missing', sev('error'), `${id} is n/a without a reason: say in Notes why it does not apply${above}${describe(id)}`, line, data);
    } else if (status === 'pass' && row.evidence.length === 0) {
      add('asvs-evidence-missing', sev('error'), `${id} is marked pass without evidence: cite a file (path#L12), a URL or a probe id${above}${describe(id)}`, line, data);
    }
    for (const text of row.evidence) checkEvidence(text, id, status, line, required);
  }

  function checkEvidence(text: string, id: string, status: Status, line: number, required: boolean): void {
    const sev = (lvl: Level): Level => (required ? lvl : lvl === 'error' ? 'warning' : lvl);
    const e = classifyEvidence(text);
    if (isEvidenceProblem(e)) {
      add('asvs-evidence-invalid', sev('error'), `${id}: evidence ${e.message}`, line, { requirement: id, evidence: text });
      return;
    }
    if (e.kind === 'url') return;
    if (e.kind === 'probe') {
      if (!isKnownProbe(e.probe)) {
        add('asvs-evidence-not-found', sev('error'), `${id}: evidence '${text}' names no probe; known probes: ${PROBE_IDS.join(', ')}`, line, {
          requirement: id,
          evidence: text,
        });
        return;
      }
      if (status !== 'pass') return;
      const run = probeById.get(e.probe);
      if (!run) {
        add('asvs-probe-not-run', 'info', `${id} cites ${e.probe}, which did not run here; run the probes (mode both) to check it`, line, {
          requirement: id,
          evidence: e.probe,
        });
      } else if (run.status === 'fail') {
        add('asvs-requirement-failed', sev('error'), `${id} is marked pass but cites ${e.probe}, which failed${required ? '' : ` (above level ${level})`}: ${run.detail}${describe(id)}`, line, {
          requirement: id,
          evidence: e.probe,
          status,
        });
      } else if (run.status === 'skipped') {
        add('asvs-probe-not-run', 'warning', `${id} cites ${e.probe}, which was skipped: ${run.detail}`, line, { requirement: id, evidence: e.probe });
      }
      return;
    }
    const problem = checkPathEvidence(e, opts.root);
    if (!problem) return;
    const rule = problem.kind === 'outside-repo' ? 'asvs-evidence-outside-repo' : problem.kind === 'not-found' ? 'asvs-evidence-not-found' : 'asvs-evidence-invalid';
    // A path leaving the repository is refused at every level; a stale path above the target level only informs.
    add(rule, problem.kind === 'outside-repo' ? 'error' : sev('error'), `${id}: evidence ${problem.message}`, line, { requirement: id, evidence: text });
  }

  const required = requiredAt(version, level);
  for (const req of required) {
    if (!seen.has(req.id) && !misspelt.has(req.id)) {
      add('asvs-requirement-missing', 'error', `${req.id} (level ${req.level}, ${req.section} ${req.sectionName}) has no row${describe(req.id)}`, list.anchorLine || undefined, {
        requirement: req.id,
      });
    }
  }

  const coverage = chaptersOf(version).map(({ chapter, name }) => {
    const c: ChapterCoverage = { chapter: `V${chapter}`, name, required: 0, pass: 0, fail: 0, na: 0, todo: 0, missing: 0 };
    for (const req of required) {
      if (req.chapter !== chapter) continue;
      c.required++;
      const s = statusOf.get(req.id);
      if (s === 'pass') c.pass++;
      else if (s === 'fail') c.fail++;
      else if (s === 'n/a') c.na++;
      else if (s === 'todo') c.todo++;
      else c.missing++;
    }
    return c;
  });

  const changes = opts.base ? compareWithBase(opts.base, version, statusOf, seen, list, add) : [];
  const sum = (k: keyof Omit<ChapterCoverage, 'chapter' | 'name'>) => coverage.reduce((a, c) => a + c[k], 0);
  const done = sum('pass') + sum('na');
  const metrics: Record<string, number> = {
    'level': level,
    'requirements': sum('required'),
    'pass': sum('pass'),
    'n/a': sum('na'),
    'fail': sum('fail'),
    'todo': sum('todo'),
    'missing': sum('missing'),
    'coverage %': sum('required') ? Math.floor((1000 * done) / sum('required')) / 10 : 100,
  };
  if (opts.base) metrics['regressed since base'] = changes.filter((c) => c.from === 'pass').length;
  return { version, level, findings, coverage, changes, metrics };
}

function compareWithBase(
  base: Checklist,
  version: AsvsVersion,
  now: Map<string, Status>,
  rows: Map<string, Row>,
  list: Checklist,
  add: (id: string, lvl: Level, message: string, line: number | undefined, data?: Record<string, unknown>) => void,
): StatusChange[] {
  const before = new Map<string, Status>();
  for (const r of base.rows) {
    const p = parseVersionedId(r.id);
    const s = parseStatus(r.status);
    if (p && s && p.version === version && findRequirement(r.id)) before.set(versionedId(p.version, p.number), s);
  }
  const changes: StatusChange[] = [];
  for (const [id, from] of before) {
    const to: StatusChange['to'] = now.get(id) ?? (rows.has(id) ? 'invalid' : 'removed');
    if (to === from) continue;
    const line = rows.get(id)?.line;
    changes.push({ id, from, to, ...(line ? { line } : {}) });
    if (from === 'pass') {
      add('asvs-status-regressed', 'warning', `${id} was pass on the base branch and is now ${to === 'removed' ? 'gone from the checklist' : to === 'invalid' ? 'without a valid status' : to}`, line ?? (list.anchorLine || undefined), {
        requirement: id,
        from,
        to,
      });
    }
  }
  for (const [id, to] of now) if (!before.has(id)) changes.push({ id, from: 'added', to, line: rows.get(id)!.line });
  return changes;
}
