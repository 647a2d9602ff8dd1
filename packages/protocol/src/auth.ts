/** Wire shapes of accounts, sessions and devices (PROTOCOL §1). */
import { z } from 'zod';
import { deviceIdSchema, organizationIdSchema, timestampSchema, userIdSchema } from './ids.ts';
import { ROLES } from './registry/index.ts';
import { hasVisibleCharacter } from './visible-text.ts';

// NIST SP 800-63B: at least 8 characters, no composition rules; long passphrases welcome.
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

export const EMAIL_MAX_LENGTH = 254;
/**
 * zod's email pattern with host names as RFC 1123 writes them (no label ends
 * with `-`), so every address the server takes is also a JSON Schema
 * `format: email` — the reference documents both, and its answers are checked
 * against both.
 */
export const EMAIL_PATTERN =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;
/** An email as a request carries it: trimmed and lowercased, then checked. */
export const emailSchema = z
  .string()
  .trim()
  .max(EMAIL_MAX_LENGTH)
  .toLowerCase()
  .pipe(z.email({ pattern: EMAIL_PATTERN }))
  .meta({ format: 'email', maxLength: EMAIL_MAX_LENGTH, pattern: EMAIL_PATTERN.source });
/** An email as the server answers it: one that passed `emailSchema` when it was stored. */
export const storedEmailSchema = z.email({ pattern: EMAIL_PATTERN }).max(EMAIL_MAX_LENGTH);
export const passwordSchema = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);
/** An empty name is `min(1)`'s to refuse (one issue, `too_small`); one of invisible characters alone is refused here. */
const showsOrIsEmpty = (name: string) => name === '' || hasVisibleCharacter(name);

// `\S` in the reference: a name of blanks only is empty once trimmed, and refused; so is one of characters
// no screen shows (zero-width spaces and the like, visible-text.ts).
const visibleName = () =>
  z.string().trim().min(1).max(200).refine(showsOrIsEmpty, { message: 'required' }).meta({ pattern: '\\S' });
export const personNameSchema = visibleName();
export const deviceNameSchema = visibleName();

export const registerRequestSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: personNameSchema,
});
export type RegisterRequest = z.infer<typeof registerRequestSchema>;
export const registerResponseSchema = z.object({ userId: userIdSchema });
export type RegisterResponse = z.infer<typeof registerResponseSchema>;

export const userSchema = z.object({ id: userIdSchema, email: storedEmailSchema, name: z.string() });
export type User = z.infer<typeof userSchema>;

export const signInRequestSchema = z.strictObject({
  email: emailSchema,
  // Sign-in does not apply the length rule: an old password that predates a
  // rule change must still be able to sign in (and the answer must stay the
  // same as for a wrong password).
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  deviceId: deviceIdSchema,
  deviceName: deviceNameSchema,
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export const signInResponseSchema = z.object({
  user: userSchema,
  authToken: z.string(),
  authExpiresAt: timestampSchema,
  refreshToken: z.string(),
  syncToken: z.string(),
});
export type SignInResponse = z.infer<typeof signInResponseSchema>;

export const refreshRequestSchema = z.strictObject({ refreshToken: z.string().min(1).max(512) });
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;
export const refreshResponseSchema = z.object({
  authToken: z.string(),
  authExpiresAt: timestampSchema,
  refreshToken: z.string(),
});
export type RefreshResponse = z.infer<typeof refreshResponseSchema>;

export const membershipSchema = z.object({ id: organizationIdSchema, name: z.string(), role: z.enum(ROLES) });
export const meResponseSchema = z.object({ user: userSchema, organizations: z.array(membershipSchema) });
export type MeResponse = z.infer<typeof meResponseSchema>;

export const deviceSchema = z.object({
  deviceId: deviceIdSchema,
  deviceName: z.string(),
  createdAt: timestampSchema,
  lastPushAt: timestampSchema.nullable(),
  lastPullAt: timestampSchema.nullable(),
  syncTokenRevoked: z.boolean(),
});
export const devicesResponseSchema = z.object({ devices: z.array(deviceSchema) });
export type DevicesResponse = z.infer<typeof devicesResponseSchema>;
