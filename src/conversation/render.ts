/**
 * Turns the engine's messages (locale keys) into neutral outbound messages in the person's
 * language, shaped for the channel: choices become signed buttons, or numbered lines where the
 * platform has no buttons; long text is split to the platform's limit.
 */
import type { ButtonMaker } from '../buttons/button-registry.js';
import type { ChannelCapabilities, OutboundMessage } from '../channels/types.js';
import type { Translator, Vars } from '../i18n/translator.js';
import { splitText } from '../util/split-text.js';
import { numberedText } from '../buttons/numbered-choices.js';
import { choiceButton, fingerprint } from './choice-buttons.js';
import { choiceValueToken } from './choice-value-token.js';
import type { EngineMessage } from './engine-types.js';

export interface RenderContext {
  translator: Translator;
  locale: string;
  capabilities: ChannelCapabilities;
  /** Makes the choices' buttons, signed and held to the channel's data limit. */
  buttons: ButtonMaker;
  /** Variables every message may use (collected answers, the office phone…). */
  vars: Vars;
  /** The run and step the person will be at after this turn; choices are signed for it. */
  at: { runId: string; stepId: string } | null;
}

export function renderMessages(messages: EngineMessage[], ctx: RenderContext): OutboundMessage[] {
  return renderTurn(messages, ctx).messages;
}

/**
 * The messages, and whether they offer numbered choices: then a number the person types next
 * answers them (not the numbered buttons of an older notice, see `src/notify/numbered-actions.ts`).
 */
export function renderTurn(messages: EngineMessage[], ctx: RenderContext): { messages: OutboundMessage[]; numbered: boolean } {
  const out: OutboundMessage[] = [];
  let numbered = false;
  for (const message of messages) {
    const t = (key: string, vars?: Vars) => ctx.translator.t(ctx.locale, key, { ...ctx.vars, ...vars });
    // A location is offered only where the channel says a person can send one.
    const key = message.typedKey && !ctx.capabilities.locations ? message.typedKey : message.key;
    let text = t(key, message.vars);
    let choices: OutboundMessage['choices'];
    if (message.choices && message.choices.length > 0) {
      const labels = message.choices.map((c) => ('label' in c ? c.label : t(c.labelKey, c.vars)));
      // The same for every button of the message (a hash each): worked out once.
      const at = ctx.at ? fingerprint(ctx.at.runId, ctx.at.stepId) : undefined;
      choices =
        at === undefined
          ? undefined
          : ctx.buttons.buttons(
              choiceButton,
              ctx.capabilities,
              message.choices.map((c, i) => ({ label: labels[i]!, fields: { at, token: choiceValueToken(c.value) } })),
            );
      if (!choices) {
        text = numberedText(text, labels, t);
        numbered = true;
      }
    }
    const pieces = splitText(text, ctx.capabilities.maxTextLength);
    pieces.forEach((piece, i) => {
      const last = i === pieces.length - 1;
      out.push(last && choices ? { text: piece, choices } : { text: piece });
    });
  }
  return { messages: out, numbered };
}
