/**
 * Records of the local store for the screens (UI → local store + outbox):
 * generic reads and writes per registry table, plus the combined reads the
 * screens need. Every row served or written must belong to an organization
 * the signed-in user is a member of, resolved from the local store.
 */
import { ApiError, isTableName, type TableName } from '@clinicsync/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import { createOrganizationBodySchema, recordDataBodySchema, type LocalRow } from '../../shared/local-api.ts';
import { engineCall } from '../engine-errors.ts';
import type { SyncEngine } from '@clinicsync/client';
import { appointmentBook, membersOf, myOrganizations, organizationOfRow, requireMembership } from '../local-records.ts';
import type { PeopleDirectory } from '../people-directory.ts';
import { readBody, type LocalEnv } from './require-session.ts';

export type RecordRouteDeps = {
  readonly people: PeopleDirectory;
  /** Called after every local write so open screens refetch at once. */
  readonly dataChanged: () => void;
};

const LIST_KEYS = new Set(['orderBy', 'desc', 'limit', 'offset']);
const duplicateQuery = z.object({
  given_name: z.string().max(200).optional(),
  family_name: z.string().max(200).optional(),
  birth_date: z.string().max(10).optional(),
  phone: z.string().max(50).optional(),
  exclude: z.string().max(100).optional(),
});
const searchQuery = z.object({
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const bookQuery = z.object({
  teamId: z.uuid(),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

function tableParam(name: string): TableName {
  if (!isTableName(name)) throw new ApiError('not_found', 'There is no such table.');
  return name;
}

function parseQuery<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new ApiError('invalid_request', 'The query is invalid.', {
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })) },
    });
  return parsed.data;
}

