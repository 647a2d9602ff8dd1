import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config-from-env.ts';

describe('configFromEnv', () => {
  it('reads the documented variables', () => {
    expect(configFromEnv({ CLINICSYNC_AUTH_TTL_SECONDS: '60', CLINICSYNC_TRUST_PROXY: 'true' })).toEqual({
      authTokenTtlSeconds: 60,
      trustProxy: true,
    });
  });

  it('ignores unset and empty variables', () => {
    expect(configFromEnv({ CLINICSYNC_AUTH_TTL_SECONDS: '' })).toEqual({});
  });

  it('refuses an invalid value, naming the variable but not the value', () => {
    expect(() => configFromEnv({ CLINICSYNC_AUTH_TTL_SECONDS: 'soon' })).toThrow('invalid CLINICSYNC_AUTH_TTL_SECONDS');
    expect(() => configFromEnv({ CLINICSYNC_METRICS_TOKEN: 'short' })).toThrow('invalid CLINICSYNC_METRICS_TOKEN');
  });
});
