/** Prisma filters the audience reads share. */
import type { Prisma } from '../../../generated/prisma/client.js';

export type { Prisma };

/** A priority household (docs/domain.md rule 7): one with any flag on the roster. */
export const PRIORITY_FLAGS_ANY: Prisma.HouseholdWhereInput = { NOT: { flags: { isEmpty: true } } };
