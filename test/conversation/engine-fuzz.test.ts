/**
 * Thousands of random inputs (texts, numbers, commands, photos, pins, stickers, buttons old and
 * new) never make the engine throw, always get an answer, and every answer renders in both
 * languages with no placeholder left unfilled.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../src/conversation/engine.js';
import type { EngineInput, EngineResult, FlowState, Json } from '../../src/conversation/engine-types.js';
import { compileFlows, readFlowSources } from '../../src/conversation/flow-loader.js';
import { APP_EFFECTS } from '../support/app-effects.js';
import { isAskStep } from '../../src/conversation/flow-schema.js';
import type { Vars } from '../../src/i18n/translator.js';
import { FakeContext, SERVICE_VARS, render } from './support/engine-harness.js';
import { FIXTURES, ROOT, testTranslator } from './support/test-locales.js';

const translator = testTranslator(join(FIXTURES, 'locales'));
// The real flows plus the fixture flows that are not named like them, so every step kind is hit.
const sources = [
  ...readFlowSources(join(ROOT, 'flows')),
  ...readFlowSources(join(FIXTURES, 'good')).filter((s) => /report|survey/.test(s.file)),
];
const { registry, problems } = compileFlows(sources, { effects: [...Object.keys(APP_EFFECTS), 'file_report'], locales: translator });
const engine: Engine = createEngine(registry);

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXTS = [
  '', ' ', '1', '2', '3', '7', '0', '-1', '99', '２', '第2个', '三', '3.5', '1e9', 'NaN',
  '取消', '/cancel', '返回', '/back', 'back', '帮助', '/help', '?', '菜单', '/menu', '/start', '/unknown',
  '确认', '修改', '跳过', 'yes', 'edit', 'skip', 'English', '中文', '报修', '我家水管坏了', '人数', '标题',
  '/bind ABCD-EFGH', '绑定 abcd efgh', '绑定', '/start K7MP-X2QR', '/whoami', '我是谁', '/unbind', '/mydata', '我的账户',
  '13800138000', '0991-1234567', '张三',
  '楼道灯坏了', '3号楼', '{{office}}', '<script>', '\u0000', '🙂', '👍🏽👍🏽👍🏽👍🏽', 'x'.repeat(2001), '长'.repeat(600),
];

/** A plausible answer to the current question, so the walk gets deep into the flows. */
function fittingInput(next: () => number, state: FlowState): EngineInput {
  const step = registry.get(state.flowId)?.steps.get(state.stepId);
  const press = (value: string): EngineInput => ({ kind: 'choice', runId: state.runId, stepId: state.stepId, value });
  switch (step?.kind) {
    case 'text':
      return { kind: 'text', text: '楼道灯坏了' };
    case 'number':
      return { kind: 'text', text: String(1 + Math.floor(next() * 4)) };
    case 'choice':
      // A question listing only saved choices (choices_from) is answered by its first number.
      if (step.choices.length === 0) return { kind: 'text', text: '1' };
      return press(step.choices[Math.floor(next() * step.choices.length)]!.value);
    case 'photo':
      return next() < 0.5 ? { kind: 'photo', ref: 'p' } : { kind: 'text', text: '跳过' };
    case 'location':
      return next() < 0.5 ? { kind: 'location', latitude: 43.8, longitude: 87.6 } : { kind: 'text', text: '3号楼' };
    default:
      return next() < 0.7 ? press('yes') : press(next() < 0.5 ? 'edit' : 'edit:people');
  }
}

function randomInput(next: () => number, state: FlowState | null): EngineInput {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  if (state && next() < 0.6) return fittingInput(next, state);
  const roll = next();
  if (roll < 0.55) return { kind: 'text', text: pick(TEXTS) };
  if (roll < 0.62) {
    const length = Math.floor(next() * 12);
    return { kind: 'text', text: Array.from({ length }, () => String.fromCodePoint(Math.floor(next() * 0x9fff))).join('') };
  }
  if (roll < 0.8) {
    const value = pick(['yes', 'edit', 'cancel', 'skip', 'edit:title', 'edit:people', 'water', 'en', 'zh-CN', 'repair', 'help', 'nope']);
    const current = state && next() < 0.8;
    return { kind: 'choice', runId: current ? state.runId : 'old-run', stepId: current ? state.stepId : 'old-step', value };
  }
  if (roll < 0.86) return { kind: 'photo', ref: `photo-${Math.floor(next() * 100)}` };
  if (roll < 0.9) return { kind: 'location', latitude: next() * 90, longitude: next() * 180 };
  if (roll < 0.93) return { kind: 'unsupported', type: pick(['sticker', 'voice', 'video', 'file']) };
  return {
    kind: 'start',
    flowId: pick(['report', 'report', 'survey', 'main_menu', 'language', 'bind', 'bind_request', 'account', 'complaint', 'no_such_flow']),
  };
}

