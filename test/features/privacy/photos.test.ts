/**
 * Photos people send: a quota per person (a photo beyond it is refused politely, in the person's
 * language, and nothing accepted before is lost), deleted with the person ("remove me"), and
 * deleted with a withdrawn ticket once the retention time has passed. The whole app on a real
 * database; the photo sweep runs on a fixed clock.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storePhoto, uploadFileName, uploadPath } from '../../../src/channels/media/photo-files.js';
import type { InboundMessage } from '../../../src/channels/types.js';
import { createLogger } from '../../../src/log/logger.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { PhotoSweep } from '../../../src/features/privacy/photo-sweeper.js';
import { removeResident } from '../../../src/features/privacy/remove-resident.js';
import { startTestApp, WebPerson, type TestApp } from '../../support/app.js';
import { databaseTargets } from '../../support/database.js';
import { createTicket, seedTicketCommunity } from '../tickets/scheduling/seed.js';

const DAY = 24 * 60 * 60_000;

/** Waits for `read` to find something (the app answers through its outbox, a moment later). */
async function until<T>(read: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await read();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('not found in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
/** One test photo: a JPEG's first bytes and padding, 1,000 bytes. */
const PHOTO = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Uint8Array(996)]);

describe.each(databaseTargets())('photos on %s', (target) => {
  let t: TestApp;
  const prisma = () => t.app.database.prisma;
  const dataDir = () => t.app.config.DATA_DIR;
  const fileOf = (ref: string) => uploadPath(dataDir(), uploadFileName(ref)!);
  const sendPhoto = async (person: WebPerson) => {
    const ref = await storePhoto(dataDir(), PHOTO, 'image/jpeg');
    const message: InboundMessage = {
      channel: 'web',
      externalId: randomUUID(),
      senderId: person.sessionId,
      chatId: person.sessionId,
      kind: 'photo',
      photo: { ref, mime: 'image/jpeg', bytes: PHOTO.length },
      receivedAt: new Date(),
    };
    await t.app.router.route(message);
    return ref;
  };
  const sweepAt = (now: Date) =>
    new PhotoSweep({ prisma: prisma(), dataDir: dataDir(), retentionMs: 30 * DAY, logger: createLogger('silent'), now: () => now }).sweepNow();

  beforeAll(async () => {
    // Room for two test photos, not three.
    t = await startTestApp(target, { PHOTO_QUOTA_MB: String(2500 / (1024 * 1024)), WITHDRAWN_PHOTO_RETENTION_DAYS: '30' });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('takes photos up to the quota, then refuses one politely in the person’s language; the earlier ones stay', async () => {
    const person = new WebPerson(t.app);
    await person.ask('你好');
    const first = await sendPhoto(person);
    const second = await sendPhoto(person);
    const third = await sendPhoto(person);
    const refusal = await until(async () => (await person.received()).find((m) => m.text.includes('这张照片没有收下')));
    expect(refusal.text).toContain('之前收下的照片和内容都还在');
    // Refused once: the two accepted photos were not.
    expect((await person.received()).filter((m) => m.text.includes('没有收下'))).toHaveLength(1);
    expect(existsSync(fileOf(first))).toBe(true);
    expect(existsSync(fileOf(second))).toBe(true);
    expect(existsSync(fileOf(third))).toBe(false);
    expect((await prisma().storedPhoto.findMany({ where: { ref: { in: [first, second, third] } } })).map((row) => row.ref).sort()).toEqual([first, second].sort());

    // Another person has a quota of their own.
    const neighbour = new WebPerson(t.app);
    const theirs = await sendPhoto(neighbour);
    expect(existsSync(fileOf(theirs))).toBe(true);
  });

  it('deletes a person’s photos with the person: those they sent and those of their tickets', async () => {
    const c = await seedTicketCommunity(prisma());
    const resident = await prisma().resident.create({ data: { communityId: t.app.communityId, householdId: c.householdId, name: '张秀兰', phone: '13900139000' } });
    const person = new WebPerson(t.app);
    await prisma().chatAccount.create({ data: { communityId: t.app.communityId, channel: 'web', externalId: person.sessionId, residentId: resident.id, boundAt: new Date() } });
    const sent = await sendPhoto(person);
    // One stored before photos were recorded: known only from the ticket.
    const older = await storePhoto(dataDir(), PHOTO, 'image/jpeg');
    const ticket = await createTicket(prisma(), t.app.communityId, { firstResponseDueAt: new Date(), reporterId: resident.id, areaId: c.laneId });
    await prisma().ticket.update({ where: { id: ticket.id }, data: { photos: [sent, older] } });
    const kept = await sendPhoto(new WebPerson(t.app));

    const actor = (await loadActor(prisma(), { residentId: resident.id }))!;
    const result = await prisma().$transaction((tx) => removeResident(tx, { communityId: t.app.communityId, residentId: resident.id, actor }));
    expect(result.photosForgotten).toBe(2);
    expect((await prisma().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).photos).toEqual([]);
    await sweepAt(new Date());
    expect(existsSync(fileOf(sent))).toBe(false);
    expect(existsSync(fileOf(older))).toBe(false);
    expect(existsSync(fileOf(kept))).toBe(true);
    expect(await prisma().storedPhoto.count({ where: { ref: { in: [sent, older] } } })).toBe(0);
  });

  it('deletes a withdrawn ticket’s photos once the retention time has passed, and only then', async () => {
    const c = await seedTicketCommunity(prisma());
    const now = new Date('2026-06-01T10:00:00Z');
    const photos = { old: await storePhoto(dataDir(), PHOTO, 'image/jpeg'), recent: await storePhoto(dataDir(), PHOTO, 'image/jpeg'), open: await storePhoto(dataDir(), PHOTO, 'image/jpeg') };
    const withdrawn = (finishedAt: Date, photo: string) =>
      createTicket(prisma(), t.app.communityId, { firstResponseDueAt: now, areaId: c.laneId, status: 'withdrawn', finishedAt }).then(async (ticket) => {
        await prisma().ticket.update({ where: { id: ticket.id }, data: { photos: [photo] } });
        return ticket;
      });
    const old = await withdrawn(new Date(now.getTime() - 31 * DAY), photos.old);
    const recent = await withdrawn(new Date(now.getTime() - 29 * DAY), photos.recent);
    const open = await createTicket(prisma(), t.app.communityId, { firstResponseDueAt: now, areaId: c.laneId, status: 'in_progress' });
    await prisma().ticket.update({ where: { id: open.id }, data: { photos: [photos.open] } });
    await prisma().ticketEvent.create({ data: { ticketId: old.id, kind: 'resident_message', photos: [photos.old] } });

    await sweepAt(now);
    expect(existsSync(fileOf(photos.old))).toBe(false);
    expect((await prisma().ticket.findUniqueOrThrow({ where: { id: old.id } })).photos).toEqual([]);
    expect(await prisma().ticketEvent.count({ where: { ticketId: old.id, photos: { isEmpty: false } } })).toBe(0);
    expect(existsSync(fileOf(photos.recent))).toBe(true);
    expect(existsSync(fileOf(photos.open))).toBe(true);

    await sweepAt(new Date(now.getTime() + 2 * DAY));
    expect(existsSync(fileOf(photos.recent))).toBe(false);
    expect((await prisma().ticket.findUniqueOrThrow({ where: { id: recent.id } })).photos).toEqual([]);
    expect(existsSync(fileOf(photos.open))).toBe(true);
  });
});
