/**
 * What Logto core's `copy:apidocs` script does with rsync (every `*.openapi.json` under
 * `src/routes/` into `build/routes/`), without rsync: the lab builds core with
 * `tsup --onSuccess "node <this file>"`, run in packages/core. The files back Logto's
 * `/.well-known/*.openapi.json` and its Swagger page only.
 */
import { cpSync, statSync } from 'node:fs';

cpSync('src/routes', 'build/routes', {
  recursive: true,
  filter: (source) => statSync(source).isDirectory() || source.endsWith('.openapi.json'),
});
