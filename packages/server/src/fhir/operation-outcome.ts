/**
 * FHIR errors (PROTOCOL §8): under `/fhir/r4/` every failure is an
 * `OperationOutcome` with the same HTTP status the rest of the API would use.
 * `FhirError` is thrown by FHIR handlers; `renderFhirError` is the one place
 * that turns it, an `ApiError` from shared middleware (auth, body limit) or an
 * unexpected error into a response. Diagnostics never carry request values:
 * they may be patient data.
 */
import { ApiError, ERROR_STATUS } from '@clinicsync/protocol';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { logUnhandled } from '../http/render-error.ts';
import { fhirJson } from './fhir-json.ts';

/** The FHIR `IssueType` codes this server uses (http://hl7.org/fhir/R4/valueset-issue-type.html). */
export type IssueType =
  | 'invalid'
  | 'value'
  | 'not-supported'
  | 'login'
  | 'expired'
  | 'forbidden'
  | 'not-found'
  | 'deleted'
  | 'throttled'
  | 'too-costly'
  | 'exception'
  | 'transient'
  | 'informational';

export class FhirError extends Error {
  readonly status: number;
  readonly issue: IssueType;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, issue: IssueType, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'FhirError';
    this.status = status;
    this.issue = issue;
    this.headers = headers;
  }
}

export function operationOutcome(
  issue: IssueType,
  diagnostics: string,
  severity: 'error' | 'fatal' | 'warning' | 'information' = 'error',
) {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code: issue, diagnostics }] } as const;
}

/** Issue type for the API's own error codes, so a shared middleware's refusal reads naturally in FHIR. */
function issueForApiError(error: ApiError): IssueType {
  switch (error.code) {
    case 'unauthorized':
    case 'token_revoked':
    case 'invalid_credentials':
      return 'login';
    case 'token_expired':
      return 'expired';
    case 'wrong_token_kind':
    case 'forbidden':
      return 'forbidden';
    case 'not_found':
      return 'not-found';
    case 'rate_limited':
      return 'throttled';
    case 'payload_too_large':
    case 'batch_too_large':
      return 'too-costly';
    case 'internal':
      return 'exception';
    case 'unavailable':
      return 'transient';
    default:
      return 'invalid';
  }
}

export function renderFhirError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof FhirError)
    return fhirJson(c, operationOutcome(error.issue, error.message), error.status, error.headers);
  if (error instanceof ApiError) {
    return fhirJson(c, operationOutcome(issueForApiError(error), error.message), ERROR_STATUS[error.code], {
      ...error.headers,
    });
  }
  logUnhandled(c, error);
  return fhirJson(
    c,
    operationOutcome('exception', 'Something went wrong on the server. The request can be retried.', 'fatal'),
    500,
  );
}
