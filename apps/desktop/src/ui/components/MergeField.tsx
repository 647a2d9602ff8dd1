import type { FormFieldSpec } from '../forms/registry-fields.ts';
import type { MergeChoice } from '../forms/merge-values.ts';
import { FormField } from './FormField.tsx';

type Props = {
  readonly idPrefix: string;
  readonly label: string;
  /** The registry input for the field; absent for references, which can only be taken from one side. */
  readonly field: FormFieldSpec | undefined;
  readonly choice: MergeChoice;
  /** What the input shows: the chosen side's value, or what was typed. */
  readonly text: string;
  readonly error: string | undefined;
  readonly onChoose: (source: 'mine' | 'theirs') => void;
  readonly onType: (text: string) => void;
};

/** One field of a merge: take this device's value or the server's, or correct it by typing. */
export function MergeField({ idPrefix, label, field, choice, text, error, onChoose, onType }: Props) {
  const group = `${idPrefix}-side`;
  return (
    <fieldset className="merge-choice">
      <legend className="visually-hidden">{label} to keep</legend>
      <div className="merge-sides">
        <label>
          <input type="radio" name={group} checked={choice.source === 'mine'} onChange={() => onChoose('mine')} /> This
          device
        </label>
        <label>
          <input type="radio" name={group} checked={choice.source === 'theirs'} onChange={() => onChoose('theirs')} />{' '}
          Server
        </label>
      </div>
      {field && (
        <FormField
          field={{ ...field, label: `Merged ${label.toLowerCase()}` }}
          hideLabel
          idPrefix={idPrefix}
          value={text}
          error={error}
          onChange={onType}
          onBlur={() => undefined}
        />
      )}
    </fieldset>
  );
}
