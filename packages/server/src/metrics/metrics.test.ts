import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';

describe('createMetrics', () => {
  it('keeps each instance in a registry of its own', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.pushEvents.inc({ outcome: 'applied' }, 3);
    expect(await a.registry.metrics()).toContain('clinicsync_push_events_total{outcome="applied"} 3');
    expect(await b.registry.metrics()).not.toContain('outcome="applied"} 3');
  });

  it('reports database pool usage when a pool is given', async () => {
    const m = createMetrics({ pool: { total: () => 4, idle: () => 1, waiting: () => 2 } });
    const text = await m.registry.metrics();
    expect(text).toContain('clinicsync_db_pool_total 4');
    expect(text).toContain('clinicsync_db_pool_waiting 2');
  });
});
