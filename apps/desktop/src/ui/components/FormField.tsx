import type { FormFieldSpec } from '../forms/registry-fields.ts';

type Props = {
  readonly field: FormFieldSpec;
  readonly idPrefix: string;
  readonly value: string;
  readonly error: string | undefined;
  readonly onChange: (value: string) => void;
  readonly onBlur: () => void;
  /** Label for screen readers only, where a table row already names the field. */
  readonly hideLabel?: boolean;
};

function hintOf(field: FormFieldSpec): string | null {
  const column = field.column;
  if (column.type === 'text' && column.maxLength >= 500)
    return `Up to ${column.maxLength.toLocaleString()} characters.`;
  return null;
}

/** One labelled input generated from a registry column, with its inline error. */
export function FormField({ field, idPrefix, value, error, onChange, onBlur, hideLabel = false }: Props) {
  const id = `${idPrefix}-${field.name}`;
  const hint = hintOf(field);
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: field.name,
    value,
    required: field.required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    onBlur,
  } as const;
  const column = field.column;

  let input;
  switch (field.input) {
    case 'textarea':
      input = <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'select':
      input = (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          <option value="">{field.required ? 'Choose…' : '—'}</option>
          {field.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'date':
      input = <input {...common} type="date" onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'datetime':
      input = <input {...common} type="datetime-local" onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'number':
      input = (
        <input
          {...common}
          type="number"
          inputMode={column.type === 'integer' ? 'numeric' : 'decimal'}
          step={column.type === 'integer' ? 1 : 'any'}
          min={column.type === 'integer' || column.type === 'number' ? column.min : undefined}
          max={column.type === 'integer' || column.type === 'number' ? column.max : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case 'text':
      // No maxLength attribute: the browser would silently cut a pasted name. An over-long value is an error at the field.
      input = <input {...common} type="text" onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'checkbox':
      input = (
        <input
          {...common}
          type="checkbox"
          checked={value === 'true'}
          onChange={(e) => onChange(e.target.checked ? 'true' : 'false')}
        />
      );
      break;
  }

  return (
    <div className={`field field-${field.input}${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {field.label}
        {hideLabel ? null : field.required ? (
          <span className="required-mark" aria-hidden="true">
            {' '}
            *
          </span>
        ) : (
          <span className="optional-mark"> (optional)</span>
        )}
      </label>
      {input}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
