/**
 * What the web chat stores per message (`WebChatMessage.payload`) and what the page receives.
 * `out` rows hold the neutral OutboundMessage as sent; `in` rows hold what the person did.
 */
import type { OutboundChoice, OutboundMessage } from '../types.js';
import { documentFileName } from '../media/document-files.js';
import { uploadFileName } from '../media/photo-files.js';

/** What a person sent, as stored in an `in` row. `clientId` is the page's id for the message. */
export type InboundPayload =
  | { kind: 'text'; text: string; clientId: string }
  | { kind: 'choice'; choice: OutboundChoice; clientId: string }
  | { kind: 'photo'; photo: { ref: string; mime: string; bytes: number }; clientId: string };

/** A stored row as read from the database. */
export interface StoredRow {
  seq: bigint;
  direction: string;
  payload: unknown;
  createdAt: Date;
}

/** One message as the page sees it; seq is a decimal string (JSON has no 64-bit integers). */
export interface ChatRowView {
  seq: string;
  direction: 'in' | 'out';
  at: string;
  kind: 'text' | 'choice' | 'photo';
  text?: string;
  choices?: OutboundChoice[];
  photoUrl?: string;
  /** Out rows with a file: where the page downloads it (this session only) and the name it shows. */
  documentUrl?: string;
  documentName?: string;
  clientId?: string;
  /** Out rows: the person's language when it was sent; the page shows its own words in it. */
  locale?: string;
  /** Out rows: the earlier message (its seq) this one replaces — an edit; the page removes that one. */
  replaces?: string;
}

/** URL path the page loads a stored photo from (only our own uploads are served). */
export function photoUrl(ref: string): string | undefined {
  const file = uploadFileName(ref);
  return file ? `/chat/api/photos/${file}` : undefined;
}

/** URL path the page downloads a file sent to it from (only our own stored files are served). */
export function documentUrl(ref: string): string | undefined {
  const file = documentFileName(ref);
  return file ? `/chat/api/files/${file}` : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function outView(base: Pick<ChatRowView, 'seq' | 'at'>, payload: Record<string, unknown>): ChatRowView {
  const message = payload as Partial<OutboundMessage>;
  const view: ChatRowView = { ...base, direction: 'out', kind: message.photo ? 'photo' : 'text' };
  if (typeof message.text === 'string') view.text = message.text;
  if (Array.isArray(message.choices) && message.choices.length > 0) {
    view.choices = message.choices.map((c) => ({ label: String(c.label), data: String(c.data) }));
  }
  const url = message.photo && typeof message.photo.ref === 'string' ? photoUrl(message.photo.ref) : undefined;
  if (url) view.photoUrl = url;
  const document = message.document && typeof message.document.ref === 'string' ? documentUrl(message.document.ref) : undefined;
  if (document) {
    view.documentUrl = document;
    view.documentName = String(message.document!.name);
  }
  if (typeof payload.locale === 'string') view.locale = payload.locale;
  if (typeof message.editOf === 'string') view.replaces = message.editOf;
  return view;
}

function inView(base: Pick<ChatRowView, 'seq' | 'at'>, payload: Record<string, unknown>): ChatRowView {
  const stored = payload as Partial<InboundPayload> & Record<string, unknown>;
  const kind = stored.kind === 'choice' || stored.kind === 'photo' ? stored.kind : 'text';
  const view: ChatRowView = { ...base, direction: 'in', kind };
  if (typeof stored.clientId === 'string') view.clientId = stored.clientId;
  if (kind === 'text' && typeof stored.text === 'string') view.text = stored.text;
  if (kind === 'choice' && isRecord(stored.choice)) view.text = String(stored.choice.label);
  if (kind === 'photo' && isRecord(stored.photo) && typeof stored.photo.ref === 'string') {
    const url = photoUrl(stored.photo.ref);
    if (url) view.photoUrl = url;
  }
  return view;
}

/** Turns a stored row into what the page renders. */
export function toRowView(row: StoredRow): ChatRowView {
  const base = { seq: row.seq.toString(), at: row.createdAt.toISOString() };
  const payload = isRecord(row.payload) ? row.payload : {};
  return row.direction === 'out' ? outView(base, payload) : inView(base, payload);
}
