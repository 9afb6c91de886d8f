/**
 * The binding requests pages as markup: what a person typed is escaped, the masked phone and the
 * local time are shown, the likely household can be approved in one press, a steward is not
 * offered a reject, the roster search opens the request's page, every POST form carries the CSRF
 * field, and the markup is clean for a strict Content-Security-Policy and an accessibility check.
 */
import { describe, expect, it } from 'vitest';
import { pageNumber } from '../../../src/staff-web/people/paging.js';
import { requestNumber, requestStatusFilter, type RequestList, type RequestListItem } from '../../../src/staff-web/requests/list-requests.js';
import { decisionNotice, requestsListView, requestView } from '../../../src/staff-web/requests/requests-view.js';
import type { PersonActor } from '../../../src/staff-web/shell/viewer.js';
import { NOW, viewContext } from '../people/fixture.js';
import { markupProblems } from '../people/markup.js';

const actor: PersonActor = { kind: 'person', residentId: 'r-staff', communityId: 'c-1', householdId: null, headOfGroupId: null, roles: [{ role: 'committee', areaId: null, skills: [] }] };
const zh = viewContext(actor);
const en = viewContext(actor, 'en', 'token-en');

const request = (over: Partial<RequestListItem>): RequestListItem => ({
  number: 17,
  name: '<img src=x onerror=alert(1)>',
  address: '团结巷1号院 "东屋"',
  maskedPhone: '138****5678',
  channel: 'web',
  filedAt: NOW,
  status: 'pending',
  decidedAt: null,
  likely: { residentId: 'r-1', householdCode: 'H-101', address: '团结巷1号院', areaId: 'a-1', areaPath: '平房区/团结巷' },
  ...over,
});

const list = (requests: RequestListItem[], over: Partial<RequestList> = {}): RequestList => ({
  status: 'pending',
  requests,
  paging: { page: 1, pageSize: 50, total: requests.length, pages: 1 },
  mayDecide: true,
  mayReject: true,
  ...over,
});

describe('the binding requests list', () => {
  it('shows each request escaped, with the likely household to approve into, reject, and a roster search', () => {
    const page = String(requestsListView({ list: list([request({}), request({ number: 18, likely: null, channel: 'wechat' })]) }, zh));
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img');
    expect(page).toContain('团结巷1号院 &quot;东屋&quot;');
    expect(page).toContain('138****5678');
    expect(page).toContain('网页聊天');
    expect(page).toContain('<time datetime="2026-03-15T04:00:00.000Z">2026-03-15 12:00</time>');
    expect(page).toContain('<form method="post" action="/staff/requests/17/approve">');
    expect(page).toContain('<input type="hidden" name="household" value="H-101">');
    expect(page).toContain('通过，绑定到住户H-101');
    expect(page).not.toContain('action="/staff/requests/18/approve"');
    expect(page).toContain('名册中没有同名同手机号的人');
    expect(page).toContain('<form method="post" action="/staff/requests/18/reject">');
    expect(page).toContain('<form method="post" action="/staff/requests/18/phone">');
    expect(page).toContain('<form class="requests-search" method="get" action="/staff/requests/18" role="search">');
    expect(page).toContain('显示第1–2条，共2条');
    expect(markupProblems(page, zh.csrfToken)).toEqual([]);
  });

  it('offers a steward no reject, and says when the viewer decides nothing', () => {
    const page = String(requestsListView({ list: list([request({})], { mayReject: false }) }, en));
    expect(page).not.toContain('/reject');
    expect(page).toContain('Approve into household H-101');
    expect(markupProblems(page, en.csrfToken)).toEqual([]);
    expect(String(requestsListView({ list: list([], { mayDecide: false, mayReject: false }) }, zh))).toContain('您目前不能处理绑定申请');
  });

  it('shows decided requests without forms', () => {
    const page = String(requestsListView({ list: list([request({ status: 'rejected', decidedAt: NOW })], { status: 'decided' }) }, zh));
    expect(page).toContain('已拒绝 <time');
    expect(page).not.toContain('method="post"');
    expect(page).toContain('<option value="decided" selected>');
  });
});

describe('a request’s page with its roster search', () => {
  it('lists the households found, members masked, with an approve button where the viewer may approve', () => {
    const page = String(
      requestView(
        {
          number: 17,
          found: { status: 'found', request: request({}), mayReject: true },
          search: {
            status: 'found',
            q: '1234',
            paging: { page: 1, pageSize: 50, total: 2, pages: 1 },
            households: [
              { code: 'H-101', address: '团结巷1号院', areaPath: '平房区/团结巷', members: [{ maskedName: '张**', phoneEnding: '1234' }], mayApprove: true },
              { code: 'H-201', address: '胜利巷8号', areaPath: '平房区/胜利巷', members: [{ maskedName: '李*', phoneEnding: '1234' }], mayApprove: false },
            ],
          },
          notice: decisionNotice(17, { status: 'household_required' }, zh),
        },
        zh,
      ),
    );
    expect(page).toContain('<h1>申请17号</h1>');
    expect(page).toContain('与“1234”相符的住户');
    expect(page).toContain('张** 尾号1234');
    expect(page.match(/name="household" value="H-101"/g)).toHaveLength(2);
    expect(page).not.toContain('value="H-201"');
    expect(page).toContain('这不在您负责的片区内');
    expect(page).toContain('请先查找住户');
    expect(markupProblems(page, zh.csrfToken)).toEqual([]);
  });

  it('says a two-digit search is too short, and that an unknown request is not found', () => {
    const tooShort = String(requestView({ number: 17, found: { status: 'found', request: request({}), mayReject: false }, search: { status: 'too_short', q: '12', minDigits: 3 } }, en));
    expect(tooShort).toContain('type at least 3');
    expect(String(requestView({ number: 99, found: { status: 'not_found' }, search: null }, en))).toContain('There is no request 99');
  });

  it('says what each decision did', () => {
    expect(String(decisionNotice(17, { status: 'approved', residentId: 'r', createdResident: false, householdId: 'h' }, en))).toContain('Request 17 was approved; the person has been told.');
    expect(String(decisionNotice(17, { status: 'denied', reason: 'outside_your_area' }, zh))).toContain('这不在您负责的片区内');
    expect(String(decisionNotice(17, { status: 'already_decided', decision: 'rejected' }, zh))).toContain('17号申请已经拒绝');
    expect(String(decisionNotice(17, { status: 'household_not_found' }, en, '<H>'))).toContain('There is no household with code &lt;H&gt;.');
  });
});

describe('what the address says', () => {
  it('reads the filter and a request number, anything odd as the default or nothing', () => {
    expect([requestStatusFilter('decided'), requestStatusFilter('all'), requestStatusFilter('<x>'), requestStatusFilter(undefined)]).toEqual(['decided', 'all', 'pending', 'pending']);
    expect([requestNumber('17'), requestNumber('0'), requestNumber('17a'), requestNumber('-1'), requestNumber('1e3')]).toEqual([17, null, null, null, null]);
    expect([pageNumber('2'), pageNumber('0'), pageNumber('x'), pageNumber(undefined), pageNumber(3)]).toEqual([2, 1, 1, 1, 3]);
  });
});
