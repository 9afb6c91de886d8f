/**
 * One vote each, without names on a secret ballot: a vote (and an evaluation answer) is stored
 * under a keyed hash of the question and the voter. The same person on the same question gets the
 * same key — a second vote replaces the first — while the table alone cannot tell who voted what.
 */
import { createHmac } from 'node:crypto';

export function voterKey(ballotKey: string, questionId: string, residentId: string): string {
  return createHmac('sha256', ballotKey).update(`${questionId}\u0000${residentId}`).digest('base64url');
}
