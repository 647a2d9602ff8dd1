/**
 * The scope chain (PROTOCOL §2, §3): which organization a record belongs to,
 * derived once from the registry's scope rules. A patient names its
 * organization; an appointment names a team, which names the organization; a
 * vital or a medication names a patient, which names the organization; an
 * organization is its own. Every runtime that asks "whose record is this"
 * (server push and its prefetch, the FHIR reads, the client store, the
 * desktop) follows these links with its own data access; none spells the
 * chain out itself.
 */
import { assert } from '../errors.ts';
import { TABLES, TABLE_NAMES, isTableName, type TableName } from './tables.ts';

/**
 * One link up the chain: `column` of a row names a row of `parent`. When
 * `parent` is `organizations`, the column holds the organization's id itself
 * and the chain ends there (the organization row need not be read).
 */
export type ScopeLink = { readonly column: string; readonly parent: TableName };

function linkOf(table: TableName): ScopeLink | undefined {
  const scope = TABLES[table].scope;
  switch (scope.kind) {
    case 'self':
      return undefined;
    case 'column':
      return { column: scope.column, parent: 'organizations' };
    case 'parent':
      assert(isTableName(scope.parent), `the registry names an unknown parent table ${scope.parent}`);
      return { column: scope.column, parent: scope.parent };
  }
}

function chainOf(table: TableName): readonly ScopeLink[] {
  const chain: ScopeLink[] = [];
  for (let link = linkOf(table); link; link = link.parent === 'organizations' ? undefined : linkOf(link.parent)) {
    chain.push(link);
    assert(chain.length <= TABLE_NAMES.length, `the scope chain of ${table} never reaches an organization`);
  }
  return chain;
}

/** Each table's links from a row up to its organization: none for organizations; the last link's parent is `organizations`. */
export const SCOPE_CHAINS: { readonly [T in TableName]: readonly ScopeLink[] } = Object.fromEntries(
  TABLE_NAMES.map((table) => [table, chainOf(table)]),
) as { readonly [T in TableName]: readonly ScopeLink[] };

/** The first link of `table`'s chain; undefined when a row of `table` is an organization itself. */
export function scopeLink(table: TableName): ScopeLink | undefined {
  return SCOPE_CHAINS[table][0];
}
