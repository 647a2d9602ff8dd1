import { useConflicts } from '../hooks/useConflicts.ts';
import { ConflictCard } from './ConflictCard.tsx';
import { DeadLetterList } from './DeadLetterList.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { HeldChanges } from './HeldChanges.tsx';
import { UnsentResolutions } from './UnsentResolutions.tsx';

/** Conflicts to decide and refused changes: where nothing is lost silently. */
export function ConflictInbox() {
  const { data, error, resolve } = useConflicts();
  return (
    <section aria-labelledby="inbox-title">
      <div className="page-head">
        <h1 id="inbox-title">Conflicts</h1>
      </div>
      <ErrorNotice error={error} />
      {data && data.length === 0 && (
        <p className="empty">No conflicts. Every change made here has been accepted or is waiting to sync.</p>
      )}
      {data?.map((conflict) => (
        <ConflictCard key={conflict.id} conflict={conflict} onResolve={(body) => resolve(conflict.id, body)} />
      ))}
      <UnsentResolutions />
      <DeadLetterList />
      <HeldChanges />
    </section>
  );
}
