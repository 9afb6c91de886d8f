/**
 * Loads the wechaty puppet the operator named in WECHATY_PUPPET. Only that package is imported
 * (a dynamic import), so an installation carries just the puppet it uses; a missing one stops
 * start-up with the install command rather than wechaty's long console message.
 */
import type { WechatyOptions } from 'wechaty';

/** A puppet instance as WechatyBuilder takes it. */
export type WeChatPuppet = Exclude<NonNullable<WechatyOptions['puppet']>, string>;

/** The puppet could not be loaded; the message says what to do. */
export class PuppetLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PuppetLoadError';
  }
}

export interface PuppetSettings {
  /** npm package name, e.g. wechaty-puppet-wechat4u (checked by config.ts). */
  name: string;
  /** WECHATY_PUPPET_SERVICE_TOKEN: puppet-service and padlocal take it as `token`. */
  token?: string | undefined;
}

type PuppetConstructor = new (options?: Record<string, unknown>) => WeChatPuppet;

/** Imports the named puppet package and creates its puppet. */
export async function loadPuppet(settings: PuppetSettings, importer: (name: string) => Promise<unknown> = (name) => import(name)): Promise<WeChatPuppet> {
  let module: unknown;
  try {
    module = await importer(settings.name);
  } catch (error) {
    if (isModuleNotFound(error, settings.name)) {
      throw new PuppetLoadError(`WECHATY_PUPPET is ${settings.name}, which is not installed: run \`npm install ${settings.name}\``);
    }
    throw error;
  }
  const Puppet = puppetConstructor(module);
  if (!Puppet) throw new PuppetLoadError(`${settings.name} has no puppet class as its default export: is it a wechaty puppet?`);
  return new Puppet(settings.token ? { token: settings.token } : {});
}

/** ESM packages export the class as `default`; CommonJS ones as `default.default` once imported. */
function puppetConstructor(module: unknown): PuppetConstructor | undefined {
  let candidate: unknown = module;
  for (let depth = 0; depth < 3; depth += 1) {
    const value = (candidate as { default?: unknown } | null | undefined)?.default;
    if (typeof value === 'function') return value as PuppetConstructor;
    candidate = value;
  }
  return undefined;
}

/** The package itself is missing (not one of its own dependencies, which is a broken install). */
function isModuleNotFound(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(message).includes(`'${name}'`);
}
