import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clinicalIssues, localToday, withLocalOffset, writersToday } from './clinical-rules.ts';
import { VITAL_KINDS } from './vital-kinds.ts';

const now = new Date('2026-12-01T10:00:00Z');
const vital = (extra: Record<string, unknown>) => ({ patient_id: 'p', recorded_at: '2026-12-01T09:00:00Z', ...extra });
const paths = (table: string, row: Record<string, unknown>, changed?: string[]) =>
  clinicalIssues(table, row, { now, ...(changed ? { changed } : {}) }).map((i) => `${i.path}:${i.code}`);

describe('clinicalIssues', () => {
  it.each([
    [
      'a temperature typed with a comma lost (382)',
      { kind: 'body_temperature', unit: 'Cel', value: 382 },
      ['value:out_of_range'],
    ],
    ['a negative weight', { kind: 'body_weight', unit: 'kg', value: -5 }, ['value:out_of_range']],
    [
      '"120/80" typed as 12080',
      { kind: 'blood_pressure', unit: 'mm[Hg]', value: 12080, value2: 80 },
      ['value:out_of_range'],
    ],
    [
      'systolic below diastolic',
      { kind: 'blood_pressure', unit: 'mm[Hg]', value: 80, value2: 120 },
      ['value2:out_of_range'],
    ],
    ['a blood pressure without diastolic', { kind: 'blood_pressure', unit: 'mm[Hg]', value: 120 }, ['value2:required']],
    ['a diastolic on a heart rate', { kind: 'heart_rate', unit: '/min', value: 70, value2: 1 }, ['value2:not_allowed']],
    ['another unit than the kind’s', { kind: 'body_temperature', unit: '[degF]', value: 37 }, ['unit:wrong_unit']],
    ['an uncoded kind', { kind: 'BP', unit: 'mmHg', value: 120 }, ['kind:unknown_kind']],
    [
      'a time 11 minutes ahead',
      { kind: 'heart_rate', unit: '/min', value: 70, recorded_at: '2026-12-01T10:11:00Z' },
      ['recorded_at:in_future'],
    ],
  ])('refuses %s', (_rule, data, expected) => {
    expect(paths('vitals', vital(data))).toEqual(expected);
  });

  it('accepts a time up to 10 minutes ahead of the server clock', () => {
    expect(
      paths('vitals', vital({ kind: 'heart_rate', unit: '/min', value: 70, recorded_at: '2026-12-01T10:10:00Z' })),
    ).toEqual([]);
  });

  it('checks only what an UPDATE touches: an old uncoded entry can still be marked entered in error', () => {
    const old = vital({ kind: 'BP', unit: 'mmHg', value: 12080, entered_in_error: true });
    expect(paths('vitals', old, ['entered_in_error', 'error_reason'])).toEqual([]);
    expect(paths('vitals', old, ['value'])).toEqual(['kind:unknown_kind']);
  });

  it.each([
    ['1899-12-31', ['birth_date:too_early']],
    ['1900-01-01', []],
    ['2026-12-01', []],
    ['2026-12-02', ['birth_date:in_future']],
  ])('birth date %s → %j', (birth_date, expected) => {
    expect(paths('patients', { birth_date })).toEqual(expected);
  });

  it('judges a birth date by the writer’s calendar when it is given: a baby born this morning east of UTC', () => {
    const birth = { birth_date: '2026-12-02' };
    expect(clinicalIssues('patients', birth, { now, today: '2026-12-02' })).toEqual([]);
    expect(clinicalIssues('patients', birth, { now, today: '2026-12-01' })).toEqual([
      { path: 'birth_date', code: 'in_future' },
    ]);
  });

  it.each([
    ['no stamp', undefined, '2026-12-01'],
    ['a stamp in UTC', '2026-12-01T09:59:00Z', '2026-12-01'],
    ['a stamp of the same instant in Sydney (UTC+11)', '2026-12-01T20:59:00+11:00', '2026-12-01'],
    ['a stamp of this morning in Auckland (UTC+13)', '2026-12-01T22:59:00.000+13:00', '2026-12-01'],
    ['a stamp in Kiribati (UTC+14) past its midnight', '2026-12-02T00:05:00+14:00', '2026-12-02'],
    ['a stamp written west of UTC, on its day before', '2026-11-30T23:00:00-11:00', '2026-12-01'],
    ['a stamp days old (written offline)', '2026-11-28T08:00:00+10:00', '2026-12-01'],
    ['a stamp further ahead than clocks drift', '2026-12-03T08:00:00+14:00', '2026-12-01'],
    ['a stamp that is no timestamp', 'tomorrow', '2026-12-01'],
    // An offset the timestamp format allows but no time zone has: the date would be tomorrow everywhere.
    ['a stamp in an offset beyond UTC+14', '2026-12-02T09:58:00+23:59', '2026-12-01'],
    ['a stamp in a format whose first ten characters are no date', 'Tue, 01 Dec 2026 09:59:00 GMT', '2026-12-01'],
  ])('writersToday: %s → %s', (_case, createdAt, expected) => {
    expect(writersToday(now, createdAt)).toBe(expected);
  });

  it('never believes a date that has begun nowhere yet at server time, however little the stamp is ahead', () => {
    // 09:55 UTC is 23:55 at UTC+14: 2026-12-02 begins nowhere for five more minutes. A stamp four minutes past
    // that midnight lies within the clock drift allowed, but its date is still tomorrow everywhere.
    const lateEvening = new Date('2026-12-01T09:55:00Z');
    expect(writersToday(lateEvening, '2026-12-02T00:04:00+14:00')).toBe('2026-12-01');
    expect(writersToday(lateEvening, '2026-12-01T23:55:00+14:00')).toBe('2026-12-01');
    // From midnight at UTC+14 on, the new date is today there.
    expect(writersToday(new Date('2026-12-01T10:00:00Z'), '2026-12-02T00:00:00+14:00')).toBe('2026-12-02');
    expect(
      clinicalIssues(
        'patients',
        { birth_date: '2026-12-02' },
        {
          now: lateEvening,
          today: writersToday(lateEvening, '2026-12-02T00:04:00+14:00'),
        },
      ),
    ).toEqual([{ path: 'birth_date', code: 'in_future' }]);
  });

  it('property: the writer’s today is never before the server’s UTC date, nor after the earliest zone’s at server time', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.integer({ min: -24 * 60, max: 24 * 60 }),
        // Every offset an ISO timestamp can carry, not only those time zones have.
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        (server, skewMinutes, offsetMinutes) => {
          const at = new Date(server.getTime() + skewMinutes * 60_000);
          const shifted = new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const stamp = `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          const today = writersToday(server, stamp);
          const utc = server.toISOString().slice(0, 10);
          const earliest = new Date(server.getTime() + 14 * 60 * 60_000).toISOString().slice(0, 10);
          expect(today >= utc && today <= earliest).toBe(true);
        },
      ),
    );
  });

  it('a local stamp names the same instant and the local calendar day', () => {
    const instant = '2026-12-01T22:30:00.000Z';
    const stamped = withLocalOffset(instant);
    expect(Date.parse(stamped)).toBe(Date.parse(instant));
    expect(stamped.slice(0, 10)).toBe(localToday(new Date(instant)));
  });

  it('property: a value is refused as out_of_range exactly when it lies outside the kind’s hard range', () => {
    const kinds = Object.values(VITAL_KINDS).filter((k) => !k.second);
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.double({ min: -1000, max: 1000, noNaN: true }), (kind, value) => {
        const refused = paths('vitals', vital({ kind: kind.code, unit: kind.unit, value })).includes(
          'value:out_of_range',
        );
        expect(refused).toBe(value < kind.hard.min || value > kind.hard.max);
      }),
    );
  });
});
