import { afterAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { runLifecycle, type LifecycleResult } from '../../src/lifecycle/run.js';
import { cleanup, folder, lineOf, SPEC_YAML, TODAY } from './helpers.js';

afterAll(cleanup);

const dir = folder({ 'openapi.yaml': SPEC_YAML });
const run = (opts: { today?: string; warnDays?: string; failOn?: string } = {}): LifecycleResult =>
  runLifecycle({ spec: 'openapi.yaml', cwd: dir, today: TODAY, ...opts });
const find = (r: LifecycleResult, id: string, operation: string, what: RegExp = /./) =>
  r.findings.filter((f) => f.id === id && f.operation === operation && what.test(f.message));

describe('lifecycle on a YAML spec, judged on a fixed day', () => {
  const r = run();
  const ids = r.findings.map((f) => `${f.id} ${f.operation}`).sort();

  test('each element gets exactly the findings its dates call for', () => {
    expect(ids).toEqual(
      [
        'deprecated-without-sunset GET /pets', // the $ref'd limit parameter
        'invalid-sunset DELETE /pets/{id}',
        'sunset-passed GET /pets', // the operation
        'sunset-passed GET /pets', // response property nickname
        'sunset-passed POST /pets', // request property nickname
        'sunset-soon GET /pets', // sort parameter
        'sunset-soon GET /pets/{id}',
        'sunset-soon PUT /pets/{id}',
        'sunset-without-deprecation GET /pets',
      ].sort(),
    );
    expect(r.verdict).toBe('fail');
  });

  test('sunset-passed: an error naming the operation, the date, the days past, on the x-sunset line', () => {
    const [f] = find(r, 'sunset-passed', 'GET /pets', /^GET \/pets: operation /);
    expect(f).toMatchObject({
      level: 'error',
      message: 'GET /pets: operation had its sunset on 2026-06-01, 14 days ago, and is still in the spec: remove it',
      location: { file: 'openapi.yaml', line: lineOf(SPEC_YAML, /x-sunset: '2026-06-01'/) },
      data: { sunset: '2026-06-01', daysPast: 14 },
    });
  });

  test('a body property in a shared schema is one finding per direction, on the component line, listing every operation', () => {
    const line = lineOf(SPEC_YAML, /x-sunset: '2026-05-01'/);
    const [resp] = find(r, 'sunset-passed', 'GET /pets', /response property 'nickname'/);
    expect(resp!.message).toBe("GET /pets: response property 'nickname' had its sunset on 2026-05-01, 45 days ago, and is still in the spec: remove it (also reached from 1 other operation)");
    expect(resp!.location).toEqual({ file: 'openapi.yaml', line });
    expect(resp!.data).toMatchObject({ element: "response property 'nickname'", operations: ['GET /pets', 'GET /pets/{id}'] });
    const [req] = find(r, 'sunset-passed', 'POST /pets', /request property 'nickname'/);
    expect(req!.location).toEqual({ file: 'openapi.yaml', line });
  });

  test('sunset-soon: a warning with the days left; a date-time counts by its date; today says today', () => {
    const [sort] = find(r, 'sunset-soon', 'GET /pets');
    expect(sort).toMatchObject({ level: 'warning', message: "GET /pets: query parameter 'sort' sunsets on 2026-06-20, in 5 days", data: { daysLeft: 5 } });
    expect(sort!.location!.line).toBe(lineOf(SPEC_YAML, /x-sunset: '2026-06-20'/));
    const [item] = find(r, 'sunset-soon', 'GET /pets/{id}');
    expect(item!.message).toBe('GET /pets/{id}: operation sunsets on 2026-07-15, in 30 days');
    const [put] = find(r, 'sunset-soon', 'PUT /pets/{id}');
    expect(put).toMatchObject({ message: 'PUT /pets/{id}: operation sunsets on 2026-06-15, today', data: { daysLeft: 0, stability: 'beta' } });
  });

  test('--warn-days bounds the warning window', () => {
    const narrow = run({ warnDays: '29' });
    expect(find(narrow, 'sunset-soon', 'GET /pets/{id}')).toEqual([]);
    expect(find(narrow, 'sunset-soon', 'GET /pets')).toHaveLength(1);
    expect(find(run({ warnDays: '0' }), 'sunset-soon', 'PUT /pets/{id}')).toHaveLength(1);
  });

  test('the next day, a sunset of today has passed', () => {
    const later = run({ today: '2026-06-16' });
    expect(find(later, 'sunset-passed', 'PUT /pets/{id}')[0]!.message).toMatch(/on 2026-06-15, 1 day ago/);
  });

  test('deprecated-without-sunset: info on the deprecated line of the referenced parameter', () => {
    const [f] = find(r, 'deprecated-without-sunset', 'GET /pets');
    expect(f).toMatchObject({ level: 'info', message: "GET /pets: query parameter 'limit' is deprecated without an x-sunset date" });
    expect(f!.location!.line).toBe(lineOf(SPEC_YAML, /deprecated: true/, lineOf(SPEC_YAML, /^ {4}Limit:/)));
  });

  test('sunset-without-deprecation: a warning on the x-sunset line', () => {
    const [f] = find(r, 'sunset-without-deprecation', 'GET /pets');
    expect(f).toMatchObject({ level: 'warning', message: "GET /pets: query parameter 'sort' has an x-sunset date but is not marked deprecated: true" });
  });

  test('invalid-sunset: an error quoting the value, and no date findings for it', () => {
    const [f] = find(r, 'invalid-sunset', 'DELETE /pets/{id}');
    expect(f).toMatchObject({ level: 'error', location: { line: lineOf(SPEC_YAML, /x-sunset: 'soon'/) }, data: { sunset: 'soon' } });
    expect(f!.message).toMatch(/x-sunset 'soon' is neither a YYYY-MM-DD date nor an RFC 3339 date-time/);
    expect(r.findings.filter((x) => x.operation === 'DELETE /pets/{id}')).toHaveLength(1);
  });

  test('metrics, the schedule and the result fields', () => {
    expect(r.metrics).toEqual({ operations: 5, deprecated: 6, 'sunset passed': 3 });
    expect(r).toMatchObject({ gate: 'lifecycle', spec: 'openapi.yaml', today: TODAY, warnDays: 30 });
    expect(r.schedule.map((s) => `${s.sunset} ${s.days} ${s.operation} ${s.element}`)).toEqual([
      "2026-05-01 -45 GET /pets response property 'nickname'",
      "2026-05-01 -45 POST /pets request property 'nickname'",
      '2026-06-01 -14 GET /pets operation',
      '2026-06-15 0 PUT /pets/{id} operation',
      "2026-06-20 5 GET /pets query parameter 'sort'",
      '2026-07-15 30 GET /pets/{id} operation',
    ]);
  });

  test('fail-on decides the verdict', () => {
    expect(run({ failOn: 'never' }).verdict).toBe('pass');
    const clean = folder({ 'a.yaml': 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      x-sunset: "2026-06-30"\n      responses: {"200": {description: ok}}\n' });
    const soon = (failOn: string) => runLifecycle({ spec: 'a.yaml', cwd: clean, today: TODAY, failOn }).verdict;
    expect(soon('error')).toBe('pass');
    expect(soon('warning')).toBe('fail');
  });
});

describe('lifecycle on a JSON spec', () => {
  const json = JSON.stringify(
    {
      openapi: '3.0.3',
      info: { title: 'json', version: '1' },
      paths: { '/orders': { get: { deprecated: true, 'x-sunset': '2026-01-31', responses: { '200': { description: 'ok' } } } } },
    },
    null,
    2,
  );
  test('findings carry the JSON line', () => {
    const dir2 = folder({ 'spec.json': json });
    const r = runLifecycle({ spec: path.join(dir2, 'spec.json'), cwd: dir2, today: TODAY });
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      id: 'sunset-passed',
      operation: 'GET /orders',
      message: 'GET /orders: operation had its sunset on 2026-01-31, 135 days ago, and is still in the spec: remove it',
      location: { file: 'spec.json', line: lineOf(json, /"x-sunset"/) },
    });
  });

  test('a spec without deprecations or sunsets passes with no findings', () => {
    const dir3 = folder({ 'spec.json': JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/a': { get: { responses: { '200': { description: 'ok' } } } } } }) });
    const r = runLifecycle({ spec: 'spec.json', cwd: dir3, today: TODAY });
    expect(r).toMatchObject({ verdict: 'pass', findings: [], schedule: [], metrics: { operations: 1, deprecated: 0, 'sunset passed': 0 } });
  });
});
