import { describe, expect, test } from '@jest/globals';
import { canonicalKey, parseMetricKey } from '../../src/perf/metrics.js';
import { evaluate, parseExpression, parseThresholdArg } from '../../src/perf/thresholds.js';
import { parseAllowance, parseBudget } from '../../src/perf/budget.js';

const trend = { name: 'http_req_duration', type: 'trend' as const, contains: 'time' as const, values: { avg: 50, min: 1, med: 40, max: 900, 'p(90)': 200, 'p(95)': 310 } };

describe('k6 threshold expressions', () => {
  test.each([
    ['p(95)<300', 'p(95)', '<', 300],
    ['p(99.9) <= 1e3', 'p(99.9)', '<=', 1000],
    ['rate<0.01', 'rate', '<', 0.01],
    ['count>100', 'count', '>', 100],
    ['avg < 200', 'avg', '<', 200],
    ['med===40', 'med', '===', 40],
    ['max!=0', 'max', '!=', 0],
    ['value>=.5', 'value', '>=', 0.5],
  ])('%s', (src, agg, op, value) => {
    expect(parseExpression('m', src)).toMatchObject({ aggregation: agg, op, value });
  });

  test.each([
    ['p95<300', /not a k6 threshold expression/],
    ['p(95)<', /not a k6 threshold expression/],
    ['p(95)<300ms', /'300ms' is not a number/],
    ['p(101)<300', /outside 0–100/],
    ['p(NaN)<300', /needs a number from 0 to 100/],
    ['stddev<3', /not a k6 threshold expression/],
    ['p(95)=>300', /not a k6 threshold expression/],
    ['', /not a k6 threshold expression/],
  ])('refuses %j', (src, msg) => {
    expect(() => parseExpression('m', src)).toThrow(msg);
  });

  test('the CLI form METRIC:EXPR keeps colons inside the tag braces', () => {
    expect(parseThresholdArg('http_req_duration{name:GET /pets}:p(95)<150')).toMatchObject({ metric: 'http_req_duration{name:GET /pets}', aggregation: 'p(95)', value: 150 });
    expect(parseThresholdArg('http_req_failed: rate<0.01')).toMatchObject({ metric: 'http_req_failed', aggregation: 'rate' });
    expect(() => parseThresholdArg('p(95)<300')).toThrow(/METRIC:EXPRESSION/);
  });

  test('evaluation follows k6: aggregations by metric type, the inequality applied to the value', () => {
    expect(evaluate(parseExpression('x', 'p(95)<300'), trend)).toEqual({ kind: 'value', actual: 310, ok: false });
    expect(evaluate(parseExpression('x', 'p(90)<300'), trend)).toEqual({ kind: 'value', actual: 200, ok: true });
    expect(evaluate(parseExpression('x', 'p(50)<300'), trend)).toEqual({ kind: 'value', actual: 40, ok: true }); // p(50) is med
    expect(evaluate(parseExpression('x', 'rate<0.1'), trend)).toEqual({ kind: 'wrong-type', type: 'trend' });
    expect(evaluate(parseExpression('x', 'p(99)<300'), trend)).toEqual({ kind: 'not-in-summary' });
    const counter = { name: 'c', type: 'counter' as const, values: { count: 5, rate: 0.5 } };
    expect(evaluate(parseExpression('c', 'count>100'), counter)).toMatchObject({ ok: false, actual: 5 });
    expect(evaluate(parseExpression('c', 'avg<1'), counter)).toEqual({ kind: 'wrong-type', type: 'counter' });
    const nan = { name: 'r', type: 'rate' as const, values: { rate: NaN, passes: 0, fails: 0 } };
    expect(evaluate(parseExpression('r', 'rate<0.01'), nan)).toMatchObject({ kind: 'invalid' });
    const negative = { ...trend, values: { ...trend.values, 'p(95)': -4 } };
    expect(evaluate(parseExpression('x', 'p(95)<300'), negative)).toEqual({ kind: 'invalid', actual: -4 });
  });

  test('a histogram-backed trend answers any percentile', () => {
    const m = { ...trend, quantile: (p: number) => p * 10 };
    expect(evaluate(parseExpression('x', 'p(99.9)<1000'), m)).toEqual({ kind: 'value', actual: 999, ok: true });
  });
});

