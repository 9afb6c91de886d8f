/**
 * Card buttons: signed, within Telegram's 64 bytes even for the longest ticket ids, and read back
 * only when genuine.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CARD_BUTTONS,
  cardButtonData,
  cardChoices,
  isInboxButton,
  MAX_BUTTON_DATA_BYTES,
  readCardButton,
  readRequestButton,
  REQUEST_BUTTONS,
  requestButtonData,
} from '../../src/inbox/card-buttons.js';
import { ButtonSigner } from '../../src/security/button-signing.js';

const signer = new ButtonSigner('a-secret-for-card-button-tests-0123456789');
const cuid = 'cm3x9k2ab0001qz8l5v7w2h4j';

describe('card buttons', () => {
  it('fit 64 bytes for cuid and UUID ticket ids, every action', () => {
    for (const id of [cuid, randomUUID()]) {
      for (const action of CARD_BUTTONS) {
        const data = cardButtonData(signer, action, id);
        expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(MAX_BUTTON_DATA_BYTES);
        expect(readCardButton(signer, data)).toEqual({ action, ticketId: id });
      }
    }
  });

  it('refuse data that would not fit rather than send it', () => {
    expect(() => cardButtonData(signer, 'claim', 'x'.repeat(60))).toThrow('64 bytes');
  });

  it('read back nothing forged, altered, signed with another secret or meant for the flows', () => {
    const data = cardButtonData(signer, 'resolve', cuid);
    expect(readCardButton(signer, data.replace(/\|[^|]+$/, '|AAAAAAAAAAAAAA'))).toBeNull();
    expect(readCardButton(signer, data.replace('|r|', '|c|'))).toBeNull();
    expect(readCardButton(signer, data.replace(cuid, 'cm3x9k2ab0001qz8l5v7w2h4k'))).toBeNull();
    expect(readCardButton(new ButtonSigner('another-secret-another-secret-000000'), data)).toBeNull();
    expect(readCardButton(signer, signer.sign(['c', 'fingerprint', 'value']))).toBeNull();
    expect(readCardButton(signer, signer.sign(['i', 'x', cuid]))).toBeNull();
    expect(readCardButton(signer, signer.sign(['i', 'c', '']))).toBeNull();
    expect(readCardButton(signer, 'i|c')).toBeNull();
  });

  it('are told apart from the flows’ buttons by their first field', () => {
    expect(isInboxButton(cardButtonData(signer, 'claim', cuid))).toBe(true);
    expect(isInboxButton(signer.sign(['c', 'abc', 'yes']))).toBe(false);
    expect(isInboxButton(undefined)).toBe(false);
  });

  it('come in the card’s order with their labels', () => {
    const choices = cardChoices(signer, cuid, (action) => `[${action}]`);
    expect(choices.map((c) => c.label)).toEqual(CARD_BUTTONS.map((a) => `[${a}]`));
  });

  it('a binding request’s buttons fit, read back only when genuine, and are never taken for a ticket’s', () => {
    for (const id of [cuid, randomUUID()]) {
      for (const decision of REQUEST_BUTTONS) {
        const data = requestButtonData(signer, decision, id);
        expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(MAX_BUTTON_DATA_BYTES);
        expect(isInboxButton(data)).toBe(true);
        expect(readRequestButton(signer, data)).toEqual({ decision, requestId: id });
        expect(readCardButton(signer, data)).toBeNull();
      }
    }
    const data = requestButtonData(signer, 'approve', cuid);
    expect(readRequestButton(signer, data.replace(/\|[^|]+$/, '|AAAAAAAAAAAAAA'))).toBeNull();
    expect(readRequestButton(signer, data.replace('|ba|', '|br|'))).toBeNull();
    expect(readRequestButton(signer, cardButtonData(signer, 'claim', cuid))).toBeNull();
    expect(readRequestButton(signer, signer.sign(['i', 'ba', '']))).toBeNull();
  });
});
