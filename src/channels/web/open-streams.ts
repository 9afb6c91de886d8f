/**
 * Event streams open at once, per client address. A rate limit counts requests in a window; an
 * event stream is one request that stays open for hours, so what costs the server (a
 * connection, a timer, a re-check query every few seconds) is how many are open, not how often
 * they are asked for. This counts them in the process that holds them.
 */
export class OpenStreams {
  private readonly open = new Map<string, number>();

  constructor(private readonly maxPerAddress: number) {}

  /** Takes a place for `address`; the returned function gives it back (once). Null when full. */
  tryOpen(address: string): (() => void) | null {
    const count = this.open.get(address) ?? 0;
    if (count >= this.maxPerAddress) return null;
    this.open.set(address, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(address) ?? 1) - 1;
      if (left <= 0) this.open.delete(address);
      else this.open.set(address, left);
    };
  }

  /** Streams open for `address` now. */
  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
