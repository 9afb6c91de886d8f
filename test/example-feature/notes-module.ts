/**
 * A small feature of a test's own, built the way the app's features are (src/modules/): a person
 * leaves a note for the office with `/memo` (`/note` is the staff inbox's). Its effect writes in the conversation's transaction and
 * publishes `example.note_kept`; its listener hears that in the same transaction. Its flow and its
 * words are beside it (example_notes.yaml, locales.json), for a test to add to copies of the
 * project's flows and locales.
 */
import { EffectArg } from '../../src/conversation/effect-signature.js';
import type { FeatureModule } from '../../src/modules/index.js';

declare module '../../src/events/app-events.js' {
  interface AppEvents {
    /** Only in tests: a note was kept (its audit row). */
    'example.note_kept': { communityId: string; auditId: string };
  }
}

export const NOTE_KEPT_ACTION = 'example.note_kept';

/** What the listener heard, and whether the note's row was there in the transaction it heard it in. */
export interface HeardNote {
  auditId: string;
  rowInTransaction: boolean;
}

/** The notes feature; what its listener hears is added to `heard`. */
export function notesFeature(heard: HeardNote[]): FeatureModule {
  return {
    name: 'example-notes',
    effects: {
      /** Keeps a note: `{ status: kept, number }` (how many this account has left). */
      example_note_keep: { args: { text: EffectArg.text } },
    },
    install({ events }) {
      events.on('example.note_kept', async (tx, event) => {
        const row = await tx.auditLog.findUnique({ where: { id: event.auditId } });
        heard.push({ auditId: event.auditId, rowInTransaction: row !== null });
      });
      return {
        effects: new Map([
          [
            'example_note_keep',
            async (ctx, args) => {
              const text = typeof args['text'] === 'string' ? args['text'] : '';
              // The note's length only: an audit row holds no words of the person's.
              const row = await ctx.tx.auditLog.create({
                data: { communityId: ctx.communityId, via: 'chat', action: NOTE_KEPT_ACTION, subjectType: 'chat_account', subjectId: ctx.chatAccountId, details: { length: text.length } },
              });
              await events.publish(ctx.tx, 'example.note_kept', { communityId: ctx.communityId, auditId: row.id });
              const number = await ctx.tx.auditLog.count({ where: { action: NOTE_KEPT_ACTION, subjectId: ctx.chatAccountId } });
              return { status: 'kept', number };
            },
          ],
        ]),
      };
    },
  };
}
