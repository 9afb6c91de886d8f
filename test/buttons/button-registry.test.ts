/**
 * The button registry's contract: a press reaches its kind's handler by prefix only when genuine;
 * forged or altered data, data of no known kind, someone else's button and a stale one are each
 * refused with the kind's answer, and the handler never hears of them; a button that would not fit
 * the channel's data limit is an error when the message is written, and a channel without buttons
 * gets none; the same buttons kept for numbered lines are signed and pressed alike.
 */
import { describe, expect, it } from 'vitest';
import { accountMark, type ButtonKind } from '../../src/buttons/button-kind.js';
import { ButtonRegistry } from '../../src/buttons/button-registry.js';
import { ButtonSigner } from '../../src/security/button-signing.js';
import { BUTTONLESS, recordingButtons, TELEGRAM_LIKE } from '../support/buttons.js';

const SECRET = 'a-secret-for-button-registry-tests-0123456789';

const flowLike: ButtonKind<{ value: string }> = {
  prefix: 'c',
  write: ({ value }) => [value],
  read: (parts) => (parts.length === 1 ? { value: parts[0]! } : null),
};
const perAccount: ButtonKind<{ account: string; command: string }> = {
  prefix: 'k',
  write: ({ account, command }) => [account, command],
  read: (parts) => (parts.length === 2 ? { account: parts[0]!, command: parts[1]! } : null),
  forAccount: (fields) => fields.account,
};
const general: ButtonKind<{ code: string; id: string }> = {
  prefix: 'i',
  write: ({ code, id }) => [code, id],
  read: (parts) => (parts.length === 2 && parts[0] !== 'ba' ? { code: parts[0]!, id: parts[1]! } : null),
};
const specific: ButtonKind<{ id: string }> = {
  prefix: 'i|ba',
  write: ({ id }) => [id],
  read: (parts) => (parts.length === 1 ? { id: parts[0]! } : null),
};

function setUp(options: { stale?: boolean } = {}) {
  const buttons = recordingButtons(SECRET);
  buttons.record(flowLike, { answersUnknown: true, ...options });
  buttons.record(perAccount);
  buttons.record(general);
  buttons.record(specific);
  const made = <F>(kind: ButtonKind<F>, fields: F) => buttons.registry.buttons(kind, TELEGRAM_LIKE, [{ label: 'x', fields }])![0]!.data;
  return { ...buttons, made };
}

describe('the button registry', () => {
  it('hands a genuine press to its kind by prefix, the longest prefix first', async () => {
    const { pressed, made } = setUp();
    expect(await pressed(made(flowLike, { value: 'yes' }))).toEqual({ prefix: 'c', fields: { value: 'yes' } });
    expect(await pressed(made(general, { code: 'c', id: 'ticket-1' }))).toEqual({ prefix: 'i', fields: { code: 'c', id: 'ticket-1' } });
    expect(await pressed(made(specific, { id: 'request-1' }))).toEqual({ prefix: 'i|ba', fields: { id: 'request-1' } });
  });

  it('refuses forged and altered data with the kind’s answer', async () => {
    const { pressed, made } = setUp();
    const data = made(general, { code: 'c', id: 'ticket-1' });
    expect(await pressed(data.replace('ticket-1', 'ticket-2'))).toEqual({ prefix: 'i', refused: 'forged' });
    expect(await pressed(data.replace(/\|[^|]+$/, '|AAAAAAAAAAAAAA'))).toEqual({ prefix: 'i', refused: 'forged' });
    expect(await pressed(`${data}x`)).toEqual({ prefix: 'i', refused: 'forged' });
    const elsewhere = new ButtonSigner('another-secret-entirely-0123456789abcdef');
    expect(await pressed(elsewhere.sign(['i', 'c', 'ticket-1']))).toEqual({ prefix: 'i', refused: 'forged' });
    // Genuine, but not the kind's shape.
    expect(await pressed(new ButtonSigner(SECRET).sign(['c', 'one', 'too many']))).toEqual({ prefix: 'c', refused: 'forged' });
  });

  it('refuses a genuine press of no registered kind with the answer of the kind that answers those', async () => {
    const { pressed } = setUp();
    expect(await pressed(new ButtonSigner(SECRET).sign(['z', 'anything']))).toEqual({ prefix: 'c', refused: 'unknown' });
    expect(await pressed('')).toEqual({ prefix: 'c', refused: 'unknown' });
  });

  it('refuses someone else’s button, and runs it for the account it was made for', async () => {
    const { pressed, made } = setUp();
    const data = made(perAccount, { account: accountMark('account-1'), command: '/rate MQ-2026-00123' });
    expect(await pressed(data, 'account-2')).toEqual({ prefix: 'k', refused: 'not_yours' });
    expect(await pressed(data, 'account-1')).toEqual({ prefix: 'k', fields: { account: accountMark('account-1'), command: '/rate MQ-2026-00123' } });
  });

  it('refuses a press its handler finds stale', async () => {
    const { pressed, made } = setUp({ stale: true });
    expect(await pressed(made(flowLike, { value: 'yes' }))).toEqual({ prefix: 'c', refused: 'stale' });
  });

  it('refuses, when the message is written, a button over the channel’s limit; none on a channel without buttons', () => {
    const { registry } = setUp();
    expect(() => registry.buttons(general, TELEGRAM_LIKE, [{ label: 'x', fields: { code: 'c', id: 'x'.repeat(60) } }])).toThrow(/exceeds the channel's 64/);
    expect(() => registry.buttons(general, { ...TELEGRAM_LIKE, maxButtonDataBytes: 1024 }, [{ label: 'x', fields: { code: 'c', id: 'x'.repeat(60) } }])).not.toThrow();
    expect(registry.buttons(general, BUTTONLESS, [{ label: 'x', fields: { code: 'c', id: 'ticket-1' } }])).toBeUndefined();
    expect(registry.buttons(general, undefined, [{ label: 'x', fields: { code: 'c', id: 'ticket-1' } }])).toBeUndefined();
    const { maxButtonDataBytes: _none, ...undeclared } = TELEGRAM_LIKE;
    expect(() => registry.buttons(general, undeclared, [{ label: 'x', fields: { code: 'c', id: 'ticket-1' } }])).toThrow(/maxButtonDataBytes/);
  });

  it('signs the same buttons for numbered lines, held to no channel limit, and presses and refuses them alike', async () => {
    const { registry, pressed } = setUp();
    const fields = { account: accountMark('account-1'), command: `/rate ${'x'.repeat(80)}` };
    const [numbered] = registry.forNumbers(perAccount, [{ label: '评价', fields }]);
    expect(numbered!.label).toBe('评价');
    expect(await pressed(numbered!.data, 'account-1')).toEqual({ prefix: 'k', fields });
    expect(await pressed(numbered!.data, 'account-2')).toEqual({ prefix: 'k', refused: 'not_yours' });
    expect(await pressed(numbered!.data.replace('/rate', '/bind'), 'account-1')).toEqual({ prefix: 'k', refused: 'forged' });
  });

  it('takes each prefix once', () => {
    const registry = new ButtonRegistry(SECRET);
    const handler = { handle: async () => {}, refuse: async () => {} };
    registry.register(flowLike, handler);
    expect(() => registry.register({ ...flowLike }, handler)).toThrow(/twice/);
    expect(() => registry.register({ ...flowLike, prefix: 'a|b|c' }, handler)).toThrow(/one or two fields/);
  });
});
