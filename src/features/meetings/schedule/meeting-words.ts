/**
 * A meeting in a reader's words: its time in the community's zone, its type, its agenda as
 * numbered lines, and the answer a person gave.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Translator } from '../../../i18n/translator.js';
import { readAgenda } from '../rules/agenda.js';
import { isMeetingType, TYPE_LABELS } from '../rules/meeting-types.js';
import { RSVP_LABELS, RSVP_ANSWERS } from '../rules/rsvp.js';

export interface WordedMeeting {
  number: string;
  type: string;
  title: string;
  place: string | null;
  startsAt: Date;
  endsAt: Date;
  agenda: unknown;
}

export class MeetingWords {
  constructor(
    private readonly translator: Translator,
    readonly locale: string,
    private readonly timeZone: string,
  ) {}

  /** `2026-03-04 19:00–21:00` in the community's zone. */
  when(meeting: Pick<WordedMeeting, 'startsAt' | 'endsAt'>): string {
    const start = new TZDate(meeting.startsAt, this.timeZone);
    const end = new TZDate(meeting.endsAt, this.timeZone);
    const sameDay = format(start, 'yyyy-MM-dd') === format(end, 'yyyy-MM-dd');
    return `${format(start, 'yyyy-MM-dd HH:mm')}–${format(end, sameDay ? 'HH:mm' : 'yyyy-MM-dd HH:mm')}`;
  }

  type(type: string): string {
    return this.translator.t(this.locale, isMeetingType(type) ? TYPE_LABELS[type] : TYPE_LABELS.other);
  }

  place(place: string | null): string {
    return place ?? this.translator.t(this.locale, 'meetings.core.place_unset');
  }

  /** Numbered lines, or a line saying there is none yet. */
  agenda(agenda: unknown): string {
    const entries = readAgenda(agenda);
    if (entries.length === 0) return this.translator.t(this.locale, 'meetings.core.agenda.empty');
    return entries.map((entry, index) => `${index + 1}. ${entry.key ? this.translator.t(this.locale, entry.key) : entry.text}`).join('\n');
  }

  answer(rsvp: string): string {
    const known = RSVP_ANSWERS.find((answer) => answer === rsvp);
    return this.translator.t(this.locale, known ? RSVP_LABELS[known] : RSVP_LABELS.pending);
  }

  /** The variables every meeting text may use. */
  vars(meeting: WordedMeeting): Record<string, string> {
    return {
      number: meeting.number,
      title: meeting.title,
      type: this.type(meeting.type),
      when: this.when(meeting),
      place: this.place(meeting.place),
      agenda: this.agenda(meeting.agenda),
    };
  }
}
