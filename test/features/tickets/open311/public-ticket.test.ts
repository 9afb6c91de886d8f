import { describe, expect, it } from 'vitest';
import { anonymise, isPublished, publicStatus, type AnonymiseOptions, type TicketForStaff } from '../../../../src/features/tickets/open311/public-ticket.js';
import { DEFAULT_CATEGORIES } from '../../../../src/features/tickets/rules/categories.js';

const category = (code: string) => DEFAULT_CATEGORIES.find((c) => c.code === code)!;
const created = new Date('2026-01-05T09:00:00+08:00');

const staffView: TicketForStaff = {
  number: 'MQ-2026-00123',
  status: 'in_progress',
  category: category('environment_sanitation'),
  description: '3号院门口垃圾三天没清了，我电话13812345678',
  reporter: { name: '王秀英', phone: '13812345678' },
  householdAddress: '团结巷3号院5号',
  anonymous: false,
  publishText: true,
  areaPath: '平房区/团结巷/3号院',
  place: { kind: 'home' },
  photoUrls: ['https://linli.example/media/abc.jpg', 'https://linli.example/media/def.jpg'],
  createdAt: created,
  updatedAt: new Date('2026-01-05T10:00:00+08:00'),
  publicResolutionDue: new Date('2026-01-12T09:00:00+08:00'),
  mergedIntoNumber: null,
};

const options: AnonymiseOptions = { serviceName: (code) => `name:${code}`, agencyResponsible: '团结社区居委会' };

describe('anonymise', () => {
  it('an anonymous report shows the area path only: no name, phone, address, words, photo or point', () => {
    const shown = anonymise({ ...staffView, anonymous: true, place: { kind: 'point', lat: 39.912345, long: 116.398765, text: '我家门口' } }, options)!;
    expect(shown).toEqual({
      serviceRequestId: 'MQ-2026-00123',
      status: 'open',
      statusNotes: null,
      serviceCode: 'environment_sanitation',
      serviceName: 'name:environment_sanitation',
      description: null,
      agencyResponsible: '团结社区居委会',
      serviceNotice: null,
      requestedAt: created,
      updatedAt: staffView.updatedAt,
      expectedAt: staffView.publicResolutionDue,
      address: '平房区/团结巷',
      lat: null,
      long: null,
      mediaUrl: null,
    });
    const json = JSON.stringify(shown);
    for (const secret of ['王秀英', '13812345678', '团结巷3号院5号', '3号院', '我家门口', '39.9']) expect(json).not.toContain(secret);
  });

  it('a named report about the reporter’s home still shows only the area, never the household address or name', () => {
    const shown = anonymise(staffView, options)!;
    expect(shown.address).toBe('平房区/团结巷');
    expect(shown.description).toBe('3号院门口垃圾三天没清了，我电话***');
    expect(shown.mediaUrl).toBe('https://linli.example/media/abc.jpg');
    const json = JSON.stringify(shown);
    expect(json).not.toContain('王秀英');
    expect(json).not.toContain('13812345678');
    expect(json).not.toContain('团结巷3号院5号');
  });

  it('a named report about another place shows that place, numbers masked, coordinates rounded to ~100 m', () => {
    const shown = anonymise({ ...staffView, place: { kind: 'point', lat: 39.912345, long: 116.398765, text: '东门路灯 联系 010-12345678' } }, options)!;
    expect(shown).toMatchObject({ address: '东门路灯 联系 ***', lat: 39.912, long: 116.399 });
    expect(anonymise({ ...staffView, place: { kind: 'described', text: '东门路灯' } }, options)!).toMatchObject({ address: '东门路灯', lat: null, long: null });
    expect(anonymise({ ...staffView, place: { kind: 'point', lat: 39.9, long: 116.4 } }, options)!).toMatchObject({ address: '平房区/团结巷', lat: 39.9, long: 116.4 });
  });

  it('publishes no words and no typed place unless the resident agreed or staff released them', () => {
    const resident = { ...staffView, description: '我是张秀兰…请回电 139.0013.9000', place: { kind: 'described', text: '张秀兰家楼下' } } as const;
    const unasked = anonymise({ ...resident, publishText: false }, options)!;
    expect(unasked).toMatchObject({ serviceCode: 'environment_sanitation', description: null, address: '平房区/团结巷' });
    expect(JSON.stringify(unasked)).not.toMatch(/张秀兰|0013/);
    expect(anonymise({ ...resident, publishText: true }, options)!).toMatchObject({ description: '我是张秀兰…请回电 ***', address: '张秀兰家楼下' });
    // Anonymous wins over an agreement.
    expect(anonymise({ ...resident, publishText: true, anonymous: true }, options)!).toMatchObject({ description: null, address: '平房区/团结巷' });
  });

  it('publishes the area to the configured depth', () => {
    expect(anonymise(staffView, { ...options, publicAreaDepth: 1 })!.address).toBe('平房区');
    expect(anonymise(staffView, { ...options, publicAreaDepth: 3 })!.address).toBe('平房区/团结巷/3号院');
    expect(anonymise({ ...staffView, areaPath: '' }, options)!.address).toBeNull();
  });

  it('does not publish withdrawn tickets or categories not listed publicly', () => {
    expect(anonymise({ ...staffView, status: 'withdrawn' }, options)).toBeNull();
    expect(anonymise({ ...staffView, category: category('neighbour_dispute') }, options)).toBeNull();
    expect(isPublished({ status: 'merged', category: category('public_security') })).toBe(true);
  });

  it('maps statuses to open / closed and lets the caller word the note', () => {
    expect(['new', 'in_progress', 'resolved', 'closed', 'withdrawn', 'merged'].map((s) => publicStatus(s as never))).toEqual(['open', 'open', 'closed', 'closed', 'closed', 'closed']);
    const merged = anonymise({ ...staffView, status: 'merged', mergedIntoNumber: 'MQ-2026-00120' }, { ...options, statusNotes: (status, into) => (status === 'merged' ? `并入 ${into}` : null) })!;
    expect(merged).toMatchObject({ status: 'closed', statusNotes: '并入 MQ-2026-00120' });
  });
});
