/** Date + time in the user's locale and time zone (the browser's). */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Time of day in the user's locale ("上午10:32" / "10:32 AM"). */
export function formatTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(date);
}

/** Whole seconds from `from` to `to` (ISO times or epoch ms), never negative; null when either is unknown. */
export function secondsBetween(
  from: string | number | null | undefined,
  to: string | number | null | undefined,
): number | null {
  if (from == null || to == null) return null;
  const start = typeof from === 'number' ? from : Date.parse(from);
  const end = typeof to === 'number' ? to : Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, Math.floor((end - start) / 1000));
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** An elapsed time as a clock: "0:05", "12:34", "1:02:05" (hours go past 24). */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** The ISO 8601 duration of `<time dateTime>` ("PT1H2M5S"). */
export function isoDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

/** Hours, minutes and seconds of an elapsed time (for spoken labels). */
export function durationParts(totalSeconds: number): { hours: number; minutes: number; seconds: number } {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  return { hours: Math.floor(seconds / 3600), minutes: Math.floor((seconds % 3600) / 60), seconds: seconds % 60 };
}
