/**
 * A Bulk Data export job (http://hl7.org/fhir/uv/bulkdata/export.html) is a
 * signed description, not server state: who asked, for which organization,
 * which types, since when and as of which instant. Its files are written as
 * they are downloaded, straight from the tables, so a job costs nothing while
 * it waits, any instance behind the load balancer can answer its status and
 * files, and no organization's export is ever held in memory.
 *
 * The token is `<base64url JSON>.<base64url HMAC-SHA256>`, keyed by a key
 * derived from the server's cursor key for this one purpose (WebCrypto).
 */
import { decodeBase64Url, encodeBase64Url, encodeBase64UrlText } from '@clinicsync/protocol';
import { z } from 'zod';
import { RESOURCE_TYPE_NAMES, type ResourceType } from './resource-types.ts';

/** How long the status and file links of a job stay valid. */
export const EXPORT_LIFETIME_MS = 24 * 60 * 60 * 1000;

const jobSchema = z.strictObject({
  o: z.string().min(1).max(64),
  u: z.string().min(1).max(64),
  t: z
    .array(z.enum(RESOURCE_TYPE_NAMES as [ResourceType, ...ResourceType[]]))
    .min(1)
    .max(RESOURCE_TYPE_NAMES.length),
  s: z.string().max(40).optional(),
  tt: z.string().max(40),
  x: z.number().int(),
  r: z.string().max(2048),
});

export type ExportJob = {
  readonly organizationId: string;
  readonly userId: string;
  readonly types: readonly ResourceType[];
  /** `_since`: only resources updated at or after this instant. */
  readonly since?: string;
  /** Resources updated after this instant are not in the files (the next `_since` export has them). */
  readonly transactionTime: string;
  readonly expiresAt: number;
  /** The kick-off URL, echoed in the manifest. */
  readonly request: string;
};

export type ExportJobCodec = {
  sign(job: ExportJob): Promise<string>;
  /** The job of a valid, unexpired token, else undefined; never throws on client input. */
  read(token: string, nowMs: number): Promise<ExportJob | undefined>;
};

export function exportJobCodec(cursorKey: Uint8Array): ExportJobCodec {
  const key = (async () => {
    const base = await crypto.subtle.importKey(
      'raw',
      cursorKey as BufferSource,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const derived = new Uint8Array(
      await crypto.subtle.sign('HMAC', base, new TextEncoder().encode('clinicsync:fhir-export')),
    );
    return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  })();

  return {
    async sign(job) {
      const payload = encodeBase64UrlText(
        JSON.stringify({
          o: job.organizationId,
          u: job.userId,
          t: job.types,
          ...(job.since ? { s: job.since } : {}),
          tt: job.transactionTime,
          x: job.expiresAt,
          r: job.request,
        }),
      );
      const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(payload)));
      return `${payload}.${encodeBase64Url(mac)}`;
    },
    async read(token, nowMs) {
      if (token.length > 8192) return undefined;
      const [payload, macText, extra] = token.split('.');
      if (!payload || !macText || extra !== undefined) return undefined;
      try {
        // Only the canonical spelling: base64url's spare low bits would otherwise let one link be written several ways.
        const mac = decodeBase64Url(macText, { canonical: true });
        if (!mac) return undefined;
        const ok = await crypto.subtle.verify(
          'HMAC',
          await key,
          mac as BufferSource,
          new TextEncoder().encode(payload),
        );
        if (!ok) return undefined;
        const json = decodeBase64Url(payload);
        if (!json) return undefined;
        const parsed = jobSchema.safeParse(JSON.parse(new TextDecoder().decode(json)));
        if (!parsed.success || parsed.data.x <= nowMs) return undefined;
        const j = parsed.data;
        return {
          organizationId: j.o,
          userId: j.u,
          types: j.t,
          ...(j.s ? { since: j.s } : {}),
          transactionTime: j.tt,
          expiresAt: j.x,
          request: j.r,
        };
      } catch {
        return undefined;
      }
    },
  };
}
