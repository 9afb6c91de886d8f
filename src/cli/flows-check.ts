/**
 * `npm run flows:check`: loads flows/ and locales/ and prints every problem as
 * `flows/<file>.yaml: step "<id>": <problem>` (exit 1), or a one-line summary (exit 0).
 * Options: `--flows <dir>` and `--locales <dir>` to check other folders.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTranslator, type Translator } from '../i18n/translator.js';
import { formatProblem, loadFlows } from '../conversation/flow-loader.js';
import { KNOWN_EFFECTS } from '../conversation/known-effects.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function main(): number {
  const { values } = parseArgs({
    options: { flows: { type: 'string' }, locales: { type: 'string' } },
  });
  const flowsDir = resolve(values.flows ?? resolve(root, 'flows'));
  const localesDir = resolve(values.locales ?? resolve(root, 'locales'));
  const shownFlows = relative(process.cwd(), flowsDir) || '.';
  const shownLocales = relative(process.cwd(), localesDir) || '.';

  if (!existsSync(flowsDir)) {
    console.error(`${shownFlows}/: folder not found`);
    return 1;
  }
  let translator: Translator;
  try {
    translator = loadTranslator(localesDir);
  } catch (error) {
    console.error(`${shownLocales}/: ${(error as Error).message}`);
    return 1;
  }

  const { registry, problems } = loadFlows(flowsDir, { effects: KNOWN_EFFECTS, locales: translator }, shownFlows);
  if (problems.length > 0) {
    for (const problem of problems) console.error(formatProblem(problem));
    console.error(`${problems.length} problem(s) in ${shownFlows}/`);
    return 1;
  }
  if (registry.ids().length === 0) {
    console.error(`${shownFlows}/: no flow files (*.yaml)`);
    return 1;
  }
  const ids = registry.ids();
  const steps = ids.reduce((sum, id) => sum + (registry.get(id)?.steps.size ?? 0), 0);
  console.log(
    `flows OK: ${ids.length} flows (${ids.join(', ')}), ${steps} steps, every key present in ${translator.locales.join(', ')}`,
  );
  return 0;
}

process.exitCode = main();
