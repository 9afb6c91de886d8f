/**
 * Login status, the QR code in the terminal, friend requests, and loading the puppet by name.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScanStatus, types } from 'wechaty';
import { PuppetMock } from 'wechaty-puppet-mock';
import { loadConfig } from '../../../src/config/config.js';
import { createWeChatChannel } from '../../../src/channels/wechat/create-wechat-channel.js';
import { loadPuppet, PuppetLoadError } from '../../../src/channels/wechat/load-puppet.js';
import type { WeChatStatus } from '../../../src/channels/wechat/login-status.js';
import { WeChatChannel } from '../../../src/channels/wechat/wechat-channel.js';
import { createLogger } from '../../../src/log/logger.js';
import { guardNetwork, type NetworkGuard } from './network-guard.js';
import { createResident, startWeChat, type WeChatHarness } from './wechat-harness.js';
import { waitFor } from '../../support/wait-for.js';

const LOGIN_URL = 'https://login.weixin.qq.com/l/4ZxPq9_test==';

let network: NetworkGuard;
beforeAll(() => {
  network = guardNetwork();
});
afterAll(() => network.restore());

describe('WeChat login status', () => {
  let wx: WeChatHarness;
  afterEach(() => wx.close());

  it('goes starting → waiting-for-scan → logged-in → logged-out, with times, and logs ids only', async () => {
    let clock = Date.parse('2026-03-01T08:00:00Z');
    wx = await startWeChat({ now: () => clock, adminUrl: 'http://127.0.0.1:3000/admin/wechat?token=abc' });
    const seen: WeChatStatus[] = [];
    wx.channel.login.onChange((status) => seen.push(status));
    expect(wx.channel.login.status()).toEqual({ state: 'starting', since: '2026-03-01T08:00:00.000Z' });

    await wx.start();
    clock += 1_000;
    wx.mocker.scan(LOGIN_URL, ScanStatus.Waiting);
    await waitFor(() => wx.channel.login.status().state === 'waiting-for-scan', 'the QR code');
    expect(wx.channel.login.view()).toEqual({
      state: 'waiting-for-scan',
      since: '2026-03-01T08:00:01.000Z',
      code: { value: LOGIN_URL, scanned: false },
    });

    // The same code again, then scanned: one terminal print, the wait keeps its start time.
    clock += 1_000;
    wx.mocker.scan(LOGIN_URL, ScanStatus.Waiting);
    wx.mocker.scan(LOGIN_URL, ScanStatus.Scanned);
    await waitFor(() => wx.channel.login.view().code?.scanned === true, 'the scan');
    expect(wx.channel.login.status().since).toBe('2026-03-01T08:00:01.000Z');
    await waitFor(() => wx.terminal.length === 1, 'the terminal QR code');
    expect(wx.terminal[0]).toContain('WeChat login: scan this code');
    expect(wx.terminal[0]).toContain('▄');
    expect(wx.terminal[0]).toContain('Or open http://127.0.0.1:3000/admin/wechat?token=abc in a browser.');

    clock += 1_000;
    await wx.login();
    expect(wx.channel.login.view()).toEqual({ state: 'logged-in', since: '2026-03-01T08:00:03.000Z', botId: wx.botUser.id });

    clock += 1_000;
    await wx.channel.bot.logout();
    await waitFor(() => wx.channel.login.status().state === 'logged-out', 'the logout');
    expect(wx.channel.login.view()).toEqual({ state: 'logged-out', since: '2026-03-01T08:00:04.000Z' });

    expect(seen.map((s) => s.state)).toEqual(['starting', 'waiting-for-scan', 'waiting-for-scan', 'waiting-for-scan', 'logged-in', 'logged-out']);
    const events = wx.logs.map((l) => [l.msg, l.botId]).filter(([msg]) => String(msg).includes('logged'));
    expect(events).toEqual([
      ['wechat logged in', wx.botUser.id],
      ['wechat logged out', wx.botUser.id],
    ]);
    // The login URL is a credential: not in the logs, not in the public status.
    expect(JSON.stringify(wx.logs)).not.toContain(LOGIN_URL);
    expect(JSON.stringify(wx.channel.login.status())).not.toContain(LOGIN_URL);
  });

  it('takes no messages before login', async () => {
    wx = await startWeChat();
    const resident = createResident(wx.mocker, '赵奶奶');
    await wx.start();
    // The signal that the bot is done with the message: it handed it on (the channel listened
    // first, so the channel has had it) or gave it up (puppet-mock cannot load a message before
    // login: wechaty reports it not found). Either way, nothing of it may reach the router.
    const settled = new Promise<void>((resolve) => {
      wx!.channel.bot.once('message', () => resolve());
      wx!.channel.bot.once('error', () => resolve());
    });
    resident.say('还没登录').to(wx.botUser);
    await settled;
    await wx.login();
    resident.say('登录以后').to(wx.botUser);
    // One chat's messages are handed on in order: one taken before login would come first.
    await waitFor(() => wx!.received.length > 0, 'the message after login');
    expect(wx.received.map((message) => message.text)).toEqual(['登录以后']);
  });

  it('keeps the login session in the data folder', async () => {
    wx = await startWeChat({ rememberSession: true });
    await wx.start();
    await wx.login();
    // What a protocol puppet (wechat4u) does with its session once logged in.
    await wx.puppet.memory.set('session', { probe: true });
    await wx.puppet.memory.save();
    await wx.channel.stop();
    expect(existsSync(join(wx.dataDir, 'wechat-session.memory-card.json'))).toBe(true);
    expect(existsSync(join(process.cwd(), 'wechat-session.memory-card.json'))).toBe(false);
    expect(wx.channel.login.status().state).toBe('logged-out');
  });
});

describe('WeChat friend requests', () => {
  let wx: WeChatHarness;
  afterEach(() => wx.close());

  async function request(id: string): Promise<string> {
    const stranger = createResident(wx.mocker, '新搬来的邻居', { friend: false });
    await wx.puppet.friendshipPayload(id, {
      id,
      contactId: stranger.id,
      hello: '我是3栋新住户',
      ticket: 'ticket',
      timestamp: Date.now(),
      type: types.Friendship.Receive,
    });
    wx.puppet.emit('friendship', { friendshipId: id });
    return stranger.id;
  }

  it('accepts them when WECHAT_AUTO_ACCEPT_FRIENDS is on', async () => {
    wx = await startWeChat({ autoAcceptFriends: true });
    await wx.start();
    await wx.login();
    const contactId = await request('friendship-1');
    await waitFor(() => wx.puppet.acceptedFriendships.includes('friendship-1'), 'the acceptance');
    await waitFor(() => wx.logs.some((l) => l.msg === 'wechat friend request accepted'), 'the log line');
    expect(wx.logs.find((l) => l.msg === 'wechat friend request accepted')?.contactId).toBe(contactId);
    expect(JSON.stringify(wx.logs)).not.toContain('新搬来的邻居');
    expect(JSON.stringify(wx.logs)).not.toContain('3栋新住户');
  });

  it('leaves them for a person when it is off', async () => {
    wx = await startWeChat({ autoAcceptFriends: false });
    await wx.start();
    await wx.login();
    await request('friendship-2');
    await waitFor(() => wx.logs.some((l) => l.msg === 'wechat friend request left for a person to answer'), 'the request to be seen');
    expect(wx.puppet.acceptedFriendships).toEqual([]);
  });

  it('ignores confirmations of requests the bot made', async () => {
    wx = await startWeChat({ autoAcceptFriends: true });
    await wx.start();
    await wx.login();
    const stranger = createResident(wx.mocker, '老朋友');
    await wx.puppet.friendshipPayload('friendship-3', { id: 'friendship-3', contactId: stranger.id, timestamp: Date.now(), type: types.Friendship.Confirm });
    wx.puppet.emit('friendship', { friendshipId: 'friendship-3' });
    await request('friendship-4');
    await waitFor(() => wx.puppet.acceptedFriendships.length === 1, 'the later request');
    expect(wx.puppet.acceptedFriendships).toEqual(['friendship-4']);
  });
});

describe('loading the puppet named in WECHATY_PUPPET', () => {
  it('imports the package by name and passes the service token', async () => {
    const puppet = await loadPuppet({ name: 'wechaty-puppet-mock', token: 'puppet_service_token' });
    expect(puppet).toBeInstanceOf(PuppetMock);
    expect((puppet as PuppetMock).options.token).toBe('puppet_service_token');
  });

  it('says how to install a puppet that is missing', async () => {
    const error = await loadPuppet({ name: 'wechaty-puppet-not-installed' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PuppetLoadError);
    expect((error as Error).message).toBe(
      'WECHATY_PUPPET is wechaty-puppet-not-installed, which is not installed: run `npm install wechaty-puppet-not-installed`',
    );
  });

  it('refuses a package that is no puppet', async () => {
    const error = await loadPuppet({ name: 'not-a-puppet' }, async () => ({ default: { default: 42 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PuppetLoadError);
  });

  it('builds the channel from the configuration only when a puppet is named', async () => {
    const logger = createLogger('silent');
    expect(await createWeChatChannel(loadConfig({}), { logger, maxPhotoBytes: 1024 })).toBeUndefined();
    const channel = await createWeChatChannel(loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-mock', WECHAT_AUTO_ACCEPT_FRIENDS: 'true' }), {
      logger,
      maxPhotoBytes: 1024,
    });
    expect(channel).toBeInstanceOf(WeChatChannel);
    expect(channel!.capabilities).toEqual({ buttons: false, photos: true, documents: true, maxDocumentBytes: 25 * 1024 * 1024, locations: false, maxTextLength: 2000, threads: 'none', forceReply: false, chatOrder: 0 });
  });
});

describe('WeChat login and the network', () => {
  it('reached nothing beyond this machine', () => {
    expect(network.attempts).toEqual([]);
  });
});
