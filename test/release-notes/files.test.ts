/** CHANGELOG.md upkeep, the consumers file, and the static docs site. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { upsertChangelogText } from '../../src/release-notes/changelog-file.js';
import { parseConsumers } from '../../src/release-notes/consumers.js';
import { buildDocsSite, markdownToHtml } from '../../src/release-notes/docs-site.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('CHANGELOG.md', () => {
  const entry = (v: string, extra = '') => `## API ${v}\n\n- change${extra}\n`;

  test('a new file gets a title and the entry', () => {
    const r = upsertChangelogText(undefined, '2.0.0', entry('2.0.0'));
    expect(r.action).toBe('created');
    expect(r.text).toMatch(/^# Changelog\n\nAll notable changes.*\n\n<!-- api-delivery:release-notes:2\.0\.0 -->\n## API 2\.0\.0\n\n- change\n<!-- \/api-delivery:release-notes:2\.0\.0 -->\n$/);
  });

  test('the entry goes above the newest one, below the title and intro, and only once', () => {
    const existing = '# Changelog\n\nIntro text.\n\n## 1.4.0 - 2026-01-01\n\n- old\n';
    const once = upsertChangelogText(existing, '2.0.0', entry('2.0.0'));
    expect(once.action).toBe('prepended');
    expect(once.text.startsWith('# Changelog\n\nIntro text.\n\n<!-- api-delivery:release-notes:2.0.0 -->')).toBe(true);
    expect(once.text.endsWith('<!-- /api-delivery:release-notes:2.0.0 -->\n\n## 1.4.0 - 2026-01-01\n\n- old\n')).toBe(true);
    const twice = upsertChangelogText(once.text, '2.0.0', entry('2.0.0'));
    expect(twice).toEqual({ text: once.text, action: 'unchanged' });
    const edited = upsertChangelogText(once.text, '2.0.0', entry('2.0.0', ' (edited)'));
    expect(edited.action).toBe('updated');
    expect(edited.text.match(/api-delivery:release-notes:2\.0\.0 -->/g)).toHaveLength(2); // start and end marker, one entry
    expect(edited.text).toContain('- change (edited)');
    expect(edited.text).toContain('- old');
  });

  test('the next version goes above the previous generated entry', () => {
    const a = upsertChangelogText(undefined, '2.0.0', entry('2.0.0')).text;
    const b = upsertChangelogText(a, '2.1.0', entry('2.1.0')).text;
    expect(b.indexOf('## API 2.1.0')).toBeLessThan(b.indexOf('## API 2.0.0'));
    expect(b.match(/^# Changelog/gm)).toHaveLength(1);
  });

  test('a file without entries gets the entry at the end of its intro', () => {
    expect(upsertChangelogText('# Changes\n', '1.0.0', entry('1.0.0')).text).toMatch(/^# Changes\n\n<!-- api-delivery/);
  });

  test('a start marker without its end marker is refused rather than guessed at', () => {
    expect(() => upsertChangelogText('<!-- api-delivery:release-notes:2.0.0 -->\n## x\n', '2.0.0', entry('2.0.0'))).toThrow(/start marker but no end marker/);
  });
});

describe('consumers file', () => {
  const env = { HOOK: 'https://hooks.slack.test/services/T000/B000/secret' };
  test('repos, labels, webhooks (from a secret in env) and a rollout date', () => {
    const c = parseConsumers(
      'rollout-date: 2027-01-15\nconsumers:\n  - name: Mobile\n    repo: acme/mobile\n    labels: [api]\n  - webhook-env: HOOK\n  - repo: acme/web\n    webhook: https://example.test/hook\n',
      'consumers.yml',
      env,
    );
    expect(c.rolloutDate).toBe('2027-01-15');
    expect(c.consumers).toEqual([
      { name: 'Mobile', repo: { owner: 'acme', repo: 'mobile' }, labels: ['api'] },
      { name: 'https://hooks.slack.test/…', labels: [], webhook: env.HOOK, webhookShown: 'https://hooks.slack.test/…' },
      { name: 'acme/web', repo: { owner: 'acme', repo: 'web' }, labels: [], webhook: 'https://example.test/hook', webhookShown: 'https://example.test/…' },
    ]);
  });
  test.each([
    ['consumers: [', /^c\.yml: not valid YAML/],
    ['- a\n- b', /^c\.yml: expected a mapping with a 'consumers' list/],
    ['consumer: []', /^c\.yml: consumer: unknown key 'consumer'/],
    ['consumers: []', /^c\.yml: consumers: expected a non-empty list/],
    ['consumers:\n  - name: x', /^c\.yml: consumers\[0\]: expected repo, webhook or webhook-env/],
    ['consumers:\n  - repo: not-a-repo', /consumers\[0\]\.repo: 'not-a-repo' is not a repository as owner\/name/],
    ['consumers:\n  - repo: a/b\n    lables: [x]', /consumers\[0\]\.lables: unknown key 'lables'/],
    ['consumers:\n  - webhook: http://example.test/x', /consumers\[0\]\.webhook: expected an https:\/\/ URL/],
    ['consumers:\n  - webhook-env: MISSING', /consumers\[0\]\.webhook-env: environment variable MISSING is empty or not set/],
    ['consumers:\n  - webhook: x\n    webhook-env: HOOK', /consumers\[0\]: give webhook or webhook-env, not both/],
    ['rollout-date: soon\nconsumers:\n  - repo: a/b', /rollout-date: 'soon' is not a date/],
    ['consumers:\n  - webhook: https://x.test\n    labels: [a]', /labels apply to the issue in repo/],
  ])('%j is refused with a message naming the field', (text, message) => {
    expect(() => parseConsumers(text, 'c.yml', env)).toThrow(message);
  });
});

describe('docs site', () => {
  const spec = { openapi: '3.0.3', info: { title: 'Pets </script><script>alert(1)</script>', version: '2.0.0' }, paths: {} };

  test('API reference with local swagger-ui assets, the spec inline and as JSON, the changelog as HTML', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'docs-site-'));
    dirs.push(dir);
    const site = buildDocsSite({ outDir: dir, title: 'Pets', version: '2.0.0', spec, changelogMarkdown: '## Pets 2.0.0\n\n| a | b |\n| --- | --- |\n| `x` | y |\n' });
    expect(site.files).toEqual(['.nojekyll', 'changelog.html', 'index.html', 'openapi.js', 'openapi.json', 'swagger-ui-LICENSE.txt', 'swagger-ui-bundle.js', 'swagger-ui.css']);
    const index = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(index).toMatch(/^<!doctype html>/);
    expect(index).toContain('<link rel="stylesheet" href="swagger-ui.css">');
    expect(index).toContain('<div id="swagger-ui"></div>');
    expect(index).toMatch(/<script src="swagger-ui-bundle\.js"><\/script>\n<script src="openapi\.js"><\/script>/);
    expect(index).toContain("SwaggerUIBundle({ spec: window.API_SPEC, dom_id: '#swagger-ui'");
    // Offline: nothing is loaded from another host.
    expect(index).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(readFileSync(path.join(dir, 'swagger-ui-bundle.js'), 'utf8')).toContain('SwaggerUIBundle');
    expect(JSON.parse(readFileSync(path.join(dir, 'openapi.json'), 'utf8'))).toEqual(spec);
    // The inline spec cannot close its script element.
    const inline = readFileSync(path.join(dir, 'openapi.js'), 'utf8');
    expect(inline).not.toContain('</script>');
    expect(inline).toContain('\\u003c/script\\u003e');
    const changelog = readFileSync(path.join(dir, 'changelog.html'), 'utf8');
    expect(changelog).toContain('<h2>Pets 2.0.0</h2>');
    expect(changelog).toMatch(/<table>[\s\S]*<td><code>x<\/code><\/td>/);
    expect(changelog).toContain('<a href="index.html">API reference</a>');
    expect(changelog).toContain('aria-current="page">Changelog</a>');
  });

  test('markdown from pull-request titles cannot inject HTML or script links', () => {
    const html = markdownToHtml('- <img src=x onerror=alert(1)> [x](javascript:alert(1)) [ok](https://example.test/pr/1) ![i](https://t.test/p.png)\n\n<script>alert(2)</script>\n');
    expect(html).not.toMatch(/<img|<script|javascript:/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<a href="https://example.test/pr/1">ok</a>');
    expect(markdownToHtml('<!-- marker -->\n## Title\n')).toBe('<h2>Title</h2>\n');
  });

  test('a missing output directory is created', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'docs-site-'));
    dirs.push(dir);
    buildDocsSite({ outDir: path.join(dir, 'a/b/site'), title: 'T', spec, changelogMarkdown: 'x' });
    expect(existsSync(path.join(dir, 'a/b/site/index.html'))).toBe(true);
  });
});
