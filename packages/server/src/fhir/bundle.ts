/** A FHIR R4 `searchset` Bundle of one page of results, with its `self` and `next` links (http://hl7.org/fhir/R4/http.html#paging). */
import type { FhirResource } from './fhir-json.ts';

export function searchSet(options: {
  readonly base: string;
  readonly resources: readonly FhirResource[];
  readonly self: string;
  readonly next?: string;
  readonly total?: number;
}) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(options.total !== undefined ? { total: options.total } : {}),
    link: [{ relation: 'self', url: options.self }, ...(options.next ? [{ relation: 'next', url: options.next }] : [])],
    entry: options.resources.map((resource) => ({
      fullUrl: `${options.base}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}
