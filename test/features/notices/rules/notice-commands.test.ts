/** Reading the notice commands as staff and heads type them. */
import { describe, expect, it } from 'vitest';
import { parseNoticeCommand } from '../../../../src/features/notices/compose/notice-commands.js';

describe('parseNoticeCommand', () => {
  it('reads a notice to an area, its title and body', () => {
    expect(parseNoticeCommand('/notice area 团结巷 停水通知\n明天9点到12点停水。\n请提前储水。')).toEqual({
      name: 'compose', kind: 'notice', target: { to: 'area', words: '团结巷' }, title: '停水通知', body: '明天9点到12点停水。\n请提前储水。', versions: {}, at: null,
    });
  });
  it('reads versions in other languages below the body', () => {
    expect(parseNoticeCommand('/notice all 停水通知\n明天停水。\n/en Water off\nNo water tomorrow.\nStore some.\n/ug سۇ توختايدۇ\nئەتە سۇ يوق.')).toMatchObject({
      body: '明天停水。',
      versions: { en: { title: 'Water off', body: 'No water tomorrow.\nStore some.' }, ug: { title: 'سۇ توختايدۇ', body: 'ئەتە سۇ يوق.' } },
    });
    expect(parseNoticeCommand('/notice all 停水通知\n明天停水。\n/en Water off')).toEqual({ name: 'usage', problem: 'body' });
  });
  it('reads every kind of audience, in either language', () => {
    expect(parseNoticeCommand('/notice all 通知\n正文')).toMatchObject({ target: { to: 'all' } });
    expect(parseNoticeCommand('/notice 全体 通知\n正文')).toMatchObject({ target: { to: 'all' } });
    expect(parseNoticeCommand('/notice group G07 通知\n正文')).toMatchObject({ target: { to: 'group', code: 'G07' } });
    expect(parseNoticeCommand('/notice priority 通知\n正文')).toMatchObject({ target: { to: 'priority' } });
    expect(parseNoticeCommand('/notice role liaison 通知\n正文')).toMatchObject({ target: { to: 'role', role: 'liaison' } });
    expect(parseNoticeCommand('/alert all 燃气泄漏\n请立即开窗')).toMatchObject({ kind: 'alert', target: { to: 'all' } });
  });
  it("a head's notice names no audience: their own group", () => {
    expect(parseNoticeCommand('/notice 明天开会\n晚上7点在活动室')).toMatchObject({ target: { to: 'own_group' }, title: '明天开会' });
  });
  it('reads when to send it', () => {
    expect(parseNoticeCommand('/notice all 停水通知\n/at 2026-05-05 18:00\n明天停水。')).toMatchObject({ body: '明天停水。', at: { date: { year: 2026, month: 5, day: 5 }, hour: 18, minute: 0 } });
    expect(parseNoticeCommand('/notice all 停水通知\n明天停水。\n/at 7:30')).toMatchObject({ at: { date: null, hour: 7, minute: 30 } });
    expect(parseNoticeCommand('/notice all 停水通知\n明天停水。\n/at 24:00')).toEqual({ name: 'usage', problem: 'time' });
    expect(parseNoticeCommand('/notice all 停水通知\n明天停水。\n/at 2026-02-30 08:00')).toEqual({ name: 'usage', problem: 'time' });
    expect(parseNoticeCommand('/notice all 停水通知\n明天停水。\n/at tomorrow')).toEqual({ name: 'usage', problem: 'time' });
  });
  it('says what is missing', () => {
    expect(parseNoticeCommand('/notice')).toEqual({ name: 'usage', problem: 'empty' });
    expect(parseNoticeCommand('/notice area')).toEqual({ name: 'usage', problem: 'target' });
    expect(parseNoticeCommand('/notice all\n正文')).toEqual({ name: 'usage', problem: 'title' });
    expect(parseNoticeCommand('/notice all 标题')).toEqual({ name: 'usage', problem: 'body' });
    expect(parseNoticeCommand('/notice role king 标题\n正文')).toEqual({ name: 'usage', problem: 'role' });
  });
  it('reads the commands on a notice by its number', () => {
    expect(parseNoticeCommand('/send_notice tz-2026-00042')).toEqual({ name: 'send', number: 'TZ-2026-00042' });
    expect(parseNoticeCommand('/retry_notice TZ-2026-00042')).toEqual({ name: 'retry', number: 'TZ-2026-00042' });
    expect(parseNoticeCommand('/notice_report 42')).toEqual({ name: 'usage', problem: 'number' });
  });
  it('leaves every other message alone', () => {
    expect(parseNoticeCommand('通知')).toBeNull();
    expect(parseNoticeCommand('/claim 12')).toBeNull();
    expect(parseNoticeCommand(undefined)).toBeNull();
  });
});
