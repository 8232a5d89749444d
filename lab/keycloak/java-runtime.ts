import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { isKeycloakAtLeast } from '../../core/keycloak-versions.ts';
import { runCommandSync } from '../../core/process.ts';

export interface JavaRuntime {
  /** undefined means "`java` on PATH". */
  home: string | undefined;
  majorVersion: number;
  /** Where it was found, for the progress line. */
  source: string;
}

/**
 * The Java versions a Keycloak release runs on: 26.x supports 17 and 21, and JDK 25 from 26.4 on
 * (Keycloak release notes, "Supported JDKs").
 */
export function supportedJavaMajors(keycloakVersion: string): { min: number; max: number } {
  return isKeycloakAtLeast(keycloakVersion, '26.4') ? { min: 17, max: 25 } : { min: 17, max: 21 };
}

/**
 * A JDK's major version: from the `release` file beside its bin/ when there is one (instant),
 * otherwise from `java -version`, which prints e.g. `openjdk version "17.0.15"` or `"1.8.0_392"`.
 */
function javaMajorVersion(javaBinary: string): number | undefined {
  const version = versionFromReleaseFile(javaBinary) ?? versionFromJavaCommand(javaBinary);
  if (!version) return undefined;
  const [first, second] = version.split('.').map(Number);
  return first === 1 ? second : first;
}

function versionFromReleaseFile(javaBinary: string): string | undefined {
  if (!path.isAbsolute(javaBinary) || !existsSync(javaBinary)) return undefined;
  const releaseFile = path.join(path.dirname(path.dirname(javaBinary)), 'release');
  if (!existsSync(releaseFile)) return undefined;
  return /^JAVA_VERSION="([^"]+)"/m.exec(readFileSync(releaseFile, 'utf8'))?.[1];
}

function versionFromJavaCommand(javaBinary: string): string | undefined {
  const { stderr, exitCode } = runCommandSync(javaBinary, ['-version']);
  return exitCode === undefined ? undefined : /version "([^"]+)"/.exec(stderr)?.[1];
}

/**
 * Picks the JDK to run Keycloak on: `JAVA_HOME` when set (refused if unsupported), otherwise the
 * newest supported JDK under /usr/lib/jvm, otherwise `java` on PATH.
 */
export function pickJavaRuntime(keycloakVersion: string): JavaRuntime {
  const { min, max } = supportedJavaMajors(keycloakVersion);
  const isSupported = (majorVersion: number) => majorVersion >= min && majorVersion <= max;

  const javaHome = process.env.JAVA_HOME;
  if (javaHome) {
    const majorVersion = javaMajorVersion(path.join(javaHome, 'bin', 'java'));
    if (majorVersion === undefined) {
      throw new LabError('ERR_NO_JAVA', t('up.java.home-broken', { home: javaHome }), { hint: t('up.java.home-broken.hint') });
    }
    if (!isSupported(majorVersion)) {
      throw new LabError(
        'ERR_NO_JAVA',
        t('up.java.home-unsupported', {
          home: javaHome,
          major: String(majorVersion),
          version: keycloakVersion,
          min: String(min),
          max: String(max),
        }),
        { hint: t('up.java.home-unsupported.hint') },
      );
    }
    return { home: javaHome, majorVersion, source: 'JAVA_HOME' };
  }

  const jvmRoot = '/usr/lib/jvm';
  const installed: JavaRuntime[] = existsSync(jvmRoot)
    ? readdirSync(jvmRoot).flatMap((entry) => {
        const home = path.join(jvmRoot, entry);
        const majorVersion = javaMajorVersion(path.join(home, 'bin', 'java'));
        return majorVersion === undefined ? [] : [{ home, majorVersion, source: home }];
      })
    : [];
  const newestSupported = installed
    .filter(({ majorVersion }) => isSupported(majorVersion))
    .sort((a, b) => b.majorVersion - a.majorVersion)[0];
  if (newestSupported) return newestSupported;

  const onPath = javaMajorVersion('java');
  if (onPath !== undefined && isSupported(onPath)) return { home: undefined, majorVersion: onPath, source: '`java` on PATH' };

  throw new LabError('ERR_NO_JAVA', t('up.java.none', { min: String(min), max: String(max), version: keycloakVersion }), {
    hint: t('up.java.none.hint'),
  });
}
