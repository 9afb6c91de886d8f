/**
 * Text that residents or visitors typed (a binding request's name and address, a ticket's
 * description, a reply in its history), made safe to print on the operator's terminal. Control
 * characters can move the cursor, rewrite earlier lines, retitle the window or reach the
 * terminal's own commands (escape sequences, a carriage return); bidi overrides make a line show
 * in another order than it reads. All are dropped; line breaks are kept (a carriage return
 * becomes one).
 */

/** C0 controls but the line feed, DEL and C1 controls; the bidi marks, embeddings, overrides and isolates. */
const UNPRINTABLE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** `text` with nothing that could steer the terminal (see the file's comment). */
export function terminalText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNPRINTABLE, '');
}
