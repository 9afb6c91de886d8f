/**
 * What the engine does with who is speaking and where: flows for residents lead visitors to
 * the gate flow (from the menu, a goto, a command or a start), private flows are refused in
 * groups without losing the person's place, commands carry their argument into the new run,
 * choices listed from saved data, phone answers, and effects run again on a new pass.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createEngine } from '../../src/conversation/engine.js';
import type { Json } from '../../src/conversation/engine-types.js';
import { displayVars } from '../../src/conversation/flow-data.js';
import { compileFlows, formatProblem } from '../../src/conversation/flow-loader.js';
import { Chat, FakeContext } from './support/engine-harness.js';
import { FIXTURES, testTranslator } from './support/test-locales.js';

const translator = testTranslator(join(FIXTURES, 'locales'));

const FLOWS: Record<string, string> = {
  main_menu: `
id: main_menu
steps:
  - id: menu
    kind: choice
    prompt: test.menu.prompt
    choices:
      - value: secret
        label: test.menu.report
        next: open_secret
      - value: open
        label: test.menu.survey
        next: open_open
  - id: open_secret
    kind: goto
    flow: secret
  - id: open_open
    kind: goto
    flow: open
`,
  secret: `
id: secret
audience: resident
chat: private
command:
  slash: [secret, start]
  words: test.cmd.go_words
  argument: code
steps:
  - id: check
    kind: effect
    effect: check
    args:
      code: "{{code}}"
    save: result
  - id: route
    kind: branch
    on: result.ok
    cases:
      "true": pick
    default: ask
  - id: ask
    kind: text
    prompt: test.report.title
    save: code
    next: check
  - id: pick
    kind: choice
    prompt: test.report.category
    save: who
    choices_from: result.people
    choices:
      - value: nobody
        label: test.report.cat.other
  - id: summary
    kind: confirm
    prompt: test.report.intro
  - id: phone
    kind: text
    prompt: test.report.place
    save: phone
    format: phone
`,
  open: `
id: open
steps:
  - id: ask
    kind: text
    prompt: test.report.title
    save: title
`,
  resident_only: `
id: resident_only
steps:
  - id: explain
    kind: say
    prompt: test.help.text
`,
};

const compiled = compileFlows(
  Object.entries(FLOWS).map(([id, text]) => ({ file: `flows/${id}.yaml`, text })),
  { effects: ['check'], locales: translator },
);
const engine = createEngine(compiled.registry);

function chatWith(check: (args: Record<string, Json>) => Json, options: { actor?: 'visitor' | 'person'; chat?: 'private' | 'group' } = {}): Chat {
  const ctx = new FakeContext(translator, 'zh-CN', { check });
  ctx.actor = options.actor ?? 'person';
  ctx.chat = options.chat ?? 'private';
  return new Chat(engine, ctx);
}

const people = (count: number) => Array.from({ length: count }, (_, i) => ({ value: `p${i + 1}`, label: `居民${i + 1}` }));
const found = (): Json => ({ ok: true, people: people(2) });

describe('the fixture flows', () => {
  it('load cleanly', () => {
    expect(compiled.problems.map(formatProblem)).toEqual([]);
  });

  it('a flow for residents needs the gate flow to exist', () => {
    const { resident_only: _gate, ...withoutGate } = FLOWS;
    const registry = compileFlows(
      Object.entries(withoutGate).map(([id, text]) => ({ file: `flows/${id}.yaml`, text })),
      { effects: ['check'] },
    ).registry;
    expect(() => createEngine(registry)).toThrow(/resident_only/);
  });
});

describe('audience', () => {
  it('a visitor who picks a flow for residents lands in the gate flow; a person goes in', async () => {
    const visitor = chatWith(found, { actor: 'visitor' });
    await visitor.send('你好');
    const result = await visitor.press('secret');
    expect(result.runsStarted.map((run) => run.flowId)).toEqual(['resident_only']);
    expect(visitor.keys).toEqual(['test.help.text']);
    expect(visitor.ctx.executed).toEqual([]);

    const person = chatWith(found);
    await person.send('你好');
    await person.press('secret');
    expect(person.step).toBe('secret/pick');
  });

  it('the same for a start from outside and a command, which also drop their data', async () => {
    const visitor = chatWith(found, { actor: 'visitor' });
    await visitor.send({ kind: 'start', flowId: 'secret', data: { code: 'X' } });
    expect(visitor.keys).toEqual(['test.help.text']);
    await visitor.send('/secret ABCD');
    expect(visitor.keys).toEqual(['test.help.text']);
    expect(visitor.ctx.executed).toEqual([]);
  });
});

describe('private flows in a group', () => {
  it('are refused, and the person stays at their question', async () => {
    const chat = chatWith(found, { chat: 'group' });
    await chat.send('你好');
    await chat.press('open');
    expect(chat.step).toBe('open/ask');
    const result = await chat.send('/secret ABCD');
    expect(chat.keys).toEqual(['engine.private_only', 'test.report.title']);
    expect(result.runsEnded).toEqual([]);
    expect(result.runsStarted).toEqual([]);
    expect(chat.step).toBe('open/ask');
  });

  it('are refused from a menu too, ending there', async () => {
    const chat = chatWith(found, { chat: 'group' });
    await chat.send('你好');
    await chat.press('secret');
    expect(chat.keys).toEqual(['engine.private_only']);
    expect(chat.state).toBeNull();
    expect(chat.ctx.executed).toEqual([]);
  });

  it('and from a start', async () => {
    const chat = chatWith(found, { chat: 'group' });
    const result = await chat.send({ kind: 'start', flowId: 'secret' });
    expect(chat.keys).toEqual(['engine.private_only']);
    expect(result.runsStarted).toEqual([]);
  });
});

describe('commands', () => {
  it('start their flow with the argument, leaving the current one', async () => {
    const chat = chatWith(found);
    await chat.send('你好');
    await chat.press('open');
    const result = await chat.send('/secret@linli_bot k7mp-x2qr');
    expect(result.runsEnded.map((run) => run.how)).toEqual(['cancelled']);
    expect(chat.ctx.executed.map((e) => e.call)).toEqual([{ name: 'check', args: { code: 'k7mp-x2qr' } }]);
    expect(chat.step).toBe('secret/pick');
  });

  it('/start with an argument is the deep link; /start alone the menu', async () => {
    const chat = chatWith(found);
    await chat.send('/start ABCD');
    expect(chat.step).toBe('secret/pick');
    await chat.send('/start');
    expect(chat.step).toBe('main_menu/menu');
  });

  it('in words, with a code after them', async () => {
    const chat = chatWith(found);
    await chat.send('走 ABCD-EFGH');
    expect(chat.ctx.executed.map((e) => e.call.args)).toEqual([{ code: 'ABCD-EFGH' }]);
  });

  it('a start from outside keeps given data but never the engine’s own', async () => {
    const chat = chatWith(found);
    await chat.send({ kind: 'start', flowId: 'secret', data: { code: 'ABCD', _passes: { check: 5 } } });
    expect(chat.ctx.executed.map((e) => `${e.stepId}:${String(e.call.args.code)}`)).toEqual(['check:ABCD']);
  });

  it('an unknown one is answered and the question asked again, not taken as an answer', async () => {
    const chat = chatWith(found);
    await chat.send('你好');
    await chat.press('open');
    await chat.send('/frobnicate');
    expect(chat.keys).toEqual(['engine.unknown_command', 'test.report.title']);
    expect(chat.state?.data.title).toBeUndefined();
    expect(chat.state?.wrongAnswers).toBe(0);
  });
});

describe('effects on a new pass', () => {
  it('run again for a new answer, under a new key; the same input twice runs once', async () => {
    const answers: Json[] = [{ ok: false }, { ok: false }, { ok: true, people: people(1) }];
    const chat = chatWith(() => answers.shift()!);
    await chat.send('/secret WRONG');
    expect(chat.step).toBe('secret/ask');
    const before = chat.state!;
    await chat.send('AGAIN');
    // The same message handled again from the same saved state: replayed, not run again.
    const replay = await engine.handle(JSON.parse(JSON.stringify(before)), { kind: 'text', text: 'AGAIN' }, chat.ctx);
    expect(replay.state?.stepId).toBe('ask');
    await chat.send('RIGHT');
    expect(chat.ctx.executed.map((e) => `${e.stepId}:${String(e.call.args.code)}`)).toEqual(['check:WRONG', 'check#2:AGAIN', 'check#3:RIGHT']);
    expect(chat.step).toBe('secret/pick');
  });
});

describe('choices listed from saved data', () => {
  it('come first with their labels as they are, then the fixed ones', async () => {
    const chat = chatWith(found);
    await chat.send('/secret ABCD');
    expect(chat.offered).toEqual(['p1', 'p2', 'nobody']);
    const listed = chat.last.messages.at(-1)!.choices!;
    expect(listed[0]).toEqual({ label: '居民1', value: 'p1' });
    expect(chat.texts[0]).toContain('2. 居民2');
  });

  it('are picked by button, number or name; the summary shows the name', async () => {
    for (const pick of ['2', '居民2', 'button'] as const) {
      const chat = chatWith(found);
      await chat.send('/secret ABCD');
      await (pick === 'button' ? chat.press('p2') : chat.send(pick));
      expect(chat.state?.data.who).toBe('p2');
      expect(chat.step).toBe('secret/summary');
      expect(displayVars(compiled.registry.get('secret')!, chat.state!.data, chat.ctx).who).toBe('居民2');
    }
  });

  it('a value not offered is a stale button', async () => {
    const chat = chatWith(found);
    await chat.send('/secret ABCD');
    await chat.press('p9');
    expect(chat.keys).toEqual(['engine.stale_choice', 'test.report.category']);
  });

  it('offer record ids of real length (36-character UUIDs) and take them back by button or number', async () => {
    const ids = ['3f2b8c1e-9a7d-4e5f-8b6a-0c1d2e3f4a5b', '7c9e6679-7425-40de-944b-e07fc1f90ae7'];
    const household = (): Json => ({ ok: true, people: ids.map((value, i) => ({ value, label: `居民${i + 1}` })) });
    for (const pick of ['button', '2'] as const) {
      const chat = chatWith(household);
      await chat.send('/secret ABCD');
      expect(chat.offered).toEqual([...ids, 'nobody']);
      await (pick === 'button' ? chat.press(ids[1]!) : chat.send(pick));
      expect(chat.state?.data.who).toBe(ids[1]);
    }
  });

  it('never leave an entry out quietly: a malformed entry or a list too long to offer is an error', async () => {
    const bad: Json[] = [
      [{ value: 'has space', label: '坏' }],
      [{ value: 'ok1', label: '好' }, { value: 'ok1', label: '重复' }],
      [{ value: 'nolabel' }],
      [{ value: 'x'.repeat(129), label: '太长' }],
      ['just text'],
      'not a list',
      people(20),
    ];
    for (const list of bad) {
      const chat = chatWith(() => ({ ok: true, people: list }));
      await expect(chat.send('/secret ABCD')).rejects.toThrow(/choice|choices/);
    }
    const full = chatWith(() => ({ ok: true, people: people(19) }));
    await full.send('/secret ABCD');
    expect(full.offered).toHaveLength(20);
  });

  it('with nothing listed only the fixed choices remain', async () => {
    const chat = chatWith(() => ({ ok: true, people: null }));
    await chat.send('/secret ABCD');
    expect(chat.offered).toEqual(['nobody']);
  });
});

describe('phone answers', () => {
  it('are refused with the reason until they are a number, and saved as digits', async () => {
    const chat = chatWith(found);
    await chat.send('/secret ABCD');
    await chat.press('p1');
    await chat.press('yes');
    await chat.send('不知道');
    expect(chat.keys).toEqual(['engine.reason.phone', 'test.report.place']);
    expect(chat.state?.wrongAnswers).toBe(1);
    await chat.send('１３８ ００１３ ８０００');
    expect(chat.state).toBeNull();
    expect(chat.last.runsEnded.map((run) => run.how)).toEqual(['completed']);
  });
});
