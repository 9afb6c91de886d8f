/**
 * The engine runs every step kind of the fixture flows: say, text, number, choice, branch,
 * photo, location, confirm (with edit), effect and goto.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/conversation/engine.js';
import type { FlowState } from '../../src/conversation/engine-types.js';
import { loadFlows } from '../../src/conversation/flow-loader.js';
import { join } from 'node:path';
import { engine, fixtureEffects, loaded, newChat, translator } from './support/fixture-engine.js';
import { FIXTURES } from './support/test-locales.js';
import type { Chat } from './support/engine-harness.js';

const pin = { kind: 'location', latitude: 43.82561, longitude: 87.61682, label: '3号楼' } as const;

/** Answers the report flow up to its confirm step. */
async function toReview(chat: Chat, category: string = '1'): Promise<void> {
  await chat.start('report');
  await chat.send('楼道灯坏了');
  await chat.send('3');
  await chat.send(category);
  if (chat.state?.stepId === 'details') await chat.send('门口有积水');
  await chat.send({ kind: 'photo', ref: 'photo-1' });
  await chat.send(pin);
  expect(chat.step).toBe('report/review');
}

describe('the fixture flows', () => {
  it('load without problems', () => {
    expect(loaded.problems).toEqual([]);
    expect(engine.describe().map((f) => f.id).sort()).toEqual(['help', 'main_menu', 'report', 'survey']);
  });
});

describe('starting', () => {
  it('starts the main menu when someone with no active flow writes anything', async () => {
    const chat = newChat();
    const result = await chat.send('你好');
    expect(result.runsStarted).toEqual([{ runId: 'run-1', flowId: 'main_menu' }]);
    expect(chat.keys).toEqual(['test.menu.prompt']);
    expect(chat.offered).toEqual(['report', 'survey']);
    expect(chat.texts[0]).toBe('测试菜单：\n1. 报告问题\n2. 问卷调查');
  });

  it('a start input leaves the current run (cancelled) and begins the named flow', async () => {
    const chat = newChat();
    await chat.start('report');
    const result = await chat.start('survey');
    expect(result.runsEnded).toEqual([{ runId: 'run-1', how: 'cancelled' }]);
    expect(result.runsStarted).toEqual([{ runId: 'run-2', flowId: 'survey' }]);
    expect(chat.step).toBe('survey/score');
  });

  it('runs say steps straight through to the first question', async () => {
    const chat = newChat();
    await chat.start('report');
    expect(chat.keys).toEqual(['test.report.intro', 'test.report.title']);
    expect(chat.state).toMatchObject({ flowId: 'report', stepId: 'title', data: {}, history: [], wrongAnswers: 0 });
  });
});

describe('a whole run', () => {
  it('collects every answer, confirms, runs the effect once, and goes to the next flow', async () => {
    const chat = newChat();
    await toReview(chat);
    expect(chat.state?.data).toEqual({
      title: '楼道灯坏了',
      people: 3,
      category: 'water',
      photo: 'photo-1',
      place: { latitude: pin.latitude, longitude: pin.longitude, label: '3号楼' },
    });
    expect(chat.texts[0]).toBe('标题：楼道灯坏了\n人数：3\n类别：水管漏水\n照片：已附照片\n地点：3号楼\n1. 确认\n2. 修改\n3. 取消');
    expect(chat.offered).toEqual(['yes', 'edit', 'cancel']);

    const result = await chat.press('yes');
    expect(chat.ctx.executed).toEqual([
      {
        runId: 'run-1',
        stepId: 'file',
        call: {
          name: 'file_report',
          args: {
            title: '楼道灯坏了',
            people: 3,
            category: 'water',
            photo: 'photo-1',
            place: { latitude: pin.latitude, longitude: pin.longitude, label: '3号楼' },
            summary: '楼道灯坏了 (3)',
          },
        },
      },
    ]);
    expect(chat.texts[0]).toBe('已提交，编号 T-1。');
    // goto: the report run completes and a survey run begins, with fresh data.
    expect(result.runsEnded).toEqual([{ runId: 'run-1', how: 'completed' }]);
    expect(result.runsStarted).toEqual([{ runId: 'run-2', flowId: 'survey' }]);
    expect(chat.state).toMatchObject({ flowId: 'survey', runId: 'run-2', stepId: 'score', data: {}, history: [] });
    expect(chat.keys).toEqual(['test.report.thanks', 'test.survey.score']);
  });

  it('ends the run when the last step is done', async () => {
    const chat = newChat();
    await chat.start('survey');
    await chat.send('4.5');
    await chat.send({ kind: 'photo', ref: 'p' });
    const result = await chat.send('确认');
    expect(chat.keys).toEqual(['test.survey.bye']);
    expect(result.state).toBeNull();
    expect(result.runsEnded).toEqual([{ runId: 'run-1', how: 'completed' }]);
  });
});

