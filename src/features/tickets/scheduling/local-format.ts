/** Dates in staff texts: the community's wall clock, digits only, the same in every language. */
import { localParts } from '../rules/local-time.js';

/** `2026-03-05 14:30` in the zone. */
export function localMinute(instant: Date, timezone: string): string {
  const p = localParts(instant, timezone);
  return `${localDay(instant, timezone)} ${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** `2026-03-05` in the zone. */
export function localDay(instant: Date, timezone: string): string {
  const p = localParts(instant, timezone);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
