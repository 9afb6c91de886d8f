/**
 * The engine over the test fixture flows (test/fixtures/flows/good), loaded once per test file.
 */
import { join } from 'node:path';
import { createEngine, type Engine } from '../../../src/conversation/engine.js';
import { loadFlows } from '../../../src/conversation/flow-loader.js';
import type { Json } from '../../../src/conversation/engine-types.js';
import { Chat, FakeContext } from './engine-harness.js';
import { FIXTURES, testTranslator } from './test-locales.js';

export const translator = testTranslator(join(FIXTURES, 'locales'));
export const fixtureEffects = ['file_report', 'set_language'];
export const loaded = loadFlows(join(FIXTURES, 'good'), { effects: fixtureEffects, locales: translator });
export const engine: Engine = createEngine(loaded.registry);

/** A person on a fresh in-memory context; `file_report` hands out numbers T-1, T-2… */
export function newChat(locale = 'zh-CN', target: Engine = engine): Chat {
  let tickets = 0;
  const ctx = new FakeContext(translator, locale, {
    file_report: (): Json => ({ number: `T-${++tickets}` }),
  });
  return new Chat(target, ctx);
}
