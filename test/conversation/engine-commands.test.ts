/**
 * What works at every step: cancel, back, help, menu (words in the person's language and
 * slash commands), three wrong answers → a person offered, unsupported inputs, oversize text,
 * and the idle timeout's two stages.
 */
import { describe, expect, it } from 'vitest';
import { newChat } from './support/fixture-engine.js';
import { SERVICE_VARS, type Chat } from './support/engine-harness.js';

async function atStep(step: 'title' | 'people' | 'category' | 'review', locale = 'zh-CN'): Promise<Chat> {
  const chat = newChat(locale);
  await chat.start('report');
  const answers = ['楼道灯坏了', '3', '1', '跳过', '3号楼'];
  for (const answer of answers) {
    if (chat.state?.stepId === step) break;
    await chat.send(answer);
  }
  expect(chat.state?.stepId).toBe(step);
  return chat;
}

describe('cancel', () => {
  it.each([
    ['title', '取消', 'zh-CN'],
    ['people', '/cancel', 'zh-CN'],
    ['category', 'Cancel', 'en'],
    ['review', '/cancel@linli_bot', 'zh-CN'],
    ['people', '退出。', 'zh-CN'],
  ] as const)('at %s, %j ends the run', async (step, typed, locale) => {
    const chat = await atStep(step, locale);
    const runId = chat.state!.runId;
    const result = await chat.send(typed);
    expect(result.state).toBeNull();
    expect(result.runsEnded).toEqual([{ runId, how: 'cancelled' }]);
    expect(chat.keys).toEqual(['engine.cancelled']);
    expect(chat.ctx.executed).toEqual([]);
  });

  it('is a whole answer, not a word inside a longer one', async () => {
    const chat = await atStep('title');
    await chat.send('取消订阅的报纸');
    expect(chat.state?.data.title).toBe('取消订阅的报纸');
  });
});

describe('back', () => {
  it('goes to the previous question, and again, until the first', async () => {
    const chat = await atStep('category');
    await chat.send('返回');
    expect(chat.step).toBe('report/people');
    expect(chat.keys).toEqual(['test.report.people']);
    await chat.send('/back');
    expect(chat.step).toBe('report/title');
    await chat.send('上一步');
    expect(chat.keys).toEqual(['engine.back_at_start', 'test.report.title']);
    expect(chat.step).toBe('report/title');
  });

  it('at the summary returns to the last question, skipping messages in between', async () => {
    const chat = await atStep('review');
    await chat.send('back');
    expect(chat.step).toBe('report/place');
    await chat.send('上一步');
    expect(chat.step).toBe('report/photo');
    await chat.send({ kind: 'photo', ref: 'new' });
    await chat.send('3号楼');
    expect(chat.texts[0]).toContain('照片：已附照片');
  });

  it('from the "which answer" list, and while changing an answer, returns to the summary', async () => {
    const chat = await atStep('review');
    await chat.press('edit');
    await chat.send('返回');
    expect(chat.keys).toEqual(['test.report.review']);
    await chat.press('edit');
    await chat.press('edit:title');
    expect(chat.step).toBe('report/title');
    await chat.send('返回');
    expect(chat.step).toBe('report/review');
    expect(chat.keys).toEqual(['test.report.review']);
    // Nothing is left over from the abandoned edit: a later answer moves on normally.
    await chat.send('back');
    expect(chat.step).toBe('report/place');
    await chat.send('4号楼');
    expect(chat.step).toBe('report/review');
  });

  it('keeps the earlier answer until it is answered again', async () => {
    const chat = await atStep('category');
    await chat.send('返回');
    expect(chat.state?.data.people).toBe(3);
    await chat.send('4');
    expect(chat.state?.data.people).toBe(4);
  });
});

describe('help', () => {
  it('shows the step’s help, the general help with the office phone, then the question again', async () => {
    const chat = await atStep('title');
    const result = await chat.send('帮助');
    expect(chat.keys).toEqual(['test.report.title_help', 'engine.help', 'test.report.title']);
    expect(chat.texts[1]).toContain(SERVICE_VARS.office);
    expect(result.offeredHuman).toBe(true);
    expect(chat.step).toBe('report/title');
  });

  it('falls back to the flow’s help, and works as /help and in English', async () => {
    const chat = await atStep('category', 'en');
    await chat.send('/help');
    expect(chat.keys).toEqual(['test.report.help', 'engine.help', 'test.report.category']);
    await chat.send('help');
    expect(chat.texts[1]).toContain('contact the community office (phone 0991-1234567)');
  });

  it('does not count as a wrong answer', async () => {
    const chat = await atStep('people');
    await chat.send('x');
    await chat.send('帮助');
    expect(chat.state?.wrongAnswers).toBe(1);
  });

  it('with no active flow starts the help flow', async () => {
    const chat = newChat();
    const result = await chat.send('帮助');
    expect(result.runsStarted).toEqual([{ runId: 'run-1', flowId: 'help' }]);
    expect(chat.keys).toEqual(['test.help.text']);
    expect(result.runsEnded).toEqual([{ runId: 'run-1', how: 'completed' }]);
    expect(result.state).toBeNull();
  });
});

