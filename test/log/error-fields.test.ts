/** An error in a log line keeps its name, code and first line, never what Prisma prints after it. */
import { describe, expect, it } from 'vitest';
import { errorFields } from '../../src/log/error-fields.js';

describe('errorFields', () => {
  it('keeps name, code and the first line of a validation error, not the arguments it echoes', () => {
    const error = Object.assign(new Error('Invalid `prisma.ticket.create()` invocation:\n\n{ data: { description: "我是张秀兰，请回电 13900139000" } }'), {
      name: 'PrismaClientValidationError',
      code: 'P2009',
    });
    const fields = errorFields(error);
    expect(fields).toEqual({ name: 'PrismaClientValidationError', code: 'P2009', message: 'Invalid `prisma.ticket.create()` invocation:' });
    expect(JSON.stringify(fields)).not.toContain('13900139000');
  });

  it('cuts a long first line and takes anything thrown', () => {
    expect(errorFields(new Error('x'.repeat(500))).message).toHaveLength(200);
    expect(errorFields('plain words\nsecond line')).toEqual({ name: 'unknown', message: 'plain words' });
    expect(errorFields(Object.assign(new Error('no code'), { code: 42 }))).toEqual({ name: 'Error', message: 'no code' });
  });
});
