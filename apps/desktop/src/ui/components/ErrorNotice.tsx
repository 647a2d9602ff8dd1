import type { LocalApiError } from '../api/local-client.ts';

/** A failure shown to people, announced to screen readers. */
export function ErrorNotice({
  error,
  title,
}: {
  readonly error: LocalApiError | Error | null | undefined;
  readonly title?: string;
}) {
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      {title && <strong>{title} </strong>}
      {error.message}
    </div>
  );
}
