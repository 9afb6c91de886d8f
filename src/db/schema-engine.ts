/**
 * Prisma's schema engine compiled to WebAssembly: it applies and diffs migrations through a
 * driver adapter, so no native engine has to be downloaded (the Prisma CLI's download host is
 * unreachable from build machines and CI). Node 20 cannot `import` a `.wasm` file, so the
 * module is instantiated by hand, once per process.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';

export type { SchemaEngine };

/** What every engine command takes: nothing in the database is managed outside Prisma. */
export const noExternalEntities = { externalTables: [], externalEnums: [] };

let loaded: Promise<typeof bindings> | undefined;

/** Instantiates the WebAssembly module on first use; later calls share it. */
export function loadSchemaEngineModule(): Promise<typeof bindings> {
  loaded ??= instantiate().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

async function instantiate(): Promise<typeof bindings> {
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
  const bytes = await readFile(wasmPath);
  // The generated glue imports its JavaScript half under this exact module name.
  const { instance } = await WebAssembly.instantiate(bytes, {
    './schema_engine_bg.js': withTrackedTimers(bindings as unknown as WebAssembly.ModuleImports),
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports as unknown as { __wbindgen_start(): void }).__wbindgen_start();
  return bindings;
}

/**
 * The engine arms timeouts (e.g. 10 s around its advisory lock) and never clears them, which
 * kept a finished `db:migrate` alive for 10 s. Its timers are tracked here and unref'd once no
 * engine session is open, so they fire harmlessly if the process lives on, but hold nothing.
 */
const pendingTimers = new Set<NodeJS.Timeout>();
let openSessions = 0;

function withTrackedTimers(imports: WebAssembly.ModuleImports): WebAssembly.ModuleImports {
  const patched: WebAssembly.ModuleImports = { ...imports };
  for (const name of Object.keys(imports)) {
    if (!name.startsWith('__wbg_setTimeout_')) continue;
    patched[name] = (callback: () => void, ms: number) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        callback();
      }, ms >>> 0);
      pendingTimers.add(timer);
      if (openSessions === 0) timer.unref();
      return timer;
    };
  }
  return patched;
}

function sessionEnded(): void {
  openSessions--;
  if (openSessions > 0) return;
  for (const timer of pendingTimers) timer.unref();
}

export interface OpenSchemaEngineOptions {
  /** Connections the engine makes: the target database and, for diffs, a shadow database. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  schemaPath: string;
  /** The schema's text; read from `schemaPath` when omitted. */
  schemaText?: string;
  /** Receives the engine's own log lines (JSON); dropped when omitted. */
  onLog?: (line: string) => void;
}

/** An engine plus everything it connected to; `close` releases all of it. */
export interface SchemaEngineSession {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/**
 * Starts an engine over the given adapter factory. The engine never disposes the connections
 * it opens (a `pg` pool would keep the process alive and, worse, keep holding the engine's
 * migration advisory lock), so every adapter it obtains is tracked and disposed by `close`.
 */
export async function openSchemaEngine(options: OpenSchemaEngineOptions): Promise<SchemaEngineSession> {
  const module = await loadSchemaEngineModule();
  const schemaText = options.schemaText ?? (await readFile(options.schemaPath, 'utf8'));
  const tracked = trackConnections(options.adapterFactory);
  const onLog = options.onLog ?? (() => {});
  let engine: SchemaEngine;
  openSessions++;
  try {
    engine = await module.SchemaEngine.new(
      { datamodels: [[options.schemaPath, schemaText]] },
      onLog,
      // The engine needs the error-capturing wrapper: a bare factory fails inside the engine.
      bindMigrationAwareSqlAdapterFactory(tracked.factory),
    );
  } catch (error) {
    sessionEnded();
    await tracked.disposeAll();
    throw error;
  }
  let closed = false;
  return {
    engine,
    async close() {
      if (closed) return;
      closed = true;
      engine.free();
      sessionEnded();
      await tracked.disposeAll();
    },
  };
}

function trackConnections(factory: SqlMigrationAwareDriverAdapterFactory) {
  const open = new Set<SqlDriverAdapter>();
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    open.add(adapter);
    return adapter;
  };
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => track(await factory.connect()),
      connectToShadowDb: async () => track(await factory.connectToShadowDb()),
    } satisfies SqlMigrationAwareDriverAdapterFactory,
    async disposeAll() {
      const adapters = [...open];
      open.clear();
      const results = await Promise.allSettled(adapters.map((adapter) => adapter.dispose()));
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
    },
  };
}