export function createRecordRoutes(deps: RecordRouteDeps): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();

  /** Throws 403 unless the row's organization is one of the user's; 404 when the row is unknown. */
  const checkRow = (
    engine: SyncEngine,
    userId: string,
    table: TableName,
    row: LocalRow | null | undefined,
  ): LocalRow => {
    if (!row) throw new ApiError('not_found', 'This record does not exist on this device (it may have been deleted).');
    const orgId = organizationOfRow(engine, table, row);
    if (orgId === null) throw new ApiError('forbidden', 'This record belongs to no organization you are a member of.');
    requireMembership(engine, userId, orgId);
    return row;
  };

  app.get('/orgs', (c) => c.json(myOrganizations(c.var.engine, c.var.user.id)));

  // Organization, creator as admin, first team: one local batch, so they go
  // out in one push, in this order, and the server's bootstrap rule admits it.
  app.post('/orgs', async (c) => {
    const engine = c.var.engine;
    const body = await readBody(c, createOrganizationBodySchema);
    const user = c.var.user;
    const org = engineCall(() => engine.insert('organizations', { name: body.name }));
    engineCall(() => engine.insert('members', { organization_id: org.id, user_id: user.id, role: 'admin' }));
    const team = engineCall(() => engine.insert('teams', { organization_id: org.id, name: body.teamName }));
    deps.dataChanged();
    return c.json({ organization: org, team }, 201);
  });

  app.get('/orgs/:orgId/patients', (c) => {
    const engine = c.var.engine;
    requireMembership(engine, c.var.user.id, c.req.param('orgId'));
    const { q, limit } = parseQuery(searchQuery, c.req.query());
    const rows = q.trim()
      ? engine.searchPatients(c.req.param('orgId'), q, limit)
      : engine.list('patients', { where: { organization_id: c.req.param('orgId') }, orderBy: 'family_name', limit });
    return c.json(rows);
  });

  // Likely duplicates of a patient being registered or edited (docs/patient-search.md), shown before saving.
  app.get('/orgs/:orgId/patients/duplicates', (c) => {
    const engine = c.var.engine;
    requireMembership(engine, c.var.user.id, c.req.param('orgId'));
    const candidate = parseQuery(duplicateQuery, c.req.query());
    const { exclude, ...fields } = candidate;
    return c.json(engine.findLikelyDuplicates(c.req.param('orgId'), fields, exclude));
  });

  app.get('/orgs/:orgId/teams', (c) => {
    const engine = c.var.engine;
    requireMembership(engine, c.var.user.id, c.req.param('orgId'));
    return c.json(engine.list('teams', { where: { organization_id: c.req.param('orgId') }, orderBy: 'name' }));
  });

  app.get('/orgs/:orgId/members', (c) => {
    const engine = c.var.engine;
    requireMembership(engine, c.var.user.id, c.req.param('orgId'));
    return c.json(membersOf(engine, deps.people, c.req.param('orgId'), c.var.user.id));
  });

  app.get('/orgs/:orgId/book', (c) => {
    const engine = c.var.engine;
    requireMembership(engine, c.var.user.id, c.req.param('orgId'));
    const { teamId, from, to } = parseQuery(bookQuery, c.req.query());
    const team = checkRow(c.var.engine, c.var.user.id, 'teams', engine.get('teams', teamId));
    if (team.organization_id !== c.req.param('orgId'))
      throw new ApiError('not_found', 'This team is not part of the organization.');
    return c.json(appointmentBook(engine, teamId, new Date(from), new Date(to)));
  });

  app.get('/records/:table', (c) => {
    const engine = c.var.engine;
    const table = tableParam(c.req.param('table'));
    const query = c.req.query();
    const where = Object.fromEntries(Object.entries(query).filter(([key]) => !LIST_KEYS.has(key)));
    const rows = engineCall(() =>
      engine.list(table, {
        where,
        orderBy: query.orderBy,
        desc: query.desc === 'true',
        limit: query.limit ? Math.min(Number(query.limit), 1000) : 200,
        offset: query.offset ? Number(query.offset) : 0,
      }),
    );
    const mine = new Set(myOrganizations(engine, c.var.user.id).map((o) => o.id));
    return c.json(rows.filter((row) => mine.has(organizationOfRow(engine, table, row) ?? '')));
  });

  app.get('/records/:table/:id', (c) => {
    const engine = c.var.engine;
    const table = tableParam(c.req.param('table'));
    return c.json(checkRow(c.var.engine, c.var.user.id, table, engine.get(table, c.req.param('id'))));
  });

  app.post('/records/:table', async (c) => {
    const engine = c.var.engine;
    const table = tableParam(c.req.param('table'));
    if (table === 'organizations')
      throw new ApiError('forbidden', 'Create an organization from the organization screen.');
    const { data } = await readBody(c, recordDataBodySchema);
    // The row does not exist yet: resolve its organization from the data as given.
    const orgId = organizationOfRow(engine, table, {
      id: '',
      version: 0,
      updated_at: null,
      updated_by: null,
      deleted: false,
      ...data,
    });
    if (orgId === null)
      throw new ApiError('invalid_request', 'The record refers to something that does not exist on this device.', {
        details: { issues: [{ path: 'data', code: 'not_found' }] },
      });
    requireMembership(engine, c.var.user.id, orgId);
    const row = engineCall(() => engine.insert(table, data));
    deps.dataChanged();
    return c.json(row, 201);
  });

  app.patch('/records/:table/:id', async (c) => {
    const engine = c.var.engine;
    const table = tableParam(c.req.param('table'));
    checkRow(c.var.engine, c.var.user.id, table, engine.get(table, c.req.param('id')));
    const { data } = await readBody(c, recordDataBodySchema);
    const row = engineCall(() => engine.update(table, c.req.param('id'), data));
    deps.dataChanged();
    return c.json(row);
  });

  app.delete('/records/:table/:id', (c) => {
    const engine = c.var.engine;
    const table = tableParam(c.req.param('table'));
    checkRow(c.var.engine, c.var.user.id, table, engine.get(table, c.req.param('id')));
    engineCall(() => engine.delete(table, c.req.param('id')));
    deps.dataChanged();
    return c.json({ deleted: true });
  });

  return app;
}
