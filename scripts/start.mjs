// `npm start`: the server on embedded SQLite (./data/server.sqlite) and the
// desktop app pointed at it, both on 127.0.0.1, with their URLs printed (and the
// browser app's, which the server serves at /app/).
// Creates no accounts or records: the first screen asks you to create one.
//
// The two run as separate processes so the server can stop while the desktop
// keeps working, as in a clinic whose connection is down: type `stop` and
// Enter to stop the server, `start` and Enter to start it again (or kill the
// server's pid, printed at start). When the server exits the desktop stays;
// when the desktop exits, or on Ctrl-C, everything stops.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const serverPort = process.env.PORT ?? '8787';
const desktopPort = process.env.DESKTOP_PORT ?? '5173';
const SERVER_ARGS = ['packages/server/bin/clinicsync-server.js', '--port', serverPort, '--data-dir', 'data'];
const children = new Map();
let stopping = false;

function run(name, args, { essential }) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      // Structured logs stay quiet here; the lines meant for people are printed.
      if (line && !line.startsWith('{')) process.stdout.write(`[${name}] ${line}\n`);
    }
  });
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    process.stderr.write(`[${name}] exited with ${code ?? signal}\n`);
    if (essential) stop(code ?? 1);
    else
      process.stdout.write(
        `[${name}] stopped; the desktop keeps working offline. Type \`start\` and Enter to start it again.\n`,
      );
  });
  children.set(name, child);
  process.stdout.write(`[${name}] pid ${child.pid}\n`);
}

function stop(code = 0) {
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'stop') {
    if (children.has('server')) children.get('server').kill('SIGTERM');
    else process.stdout.write('[server] is not running\n');
  } else if (command === 'start') {
    if (children.has('server')) process.stdout.write('[server] is already running\n');
    else run('server', SERVER_ARGS, { essential: false });
  } else if (command) {
    process.stdout.write('Commands: `stop` (the server), `start` (the server), Ctrl-C (everything).\n');
  }
});

run('server', SERVER_ARGS, { essential: false });
// The browser app is the same clinic UI in a tab, served by the server itself (built on the first visit).
process.stdout.write(`[browser] ClinicSync in a browser: http://127.0.0.1:${serverPort}/app/\n`);
const desktopBin = 'apps/desktop/bin/clinicsync-desktop.js';
if (existsSync(`${root}/${desktopBin}`)) {
  run(
    'desktop',
    [desktopBin, '--server', `http://127.0.0.1:${serverPort}`, '--port', desktopPort, '--data', 'data/desktop'],
    { essential: true },
  );
}
process.stdout.write(
  'Type `stop` and Enter to stop the server (the desktop keeps working), `start` to start it again; Ctrl-C stops everything.\n',
);