describe('text steps', () => {
  it('re-asks with the reason when too short or too long, and saves trimmed text', async () => {
    const chat = newChat();
    await chat.start('report');
    await chat.send('灯坏');
    expect(chat.last.messages[0]).toEqual({ key: 'engine.reason.too_short', vars: { min: 4, length: 2 } });
    expect(chat.texts[0]).toBe('内容太短了，请至少输入4个字。');
    expect(chat.keys[1]).toBe('test.report.title');
    await chat.send('一二三四五六七八九十一二三四五六七八九十一');
    expect(chat.last.messages[0]).toEqual({ key: 'engine.reason.too_long', vars: { max: 20, length: 21 } });
    expect(chat.state?.stepId).toBe('title');
    await chat.send('   楼道灯坏了  ');
    expect(chat.state?.data.title).toBe('楼道灯坏了');
    expect(chat.state?.stepId).toBe('people');
  });

  it('counts emoji and CJK as one character each', async () => {
    const chat = newChat();
    await chat.start('report');
    await chat.send('💡💡💡'); // three characters, six UTF-16 units
    expect(chat.last.messages[0]?.key).toBe('engine.reason.too_short');
    await chat.send('💡💡💡💡');
    expect(chat.state?.stepId).toBe('people');
  });

  it('wants words, not a photo or a place', async () => {
    const chat = newChat();
    await chat.start('report');
    await chat.send({ kind: 'photo', ref: 'x' });
    expect(chat.keys).toEqual(['engine.reason.expect_text', 'test.report.title']);
    await chat.send(pin);
    expect(chat.keys[0]).toBe('engine.reason.expect_text');
    expect(chat.state?.wrongAnswers).toBe(2);
  });
});

describe('number steps', () => {
  async function atPeople() {
    const chat = newChat();
    await chat.start('report');
    await chat.send('楼道灯坏了');
    return chat;
  }

  it.each([
    ['三个', 'engine.reason.not_a_number', undefined],
    ['abc', 'engine.reason.not_a_number', undefined],
    ['2.5', 'engine.reason.not_integer', undefined],
    ['0', 'engine.reason.out_of_range', { min: 1, max: 10 }],
    ['11', 'engine.reason.out_of_range', { min: 1, max: 10 }],
  ])('re-asks %j with %s', async (typed, key, vars) => {
    const chat = await atPeople();
    await chat.send(typed);
    expect(chat.last.messages[0]).toEqual(vars ? { key, vars } : { key });
    expect(chat.state?.stepId).toBe('people');
  });

  it.each([
    ['7', 7],
    ['７', 7],
    ['三', 3],
    ['十', 10],
    [' 2 ', 2],
  ])('accepts %j as %d', async (typed, value) => {
    const chat = await atPeople();
    await chat.send(typed);
    expect(chat.state?.data.people).toBe(value);
    expect(chat.state?.stepId).toBe('category');
  });

  it('takes decimals where the step allows them, and checks the range', async () => {
    const chat = newChat();
    await chat.start('survey');
    await chat.send('5.5');
    expect(chat.last.messages[0]).toEqual({ key: 'engine.reason.out_of_range', vars: { min: 0, max: 5 } });
    await chat.send('３.５');
    expect(chat.state?.data.score).toBe(3.5);
  });
});

