/**
 * The ticket flows (flows/complaint.yaml, my_tickets.yaml, rate_ticket.yaml) walked through the
 * real engine with stand-in effects: the paths the end-to-end test does not take — several photos
 * up to the limit, changing the place at the summary, staff who live elsewhere, a wrong household
 * code, typed words that open the complaint, a resolved ticket's choices — and what each effect is
 * given.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../../src/conversation/engine.js';
import type { Json } from '../../../../src/conversation/engine-types.js';
import { loadFlows } from '../../../../src/conversation/flow-loader.js';
import { APP_EFFECTS } from '../../../support/app-effects.js';
import { Chat, FakeContext } from '../../../conversation/support/engine-harness.js';
import { ROOT, testTranslator } from '../../../conversation/support/test-locales.js';

const translator = testTranslator();
const engine = createEngine(loadFlows(join(ROOT, 'flows'), { effects: APP_EFFECTS, locales: translator }).registry);
const CATEGORIES = [
  { value: 'environment_sanitation', label: '环境卫生' },
  { value: 'other', label: '其他' },
];

type Effects = Record<string, (args: Record<string, Json>) => Json>;

/** Stand-ins that behave like the real effects where the flow depends on it. */
function effects(start: { hasHome?: string; onBehalf?: string } = {}, more: Effects = {}): Effects {
  return {
    tickets_filing_start: () => ({ status: 'ok', hasHome: start.hasHome ?? 'yes', onBehalf: start.onBehalf ?? 'no', categories: CATEGORIES }),
    tickets_check_household: (args): Json => (args.code === 'A-0102' ? { status: 'ok', address: '团结巷3号院2号' } : { status: 'unknown' }),
    tickets_collect_photo: (args) => {
      const before = args.photos && typeof args.photos === 'object' && !Array.isArray(args.photos) && Array.isArray(args.photos.list) ? args.photos.list : [];
      const list = args.photo ? [...before, args.photo] : [];
      return { list, count: list.length, full: list.length >= 5 ? 'yes' : 'no', max: 5 };
    },
    tickets_draft_summary: (args) => ({ text: `SUMMARY ${JSON.stringify(args)}` }),
    tickets_file: () => ({ status: 'filed', number: 'MQ-2026-00007', expect: '1天内（最晚6月2日12:00）' }),
    ...more,
  };
}

async function toDescription(chat: Chat): Promise<void> {
  await chat.start('complaint');
  await chat.press('complaint');
  await chat.press('other');
  await chat.send('门口的井盖松动了');
}

