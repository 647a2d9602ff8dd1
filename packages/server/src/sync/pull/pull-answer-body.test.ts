import type { Change, PullResponse } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { pullAnswerBody } from './pull-answer-body.ts';

async function chunksOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

const text = (chunks: readonly Uint8Array[]) => new TextDecoder().decode(Buffer.concat(chunks));

const changes: Change[] = [
  {
    table: 'patients',
    recordId: '00000000-0000-4000-8000-000000000001',
    version: 2,
    organizationId: '00000000-0000-4000-8000-0000000000aa',
    op: 'UPSERT',
    data: { given_name: 'Zoë "Ω" \u2028 😀', notes: 'a\nb\\c' },
  },
  {
    table: 'patients',
    recordId: '00000000-0000-4000-8000-000000000002',
    version: 1,
    organizationId: '00000000-0000-4000-8000-0000000000aa',
    op: 'DELETE',
    data: null,
  },
];

const answer = (cursor: string, revoked: string[] = []): PullResponse =>
  ({ changes, cursor, hasMore: false, revokedOrganizations: revoked }) as PullResponse;

describe('pullAnswerBody', () => {
  it('streams exactly JSON.stringify of the answer, with its byte length', async () => {
    for (const page of [
      answer('c1'),
      answer('c2', ['00000000-0000-4000-8000-0000000000bb']),
      { ...answer('c3'), changes: [] },
    ]) {
      const body = pullAnswerBody(page);
      const chunks = await chunksOf(body.stream);
      expect(text(chunks)).toBe(JSON.stringify(page));
      expect(body.length).toBe(Buffer.byteLength(JSON.stringify(page)));
    }
  });

  it('sends the same bytes of a shared changes array to every answer, encoded once, never copied per device', async () => {
    const [one, two] = await Promise.all([
      chunksOf(pullAnswerBody(answer('c1')).stream),
      chunksOf(pullAnswerBody(answer('c2', ['00000000-0000-4000-8000-0000000000bb'])).stream),
    ]);
    const shared = one.find((chunk) => chunk.length >= Buffer.byteLength(JSON.stringify(changes)));
    expect(shared).toBeDefined();
    expect(two).toContain(shared);
    expect(text(one)).not.toBe(text(two));
  });
});
