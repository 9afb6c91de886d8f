/**
 * `npm run flows:check`: loads flows/ and locales/ and prints every problem as
 * `flows/<file>.yaml: step "<id>": <problem>` (exit 1), or a one-line summary (exit 0).
 * Options: `--flows <dir>` and `--locales <dir>` to check other folders.
 * Start-up runs the same check (`checkFlowFolder`, against the effects the app's modules declare:
 * `APP_FEATURES`) and refuses exactly what this refuses.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTranslator, type Translator } from '../i18n/translator.js';
import { formatProblem } from '../conversation/flow-loader.js';
import { APP_FEATURES } from '../app.js';
import { checkFlowFolder, shownFolder } from '../conversation/flow-check.js';
import { declaredEffects } from '../modules/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function main(): number {
  const { values } = parseArgs({
    options: { flows: { type: 'string' }, locales: { type: 'string' } },
  });
  const flowsDir = resolve(values.flows ?? resolve(root, 'flows'));
  const localesDir = resolve(values.locales ?? resolve(root, 'locales'));

  let translator: Translator;
  try {
    translator = loadTranslator(localesDir);
  } catch (error) {
    console.error(`${shownFolder(localesDir)}/: ${(error as Error).message}`);
    return 1;
  }

  const { registry, problems } = checkFlowFolder(flowsDir, translator, declaredEffects(APP_FEATURES));
  if (problems.length > 0) {
    for (const problem of problems) console.error(formatProblem(problem));
    console.error(`${problems.length} problem(s) in ${shownFolder(flowsDir)}/`);
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
