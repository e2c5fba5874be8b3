/** Signs of a stack trace or an internal error dump in a response body, for the common runtimes. */
const PATTERNS: { runtime: string; re: RegExp }[] = [
  { runtime: 'Node.js', re: /\n?\s*at (?:async )?(?:[\w$.<>\[\] ]+ )?\(?(?:file:\/\/|node:|\/|[A-Za-z]:\\)[^\s()]*:\d+:\d+\)?/ },
  { runtime: 'Python', re: /Traceback \(most recent call last\)|File "[^"]+", line \d+, in |[\w./\\-]+\.py"?, line \d+, in [\w<>]+/ },
  {
    runtime: 'Java',
    re: /\bat [\w$.\/]+\((?:[\w$]+\.(?:java|kt|scala|groovy):\d+|Native Method|Unknown Source)\)|Exception in thread "|\bjava\.lang\.\w+(?:Exception|Error)\b/,
  },
  { runtime: '.NET', re: /\bat [\w.`<>]+\(.*\) in .+:line \d+|System\.[\w.]+Exception:|[\w.`<>]+\([^()]*\) in [^\s<>()]+\.cs\b/ },
  { runtime: 'PHP', re: /(?:Fatal error|Warning|Notice|Stack trace):.* in \/.+ on line \d+|#\d+ \/.+\.php\(\d+\): / },
  { runtime: 'Ruby', re: /\/?[\w/.-]+\.rb:\d+:in [`']/ },
  { runtime: 'Go', re: /goroutine \d+ \[running\]:|panic: .+\n\s*goroutine/ },
];

/** Structured dumps (Laravel, Symfony, Sentry-style JSON): a source file of a runtime next to its line number. */
const JSON_FRAME = /"file"\s*:\s*"([^"]+\.(php|py|rb|js|mjs|cjs|ts|java|kt|cs|go))"\s*,\s*"line"\s*:\s*\d+/;
const RUNTIME_BY_EXT: Record<string, string> = {
  php: 'PHP',
  py: 'Python',
  rb: 'Ruby',
  js: 'Node.js',
  mjs: 'Node.js',
  cjs: 'Node.js',
  ts: 'Node.js',
  java: 'Java',
  kt: 'Java',
  cs: '.NET',
  go: 'Go',
};

/** JSON string escapes as a developer would read them: `\n`, `\t`, `\/`, `\"`, `\uXXXX`. */
function unescapeJson(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|["\\/bfnrt])/g, (_, c: string) => {
    if (c[0] === 'u') return String.fromCharCode(parseInt(c.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[c] ?? c;
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** An HTML error page as text: line breaks for `<br>` and block ends, tags dropped, entities decoded. */
function htmlText(body: string): string {
  return body
    .replace(/<br\s*\/?>|<\/(?:p|div|li|h\d|tr|pre)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

/** The first line that looks like a stack frame, with the runtime it suggests; undefined when the body looks clean. */
export function findStackTrace(body: string): { runtime: string; excerpt: string } | undefined {
  // Look at the text a developer would see: JSON escapes undone, and an HTML page without its markup.
  const json = unescapeJson(body);
  const views = /<[a-z!/][^>]*>|&[#\w]+;/i.test(body) ? [json, htmlText(json)] : [json];
  for (const text of views) {
    for (const { runtime, re } of PATTERNS) {
      const m = re.exec(text);
      if (m) return { runtime, excerpt: m[0].trim().slice(0, 120) };
    }
  }
  const frame = JSON_FRAME.exec(json);
  if (frame) return { runtime: RUNTIME_BY_EXT[frame[2]!]!, excerpt: frame[0].slice(0, 120) };
  return undefined;
}
