/**
 * A WeChat staff room on the mock puppet, as the staff-inbox end-to-end tests start it: the bot's
 * own contact, the named staff members, the room holding them all (watched, so a test can read
 * what the bot posted there), and the puppet to hand to the app.
 */
import { mock } from 'wechaty-puppet-mock';
import { createRoom, RecordingPuppetMock, watch, type ContactMock, type RoomMock, type SeenMessage } from '../channels/wechat/wechat-harness.js';

/** The room's name the tests bind as the staff room (`WECHAT_STAFF_ROOM`). */
export const STAFF_ROOM = '团结社区工作群';

export interface WechatStaffRoom {
  mocker: mock.Mocker;
  puppet: RecordingPuppetMock;
  bot: ContactMock;
  /** The staff members, in the order named. */
  members: ContactMock[];
  room: RoomMock;
  /** Every message in the room, as it arrives. */
  seen: SeenMessage[];
}

export function wechatStaffRoom(memberNames: readonly string[]): WechatStaffRoom {
  const mocker = new mock.Mocker();
  const puppet = new RecordingPuppetMock({ mocker });
  const bot = mocker.createContact({ name: '邻里助手', avatar: '' });
  const members = memberNames.map((name) => mocker.createContact({ name, avatar: '' }));
  const room = createRoom(mocker, STAFF_ROOM, [bot, ...members]);
  return { mocker, puppet, bot, members, room, seen: watch(room) };
}
