/**
 * The people pages as markup: what staff read (names, masked phones, flags, channels, times in
 * the community's zone, "showing N of M"), that whatever a person or the office typed is escaped,
 * that every POST form carries the CSRF field, and that the markup is clean for a strict
 * Content-Security-Policy and an accessibility check.
 */
import { describe, expect, it } from 'vitest';
import { issuedCodeView } from '../../../src/staff-web/people/code-view.js';
import { householdView, revealedPhoneNotice } from '../../../src/staff-web/people/household-view.js';
import type { HouseholdDetail } from '../../../src/staff-web/people/load-household.js';
import { peopleSearchView } from '../../../src/staff-web/people/search-view.js';
import { addTermNotice, staffView, termChangeNotice } from '../../../src/staff-web/people/staff-view.js';
import type { StaffTerm } from '../../../src/staff-web/people/staff-terms.js';
import type { PersonActor } from '../../../src/staff-web/shell/viewer.js';
import { NOW, viewContext } from './fixture.js';
import { markupProblems } from './markup.js';

const actor: PersonActor = { kind: 'person', residentId: 'r-staff', communityId: 'c-1', householdId: null, headOfGroupId: null, roles: [{ role: 'admin', areaId: null, skills: [] }] };
const zh = viewContext(actor);
const en = viewContext(actor, 'en', 'token-en');

const household: HouseholdDetail = {
  code: 'H-<101>',
  address: '团结巷1号院 <b>东</b>',
  areaPath: '平房区/团结巷',
  flags: ['elderly', 'low_income'],
  group: { code: 'G01', head: { name: '张三丰', householdCode: 'H-<101>' } },
  members: [
    {
      residentId: 'r-1',
      name: '张三丰<script>',
      maskedPhone: '138****1234',
      accounts: [{ channel: 'telegram', since: new Date('2026-03-10T17:00:00Z') }],
      roles: [{ role: 'patrol', areaPath: '平房区/团结巷', skills: [] }],
      isGroupHead: true,
      mayRevealPhone: true,
    },
    { residentId: 'r-2', name: '张小丰', maskedPhone: null, accounts: [], roles: [], isGroupHead: false, mayRevealPhone: false },
  ],
  canIssueCode: true,
};

describe('the roster search page', () => {
  it('shows households as cards with masked phones and says how many there are', () => {
    const page = String(
      peopleSearchView(
        {
          status: 'found',
          q: '团结"巷',
          paging: { page: 2, pageSize: 50, total: 60, pages: 2 },
          households: [{ code: 'H-101', address: '团结巷1号院', areaPath: '平房区/团结巷', flags: ['elderly'], members: [{ name: '张三丰', maskedPhone: '138****1234' }] }],
        },
        zh,
      ),
    );
    expect(page).toContain('显示第51–60条，共60条');
    expect(page).toContain('<a rel="prev" href="/staff/people?q=%E5%9B%A2%E7%BB%93%22%E5%B7%B7&amp;page=1">上一页</a>');
    expect(page).not.toContain('rel="next"');
    expect(page).toContain('value="团结&quot;巷"');
    expect(page).toContain('<a href="/staff/households/H-101">H-101</a>');
    expect(page).toContain('138****1234');
    expect(page).toContain('高龄');
    expect(markupProblems(page, zh.csrfToken)).toEqual([]);
  });

  it('says a two-digit query is too short, and what to type when nothing is', () => {
    expect(String(peopleSearchView({ status: 'too_short', q: '12', minDigits: 3 }, zh))).toContain('至少输入3位');
    expect(String(peopleSearchView({ status: 'empty', q: '' }, en))).toContain('last digits to find a household');
    expect(String(peopleSearchView({ status: 'found', q: '<x>', households: [], paging: { page: 1, pageSize: 50, total: 0, pages: 1 } }, en))).toContain('No household matches “&lt;x&gt;”.');
  });
});

describe('the household page', () => {
  it('shows the facts, members with bound channels since a local day, roles, and code forms with _csrf', () => {
    const page = String(householdView({ status: 'found', household }, zh, 'H-<101>'));
    expect(page).toContain('<h1>住户H-&lt;101&gt;</h1>');
    expect(page).toContain('团结巷1号院 &lt;b&gt;东&lt;/b&gt;');
    expect(page).toContain('张三丰&lt;script&gt;');
    expect(page).toContain('高龄、低保');
    // 17:00 UTC is the next day in Shanghai.
    expect(page).toContain('Telegram 绑定于 <time datetime="2026-03-11">2026-03-11</time>');
    expect(page).toContain('治安巡防队员 · 平房区/团结巷');
    expect(page).toContain('未登记手机');
    expect(page).toContain('action="/staff/households/H-%3C101%3E/code"');
    expect(page).toContain('action="/staff/people/r-1/code"');
    expect(page).toContain('action="/staff/people/r-1/phone"');
    expect(page).not.toContain('action="/staff/people/r-2/phone"');
    expect(markupProblems(page, zh.csrfToken)).toEqual([]);
  });

  it('has no code forms for staff who may not hand out codes there, and explains a refusal', () => {
    const page = String(householdView({ status: 'found', household: { ...household, canIssueCode: false } }, en, 'H-1'));
    expect(page).not.toContain('/code"');
    expect(String(householdView({ status: 'denied', reason: 'outside_your_area' }, zh, 'H-9'))).toContain('这不在您负责的片区内');
    expect(String(householdView({ status: 'not_found' }, en, '<H>'))).toContain('There is no household with code &lt;H&gt;.');
  });
});

