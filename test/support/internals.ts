/**
 * What no HTTP answer to the outside may contain: stack frames, SQL, database error words,
 * source paths, Prisma error codes. Tests match refusal bodies against it.
 */
export const INTERNALS =
  /\bat .+:\d+|\bSELECT\b|\bINSERT\b|\bUPDATE\b|invalid byte sequence|unsupported Unicode|prisma|\.ts\b|\/src\/|node_modules|\bP\d{4}\b|stack|Unexpected token|JSON at position/i;
