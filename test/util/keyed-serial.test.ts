import { describe, expect, it } from 'vitest';
import { KeyedSerial } from '../../src/util/keyed-serial.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedSerial', () => {
  it('runs one key’s tasks in submission order even when earlier ones are slower', async () => {
    const serial = new KeyedSerial();
    const order: number[] = [];
    await Promise.all(
      [30, 5, 20, 0].map((delay, i) =>
        serial.run('a', async () => {
          await pause(delay);
          order.push(i);
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('runs different keys in parallel', async () => {
    const serial = new KeyedSerial();
    const order: string[] = [];
    await Promise.all([
      serial.run('slow', async () => {
        await pause(40);
        order.push('slow');
      }),
      serial.run('fast', async () => {
        order.push('fast');
      }),
    ]);
    expect(order).toEqual(['fast', 'slow']);
  });

  it('goes on after a failed task and reports the failure to its caller only', async () => {
    const serial = new KeyedSerial();
    const failed = serial.run('a', async () => {
      throw new Error('boom');
    });
    const next = serial.run('a', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
    await serial.drain();
    expect(serial.activeKeys).toBe(0);
  });
});
