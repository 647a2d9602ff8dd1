/** Every route of the API, in the order the reference shows them. A route missing here fails `openapi-routes.test.ts`. */
import { accountOperations } from './operations-accounts.ts';
import { adminOperations } from './operations-admin.ts';
import { invitationOperations } from './operations-invitations.ts';
import type { OperationSpec } from './operation-spec.ts';
import { serviceOperations } from './operations-service.ts';
import { syncOperations } from './operations-sync.ts';

export const OPERATIONS: readonly OperationSpec[] = [
  ...accountOperations,
  ...syncOperations,
  ...invitationOperations,
  ...adminOperations,
  ...serviceOperations,
];
