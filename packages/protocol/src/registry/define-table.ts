/**
 * The vocabulary of the table registry (PROTOCOL §2). A table is data: its
 * columns, how its organization scope is resolved, who may write it and which
 * fields must never merge. Validation, SQL migrations, the client store and
 * UI forms are all derived from these objects.
 */

export const ROLES = ['admin', 'clinician', 'receptionist'] as const;
export type Role = (typeof ROLES)[number];

/** Whether a stored value is one of the roles (a role the registry no longer knows grants nothing). */
export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

export type ColumnSpec = (
  | { readonly type: 'uuid'; readonly required: boolean; readonly label: string; readonly references?: string }
  | {
      readonly type: 'text';
      readonly required: boolean;
      readonly label: string;
      readonly maxLength: number;
      readonly multiline?: boolean;
      /**
       * A code compared as exact text (a clinic number, unique in its organization): blank, or blanks around it,
       * are refused, since `" K7QM9X-0042"` would pass for a second number that reads the same.
       */
      readonly code?: boolean;
    }
  | { readonly type: 'enum'; readonly required: boolean; readonly label: string; readonly values: readonly string[] }
  | { readonly type: 'date'; readonly required: boolean; readonly label: string }
  | { readonly type: 'timestamp'; readonly required: boolean; readonly label: string }
  | {
      readonly type: 'integer';
      readonly required: boolean;
      readonly label: string;
      readonly min: number;
      readonly max: number;
    }
  | {
      readonly type: 'number';
      readonly required: boolean;
      readonly label: string;
      readonly min: number;
      readonly max: number;
    }
  /** A flag; an INSERT that omits it stores `default` (stored as 0/1 in SQL, true/false on the wire). */
  | { readonly type: 'boolean'; readonly required: false; readonly label: string; readonly default: boolean }
) & {
  /** The schema version the column first appeared in (absent = 1); see docs/schema-migrations.md. */
  readonly since?: number;
  /**
   * How clients up to schema version `until` know this column when its type
   * changed later (vitals.kind was free text before version 3). Their events
   * are validated against `column` and translated by the server
   * (legacy-vitals.ts); newer clients use the spec itself.
   */
  readonly legacy?: { readonly until: number; readonly column: LegacyColumnSpec };
};

/** A column as older clients knew it (no versioning fields of its own). */
export type LegacyColumnSpec = {
  readonly type: 'text';
  readonly required: boolean;
  readonly label: string;
  readonly maxLength: number;
};

export type ColumnType = ColumnSpec['type'];

/** The schema version a column first appeared in (1 when absent); see docs/schema-migrations.md. */
export function columnSince(column: ColumnSpec): number {
  return column.since ?? 1;
}

/** The column as a client of `schemaVersion` knows it: its legacy shape up to `legacy.until`, else itself. */
export function columnAtVersion(column: ColumnSpec, schemaVersion: number): ColumnSpec {
  return column.legacy !== undefined && schemaVersion <= column.legacy.until
    ? { ...column.legacy.column, since: column.since }
    : column;
}

/**
 * How the server finds the organization a row belongs to, always from its own
 * database (never from the payload):
 * - `self`: the row is the organization;
 * - `column`: the row stores `organization_id`;
 * - `parent`: follow a reference to a parent table whose scope is known.
 */
export type ScopeRule =
  | { readonly kind: 'self' }
  | { readonly kind: 'column'; readonly column: 'organization_id' }
  | { readonly kind: 'parent'; readonly column: string; readonly parent: string };

export type TableSpec = {
  readonly name: string;
  /** Singular human name for UI copy ("patient"). */
  readonly label: string;
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  readonly scope: ScopeRule;
  /** Roles that may INSERT/UPDATE/DELETE rows of this table. */
  readonly writeRoles: readonly Role[];
  /** Columns that can never change after insert (`rejected: immutable_field`). */
  readonly immutable: readonly string[];
  /**
   * Conflict policy: `strict` fields never merge; a stale UPDATE touching only
   * non-strict fields that did not change on the server since its baseVersion
   * is applied (field-level merge). `'all'` makes every field strict.
   */
  readonly strict: readonly string[] | 'all';
};

/** Columns every synced row carries; the server owns them, clients never send them. */
export const SYSTEM_COLUMNS = ['id', 'version', 'updated_at', 'updated_by', 'deleted'] as const;
export type SystemColumn = (typeof SYSTEM_COLUMNS)[number];

/** Identity helper that keeps the literal types of a table declaration. */
export function defineTable<const T extends TableSpec>(spec: T): T {
  return spec;
}

/** True when `field` of `spec` must never be merged on a stale UPDATE. */
export function isStrictField(spec: TableSpec, field: string): boolean {
  return spec.strict === 'all' || spec.strict.includes(field);
}