describe('a phone number revealed', () => {
  it('shows the full number to call, or why not', () => {
    expect(String(revealedPhoneNotice({ ok: true, phone: '13800001234' }, '张<三>', zh))).toContain('张&lt;三&gt;的手机号（已记入审计日志）： <a class="people-phone-full" href="tel:13800001234">13800001234</a>');
    expect(String(revealedPhoneNotice({ ok: false, reason: 'outside_your_area' }, '张三', en))).toContain('role="alert"');
    expect(String(revealedPhoneNotice({ ok: true, phone: null }, '张三', en))).toContain('张三 has no phone number on record.');
  });
});

describe('a binding code shown once', () => {
  it('shows the code as text beside its QR code, until when, and that it is shown only this once', () => {
    const page = String(
      issuedCodeView(
        {
          issued: { status: 'issued', code: 'ABCD-EFGH', expiresAt: new Date('2026-03-22T04:00:00Z'), forHousehold: 'H-101', forPerson: null },
          qrSvg: '<svg class="people-qr" aria-hidden="true"></svg>',
        },
        zh,
      ),
    );
    expect(page).toContain('<strong class="people-code-text" lang="en">ABCD-EFGH</strong>');
    expect(page).toContain('<svg class="people-qr" aria-hidden="true"></svg>');
    expect(page).toContain('只显示这一次');
    expect(page).toContain('<time datetime="2026-03-22T04:00:00.000Z">2026-03-22 12:00</time>');
    expect(markupProblems(page, zh.csrfToken)).toEqual([]);
    const forPerson = String(issuedCodeView({ issued: { status: 'issued', code: 'ABCD-EFGH', expiresAt: NOW, forHousehold: null, forPerson: '<李四>' } }, en));
    expect(forPerson).toContain('For &lt;李四&gt; in person.');
  });
});

describe('the staff page', () => {
  const term = (over: Partial<StaffTerm>): StaffTerm => ({
    assignmentId: 'a-1',
    residentId: 'r-1',
    name: '孙片长',
    maskedPhone: null,
    householdCode: null,
    role: 'steward',
    areaPath: '平房区/团结巷',
    skills: [],
    startsOn: new Date('2026-03-01T02:00:00Z'),
    endsOn: null,
    state: 'current',
    ...over,
  });

  it('lists terms with their dates, marks ended ones, and has forms with _csrf for every change', () => {
    const page = String(
      staffView(
        {
          includeEnded: true,
          list: {
            status: 'listed',
            terms: [
              term({}),
              term({ assignmentId: 'a-2', name: '王<五>', role: 'service_team', areaPath: null, skills: ['plumbing', 'heating'], endsOn: new Date('2027-06-30T15:59:59.999Z') }),
              term({ assignmentId: 'a-3', name: '赵管理', role: 'admin', areaPath: null, endsOn: new Date('2026-03-15T03:59:59.999Z'), state: 'ended' }),
            ],
          },
          notice: termChangeNotice({ status: 'last_admin' }, zh),
        },
        zh,
      ),
    );
    expect(page).toContain('不能结束最后一位管理员的任期');
    expect(page).toContain('共3项任期');
    expect(page).toContain('<time datetime="2026-03-01">2026-03-01</time> – 不限期');
    expect(page).toContain('水暖、供暖');
    expect(page).toContain('王&lt;五&gt;');
    expect(page).toContain('value="2027-06-30"');
    expect(page).toContain('已结束');
    expect(page).toContain('name="ended" type="checkbox" value="1" checked');
    // Forms to change and end each term not over (two of three), and the add form.
    expect(page.match(/action="\/staff\/team\/a-\d\/ends"/g)).toEqual(['action="/staff/team/a-1/ends"', 'action="/staff/team/a-2/ends"']);
    expect(page.match(/action="\/staff\/team\/a-\d\/end"/g)).toHaveLength(2);
    expect(page).toContain('<form class="people-add-form" method="post" action="/staff/team">');
    expect(markupProblems(page, zh.csrfToken)).toEqual([]);
  });

  it('says what a change did, and shows a new staff member’s code once', () => {
    const added = String(
      addTermNotice(
        {
          status: 'added',
          result: { status: 'created', residentId: 'r-9', assignmentId: 'a-9', newPerson: true, householdCode: null, endsOn: null, invite: { code: 'WXYZ-2345', expiresAt: NOW } },
        },
        en,
      ),
    );
    expect(added).toContain('The role was given.');
    expect(added).toContain('WXYZ-2345');
    expect(added).toContain('shown only once');
    expect(String(addTermNotice({ status: 'invalid', problem: { code: 'area_required', role: 'steward' } }, zh))).toContain('包片干部需要填写负责的片区');
    expect(String(addTermNotice({ status: 'lookup_failed', problem: { code: 'ambiguous_person', name: '王芳', count: 2 } }, zh))).toContain('有2位同名居民');
    expect(String(termChangeNotice({ status: 'changed', endsOn: new Date('2027-06-30T15:59:59.999Z') }, zh))).toContain('2027-06-30');
    expect(String(termChangeNotice({ status: 'changed', endsOn: new Date(NOW.getTime() - 1) }, en))).toContain('The term has ended.');
    expect(String(staffView({ includeEnded: false, list: { status: 'denied', reason: 'role_required' } }, zh))).toContain('您目前的职务不能办理这件事');
  });
});

describe('the markup check itself', () => {
  it('sees a form without the CSRF field, inline code and style, a field without label and a skipped heading', () => {
    const bad = '<h1>x</h1><h3>y</h3><form method="post" action="/x"><input id="a" name="a"><button type="submit"></button></form><p style="color:red" onclick="f()">z</p><script>1</script>';
    expect(markupProblems(bad, 't')).toEqual([
      'POST form 1 has no _csrf field: <form method="post" action="/x">',
      'inline script',
      'inline style attribute',
      'inline event handler',
      'field without label: <input id="a" name="a">',
      'button without text',
      'heading h3 after h1',
    ]);
  });
});
