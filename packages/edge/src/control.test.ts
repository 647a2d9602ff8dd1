import { describe, expect, it } from 'vitest';
import { CancellableRequests, CONTROL_HEADERS } from './worker/control.ts';

const withId = (id: string) =>
  new Request('http://edge.test/v1/sync/pull', { headers: { [CONTROL_HEADERS.requestId]: id } });

describe('CancellableRequests', () => {
  it('ends a tracked request when the front cancels its id, and hides the id from the app', () => {
    const requests = new CancellableRequests();
    const tracked = requests.track(withId('a'));
    const other = requests.track(withId('b'));
    expect(tracked.request.headers.has(CONTROL_HEADERS.requestId)).toBe(false);
    expect(tracked.request.signal.aborted).toBe(false);
    requests.cancel('a');
    expect(tracked.request.signal.aborted).toBe(true);
    expect(other.request.signal.aborted).toBe(false);
  });

  it('forgets a request once answered, so a late cancel of its id touches nothing', () => {
    const requests = new CancellableRequests();
    const first = requests.track(withId('a'));
    first.done();
    requests.cancel('a');
    expect(first.request.signal.aborted).toBe(false);
    // An id seen again (a new request) is tracked anew; the old one's `done` does not forget it.
    const second = requests.track(withId('a'));
    first.done();
    requests.cancel('a');
    expect(second.request.signal.aborted).toBe(true);
  });

  it('leaves a request without an id as it is', () => {
    const requests = new CancellableRequests();
    const request = new Request('http://edge.test/healthz');
    expect(requests.track(request).request).toBe(request);
    requests.cancel(null);
  });
});
