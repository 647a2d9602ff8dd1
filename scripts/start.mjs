// `npm start`: the server on embedded SQLite (./data/server.sqlite) and the
// desktop app pointed at it, both on 127.0.0.1, with their URLs printed (and the
// browser app's, which the server serves at /app/).
// Creates no accounts or records: the first screen asks you to create one.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const serverPort = process.env.PORT ?? '8787';
const desktopPort = process.env.DESKTOP_PORT ?? '5173';
const children = [];

function run(name, args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      // Structured logs stay quiet here; the lines meant for people are printed.
      if (line && !line.startsWith('{')) process.stdout.write(`[${name}] ${line}\n`);
    }
  });
  child.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`[${name}] exited with ${code}\n`);
      stop(code ?? 1);
    }
  });
  children.push(child);
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

run('server', ['packages/server/bin/clinicsync-server.js', '--port', serverPort, '--data-dir', 'data']);
// The browser app is the same clinic UI in a tab, served by the server itself (built on the first visit).
process.stdout.write(`[browser] ClinicSync in a browser: http://127.0.0.1:${serverPort}/app/\n`);
const desktopBin = 'apps/desktop/bin/clinicsync-desktop.js';
if (existsSync(`${root}/${desktopBin}`)) {
  run('desktop', [desktopBin, '--server', `http://127.0.0.1:${serverPort}`, '--port', desktopPort, '--data', 'data/desktop']);
}
