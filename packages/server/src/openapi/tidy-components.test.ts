import { describe, expect, it } from 'vitest';
import type { oas31 } from 'zod-openapi';
import { tidyComponents } from './tidy-components.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function doc(schemas: Record<string, oas31.SchemaObject>, responseSchema: oas31.ReferenceObject): oas31.OpenAPIObject {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/x': {
        get: {
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: responseSchema } } } },
        },
      },
    },
    components: { schemas },
  };
}

describe('tidyComponents', () => {
  it('drops schemas nothing refers to and names an output-only schema plainly', () => {
    const tidied = tidyComponents(
      doc(
        {
          User: { type: 'object' },
          UserOutput: { type: 'object', properties: { id: ref('UserId') }, additionalProperties: false },
          UserId: { type: 'string' },
          Unused: { type: 'string' },
        },
        ref('UserOutput'),
      ),
    );
    expect(Object.keys(tidied.components!.schemas!)).toEqual(['User', 'UserId']);
    expect(tidied.components!.schemas!.User).toMatchObject({ additionalProperties: false });
    expect(JSON.stringify(tidied.paths)).toContain('"#/components/schemas/User"');
  });

  it('keeps both renderings when requests and answers both use a schema', () => {
    const input = doc(
      { Event: { type: 'object' }, EventOutput: { type: 'object', additionalProperties: false } },
      ref('EventOutput'),
    );
    input.paths!['/x']!.post = {
      requestBody: { content: { 'application/json': { schema: ref('Event') } } },
      responses: { '200': { description: 'ok' } },
    };
    expect(Object.keys(tidyComponents(input).components!.schemas!)).toEqual(['Event', 'EventOutput']);
  });

  it('follows references between schemas and keeps what it is told to keep', () => {
    const tidied = tidyComponents(
      doc(
        {
          A: { type: 'array', items: ref('B') },
          B: { type: 'string' },
          ErrorBody: { type: 'object' },
          C: { type: 'string' },
        },
        ref('A'),
      ),
      { keep: ['ErrorBody'] },
    );
    expect(Object.keys(tidied.components!.schemas!)).toEqual(['A', 'B', 'ErrorBody']);
  });
});