/** Every placeholder of a template has a value (what people typed may hold braces itself). */
function expectFilled(ctx: FakeContext, key: string, vars: Vars | undefined): void {
  const template = translator.t(ctx.locale, key);
  const given: Vars = { ...SERVICE_VARS, ...vars };
  for (const [, name] of template.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) {
    expect(given[name!], `${key} needs {{${name}}}`).not.toBeUndefined();
  }
}

function checkResult(result: EngineResult, ctx: FakeContext, visited: Set<string>): void {
  expect(result.messages.length).toBeGreaterThan(0);
  for (const message of result.messages) {
    render(ctx, message);
    expectFilled(ctx, message.key, message.vars);
    for (const choice of message.choices ?? []) if (!('label' in choice)) expectFilled(ctx, choice.labelKey, choice.vars);
  }
  if (result.state) {
    const step = registry.get(result.state.flowId)?.steps.get(result.state.stepId);
    expect(step && isAskStep(step)).toBe(true);
    visited.add(`${result.state.flowId}/${result.state.stepId}`);
  }
}

/** Plausible results of the identity effects, every field a prompt may show filled in. */
function identityResults(next: () => number): Record<string, () => Json> {
  const statuses = ['invalid', 'household', 'bound', 'used', 'expired', 'malformed', 'locked', 'already_bound', 'not_member'];
  const code = (): Json => ({ status: statuses[Math.floor(next() * statuses.length)]!, tries: 3, until: '14:35', minutes: 15 });
  return {
    identity_bind_status: () => ({ status: next() < 0.9 ? 'visitor' : 'locked', until: '14:35', minutes: 15 }),
    identity_check_code: code,
    identity_bind_member: code,
    identity_household: () => ({ status: 'ok', address: '团结巷3号院', members: [{ value: 'r1', label: '张三' }, { value: 'r2', label: '李四' }] }),
    identity_request_binding: () => ({ status: next() < 0.8 ? 'created' : 'pending', number: 7 }),
    identity_whoami: () => ({ status: 'bound', name: '张三', address: '团结巷3号院', roles: '居民', platforms: '微信', platform: '微信' }),
    identity_unbind: () => ({ status: 'unbound' }),
    identity_my_data: () => ({ status: 'ok', text: '姓名：张三' }),
    identity_remove_me: () => ({ status: 'removed' }),
  };
}

/** What the ticket effects answer, so the walk goes through the ticket flows and out again. */
function ticketResults(next: () => number): Record<string, () => Json> {
  const pickOne = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const number = 'MQ-2026-00001';
  return {
    tickets_filing_start: () => ({ status: 'ok', hasHome: pickOne(['yes', 'no']), onBehalf: pickOne(['yes', 'no']), categories: [{ value: 'other', label: '其他' }] }),
    tickets_check_household: () => ({ status: pickOne(['ok', 'unknown']), address: '团结巷3号院' }),
    tickets_collect_photo: () => ({ list: ['p'], count: 1, full: pickOne(['yes', 'no']), max: 5 }),
    tickets_draft_summary: () => ({ text: '类型：投诉' }),
    tickets_file: () => ({ status: 'filed', number, expect: '1天内' }),
    tickets_my_list: () => ({ status: pickOne(['ok', 'none']), count: 1, total: 1, items: [{ value: 't1', label: number }] }),
    tickets_view: () => ({ status: pickOne(['open', 'resolved', 'closed', 'withdrawn', 'not_found']), id: 't1', number, text: number, mine: 'yes', rateable: pickOne(['yes', 'no']) }),
    tickets_add: () => ({ status: pickOne(['added', 'reopened', 'window_passed']), number }),
    tickets_withdraw: () => ({ status: 'withdrawn', number }),
    tickets_rating_target: () => ({ status: pickOne(['ok', 'none']), ticket: 't1', number, resolution: 1 }),
    tickets_rate: () => ({ status: 'rated', number }),
  };
}

