/**
 * What each simulated person does, over and over: open the menu, go to the language flow,
 * pick Chinese (runs the `set_language` effect and returns to the menu), ask for help (help
 * text, then the menu). Every step saves state, runs the engine, writes outbox rows and ends
 * with a prompt (a reply with buttons), which is what the bench waits for.
 */
import type { StepTiming, WebChatPerson } from './web-chat-person.js';

export interface WorkloadStep {
  name: string;
  /** Replies this step causes, the closing prompt included. */
  expectedReplies: number;
  run(person: WebChatPerson, timeoutMs: number): Promise<StepTiming>;
}

export const MENU_LANGUAGE_HELP_CYCLE: readonly WorkloadStep[] = [
  { name: 'type 菜单 → menu', expectedReplies: 1, run: (person, timeoutMs) => person.say('菜单', timeoutMs) },
  { name: 'press Language → choose', expectedReplies: 1, run: (person, timeoutMs) => person.press('Language', timeoutMs) },
  { name: 'press 中文 → effect, done, menu', expectedReplies: 2, run: (person, timeoutMs) => person.press('中文', timeoutMs) },
  { name: 'type 帮助 → help, menu', expectedReplies: 2, run: (person, timeoutMs) => person.say('帮助', timeoutMs) },
];
