/**
 * Stand-ins for the third-party actions the workflows use, by `owner/name` (RunnerOptions.standIns adds
 * more): actions/checkout (a clone of the caller's repository), actions/setup-node (no-op),
 * actions/upload-artifact and download-artifact (a directory per run), actions/upload-pages-artifact
 * and actions/deploy-pages (the site kept as an artifact; nothing deployed). An input a stand-in does
 * not list is an error.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { git } from './git.js';
import { isObject, WorkflowError, type StandIn } from './model.js';

const bool = (v: string | undefined, dflt: boolean) => (v === undefined || v === '' ? dflt : v === 'true');

/** actions/checkout: a clone of the caller's repository into the workspace at the event's ref. */
const checkout: StandIn = {
  inputs: ['repository', 'ref', 'fetch-depth', 'fetch-tags', 'persist-credentials', 'clean', 'token', 'lfs', 'submodules', 'show-progress'],
  outputs: ['ref', 'commit'],
  async run(c) {
    const w = c.with;
    if (w.repository && w.repository !== c.github.repository) throw new WorkflowError(`actions/checkout stand-in: repository '${w.repository}' is not the caller's (${String(c.github.repository)})`);
    if (bool(w.lfs, false) || (w.submodules && w.submodules !== 'false')) throw new WorkflowError('actions/checkout stand-in: lfs and submodules are not implemented');
    const depth = w['fetch-depth'] === undefined || w['fetch-depth'] === '' ? 1 : Number(w['fetch-depth']);
    if (!Number.isInteger(depth) || depth < 0) throw new Error(`The input 'fetch-depth' must be a number: '${w['fetch-depth']}'`);
    const origin = c.origin;
    // What to check out: the ref input (a branch, tag, ref or sha), else the event's ref and sha.
    let ref = w.ref || String(c.github.ref);
    let sha = w.ref ? '' : String(c.github.sha);
    if (w.ref) {
      if (/^[0-9a-f]{40}$/.test(ref)) sha = ref;
      else {
        const candidates = ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
        const found = candidates.find((r) => git(origin, ['rev-parse', '--verify', '--quiet', `${r}^{commit}`], true));
        if (!found) {
          c.log(`##[error]A branch or tag with the name '${ref}' could not be found`);
          c.annotate({ level: 'error', message: `A branch or tag with the name '${ref}' could not be found` });
          return { ok: false };
        }
        ref = found;
        sha = git(origin, ['rev-parse', `${found}^{commit}`]);
      }
    }
    const ws = c.workspace;
    rmSync(ws, { recursive: true, force: true });
    mkdirSync(ws, { recursive: true });
    git(ws, ['init', '-q']);
    git(ws, ['remote', 'add', 'origin', `file://${origin}`]);
    const depthArgs = depth > 0 ? [`--depth=${depth}`] : [];
    const refspecs: string[] = [];
    let local: string;
    if (depth === 0) refspecs.push('+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*');
    else if (bool(w['fetch-tags'], false)) refspecs.push('+refs/tags/*:refs/tags/*');
    if (ref.startsWith('refs/heads/')) {
      local = `refs/remotes/origin/${ref.slice('refs/heads/'.length)}`;
      // With full history the remote-tracking branches are fetched already.
      if (depth > 0) refspecs.push(`+${sha}:${local}`);
    } else if (ref.startsWith('refs/tags/')) {
      local = ref;
      if (depth > 0 || !refspecs.includes('+refs/tags/*:refs/tags/*')) refspecs.push(`+${ref}:${ref}`);
    } else if (ref.startsWith('refs/pull/')) {
      local = `refs/remotes/pull/${ref.slice('refs/pull/'.length)}`;
      refspecs.push(`+${sha}:${local}`);
    } else {
      local = sha;
      refspecs.push(sha);
    }
    git(ws, ['-c', 'protocol.version=2', 'fetch', '--no-tags', '--prune', '--no-recurse-submodules', ...depthArgs, 'origin', ...refspecs]);
    if (ref.startsWith('refs/heads/')) git(ws, ['checkout', '-q', '--force', '-B', ref.slice('refs/heads/'.length), local]);
    else git(ws, ['checkout', '-q', '--force', '--detach', sha]);
    c.log(`checked out ${ref} (${sha.slice(0, 7)}) with fetch-depth ${depth} from ${origin}`);
    return { ok: true, outputs: { ref, commit: sha } };
  },
};

const setupNode: StandIn = {
  inputs: ['node-version', 'node-version-file', 'cache', 'cache-dependency-path', 'registry-url', 'check-latest', 'architecture'],
  outputs: ['node-version', 'cache-hit'],
  async run(c) {
    c.log(`actions/setup-node stand-in: no install; the runner's Node ${process.version} is on PATH (asked for ${c.with['node-version'] || c.with['node-version-file'] || 'any'})`);
    return { ok: true, outputs: { 'node-version': process.version, 'cache-hit': 'false' } };
  },
};

/** Paths of an upload: absolute or relative to the workspace; one per line. */
function uploadPaths(spec: string, ws: string): string[] {
  const paths = spec
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of paths) {
    if (/[*?[\]!]/.test(p)) throw new WorkflowError(`actions/upload-artifact stand-in: wildcards and exclusions ('${p}') are not implemented`);
  }
  return paths.map((p) => path.resolve(ws, p));
}

