/**
 * The loader names the file, the step and the problem for each kind of bad flow
 * (fixtures in test/fixtures/flows/bad/<case>/), and `npm run flows:check` prints them.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  FlowProblemsError,
  compileFlows,
  formatProblem,
  loadFlows,
  loadFlowsOrThrow,
} from '../../src/conversation/flow-loader.js';
import { APP_EFFECTS } from '../support/app-effects.js';
import { FIXTURES, ROOT, fixtureCases, testTranslator } from './support/test-locales.js';

const translator = testTranslator(join(FIXTURES, 'locales'));
const BAD = join(FIXTURES, 'bad');

function problemsOf(caseName: string): string[] {
  return loadFlows(join(BAD, caseName), { effects: APP_EFFECTS, locales: translator }).problems.map(formatProblem);
}

const expected: Record<string, string[]> = {
  'unknown-kind': [
    'flows/broken.yaml: step "hello": unknown step kind "shout" (known kinds: say, branch, effect, goto, text, number, choice, photo, location, confirm)',
  ],
  'duplicate-step': ['flows/twice.yaml: step "ask": duplicate step id'],
  'missing-next': [
    'flows/lost.yaml: step "pick": next "also_nowhere" is not a step in this flow',
    'flows/lost.yaml: step "pick": choice "water": next "nowhere" is not a step in this flow',
  ],
  'missing-goto': ['flows/jump.yaml: step "away": goes to flow "no_such_flow", which does not exist in flows/'],
  'unknown-effect': [
    `flows/act.yaml: step "launch": unknown effect "launch_rocket" (known: ${Object.keys(APP_EFFECTS).join(', ')})`,
    'flows/act.yaml: step "apply": effect "set_language" needs argument "locale"',
    'flows/act.yaml: step "apply": effect "set_language" takes no argument "lang"',
  ],
  'wrong-argument': ['flows/main_menu.yaml: step "apply": effect "set_language" takes no argument "remember"'],
  'wrong-argument-type': ['flows/pick.yaml: step "apply": effect "set_language" argument "locale": Invalid input: expected string, received number'],
  'missing-key': [
    'flows/words.yaml: step "half": prompt key "test.bad.only_zh" is missing from locales/en.json',
    'flows/words.yaml: step "none": prompt key "test.bad.not_there" is missing from locales/zh-CN.json',
    'flows/words.yaml: step "none": prompt key "test.bad.not_there" is missing from locales/en.json',
  ],
  unreachable: ['flows/island.yaml: step "stranded": cannot be reached from the first step'],
  loop: [
    'flows/spin.yaml: step "again": goes round in a loop without asking anything (spin/again → spin/restart → spin/again)',
  ],
  'bad-yaml': [
    'flows/mangled.yaml: is not valid YAML: Nested mappings are not allowed in compact mappings at line 5, column 11',
  ],
  'bad-fields': [
    'flows/typo.yaml: step "ask": unknown field "nxt"',
    'flows/typo.yaml: step "shy": "prompt" is required',
    'flows/typo.yaml: step "count": "min": Invalid input: expected number, received string',
    'flows/typo.yaml: step #4: "id": must be 1–32 lowercase letters, digits and "_", starting with a letter',
  ],
  'id-mismatch': ['flows/renamed.yaml: id "something_else" must match the file name ("renamed")'],
  commands: [
    'flows/a.yaml: command "/menu" is built in; a flow may answer it only with an argument (give "argument")',
    'flows/b.yaml: command "/go" is also claimed by flows/a.yaml',
    'flows/b.yaml: command word "走" (zh-CN) also starts flows/a.yaml',
    'flows/b.yaml: command word "取消" (zh-CN) already means "cancel"',
  ],
  audience: [
    'flows/y.yaml: step "empty": "choices": needs at least one choice (or choices_from)',
    'flows/x.yaml: step "pick": lists choices from "nowhere", which no step of this flow saves',
    'flows/x.yaml: is for residents, but there is no flow "resident_only" to lead visitors to binding',
  ],
  'unknown-variable': [
    ...['title', 'people', 'category', 'photo', 'place'].map(
      (name) => `flows/vars.yaml: step "thanks": prompt key "test.report.review" uses {{${name}}}, which no step of this flow saves`,
    ),
    'flows/vars.yaml: step "route": branches on "mood", which no step of this flow saves',
    'flows/vars.yaml: step "check": edit step "thanks" must be a question that saves an answer',
    'flows/vars.yaml: step "apply": argument uses {{ghost}}, which no step of this flow saves',
  ],
};

describe('bad flows', () => {
  it('every fixture case has its expected problems listed here', () => {
    expect(fixtureCases(BAD)).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s', (caseName, problems) => {
    expect(problemsOf(caseName)).toEqual(problems);
  });

  it('stop start-up with every problem in the message', () => {
    const load = () => loadFlowsOrThrow(join(BAD, 'missing-next'), { effects: APP_EFFECTS, locales: translator });
    expect(load).toThrow(FlowProblemsError);
    expect(load).toThrow(/lost\.yaml: step "pick": next "also_nowhere"/);
  });

  it('a flow id used by two files is reported', () => {
    const text = 'id: twin\nsteps:\n  - id: hi\n    kind: say\n    prompt: test.report.intro\n';
    const { problems } = compileFlows(
      [
        { file: 'flows/twin.yaml', text },
        { file: 'flows/twin.yml', text },
      ],
      { effects: [], locales: translator },
    );
    expect(problems.map(formatProblem)).toEqual(['flows/twin.yml: flow id "twin" is also used by flows/twin.yaml']);
  });

  it('a shape that starts a flow alone needs an argument to save it as, and one flow only', () => {
    const flow = (id: string, argument: string) =>
      `id: ${id}\ncommand:\n  slash: ${id}\n  alone: invite_code\n${argument}steps:\n  - id: hi\n    kind: say\n    prompt: test.report.intro\n`;
    const { problems } = compileFlows(
      [
        { file: 'flows/first.yaml', text: flow('first', '  argument: code\n') },
        { file: 'flows/second.yaml', text: flow('second', '') },
        { file: 'flows/third.yaml', text: 'id: third\ncommand:\n  slash: third\n  alone: phone_number\nsteps:\n  - id: hi\n    kind: say\n    prompt: test.report.intro\n' },
      ],
      { effects: [], locales: translator },
    );
    expect(problems.map(formatProblem)).toEqual([
      'flows/third.yaml: "command.alone": Invalid input: expected "invite_code"',
      'flows/second.yaml: command "alone: invite_code" needs an "argument" to save the message as',
      'flows/second.yaml: command "alone: invite_code" is also claimed by flows/first.yaml',
    ]);
  });

  it('an empty file, or one without steps, is reported', () => {
    const { problems } = compileFlows(
      [
        { file: 'flows/empty.yaml', text: '' },
        { file: 'flows/bare.yaml', text: 'id: bare\nsteps: []\n' },
      ],
      { effects: [] },
    );
    expect(problems.map(formatProblem)).toEqual([
      'flows/empty.yaml: Invalid input: expected object, received null',
      'flows/bare.yaml: "steps": needs at least one step',
    ]);
  });
});

describe('good flows', () => {
  it('resolve a missing next to the step below, and end after the last step', () => {
    const { registry, problems } = loadFlows(join(FIXTURES, 'good'), {
      effects: ['file_report', 'set_language'],
      locales: translator,
    });
    expect(problems).toEqual([]);
    const report = registry.get('report')!;
    expect(report.start).toBe('intro');
    expect(report.steps.get('intro')?.next).toBe('title');
    expect(report.steps.get('power_note')?.next).toBe('photo');
    expect(registry.get('help')!.steps.get('explain')?.next).toBe('end');
    expect(registry.get('survey')!.steps.get('check')?.next).toBe('bye');
  });
});

describe('npm run flows:check', () => {
  const run = promisify(execFile);
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/flows-check.ts'), ...args], { cwd: ROOT });

  it('prints each problem with file and step, and exits 1', async () => {
    const locales = writeLocales();
    const failure = await cli('--flows', join(BAD, 'missing-next'), '--locales', locales).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 1 });
    const stderr = (failure as { stderr: string }).stderr;
    expect(stderr).toContain('lost.yaml: step "pick": next "also_nowhere" is not a step in this flow');
    expect(stderr).toContain(`${join(BAD, 'missing-next').slice(ROOT.length)}/: no flow "main_menu": every conversation starts at the menu (main_menu.yaml)`);
    expect(stderr).toContain('3 problem(s)');
  });

  it('prints a one-line summary for the real flows and exits 0', async () => {
    const { stdout } = await cli('--locales', writeLocales());
    const ids = readdirSync(join(ROOT, 'flows'))
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => name.slice(0, -'.yaml'.length))
      .sort();
    expect(ids).toContain('bind');
    const line = stdout.trim();
    expect(line.startsWith(`flows OK: ${ids.length} flows (${ids.join(', ')}), `)).toBe(true);
    expect(line).toMatch(/, \d+ steps, every key present in zh-CN, en$/);
  });
});

/** The project's locales plus the flows fragment (until merged) and the fixture keys, on disk. */
function writeLocales(): string {
  const dir = mkdtempSync(join(tmpdir(), 'linli-locales-'));
  const withFixtures = testTranslator(join(FIXTURES, 'locales'));
  for (const locale of withFixtures.locales) {
    const flat = Object.fromEntries(withFixtures.keys(locale).map((key) => [key, withFixtures.t(locale, key)]));
    writeFileSync(join(dir, `${locale}.json`), JSON.stringify(unflatten(flat)));
  }
  return dir;
}

function unflatten(flat: Record<string, string>): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = value;
  }
  return tree;
}
