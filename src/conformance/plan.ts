/**
 * The API test plan (templates/Test-plan.md as filled in): required sections, no placeholders
 * left, every checkbox item checked or justified, environments listed, and items that name
 * conformance checks (`conformance:<check-id>`) linked to the checks a run performed.
 */
import type { Finding, Level } from '../kit/result.js';
import { CHECKS, isCheckId } from './checks.js';

export const PLAN_SECTIONS = ['Scope', 'Environments', 'Entry criteria', 'Exit criteria', 'Test items'] as const;
/** Sections whose checkbox items must each be checked or justified. */
const ITEM_SECTIONS = new Set(['entry criteria', 'exit criteria', 'test items']);
const JUSTIFICATION = /\b(N\/A|not applicable|waived|deferred|justification)\s*[:—-]\s*(.+)$/i;
const MIN_JUSTIFICATION = 10;
const CHECK_REF = /\b([a-z][a-z0-9-]*):([a-z][a-z0-9-]*)\b/g;

export interface PlanItem {
  line: number;
  section: string;
  text: string;
  checked: boolean;
  justification?: string;
  /** `conformance:<id>` references (ids only). */
  checks: string[];
}

export interface PlanReport {
  file: string;
  items: PlanItem[];
  findings: Finding[];
  /** Host names of the URLs in the Environments section. */
  environments: string[];
}

interface Section {
  title: string;
  line: number;
  body: { line: number; text: string }[];
}

export function verifyPlan(text: string, file: string): PlanReport {
  const findings: Finding[] = [];
  const add = (id: string, level: Level, message: string, line?: number) => findings.push({ id, level, message, location: { file, line } });
  const lines = withoutComments(text).split(/\r?\n/);
  const sections: Section[] = [];
  let current: Section | undefined;
  lines.forEach((raw, i) => {
    const h = /^#{2,3}\s+(.+?)\s*#*\s*$/.exec(raw);
    if (h) {
      current = { title: h[1]!.trim(), line: i + 1, body: [] };
      sections.push(current);
    } else if (current && raw.trim() !== '') current.body.push({ line: i + 1, text: raw });
  });
  lines.forEach((raw, i) => {
    const ph = /\{\{[^}]*\}\}/.exec(raw);
    if (ph) add('test-plan-placeholder', 'error', `template placeholder ${ph[0]} is still there: fill it in`, i + 1);
    else if (/\b(TODO|TBD)\b/.test(raw)) add('test-plan-placeholder', 'error', `'${/\b(TODO|TBD)\b/.exec(raw)![0]}' left in the plan: fill it in or justify the item`, i + 1);
  });

  const find = (name: string) => sections.find((s) => s.title.toLowerCase().startsWith(name.toLowerCase()));
  for (const name of PLAN_SECTIONS) {
    const s = find(name);
    if (!s) add('test-plan-section-missing', 'error', `section '## ${name}' is missing`, 1);
    else if (s.body.length === 0) add('test-plan-section-empty', 'error', `section '${s.title}' is empty`, s.line);
  }

  const environments: string[] = [];
  const env = find('Environments');
  if (env && env.body.length > 0) {
    const rows = env.body.filter((b) => /^\s*\|/.test(b.text) && !/^\s*\|[\s:|-]+\|\s*$/.test(b.text)).slice(1);
    const listed = env.body.filter((b) => /^\s*[-*]\s+\S/.test(b.text));
    if (rows.length === 0 && listed.length === 0) add('test-plan-environment-missing', 'error', `section '${env.title}' lists no environment (a table row or a list item per environment)`, env.line);
    for (const b of env.body) {
      for (const m of b.text.matchAll(/https?:\/\/[^\s|)>`]+/g)) {
        try {
          environments.push(new URL(m[0]).hostname);
        } catch {
          // Not a URL after all; the environment row still counts.
        }
      }
    }
  }

  const items: PlanItem[] = [];
  for (const s of sections) {
    const key = PLAN_SECTIONS.find((n) => s.title.toLowerCase().startsWith(n.toLowerCase()))?.toLowerCase();
    for (const b of s.body) {
      const m = /^\s*[-*]\s+\[( |x|X)\]\s+(.*)$/.exec(b.text);
      if (!m) continue;
      const itemText = m[2]!.trim();
      const checks = [...itemText.matchAll(CHECK_REF)].filter((r) => r[1] === 'conformance').map((r) => r[2]!);
      const j = JUSTIFICATION.exec(itemText);
      const item: PlanItem = { line: b.line, section: s.title, text: itemText, checked: m[1] !== ' ', checks, justification: j?.[2]?.trim() };
      items.push(item);
      for (const c of checks) {
        if (!isCheckId(c)) add('test-plan-unknown-check', 'error', `'conformance:${c}' is not a conformance check (known: ${Object.keys(CHECKS).join(', ')})`, b.line);
      }
      if (key && ITEM_SECTIONS.has(key) && !item.checked && (!item.justification || item.justification.length < MIN_JUSTIFICATION)) {
        add('test-plan-item-unjustified', 'error', `item '${clip(itemText)}' is neither checked nor justified (add 'N/A: reason', 'Waived: reason' or 'Deferred: reason')`, b.line);
      }
    }
  }
  const testItems = find('Test items');
  if (testItems && testItems.body.length > 0 && !items.some((i) => i.section === testItems.title)) {
    add('test-plan-no-items', 'error', `section '${testItems.title}' has no checkbox items ('- [x] …' or '- [ ] … N/A: reason')`, testItems.line);
  }
  return { file, items, findings, environments };
}

export interface PlanLink {
  item: PlanItem;
  /** Per referenced check: passed/failed counts in this run, or undefined when it did not run. */
  results: { check: string; passed: number; failed: number; ran: boolean }[];
}

/**
 * Link the plan's items to the checks of a run. A checked item naming a check that did not run
 * is a finding: the plan claims coverage the run did not give. `baseUrl` should be one of the
 * plan's environments.
 */
export function linkPlan(plan: PlanReport, tally: Record<string, { passed: number; failed: number }>, baseUrl: string): { links: PlanLink[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const links: PlanLink[] = [];
  for (const item of plan.items) {
    if (item.checks.length === 0) continue;
    const results = item.checks.filter(isCheckId).map((check) => {
      const t = tally[check];
      return { check, passed: t?.passed ?? 0, failed: t?.failed ?? 0, ran: t !== undefined };
    });
    links.push({ item, results });
    if (!item.checked) continue;
    for (const r of results.filter((x) => !x.ran)) {
      findings.push({
        id: 'test-plan-check-not-run',
        level: 'error',
        message: `item '${clip(item.text)}' is checked, but check conformance:${r.check} did not run in this conformance run (mode, skipped checks or operations)`,
        location: { file: plan.file, line: item.line },
      });
    }
  }
  // Host names, not origins: ports of test servers change from run to run.
  let host: string | undefined;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    host = undefined;
  }
  if (host && plan.environments.length > 0 && !plan.environments.includes(host)) {
    findings.push({
      id: 'test-plan-environment-unlisted',
      level: 'warning',
      message: `this run targeted ${host}, which the plan's Environments section does not list (${[...new Set(plan.environments)].join(', ')})`,
      location: { file: plan.file, line: undefined },
    });
  }
  return { links, findings };
}

function clip(s: string, n = 80): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** HTML comments (the template's guidance) blanked, line numbers kept. */
function withoutComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, (m) => m.replace(/[^\n]/g, ''));
}
