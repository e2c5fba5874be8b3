/** Judge each deprecated or sunset element against today: the lifecycle gate's rules. */
import { formatDay, hasSunset, parseSunset, stabilityOf, SUNSET_KEY, type Day } from '../breaking/rules/lifecycle.js';
import { child, own, type Loc } from '../breaking/spec/loc.js';
import { plural } from '../kit/format/common.js';
import type { Finding, Level } from '../kit/result.js';
import { miswrittenDeprecated, type Element } from './elements.js';

export const LIFECYCLE_RULES = {
  'sunset-passed': 'error',
  'invalid-sunset': 'error',
  'sunset-soon': 'warning',
  'sunset-without-deprecation': 'warning',
  'deprecated-without-sunset': 'info',
} as const satisfies Record<string, Level>;

export type LifecycleRule = keyof typeof LIFECYCLE_RULES;

/** One element with a readable sunset date, for the schedule in the report. */
export interface SunsetEntry {
  operation: string;
  element: string;
  sunset: string;
  /** Days from today to the sunset: negative once it has passed. */
  days: number;
  deprecated: boolean;
  file: string;
  line?: number;
}

export interface Judgement {
  findings: Finding[];
  schedule: SunsetEntry[];
}

export function judgeElements(elements: readonly Element[], today: Day, warnDays: number): Judgement {
  const findings: Finding[] = [];
  const schedule: SunsetEntry[] = [];
  for (const e of elements) {
    const deprecated = e.deprecated;
    const operation = e.operations[0]!;
    const also = e.operations.length > 1 ? ` (also reached from ${plural(e.operations.length - 1, 'other operation')})` : '';
    const stability = stabilityOf(e.op.v);
    const base = {
      ...(e.kind === 'operation' ? {} : { element: e.what }),
      ...(e.operations.length > 1 ? { operations: e.operations } : {}),
      ...(stability.ok && stability.level ? { stability: stability.level } : {}),
    };
    const emit = (id: LifecycleRule, text: string, key: string, data: Record<string, unknown> = {}) => {
      findings.push({
        id,
        level: LIFECYCLE_RULES[id],
        message: `${operation}: ${e.what} ${text}${also}`,
        operation,
        location: locationOf(e.loc, key),
        data: { ...base, ...data },
      });
    };

    // `deprecated: "true"`: meant as a deprecation, but tools read only the boolean. A path item has no
    // `deprecated` in OpenAPI: one written there marks none of its operations.
    const dkey = e.deprecatedKey;
    const onPathItem = e.kind === 'path item' && own(e.loc.v, dkey) !== undefined;
    const miswritten = onPathItem
      ? ` (a path item has no ${dkey} in OpenAPI: it marks none of its operations; mark each deprecated: true)`
      : miswrittenDeprecated(e.loc.v, dkey)
        ? ` (${dkey} is ${JSON.stringify(own(e.loc.v, dkey))}, not the boolean true)`
        : '';
    if (!hasSunset(e.loc.v)) {
      if (e.pathSunset) continue; // the path item's x-sunset is its date, reported on the path item
      if (e.kind === 'path item' && deprecated) continue; // its operations, all deprecated, are reported each
      emit('deprecated-without-sunset', miswritten ? `is marked deprecated without an x-sunset date${miswritten}` : 'is deprecated without an x-sunset date', dkey);
      continue;
    }
    const raw = own(e.loc.v, SUNSET_KEY);
    if (!deprecated) {
      const not = e.kind === 'path item' ? `not all its operations are marked deprecated: true${miswritten}` : `is not marked ${dkey}: true${miswritten}`;
      emit('sunset-without-deprecation', `has an x-sunset date but ${not}`, SUNSET_KEY);
    }
    const sunset = parseSunset(raw);
    if (!sunset.ok) {
      emit('invalid-sunset', `has an invalid sunset date: ${sunset.error}`, SUNSET_KEY, { sunset: raw instanceof Date ? raw.toISOString() : raw });
      continue;
    }
    const date = formatDay(sunset.day);
    const days = sunset.day - today;
    const location = locationOf(e.loc, SUNSET_KEY);
    schedule.push({ operation, element: e.what, sunset: date, days, deprecated, file: location.file, ...(location.line ? { line: location.line } : {}) });
    if (days < 0) {
      emit('sunset-passed', `had its sunset on ${date}, ${plural(-days, 'day')} ago, and is still in the spec: remove it`, SUNSET_KEY, { sunset: date, daysPast: -days });
    } else if (days <= warnDays) {
      emit('sunset-soon', `sunsets on ${date}, ${days === 0 ? 'today' : `in ${plural(days, 'day')}`}`, SUNSET_KEY, { sunset: date, daysLeft: days });
    }
  }
  schedule.sort((a, b) => a.days - b.days || (a.operation < b.operation ? -1 : a.operation > b.operation ? 1 : 0));
  return { findings, schedule };
}

/** The file and line of `key` in the element's node, else of the node itself. */
function locationOf(loc: Loc, key: string): { file: string; line?: number } {
  const at = own(loc.v, key) !== undefined ? child(loc, key) : loc;
  const [line] = loc.doc.lines([at.path]);
  return { file: loc.doc.name, ...(line ? { line } : {}) };
}
