import { runReleaseNotesAction } from './release-notes-action.js';

await runReleaseNotesAction();
