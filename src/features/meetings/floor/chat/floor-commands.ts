/**
 * The sitting's commands as typed. Staff, in the staff chat: `/checkin_open HY-2026-00001`,
 * `/attendance HY-…`, `/motion HY-… <title>`, `/motion_secret HY-… <title>`, `/motion_fund HY-…
 * <expense number>`, `/motion_recall HY-… <member's name>`, `/vote_open HY-… <n>`, `/vote_close
 * HY-… <n>`, `/poll_open HY-… [member's name]`, `/poll_close HY-…`, `/checkin_person HY-… <name>`,
 * `/close_meeting HY-…`. People, in their private chat:
 * `/checkin HY-…`, `/petition <title>` and `/sign QZ-…` (or their words in the person's language,
 * `meetings.petition.start_words` / `sign_words`). Pure: nothing here reads the database.
 */

export type StaffFloorCommand =
  | { name: 'checkin_open' | 'attendance' | 'poll_close' | 'close_meeting'; meeting: string }
  | { name: 'motion'; meeting: string; title: string; kind: 'ordinary' | 'recall' | 'fund_item'; ballot: 'open' | 'secret' }
  | { name: 'vote_open' | 'vote_close'; meeting: string; position: number }
  | { name: 'poll_open'; meeting: string; memberName: string | null }
  | { name: 'checkin_person'; meeting: string; personName: string }
  | { name: 'usage'; command: string };

const STAFF = /^\/(checkin_open|checkin_person|attendance|motion|motion_secret|motion_fund|motion_recall|vote_open|vote_close|poll_open|poll_close|close_meeting)(?:@\S+)?(?:\s+([\s\S]*))?$/i;
const MEETING = /^(HY-\d{4}-\d{1,5})(?:\s+([\s\S]*))?$/i;

export function parseStaffFloorCommand(text: string): StaffFloorCommand | null {
  const match = STAFF.exec(text.trim());
  if (!match) return null;
  const name = match[1]!.toLowerCase();
  const usage = { name: 'usage', command: name } as const;
  const rest = MEETING.exec((match[2] ?? '').trim());
  if (!rest) return usage;
  const meeting = rest[1]!;
  const tail = (rest[2] ?? '').trim();
  switch (name) {
    case 'checkin_open':
    case 'attendance':
    case 'poll_close':
    case 'close_meeting':
      return { name, meeting };
    case 'motion':
    case 'motion_secret':
      return tail ? { name: 'motion', meeting, title: tail, kind: 'ordinary', ballot: name === 'motion' ? 'open' : 'secret' } : usage;
    case 'motion_fund':
      return /^\d+$/.test(tail) ? { name: 'motion', meeting, title: tail, kind: 'fund_item', ballot: 'open' } : usage;
    case 'motion_recall':
      // A recall is a vote on a person: secret, so nobody is seen voting against a colleague.
      return tail ? { name: 'motion', meeting, title: tail, kind: 'recall', ballot: 'secret' } : usage;
    case 'vote_open':
    case 'vote_close':
      return /^\d+$/.test(tail) ? { name, meeting, position: Number(tail) } : usage;
    case 'poll_open':
      return { name: 'poll_open', meeting, memberName: tail || null };
    case 'checkin_person':
      return tail ? { name: 'checkin_person', meeting, personName: tail } : usage;
  }
  return usage;
}

export type PersonFloorCommand = { name: 'checkin'; meeting: string } | { name: 'petition'; title: string } | { name: 'sign'; petition: string } | { name: 'usage'; command: 'petition' | 'sign' | 'checkin' };

/** `startWords` / `signWords`: the words of every language, each list `a|b|c`. */
export function parsePersonFloorCommand(text: string, startWords: readonly string[], signWords: readonly string[]): PersonFloorCommand | null {
  const trimmed = text.trim();
  const checkin = /^\/checkin(?:@\S+)?(?:\s+(\S+))?$/i.exec(trimmed);
  if (checkin) return checkin[1] && /^HY-\d{4}-\d{1,5}$/i.test(checkin[1]) ? { name: 'checkin', meeting: checkin[1] } : { name: 'usage', command: 'checkin' };
  const start = leading(trimmed, ['/petition', ...startWords]);
  if (start !== null) return start ? { name: 'petition', title: start } : { name: 'usage', command: 'petition' };
  const sign = leading(trimmed, ['/sign', ...signWords]);
  if (sign !== null && /^QZ-\d{4}-\d{5}$/i.test(sign)) return { name: 'sign', petition: sign };
  // The words alone ("签名 怎么改") are everyday speech: only the command without a number is answered with the usage.
  if (sign !== null && (sign === '' || /^\/sign\b/i.test(trimmed))) return { name: 'usage', command: 'sign' };
  return null;
}

/** What follows one of `words` at the start (case-insensitive, then a space or nothing); null when none starts it. */
function leading(text: string, words: readonly string[]): string | null {
  const lower = text.toLowerCase();
  // Longest first: "发起联名" before "联名".
  for (const word of [...words].filter(Boolean).sort((a, b) => b.length - a.length)) {
    const w = word.toLowerCase();
    if (lower === w) return '';
    if (lower.startsWith(w) && /^[\s:：]/.test(text.slice(w.length))) return text.slice(w.length).replace(/^[\s:：]+/, '').trim();
  }
  return null;
}
