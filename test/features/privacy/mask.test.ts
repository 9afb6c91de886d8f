/** Masked names and phones as staff lists show them. */
import { describe, expect, it } from 'vitest';
import { hideNumbersIn, maskName, maskPerson, maskPhone } from '../../../src/features/privacy/mask.js';

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['138 1234 5678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['+86 138 1234 5678', '+86 138****5678'],
    ['008613812345678', '+86 138****5678'],
    ['8613812345678', '+86 138****5678'],
    ['139.0013.9000', '139****9000'],
    ['１３９００１３９０００', '139****9000'],
    ['＋８６ １３９－００１３－９０００', '+86 139****9000'],
  ])('masks the mobile number %s as %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it.each([
    ['01062345678', '010****5678'],
    ['010-6234-5678', '010****5678'],
    ['02187654321', '021****4321'],
    ['09914567890', '0991***7890'],
    ['0991-4567890', '0991***7890'],
    ['075512345678', '0755****5678'],
    ['(010) 6234 5678', '010****5678'],
    ['（０２１）８７６５．４３２１', '021****4321'],
  ])('keeps the area code of the landline %s: %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it.each([
    ['62345678', '****5678'],
    ['4567890', '***7890'],
    ['123456789012345', '*************45'],
    ['12345', '***45'],
    ['1234', '****'],
    ['', ''],
  ])('shows little of anything else: %s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it('never shows more than seven of eleven mobile digits, and never the middle four', () => {
    for (const phone of ['13800000000', '19999999999', '15011112222']) {
      const masked = maskPhone(phone);
      expect(masked.replace(/\*/g, '')).toHaveLength(7);
      expect(masked.slice(3, 7)).toBe('****');
    }
  });
});

describe('maskName', () => {
  it.each([
    ['张三丰', '张**'],
    ['张三', '张*'],
    ['张', '*'],
    ['欧阳娜娜', '欧阳**'],
    ['欧阳', '欧*'],
    ['司马相如', '司马**'],
    ['买买提·艾力', '买**·**'],
    ['Anna Lee', 'A*** ***'],
    ['  李四  ', '李*'],
    ['', ''],
    ['𠀋一', '𠀋*'],
  ])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});

describe('maskPerson', () => {
  it('masks both and keeps a missing phone missing', () => {
    expect(maskPerson({ name: '王五', phone: '13700002222' })).toEqual({ name: '王*', phone: '137****2222' });
    expect(maskPerson({ name: '王五', phone: null })).toEqual({ name: '王*', phone: null });
  });
});

describe('hideNumbersIn', () => {
  it.each([
    ['13812345678', '***'],
    ['138 1234 5678', '***'],
    ['138-1234-5678', '***'],
    ['139.0013.9000', '***'],
    ['139 - 0013 - 9000', '***'],
    ['139_0013_9000', '***'],
    ['139/0013/9000', '***'],
    ['１３８１２３４５６７８', '***'],
    ['１３９．００１３．９０００', '***'],
    ['１３９－００１３－９０００', '***'],
    ['１３９　００１３　９０００', '***'],
    ['+86 139 0013 9000', '***'],
    ['＋８６－１３９００１３９０００', '***'],
    ['+86-10-6234-5678', '***'],
    ['0086 13900139000', '***'],
    ['010-62345678', '***'],
    ['(010) 6234 5678', '***'],
    ['（0991）4567890', '***'],
    ['0755 1234 5678', '***'],
    ['6234 5678', '***'],
    ['身份证110101199003071234', '身份证***'],
    ['11010119900307123X', '***'],
  ])('hides %s', (input, expected) => {
    expect(hideNumbersIn(input)).toBe(expected);
  });

  it.each([
    ['3号院5号', '3号院5号'],
    ['3栋2单元1201', '3栋2单元1201'],
    ['2026年1月5日', '2026年1月5日'],
    ['2026-01-05 起就坏了', '2026-01-05 起就坏了'],
    ['2026.1.5', '2026.1.5'],
    ['同 MQ-2026-00123', '同 MQ-2026-00123'],
    ['123456', '123456'],
  ])('leaves %s as it is', (input, expected) => {
    expect(hideNumbersIn(input)).toBe(expected);
  });

  it('hides the number in what a resident really wrote, keeping the words around it', () => {
    expect(hideNumbersIn('我是张秀兰，楼道灯坏了，请回电 139.0013.9000 谢谢')).toBe('我是张秀兰，楼道灯坏了，请回电 *** 谢谢');
    expect(hideNumbersIn('座机（010）6234-5678或手机+86 139 0013 9000')).toBe('座机***或手机***');
  });
});
