import type { APPOINTMENT_STATUSES } from '@clinicsync/protocol';
import { useEffect, useState } from 'react';
import type { LocalRow, OrganizationView } from '../../shared/local-api.ts';
import { LocalApiError } from '../api/local-client.ts';
import { dayRange, formatDate, formatDateTime, formatTime, localDay, now, shiftDay } from '../clock.ts';
import { patientName } from '../copy/record-labels.ts';
import { toLocalInput } from '../forms/form-values.ts';
import { enumLabel } from '../forms/registry-fields.ts';
import { useAppointmentBook } from '../hooks/useAppointmentBook.ts';
import { useIncoming } from '../hooks/useIncoming.ts';
import { recordWriter } from '../hooks/useRecords.ts';
import { useTeams } from '../hooks/useTeams.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { IncomingBadge } from './IncomingBadge.tsx';
import { PatientPicker } from './PatientPicker.tsx';
import { RecordForm } from './RecordForm.tsx';

type Status = (typeof APPOINTMENT_STATUSES)[number];
/** The status changes offered at the desk, in the order they happen. */
const ACTIONS: readonly Status[] = ['arrived', 'fulfilled', 'cancelled', 'noshow'];

/** Asks before booking in the past (a typo in the date, or a visit recorded afterwards). */
export function pastWarning(startsAt: unknown): string | null {
  if (typeof startsAt !== 'string') return null;
  const at = new Date(startsAt);
  return at.getTime() < now().getTime()
    ? `This appointment is in the past (${formatDateTime(startsAt)}). Book it anyway?`
    : null;
}

/** A team's appointments for one day: book, and mark arrived, fulfilled, cancelled or no-show. */
export function AppointmentBook({ org }: { readonly org: OrganizationView }) {
  const teams = useTeams(org.id);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [day, setDay] = useState(() => localDay(now()));
  const [booking, setBooking] = useState<LocalRow | null>(null);
  const [picking, setPicking] = useState(false);
  const [failure, setFailure] = useState<LocalApiError | null>(null);
  const book = useAppointmentBook(org.id, teamId, day);
  const incoming = useIncoming(
    `${org.id}|${teamId}|${day}`,
    book.data?.map((entry) => entry.appointment),
  );

  useEffect(() => {
    if (!teamId && teams.data?.[0]) setTeamId(teams.data[0].id);
  }, [teams.data, teamId]);

  const setStatus = async (appointment: LocalRow, status: Status) => {
    setFailure(null);
    try {
      await recordWriter.update('appointments', appointment.id, { status });
    } catch (error) {
      setFailure(
        error instanceof LocalApiError ? error : new LocalApiError(0, 'internal', 'Could not change the status.'),
      );
    }
  };

  // 09:00 of the day shown; today, the next whole hour, so the default is never a time already gone.
  const startOfDay = () => {
    const { from } = dayRange(day);
    from.setHours(9);
    const current = now();
    if (day === localDay(current) && from.getTime() < current.getTime()) {
      from.setTime(current.getTime());
      from.setMinutes(0, 0, 0);
      from.setHours(from.getHours() + 1);
    }
    return toLocalInput(from.toISOString());
  };

  return (
    <section aria-labelledby="book-title">
      <div className="page-head">
        <h1 id="book-title">Appointments</h1>
        {!picking && !booking && (
          <button type="button" className="button primary" onClick={() => setPicking(true)} disabled={!teamId}>
            Book appointment
          </button>
        )}
      </div>
      <div className="toolbar" role="group" aria-label="Team and day">
        <div className="field">
          <label htmlFor="book-team">Team</label>
          <select id="book-team" value={teamId ?? ''} onChange={(e) => setTeamId(e.target.value)}>
            {(teams.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {String(t.name)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="book-day">Day</label>
          <input id="book-day" type="date" value={day} onChange={(e) => e.target.value && setDay(e.target.value)} />
        </div>
        <div className="day-nav">
          <button
            type="button"
            className="button small"
            onClick={() => setDay(shiftDay(day, -1))}
            aria-label="Previous day"
          >
            ←
          </button>
          <button type="button" className="button small" onClick={() => setDay(localDay(now()))}>
            Today
          </button>
          <button type="button" className="button small" onClick={() => setDay(shiftDay(day, 1))} aria-label="Next day">
            →
          </button>
        </div>
      </div>

      {picking && !booking && (
        <div className="card">
          <h2>Book an appointment</h2>
          <PatientPicker
            orgId={org.id}
            onPick={(p) => {
              setBooking(p);
              setPicking(false);
            }}
          />
          <button type="button" className="button" onClick={() => setPicking(false)}>
            Cancel
          </button>
        </div>
      )}
      {booking && teamId && (
        <div className="card">
          <RecordForm
            table="appointments"
            fixed={{ patient_id: booking.id }}
            references={{ team_id: (teams.data ?? []).map((t) => ({ value: t.id, label: String(t.name) })) }}
            defaults={{ team_id: teamId, starts_at: startOfDay(), duration_min: '15', status: 'booked' }}
            title={`Book ${patientName(booking)}`}
            submitLabel="Book appointment"
            // The chart's booking form uses the same key: a booking typed here and left reopens in her chart too.
            draftKey={`appointments:new:${booking.id}`}
            warnBeforeSave={async (data) => pastWarning(data.starts_at)}
            onSaved={(saved) => {
              setBooking(null);
              // Show the day it was booked on, so a booking on another day (or in the past) is seen where it landed.
              if (typeof saved.starts_at === 'string') setDay(localDay(new Date(saved.starts_at)));
            }}
            onCancel={() => setBooking(null)}
          />
        </div>
      )}

      <ErrorNotice error={book.error ?? failure} />
      <h2 className="day-title">{formatDate(day)}</h2>
      {book.data && book.data.length === 0 && <p className="empty">No appointments this day.</p>}
      {book.data && book.data.length > 0 && (
        <ol className="book-list" aria-label={`Appointments on ${formatDate(day)}`}>
          {book.data.map(({ appointment, patient }) => {
            const status = String(appointment.status) as Status;
            return (
              <li
                key={appointment.id}
                className={`book-entry status-${status}${incoming.has(appointment.id) ? ' is-incoming' : ''}`}
              >
                <div className="book-time">
                  <time dateTime={String(appointment.starts_at)}>{formatTime(String(appointment.starts_at))}</time>
                  <span className="muted small">{String(appointment.duration_min)} min</span>
                </div>
                <div className="book-who">
                  <a href={`#/patients/${String(appointment.patient_id)}`}>{patientName(patient)}</a>
                  {appointment.reason ? <span className="muted small">{String(appointment.reason)}</span> : null}
                </div>
                <span className={`badge badge-${status}`}>{enumLabel(status)}</span>
                <IncomingBadge incoming={incoming.get(appointment.id)} />
                <div
                  className="book-actions"
                  role="group"
                  aria-label={`Status of ${patientName(patient)}'s appointment`}
                >
                  {ACTIONS.map((action) => (
                    <button
                      key={action}
                      type="button"
                      className="button small"
                      disabled={status === action}
                      onClick={() => void setStatus(appointment, action)}
                    >
                      {enumLabel(action)}
                    </button>
                  ))}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
