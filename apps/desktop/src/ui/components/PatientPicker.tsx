import { useDeferredValue, useId, useState } from 'react';
import type { LocalRow } from '../../shared/local-api.ts';
import { patientName } from '../copy/record-labels.ts';
import { usePatients } from '../hooks/usePatients.ts';

/** Finds a patient by typing (a combobox with a listbox of matches; arrows and Enter choose). */
export function PatientPicker({
  orgId,
  onPick,
}: {
  readonly orgId: string;
  readonly onPick: (patient: LocalRow) => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const search = useDeferredValue(text);
  const { data } = usePatients(orgId, search, 8);
  const matches = search.trim() ? (data ?? []) : [];
  const listId = `${id}-list`;

  const pick = (patient: LocalRow | undefined) => {
    if (!patient) return;
    onPick(patient);
    setText('');
  };

  return (
    <div className="field patient-picker">
      <label htmlFor={`${id}-input`}>Patient</label>
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        aria-expanded={matches.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={matches[active] ? `${id}-opt-${active}` : undefined}
        placeholder="Type a name or phone"
        autoComplete="off"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, matches.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter') {
            e.preventDefault();
            pick(matches[active]);
          } else return;
          e.preventDefault();
        }}
      />
      {matches.length > 0 && (
        <ul id={listId} role="listbox" className="picker-list" aria-label="Matching patients">
          {matches.map((p, i) => (
            <li
              key={p.id}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(p)}
            >
              {patientName(p)}
              {p.birth_date ? <span className="muted small"> · {String(p.birth_date)}</span> : null}
            </li>
          ))}
        </ul>
      )}
      {search.trim() && data && data.length === 0 && (
        <p className="hint">No patient matches. Register the patient first.</p>
      )}
    </div>
  );
}