describe('choice steps', () => {
  async function atCategory(locale = 'zh-CN') {
    const chat = newChat(locale);
    await chat.start('report');
    await chat.send(locale === 'en' ? 'Broken lamp' : '楼道灯坏了');
    await chat.send('3');
    expect(chat.step).toBe('report/category');
    return chat;
  }

  it.each([
    ['2', 'power'],
    ['２', 'power'],
    ['第2个', 'power'],
    ['二', 'power'],
    ['停电', 'power'],
    ['停电。', 'power'],
    ['漏水', 'water'],
    ['家里漏水了', 'water'],
    ['其他', 'other'],
  ])('zh-CN: %j picks %s', async (typed, value) => {
    const chat = await atCategory();
    await chat.send(typed);
    expect(chat.state?.data.category).toBe(value);
  });

  it.each([
    ['Power cut', 'power'],
    ['power CUT', 'power'],
    ['3', 'other'],
    ['the pipe is leaking', 'water'],
  ])('en: %j picks %s', async (typed, value) => {
    const chat = await atCategory('en');
    await chat.send(typed);
    expect(chat.state?.data.category).toBe(value);
  });

  it('re-asks when the answer is no choice, out of range, or fits two choices', async () => {
    for (const typed of ['蓝色', '4', '0', '漏水停电']) {
      const chat = await atCategory();
      await chat.send(typed);
      expect(chat.last.messages[0]).toEqual({ key: 'engine.reason.not_a_choice', vars: { count: 3 } });
      expect(chat.offered).toEqual(['water', 'power', 'other']);
    }
  });

  it('accepts a pressed button, and says so when a button is from an earlier question', async () => {
    const chat = await atCategory();
    const stale = { kind: 'choice', runId: chat.state!.runId, stepId: 'title', value: 'water' } as const;
    await chat.send(stale);
    expect(chat.keys).toEqual(['engine.stale_choice', 'test.report.category']);
    expect(chat.state?.wrongAnswers).toBe(0);
    await chat.press('not-offered');
    expect(chat.keys[0]).toBe('engine.stale_choice');
    await chat.press('power');
    expect(chat.state?.data.category).toBe('power');
  });

  it('follows a choice’s own next', async () => {
    const chat = await atCategory();
    await chat.press('other');
    expect(chat.step).toBe('report/details');
  });
});

describe('branch steps', () => {
  it.each([
    ['1', ['test.report.photo']],
    ['2', ['test.report.power_note', 'test.report.photo']],
  ])('category %s leads to %j', async (answer, keys) => {
    const chat = newChat();
    await chat.start('report');
    await chat.send('楼道灯坏了');
    await chat.send('3');
    await chat.send(answer);
    expect(chat.keys).toEqual(keys);
    expect(chat.step).toBe('report/photo');
  });
});

describe('photo steps', () => {
  async function atPhoto() {
    const chat = newChat();
    await chat.start('report');
    await chat.send('楼道灯坏了');
    await chat.send('3');
    await chat.send('1');
    return chat;
  }

  it('offers a skip button on an optional photo, and takes the skip word or the button', async () => {
    for (const skip of ['跳过', 'button']) {
      const chat = await atPhoto();
      expect(chat.offered).toEqual(['skip']);
      if (skip === 'button') await chat.press('skip');
      else await chat.send(skip);
      expect(chat.state?.data.photo).toBeNull();
      expect(chat.step).toBe('report/place');
    }
  });

  it('takes the number the skip choice is shown with where there are no buttons ("1. 跳过")', async () => {
    for (const typed of ['1', '１', '第1个']) {
      const chat = await atPhoto();
      await chat.send(typed);
      expect(chat.state?.data.photo).toBeNull();
      expect(chat.step).toBe('report/place');
    }
    const chat = await atPhoto();
    await chat.send('2');
    expect(chat.keys).toEqual(['engine.reason.expect_photo_or_skip', 'test.report.photo']);
  });

  it('shows a skipped photo as "none" in the summary', async () => {
    const chat = await atPhoto();
    await chat.send('不用');
    await chat.send('3号楼2单元');
    expect(chat.texts[0]).toContain('照片：无');
    expect(chat.texts[0]).toContain('地点：3号楼2单元');
  });

  it('re-asks for a photo when given text', async () => {
    const chat = await atPhoto();
    await chat.send('好的');
    expect(chat.keys).toEqual(['engine.reason.expect_photo_or_skip', 'test.report.photo']);
  });

  it('a required photo cannot be skipped', async () => {
    const chat = newChat();
    await chat.start('survey');
    await chat.send('4');
    expect(chat.offered).toEqual([]);
    await chat.send('跳过');
    expect(chat.keys).toEqual(['engine.reason.expect_photo', 'test.survey.pic']);
    await chat.send({ kind: 'photo', ref: 'ref-9' });
    expect(chat.state?.data.pic).toBe('ref-9');
  });
});

