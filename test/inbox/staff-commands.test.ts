/**
 * Reading the inbox's commands: names, a bot's @suffix, full-width slashes; the ticket named or
 * implied by where the command was written; what is missing.
 */
import { describe, expect, it } from 'vitest';
import { parseStaffCommand, readActionRequest, readBindGroup, readRequestCommand } from '../../src/inbox/staff-commands.js';

const context = { defaultPrefix: 'MQ', currentYear: 2026 };

describe('parseStaffCommand', () => {
  it('reads every inbox command, with its arguments', () => {
    expect(parseStaffCommand('/claim 123')).toEqual({ name: 'claim', args: '123' });
    expect(parseStaffCommand('  /Resolve 12 已修好  ')).toEqual({ name: 'resolve', args: '12 已修好' });
    expect(parseStaffCommand('/setup_staff_chat')).toEqual({ name: 'setup_staff_chat', args: '' });
    expect(parseStaffCommand('/merge@linli_bot 1 2')).toEqual({ name: 'merge', args: '1 2' });
    expect(parseStaffCommand('／note 3 号楼也漏')).toEqual({ name: 'note', args: '3 号楼也漏' });
    expect(parseStaffCommand('/approve 17 H0001')).toEqual({ name: 'approve', args: '17 H0001' });
    expect(parseStaffCommand('/reject@linli_bot #17')).toEqual({ name: 'reject', args: '#17' });
    expect(parseStaffCommand('/phone')).toEqual({ name: 'phone', args: '' });
  });

  it('leaves other text and other commands alone', () => {
    expect(parseStaffCommand('/start')).toBeNull();
    expect(parseStaffCommand('/claimed 1')).toBeNull();
    expect(parseStaffCommand('claim 1')).toBeNull();
    expect(parseStaffCommand('#12 已派人')).toBeNull();
    expect(parseStaffCommand(undefined)).toBeNull();
    expect(parseStaffCommand('')).toBeNull();
  });
});

describe('readActionRequest', () => {
  it('takes the ticket from the first word: short, full or any spelling', () => {
    expect(readActionRequest('claim', '123', false, context)).toMatchObject({ ok: true, ticket: { prefix: 'MQ', year: 2026, seq: 123 } });
    expect(readActionRequest('claim', '#7', false, context)).toMatchObject({ ok: true, ticket: { seq: 7 } });
    expect(readActionRequest('major', 'MQ-2025-00042', false, context)).toMatchObject({ ok: true, ticket: { year: 2025, seq: 42 } });
    expect(readActionRequest('resolve', '5 已修好 谢谢', false, context)).toMatchObject({ ok: true, ticket: { seq: 5 }, text: '已修好 谢谢' });
    expect(readActionRequest('assign', '5 张网格', false, context)).toMatchObject({ ok: true, ticket: { seq: 5 }, text: '张网格' });
  });

  it('in a ticket’s own place, the number may be left out, and a bare number starts the text', () => {
    expect(readActionRequest('claim', '', true, context)).toEqual({ ok: true, action: 'claim', ticket: null, text: '', into: null });
    expect(readActionRequest('note', '3 号楼也漏', true, context)).toMatchObject({ ok: true, ticket: null, text: '3 号楼也漏' });
    expect(readActionRequest('note', '#3 号楼也漏', true, context)).toMatchObject({ ok: true, ticket: { seq: 3 }, text: '号楼也漏' });
    expect(readActionRequest('merge', '456', true, context)).toMatchObject({ ok: true, ticket: null, into: { seq: 456 } });
    expect(readActionRequest('merge', '1 2', true, context)).toMatchObject({ ok: true, ticket: { seq: 1 }, into: { seq: 2 } });
  });

  it('says what is missing or unreadable', () => {
    expect(readActionRequest('claim', '', false, context)).toEqual({ ok: false, problem: 'no_ticket' });
    expect(readActionRequest('claim', 'abc', false, context)).toEqual({ ok: false, problem: 'bad_number' });
    expect(readActionRequest('claim', '0', false, context)).toEqual({ ok: false, problem: 'bad_number' });
    expect(readActionRequest('resolve', '5', false, context)).toEqual({ ok: false, problem: 'text_missing' });
    expect(readActionRequest('resolve', '', true, context)).toEqual({ ok: false, problem: 'text_missing' });
    expect(readActionRequest('note', '楼道灯坏了', false, context)).toEqual({ ok: false, problem: 'bad_number' });
    expect(readActionRequest('merge', '5', false, context)).toEqual({ ok: false, problem: 'merge_target_missing' });
    expect(readActionRequest('merge', '', true, context)).toEqual({ ok: false, problem: 'merge_target_missing' });
    expect(readActionRequest('merge', '5 六', false, context)).toEqual({ ok: false, problem: 'bad_number' });
    expect(readActionRequest('merge', '', false, context)).toEqual({ ok: false, problem: 'no_ticket' });
  });
});

describe('readRequestCommand', () => {
  it('takes the request number, and for an approval perhaps the household', () => {
    expect(readRequestCommand('approve', '17', false)).toEqual({ ok: true, number: 17, householdCode: null });
    expect(readRequestCommand('approve', '#17 H0001', false)).toEqual({ ok: true, number: 17, householdCode: 'H0001' });
    expect(readRequestCommand('approve', '＃１７', false)).toEqual({ ok: true, number: 17, householdCode: null });
    expect(readRequestCommand('reject', '17', false)).toEqual({ ok: true, number: 17, householdCode: null });
  });

  it('in reply to the request’s post, the number may be left out', () => {
    expect(readRequestCommand('approve', '', true)).toEqual({ ok: true, number: null, householdCode: null });
    expect(readRequestCommand('approve', 'H0001', true)).toEqual({ ok: true, number: null, householdCode: 'H0001' });
    expect(readRequestCommand('reject', '', true)).toEqual({ ok: true, number: null, householdCode: null });
  });

  it('says what is missing or unreadable', () => {
    expect(readRequestCommand('approve', '', false)).toEqual({ ok: false, problem: 'no_request' });
    expect(readRequestCommand('approve', 'H0001', false)).toEqual({ ok: false, problem: 'bad_request_number' });
    expect(readRequestCommand('approve', '0', false)).toEqual({ ok: false, problem: 'bad_request_number' });
    expect(readRequestCommand('approve', '17 H0001 more', false)).toEqual({ ok: false, problem: 'bad_request_number' });
    expect(readRequestCommand('reject', '17 H0001', false)).toEqual({ ok: false, problem: 'bad_request_number' });
  });
});

describe('readBindGroup', () => {
  it('reads a purpose (any case) and everything after it as the target', () => {
    expect(parseStaffCommand('/bind_group area 团结片区 3号院')).toEqual({ name: 'bind_group', args: 'area 团结片区 3号院' });
    expect(readBindGroup('AREA 团结片区 3号院')).toEqual({ ok: true, purpose: 'area', target: '团结片区 3号院' });
    expect(readBindGroup('community')).toEqual({ ok: true, purpose: 'community', target: undefined });
  });

  it('says what is wrong: no purpose, or one that does not exist', () => {
    expect(readBindGroup('')).toEqual({ ok: false, problem: 'purpose_missing' });
    expect(readBindGroup('garden 3号院')).toEqual({ ok: false, problem: 'bad_purpose', word: 'garden' });
  });
});
