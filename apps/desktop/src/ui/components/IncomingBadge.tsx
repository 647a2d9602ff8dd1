import type { Incoming } from '../hooks/useIncoming.ts';

/** "New" or "Updated" next to a row that just arrived from a colleague; nothing otherwise. */
export function IncomingBadge({ incoming }: { readonly incoming: Incoming | undefined }) {
  if (!incoming) return null;
  return <span className={`badge badge-incoming incoming-${incoming}`}>{incoming === 'new' ? 'New' : 'Updated'}</span>;
}
