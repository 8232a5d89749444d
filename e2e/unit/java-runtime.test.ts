import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../core/errors.ts';
import { pickJavaRuntime, supportedJavaMajors } from '../../lab/keycloak/java-runtime.ts';
import { expect, test } from '@playwright/test';

/** A JDK folder as far as the lab looks: bin/java, and a `release` file naming its version (never run). */
function fakeJdk(dir: string, javaVersion: string): string {
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  writeFileSync(path.join(dir, 'bin', 'java'), '');
  writeFileSync(path.join(dir, 'release'), `IMPLEMENTOR="Test"\nJAVA_VERSION="${javaVersion}"\n`);
  return dir;
}

/** pickJavaRuntime with JAVA_HOME set; it is synchronous, so no other test sees the change. */
function pickWithJavaHome(javaHome: string, keycloakVersion: string) {
  const before = process.env.JAVA_HOME;
  process.env.JAVA_HOME = javaHome;
  try {
    return pickJavaRuntime(keycloakVersion);
  } finally {
    if (before === undefined) delete process.env.JAVA_HOME;
    else process.env.JAVA_HOME = before;
  }
}

function refusalOf(pick: () => unknown): { code: string; line: string } {
  try {
    pick();
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    return { code: error.code, line: error.toLine() };
  }
  return { code: 'none', line: 'a runtime was picked' };
}

test.describe('supportedJavaMajors', () => {
  test('Keycloak 26 before 26.4 runs on Java 17 to 21; 26.4 and later, and 27, up to 25', () => {
    expect(supportedJavaMajors('26.2.4')).toEqual({ min: 17, max: 21 });
    expect(supportedJavaMajors('26.3.5')).toEqual({ min: 17, max: 21 });
    expect(supportedJavaMajors('26.4.0')).toEqual({ min: 17, max: 25 });
    expect(supportedJavaMajors('26.10.1')).toEqual({ min: 17, max: 25 });
    expect(supportedJavaMajors('27.0.0-SNAPSHOT')).toEqual({ min: 17, max: 25 });
  });
});

test.describe('pickJavaRuntime with JAVA_HOME set', () => {
  test('takes a supported JDK there, reading its version from the release file', ({}, testInfo) => {
    const jdk = fakeJdk(testInfo.outputPath('jdk-21'), '21.0.5');

    expect(pickWithJavaHome(jdk, '26.2.4')).toEqual({ home: jdk, majorVersion: 21, source: 'JAVA_HOME' });
  });

  test('refuses a JDK the Keycloak release does not run on, naming both versions', ({}, testInfo) => {
    const jdk = fakeJdk(testInfo.outputPath('jdk-25'), '25');

    expect(refusalOf(() => pickWithJavaHome(jdk, '26.2.4'))).toEqual({
      code: 'ERR_NO_JAVA',
      line: `JAVA_HOME=${jdk} is Java 25; Keycloak 26.2.4 runs on Java 17–21 — point JAVA_HOME at a supported JDK, or unset it and let the lab pick one`,
    });
    expect(pickWithJavaHome(jdk, '26.4.0').majorVersion).toBe(25);
  });

  test('reads the old 1.x numbering: 1.8.0 is Java 8, which is refused', ({}, testInfo) => {
    const jdk = fakeJdk(testInfo.outputPath('jdk-8'), '1.8.0_392');

    expect(refusalOf(() => pickWithJavaHome(jdk, '26.2.4')).line).toContain(`JAVA_HOME=${jdk} is Java 8;`);
  });

  test('refuses a JAVA_HOME without a working bin/java', ({}, testInfo) => {
    const empty = testInfo.outputPath('not-a-jdk');
    mkdirSync(empty, { recursive: true });

    expect(refusalOf(() => pickWithJavaHome(empty, '26.2.4'))).toEqual({
      code: 'ERR_NO_JAVA',
      line: `JAVA_HOME=${empty} has no working bin/java — fix or unset JAVA_HOME`,
    });
  });
});
