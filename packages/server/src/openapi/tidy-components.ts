/**
 * zod-openapi renders every named schema for requests and, where the response
 * rendering differs (closed objects), again as `<Name>Output`. A schema used
 * only in answers would then show twice, once unused. This drops component
 * schemas nothing refers to and gives an output-only schema its plain name.
 */
import type { oas31 } from 'zod-openapi';

const PREFIX = '#/components/schemas/';

function collectRefs(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(PREFIX)) into.add(child.slice(PREFIX.length));
      else collectRefs(child, into);
    }
  }
}

function rewriteRefs(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renames));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => {
        if (key === '$ref' && typeof child === 'string' && child.startsWith(PREFIX)) {
          const name = child.slice(PREFIX.length);
          return [key, `${PREFIX}${renames.get(name) ?? name}`];
        }
        return [key, rewriteRefs(child, renames)];
      }),
    );
  }
  return value;
}

/** The names reachable from the document outside `components.schemas`, following references between schemas. */
function reachableSchemas(doc: oas31.OpenAPIObject): Set<string> {
  const schemas = doc.components?.schemas ?? {};
  const reached = new Set<string>();
  collectRefs({ ...doc, components: { ...doc.components, schemas: {} } }, reached);
  const queue = [...reached];
  while (queue.length > 0) {
    const found = new Set<string>();
    collectRefs(schemas[queue.pop()!], found);
    for (const name of found) {
      if (!reached.has(name)) {
        reached.add(name);
        queue.push(name);
      }
    }
  }
  return reached;
}

/**
 * Returns a copy of `doc` without unreferenced component schemas (except
 * `keep`), with `<Name>Output` renamed to `<Name>` when `<Name>` is gone,
 * schemas sorted by name.
 */
export function tidyComponents(
  doc: oas31.OpenAPIObject,
  options: { suffix?: string; keep?: readonly string[] } = {},
): oas31.OpenAPIObject {
  const suffix = options.suffix ?? 'Output';
  const schemas = doc.components?.schemas;
  if (!schemas) return doc;
  const reached = reachableSchemas(doc);
  const kept = Object.entries(schemas).filter(([name]) => reached.has(name) || options.keep?.includes(name));
  const names = new Set(kept.map(([name]) => name));
  const renames = new Map<string, string>();
  for (const [name] of kept) {
    const plain = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
    if (plain && !names.has(plain)) renames.set(name, plain);
  }
  const tidied = rewriteRefs(
    { ...doc, components: { ...doc.components, schemas: {} } },
    renames,
  ) as oas31.OpenAPIObject;
  const renamedSchemas = Object.fromEntries(
    kept
      .map(([name, schema]) => [renames.get(name) ?? name, rewriteRefs(schema, renames)] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return {
    ...tidied,
    components: { ...tidied.components, schemas: renamedSchemas as Record<string, oas31.SchemaObject> },
  };
}
