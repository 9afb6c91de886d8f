/**
 * How an error goes into a log line: its class name, its code (Prisma's P2002, PostgreSQL's
 * 23505…) and the first line of its message, cut short. Never the whole error: a Prisma
 * validation error prints the arguments it was given after its first line (a resident's words,
 * a phone number), and a stack adds nothing an operator can act on without the code.
 */
export interface ErrorFields {
  name: string;
  code?: string;
  message: string;
}

const MESSAGE_CHARS = 200;

export function errorFields(error: unknown): ErrorFields {
  if (!(error instanceof Error)) return { name: 'unknown', message: String(error).split('\n', 1)[0]!.slice(0, MESSAGE_CHARS) };
  const code = (error as { code?: unknown }).code;
  const firstLine = error.message.split('\n', 1)[0]!.slice(0, MESSAGE_CHARS);
  return { name: error.name, ...(typeof code === 'string' ? { code } : {}), message: firstLine };
}
