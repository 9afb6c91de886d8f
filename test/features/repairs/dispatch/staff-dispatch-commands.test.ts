/** Reading the staff chat's dispatch commands: their names only, the number first, a member's name after it. */
import { describe, expect, it } from 'vitest';
import { parseDispatchCommand } from '../../../../src/features/repairs/dispatch/chat/staff-dispatch-commands.js';

describe('dispatch commands', () => {
  it('reads the number and the member, with the bot’s name or a full-width slash', () => {
    expect(parseDispatchCommand('/reassign BX-2026-00042 孙师傅')).toEqual({ ok: true, name: 'reassign', number: 'BX-2026-00042', memberName: '孙师傅' });
    expect(parseDispatchCommand('／take_over@linli_bot BX-2026-00042')).toEqual({ ok: true, name: 'take_over', number: 'BX-2026-00042', memberName: '' });
    expect(parseDispatchCommand('  /CANCEL_JOB   bx2026042  ')).toEqual({ ok: true, name: 'cancel_job', number: 'bx2026042', memberName: '' });
    expect(parseDispatchCommand('/reassign BX-2026-00042 Li  Ming')).toMatchObject({ memberName: 'Li Ming' });
  });

  it('asks for the number when none is given, and leaves every other text alone', () => {
    expect(parseDispatchCommand('/dispatch')).toEqual({ ok: false, name: 'dispatch', problem: 'no_number' });
    expect(parseDispatchCommand('/claim 123')).toBeNull();
    expect(parseDispatchCommand('/dispatching BX-2026-00042')).toBeNull();
    expect(parseDispatchCommand('reassign BX-2026-00042')).toBeNull();
    expect(parseDispatchCommand(undefined)).toBeNull();
  });
});
