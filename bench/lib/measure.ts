/** Timing, percentiles and peak-memory sampling for the benchmarks. */
import { readFileSync } from 'node:fs';

export type Stats = { readonly p50: number; readonly p99: number; readonly mean: number; readonly n: number };

export function percentiles(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length);
  return { p50: at(0.5), p99: at(0.99), mean, n: sorted.length };
}

/** Runs `fn` and returns its result and the elapsed milliseconds. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** Samples this process's RSS every 20 ms while `fn` runs; returns the peak in MiB. */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakRssMiB: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakRssMiB: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : 0;
}

/** Current and peak resident memory of another process in MiB, from /proc (Linux); undefined elsewhere. */
export function processMemoryMiB(pid: number): { readonly rss: number; readonly peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU milliseconds (user + system, every thread) a process has used so far, from /proc (Linux; 10 ms ticks). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime: fields 14 and 15 of stat, 12 and 13 after the command name, in clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
