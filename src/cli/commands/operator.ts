/** The actor every `linli` command acts as: the operator at the server's shell, an admin (policy/actor.ts). */
import type { Actor } from '../../features/policy/actor.js';

export const OPERATOR: Extract<Actor, { kind: 'operator' }> = { kind: 'operator' };
