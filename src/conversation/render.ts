/**
 * Turns the engine's messages (locale keys) into neutral outbound messages in the person's
 * language, shaped for the channel: choices become signed buttons, or numbered lines where the
 * platform has no buttons; long text is split to the platform's limit.
 */
import { createHash } from 'node:crypto';
import type { ChannelCapabilities, OutboundMessage } from '../channels/types.js';
import type { Translator, Vars } from '../i18n/translator.js';
import type { ButtonSigner } from '../security/button-signing.js';
import { splitText } from '../util/split-text.js';
import { choiceValueToken } from './choice-value-token.js';
import type { EngineMessage } from './engine-types.js';

/** Button data kind marker: a choice in a flow step. */
const CHOICE_BUTTON = 'c';
/** Telegram's limit on callback data; every channel's buttons are held to it. */
const MAX_BUTTON_BYTES = 64;

/** A short, stable fingerprint of a run and step, so button data fits Telegram's 64 bytes. */
export function fingerprint(runId: string, stepId: string): string {
  return createHash('sha256').update(`${runId}/${stepId}`).digest().subarray(0, 6).toString('base64url');
}

export function choiceButtonData(signer: ButtonSigner, runId: string, stepId: string, value: string): string {
  return signedChoice(signer, fingerprint(runId, stepId), value);
}

/**
 * A choice's signed data. The value travels as its token (`choice-value-token.ts`), so it always
 * fits; should it ever not, this throws rather than send a button the platform would refuse.
 */
function signedChoice(signer: ButtonSigner, at: string, value: string): string {
  const data = signer.sign([CHOICE_BUTTON, at, choiceValueToken(value)]);
  if (Buffer.byteLength(data, 'utf8') > MAX_BUTTON_BYTES) throw new Error(`choice button data of ${Buffer.byteLength(data, 'utf8')} bytes exceeds ${MAX_BUTTON_BYTES}`);
  return data;
}

export type ButtonCheck =
  /** `value` is the choice's token: match it with `tokenMeans`. */
  | { ok: true; value: string }
  /** forged: the signature is wrong; stale: genuine but for a step the person is no longer at. */
  | { ok: false; reason: 'forged' | 'stale' };

/** Checks a pressed button against where the person is now. */
export function checkChoiceButton(
  signer: ButtonSigner,
  data: string,
  current: { runId: string; stepId: string } | null,
): ButtonCheck {
  const fields = signer.verify(data);
  if (!fields || fields.length !== 3 || fields[0] !== CHOICE_BUTTON) return { ok: false, reason: 'forged' };
  const [, at, value] = fields as [string, string, string];
  if (!current || at !== fingerprint(current.runId, current.stepId)) {
    return { ok: false, reason: 'stale' };
  }
  return { ok: true, value };
}

export interface RenderContext {
  translator: Translator;
  locale: string;
  capabilities: ChannelCapabilities;
  signer: ButtonSigner;
  /** Variables every message may use (collected answers, the office phone…). */
  vars: Vars;
  /** The run and step the person will be at after this turn; choices are signed for it. */
  at: { runId: string; stepId: string } | null;
}

export function renderMessages(messages: EngineMessage[], ctx: RenderContext): OutboundMessage[] {
  const out: OutboundMessage[] = [];
  for (const message of messages) {
    const t = (key: string, vars?: Vars) => ctx.translator.t(ctx.locale, key, { ...ctx.vars, ...vars });
    // A location is offered only where the channel says a person can send one.
    const key = message.typedKey && !ctx.capabilities.locations ? message.typedKey : message.key;
    let text = t(key, message.vars);
    let choices: OutboundMessage['choices'];
    if (message.choices && message.choices.length > 0) {
      const labels = message.choices.map((c) => ('label' in c ? c.label : t(c.labelKey, c.vars)));
      if (ctx.capabilities.buttons && ctx.at) {
        // The same for every button of the message (a hash each): worked out once.
        const at = fingerprint(ctx.at.runId, ctx.at.stepId);
        choices = message.choices.map((c, i) => ({
          label: labels[i]!,
          data: signedChoice(ctx.signer, at, c.value),
        }));
      } else {
        const lines = labels.map((label, i) => `${i + 1}. ${label}`);
        text = [text, '', ...lines, '', t('channel.numbered_hint', { count: labels.length })].join('\n');
      }
    }
    const pieces = splitText(text, ctx.capabilities.maxTextLength);
    pieces.forEach((piece, i) => {
      const last = i === pieces.length - 1;
      out.push(last && choices ? { text: piece, choices } : { text: piece });
    });
  }
  return out;
}