describe('metric keys', () => {
  test('sub-metric tags are parsed and compared without regard to order or spaces', () => {
    expect(parseMetricKey('http_req_duration{name:GET /pets, method:GET}')).toEqual({ base: 'http_req_duration', tags: [['name', 'GET /pets'], ['method', 'GET']] });
    expect(canonicalKey('http_req_duration{ method:GET,name: GET /pets }')).toBe(canonicalKey('http_req_duration{name:GET /pets,method:GET}'));
    expect(parseMetricKey('http_req_duration{}')).toBeUndefined();
    expect(parseMetricKey('http_req_duration{name}')).toBeUndefined();
    expect(parseMetricKey('9lives')).toBeUndefined();
  });
});

describe('budget file', () => {
  const text = [
    '# budget',
    'thresholds:',
    "  http_req_duration: ['p(95)<300', 'avg<200']",
    "  'http_req_duration{name:GET /pets}':",
    "    - 'p(95)<150'",
    "    - threshold: 'p(99)<400'",
    '      abortOnFail: true',
    "  http_req_failed: 'rate<0.01'",
    'regression:',
    '  default: 10%',
    "  'http_req_failed:rate': '+0.005'",
    "  'http_req_duration:p(95.0)': '10% or +5'",
  ].join('\n');

  test('thresholds with their lines, in k6 shape (strings or {threshold}); regression allowances', () => {
    const b = parseBudget(text, 'budget.yaml');
    expect(b.thresholds.map((t) => [t.item.metric, t.item.source, t.line])).toEqual([
      ['http_req_duration', 'p(95)<300', 3],
      ['http_req_duration', 'avg<200', 3],
      ['http_req_duration{name:GET /pets}', 'p(95)<150', 5],
      ['http_req_duration{name:GET /pets}', 'p(99)<400', 6],
      ['http_req_failed', 'rate<0.01', 8],
    ]);
    expect(b.regression.get('default')!.item).toEqual({ pct: 10, source: '10%' });
    expect(b.regression.get('http_req_failed:rate')!.item).toEqual({ delta: 0.005, source: '+0.005' });
    expect(b.regression.get('http_req_duration:p(95)')!.item).toEqual({ pct: 10, delta: 5, source: '10% or +5' });
  });

  test('a bare metric map (k6 options.thresholds) is a budget too', () => {
    const b = parseBudget("http_req_duration: ['p(95)<300']\nhttp_reqs: ['count>10']\n", 'b.yaml');
    expect(b.thresholds).toHaveLength(2);
  });

  test.each([
    ["thresholds:\n  http_req_duration: ['p95<300']\n", /budget: 'b.yaml' line 2: http_req_duration: 'p95<300' is not a k6 threshold expression/],
    ["thresholds:\n  http_req_duration: []\n", /line 2: 'http_req_duration' needs a list of expressions/],
    ["thresholds:\n  'http_req_duration{name}': ['p(95)<1']\n", /line 2: 'http_req_duration\{name\}' is not a metric name/],
    ["thresholds:\n  x: ['p(95)<1']\nbudgets: {}\n", /unknown key 'budgets'/],
    ["regression:\n  http_req_duration: 10%\n", /regression key 'http_req_duration' must be default or METRIC:AGGREGATION/],
    ["regression:\n  default: ten percent\n", /'ten percent' is not an allowed regression/],
    ['thresholds: [1, 2\n', /is not valid YAML/],
    ['- a\n- b\n', /must be a mapping/],
  ])('bad budget %#: clear error with file and line', (src, msg) => {
    expect(() => parseBudget(src, 'b.yaml')).toThrow(msg);
  });

  test('allowances', () => {
    expect(parseAllowance('15%', 'f')).toEqual({ pct: 15, source: '15%' });
    expect(parseAllowance('2', 'f')).toEqual({ delta: 2, source: '2' });
    expect(() => parseAllowance('-5%', 'f')).toThrow(/not an allowed regression/);
    expect(() => parseAllowance('', 'f')).toThrow(/not an allowed regression/);
  });
});