describe('menu', () => {
  it('leaves the current flow for the main menu', async () => {
    const chat = await atStep('people');
    const result = await chat.send('菜单');
    expect(result.runsEnded).toEqual([{ runId: 'run-1', how: 'cancelled' }]);
    expect(result.runsStarted).toEqual([{ runId: 'run-2', flowId: 'main_menu' }]);
    expect(chat.keys).toEqual(['test.menu.prompt']);
  });

  it('in the menu itself shows it again in the same run', async () => {
    const chat = newChat();
    await chat.send('hi');
    const result = await chat.send('/menu');
    expect(result.runsStarted).toEqual([]);
    expect(result.runsEnded).toEqual([]);
    expect(chat.keys).toEqual(['test.menu.prompt']);
  });
});

describe('wrong answers', () => {
  it('after three in a row a person is offered, while answers are still accepted', async () => {
    const chat = await atStep('people');
    await chat.send('many');
    await chat.send('lots');
    expect(chat.last.offeredHuman).toBeUndefined();
    const third = await chat.send('99');
    expect(third.offeredHuman).toBe(true);
    expect(chat.keys).toEqual(['engine.reason.out_of_range', 'engine.offer_human', 'test.report.people']);
    expect(chat.texts[1]).toContain(SERVICE_VARS.office);
    const fourth = await chat.send('no');
    expect(fourth.offeredHuman).toBeUndefined();
    expect(chat.state?.wrongAnswers).toBe(4);
    await chat.send('2');
    expect(chat.step).toBe('report/category');
    expect(chat.state?.wrongAnswers).toBe(0);
  });

  it('the count starts again at each question', async () => {
    const chat = await atStep('people');
    await chat.send('x');
    await chat.send('x');
    await chat.send('2');
    await chat.send('蓝色');
    expect(chat.state?.wrongAnswers).toBe(1);
    expect(chat.last.offeredHuman).toBeUndefined();
  });
});

describe('unsupported and oversize input', () => {
  it('a sticker or voice message gets a polite note and the question again, losing nothing', async () => {
    const chat = await atStep('category');
    const before = structuredClone(chat.state);
    await chat.send({ kind: 'unsupported', type: 'sticker' });
    expect(chat.keys).toEqual(['engine.unsupported', 'test.report.category']);
    expect(chat.state).toEqual(before);
    await chat.send({ kind: 'unsupported', type: 'voice' });
    expect(chat.state?.wrongAnswers).toBe(0);
  });

  it('text over 2000 characters is refused with its length at any question', async () => {
    const chat = await atStep('category');
    await chat.send('长'.repeat(2001));
    expect(chat.last.messages[0]).toEqual({ key: 'engine.reason.message_too_long', vars: { max: 2000, length: 2001 } });
    expect(chat.texts[0]).toBe('这条消息太长了（2001个字），请精简到2000个字以内再发送。');
    expect(chat.state?.wrongAnswers).toBe(1);
  });

  it('with no active flow, anything starts the menu', async () => {
    for (const input of [{ kind: 'unsupported', type: 'sticker' }, { kind: 'photo', ref: 'p' }] as const) {
      const chat = newChat();
      await chat.send(input);
      expect(chat.keys).toEqual(['test.menu.prompt']);
    }
  });
});

describe('idle timeout', () => {
  it('stage 1 reminds and asks again, keeping the state', async () => {
    const chat = await atStep('category');
    const result = chat.engine.timeout(chat.state, 1, chat.ctx);
    expect(result.state).toEqual(chat.state);
    expect(result.messages.map((m) => m.key)).toEqual(['engine.idle.reminder', 'test.report.category']);
    expect(result.messages[1]?.choices?.map((c) => c.value)).toEqual(['water', 'power', 'other']);
    expect(result.runsEnded).toEqual([]);
  });

  it('stage 2 ends the run with a closing message', async () => {
    const chat = await atStep('category');
    const result = chat.engine.timeout(chat.state, 2, chat.ctx);
    expect(result.state).toBeNull();
    expect(result.runsEnded).toEqual([{ runId: 'run-1', how: 'timed_out' }]);
    expect(result.messages.map((m) => m.key)).toEqual(['engine.idle.closed']);
  });

  it('without a context, a repeated summary still shows the answers (as stored values)', async () => {
    const chat = await atStep('review');
    const result = chat.engine.timeout(chat.state, 1);
    expect(result.messages[1]?.key).toBe('test.report.review');
    expect(result.messages[1]?.vars).toMatchObject({ title: '楼道灯坏了', people: 3, category: 'water', photo: '' });
  });

  it('does nothing without an active flow', () => {
    const chat = newChat();
    expect(chat.engine.timeout(null, 2, chat.ctx)).toEqual({ state: null, messages: [], runsStarted: [], runsEnded: [] });
  });
});
