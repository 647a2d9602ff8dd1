/**
 * Child process of the live scenario: the other connected devices of the
 * organization, each a loop of waiting pulls back to back as the engine keeps
 * one open (the engine's request, without a local store). A process of its
 * own, so that engine B, whose store the bench times, does not wait in one
 * event loop behind the answers of all the other devices: each real device
 * is a computer of its own, and for the server the requests are the same.
 * Input on stdin: JSON [{base, deviceId, syncToken, cursor}]; runs until it
 * is sent SIGTERM.
 */
import { DEFAULT_PULL_WAIT_SECONDS } from '../../packages/protocol/src/pull.ts';

type Device = { base: string; deviceId: string; syncToken: string; cursor: string };

async function waitingLoop(device: Device, signal: AbortSignal): Promise<void> {
  let cursor = device.cursor;
  while (!signal.aborted) {
    const query = new URLSearchParams({
      deviceId: device.deviceId,
      cursor,
      limit: '1000',
      schemaVersion: '1',
      wait: String(DEFAULT_PULL_WAIT_SECONDS),
    });
    try {
      const res = await fetch(`${device.base}/v1/sync/pull?${query}`, {
        headers: { authorization: `Bearer ${device.syncToken}` },
        signal,
      });
      if (res.status === 200) cursor = ((await res.json()) as { cursor: string }).cursor;
      else await new Promise((r) => setTimeout(r, 1000));
    } catch {
      if (signal.aborted) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const devices = JSON.parse(input) as Device[];
// One signal per device: fetch keeps its abort listener on the signal until the response is collected.
const stops = devices.map(() => new AbortController());
process.once('SIGTERM', () => {
  for (const stop of stops) stop.abort();
});
await Promise.all(devices.map((device, i) => waitingLoop(device, stops[i]!.signal)));
