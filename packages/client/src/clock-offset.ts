/**
 * How far this device's clock is from the server's, read from the `Date`
 * header of the server's answers. A clinic computer whose clock is wrong (a
 * flat CMOS battery resets it to years ago; a wrong time zone shifts it by
 * hours) stamps every vital sign, appointment and change with a wrong time,
 * silently, and the server refuses vital signs recorded ahead of its own
 * clock. The device cannot know the true time offline; online, each answer
 * tells it.
 */

/** Past this, the status says the clock is off (the server allows vital signs 10 minutes ahead; device clocks drift seconds). */
export const CLOCK_OFF_AFTER_MS = 2 * 60_000;

/**
 * This device's clock minus the server's (positive: the device is ahead), from
 * an answer's `Date` header and the moment its headers arrived here. The header
 * has whole seconds, so the server's time is taken as the middle of its
 * second; undefined without a readable header, or when the answer carries an
 * `Age` (RFC 9111): a cache kept it, and its Date is when the server wrote it,
 * so the status would tell staff to set a right clock wrong by the cache's age.
 */
export function clockOffsetMs(headers: Pick<Headers, 'get'>, receivedAtMs: number): number | undefined {
  const dateHeader = headers.get('date');
  if (dateHeader === null || headers.get('age') !== null) return undefined;
  const serverMs = Date.parse(dateHeader);
  if (!Number.isFinite(serverMs)) return undefined;
  return receivedAtMs - (serverMs + 500);
}

/** What the status keeps of an offset: whole minutes, and nothing while within CLOCK_OFF_AFTER_MS. */
export function clockOffForStatus(offsetMs: number): number | undefined {
  if (Math.abs(offsetMs) < CLOCK_OFF_AFTER_MS) return undefined;
  return Math.round(offsetMs / 60_000) * 60_000;
}
