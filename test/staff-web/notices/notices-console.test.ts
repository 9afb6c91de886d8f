/**
 * The console's notices pages over HTTP (fastify inject, the real app and database): a committee
 * member previews a notice to one lane (the service's counts, the notice as read), sends it, finds
 * it in the list and by search, and its report reaches "all delivered" as the web chats get it; a
 * lane's steward is offered only their lane, and a forged audience beyond it is refused (403) and
 * audited; bad input answers 4xx in words, never 500; a notice held by quiet hours can be
 * cancelled; posting without the CSRF token is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { databaseTargets } from '../../support/database.js';
import { StaffBrowser } from '../../support/staff-browser.js';
import { waitFor } from '../../support/wait-for.js';
import { renamedProgram, sampleXlsx } from '../../support/documents.js';
import { seedRollCallCommunity, type RollCallCommunity } from '../../features/notices/rollcall/roll-call-community.js';

const NO_QUIET_HOURS = { quietHours: { from: '00:00', to: '00:00' } };

describe.each(databaseTargets())('notices in the staff console (%s)', (target) => {
  let test: TestApp;
  let c: RollCallCommunity;
  let addresses = 0;

  beforeAll(async () => {
    test = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' }, undefined, { serve: true });
    c = await seedRollCallCommunity(test.app);
    await test.app.database.prisma.community.update({ where: { id: test.app.communityId }, data: { noticeSettings: NO_QUIET_HOURS } });
  }, 90_000);
  afterAll(() => test?.close());

  const signedIn = async (person: { name: string; residentId: string }) => {
    addresses += 1;
    const browser = new StaffBrowser(test.app, `198.51.100.${addresses}`);
    await browser.signIn(person.name, person.residentId);
    return browser;
  };
  /** Posts the compose form with repeated fields (areas, groups) as a browser sends a multi-select. */
  const compose = (browser: StaffBrowser, fields: Record<string, string | string[]>, csrf = browser.csrfToken) => {
    const form = new URLSearchParams({ _csrf: csrf });
    for (const [name, value] of Object.entries(fields)) for (const each of Array.isArray(value) ? value : [value]) form.append(name, each);
    return browser.request('POST', '/staff/notices', form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  };
  const laneNotice = (extra: Record<string, string | string[]> = {}) => ({ kind: 'notice', title: '周三停水通知', body: '周三上午9点到12点停水，请提前储水。', areas: c.laneA, via: 'both', ...extra });

  it('previews the counts for one lane, sends, lists and reports the notice delivered', async () => {
    const chair = await signedIn(c.people.chair);
    const form = await chair.get('/staff/notices/new');
    expect(form.status).toBe(200);
    expect(form.body).toContain('全体居民');
    expect(form.body).toContain('平房区/团结巷');
    expect(form.body).toContain('平房区/胜利巷');

    const preview = await compose(chair, laneNotice({ action: 'preview' }));
    expect(preview.status).toBe(200);
    // 团结巷: six people in five households, each with a web chat; no bound group chat.
    expect(preview.body).toContain('将发给6人（5户），0个群；联系不上0人');
    expect(preview.body).toContain('周三上午9点到12点停水');
    expect(await test.app.database.prisma.notice.count()).toBe(0);

    const perHousehold = await compose(chair, laneNotice({ action: 'preview', per_household: '1' }));
    expect(perHousehold.body).toContain('将发给5人（5户）');

    const sent = await compose(chair, laneNotice({ action: 'send' }));
    expect(sent.status).toBe(303);
    const number = /\/staff\/notices\/([A-Z]+-\d{4}-\d+)\?done=sent/.exec(sent.location ?? '')?.[1];
    expect(number).toBeDefined();
    const page = await chair.get(sent.location!);
    expect(page.body).toContain('通知已发出。');
    expect(page.body).toContain('周三停水通知');

    await waitFor(async () => (await c.people.wang.web.received()).some((m) => m.text.includes('周三停水通知')), 'the notice in 王师傅’s chat');
    expect((await c.people.sun.web.received()).some((m) => m.text.includes('周三停水通知'))).toBe(false);
    await waitFor(async () => (await chair.get(`/staff/notices/${number}`)).body.includes('已全部处理：送达6/6'), 'the report delivered');
    const done = await chair.get(`/staff/notices/${number}`);
    expect(done.body).not.toContain('http-equiv="refresh"');

    const list = await chair.get('/staff/notices');
    expect(list.body).toContain(`href="/staff/notices/${number}"`);
    expect(list.body).toContain('已送达6/6');
    expect((await chair.get(`/staff/notices?q=${encodeURIComponent('停水')}`)).body).toContain(number!);
    expect((await chair.get(`/staff/notices?q=${encodeURIComponent('燃气')}`)).body).toContain('没有找到相关的通知');
  });

  it('offers a steward only their lane and refuses a forged audience beyond it, audited', async () => {
    const steward = await signedIn(c.people.stewardA);
    const form = await steward.get('/staff/notices/new');
    expect(form.status).toBe(200);
    expect(form.body).toContain('平房区/团结巷');
    expect(form.body).not.toContain('平房区/胜利巷');
    expect(form.body).not.toContain('全体居民');
    const forged = await compose(steward, laneNotice({ action: 'send', areas: [c.laneA, c.laneB] }));
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('周三停水通知');
    expect(await test.app.database.prisma.auditLog.count({ where: { actorId: c.people.stewardA.residentId, action: 'notice.send_area' } })).toBeGreaterThan(0);
    const everyone = await compose(steward, laneNotice({ action: 'preview', everyone: '1', areas: [] }));
    expect(everyone.status).toBe(403);
    // Another lane's notice is not in their list.
    const list = await steward.get('/staff/notices');
    expect(list.status).toBe(200);
  });

  it('answers bad input with words and a 4xx, never a 500', async () => {
    const chair = await signedIn(c.people.chair);
    await chair.get('/staff/notices/new');
    const cases: [Record<string, string | string[]>, number, string][] = [
      [laneNotice({ title: ' ' }), 400, '标题不能为空'],
      [laneNotice({ body: 'x'.repeat(8_001) }), 400, '正文不能为空，最多8000个字'],
      [laneNotice({ title: 'a\u0000b' }), 400, '表单内容有误'],
      [laneNotice({ areas: 'no-such-area' }), 403, '所选的区域或户组不存在'],
      [laneNotice({ areas: '18446744073709551616999' }), 403, '所选的区域或户组不存在'],
      [laneNotice({ areas: [], groups: 'x'.repeat(101) }), 400, '表单内容有误'],
      [laneNotice({ areas: [] }), 400, '请选择发给谁'],
      [laneNotice({ kind: 'poster' }), 400, '表单内容有误'],
      [laneNotice({ when: 'at', send_at: '2026-13-40T25:00' }), 400, '请填写有效的发送时间'],
    ];
    for (const [fields, status, words] of cases) {
      const response = await compose(chair, { action: 'preview', ...fields });
      expect(response.status, JSON.stringify(fields).slice(0, 80)).toBe(status);
      expect(response.body).toContain(words);
    }
    const other = await test.app.database.prisma.community.create({ data: { slug: 'other-notices', name: '别的小区' } });
    const foreign = await test.app.database.prisma.householdGroup.create({ data: { communityId: other.id, code: 'X-01' } });
    const foreignGroup = await compose(chair, laneNotice({ action: 'send', areas: [], groups: foreign.id }));
    expect(foreignGroup.status).toBe(403);
    expect((await compose(chair, laneNotice({ action: 'send' }), 'forged')).status).toBe(403);
    expect((await chair.get('/staff/notices/TZ-2026-99999')).status).toBe(404);
    expect((await chair.get(`/staff/notices/${encodeURIComponent('<script>')}`)).status).toBe(404);
  });

  it('refuses a file form from someone signed out before reading its body', async () => {
    const stranger = new StaffBrowser(test.app, '198.51.100.250');
    // Not even a form: were the body read first, this would be a 400 about the form.
    const garbage = Buffer.alloc(2 * 1024 * 1024, 0x41);
    const refused = await stranger.request('POST', '/staff/notices', garbage, { 'content-type': 'multipart/form-data; boundary=x' });
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('您还没有登录');
  });

  it('holds a notice sent in quiet hours, says until when, and cancels it', async () => {
    const prisma = test.app.database.prisma;
    await prisma.community.update({ where: { id: test.app.communityId }, data: { noticeSettings: { quietHours: { from: '00:00', to: '23:59' } } } });
    try {
      const chair = await signedIn(c.people.chair);
      await chair.get('/staff/notices/new');
      const sent = await compose(chair, laneNotice({ action: 'send', title: '夜间施工通知' }));
      expect(sent.status).toBe(303);
      if (!sent.location?.includes('done=held')) return; // 23:59 local: outside the quiet hours just set
      const page = await chair.get(sent.location);
      expect(page.body).toContain('现在是免打扰时段，通知将于以下时间发出：');
      expect(page.body).toContain('等待免打扰时段结束');
      const number = /\/staff\/notices\/([^?]+)/.exec(sent.location)![1]!;
      const cancelled = await chair.post(`/staff/notices/${number}/cancel`);
      expect(cancelled.status).toBe(303);
      expect((await chair.get(cancelled.location!)).body).toContain('已取消发送。');
      expect((await chair.post(`/staff/notices/${number}/cancel`)).status).toBe(409);
    } finally {
      await prisma.community.update({ where: { id: test.app.communityId }, data: { noticeSettings: NO_QUIET_HOURS } });
    }
  });

  it('reports a message the platform refused, retries it, and keeps another lane’s notice from a steward’s list', async () => {
    const prisma = test.app.database.prisma;
    const communityId = test.app.communityId;
    // A neighbour in 胜利巷 reachable only on a channel this app does not run: their message waits.
    const away = await prisma.resident.create({ data: { communityId, name: '冯先生', householdId: c.households.B2.id } });
    await prisma.chatAccount.create({ data: { communityId, channel: 'telegram', externalId: 'tg-feng', residentId: away.id, boundAt: new Date(Date.now() - 3_600_000) } });
    const chair = await signedIn(c.people.chair);
    await chair.get('/staff/notices/new');
    const sent = await compose(chair, { action: 'send', kind: 'alert', title: '胜利巷燃气泄漏', body: '请立即开窗，离开室内。', areas: c.laneB, via: 'private' });
    expect(sent.status).toBe(303);
    const number = /\/staff\/notices\/([^?]+)/.exec(sent.location!)![1]!;
    await waitFor(async () => (await chair.get(`/staff/notices/${number}`)).body.includes('发送中：已送达2/3，还有1条在路上'), 'two delivered');
    // The platform refuses the third (as a channel's send would report it).
    const notice = await prisma.notice.findFirstOrThrow({ where: { number } });
    await prisma.outboxMessage.updateMany({ where: { bulkSendId: notice.bulkSendId!, status: { not: 'sent' } }, data: { status: 'failed', failureKind: 'rejected' } });
    const page = await chair.get(`/staff/notices/${number}`);
    expect(page.body).toContain('已全部处理：送达2/3');
    expect(page.body).toMatch(/被平台拒收<\/dt><dd>1</);
    expect(page.body).toContain('重发失败的消息');
    expect(page.body).toContain(`href="/staff/alerts/${number}"`);
    const retried = await chair.post(`/staff/notices/${number}/retry`);
    expect(retried.status).toBe(303);
    expect((await chair.get(retried.location!)).body).toContain('已重发1条失败的消息。');
    expect(await prisma.auditLog.count({ where: { actorId: c.people.chair.residentId, action: 'notice.retry' } })).toBe(1);

    const steward = await signedIn(c.people.stewardA);
    const list = await steward.get('/staff/notices');
    expect(list.body).toContain('周三停水通知');
    expect(list.body).not.toContain('胜利巷燃气泄漏');
    expect((await steward.get(`/staff/notices/${number}`)).status).toBe(403);
    expect((await steward.post(`/staff/notices/${number}/retry`)).status).toBe(403);
  });

  it('schedules a notice for a time in the community’s zone and cancels it before it goes', async () => {
    const chair = await signedIn(c.people.chair);
    await chair.get('/staff/notices/new');
    const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const sent = await compose(chair, laneNotice({ action: 'send', title: '周五大扫除', when: 'at', send_at: `${tomorrow}T10:00` }));
    expect(sent.status).toBe(303);
    expect(sent.location).toContain('done=scheduled');
    const page = await chair.get(sent.location!);
    expect(page.body).toContain(`通知已定时，将于以下时间发出：${tomorrow} 10:00`);
    expect(page.body).toContain('定时发送');
    const number = /\/staff\/notices\/([^?]+)/.exec(sent.location!)![1]!;
    const notice = await test.app.database.prisma.notice.findFirstOrThrow({ where: { number } });
    expect(notice.sendAt?.toISOString()).toBe(new Date(`${tomorrow}T02:00:00Z`).toISOString());
    const cancelled = await chair.post(`/staff/notices/${number}/cancel`);
    expect(cancelled.status).toBe(303);
    expect((await test.app.database.prisma.notice.findFirstOrThrow({ where: { number } })).status).toBe('cancelled');
  });

  it('offers a saved audience to whoever could choose what it holds, and previews its counts', async () => {
    const prisma = test.app.database.prisma;
    const saved = await prisma.savedAudience.create({ data: { communityId: test.app.communityId, name: '胜利巷住户', audience: { areaIds: [c.laneB] } } });
    const chair = await signedIn(c.people.chair);
    expect((await chair.get('/staff/notices/new')).body).toContain('胜利巷住户');
    const preview = await compose(chair, laneNotice({ action: 'preview', areas: [], saved: saved.id }));
    expect(preview.status).toBe(200);
    // 孙立新 and 郑阿姨 (冯先生's only account is on a channel this app does not run: still his account).
    expect(preview.body).toContain('将发给3人（2户），0个群；联系不上0人');
    const steward = await signedIn(c.people.stewardA);
    expect((await steward.get('/staff/notices/new')).body).not.toContain('胜利巷住户');
    expect((await compose(steward, laneNotice({ action: 'preview', areas: [], saved: saved.id }))).status).toBe(403);
  });

  it('sends a file chosen on the form: kept across the preview, checked by its bytes, sent with the notice and shown on its page', async () => {
    const chair = await signedIn(c.people.chair);
    const form = await chair.get('/staff/notices/new');
    expect(form.body).toContain('enctype="multipart/form-data"');
    expect(form.body).toContain('name="file" type="file"');

    // A program renamed .pdf is refused in words, and nothing is drafted.
    const refused = await chair.postMultipart('/staff/notices', laneNotice({ action: 'preview', title: '收费标准' }), { file: { name: '收费标准.pdf', bytes: renamedProgram(), type: 'application/pdf' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('不是PDF、Word、Excel文档或照片');

    const xlsx = await sampleXlsx([['项目', '标准'], ['物业费', '10元/户/月']]);
    const preview = await chair.postMultipart('/staff/notices', laneNotice({ action: 'preview', title: '收费标准' }), { file: { name: '收费标准.xlsx', bytes: xlsx } });
    expect(preview.status).toBe(200);
    expect(preview.body).toContain('已附：');
    expect(preview.body).toContain('收费标准.xlsx');
    const kept = (field: string) => new RegExp(`name="${field}" value="([^"]*)"`).exec(preview.body)?.[1] ?? '';
    const keptFields = { attachment_ref: kept('attachment_ref'), attachment_name: kept('attachment_name'), attachment_link: kept('attachment_link').replace(/&amp;/g, '&') };
    expect(keptFields.attachment_ref).toMatch(/^files\/[a-f0-9]{32}\.xlsx$/);

    // A kept file whose address was not made for it (another file's name) is no attachment.
    const forged = await chair.postMultipart('/staff/notices', laneNotice({ action: 'send', title: '收费标准', ...keptFields, attachment_ref: 'files/0123456789abcdef0123456789abcdef.xlsx' }));
    expect(forged.status).toBe(400);

    const sent = await chair.postMultipart('/staff/notices', laneNotice({ action: 'send', title: '收费标准', ...keptFields }));
    expect(sent.status).toBe(303);
    const page = await chair.get(sent.location!);
    expect(page.body).toContain('收费标准.xlsx');
    const href = /class="notices-file" href="([^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    const download = await test.app.http.inject({ method: 'GET', url: href });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload).toEqual(xlsx);
    expect(download.headers['content-disposition']).toContain(encodeURIComponent('收费标准.xlsx'));
    // The same address with another name, or a changed signature: nothing.
    expect((await test.app.http.inject({ method: 'GET', url: href.replace(encodeURIComponent('收费标准.xlsx'), 'other.xlsx') })).statusCode).toBe(404);

    // Each web chat of the lane gets the notice with the file.
    const received = await waitFor(async () => (await c.people.wang.web.received()).find((m) => m.document?.name === '收费标准.xlsx'), 'the file in 王师傅’s chat');
    expect(received.text).toContain('收费标准');
  });

  it('saves the chosen audience as a named list, chosen on the form at once, and offers it afterwards', async () => {
    const chair = await signedIn(c.people.chair);
    const saved = await compose(chair, laneNotice({ action: 'save_audience', title: '', body: '', save_as: '团结巷全体' }));
    expect(saved.status).toBe(200);
    expect(saved.body).toContain('已存为常用名单“团结巷全体”');
    const row = await test.app.database.prisma.savedAudience.findFirstOrThrow({ where: { name: '团结巷全体' } });
    expect(row.audience).toEqual({ areaIds: [c.laneA] });
    expect(saved.body).toContain(`<option value="${row.id}" selected>团结巷全体</option>`);
    expect(await test.app.database.prisma.auditLog.count({ where: { action: 'notice.save_audience', subjectId: row.id } })).toBe(1);
    // Chosen later, it reaches the lane.
    const preview = await compose(chair, laneNotice({ action: 'preview', areas: [], saved: row.id }));
    expect(preview.body).toContain('将发给6人（5户）');
    // A name is needed; a steward of another lane cannot save this lane's residents.
    expect((await compose(chair, laneNotice({ action: 'save_audience', save_as: ' ' }))).status).toBe(400);
    const stewardB = await signedIn(c.people.stewardB);
    expect((await compose(stewardB, laneNotice({ action: 'save_audience', save_as: '别人的巷子' }))).status).toBe(403);
  });
});
