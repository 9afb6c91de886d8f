/**
 * The channels' assembly: what it hands the app is by capability, never by name — a channel of
 * any name with forum topics gets the staff chats' placement, the channels that say whether a chat
 * is a forum or find rooms by name are what the modules start with, and the web chat asks for a
 * person's chosen language under its own name.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleChannels, type ChannelAssemblyOptions } from '../../src/channels/assemble-channels.js';
import type { Channel, ChannelCapabilities, ChatHooks, ForumCheck, ForumTopics, NamedRooms } from '../../src/channels/types.js';
import type { WebChannel } from '../../src/channels/web/web-channel.js';
import { loadConfig } from '../../src/config/config.js';
import type { PrismaClient } from '../../src/db/prisma-types.js';
import { loadTranslator } from '../../src/i18n/translator.js';
import { createLogger } from '../../src/log/logger.js';

const PLAIN: ChannelCapabilities = { buttons: false, photos: false, locations: false, maxTextLength: 500 };

/** A channel of a made-up platform: it sends into nothing. */
class MadeUp implements Channel {
  constructor(
    readonly name: string,
    readonly capabilities: ChannelCapabilities,
  ) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(): Promise<{ externalMessageId: string }> {
    return { externalMessageId: '1' };
  }
}

class MadeUpForum extends MadeUp implements ForumTopics, ForumCheck {
  async createForumTopic(): Promise<string> {
    return '7';
  }
  async setForumTopicOpen(): Promise<void> {}
  async isForum(): Promise<boolean> {
    return true;
  }
}

class MadeUpRooms extends MadeUp implements NamedRooms {
  roomsReady(): boolean {
    return true;
  }
  onRoomsChange(): () => void {
    return () => {};
  }
  async findRoomsByTopic(): Promise<string[]> {
    return [];
  }
  async roomTopic(): Promise<string | undefined> {
    return undefined;
  }
}

/** The staff chats' hooks, recording which channels were wrapped. */
function recordingHooks() {
  const wrapped: string[] = [];
  const hooks: ChatHooks = {
    hearsAllIn: () => () => false,
    wrapThreads: (channel) => {
      wrapped.push(channel.name);
      return new MadeUp(channel.name, channel.capabilities);
    },
    followChatMoves: (_channel, inner) => inner,
  };
  return { wrapped, hooks };
}

function options(overrides: Partial<ChannelAssemblyOptions>): ChannelAssemblyOptions {
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-assemble-')), LOG_LEVEL: 'silent', LINLI_SECRET: 'test-secret-test-secret-test-secret-42' });
  return {
    config,
    logger: createLogger('silent'),
    // Not asked: building the channels reads nothing.
    prisma: {} as PrismaClient,
    communityId: 'c1',
    translator: loadTranslator(join(import.meta.dirname, '..', '..', 'locales')),
    secret: 'test-secret-test-secret-test-secret-42',
    serve: true,
    staffChats: recordingHooks().hooks,
    chosenLocaleOf: async () => null,
    ...overrides,
  };
}

describe('assembleChannels', () => {
  const forum = new MadeUpForum('kite', { ...PLAIN, threads: 'topics' });
  const rooms = new MadeUpRooms('lantern', { ...PLAIN, threads: 'none' });
  const topicsWithoutCalls = new MadeUp('reed', { ...PLAIN, threads: 'topics' });

  it('wraps every channel with forum topics in the staff chats\' placement, and starts the modules with the channels by what they offer', async () => {
    const { wrapped, hooks } = recordingHooks();
    const assembled = await assembleChannels(options({ staffChats: hooks, extraChannels: [forum, rooms, topicsWithoutCalls] }));

    expect(assembled.channels.map((channel) => channel.name)).toEqual(['web', 'kite', 'lantern', 'reed']);
    expect(wrapped).toEqual(['kite']);
    expect(assembled.channels[1]).not.toBe(forum);
    expect(assembled.channels[2]).toBe(rooms);
    expect(assembled.started.forums).toEqual([forum]);
    expect(assembled.started.rooms).toEqual([rooms]);
    // No platform configured: nothing to check, nothing to report.
    expect(assembled.healthChecks).toEqual([]);
    expect(assembled.statuses).toEqual({});
  });

  it('starts a process that does not serve with no forums or rooms (it takes no input)', async () => {
    const assembled = await assembleChannels(options({ serve: false, extraChannels: [forum, rooms] }));
    expect(assembled.started).toEqual({ forums: [], rooms: [], posting: [] });
  });

  it('has the web chat ask for a person\'s chosen language under its own name', async () => {
    const asked: [string, string][] = [];
    const assembled = await assembleChannels(
      options({
        chosenLocaleOf: async (channel, chatId) => {
          asked.push([channel, chatId]);
          return 'en';
        },
      }),
    );
    const web = assembled.channels[0] as WebChannel;
    await expect(web.options.chosenLocale?.('0123456789abcdef0123456789abcdef')).resolves.toBe('en');
    expect(asked).toEqual([['web', '0123456789abcdef0123456789abcdef']]);
  });
});
