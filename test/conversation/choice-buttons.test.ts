/**
 * A flow choice's button: within Telegram's 64 bytes whatever the value's length (a record id
 * rides as its digest and comes back as itself), and good only for the run and step the person
 * is at now; forged data never reaches the conversation.
 */
import { describe, expect, it } from 'vitest';
import { choiceAt, choiceButton, choiceButtonFields, type ChoiceButtonFields } from '../../src/conversation/choice-buttons.js';
import { tokenMeans } from '../../src/conversation/choice-value-token.js';
import { renderMessages } from '../../src/conversation/render.js';
import type { Translator } from '../../src/i18n/translator.js';
import { recordingButtons, TELEGRAM_LIKE } from '../support/buttons.js';

const LONG_RUN = 'c5d0f7e2-8b1a-4c3d-9e8f-123456789abc';
const LONG_STEP = 'a_rather_long_step_name_here';

function setUp() {
  const buttons = recordingButtons();
  buttons.record(choiceButton, { answersUnknown: true });
  const data = (runId: string, stepId: string, value: string) =>
    buttons.registry.buttons(choiceButton, TELEGRAM_LIKE, [{ label: value, fields: choiceButtonFields(runId, stepId, value) }])![0]!.data;
  /** The verified fields of a press, or the refusal. */
  const fieldsOf = async (pressed: string) => {
    const result = await buttons.pressed(pressed);
    return result && 'fields' in result ? (result.fields as ChoiceButtonFields) : result;
  };
  return { data, fieldsOf };
}

describe('choice buttons', () => {
  it('keep within Telegram’s 64 bytes for the longest plain value', () => {
    const { data } = setUp();
    expect(Buffer.byteLength(data(LONG_RUN, LONG_STEP, 'v'.repeat(32)))).toBeLessThanOrEqual(64);
  });

  it('a record id of any real length (a 36-character UUID, a 128-character key) fits and comes back as itself', async () => {
    const { data, fieldsOf } = setUp();
    const ids = ['3f2b8c1e-9a7d-4e5f-8b6a-0c1d2e3f4a5b', 'k'.repeat(128), 'x'.repeat(33)];
    for (const id of ids) {
      const pressed = data(LONG_RUN, LONG_STEP, id);
      expect(Buffer.byteLength(pressed)).toBeLessThanOrEqual(64);
      const at = choiceAt((await fieldsOf(pressed)) as ChoiceButtonFields, { runId: LONG_RUN, stepId: LONG_STEP });
      expect(at).not.toBe('stale');
      if (at === 'stale') continue;
      expect(tokenMeans(at.token, id)).toBe(true);
      expect(ids.filter((other) => tokenMeans(at.token, other))).toEqual([id]);
    }
  });

  it('rendered choices with long values become buttons within 64 bytes', () => {
    const { registry } = recordingButtons();
    const translator = { t: (_locale: string, key: string) => key } as unknown as Translator;
    const [message] = renderMessages(
      [{ key: 'pick', choices: [{ label: '张三', value: '3f2b8c1e-9a7d-4e5f-8b6a-0c1d2e3f4a5b' }, { labelKey: 'other', value: 'not_listed' }] }],
      { translator, locale: 'zh-CN', capabilities: TELEGRAM_LIKE, buttons: registry, vars: {}, at: { runId: 'run-1', stepId: 'pick_member' } },
    );
    expect(message!.choices).toHaveLength(2);
    for (const choice of message!.choices!) expect(Buffer.byteLength(choice.data)).toBeLessThanOrEqual(64);
  });

  it('are good only for the run and step the person is at now; forged ones never get that far', async () => {
    const { data, fieldsOf } = setUp();
    const pressed = data('run-1', 'ask', 'yes');
    const fields = (await fieldsOf(pressed)) as ChoiceButtonFields;
    expect(choiceAt(fields, { runId: 'run-1', stepId: 'ask' })).toEqual({ runId: 'run-1', stepId: 'ask', token: 'yes' });
    expect(choiceAt(fields, { runId: 'run-2', stepId: 'ask' })).toBe('stale');
    expect(choiceAt(fields, { runId: 'run-1', stepId: 'other' })).toBe('stale');
    expect(choiceAt(fields, null)).toBe('stale');
    expect(await fieldsOf(`${pressed}x`)).toEqual({ prefix: 'c', refused: 'forged' });
  });
});
