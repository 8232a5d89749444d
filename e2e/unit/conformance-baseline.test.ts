import { mcpRevisions } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { baselineFile, parseBaseline, readBaseline } from '../../lab/conformance/baseline.ts';
import { runSuite } from '../../lab/conformance/suite.ts';
import { expect, test } from '@playwright/test';

const file = 'baselines/test.yml';

test('a baseline is "server:" and one entry a line, each with its reason', () => {
  const baseline = parseBaseline(
    [
      '# what the file is for',
      'server:',
      '  - tools-call-image:tools-call-image  # needs the tool test_image_content',
      '',
      '  # a comment between entries',
      '  - completion-complete  #whoami offers no completions',
    ].join('\n'),
    file,
  );

  expect(baseline).toEqual({
    file,
    entries: [
      { id: 'tools-call-image:tools-call-image', reason: 'needs the tool test_image_content' },
      { id: 'completion-complete', reason: 'whoami offers no completions' },
    ],
  });
});

for (const [what, text, message] of [
  ['an entry without its reason', 'server:\n  - ping\n', /baselines\/test\.yml:2: "- ping" has no reason/],
  ['an entry with an empty reason', 'server:\n  - ping  #\n', /has no reason/],
  ['an entry above "server:"', '  - ping  # why\nserver:\n', /:1: "- ping {2}# why" is not "server:" or an entry below it/],
  ['a key the lab does not use', 'server:\nclient:\n  - x  # why\n', /:2: "client:" is not/],
  ['an entry listed twice', 'server:\n  - ping  # a\n  - ping  # b\n', /:3: ping is listed twice/],
  ['a check of a scenario listed whole', 'server:\n  - ping  # a\n  - ping:ping  # b\n', /ping:ping is redundant/],
] as const) {
  test(`${what} is refused with one line naming the file and line`, () => {
    let error: unknown;
    try {
      parseBaseline(text, file);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).code).toBe('ERR_CONFIG');
    expect((error as LabError).message).toMatch(message);
    expect((error as LabError).message).not.toContain('\n');
  });
}

test('a missing baseline is one line naming the file', () => {
  expect(() => readBaseline('/nonexistent/2099-01-01.yml')).toThrow(/No conformance baseline at \/nonexistent\/2099-01-01\.yml \(ENOENT\)/);
});

// The suite reads the files itself; a typo there would be an "unexpected failure" only once that
// scenario fails. So every entry is checked against the pinned suite's own list of scenarios.
for (const revision of mcpRevisions) {
  test(`the ${revision} baseline names scenarios the pinned suite runs at ${revision}`, async () => {
    const { entries } = readBaseline(baselineFile(revision));
    const listed = await runSuite(['list', '--server', '--spec-version', revision], { timeoutMs: 10_000 });
    const scenarios = [...listed.stdout.matchAll(/^ {2}- (\S+)/gm)].map((match) => match[1]);

    expect(entries.length).toBeGreaterThan(0);
    expect(scenarios).toContain('tools-list');
    for (const { id, reason } of entries) {
      expect(scenarios, `${id} in ${baselineFile(revision)}`).toContain(id.split(':')[0]);
      expect(reason.length, id).toBeGreaterThan(10);
    }
  });
}
