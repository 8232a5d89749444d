/**
 * `lab check --revision`: whose requirements the server is checked against. The tutorial's
 * revision, 2025-11-25, unless told (its checkpoints, unchanged); 2026-07-28 checks today's
 * (revision-2026/). Light on purpose: the CLI reads it before it loads any check.
 */
import { mcpRevisions, type McpRevision } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';

export const tutorialRevision: McpRevision = '2025-11-25';

/** The flags as parseArgs gives them: strings, booleans, or absent. */
export interface RevisionFlags {
  revision?: string | boolean;
  checkpoint?: string | boolean;
  report?: string | boolean;
}

/** The revision `--revision` names; a flag that does not go with it is refused in one line. */
export function readCheckRevision({ revision, checkpoint, report }: RevisionFlags): McpRevision {
  if (revision === undefined) return tutorialRevision;
  if (!isRevision(revision)) {
    const today = mcpRevisions.filter((known) => known !== tutorialRevision).join(', ');
    throw new LabError(
      'ERR_USAGE',
      `check --revision takes ${tutorialRevision} (the tutorial's, the default) or ${today}, got "${String(revision)}"`,
    );
  }
  if (revision === tutorialRevision) return revision;
  // Today's revision has no checkpoints: the tutorial's two are the steps of its own server.
  if (checkpoint !== undefined)
    throw new LabError(
      'ERR_USAGE',
      `check --checkpoint is the tutorial's (${tutorialRevision}); --revision ${revision} checks the whole revision`,
    );
  if (report !== undefined && report !== false)
    throw new LabError('ERR_USAGE', `check --report sends the tutorial's checkpoints to the room; --revision ${revision} has none to send`);
  return revision;
}

function isRevision(value: string | boolean): value is McpRevision {
  return (mcpRevisions as readonly unknown[]).includes(value);
}
