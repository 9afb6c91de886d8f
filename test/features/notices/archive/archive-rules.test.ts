/**
 * The archive's pure rules: which words of a question are searched for (question words dropped,
 * Chinese cut into two-character pieces, English words kept), how notices are ranked, and when a
 * plain notice leaves the archive (at exactly `archiveDays`) while disclosures and alerts never do.
 */
import { describe, expect, it } from 'vitest';
import { archiveExpiry, archiveSentAfter, isInArchive } from '../../../../src/features/notices/archive/rules/archive-expiry.js';
import { rankNotices } from '../../../../src/features/notices/archive/rules/search-rank.js';
import { searchTerms } from '../../../../src/features/notices/archive/rules/search-terms.js';
import { needsMark, titleIsMarked } from '../../../../src/features/notices/archive/rules/notice-marks.js';
import { noticeIn, noticeSearchText } from '../../../../src/features/notices/archive/notice-search-text.js';

const DAY = 86_400_000;

describe('search terms', () => {
  it.each([
    ['什么时候停水？', ['停水']],
    ['停电', ['停电']],
    ['暖气什么时候来', ['暖气']],
    ['垃圾分类', ['垃圾', '圾分', '分类']],
    ['水费吗', ['水费']],
    ['ＷＡＴＥＲ cut?', ['water', 'cut']],
    ['When is the elevator repaired?', ['elevator', 'repaired']],
    ['什么时候？', []],
    ['电', ['电']],
  ])('%s → %j', (query, terms) => {
    expect(searchTerms(query)).toEqual(terms);
  });
});

describe('ranking', () => {
  const at = new Date('2026-12-01T00:00:00Z');
  const notice = (id: string, title: string, body: string, daysOld = 0) => ({ id, titles: [title], searchText: noticeSearchText({ title, body }), sentAt: new Date(at.getTime() - daysOld * DAY) });

  it('a term in the title counts more than one in the body', () => {
    const ranked = rankNotices(['电梯'], [notice('power', '停电通知', '电梯暂停运行'), notice('lift', '电梯维修', '停运四小时', 5)], 10);
    expect(ranked.map((r) => r.id)).toEqual(['lift', 'power']);
  });

  it('a notice holding less than half of what was asked is no answer', () => {
    const ranked = rankNotices(['停水', '管网', '改造'], [notice('cut', '停水通知', '管网改造'), notice('fee', '水费', '停水后缴费')], 10);
    expect(ranked.map((r) => r.id)).toEqual(['cut']);
  });

  it('equal answers: the newer first', () => {
    const ranked = rankNotices(['基金'], [notice('old', '基金10月', '收支', 30), notice('new', '基金11月', '收支')], 10);
    expect(ranked.map((r) => r.id)).toEqual(['new', 'old']);
  });
});

describe('archive expiry', () => {
  const sentAt = new Date('2026-01-01T00:00:00Z');
  const plain = { kind: 'notice', sentAt, expiresAt: null };

  it('a plain notice is in the archive until exactly archiveDays after it was sent', () => {
    expect(isInArchive(plain, new Date(sentAt.getTime() + 365 * DAY - 1), 365)).toBe(true);
    expect(isInArchive(plain, new Date(sentAt.getTime() + 365 * DAY), 365)).toBe(false);
    expect(archiveExpiry('notice', sentAt, 365)).toEqual(new Date(sentAt.getTime() + 365 * DAY));
    expect(archiveSentAfter(new Date(sentAt.getTime() + 365 * DAY), 365)).toEqual(sentAt);
  });

  it('disclosures and alerts never leave it; archiveDays null keeps plain notices too', () => {
    for (const kind of ['disclosure', 'alert']) {
      expect(isInArchive({ kind, sentAt, expiresAt: null }, new Date(sentAt.getTime() + 3650 * DAY), 1)).toBe(true);
      expect(archiveExpiry(kind, sentAt, 1)).toBeNull();
    }
    expect(isInArchive(plain, new Date(sentAt.getTime() + 3650 * DAY), null)).toBe(true);
    expect(archiveExpiry('notice', sentAt, null)).toBeNull();
  });

  it("a notice's own earlier expiry ends it at that instant", () => {
    const expiresAt = new Date(sentAt.getTime() + DAY);
    expect(isInArchive({ ...plain, expiresAt }, new Date(expiresAt.getTime() - 1), 365)).toBe(true);
    expect(isInArchive({ ...plain, expiresAt }, expiresAt, 365)).toBe(false);
  });
});

describe('search text and versions', () => {
  const notice = { locale: 'zh-CN', title: '元旦联欢会', body: '欢迎报名', versions: { en: { title: 'New Year Party', body: 'Welcome' }, fr: 'broken' } };

  it('holds every version, folded to lower case', () => {
    expect(noticeSearchText(notice)).toBe('元旦联欢会\n欢迎报名\nnew year party\nwelcome');
  });

  it("shows the person's language when there is a version, else the notice's own", () => {
    expect(noticeIn(notice, 'en').title).toBe('New Year Party');
    expect(noticeIn(notice, 'fr').title).toBe('元旦联欢会');
    expect(noticeIn(notice, 'zh-CN').title).toBe('元旦联欢会');
  });
});

describe('marks', () => {
  it('marks a disclosure and an alert everywhere, a plain notice only in full', () => {
    expect(needsMark('disclosure', '物业基金11月收支', 'list')).toBe(true);
    expect(needsMark('alert', '暴雨预警', 'list')).toBe(true);
    expect(needsMark('notice', '停水通知', 'list')).toBe(false);
    expect(needsMark('notice', '停水通知', 'full')).toBe(true);
  });

  it('never marks a title twice', () => {
    expect(titleIsMarked('【居务公开】平房区物业基金2026年11月收支')).toBe(true);
    expect(titleIsMarked('[Public accounts] property fund, 11/2026')).toBe(true);
    expect(titleIsMarked('停水通知【重要】')).toBe(false);
    expect(needsMark('disclosure', '【居务公开】平房区物业基金2026年11月收支', 'full')).toBe(false);
  });
});
