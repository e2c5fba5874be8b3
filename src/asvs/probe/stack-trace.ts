/** Signs of a stack trace or an internal error dump in a response body, for the common runtimes. */
const PATTERNS: { runtime: string; re: RegExp }[] = [
  { runtime: 'Node.js', re: /\n?\s*at (?:async )?(?:[\w$.<>\[\] ]+ )?\(?(?:file:\/\/|node:|\/|[A-Za-z]:\\)[^\s()]*:\d+:\d+\)?/ },
  { runtime: 'Python', re: /Traceback \(most recent call last\)|File "[^"]+", line \d+, in / },
  { runtime: 'Java', re: /\bat [\w$.]+\([\w$]+\.(?:java|kt|scala):\d+\)|Exception in thread "|\bjava\.lang\.\w+(?:Exception|Error)\b/ },
  { runtime: '.NET', re: /\bat [\w.`<>]+\(.*\) in .+:line \d+|System\.[\w.]+Exception:/ },
  { runtime: 'PHP', re: /(?:Fatal error|Warning|Notice|Stack trace):.* in \/.+ on line \d+|#\d+ \/.+\.php\(\d+\): / },
  { runtime: 'Ruby', re: /\/[\w/.-]+\.rb:\d+:in [`']/ },
  { runtime: 'Go', re: /goroutine \d+ \[running\]:|panic: .+\n\s*goroutine/ },
];

/** The first line that looks like a stack frame, with the runtime it suggests; undefined when the body looks clean. */
export function findStackTrace(body: string): { runtime: string; excerpt: string } | undefined {
  // JSON bodies escape newlines; look at the text a developer would see.
  const text = body.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  for (const { runtime, re } of PATTERNS) {
    const m = re.exec(text);
    if (m) return { runtime, excerpt: m[0].trim().slice(0, 120) };
  }
  return undefined;
}
