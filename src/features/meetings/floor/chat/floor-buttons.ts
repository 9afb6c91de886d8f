/**
 * The buttons of a sitting, sent to each person's private chat: check in (`mf|c|<meeting id>`),
 * a vote (`mf|v|<motion id>|yes|no|abstain`), an evaluation answer (`mf|p|<poll id>|<answer>`).
 * None is tied to an account: a press acts for whoever pressed it — their own check-in, their
 * own vote — and the services decide whether they may (invited, checked in, a representative).
 * On a channel without buttons they are numbered lines, pressed by typing the number.
 */
import type { ButtonKind } from '../../../../buttons/button-kind.js';
import type { EvaluationAnswer } from '../rules/evaluation.js';
import { isVoteChoice, type VoteChoice } from '../service/motions.js';

export type FloorPress = { what: 'check_in'; meetingId: string } | { what: 'vote'; motionId: string; choice: VoteChoice } | { what: 'poll'; pollId: string; answer: EvaluationAnswer };

/** Evaluation answers in one letter: the whole button must fit Telegram's 64 bytes. */
const ANSWER_CODES: Record<EvaluationAnswer, string> = { satisfied: 's', basically_satisfied: 'b', dissatisfied: 'd' };

export const floorButton: ButtonKind<FloorPress> = {
  prefix: 'mf',
  write: (press) => {
    switch (press.what) {
      case 'check_in':
        return ['c', press.meetingId];
      case 'vote':
        return ['v', press.motionId, press.choice];
      case 'poll':
        return ['p', press.pollId, ANSWER_CODES[press.answer]];
    }
  },
  read: (parts) => {
    const [what, id, answer] = parts;
    if (!id) return null;
    if (what === 'c' && parts.length === 2) return { what: 'check_in', meetingId: id };
    if (what === 'v' && parts.length === 3 && answer && isVoteChoice(answer)) return { what: 'vote', motionId: id, choice: answer };
    if (what === 'p' && parts.length === 3) {
      const code = (Object.keys(ANSWER_CODES) as EvaluationAnswer[]).find((a) => ANSWER_CODES[a] === answer);
      return code ? { what: 'poll', pollId: id, answer: code } : null;
    }
    return null;
  },
};
