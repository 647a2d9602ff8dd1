/**
 * The build `npm install` runs (the root's `prepare`, scripts/prebuild.mjs)
 * never fails nor holds up the install: a build that fails, or one that never
 * ends, leaves the install successful, and the first start builds instead.
 * The script is run from a copy of the repository's layout whose build is
 * made to fail or to hang.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/temp-dir.ts';

const SCRIPT = resolve(fileURLToPath(new URL('../scripts/prebuild.mjs', import.meta.url)));

/** A root with the install-time build script and `build` as the edge's build command. */
function rootWithBuild(build: string): string {
  const root = tempDir('install-build');
  mkdirSync(join(root, 'scripts'));
  copyFileSync(SCRIPT, join(root, 'scripts/prebuild.mjs'));
  mkdirSync(join(root, 'packages/edge/bin'), { recursive: true });
  writeFileSync(join(root, 'packages/edge/bin/build-worker.js'), build);
  return root;
}

function runPrebuild(root: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(root, 'scripts/prebuild.mjs')], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // An install that hangs is the failure looked for: stop it and report.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('error', fail);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

describe('the install-time build', () => {
  it('leaves the install successful when the build fails, saying why', async () => {
    const root = rootWithBuild("console.error('esbuild: no such file'); process.exit(1);\n");
    const { code, out } = await runPrebuild(root);
    expect(code).toBe(0);
    expect(out).toContain('will be built at their first start (esbuild: no such file)');
  });

  it('stops a build that never ends, and the install goes on', async () => {
    const root = rootWithBuild('setInterval(() => {}, 1_000);\n');
    const started = Date.now();
    const { code, out } = await runPrebuild(root, { CLINICSYNC_INSTALL_BUILD_TIMEOUT_S: '1' });
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(out).toContain('will be built at their first start (it took longer than 1 s)');
  });
});