describe('location steps', () => {
  async function atPlace() {
    const chat = newChat();
    await chat.start('report');
    for (const answer of ['楼道灯坏了', '3', '1', '跳过']) await chat.send(answer);
    expect(chat.step).toBe('report/place');
    return chat;
  }

  it('takes a pin', async () => {
    const chat = await atPlace();
    await chat.send({ kind: 'location', latitude: 43.8, longitude: 87.6 });
    expect(chat.state?.data.place).toEqual({ latitude: 43.8, longitude: 87.6 });
    expect(chat.texts[0]).toContain('地点：43.80000, 87.60000');
  });

  it('takes a typed address, within its length limits', async () => {
    const chat = await atPlace();
    await chat.send('楼');
    expect(chat.last.messages[0]).toEqual({ key: 'engine.reason.too_short', vars: { min: 2, length: 1 } });
    await chat.send('5号楼 3单元');
    expect(chat.state?.data.place).toEqual({ address: '5号楼 3单元' });
  });

  it('re-asks when sent a photo', async () => {
    const chat = await atPlace();
    await chat.send({ kind: 'photo', ref: 'x' });
    expect(chat.keys).toEqual(['engine.reason.expect_location', 'test.report.place']);
  });
});

describe('confirm steps', () => {
  it('edit: the person picks an answer, changes it and comes back to the summary', async () => {
    const chat = newChat();
    await toReview(chat);
    await chat.press('edit');
    expect(chat.keys).toEqual(['engine.confirm.pick']);
    expect(chat.offered).toEqual(['edit:title', 'edit:people', 'edit:place']);
    expect(chat.texts[0]).toBe('您想修改哪一项？\n1. 标题\n2. 人数\n3. 地点');
    await chat.send('人数');
    expect(chat.step).toBe('report/people');
    await chat.send('5');
    // Straight back to the summary: the questions in between are not asked again.
    expect(chat.step).toBe('report/review');
    expect(chat.texts[0]).toContain('人数：5');
    expect(chat.state?.data.category).toBe('water');
    await chat.send('确认');
    expect(chat.ctx.executed[0]?.call.args.people).toBe(5);
  });

  it('edit by typed word and by pressed field button', async () => {
    const chat = newChat();
    await toReview(chat);
    await chat.send('修改');
    await chat.press('edit:title');
    expect(chat.step).toBe('report/title');
    await chat.send('路灯不亮了');
    expect(chat.step).toBe('report/review');
    expect(chat.texts[0]).toContain('标题：路灯不亮了');
  });

  it('edit toward a named step walks on from there', async () => {
    const chat = newChat();
    await chat.start('survey');
    await chat.send('4');
    await chat.send({ kind: 'photo', ref: 'p1' });
    await chat.send('修改');
    expect(chat.step).toBe('survey/score');
    expect(chat.state?.history).toEqual([]);
    await chat.send('2');
    expect(chat.step).toBe('survey/pic');
    await chat.send({ kind: 'photo', ref: 'p2' });
    expect(chat.texts[0]).toContain('您的评分：2，对吗？');
  });

  it('takes a typed yes, but not a sentence that merely contains it', async () => {
    const chat = newChat();
    await toReview(chat);
    await chat.send('不确认');
    expect(chat.keys).toEqual(['engine.reason.confirm', 'test.report.review']);
    expect(chat.ctx.executed).toEqual([]);
    await chat.send('1');
    expect(chat.ctx.executed).toHaveLength(1);
  });

  it('cancel at the summary ends the run without the effect', async () => {
    const chat = newChat();
    await toReview(chat);
    const result = await chat.press('cancel');
    expect(result.state).toBeNull();
    expect(result.runsEnded).toEqual([{ runId: 'run-1', how: 'cancelled' }]);
    expect(chat.keys).toEqual(['engine.cancelled']);
    expect(chat.ctx.executed).toEqual([]);
  });
});

