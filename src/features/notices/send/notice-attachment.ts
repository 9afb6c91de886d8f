/**
 * A notice's file (a PDF, a spreadsheet, a Word document, a photo): stored as files people send
 * are (`src/channels/media/document-files.ts`), kept on the notice as `{ ref, name, mime, bytes }`
 * (`Notice.attachment`), and sent with it — as a file where the reader's channel carries files
 * (`capabilities.documents`, within its `maxDocumentBytes`), as a signed download link in the
 * text elsewhere.
 */
import { documentFileName, MAX_DOCUMENT_NAME_LENGTH, mimeForDocumentFile } from '../../../channels/media/document-files.js';
import type { ChannelCapabilities, OutboundMessage } from '../../../channels/types.js';
import type { DocumentLink } from '../../../channels/media/document-links.js';

export interface NoticeAttachment {
  /** `files/<file>`. */
  ref: string;
  /** What people see it called (with its extension). */
  name: string;
  mime: string;
  bytes: number;
}

/** The stored attachment, or null when there is none (or what is stored is not one). */
export function storedAttachment(stored: unknown): NoticeAttachment | null {
  if (!stored || typeof stored !== 'object') return null;
  const value = stored as Record<string, unknown>;
  if (typeof value.ref !== 'string' || typeof value.name !== 'string' || !documentFileName(value.ref)) return null;
  return { ref: value.ref, name: value.name, mime: typeof value.mime === 'string' ? value.mime : mimeForDocumentFile(documentFileName(value.ref)!), bytes: typeof value.bytes === 'number' ? value.bytes : 0 };
}

/** What is wrong with an attachment a caller gives: not one of our stored files, or a name no one could read. */
export function attachmentProblem(attachment: { ref: string; name: string }): boolean {
  if (!documentFileName(attachment.ref)) return true;
  const name = attachment.name.trim();
  return name === '' || [...name].length > MAX_DOCUMENT_NAME_LENGTH || /[\u0000-\u001f\u007f/\\]/.test(name);
}

/** Whether a channel carries this file as a file (else the text links to it). */
export function carriesFile(capabilities: ChannelCapabilities | undefined, attachment: NoticeAttachment): boolean {
  if (!capabilities?.documents) return false;
  return capabilities.maxDocumentBytes === undefined || attachment.bytes <= capabilities.maxDocumentBytes;
}

/**
 * Puts the file on the rendered messages: on the first, with its text as the caption, unless
 * that one carries the photo — then as a message of its own right after it.
 */
export function attachFile(messages: OutboundMessage[], attachment: NoticeAttachment): OutboundMessage[] {
  const document = { ref: attachment.ref, name: attachment.name };
  const [first, ...rest] = messages;
  if (!first) return [{ text: '', document }];
  if (first.photo) return [first, { text: '', document }, ...rest];
  return [{ ...first, document }, ...rest];
}

/** The link line's variables for a channel that cannot carry the file. */
export function attachmentLinkVars(attachment: NoticeAttachment, link: DocumentLink): { name: string; url: string } {
  return { name: attachment.name, url: link(attachment.ref, attachment.name) };
}
