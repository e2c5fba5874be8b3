import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marked } from 'marked';

/**
 * swagger-ui-dist's prebuilt browser bundle, copied into the site so it works without a CDN (and
 * offline). Written as `new URL(…, import.meta.url)` so ncc copies the files next to the bundle
 * (and replaces each URL with the copied file's path: a string, in the bundle).
 */
const SWAGGER_ASSETS: Record<string, URL | string> = {
  'swagger-ui-bundle.js': new URL('../../node_modules/swagger-ui-dist/swagger-ui-bundle.js', import.meta.url),
  'swagger-ui.css': new URL('../../node_modules/swagger-ui-dist/swagger-ui.css', import.meta.url),
  'swagger-ui-LICENSE.txt': new URL('../../node_modules/swagger-ui-dist/LICENSE', import.meta.url),
};

export interface DocsSiteInput {
  outDir: string;
  title: string;
  version?: string;
  /** The revision spec's root document, as loaded (written as JSON). */
  spec: unknown;
  /** Markdown for the changelog page (the whole CHANGELOG.md, or this release's notes). */
  changelogMarkdown: string;
}

export interface DocsSite {
  dir: string;
  files: string[];
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const SAFE_URL = /^(https?:|mailto:|#|\/|\.{0,2}\/|[^:]*$)/i;

/**
 * Markdown → HTML for text that carries pull-request titles and spec strings: raw HTML is shown as
 * text (comments are dropped) and links keep only http(s), mailto and relative targets.
 */
const markdown = new Marked({
  gfm: true,
  renderer: {
    html({ text }) {
      // Comments (CHANGELOG.md's entry markers) stay hidden; any other raw HTML is shown as text.
      return /^\s*<!--[\s\S]*?-->\s*$/.test(text) ? '' : escapeHtml(text);
    },
    link({ href, title, tokens }) {
      const label = this.parser.parseInline(tokens);
      if (!SAFE_URL.test(href.trim())) return label;
      return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${label}</a>`;
    },
    image({ text }) {
      return escapeHtml(text);
    },
  },
});

export function markdownToHtml(md: string): string {
  return markdown.parse(md, { async: false }) as string;
}

/** JSON inside a <script>: nothing in it can close the element. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const STYLE = `body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328}
header.site{display:flex;gap:1.5rem;align-items:baseline;padding:.75rem 1.5rem;border-bottom:1px solid #d0d7de;background:#f6f8fa}
header.site h1{font-size:1.1rem;margin:0}
header.site a{color:#0969da;text-decoration:none}
header.site a[aria-current=page]{font-weight:600;color:#1f2328}
main.changelog{max-width:60rem;margin:0 auto;padding:1rem 1.5rem 3rem;line-height:1.5}
main.changelog table{border-collapse:collapse;margin:1rem 0}
main.changelog th,main.changelog td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
main.changelog code{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}`;

function page(o: { title: string; heading: string; current: 'reference' | 'changelog'; head?: string; body: string }): string {
  const nav = (href: string, label: string, key: typeof o.current) => `<a href="${href}"${o.current === key ? ' aria-current="page"' : ''}>${label}</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
${o.head ?? ''}<style>${STYLE}</style>
</head>
<body>
<header class="site"><h1>${escapeHtml(o.heading)}</h1><nav>${nav('index.html', 'API reference', 'reference')} · ${nav('changelog.html', 'Changelog', 'changelog')} · <a href="openapi.json">openapi.json</a></nav></header>
${o.body}
</body>
</html>
`;
}

/**
 * A static site for GitHub Pages: the spec as an API reference (swagger-ui, assets local), the
 * changelog as HTML, the spec as openapi.json, and `.nojekyll` so Pages serves the files as they are.
 */
export function buildDocsSite(i: DocsSiteInput): DocsSite {
  const dir = path.resolve(i.outDir);
  mkdirSync(dir, { recursive: true });
  const heading = `${i.title}${i.version ? ` ${i.version}` : ''}`;
  const files: string[] = [];
  const write = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    files.push(name);
  };
  for (const [name, url] of Object.entries(SWAGGER_ASSETS)) {
    copyFileSync(typeof url === 'string' ? url : fileURLToPath(url), path.join(dir, name));
    files.push(name);
  }
  write('openapi.json', JSON.stringify(i.spec, null, 2) + '\n');
  // The spec also goes inline: a page opened from disk (file://) cannot fetch openapi.json.
  write('openapi.js', `window.API_SPEC = ${scriptJson(i.spec)};\n`);
  write(
    'index.html',
    page({
      title: `${heading}: API reference`,
      heading,
      current: 'reference',
      head: '<link rel="stylesheet" href="swagger-ui.css">\n',
      body: `<div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="openapi.js"></script>
<script>
window.ui = SwaggerUIBundle({ spec: window.API_SPEC, dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null, tryItOutEnabled: false });
</script>`,
    }),
  );
  write(
    'changelog.html',
    page({ title: `${heading}: changelog`, heading, current: 'changelog', body: `<main class="changelog">\n${markdownToHtml(i.changelogMarkdown)}</main>` }),
  );
  write('.nojekyll', '');
  return { dir, files: files.sort() };
}
