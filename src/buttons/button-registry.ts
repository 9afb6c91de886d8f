/**
 * The one place buttons are made and pressed. Every kind of button (a flow's choice, a notice's
 * command, a ticket card's action, a binding request's decision) registers its prefix and a handler
 * here; the registry alone signs button data, holds it to the data limit the channel declares
 * (`ChannelCapabilities.maxButtonDataBytes`, so a button that would not fit is an error when the
 * message is written, never a message quietly without it), verifies a press and sends it to its
 * kind's handler by prefix. On a channel without buttons the same signed data is kept by the writer
 * and pressed by a typed number (`forNumbers`). A forged or altered press, one of no known kind, someone else's, or
 * one the handler finds stale is refused here, each with its kind's own polite answer.
 *
 * It knows no chat, conversation or feature: what a press carries besides the account that pressed
 * (`Press`) is up to the code that hands presses in (`src/conversation/button-presses.ts`).
 *
 * @example
 * const buttons = new ButtonRegistry<MyPress>(secret, { logger });
 * buttons.register(commandButton, { handle: runCommand, refuse: sayButtonInvalid });
 * const choices = buttons.buttons(commandButton, telegram.capabilities, [{ label: '评价', fields }]);
 * await buttons.press(pressedData, { chatAccountId, … });
 */
import type { ChannelCapabilities, OutboundChoice } from '../channels/types.js';
import type { Logger } from '../log/logger.js';
import { ButtonSigner } from '../security/button-signing.js';
import { accountMark, type ButtonKind } from './button-kind.js';

/** Why a press was refused (each is answered with the kind's words; only the log tells them apart). */
export type ButtonRefusal =
  /** The signature is wrong, or the fields are not the kind's shape. */
  | 'forged'
  /** No registered kind has the data's prefix. */
  | 'unknown'
  /** Genuine, but made for another account. */
  | 'not_yours'
  /** Genuine, but its handler says it no longer applies (another step, a record gone). */
  | 'stale';

/** What the registry needs of every press: who pressed. */
export interface ButtonPress {
  chatAccountId: string;
}

export interface ButtonHandler<Fields, Press extends ButtonPress> {
  /** Runs a genuine press; `'stale'` when it no longer applies (then nothing may have been written). */
  handle(fields: Fields, press: Press): Promise<void | 'stale'>;
  /** Answers a refused press with the kind's polite words, and changes nothing else. */
  refuse(press: Press, reason: ButtonRefusal): Promise<void>;
}

/** Makes buttons; what a writer of messages needs of the registry. */
export interface ButtonMaker {
  /**
   * The choices for a message on a channel: signed data for each, held to the channel's limit.
   * Undefined when the channel shows no buttons (the writer says the words to type instead);
   * throws when a button's data would not fit.
   */
  buttons<Fields>(kind: ButtonKind<Fields>, capabilities: ChannelCapabilities | undefined, items: readonly { label: string; fields: Fields }[]): OutboundChoice[] | undefined;
  /**
   * The same choices for a channel without buttons, where they are shown as numbered lines and
   * pressed by typing the number: signed alike, but kept by the writer rather than sent (the
   * press comes back through {@link ButtonRegistry.press} all the same), so no data limit applies.
   */
  forNumbers<Fields>(kind: ButtonKind<Fields>, items: readonly { label: string; fields: Fields }[]): OutboundChoice[];
}

const SEPARATOR = '|';
/** A prefix spans at most this many fields. */
const MAX_PREFIX_FIELDS = 2;

interface Entry<Press extends ButtonPress> {
  kind: ButtonKind<unknown>;
  handler: ButtonHandler<unknown, Press>;
}

export class ButtonRegistry<Press extends ButtonPress> implements ButtonMaker {
  private readonly entries = new Map<string, Entry<Press>>();
  private fallback: Entry<Press> | undefined;
  /** The one signer of button data: nothing else signs or verifies it. */
  private readonly signer: ButtonSigner;

