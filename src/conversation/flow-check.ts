/**
 * The one check a folder of flows passes before anything runs it. `npm run flows:check` and
 * start-up both call `checkFlowFolder`, against the effects the installed modules declare (names,
 * the arguments each takes and their types: `declaredEffects` in src/modules/), so start-up
 * refuses exactly what the check refuses, in the same words. Start-up also holds the effects the
 * modules register to those declarations (`effectRegistryProblems`): a flow that passes the check
 * then calls effects that exist, with the arguments they take.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { EffectRegistry } from './effects.js';
import { FlowProblemsError, loadFlows, type FlowLoadResult, type LocaleCatalogs } from './flow-loader.js';
import { MENU_FLOW, type FlowRegistry } from './flow-schema.js';
import type { EffectDeclarations } from './effect-signature.js';

/** A folder as problems show it: relative to where the command runs (`flows` in the project). */
export function shownFolder(dir: string): string {
  return relative(process.cwd(), dir) || '.';
}

/** Checks every flow in `dir` against itself, the locales and the declared effects. */
export function checkFlowFolder(dir: string, locales: LocaleCatalogs, effects: EffectDeclarations): FlowLoadResult {
  const shown = shownFolder(dir);
  const empty: FlowRegistry = { get: () => undefined, ids: () => [] };
  if (!existsSync(dir)) return { registry: empty, problems: [{ file: `${shown}/`, message: 'folder not found' }] };
  const result = loadFlows(dir, { effects, locales }, shown);
  if (result.problems.length === 0 && result.registry.ids().length === 0) {
    return { ...result, problems: [{ file: `${shown}/`, message: 'no flow files (*.yaml)' }] };
  }
  // The engine cannot start without it; the other cross-file checks are the loader's.
  if (result.registry.ids().length > 0 && !result.registry.get(MENU_FLOW)) {
    result.problems.push({ file: `${shown}/`, message: `no flow "${MENU_FLOW}": every conversation starts at the menu (${MENU_FLOW}.yaml)` });
  }
  return result;
}

/** Start-up's use of the check: the flows, or a `FlowProblemsError` whose first line names the first problem. */
export function loadCheckedFlows(dir: string, locales: LocaleCatalogs, effects: EffectDeclarations): FlowRegistry {
  const { registry, problems } = checkFlowFolder(dir, locales, effects);
  if (problems.length > 0) throw new FlowProblemsError(problems);
  return registry;
}

/**
 * Where the registered effects and their declarations disagree: an effect registered without a
 * declaration (no check knows its arguments), one declared but not registered (a flow could call
 * it), or one registered as writing that is declared read-only, or the other way round (the
 * declaration is what a flow's author reads).
 */
export function effectRegistryProblems(effects: EffectRegistry, declared: EffectDeclarations): string[] {
  const problems: string[] = [];
  for (const [name, entry] of effects) {
    const signature = declared[name];
    if (!signature) {
      problems.push(`effect "${name}" is registered but declared by no module, so no check knows its arguments`);
      continue;
    }
    const registeredReadOnly = typeof entry !== 'function' && entry.readOnly;
    if (registeredReadOnly !== (signature.readOnly ?? false)) {
      problems.push(
        `effect "${name}" is declared ${signature.readOnly ? 'read-only' : 'as writing'} but registered ${registeredReadOnly ? 'read-only' : 'as writing'}`,
      );
    }
  }
  for (const name of Object.keys(declared)) {
    if (!effects.has(name)) problems.push(`effect "${name}" is declared but not registered`);
  }
  return problems;
}

/** Thrown at start when the registered effects and their declarations disagree; the first line names the first problem. */
export class EffectRegistryError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'EffectRegistryError';
  }
}

/** Start-up's use of `effectRegistryProblems`: throws when there is any. */
export function assertEffectsDeclared(effects: EffectRegistry, declared: EffectDeclarations): void {
  const problems = effectRegistryProblems(effects, declared);
  if (problems.length > 0) throw new EffectRegistryError(problems);
}