describe('effects', () => {
  it('run once per run and step, even when the same final message is handled twice', async () => {
    const chat = newChat();
    await toReview(chat);
    const before = chat.state;
    const first = await chat.engine.handle(before, { kind: 'text', text: '确认' }, chat.ctx);
    // The duplicate arrives before the new state was seen (a redelivery racing the first).
    const second = await chat.engine.handle(before, { kind: 'text', text: '确认' }, chat.ctx);
    expect(chat.ctx.calls).toBe(2);
    expect(chat.ctx.executed).toHaveLength(1);
    expect(second.messages).toEqual(first.messages);
    expect(chat.ctx.t(first.messages[0]!.key, first.messages[0]!.vars)).toBe('已提交，编号 T-1。');
  });

  it('a new run of the same flow runs the effect again', async () => {
    const chat = newChat();
    await toReview(chat);
    await chat.send('确认');
    await toReview(chat);
    await chat.send('确认');
    expect(chat.ctx.executed.map((e) => e.runId)).toEqual(['run-1', 'run-3']);
    expect(chat.texts[0]).toBe('已提交，编号 T-2。');
  });
});

describe('state', () => {
  it('never changes the state it was given', async () => {
    const chat = newChat();
    await chat.start('report');
    const frozen = deepFreeze(structuredClone(chat.state!));
    const result = await engine.handle(frozen, { kind: 'text', text: '楼道灯坏了' }, chat.ctx);
    expect(result.state?.stepId).toBe('people');
    expect(frozen.stepId).toBe('title');
  });

  it('survives a restart: a new engine over freshly loaded flows continues from saved state', async () => {
    const chat = newChat();
    await chat.start('report');
    await chat.send('楼道灯坏了');
    const saved = JSON.stringify(chat.state);

    const reloaded = loadFlows(join(FIXTURES, 'good'), { effects: fixtureEffects, locales: translator });
    const restarted = newChat('zh-CN', createEngine(reloaded.registry));
    restarted.state = JSON.parse(saved) as FlowState;
    expect(restarted.engine.prompt(restarted.state!, restarted.ctx).map((m) => m.key)).toEqual(['test.report.people']);
    await restarted.send('4');
    expect(restarted.step).toBe('report/category');
    expect(restarted.state?.data).toEqual({ title: '楼道灯坏了', people: 4 });
  });

  it('keeps at most 50 questions of history, however often a run goes round', async () => {
    const chat = newChat();
    await toReview(chat);
    for (let i = 0; i < 30; i++) {
      await chat.press('edit');
      await chat.press('edit:people');
      await chat.send(String((i % 9) + 1));
    }
    expect(chat.step).toBe('report/review');
    expect(chat.state?.history).toHaveLength(50);
    await chat.send('返回');
    expect(chat.step).toBe('report/people');
  });

  it('starts over politely when a saved step no longer exists', async () => {
    const chat = newChat();
    chat.state = { flowId: 'report', runId: 'old', stepId: 'removed_step', data: {}, history: [], wrongAnswers: 0 };
    const result = await chat.send('hello');
    expect(result.runsEnded).toEqual([{ runId: 'old', how: 'cancelled' }]);
    expect(chat.keys).toEqual(['engine.flow_changed', 'test.menu.prompt']);
    expect(chat.step).toBe('main_menu/menu');
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
