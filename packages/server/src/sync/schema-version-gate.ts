/**
 * The one schema-version gate of push and pull (PROTOCOL §5): a version below
 * the oldest the server serves is `426 schema_upgrade_required` on both
 * routes; one above the server's own is `400 invalid_request` (rows or events
 * shaped for a version this server does not know would be silently wrong).
 * Both routes call it before the rest of the request is validated, so an old
 * client is told to upgrade even when its request no longer matches today's
 * schema (docs/protocol-clarifications.md "Schema versions").
 */
import { ApiError, SCHEMA_VERSION } from '@clinicsync/protocol';

/**
 * Throws when `schemaVersion` is an integer the server does not serve;
 * anything that is not an integer is left to the request's schema, which
 * answers `400 invalid_request` with the path.
 */
export function checkSchemaVersion(schemaVersion: unknown, minSupported: number): void {
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion)) return;
  if (schemaVersion < minSupported) {
    throw new ApiError(
      'schema_upgrade_required',
      'This app is too old to sync with the server. Update it; your changes stay saved on this device.',
      { details: { minSupported, current: SCHEMA_VERSION } },
    );
  }
  if (schemaVersion > SCHEMA_VERSION) {
    throw new ApiError('invalid_request', `This server speaks schema version ${SCHEMA_VERSION} at most.`, {
      details: { issues: [{ path: 'schemaVersion', code: 'too_big' }], current: SCHEMA_VERSION },
    });
  }
}

/**
 * A query parameter's schema version as the gate reads it: exactly as the pull query's own schema reads it
 * (`z.coerce.number`, that is `Number`), so both agree on every spelling. `0.0` or `0x0` is version 0 (`426`,
 * like `0`), and `4e0` is version 4 (`400 too_big`), never a version the gate skipped and the schema let through.
 * Blank text is no version at all.
 */
export function schemaVersionOfQuery(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const version = Number(value);
  return Number.isFinite(version) ? version : undefined;
}
