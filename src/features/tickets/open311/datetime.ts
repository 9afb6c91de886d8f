/**
 * Open311 datetimes: ISO 8601 to the second with the community's UTC offset
 * (`2026-01-05T09:30:00+08:00`), as GeoReport v2 requires time zone information.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';

/** The instant as the community's wall clock with its offset (`Z` when the offset is zero). */
export function formatOpen311Datetime(instant: Date, timezone: string): string {
  return format(new TZDate(instant.getTime(), timezone), "yyyy-MM-dd'T'HH:mm:ssXXX");
}
