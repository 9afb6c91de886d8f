/**
 * Records (and refuses) every outgoing TCP connection to anything but this machine, so a test
 * can prove that wechaty and the mock puppet stayed offline (no avatar downloads, no update
 * checks, no token discovery). Every client in Node — http, https, fetch — connects through
 * net.Socket#connect, which is where the guard sits.
 */
import net from 'node:net';

export interface NetworkGuard {
  /** Hosts something tried to reach, in order. */
  readonly attempts: string[];
  restore(): void;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/i;

export function guardNetwork(): NetworkGuard {
  const original = net.Socket.prototype.connect;
  const attempts: string[] = [];
  const guarded = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const target = describe(args);
    if (target !== undefined && !LOOPBACK.test(target)) {
      attempts.push(target);
      process.nextTick(() => this.destroy(new Error(`network access to ${target} refused in tests`)));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  net.Socket.prototype.connect = guarded as typeof original;
  return {
    attempts,
    restore() {
      net.Socket.prototype.connect = original;
    },
  };
}

/** The host of a connect call; undefined for a local (Unix socket / pipe) path. */
function describe(args: unknown[]): string | undefined {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'number') return typeof args[1] === 'string' ? args[1] : 'localhost';
  if (typeof first === 'string') return undefined;
  const options = first as { host?: string; path?: string } | undefined;
  if (options?.path) return undefined;
  return options?.host ?? 'localhost';
}
