/**
 * Card and binding request buttons: signed, within Telegram's 64 bytes even for the longest ticket
 * ids, none on a channel without buttons, and handed to the inbox only when genuine — never a
 * ticket's button taken for a request's, or the other way round.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CARD_BUTTONS, cardButton, cardChoices, REQUEST_BUTTONS, requestButtons, requestChoices } from '../../src/inbox/card-buttons.js';
import { ButtonSigner } from '../../src/security/button-signing.js';
import { choiceButton } from '../../src/conversation/choice-buttons.js';
import { BUTTONLESS, recordingButtons, TELEGRAM_LIKE } from '../support/buttons.js';

const SECRET = 'a-secret-for-card-button-tests-0123456789';
const signer = new ButtonSigner(SECRET);
const cuid = 'cm3x9k2ab0001qz8l5v7w2h4j';

function setUp() {
  const buttons = recordingButtons(SECRET);
  buttons.record(choiceButton, { answersUnknown: true });
  buttons.record(cardButton);
  for (const decision of REQUEST_BUTTONS) buttons.record(requestButtons[decision]);
  const card = (ticketId: string) => cardChoices(buttons.registry, TELEGRAM_LIKE, ticketId, (action) => action)!;
  const request = (requestId: string) => requestChoices(buttons.registry, TELEGRAM_LIKE, requestId, (decision) => decision)!;
  return { ...buttons, card, request };
}

describe('card buttons', () => {
  it('fit 64 bytes for cuid and UUID ticket ids, every action', async () => {
    const { card, pressed } = setUp();
    for (const id of [cuid, randomUUID()]) {
      for (const choice of card(id)) {
        expect(Buffer.byteLength(choice.data, 'utf8')).toBeLessThanOrEqual(TELEGRAM_LIKE.maxButtonDataBytes!);
        expect(await pressed(choice.data)).toEqual({ prefix: 'i', fields: { action: choice.label, ticketId: id } });
      }
    }
  });

  it('refuse data that would not fit rather than send it', () => {
    const { card } = setUp();
    expect(() => card('x'.repeat(60))).toThrow(/exceeds the channel's 64/);
  });

  it('none on a channel without buttons (the card names the commands there)', () => {
    const { registry } = setUp();
    expect(cardChoices(registry, BUTTONLESS, cuid, (action) => action)).toBeUndefined();
    expect(requestChoices(registry, BUTTONLESS, cuid, (decision) => decision)).toBeUndefined();
  });

  it('reach the inbox only when genuine: forged, altered, signed with another secret or malformed are refused', async () => {
    const { card, pressed } = setUp();
    const data = card(cuid).find((choice) => choice.label === 'resolve')!.data;
    const refused = { prefix: 'i', refused: 'forged' };
    expect(await pressed(data.replace(/\|[^|]+$/, '|AAAAAAAAAAAAAA'))).toEqual(refused);
    expect(await pressed(data.replace('|r|', '|c|'))).toEqual(refused);
    expect(await pressed(data.replace(cuid, 'cm3x9k2ab0001qz8l5v7w2h4k'))).toEqual(refused);
    expect(await pressed(new ButtonSigner('another-secret-another-secret-000000').sign(['i', 'r', cuid]))).toEqual(refused);
    expect(await pressed(signer.sign(['i', 'x', cuid]))).toEqual(refused);
    expect(await pressed(signer.sign(['i', 'c', '']))).toEqual(refused);
    expect(await pressed('i|c')).toEqual(refused);
  });

  it('are told apart from the flows’ buttons by their first field', async () => {
    const { pressed } = setUp();
    expect(await pressed(signer.sign(['c', 'abc', 'yes']))).toEqual({ prefix: 'c', fields: { at: 'abc', token: 'yes' } });
  });

  it('come in the card’s order with their labels', () => {
    const { card } = setUp();
    expect(card(cuid).map((c) => c.label)).toEqual([...CARD_BUTTONS]);
  });

  it('a binding request’s buttons fit, reach the inbox only when genuine, and are never taken for a ticket’s', async () => {
    const { request, pressed } = setUp();
    for (const id of [cuid, randomUUID()]) {
      const choices = request(id);
      expect(choices.map((choice) => choice.label)).toEqual([...REQUEST_BUTTONS]);
      for (const choice of choices) {
        expect(Buffer.byteLength(choice.data, 'utf8')).toBeLessThanOrEqual(TELEGRAM_LIKE.maxButtonDataBytes!);
        expect(await pressed(choice.data)).toEqual({ prefix: requestButtons[choice.label as 'approve' | 'reject'].prefix, fields: { requestId: id } });
      }
    }
    const approve = request(cuid)[0]!.data;
    expect(await pressed(approve.replace(/\|[^|]+$/, '|AAAAAAAAAAAAAA'))).toEqual({ prefix: 'i|ba', refused: 'forged' });
    expect(await pressed(approve.replace('|ba|', '|br|'))).toEqual({ prefix: 'i|br', refused: 'forged' });
    expect(await pressed(signer.sign(['i', 'ba', '']))).toEqual({ prefix: 'i|ba', refused: 'forged' });
  });
});
