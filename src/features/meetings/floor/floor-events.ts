/**
 * What the floor tells the rest of the app: someone checked in, voted or answered, or staff moved
 * the sitting on (check-in opened, a vote opened or closed, a poll). The console's open pages of
 * that sitting refresh themselves. Ids only.
 */

export interface MeetingFloorChanged {
  communityId: string;
  meetingId: string;
}

declare module '../../../events/app-events.js' {
  interface AppEvents {
    'meeting.floor_changed': MeetingFloorChanged;
  }
}