/** What the repair effects answer, so the walk goes through the repair flows and out again. */
function repairResults(next: () => number): Record<string, () => Json> {
  const pickOne = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const number = 'BX-2026-00001';
  return {
    repairs_start: () => ({ status: 'ok', hasHome: pickOne(['yes', 'no']), windows: [{ value: '2026-12-08T00:00:00.000Z_2026-12-08T04:00:00.000Z', label: '明天08:00–12:00' }] }),
    repairs_emergency: () => ({ text: '火警：119' }),
    repairs_summary: () => ({ text: '哪里坏了：漏水' }),
    repairs_file: () => ({ status: pickOne(['filed', 'filed', 'window_passed']), number, expect: '12月8日12:00', emergency: 'no', dispatch: pickOne(['arranging', 'unassigned']) }),
    repairs_my_list: () => ({ status: pickOne(['ok', 'none']), count: 1, total: 1, items: [{ value: 't1', label: number }] }),
    repairs_view: () => ({ status: pickOne(['open', 'done', 'finished', 'not_found']), id: 't1', number, text: number, mine: pickOne(['yes', 'no']) }),
    repairs_answer_target: () => ({ status: pickOne(['ok', 'not_done', 'none', 'not_found']), number, workStatus: '已完工', worker: '陈师傅' }),
    repairs_confirm: () => ({ status: pickOne(['confirmed', 'confirmed_unrated', 'not_done', 'none']), number, ticket: 't1', resolution: 1, workStatus: '已完工' }),
    repairs_not_fixed: () => ({ status: pickOne(['sent_back', 'not_done', 'closed']), number, worker: '陈师傅', workStatus: '已完工' }),
  };
}

/** What the meetings' effects answer (`src/features/meetings/module.ts`). */
function meetingResults(next: () => number): Record<string, () => Json> {
  const pickOne = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const number = 'HY-2026-00001';
  return {
    meetings_upcoming: () => ({ status: pickOne(['ok', 'none']), text: `${number} 半月谈`, items: [{ value: number, label: `${number} 半月谈` }] }),
    meetings_rsvp_look: () => ({ status: pickOne(['ok', 'invalid', 'not_found', 'closed']), number, title: '半月谈', answer: pickOne(['attend', 'cannot', 'maybe', '']) }),
    meetings_rsvp: () => ({ status: pickOne(['recorded', 'invalid', 'not_found', 'closed']), number, answer: pickOne(['attend', 'cannot', 'maybe']) }),
    meetings_offsets: () => ({ status: pickOne(['set', 'none', 'invalid']), text: '24小时、2小时' }),
    meetings_feed: () => ({ status: pickOne(['ok', 'none']), url: 'http://127.0.0.1:3000/calendar/feed/abc.ics' }),
    meetings_feed_renew: () => ({ status: pickOne(['renewed', 'none']) }),
  };
}

describe('random inputs', () => {
  it('the flows used here load cleanly', () => {
    expect(problems).toEqual([]);
  });

  it.each([1, 2, 3, 4])('seed %d: 3,000 inputs, no crash, every one answered', async (seed) => {
    const next = random(seed);
    const ctx = new FakeContext(translator, seed % 2 ? 'zh-CN' : 'en', { file_report: () => ({ number: 'T-1' }), ...identityResults(next), ...ticketResults(next), ...repairResults(next), ...meetingResults(next) });
    ctx.actor = seed <= 2 ? 'person' : 'visitor';
    ctx.chat = seed === 4 ? 'group' : 'private';
    let state: FlowState | null = null;
    const visited = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const input = randomInput(next, state);
      const result = await engine.handle(state, input, ctx);
      checkResult(result, ctx, visited);
      state = result.state && (JSON.parse(JSON.stringify(result.state)) as FlowState);
      if (state && next() < 0.03) checkResult(engine.timeout(state, next() < 0.5 ? 1 : 2, ctx), ctx, visited);
    }
    // The walk went deep, not round the menu only.
    expect(visited).toContain('report/review');
    expect(visited).toContain('survey/check');
    expect(visited).toContain('language/pick');
    if (ctx.chat === 'private') {
      expect(visited).toContain('bind/ask_code');
      expect(visited).toContain('bind/pick_member');
      expect(visited).toContain('bind_request/review');
    }
    if (ctx.chat === 'private' && ctx.actor === 'person') {
      expect(visited).toContain('complaint/review');
      expect(visited).toContain('my_tickets/show_open');
      expect(visited).toContain('repair/review');
    }
  });
});
