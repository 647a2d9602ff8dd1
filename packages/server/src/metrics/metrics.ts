/**
 * Prometheus metrics of one server instance (prom-client), in a registry of
 * its own so two apps in one process never share counters. Labels carry
 * routes and outcomes only: never ids, emails or anything from a payload.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from './metrics-port.ts';

export type PoolStats = { readonly total: () => number; readonly idle: () => number; readonly waiting: () => number };

export function createMetrics(
  options: { pool?: PoolStats; processMetrics?: boolean; waitingPulls?: () => number } = {},
) {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });

  const httpRequests = new Counter({
    name: 'clinicsync_http_requests_total',
    help: 'HTTP requests by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'clinicsync_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern.',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const pushEvents = new Counter({
    name: 'clinicsync_push_events_total',
    help: 'Pushed events by outcome (applied, duplicate, conflict, rejected).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const pullChanges = new Counter({
    name: 'clinicsync_pull_changes_total',
    help: 'Changes sent to devices by pull.',
    registers: [registry],
  });
  if (options.pool) {
    const pool = options.pool;
    new Gauge({
      name: 'clinicsync_db_pool_total',
      help: 'Open database connections.',
      registers: [registry],
      collect() {
        this.set(pool.total());
      },
    });
    new Gauge({
      name: 'clinicsync_db_pool_idle',
      help: 'Idle database connections.',
      registers: [registry],
      collect() {
        this.set(pool.idle());
      },
    });
    new Gauge({
      name: 'clinicsync_db_pool_waiting',
      help: 'Queries waiting for a connection.',
      registers: [registry],
      collect() {
        this.set(pool.waiting());
      },
    });
  }
  if (options.waitingPulls) {
    const waiting = options.waitingPulls;
    new Gauge({
      name: 'clinicsync_waiting_pulls',
      help: 'Pulls waiting for changes (PROTOCOL §4 "Live").',
      registers: [registry],
      collect() {
        this.set(waiting());
      },
    });
  }
  return { registry, httpRequests, httpDuration, pushEvents, pullChanges } satisfies Metrics;
}
