import { TABLES, type TableName, type TableSpec } from '@clinicsync/protocol';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { DraftView } from '../../shared/local-api.ts';
import { useLocalQuery } from '../hooks/useLocalQuery.ts';
import { displayValue } from '../copy/record-labels.ts';
import type { FieldOption } from '../forms/registry-fields.ts';
import { useIncoming } from '../hooks/useIncoming.ts';
import { useInPlaceForm } from '../hooks/useInPlaceForm.ts';
import { useRecords } from '../hooks/useRecords.ts';
import { useRecordStates } from '../hooks/useRecordStates.ts';
import { SyncBadge } from './SyncBadge.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { IncomingBadge } from './IncomingBadge.tsx';
import { EnteredInErrorReason, MarkEnteredInError } from './MarkEnteredInError.tsx';
import { RecordForm } from './RecordForm.tsx';

type Props = {
  readonly title: string;
  readonly table: TableName;
  readonly patientId: string;
  /** Columns shown in the list, in order. */
  readonly columns: readonly string[];
  readonly canWrite: boolean;
  readonly readOnlyNote?: string;
  readonly references?: Readonly<Record<string, readonly FieldOption[]>>;
  readonly defaults?: () => Readonly<Record<string, string>>;
  readonly orderBy: string;
  readonly desc?: boolean;
  readonly addLabel: string;
  /** Asked before saving (RecordForm `warnBeforeSave`), e.g. an appointment in the past. */
  readonly warnBeforeSave?: (data: Readonly<Record<string, unknown>>) => Promise<ReactNode | null>;
};

const wrong = (row: Readonly<Record<string, unknown>>) => row.entered_in_error === true;

/**
 * One part of a patient's chart (appointments, medications): a list with add
 * and edit forms from the registry. An entry marked entered in error stays in
 * the list, struck through with its reason, and can no longer be edited.
 */

export function ChartSection({
  title,
  table,
  patientId,
  columns,
  canWrite,
  readOnlyNote,
  references,
  defaults,
  orderBy,
  desc,
  addLabel,
  warnBeforeSave,
}: Props) {
  const spec: TableSpec = TABLES[table];
  const { data, error } = useRecords(table, { patient_id: patientId }, { orderBy, desc });
  const incoming = useIncoming(`${table}|${patientId}`, data);
  const states = useRecordStates(table);
  const adding = useInPlaceForm();
  // A half-filled "add" form left here earlier opens again with what was typed.
  const waitingDraft = useLocalQuery<DraftView>(
    canWrite ? `/api/drafts/${encodeURIComponent(`${table}:new:${patientId}`)}` : null,
  );
  const { openForDraft } = adding;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a draft arriving is the trigger; opening is stable in effect.
  useEffect(() => {
    if (waitingDraft.data) openForDraft();
  }, [waitingDraft.data]);
  const [editing, setEditing] = useState<string | null>(null);
  // A row's form replaces its Edit button: when it closes, the focus goes back to that button.
  const sectionRef = useRef<HTMLElement>(null);
  const editedLast = useRef<string | null>(null);
  const closeEdit = () => {
    editedLast.current = editing;
    setEditing(null);
  };
  useEffect(() => {
    if (editing !== null || editedLast.current === null) return;
    sectionRef.current?.querySelector<HTMLElement>(`[data-edit="${editedLast.current}"]`)?.focus();
    editedLast.current = null;
  }, [editing]);
  const headingId = `section-${table}`;
  const optionLabel = (column: string, value: unknown) => references?.[column]?.find((o) => o.value === value)?.label;
  // Tables with clinical entries (medications) are corrected by marking an entry entered in error, never by deleting.
  const markable = Object.hasOwn(spec.columns, 'entered_in_error');
  const entryName = (row: Readonly<Record<string, unknown>>) =>
    `${spec.label} ${displayValue(spec.columns[columns[0] ?? ''], row[columns[0] ?? ''])}`;

  return (
    <section className="card chart-section" aria-labelledby={headingId} ref={sectionRef}>
      <div className="section-head">
        <h2 id={headingId}>{title}</h2>
        {canWrite && !adding.open && (
          <button type="button" className="button" ref={adding.buttonRef} onClick={adding.openByPerson}>
            {addLabel}
          </button>
        )}
      </div>
      {!canWrite && readOnlyNote && <p className="muted small">{readOnlyNote}</p>}
      {adding.open && (
        <RecordForm
          focusFirstField={adding.openedByPerson}
          table={table}
          fixed={{ patient_id: patientId }}
          references={references}
          defaults={defaults?.()}
          title={addLabel}
          submitLabel="Save"
          draftKey={`${table}:new:${patientId}`}
          warnBeforeSave={warnBeforeSave}
          onSaved={adding.close}
          onCancel={adding.close}
        />
      )}
      <ErrorNotice error={error} />
      {data && data.length === 0 && !adding.open && <p className="empty">None recorded.</p>}
      {data && data.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {spec.columns[c]?.label ?? c}
                </th>
              ))}
              <th scope="col">Sync</th>
              {canWrite && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {data.map((row) =>
              editing === row.id ? (
                <tr key={row.id}>
                  <td colSpan={columns.length + 2}>
                    <RecordForm
                      table={table}
                      row={row}
                      focusFirstField
                      references={references}
                      warnBeforeSave={warnBeforeSave}
                      title={`Edit ${spec.label}`}
                      submitLabel="Save changes"
                      draftKey={`${table}:edit:${row.id}`}
                      onSaved={closeEdit}
                      onCancel={closeEdit}
                    />
                  </td>
                </tr>
              ) : (
                <tr
                  key={row.id}
                  className={
                    [incoming.has(row.id) && 'is-incoming', wrong(row) && 'entered-in-error']
                      .filter(Boolean)
                      .join(' ') || undefined
                  }
                >
                  {columns.map((c, i) => {
                    const shown = optionLabel(c, row[c]) ?? displayValue(spec.columns[c], row[c]);
                    return (
                      <td key={c} data-label={spec.columns[c]?.label ?? c}>
                        {wrong(row) ? <s>{shown}</s> : shown}
                        {i === 0 && <IncomingBadge incoming={incoming.get(row.id)} />}
                        {i === 0 && wrong(row) && <EnteredInErrorReason reason={row.error_reason} />}
                      </td>
                    );
                  })}
                  <td data-label="Sync">
                    <SyncBadge state={states.get(row.id)} showSent />
                  </td>
                  {canWrite && (
                    <td className="row-actions">
                      {!wrong(row) && (
                        <button
                          type="button"
                          className="button small"
                          data-edit={row.id}
                          onClick={() => setEditing(row.id)}
                          aria-label={`Edit ${entryName(row)}`}
                        >
                          Edit
                        </button>
                      )}
                      {markable && !wrong(row) && (
                        <MarkEnteredInError table={table} recordId={row.id} what={entryName(row)} />
                      )}
                    </td>
                  )}
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
