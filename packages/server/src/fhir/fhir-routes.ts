/**
 * FHIR R4, read-only (PROTOCOL §8), mounted at `/v1/orgs/:orgId/fhir/r4`:
 * `metadata`; read and search of Patient, Appointment, Observation and
 * MedicationStatement; `Patient/[id]/$everything`; Bulk Data `$export` at the
 * base and `Patient/$export` with its status and file links. Every route but
 * `metadata` takes a member's auth token, the organization and role coming
 * from the server's `members` table; `$export` is for admins. Errors are
 * OperationOutcomes (operation-outcome.ts).
 *
 * `$export` routes are registered before `Patient/:id`, so an operation name is never read as an id.
 */
import { canonicalId, type Role } from '@clinicsync/protocol';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { requireAuthToken } from '../auth/require-token.ts';
import { roleIn } from '../auth/memberships.ts';
import { clientOrigin, clientUrl } from '../http/client-url.ts';
import type { ServerDeps } from '../server-deps.ts';
import { searchSet } from './bundle.ts';
import { capabilityStatement } from './capability-statement.ts';
import { EXPORT_LIFETIME_MS, exportJobCodec, type ExportJob } from './export-job.ts';
import { fhirJson, type FhirResource } from './fhir-json.ts';
import { ndjsonStream } from './ndjson-stream.ts';
import { requireServedFormat } from './response-format.ts';
import { FhirError, operationOutcome, renderFhirError } from './operation-outcome.ts';
import { countFhirRows, isDeletedRow, readFhirRows, type UpdatedRange } from './read-fhir-rows.ts';
import { isResourceType, RESOURCE_TYPE_NAMES, RESOURCE_TYPES, type ResourceType } from './resource-types.ts';
import { CURSOR_PARAM, dateTimeRange, parseSearch, singleParam } from './search-params.ts';

type FhirDeps = Pick<ServerDeps, 'db' | 'clock' | 'secrets' | 'hashing' | 'config'> & {
  readonly softwareVersion?: string;
  /** The methods a full path is served with (http/allowed-methods.ts), for the `Allow` of a 405. */
  readonly allowedMethods?: (path: string) => readonly string[];
};

type Access = { readonly organizationId: string; readonly userId: string; readonly role: Role };

const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);
const UNSUPPORTED_EXPORT_PARAMS = ['_typeFilter', '_elements', 'patient', 'includeAssociatedData'];
/** Entries of one type in `$everything`, read in pages of this size. */
const EVERYTHING_PAGE = 1000;

