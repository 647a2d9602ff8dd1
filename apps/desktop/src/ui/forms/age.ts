/** A person's age as a clinic says it, from a `YYYY-MM-DD` birth date. Pure. */

/** "34 years", "7 months", "12 days" on the day `today` (local calendar); '' for a date after today. */
export function ageOn(birthDate: string, today: Date): string {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  if (!y || !m || !d) return '';
  const ty = today.getFullYear();
  const tm = today.getMonth() + 1;
  const td = today.getDate();
  let years = ty - y;
  if (tm < m || (tm === m && td < d)) years -= 1;
  if (years < 0) return '';
  if (years >= 2) return `${years} years`;
  const months = (ty - y) * 12 + (tm - m) - (td < d ? 1 : 0);
  if (months >= 1) return months === 1 ? '1 month' : `${months} months`;
  const days = Math.floor((Date.UTC(ty, tm - 1, td) - Date.UTC(y, m - 1, d)) / 86_400_000);
  return days === 1 ? '1 day' : `${days} days`;
}
