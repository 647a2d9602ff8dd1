/**
 * Durable Object SQL binds at most 100 parameters per statement (checked
 * under workerd: the 101st is "too many SQL variables"), while the core's
 * queries bind hundreds — a 500-event push reads its rows with `id in (…)`
 * lists and writes them with multi-row INSERTs. So the driver fits each
 * statement to the limit, mechanically and without any value entering SQL
 * text:
 *
 * - an `in (?, ?, …)` list becomes `in (select value from json_each(?))`,
 *   its values bound as ONE JSON array parameter (same rows: `json_each`
 *   yields the array's values with their SQLite types);
 * - a multi-row INSERT that still binds too many is run as several INSERTs
 *   of fewer rows each, in the same transaction (a plain or upserting
 *   INSERT of rows that do not collide with each other means the same
 *   split or whole).
 */
import { SqliteQueryCompiler, type CompiledQuery, type InsertQueryNode, type RootOperationNode } from 'kysely';

export const MAX_BOUND_PARAMETERS = 100;

/** The statements to run instead of `query`, each within the limit; throws when one cannot be made to fit. */
export function fitParameterLimit(query: CompiledQuery): readonly CompiledQuery[] {
  const listed = foldInLists(query);
  if (listed.parameters.length <= MAX_BOUND_PARAMETERS) return [listed];
  if (query.query.kind === 'InsertQueryNode') return splitInsert(query.query as InsertQueryNode, query);
  throw new Error(
    `a statement binds ${listed.parameters.length} parameters, more than the ${MAX_BOUND_PARAMETERS} Durable Object storage accepts`,
  );
}

const IN_LIST = /\bin \((\?(?:, \?)+)\)/gi;

/** Replaces every `in (?, …)` list of two or more scalar parameters by one JSON-array parameter. */
function foldInLists(query: CompiledQuery): CompiledQuery {
  if (query.parameters.length <= MAX_BOUND_PARAMETERS) return query;
  const parameters: unknown[] = [];
  let consumed = 0;
  let last = 0;
  let sqlText = '';
  for (const match of query.sql.matchAll(IN_LIST)) {
    const before = query.sql.slice(last, match.index);
    const beforeCount = countPlaceholders(before);
    parameters.push(...query.parameters.slice(consumed, consumed + beforeCount));
    consumed += beforeCount;
    const count = countPlaceholders(match[1]!);
    const values = query.parameters.slice(consumed, consumed + count);
    consumed += count;
    if (
      values.every(
        (value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || value === null,
      )
    ) {
      sqlText += `${before}in (select value from json_each(?))`;
      parameters.push(JSON.stringify(values));
    } else {
      sqlText += before + match[0];
      parameters.push(...values);
    }
    last = match.index + match[0].length;
  }
  const rest = query.sql.slice(last);
  parameters.push(...query.parameters.slice(consumed));
  if (consumed + countPlaceholders(rest) !== query.parameters.length) return query; // not the shape we understand: leave it whole
  return { ...query, sql: sqlText + rest, parameters };
}

/** Kysely's SQLite compiler writes every parameter as a bare `?` and quotes identifiers with "…", which never hold one. */
function countPlaceholders(text: string): number {
  let count = 0;
  for (const char of text) if (char === '?') count++;
  return count;
}

function splitInsert(node: InsertQueryNode, whole: CompiledQuery): readonly CompiledQuery[] {
  const values = node.values;
  if (values?.kind !== 'ValuesNode')
    throw new Error('an INSERT binds too many parameters and has no row list to split');
  const rows = (values as unknown as { values: readonly unknown[] }).values;
  const compiler = new SqliteQueryCompiler();
  const compile = (part: readonly unknown[]) =>
    compiler.compileQuery(
      { ...node, values: { ...values, values: part } } as unknown as RootOperationNode,
      whole.queryId,
    );
  // Rows of one INSERT have the same columns, so the first compiled chunk tells the size that fits.
  let size = Math.max(1, Math.floor((rows.length * MAX_BOUND_PARAMETERS) / whole.parameters.length));
  for (;;) {
    const first = compile(rows.slice(0, size));
    if (first.parameters.length <= MAX_BOUND_PARAMETERS || size === 1) break;
    size = Math.max(1, Math.floor(size / 2));
  }
  const statements: CompiledQuery[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const part = compile(rows.slice(start, start + size));
    if (part.parameters.length > MAX_BOUND_PARAMETERS)
      throw new Error('one row of an INSERT binds more parameters than Durable Object storage accepts');
    statements.push(part);
  }
  return statements;
}
