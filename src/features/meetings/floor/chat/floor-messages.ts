/**
 * Writes a sitting's message to one person's private chats (every reachable account, each in its
 * language) with the floor's buttons: buttons where the channel has them, numbered lines kept as
 * the account's pending actions where it has none (typing "1" presses the first). The text also
 * names the words to type, so a channel this process does not have loses nothing.
 */
import type { ChannelCapabilities, ChannelName } from '../../../../channels/types.js';
import type { ButtonMaker } from '../../../../buttons/button-registry.js';
import { numberedText } from '../../../../buttons/numbered-choices.js';
import type { Tx } from '../../../../db/prisma-types.js';
import type { Translator, Vars } from '../../../../i18n/translator.js';
import { keepNumberedActions } from '../../../../notify/numbered-actions.js';
import { PRIORITY_REPLY, writeOutbox, type QueuedOutboxRow } from '../../../../outbox/outbox.js';
import { floorButton, type FloorPress } from './floor-buttons.js';

export interface FloorMessagesDeps {
  translator: Translator;
  buttons: ButtonMaker;
  capabilitiesOf: (channel: ChannelName) => ChannelCapabilities | undefined;
  now: () => Date;
}

export interface PersonMessage {
  key: string;
  vars?: Vars;
  items: readonly { labelKey: string; press: FloorPress }[];
}

export async function writeToPerson(tx: Tx, deps: FloorMessagesDeps, residentId: string, message: PersonMessage): Promise<QueuedOutboxRow[]> {
  const accounts = await tx.chatAccount.findMany({
    where: { residentId, unreachableAt: null },
    orderBy: { createdAt: 'asc' },
    select: { id: true, communityId: true, channel: true, externalId: true, locale: true, community: { select: { defaultLocale: true } }, resident: { select: { locale: true } } },
  });
  const rows: QueuedOutboxRow[] = [];
  for (const account of accounts) {
    const locale = account.locale ?? account.resident?.locale ?? account.community.defaultLocale;
    const t = (key: string, vars?: Vars) => deps.translator.t(locale, key, vars);
    const text = t(message.key, message.vars);
    const items = message.items.map((item) => ({ label: t(item.labelKey), fields: item.press }));
    const capabilities = deps.capabilitiesOf(account.channel);
    let outbound: { text: string; choices?: ReturnType<ButtonMaker['forNumbers']> } = { text };
    if (items.length > 0 && capabilities?.buttons) {
      outbound = { text, choices: deps.buttons.buttons(floorButton, capabilities, items) ?? [] };
    } else if (items.length > 0 && capabilities) {
      const choices = deps.buttons.forNumbers(floorButton, items);
      await keepNumberedActions(tx, { id: account.id, chatId: account.externalId }, choices, deps.now());
      outbound = { text: numberedText(text, items.map((i) => i.label), t) };
    }
    rows.push(
      ...(await writeOutbox(tx, [{ communityId: account.communityId, channel: account.channel, chatId: account.externalId, chatAccountId: account.id, message: outbound, priority: PRIORITY_REPLY }])),
    );
  }
  return rows;
}
