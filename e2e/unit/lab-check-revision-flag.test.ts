/**
 * `lab check --revision`: which requirements, and the flags that do not go with today's revision —
 * the pure reading, then `node lab/cli.ts` as a user runs it (refusals only: nothing is started).
 */
import { expect, test } from '@playwright/test';
import { LabError } from '../../core/errors.ts';
import { readCheckRevision } from '../../lab/check/revision-flag.ts';
import { isOneLineError, runLab } from '../support/run-command.ts';

test.describe('readCheckRevision', () => {
  test("without --revision: the tutorial's checkpoints, whatever else is given", () => {
    expect(readCheckRevision({})).toBe('2025-11-25');
    expect(readCheckRevision({ checkpoint: '1', report: true })).toBe('2025-11-25');
    expect(readCheckRevision({ revision: '2025-11-25', checkpoint: '1' })).toBe('2025-11-25');
  });

  test("--revision 2026-07-28: today's requirements", () => {
    expect(readCheckRevision({ revision: '2026-07-28' })).toBe('2026-07-28');
    // parseArgs gives `--no-report` as false: no report, nothing to refuse.
    expect(readCheckRevision({ revision: '2026-07-28', report: false })).toBe('2026-07-28');
  });

  test("an unknown revision, or a flag of the tutorial's checkpoints with today's: a usage error naming what is accepted", () => {
    const refusal = (flags: Parameters<typeof readCheckRevision>[0]) => {
      try {
        readCheckRevision(flags);
      } catch (error) {
        return error;
      }
      throw new Error(`accepted ${JSON.stringify(flags)}`);
    };

    for (const flags of [{ revision: '2027-01-01' }, { revision: '2026-07-28', checkpoint: '1' }, { revision: '2026-07-28', report: true }])
      expect(refusal(flags), JSON.stringify(flags)).toMatchObject({ code: 'ERR_USAGE' });
    expect(refusal({ revision: '2027-01-01' })).toBeInstanceOf(LabError);
    expect((refusal({ revision: '2027-01-01' }) as Error).message).toBe(
      'check --revision takes 2025-11-25 (the tutorial\'s, the default) or 2026-07-28, got "2027-01-01"',
    );
    expect((refusal({ revision: '2026-07-28', checkpoint: '2' }) as Error).message).toBe(
      "check --checkpoint is the tutorial's (2025-11-25); --revision 2026-07-28 checks the whole revision",
    );
    expect((refusal({ revision: '2026-07-28', report: true }) as Error).message).toBe(
      "check --report sends the tutorial's checkpoints to the room; --revision 2026-07-28 has none to send",
    );
  });
});

test.describe('lab check --revision on the command line', () => {
  test('bad input is one line on stderr and a non-zero exit, before anything is asked of a server', async () => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [
        ['check', '--revision', '2027-01-01'],
        {},
        'error: check --revision takes 2025-11-25 (the tutorial\'s, the default) or 2026-07-28, got "2027-01-01"',
      ],
      [['check', '--revision'], {}, "check: Option '--revision <value>' argument missing"],
      [['check', '--revision', '2026-07-28', '--checkpoint', '1'], {}, "check --checkpoint is the tutorial's (2025-11-25)"],
      [['check', '--revision', '2026-07-28', '--report'], {}, "check --report sends the tutorial's checkpoints to the room"],
      [
        ['check', 'http://localhost:9', '--revision', '2026-07-28'],
        { LAB_PROVIDER: 'oidc', AUTH_MODE: 'tutorial' },
        "check --revision 2026-07-28 signs in at the lab's Keycloak (its step-up role and scope are Keycloak's): LAB_PROVIDER=oidc has none",
      ],
    ];
    for (const [args, env, message] of cases) {
      const result = await runLab(args, env);

      expect(result.exitCode, args.join(' ')).toBe(1);
      expect(isOneLineError(result.stderr), result.stderr).toBe(true);
      expect(result.stderr).toContain(message);
      expect(result.stdout, args.join(' ')).toBe('');
    }
  });

  test('`check --help` shows the flag and its values', async () => {
    const help = await runLab(['check', '--help']);

    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('[--revision 2025-11-25|2026-07-28]');
  });
});
