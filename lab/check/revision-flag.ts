/**
 * `lab check --revision`: whose requirements the server is checked against. The tutorial's
 * revision, 2025-11-25, unless told (its checkpoints, unchanged); 2026-07-28 checks today's
 * (revision-2026/). Light on purpose: the CLI reads it before it loads any check.
 */
import { mcpRevisions, type McpRevision } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';

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
    throw new LabError('ERR_USAGE', t('check.error.unknown-revision', { tutorial: tutorialRevision, today, got: String(revision) }));
  }
  if (revision === tutorialRevision) return revision;
  // Today's revision has no checkpoints: the tutorial's two are the steps of its own server.
  if (checkpoint !== undefined)
    throw new LabError('ERR_USAGE', t('check.error.checkpoint-with-revision', { tutorial: tutorialRevision, revision }));
  if (report !== undefined && report !== false) throw new LabError('ERR_USAGE', t('check.error.report-with-revision', { revision }));
  return revision;
}

function isRevision(value: string | boolean): value is McpRevision {
  return (mcpRevisions as readonly unknown[]).includes(value);
}
