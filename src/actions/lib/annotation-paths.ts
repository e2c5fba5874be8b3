import { existsSync } from 'node:fs';
import path from 'node:path';
import { isUrl } from '../../kit/format/common.js';
import type { Finding } from '../../kit/result.js';

/**
 * A finding as an annotation needs it: the runner places annotations by path from the repository
 * root, so the file is made relative to the workspace. A file read from git (`REV:path`, such as the
 * base of a comparison) is annotated on the checked-out file without a line: the line belongs to that
 * revision, so the message names it. A URL (a pact fetched from a broker, a live spec) is no file and stays
 * as is; its annotation names it in the message (see annotationLine).
 */
export function workspaceRelative(f: Finding, cwd: string, workspace: string): Finding {
  if (!f.location || isUrl(f.location.file)) return f;
  let { file, line, column } = f.location;
  let message = f.message;
  const git = existsSync(path.resolve(cwd, file)) ? null : /^([^:]{2,}):(.+)$/.exec(file);
  if (git) {
    file = git[2]!;
    if (line !== undefined) message = `${message} (at line ${line} of ${git[1]})`;
    line = undefined;
    column = undefined;
  }
  const rel = path.relative(workspace, path.resolve(cwd, file)).split(path.sep).join('/');
  return { ...f, message, location: { file: rel, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) } };
}