  constructor(
    secret: string,
    private readonly options: { logger?: Logger } = {},
  ) {
    this.signer = new ButtonSigner(secret);
  }

  /**
   * Registers a kind's handler. `answersUnknown`: this kind's refusal also answers a press of no
   * registered kind (one kind must, or such a press is an error).
   */
  register<Fields>(kind: ButtonKind<Fields>, handler: ButtonHandler<Fields, Press>, options: { answersUnknown?: boolean } = {}): void {
    const fields = kind.prefix.split(SEPARATOR);
    if (fields.length > MAX_PREFIX_FIELDS || fields.some((field) => field === '')) throw new Error(`button prefix "${kind.prefix}" is not one or two fields`);
    if (this.entries.has(kind.prefix)) throw new Error(`button prefix "${kind.prefix}" is registered twice`);
    const entry = { kind, handler } as Entry<Press>;
    this.entries.set(kind.prefix, entry);
    if (options.answersUnknown) {
      if (this.fallback) throw new Error('only one kind of button answers unknown presses');
      this.fallback = entry;
    }
  }

  buttons<Fields>(kind: ButtonKind<Fields>, capabilities: ChannelCapabilities | undefined, items: readonly { label: string; fields: Fields }[]): OutboundChoice[] | undefined {
    if (!capabilities?.buttons) return undefined;
    const limit = capabilities.maxButtonDataBytes;
    if (limit === undefined) throw new Error('a channel that shows buttons must declare maxButtonDataBytes');
    return items.map(({ label, fields }) => {
      const data = this.sign(kind, fields);
      const bytes = Buffer.byteLength(data, 'utf8');
      if (bytes > limit) throw new Error(`button data of ${bytes} bytes exceeds the channel's ${limit} (prefix ${kind.prefix})`);
      return { label, data };
    });
  }

  forNumbers<Fields>(kind: ButtonKind<Fields>, items: readonly { label: string; fields: Fields }[]): OutboundChoice[] {
    return items.map(({ label, fields }) => ({ label, data: this.sign(kind, fields) }));
  }

  private sign<Fields>(kind: ButtonKind<Fields>, fields: Fields): string {
    return this.signer.sign([...kind.prefix.split(SEPARATOR), ...kind.write(fields)]);
  }

  /** Verifies pressed data and hands it to its kind's handler, or refuses it. */
  async press(data: string, press: Press): Promise<void> {
    const entry = this.entryFor(data);
    if (!entry) return this.refuse(this.fallback, press, 'unknown', '');
    const { kind, handler } = entry;
    const all = this.signer.verify(data);
    const prefixFields = kind.prefix.split(SEPARATOR);
    const genuine = all !== null && prefixFields.every((field, i) => all[i] === field);
    const fields = genuine ? kind.read(all.slice(prefixFields.length)) : null;
    if (fields === null) return this.refuse(entry, press, 'forged', kind.prefix);
    if (kind.forAccount && kind.forAccount(fields) !== accountMark(press.chatAccountId)) return this.refuse(entry, press, 'not_yours', kind.prefix);
    if ((await handler.handle(fields, press)) === 'stale') return this.refuse(entry, press, 'stale', kind.prefix);
  }

  /** The kind of the longest registered prefix the (not yet verified) data starts with. */
  private entryFor(data: string): Entry<Press> | undefined {
    const parts = data.split(SEPARATOR);
    // The last part is the signature: a prefix never reaches it.
    for (let n = Math.min(MAX_PREFIX_FIELDS, parts.length - 1); n >= 1; n--) {
      const entry = this.entries.get(parts.slice(0, n).join(SEPARATOR));
      if (entry) return entry;
    }
    return undefined;
  }

  private async refuse(entry: Entry<Press> | undefined, press: Press, reason: ButtonRefusal, prefix: string): Promise<void> {
    if (!entry) throw new Error('a press of no known kind, and no kind registered to answer it');
    this.options.logger?.info({ prefix, reason }, 'button refused');
    await entry.handler.refuse(press, reason);
  }
}
