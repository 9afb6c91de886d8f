/**
 * In a group the bot answers only what is meant for it: a command (not one addressed to
 * another bot), a mention of its @username, or a reply to one of its messages. The mention is
 * cut out of the text so the flow sees what the person actually said.
 */
import type { BotIdentity, TgEntity, TgMessage } from './bot-api-shapes.js';

export interface Addressing {
  /** Meant for this bot. */
  addressed: boolean;
  /** The text without the bot's @mentions and with a command's "@bot" suffix removed. */
  text: string;
}

/** Reads a text or caption with its entities. */
export function readAddressing(text: string, entities: readonly TgEntity[], bot: BotIdentity, message: TgMessage): Addressing {
  const username = bot.username.toLowerCase();
  const cuts: { from: number; to: number }[] = [];
  let addressed = false;
  let otherBotCommand = false;

  for (const entity of entities) {
    const piece = text.slice(entity.offset, entity.offset + entity.length);
    if (entity.type === 'bot_command' && entity.offset === 0) {
      const at = piece.indexOf('@');
      if (at < 0) {
        addressed = true;
      } else if (piece.slice(at + 1).toLowerCase() === username) {
        addressed = true;
        cuts.push({ from: entity.offset + at, to: entity.offset + entity.length });
      } else {
        otherBotCommand = true;
      }
    } else if (
      (entity.type === 'mention' && piece.toLowerCase() === `@${username}`) ||
      (entity.type === 'text_mention' && entity.user?.id === bot.id)
    ) {
      addressed = true;
      if (entity.type === 'mention') cuts.push({ from: entity.offset, to: entity.offset + entity.length });
    }
  }
  if (repliesToBot(message, bot)) addressed = true;
  if (otherBotCommand) addressed = false;
  return { addressed, text: cutOut(text, cuts) };
}

/**
 * A reply to one of the bot's messages. In a forum topic every message "replies" to the
 * topic's first (service) message, which may be the bot's: that does not count.
 */
function repliesToBot(message: TgMessage, bot: BotIdentity): boolean {
  const replied = message.reply_to_message;
  return replied !== undefined && replied.from?.id === bot.id && replied.forum_topic_created === undefined;
}

function cutOut(text: string, cuts: { from: number; to: number }[]): string {
  if (cuts.length === 0) return text;
  let result = text;
  for (const cut of [...cuts].sort((a, b) => b.from - a.from)) {
    result = result.slice(0, cut.from) + result.slice(cut.to);
  }
  return result.replace(/[ \t]{2,}/g, ' ').replace(/^[ \t,，:：]+/, '').trim();
}