const uploadArtifact: StandIn = {
  inputs: ['name', 'path', 'if-no-files-found', 'retention-days', 'compression-level', 'overwrite', 'include-hidden-files'],
  outputs: ['artifact-id', 'artifact-url', 'artifact-digest'],
  async run(c) {
    const name = c.with.name || 'artifact';
    const paths = uploadPaths(c.with.path ?? '', c.workspace);
    const found = paths.filter((p) => existsSync(p));
    const mode = c.with['if-no-files-found'] || 'warn';
    if (found.length === 0) {
      const text = `No files were found with the provided path: ${(c.with.path ?? '').trim()}. No artifacts will be uploaded.`;
      if (mode === 'error') {
        c.annotate({ level: 'error', message: text });
        return { ok: false };
      }
      if (mode === 'warn') c.annotate({ level: 'warning', message: text });
      c.log(text);
      return { ok: true };
    }
    const dest = path.join(c.artifactsDir, name);
    if (existsSync(dest)) {
      if (!bool(c.with.overwrite, false)) {
        const text = 'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run';
        c.annotate({ level: 'error', message: text });
        return { ok: false };
      }
      rmSync(dest, { recursive: true, force: true });
    }
    // Stored relative to the paths' least common ancestor, as upload-artifact v4 does.
    const dirs = found.map((p) => (statSync(p).isDirectory() ? p : path.dirname(p)));
    let root = dirs[0]!;
    while (!dirs.every((d) => d === root || d.startsWith(`${root}${path.sep}`))) root = path.dirname(root);
    for (const p of found) cpSync(p, path.join(dest, path.relative(root, p) || path.basename(p)), { recursive: true });
    c.log(`artifact ${name}: ${found.map((p) => path.relative(root, p) || path.basename(p)).join(', ')}`);
    return { ok: true, outputs: { 'artifact-id': String(readdirSync(c.artifactsDir).length), 'artifact-url': `https://github.com/${String(c.github.repository)}/actions/runs/${String(c.github.run_id)}/artifacts/${name}`, 'artifact-digest': '' } };
  },
};

const downloadArtifact: StandIn = {
  inputs: ['name', 'path', 'pattern', 'merge-multiple', 'github-token', 'repository', 'run-id'],
  outputs: ['download-path'],
  async run(c) {
    if (c.with.pattern || c.with['run-id'] || c.with.repository) throw new WorkflowError('actions/download-artifact stand-in: pattern, run-id and repository are not implemented');
    if (!c.with.name) throw new WorkflowError('actions/download-artifact stand-in: downloading every artifact (no name) is not implemented');
    const src = path.join(c.artifactsDir, c.with.name);
    if (!existsSync(src)) {
      c.annotate({ level: 'error', message: `Unable to download artifact(s): Artifact not found for name: ${c.with.name}` });
      return { ok: false };
    }
    const dest = path.resolve(c.workspace, c.with.path || '.');
    cpSync(src, dest, { recursive: true });
    return { ok: true, outputs: { 'download-path': dest } };
  },
};

const uploadPagesArtifact: StandIn = {
  inputs: ['path', 'name', 'retention-days'],
  outputs: ['artifact_id'],
  async run(c) {
    const src = path.resolve(c.workspace, c.with.path || '_site/');
    if (!existsSync(src) || !statSync(src).isDirectory()) {
      c.annotate({ level: 'error', message: `tar: ${c.with.path || '_site/'}: Cannot open: No such file or directory` });
      return { ok: false };
    }
    const dest = path.join(c.artifactsDir, c.with.name || 'github-pages');
    if (existsSync(dest)) {
      c.annotate({ level: 'error', message: 'Failed to CreateArtifact: (409) Conflict: an artifact with this name already exists on the workflow run' });
      return { ok: false };
    }
    cpSync(src, dest, { recursive: true });
    c.log(`pages artifact ${path.basename(dest)}: ${readdirSync(src).length} entries from ${src}`);
    return { ok: true, outputs: { artifact_id: '1' } };
  },
};

/** actions/deploy-pages: checks the permissions and the artifact it needs; deploys nothing. */
const deployPages: StandIn = {
  inputs: ['token', 'timeout', 'error_count', 'reporting_interval', 'artifact_name', 'preview'],
  outputs: ['page_url'],
  async run(c) {
    const perms = isObject(c.job.permissions) ? c.job.permissions : {};
    for (const [k, v] of [['pages', 'write'], ['id-token', 'write']] as const) {
      if (perms[k] !== v) {
        c.annotate({ level: 'error', message: `Ensure GITHUB_TOKEN has permission "${k}: ${v}".` });
        return { ok: false };
      }
    }
    const name = c.with.artifact_name || 'github-pages';
    if (!existsSync(path.join(c.artifactsDir, name))) {
      c.annotate({ level: 'error', message: `No artifacts named "${name}" were found for this workflow run. Ensure artifacts are uploaded with actions/upload-pages-artifact.` });
      return { ok: false };
    }
    const [owner, repo] = String(c.github.repository).split('/');
    c.log(`actions/deploy-pages stand-in: artifact ${name} found; nothing deployed`);
    return { ok: true, outputs: { page_url: `https://${owner}.github.io/${repo}/` } };
  },
};

export const STAND_INS: Record<string, StandIn> = {
  'actions/checkout': checkout,
  'actions/setup-node': setupNode,
  'actions/upload-artifact': uploadArtifact,
  'actions/download-artifact': downloadArtifact,
  'actions/upload-pages-artifact': uploadPagesArtifact,
  'actions/deploy-pages': deployPages,
};
