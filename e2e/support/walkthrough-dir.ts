import path from 'node:path';
import { repoRoot } from '../../core/config.ts';

/** Where the Inspector tests leave each step's screenshot; `npm run screenshots` copies them into docs/images. */
export const walkthroughDir = path.join(repoRoot, 'test-results', 'walkthrough');
