import { ERROR_REASON_MAX_LENGTH, type TableName } from '@clinicsync/protocol';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { LocalApiError } from '../api/local-client.ts';
import { recordWriter } from '../hooks/useRecords.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

/**
 * Marks a wrong clinical entry (a vital sign, a medication) entered in error
 * with the reason asked for (PROTOCOL §2b): the entry stays in the chart,
 * struck through, and in its history; clinicians mark, they never delete.
 */
export function MarkEnteredInError({
  table,
  recordId,
  what,
}: {
  readonly table: TableName;
  readonly recordId: string;
  /** Names the entry for screen readers, e.g. "Heart rate of 2 Mar 2026, 09:05". */
  readonly what: string;
}) {
  const [marking, setMarking] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<LocalApiError | null>(null);
  const reasonId = useId();
  const reasonInput = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  useEffect(() => {
    // The button gives way to the reason field: the focus follows, and comes back to the button on cancel.
    if (marking) reasonInput.current?.focus();
    else if (opened.current) button.current?.focus();
    opened.current ||= marking;
  }, [marking]);
  const refuse = (message: string) => {
    setProblem(message);
    reasonInput.current?.focus();
  };

  const mark = async (event: FormEvent) => {
    event.preventDefault();
    const text = reason.trim();
    if (text === '') return refuse('Say why this entry is wrong.');
    if (text.length > ERROR_REASON_MAX_LENGTH) return refuse(`At most ${ERROR_REASON_MAX_LENGTH} characters.`);
    try {
      await recordWriter.update(table, recordId, { entered_in_error: true, error_reason: text });
      setMarking(false);
    } catch (error) {
      setFailure(error instanceof LocalApiError ? error : new LocalApiError(0, 'internal', 'Could not save.'));
    }
  };

  if (!marking)
    return (
      <button
        ref={button}
        type="button"
        className="button small"
        onClick={() => setMarking(true)}
        aria-label={`Mark ${what} entered in error`}
      >
        Mark entered in error
      </button>
    );
  return (
    <form className="inline-form" onSubmit={mark} noValidate aria-label="Mark entered in error">
      <label htmlFor={reasonId}>Why is it wrong?</label>
      <input
        ref={reasonInput}
        id={reasonId}
        name="error_reason"
        value={reason}
        aria-describedby={problem ? `${reasonId}-problem` : undefined}
        onChange={(e) => {
          setReason(e.target.value);
          setProblem(null);
        }}
        aria-invalid={problem ? true : undefined}
      />
      {problem && (
        <p className="field-error" role="alert" id={`${reasonId}-problem`}>
          {problem}
        </p>
      )}
      <button type="submit" className="button small primary">
        Mark
      </button>
      <button type="button" className="button small" onClick={() => setMarking(false)}>
        Cancel
      </button>
      <ErrorNotice error={failure} title="Not saved." />
    </form>
  );
}

/** The reason shown beside an entry marked entered in error. */
export function EnteredInErrorReason({ reason }: { readonly reason: unknown }) {
  return <span className="error-reason">Entered in error: {String(reason ?? 'no reason given')}</span>;
}
