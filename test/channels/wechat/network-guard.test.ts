/** The guard the WeChat tests rely on to prove they stay offline does catch a connection. */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { guardNetwork } from './network-guard.js';

describe('network guard', () => {
  it('records and refuses a connection beyond this machine, lets loopback through', async () => {
    const guard = guardNetwork();
    try {
      const refused = await new Promise<string>((resolve) => {
        net.connect({ host: '203.0.113.7', port: 80 }).on('error', (error) => resolve(error.message));
      });
      expect(refused).toContain('refused in tests');
      const server = net.createServer((socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      await new Promise<void>((resolve, reject) => net.connect({ host: '127.0.0.1', port }).on('connect', resolve).on('error', reject));
      server.close();
      await expect(fetch('http://example.com/avatar.png')).rejects.toThrow();
      expect(guard.attempts).toEqual(['203.0.113.7', 'example.com']);
    } finally {
      guard.restore();
    }
  });
});
