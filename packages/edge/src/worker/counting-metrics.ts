/**
 * `Metrics` on the Workers runtime: counters kept in the Durable Object that
 * serves the requests, rendered in the Prometheus text format at `/metrics`.
 * They count from the object's last start (an object is evicted when idle),
 * so they suit a scrape of a live deployment, not long-term totals; Workers
 * analytics keep those. Latency is recorded as a sum and a count.
 */
import type { Metrics } from '@clinicsync/server/core';

type Series = Map<string, number>;

export function createCountingMetrics(options: { waitingPulls?: () => number } = {}): Metrics {
  const requests: Series = new Map();
  const durationSum: Series = new Map();
  const durationCount: Series = new Map();
  const pushEvents: Series = new Map();
  let pullChanges = 0;
  const add = (series: Series, key: string, value: number) => series.set(key, (series.get(key) ?? 0) + value);
  return {
    httpRequests: { inc: (labels) => add(requests, labelText(labels), 1) },
    httpDuration: {
      observe: (labels, seconds) => {
        add(durationSum, labelText(labels), seconds);
        add(durationCount, labelText(labels), 1);
      },
    },
    pushEvents: { inc: (labels, value) => add(pushEvents, labelText(labels), value) },
    pullChanges: { inc: (value) => (pullChanges += value) },
    registry: {
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      metrics: async () =>
        [
          family(
            'clinicsync_http_requests_total',
            'counter',
            'HTTP requests by route pattern, method and status.',
            requests,
          ),
          family(
            'clinicsync_http_request_duration_seconds_sum',
            'counter',
            'Total HTTP request latency by route pattern.',
            durationSum,
          ),
          family(
            'clinicsync_http_request_duration_seconds_count',
            'counter',
            'HTTP requests timed, by route pattern.',
            durationCount,
          ),
          family(
            'clinicsync_push_events_total',
            'counter',
            'Pushed events by outcome (applied, duplicate, conflict, rejected).',
            pushEvents,
          ),
          family(
            'clinicsync_pull_changes_total',
            'counter',
            'Changes sent to devices by pull.',
            new Map([['', pullChanges]]),
          ),
          ...(options.waitingPulls
            ? [
                family(
                  'clinicsync_waiting_pulls',
                  'gauge',
                  'Pulls waiting for changes (PROTOCOL §4 "Live").',
                  new Map([['', options.waitingPulls()]]),
                ),
              ]
            : []),
        ].join(''),
    },
  };
}

function family(name: string, type: string, help: string, series: Series): string {
  let text = `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
  for (const [labels, value] of series) text += `${name}${labels} ${value}\n`;
  return text;
}

/** Labels are route patterns, methods, statuses and outcomes; escaped as the text format requires. */
function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(
    ([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return `{${parts.join(',')}}`;
}