describe('the complaint flow', () => {
  it('typed words at the menu open it', async () => {
    const chat = new Chat(engine, new FakeContext(translator, 'zh-CN', effects()));
    await chat.send('你好');
    await chat.send('我想提个建议');
    expect(chat.keys).toEqual(['flows.complaint.ask_kind']);
  });

  it('takes photos one after another up to five, then asks the next question', async () => {
    const chat = new Chat(engine, new FakeContext(translator, 'zh-CN', effects()));
    await toDescription(chat);
    await chat.press('home');
    expect(chat.step).toBe('complaint/ask_photo');
    for (let i = 1; i <= 4; i++) {
      await chat.send({ kind: 'photo', ref: `p${i}` });
      expect(chat.texts[0]).toContain(`已收到${i}张照片`);
    }
    await chat.send({ kind: 'photo', ref: 'p5' });
    expect(chat.keys).toEqual(['flows.complaint.photos_full', 'flows.complaint.ask_anonymous']);
    await chat.press('no');
    // Not anonymous: asked whether their words may appear in the open data (not, by default).
    expect(chat.step).toBe('complaint/ask_publish');
    expect(chat.offered).toEqual(['no', 'yes']);
    await chat.press('no');
    const summary = chat.ctx.reads.findLast((r) => r.call.name === 'tickets_draft_summary')!;
    expect(summary.call.args).toMatchObject({ where: 'home', photos: { list: ['p1', 'p2', 'p3', 'p4', 'p5'], count: 5 }, anonymous: 'no', publish: 'no', kind: 'complaint', category: 'other' });
    expect(chat.step).toBe('complaint/review');
  });

  it('changing the place at the summary asks only where, then shows the summary again; the filing gets the new place', async () => {
    const chat = new Chat(engine, new FakeContext(translator, 'zh-CN', effects()));
    await toDescription(chat);
    await chat.press('home');
    await chat.press('skip');
    await chat.press('yes');
    expect(chat.step).toBe('complaint/review');
    await chat.press('edit');
    expect(chat.offered).toEqual(['kind', 'category', 'description', 'place', 'photos', 'anonymous']);
    await chat.press('place');
    await chat.press('other');
    expect(chat.keys).toEqual(['flows.complaint.ask_place']);
    await chat.send({ kind: 'location', latitude: 43.82, longitude: 87.61, label: '团结巷东口' });
    expect(chat.step).toBe('complaint/review');
    await chat.press('yes');
    const filed = chat.ctx.executed.find((e) => e.call.name === 'tickets_file')!;
    expect(filed.call.args).toMatchObject({ where: 'other', place: { latitude: 43.82, longitude: 87.61, label: '团结巷东口' }, anonymous: 'yes', photos: null });
    expect(chat.texts[0]).toContain('已登记，工单编号MQ-2026-00007，状态：待受理');
    expect(chat.texts[0]).toContain('社区会在1天内（最晚6月2日12:00）给您答复');
  });

  it('changing the photos starts them afresh', async () => {
    const chat = new Chat(engine, new FakeContext(translator, 'zh-CN', effects()));
    await toDescription(chat);
    await chat.press('home');
    await chat.send({ kind: 'photo', ref: 'old' });
    await chat.press('skip');
    await chat.press('no');
    await chat.press('no');
    await chat.press('edit');
    await chat.press('photos');
    expect(chat.step).toBe('complaint/ask_photo');
    await chat.send({ kind: 'photo', ref: 'new' });
    await chat.press('skip');
    expect(chat.step).toBe('complaint/review');
    const summary = chat.ctx.reads.findLast((r) => r.call.name === 'tickets_draft_summary')!;
    expect(summary.call.args).toMatchObject({ photos: { list: ['new'] } });
  });

  it('staff who live elsewhere are asked for the place at once', async () => {
    const chat = new Chat(engine, new FakeContext(translator, 'zh-CN', effects({ hasHome: 'no' })));
    await toDescription(chat);
    expect(chat.keys).toEqual(['flows.complaint.ask_place']);
    await chat.send('团结巷口路灯');
    expect(chat.step).toBe('complaint/ask_photo');
  });

  it('offers to send a location only where the channel can send one', async () => {
    const withPins = new Chat(engine, new FakeContext(translator, 'zh-CN', effects({ hasHome: 'no' })));
    await toDescription(withPins);
    expect(withPins.texts[0]).toContain('发送一个位置');

    const typedOnly = new Chat(engine, new FakeContext(translator, 'zh-CN', effects({ hasHome: 'no' })));
    typedOnly.ctx.locations = false;
    await toDescription(typedOnly);
    expect(typedOnly.texts[0]).toBe(translator.t('zh-CN', 'flows.complaint.ask_place_typed'));
    expect(typedOnly.texts[0]).not.toContain('位置');
    // A photo where a place is asked for: asked again for words, still without a location.
    await typedOnly.send({ kind: 'photo', ref: 'p' });
    expect(typedOnly.texts[0]).toBe(translator.t('zh-CN', 'engine.reason.expect_address'));
    expect(typedOnly.texts.join('\n')).not.toContain('位置');
    await typedOnly.send('团结巷口路灯');
    expect(typedOnly.step).toBe('complaint/ask_photo');
  });

  it('filing for another household: a wrong code is asked again, the right one named, its area offered', async () => {
    const chat = new Chat(engine, new FakeContext(translator, 'zh-CN', effects({ onBehalf: 'yes', hasHome: 'no' })));
    await chat.start('complaint');
    expect(chat.offered).toEqual(['self', 'household']);
    await chat.press('household');
    await chat.send('A-9999');
    expect(chat.keys).toEqual(['flows.complaint.household_unknown', 'flows.complaint.ask_household']);
    await chat.send('A-0102');
    expect(chat.texts[0]).toBe('好的，为团结巷3号院2号登记。');
    await chat.press('suggestion');
    await chat.press('other');
    await chat.send('建议增加垃圾桶');
    // The household's own area is offered although the filer has no home here.
    expect(chat.offered).toEqual(['home', 'other']);
    await chat.press('home');
    await chat.press('skip');
    await chat.press('no');
    await chat.press('no');
    await chat.press('yes');
    const filed = chat.ctx.executed.find((e) => e.call.name === 'tickets_file')!;
    expect(filed.call.args).toMatchObject({ for: 'household', household: 'A-0102', kind: 'suggestion' });
  });

  it('a failed filing says so and never gives a number', async () => {
    const chat = new Chat(engine, new FakeContext(translator, 'zh-CN', effects({}, { tickets_file: () => ({ status: 'denied' }) })));
    await toDescription(chat);
    await chat.press('home');
    await chat.press('skip');
    await chat.press('no');
    await chat.press('no');
    await chat.press('yes');
    expect(chat.keys).toEqual(['flows.complaint.not_filed', 'flows.main_menu.prompt']);
    expect(chat.texts[0]).not.toMatch(/MQ-/);
  });
});

