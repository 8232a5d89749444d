/**
 * `lab doctor` with MCP_REVISION=2026-07-28: provisioning makes the step-up's role, role-limited
 * scope and second user (unchanged the second time), the doctor says so in one line, and each way
 * the step-up breaks in the admin console — which the Inspector only shows as a 403 — is named.
 */
import { expect, test } from '../support/fixtures.ts';
import { expectOnlyProblemCounted } from '../support/doctor-output.ts';
import { freshAdmin } from '../support/realm-lab.ts';
import { startStepUpLab, type StepUpLab } from '../support/step-up-lab.ts';
import { provisionLab } from '../../provisioning/provision.ts';
import { runLab } from '../support/run-command.ts';
import { testPorts } from '../support/test-ports.ts';

let stepUpLab: StepUpLab;

test.describe.configure({ mode: 'default' });

test.beforeAll(async () => {
  stepUpLab = await startStepUpLab({ prefix: 'doctor-step-up', port: testPorts.doctorStepUpWhoami });
});

test.afterAll(async () => {
  await stepUpLab?.stop();
});

test.afterEach(async () => {
  await provisionLab(await freshAdmin(), stepUpLab.config);
});

function doctor() {
  return runLab(['doctor'], stepUpLab.env);
}

test('provisioning makes the role, the scope limited to it and the user who holds it, and a second run changes nothing', async () => {
  expect(stepUpLab.provisioned.map(({ item, action }) => `${item}: ${action}`)).toEqual(
    expect.arrayContaining(['realm role whoami-admin: created', 'client scope whoami:admin: created', 'user adminuser: created']),
  );
  const again = await provisionLab(await freshAdmin(), stepUpLab.config);
  expect(again.filter(({ action }) => action !== 'unchanged')).toEqual([]);
});

test('a healthy 2026-07-28 lab: the step-up line is ok and names the scope, the role and the user', async () => {
  const result = await doctor();

  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toContain(
    '✓ step-up: whoami:admin is given to holders of role whoami-admin (adminuser); mcp-inspector may ask for it',
  );
});

test('adminuser without the role: Keycloak leaves the scope out of its tokens, and the doctor says so', async () => {
  const admin = await freshAdmin();
  const realm = stepUpLab.config.realm.name;
  const [user] = await admin.users.find({ realm, username: 'adminuser', exact: true });
  const role = await admin.roles.findOneByName({ realm, name: 'whoami-admin' });
  await admin.users.delRealmRoleMappings({ realm, id: user!.id!, roles: [{ id: role!.id!, name: role!.name! }] });

  expectOnlyProblemCounted(await doctor(), 'step-up', 'adminuser does not hold role whoami-admin', 'Users → adminuser → Role mapping');
});

test('the scope no longer limited to the role: every user gets it, and the doctor says so', async () => {
  const admin = await freshAdmin();
  const realm = stepUpLab.config.realm.name;
  const scope = await admin.clientScopes.findOneByName({ realm, name: 'whoami:admin' });
  const role = await admin.roles.findOneByName({ realm, name: 'whoami-admin' });
  await admin.clientScopes.delRealmScopeMappings({ realm, id: scope!.id! }, [{ id: role!.id!, name: role!.name! }]);

  expectOnlyProblemCounted(
    await doctor(),
    'step-up',
    'client scope whoami:admin is not limited to role whoami-admin',
    'every user gets it, testuser too',
  );
});
