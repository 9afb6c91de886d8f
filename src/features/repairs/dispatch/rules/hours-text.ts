/**
 * Working hours as an operator types and reads them: `1-5 08:00-18:00; 6 09:00-12:00` (ISO
 * weekdays, 1 = Monday, a day or a range of days, then one or more spans), or `any`. Pure.
 */
import { weeklyHoursSchema, type WeeklyHours } from './working-hours.js';

const PART = /^([1-7])(?:-([1-7]))?\s+(\d{2}:\d{2}-\d{2}:\d{2}(?:\s*,\s*\d{2}:\d{2}-\d{2}:\d{2})*)$/;

/** The hours typed, or null when they cannot be read (a day out of 1–7, a span ending before it starts…). */
export function parseHoursText(text: string): WeeklyHours | null {
  const typed = text.trim();
  if (typed.toLowerCase() === 'any') return {};
  const hours: Record<string, [string, string][]> = {};
  for (const part of typed.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = PART.exec(part);
    if (!match) return null;
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (to < from) return null;
    const spans = match[3]!.split(',').map((span) => span.trim().split('-') as [string, string]);
    for (let day = from; day <= to; day += 1) (hours[String(day)] ??= []).push(...spans);
  }
  if (Object.keys(hours).length === 0) return null;
  const parsed = weeklyHoursSchema.safeParse(hours);
  return parsed.success ? parsed.data : null;
}

/** The hours in the same words (`any` for none), days with the same spans run together. */
export function formatHoursText(hours: WeeklyHours): string {
  const days = (['1', '2', '3', '4', '5', '6', '7'] as const).map((day) => ({ day: Number(day), spans: (hours[day] ?? []).map(([a, b]) => `${a}-${b}`).join(',') }));
  const parts: string[] = [];
  for (let i = 0; i < days.length; i += 1) {
    const { day, spans } = days[i]!;
    if (spans === '') continue;
    let last = day;
    while (i + 1 < days.length && days[i + 1]!.spans === spans) last = days[++i]!.day;
    parts.push(`${last === day ? day : `${day}-${last}`} ${spans}`);
  }
  return parts.length === 0 ? 'any' : parts.join('; ');
}
