/**
 * Start-up runs the same check as `npm run flows:check`: a flow folder the check refuses stops
 * start-up before anything is touched, with one line in the check's own words; and the effects the
 * app registers must be exactly the declared ones the check holds flows to.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { effectRegistryProblems } from '../../src/conversation/flow-check.js';
import type { EffectEntry, EffectRegistry } from '../../src/conversation/effects.js';
import { createLogger } from '../../src/log/logger.js';
import { ROOT } from '../conversation/support/test-locales.js';
import { APP_EFFECTS } from '../support/app-effects.js';

const WRONG_ARGUMENT = join(ROOT, 'test/fixtures/flows/bad/wrong-argument');
const shownFolder = 'test/fixtures/flows/bad/wrong-argument';

const run = promisify(execFile);
const flowsCheck = (...args: string[]) => run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/flows-check.ts'), ...args], { cwd: ROOT });

describe('start-up refuses what flows:check refuses', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'linli-flow-start-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('a flow giving an effect an argument it does not take: the same line from both, and no data folder made', async () => {
    const expected = `${shownFolder}/main_menu.yaml: step "apply": effect "set_language" takes no argument "remember"`;

    const check = await flowsCheck('--flows', WRONG_ARGUMENT).catch((error: unknown) => error as { code: number; stderr: string });
    expect(check).toMatchObject({ code: 1 });
    const checkLines = (check as { stderr: string }).stderr.split('\n').filter((line) => line !== '');
    expect(checkLines[0]).toBe(expected);

    const dataDir = join(scratch, 'data');
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' });
    const started = createApp({ config, logger: createLogger('silent'), serve: false, flowsDir: WRONG_ARGUMENT });
    const failure = await started.then(
      async (app) => {
        await app.stop();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(failure, 'start-up accepted a flow that flows:check refuses').toBeInstanceOf(Error);
    // The operator sees the first line only (process-lifecycle.ts): it must name the file and the problem.
    const startLine = (failure as Error).message.split('\n')[0];
    expect(startLine).toBe(checkLines[0]);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('the registered effects against their declarations', () => {
  const write: EffectEntry = async () => ({});
  const read: EffectEntry = { readOnly: true, run: async () => ({}) };
  const declared = APP_EFFECTS;
  /** A registry exactly as declared: every effect, read-only where its declaration says so. */
  const asDeclared = (): Map<string, EffectEntry> => new Map(Object.entries(declared).map(([name, signature]) => [name, signature.readOnly ? read : write]));

  it('exactly the declared effects: no problem', () => {
    expect(effectRegistryProblems(asDeclared(), declared)).toEqual([]);
  });

  it('an effect registered without a declared signature is an error', () => {
    const effects: EffectRegistry = asDeclared().set('launch_rocket', write);
    expect(effectRegistryProblems(effects, declared)).toEqual([
      'effect "launch_rocket" is registered but declared by no module, so no check knows its arguments',
    ]);
  });

  it('a declared effect nobody registered, and one registered as writing that is declared read-only, are errors', () => {
    const effects = asDeclared();
    effects.delete('set_language');
    effects.set('identity_whoami', write);
    expect(effectRegistryProblems(effects, declared)).toEqual([
      'effect "identity_whoami" is declared read-only but registered as writing',
      'effect "set_language" is declared but not registered',
    ]);
  });
});
