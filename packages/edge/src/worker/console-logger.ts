/**
 * `Logger` on the Workers runtime: one JSON object per line on the console,
 * which is what Workers Logs and `wrangler tail` collect. Same fields and
 * levels as the Node server's pino lines; the core never logs secrets or
 * patient data.
 */
import type { Logger } from '@clinicsync/server/core';

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
type LevelName = keyof typeof LEVELS;

export function createConsoleLogger(options: { name: string; level?: string; write?: (line: string) => void }): Logger {
  const threshold = LEVELS[(options.level ?? 'info') as LevelName] ?? LEVELS.info;
  const write = options.write ?? ((line: string) => console.log(line));
  const make = (bindings: Record<string, unknown>): Logger => {
    const at = (level: Exclude<LevelName, 'silent'>) => (fields: object, message?: string) => {
      if (LEVELS[level] < threshold) return;
      write(
        JSON.stringify({
          level: LEVELS[level],
          time: Date.now(),
          name: options.name,
          ...bindings,
          ...fields,
          ...(message === undefined ? {} : { msg: message }),
        }),
      );
    };
    return {
      child: (more) => make({ ...bindings, ...more }),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      fatal: at('fatal'),
    };
  };
  return make({});
}
