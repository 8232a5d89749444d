import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { runCommand } from '../../core/process.ts';
import { formatSeconds } from '../progress.ts';
import type { JavaRuntime } from './java-runtime.ts';

/**
 * Keycloak's build-time options: what `kc.sh build` bakes into a copy, so that `kc.sh start
 * --optimized` skips the 15–25 s re-augmentation `start-dev` does at every start. Everything else
 * (ports, host names, proxy headers, truststores, `--cache=local`) is given at start.
 */
export interface KeycloakBuildOptions {
  database: 'dev-file' | 'dev-mem';
  features: readonly string[];
}

export function buildArguments({ database, features }: KeycloakBuildOptions): string[] {
  return [`--db=${database}`, '--health-enabled=true', ...(features.length > 0 ? [`--features=${[...features].sort().join(',')}`] : [])];
}

/** Where a copy records the options it was built with; written only after a build succeeded. */
const stampName = 'lab-build.json';

/**
 * Builds `home` for `options` unless its last successful build was for exactly these options. A
 * failed or interrupted build leaves no stamp, so the next start builds again rather than starting
 * a half-built server. Returns how long the build took, or undefined when there was nothing to do.
 */
export async function ensureOptimizedBuild(
  home: string,
  java: JavaRuntime,
  options: KeycloakBuildOptions,
  { version, signal }: { version: string; signal?: AbortSignal },
): Promise<number | undefined> {
  const stampPath = path.join(home, stampName);
  const logPath = path.join(home, 'lab-build.log');
  const wanted = JSON.stringify(buildArguments(options));
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === wanted) return undefined;
  rmSync(stampPath, { force: true });
  const startedAt = performance.now();
  const built = await runCommand(path.join(home, 'bin', 'kc.sh'), ['build', ...buildArguments(options)], {
    env: java.home ? { JAVA_HOME: java.home } : {},
    signal,
  });
  writeFileSync(logPath, `${built.stdout}${built.stderr}`);
  // Ctrl-C during the build: the build is stopped and nothing is stamped; the next start builds again.
  if (signal?.aborted) throw new LabError('ERR_INTERRUPTED', t('up.keycloak.build-interrupted', { version }));
  if (built.exitCode !== 0) {
    const reason =
      `${built.stdout}\n${built.stderr}`
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .at(-1) ?? 'no output';
    throw new LabError('ERR_PROCESS_EXITED', t('up.keycloak.build-failed', { version, reason }), {
      hint: t('up.hint.see-log', { path: logPath }),
    });
  }
  writeFileSync(stampPath, wanted);
  return performance.now() - startedAt;
}

export function describeBuild(version: string, options: KeycloakBuildOptions, durationMs: number): string {
  const features = options.features.length > 0 ? [...options.features].sort().join(', ') : 'none';
  return t('up.keycloak.built', { version, database: options.database, features, duration: formatSeconds(durationMs) });
}
