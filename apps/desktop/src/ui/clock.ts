/**
 * The only place the page reads the time: "today" for the appointment book,
 * default start times, and "3 min ago" in the status bar.
 */
import { localToday } from '@clinicsync/protocol';

/** The current instant. */
export function now(): Date {
  return new Date();
}

/** A Date as `YYYY-MM-DD` in the computer's time zone (the day the server reads from what this device sends). */
export const localDay: (date: Date) => string = localToday;

/** The instants that start and end the local day `YYYY-MM-DD`. */
export function dayRange(day: string): { from: Date; to: Date } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return { from: new Date(y, m - 1, d), to: new Date(y, m - 1, d + 1) };
}

/** The day before or after `day`. */
export function shiftDay(day: string, by: number): string {
  const { from } = dayRange(day);
  return localDay(new Date(from.getFullYear(), from.getMonth(), from.getDate() + by));
}

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function ago(iso: string | null | undefined, at: Date = now()): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, (at.getTime() - Date.parse(iso)) / 1000);
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  const days = Math.round(seconds / 86400);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** A timestamp for people: "3 Mar 2026, 09:30". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? '—'
    : d.toLocaleString(undefined, {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      });
}

/** A time of day: "09:30". */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** A calendar date (`YYYY-MM-DD`) for people: "3 Mar 1990". */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}
