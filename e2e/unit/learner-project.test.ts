import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { labPorts, loadConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import {
  chooseLearnerPort,
  readEnvValue,
  readLearnerPort,
  readLearnerProvider,
  shellQuote,
  writeLearnerEnv,
} from '../../lab/learner-project.ts';
import { expect, test } from '@playwright/test';

/** What `fn` throws: a LabError's code and message, or a note that it threw nothing. */
function refusalOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    return { code: error.code, message: error.message };
  }
  return { code: 'none', message: 'it threw nothing' };
}

test.describe("the learner's port", () => {
  const takenOnly =
    (...taken: number[]) =>
    async (port: number) =>
      taken.includes(port);

  test("is 3002 when it is free: next to the lab's own whoami server on 3001", async () => {
    expect(await chooseLearnerPort(loadConfig({}), { isTaken: takenOnly() })).toBe(3002);
  });

  test('is the next free one when something listens on 3002 (a server of an earlier project)', async () => {
    expect(await chooseLearnerPort(loadConfig({}), { isTaken: takenOnly(3002, 3003) })).toBe(3004);
  });

  test("is never one of the lab's own ports, even while the lab is stopped", async () => {
    const lab = loadConfig({ WHOAMI_PORT: '3002', KEYCLOAK_PORT: '3003', LAB_PROGRESS_PORT: '3004' });
    expect(await chooseLearnerPort(lab, { isTaken: takenOnly() })).toBe(3005);
  });

  test('when every port it tries is taken: one line saying which', async () => {
    await expect(chooseLearnerPort(loadConfig({}), { isTaken: async () => true })).rejects.toThrow(
      'No free port for your server from 3002 to 3101',
    );
  });

  test("the lab's own ports: Keycloak's two, whoami's, the Inspector's four, the progress page's, the metadata documents'", () => {
    expect(labPorts(loadConfig({})).sort((a, b) => a - b)).toEqual([3001, 6274, 6275, 6276, 6278, 6279, 8080, 8090, 9000]);
  });
});

test.describe("the project's .env", () => {
  test('`lab init` writes PORT and LAB_PROVIDER and `lab check DIR` reads them back', ({}, testInfo) => {
    const dir = testInfo.outputPath('mcp-server');
    mkdirSync(dir, { recursive: true });
    writeLearnerEnv(dir, { port: 3004, provider: 'oauth' }, '`npm start`');
    expect(readLearnerPort(dir)).toBe(3004);
    expect(readLearnerProvider(dir)).toBe('oauth');
    // Each value on its own line, as start.sh (`. ./.env`) and Node's --env-file read them.
    expect(readFileSync(`${dir}/.env`, 'utf8')).toMatch(/^PORT=3004\n# .*\nLAB_PROVIDER=oauth\n$/m);
  });

  test('the tab: none in a project made before there were tabs, the last LAB_PROVIDER when there are two, one line for an unknown one', ({}, testInfo) => {
    const dir = testInfo.outputPath('tabs');
    mkdirSync(dir, { recursive: true });
    expect(readLearnerProvider(dir)).toBeUndefined(); // no .env at all: readLearnerPort says so
    writeFileSync(`${dir}/.env`, 'PORT=3002\n');
    expect(readLearnerProvider(dir)).toBeUndefined();
    writeFileSync(`${dir}/.env`, 'PORT=3002\nLAB_PROVIDER=keycloak\nexport LAB_PROVIDER="oidc" # changed my mind\n');
    expect(readLearnerProvider(dir)).toBe('oidc');
    writeFileSync(`${dir}/.env`, 'PORT=3002\nLAB_PROVIDER=github\n');
    expect(refusalOf(() => readLearnerProvider(dir))).toEqual({
      code: 'ERR_USAGE',
      message: `LAB_PROVIDER in ${dir}/.env must be keycloak, oidc, oauth, logto, got "github"`,
    });
  });

  test('a variable is read whole, by its exact name', () => {
    expect(readEnvValue('MY_PORT=1\nPORT=2\nPORTS=3\n', 'PORT')).toBe('2');
    expect(readEnvValue('# PORT=1\n', 'PORT')).toBeUndefined();
    expect(readEnvValue('PORT=\nOTHER=1\n', 'PORT')).toBe('');
  });

  test("PORT as a shell or Node's --env-file reads it: quoted, exported, with a comment", ({}, testInfo) => {
    const dir = testInfo.outputPath('edited');
    mkdirSync(dir, { recursive: true });
    for (const [line, port] of [
      ['PORT="3007"', 3007],
      ["export PORT='3008'", 3008],
      ['PORT=3009 # mine', 3009],
    ] as const) {
      writeFileSync(`${dir}/.env`, `# a comment\nOTHER=1\n${line}\n`);
      expect(readLearnerPort(dir), line).toBe(port);
    }
  });

  test('a folder without .env, without PORT or with a PORT that is no port: one line naming what is missing', ({}, testInfo) => {
    const dir = testInfo.outputPath('not-a-project');
    mkdirSync(dir, { recursive: true });
    expect(refusalOf(() => readLearnerPort(dir))).toEqual({
      code: 'ERR_USAGE',
      message: `${dir} has no .env with the PORT of your server: is it a folder \`lab init\` made?`,
    });
    writeFileSync(`${dir}/.env`, 'HOST=localhost\n');
    expect(refusalOf(() => readLearnerPort(dir)).message).toBe(`${dir}/.env has no PORT=… line (the port of your server)`);
    writeFileSync(`${dir}/.env`, 'PORT=http\n');
    expect(refusalOf(() => readLearnerPort(dir)).message).toBe(`PORT in ${dir}/.env is not a port number: "http"`);
  });
});

test('a folder in a printed command is pasted back as it is: bare when plain, else in single quotes', () => {
  expect(shellQuote('/home/ada/mcp-server')).toBe('/home/ada/mcp-server');
  expect(shellQuote('/home/ada/my server')).toBe("'/home/ada/my server'");
  expect(shellQuote("/home/ada/it's")).toBe("'/home/ada/it'\\''s'");
});