describe('my tickets and rating', () => {
  const view = (status: string, extra: Record<string, Json> = {}) => ({ status, id: 't1', number: 'MQ-2026-00001', text: '工单 MQ-2026-00001', mine: 'yes', rateable: 'no', ...extra });

  it('a ticket number typed with the command opens it directly', async () => {
    const chat = new Chat(engine, new FakeContext(translator, 'zh-CN', { tickets_view: () => view('open') }));
    await chat.send('你好');
    await chat.send('工单 MQ-2026-00001');
    expect(chat.ctx.reads.find((r) => r.call.name === 'tickets_view')!.call.args).toEqual({ ticket: null, number: 'MQ-2026-00001' });
    expect(chat.offered).toEqual(['add_text', 'add_photo', 'withdraw', 'back', 'menu']);
  });

  it('a resolved ticket offers rating and “not solved”; a closed one a new ticket; a housemate only looking', async () => {
    const chat = new Chat(engine, new FakeContext(translator, 'zh-CN', { tickets_view: () => view('resolved', { rateable: 'yes' }) }));
    await chat.send('/ticket MQ-2026-00001');
    expect(chat.offered).toEqual(['rate', 'not_solved', 'back', 'menu']);
    const closed = new Chat(engine, new FakeContext(translator, 'zh-CN', { tickets_view: () => view('closed') }));
    await closed.send('/ticket MQ-2026-00001');
    expect(closed.offered).toEqual(['new', 'rate', 'back', 'menu']);
    const housemate = new Chat(engine, new FakeContext(translator, 'zh-CN', { tickets_view: () => view('open', { mine: 'no' }) }));
    await housemate.send('/ticket MQ-2026-00001');
    expect(housemate.offered).toEqual(['back', 'menu']);
    expect(housemate.texts[0]).toContain('只有登记人可以补充或撤回');
  });

  it('a number not among one’s tickets is answered so and asked again', async () => {
    const chat = new Chat(engine, new FakeContext(translator, 'zh-CN', { tickets_view: () => view('not_found') }));
    await chat.send('/ticket MQ-2026-00099');
    expect(chat.keys).toEqual(['flows.my_tickets.not_found', 'flows.my_tickets.ask_number']);
  });

  it('rating without a number picks among the tickets waiting, then asks stars, solved, comment', async () => {
    let calls = 0;
    const chat = new Chat(
      engine,
      new FakeContext(translator, 'zh-CN', {
        tickets_rating_target: (args): Json =>
          ++calls === 1 && !args.ticket
            ? { status: 'pick', items: [{ value: 't1', label: 'MQ-2026-00001 · 其他' }, { value: 't2', label: 'MQ-2026-00002 · 其他' }] }
            : { status: 'ok', ticket: String(args.ticket), number: 'MQ-2026-00002', resolution: 2 },
        tickets_rate: () => ({ status: 'rated', number: 'MQ-2026-00002' }),
      }),
    );
    await chat.send('评价');
    expect(chat.offered).toEqual(['t1', 't2', 'menu']);
    await chat.press('t2');
    // Typed numbers are stars: 1 is the first choice, 5 the last.
    expect(chat.offered).toEqual(['1', '2', '3', '4', '5']);
    await chat.send('3');
    await chat.press('no');
    await chat.press('skip');
    expect(chat.ctx.executed.find((e) => e.call.name === 'tickets_rate')!.call.args).toEqual({ ticket: 't2', resolution: 2, stars: '3', solved: 'no', comment: null });
    expect(chat.texts[0]).toContain('工单MQ-2026-00002的评价已记录');
  });
});