export function createFhirRoutes(deps: FhirDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const jobs = exportJobCodec(deps.secrets.cursorKey);
  app.onError(renderFhirError);
  // First of all, metadata included: a format this server cannot produce is refused before any other check.
  app.use('*', requireServedFormat());

  // Every link the FHIR routes write starts from the URL the client used (a proxy may forward under another host).
  const requestUrl = (c: Context<AppEnv>) => clientUrl(c.req.url, deps.config.publicUrl);
  const baseOf = (c: Context<AppEnv>) =>
    `${clientOrigin(c.req.url, deps.config.publicUrl)}/v1/orgs/${encodeURIComponent(canonicalId(c.req.param('orgId') ?? ''))}/fhir/r4`;

  app.get('/metadata', (c) =>
    fhirJson(
      c,
      capabilityStatement({
        base: baseOf(c),
        date: deps.clock.now().toISOString(),
        softwareVersion: deps.softwareVersion ?? '0.1.0',
      }),
    ),
  );

  // `metadata` needs no token, so another method on it is a 405 before the token check, not a 401.
  app.all('/metadata', (c) => {
    throw methodNotAllowed(allowedOn(c.req.path));
  });
  app.use('*', requireAuthToken(deps));

  /** The methods `path` is served with; a path of no route is still one this read-only server would only answer GET on. */
  const allowedOn = (path: string): readonly string[] => {
    const served = deps.allowedMethods?.(path) ?? [];
    return served.length > 0 ? served : ['GET', 'HEAD'];
  };

  /** The caller's membership of `:orgId`, from the database; a non-member and an unknown organization get the same 403. */
  async function access(c: Context<AppEnv>, need?: 'admin'): Promise<Access> {
    // Ids are UUIDs, compared in their lowercase form (protocol ids.ts): `Patient/7D4F…` is `Patient/7d4f…`.
    const organizationId = canonicalId(c.req.param('orgId') ?? '');
    const userId = c.var.authActor.userId;
    const role = organizationId.length <= 64 ? await roleIn(deps.db, organizationId, userId) : undefined;
    if (!role) throw new FhirError(403, 'forbidden', 'Only members of this organization can read its records.');
    if (need === 'admin' && role !== 'admin')
      throw new FhirError(403, 'forbidden', 'Only an admin of this organization can export its records.');
    return { organizationId, userId, role };
  }

  const strictHandling = (c: Context) => /handling\s*=\s*strict/i.test(c.req.header('prefer') ?? '');

  async function search(c: Context<AppEnv>, type: ResourceType): Promise<Response> {
    const { organizationId } = await access(c);
    const url = new URL(requestUrl(c));
    const spec = RESOURCE_TYPES[type];
    const params = parseSearch(url.searchParams, { strict: strictHandling(c), patientParams: spec.patientParams });
    const filter = {
      organizationId,
      updated: params.updated,
      ...(params.patientId !== undefined ? { patientId: params.patientId } : {}),
    };
    const rows =
      params.count === 0
        ? []
        : await readFhirRows(deps.db, spec.table, {
            ...filter,
            limit: params.count + 1,
            ...(params.afterId !== undefined ? { afterId: params.afterId } : {}),
          });
    const page = rows.slice(0, params.count);
    let next: string | undefined;
    if (rows.length > params.count) {
      const nextUrl = new URL(url);
      nextUrl.searchParams.set(CURSOR_PARAM, page[page.length - 1]!.id);
      nextUrl.searchParams.set('_count', String(params.count));
      next = nextUrl.toString();
    }
    const total = await countFhirRows(deps.db, spec.table, filter);
    return fhirJson(
      c,
      searchSet({
        base: baseOf(c),
        resources: page.map(spec.toResource),
        self: url.toString(),
        total,
        ...(next ? { next } : {}),
      }),
    );
  }

  async function read(c: Context<AppEnv>, type: ResourceType, id: string): Promise<Response> {
    const { organizationId } = await access(c);
    const spec = RESOURCE_TYPES[type];
    const [row] = id.length <= 64 ? await readFhirRows(deps.db, spec.table, { organizationId, id, limit: 1 }) : [];
    if (row)
      return fhirJson(c, spec.toResource(row), 200, {
        etag: `W/"${row.version}"`,
        'last-modified': new Date(row.updated_at).toUTCString(),
      });
    if (id.length <= 64 && (await isDeletedRow(deps.db, spec.table, organizationId, id)))
      throw new FhirError(410, 'deleted', `This ${type} has been deleted.`);
    throw new FhirError(404, 'not-found', `There is no ${type} with this id in the organization.`);
  }

  async function everything(c: Context<AppEnv>, patientId: string): Promise<Response> {
    const { organizationId } = await access(c);
    const [patient] =
      patientId.length <= 64
        ? await readFhirRows(deps.db, 'patients', { organizationId, id: patientId, limit: 1 })
        : [];
    if (!patient) {
      if (patientId.length <= 64 && (await isDeletedRow(deps.db, 'patients', organizationId, patientId)))
        throw new FhirError(410, 'deleted', 'This Patient has been deleted.');
      throw new FhirError(404, 'not-found', 'There is no Patient with this id in the organization.');
    }
    const sinceText = singleParam(new URL(c.req.url).searchParams, '_since');
    const updated: UpdatedRange[] = sinceText === null ? [] : [{ from: instant(sinceText, '_since') }];
    const resources: FhirResource[] = [];
    for (const type of RESOURCE_TYPE_NAMES) {
      const spec = RESOURCE_TYPES[type];
      if (type === 'Patient') {
        if (updated.length === 0 || patient.updated_at >= updated[0]!.from!) resources.push(spec.toResource(patient));
        continue;
      }
      let afterId: string | undefined;
      for (;;) {
        const rows = await readFhirRows(deps.db, spec.table, {
          organizationId,
          patientId,
          updated,
          limit: EVERYTHING_PAGE,
          ...(afterId ? { afterId } : {}),
        });
        resources.push(...rows.map(spec.toResource));
        if (rows.length < EVERYTHING_PAGE) break;
        afterId = rows[rows.length - 1]!.id;
      }
    }
    return fhirJson(c, searchSet({ base: baseOf(c), resources, self: requestUrl(c), total: resources.length }));
  }

  /** System and Patient-level export are the same here: every type served is in the Patient compartment. */
  async function kickOffExport(c: Context<AppEnv>): Promise<Response> {
    const { organizationId, userId } = await access(c, 'admin');
    if (!/respond-async/i.test(c.req.header('prefer') ?? '')) {
      throw new FhirError(
        400,
        'invalid',
        'A Bulk Data export runs asynchronously: send the header "Prefer: respond-async".',
      );
    }
    const query = new URL(c.req.url).searchParams;
    const format = singleParam(query, '_outputFormat');
    if (format !== null && !NDJSON_FORMATS.has(format))
      throw new FhirError(400, 'not-supported', 'The only output format is application/fhir+ndjson.');
    for (const name of UNSUPPORTED_EXPORT_PARAMS) {
      if (query.has(name)) throw new FhirError(400, 'not-supported', `The export parameter ${name} is not supported.`);
    }
    const typeList = query
      .getAll('_type')
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    for (const name of typeList)
      if (!isResourceType(name))
        throw new FhirError(400, 'not-supported', 'The _type list names a resource type this server does not export.');
    const types = typeList.length > 0 ? RESOURCE_TYPE_NAMES.filter((t) => typeList.includes(t)) : RESOURCE_TYPE_NAMES;
    const sinceText = singleParam(query, '_since');
    const nowIso = deps.clock.now().toISOString();
    const job: ExportJob = {
      organizationId,
      userId,
      types,
      ...(sinceText !== null ? { since: instant(sinceText, '_since') } : {}),
      transactionTime: nowIso,
      expiresAt: Date.parse(nowIso) + EXPORT_LIFETIME_MS,
      request: requestUrl(c).slice(0, 2048),
    };
    const token = await jobs.sign(job);
    return fhirJson(
      c,
      operationOutcome('informational', 'The export has been accepted; poll the Content-Location.', 'information'),
      202,
      {
        'content-location': `${baseOf(c)}/$export-status/${token}`,
      },
    );
  }

  /** The job behind a status or file link, for the admin who started it, while they are still admin. */
  async function ownJob(c: Context<AppEnv>, token: string): Promise<ExportJob> {
    const { organizationId, userId } = await access(c, 'admin');
    const job = await jobs.read(token, deps.clock.now().getTime());
    if (!job || job.organizationId !== organizationId || job.userId !== userId)
      throw new FhirError(404, 'not-found', 'There is no such export, or it has expired.');
    return job;
  }

  function jobRows(job: ExportJob) {
    // Everything updated up to and including the transaction time; later changes belong to the next `_since` export.
    const to = new Date(Date.parse(job.transactionTime) + 1).toISOString();
    return { organizationId: job.organizationId, updated: [{ ...(job.since ? { from: job.since } : {}), to }] };
  }

  async function exportStatus(c: Context<AppEnv>, token: string): Promise<Response> {
    const job = await ownJob(c, token);
    const output = [];
    for (const type of job.types) {
      const count = await countFhirRows(deps.db, RESOURCE_TYPES[type].table, jobRows(job));
      if (count > 0) output.push({ type, url: `${baseOf(c)}/$export-file/${token}/${type}`, count });
    }
    return c.json(
      { transactionTime: job.transactionTime, request: job.request, requiresAccessToken: true, output, error: [] },
      200,
      { expires: new Date(job.expiresAt).toUTCString() },
    );
  }

  async function exportFile(c: Context<AppEnv>, token: string, typeName: string): Promise<Response> {
    const job = await ownJob(c, token);
    const type = typeName as ResourceType;
    if (!isResourceType(typeName) || !job.types.includes(type))
      throw new FhirError(404, 'not-found', 'This export has no file of that type.');
    return c.newResponse(ndjsonStream(deps.db, RESOURCE_TYPES[type], jobRows(job)), 200, {
      'content-type': 'application/fhir+ndjson',
    });
  }

  app.get('/$export', (c) => kickOffExport(c));
  app.get('/Patient/$export', (c) => kickOffExport(c));
  app.get('/$export-status/:token', (c) => exportStatus(c, c.req.param('token')));
  app.delete('/$export-status/:token', async (c) => {
    await ownJob(c, c.req.param('token'));
    // Jobs are signed links, not stored state: there is nothing to stop or clean up; the links expire on their own.
    return c.body(null, 202);
  });
  app.get('/$export-file/:token/:type', (c) => exportFile(c, c.req.param('token'), c.req.param('type')));
  app.get('/Patient/:id/$everything', (c) => everything(c, canonicalId(c.req.param('id'))));
  for (const type of RESOURCE_TYPE_NAMES) {
    app.get(`/${type}`, (c) => search(c, type));
    app.get(`/${type}/:id`, (c) => read(c, type, canonicalId(c.req.param('id'))));
  }
  app.all('*', (c) => {
    const allowed = allowedOn(c.req.path);
    if (!allowed.includes(c.req.method)) throw methodNotAllowed(allowed);
    throw new FhirError(
      404,
      'not-found',
      'There is no such FHIR route. This server serves Patient, Appointment, Observation and MedicationStatement.',
    );
  });
  return app;
}

function methodNotAllowed(allowed: readonly string[]): FhirError {
  return new FhirError(405, 'not-supported', 'This FHIR server is read-only.', { allow: allowed.join(', ') });
}

/** A FHIR instant parameter (`_since`) as ISO-8601 UTC. */
function instant(value: string, name: string): string {
  const range = dateTimeRange(value);
  if (!range) throw new FhirError(400, 'value', `${name} must be a FHIR instant such as 2026-01-31T12:00:00Z.`);
  return range.start;
}
