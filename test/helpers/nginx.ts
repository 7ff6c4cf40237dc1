// A real nginx (Debian package `nginx`) as a reverse proxy writing access logs into a temp
// dir: its own config, pid, error log and temp paths, loopback only, never the system service.
// Tests, the benchmark and the demo use it to produce access logs the way production does.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NGINX_TIMED_FORMAT } from '../../collector/gateway/index.ts';
import { freePort } from './ports.ts';

export const NGINX_BIN = '/usr/sbin/nginx';

export interface NginxOptions {
  /** Where every request is proxied, e.g. `http://127.0.0.1:4000`. */
  upstreamUrl: string;
  /** Access logs to write: file name (in the nginx dir) → `log_format` string. Default `access.log` in nginx-timed. */
  accessLogs?: Record<string, string>;
  /** Parent folder for nginx's dir; default the OS temp dir. */
  parentDir?: string;
}

export interface RunningNginx {
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number;
  /** The folder holding the config, logs, pid and temp files. */
  dir: string;
  /** Absolute path of an access log by its file name. */
  logPath(name?: string): string;
  /** `kill -USR1`: nginx reopens its logs (what logrotate's postrotate does); resolves once they exist again. */
  reopenLogs(): Promise<void>;
  errorLog(): Promise<string>;
  /** Stops nginx (SIGQUIT, then SIGKILL) and removes its dir. */
  stop(): Promise<void>;
}

function config(dir: string, port: number, options: NginxOptions): string {
  const logs = Object.entries(options.accessLogs ?? { 'access.log': NGINX_TIMED_FORMAT });
  const quoted = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  return `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  ${logs.map(([name, format], i) => `log_format telltale${i} ${quoted(format)};\n  access_log ${join(dir, name)} telltale${i};`).join('\n  ')}
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass ${options.upstreamUrl};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

async function waitForPort(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  while (Date.now() < deadlineMs) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('nginx exited');
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('nginx did not start listening in time');
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  // QUIT is nginx's graceful shutdown; KILL if it hangs, so a test never leaves it behind.
  child.kill('SIGQUIT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Starts nginx in the foreground as a child process; retries on a port taken in between. */
export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  if (!existsSync(NGINX_BIN)) throw new Error(`${NGINX_BIN} not found: apt-get install -y nginx (npm test installs it when root)`);
  const dir = await mkdtemp(join(options.parentDir ?? tmpdir(), 'telltale-nginx-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const confPath = join(dir, 'nginx.conf');
    await writeFile(confPath, config(dir, port, options));
    // -e: the error log before the config is read (the default one is not ours to write).
    const child = spawn(NGINX_BIN, ['-p', dir, '-c', confPath, '-e', join(dir, 'error.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitForPort(port, child, Date.now() + 10_000);
    } catch (err) {
      await stopChild(child);
      const errorLog = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
      lastError = new Error(`${(err as Error).message}: ${stderr}${errorLog}`);
      if (/Address already in use/.test(stderr + errorLog)) continue;
      break;
    }
    const pid = child.pid!;
    const logNames = Object.keys(options.accessLogs ?? { 'access.log': '' });
    return {
      url: `http://127.0.0.1:${port}`,
      pid,
      dir,
      logPath: (name = logNames[0]!) => join(dir, name),
      async reopenLogs() {
        process.kill(pid, 'SIGUSR1');
        const deadline = Date.now() + 5000;
        while (!logNames.every((n) => existsSync(join(dir, n)))) {
          if (Date.now() > deadline) throw new Error('nginx did not reopen its logs');
          await new Promise((r) => setTimeout(r, 10));
        }
      },
      errorLog: () => readFile(join(dir, 'error.log'), 'utf8').catch(() => ''),
      async stop() {
        await stopChild(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error('nginx did not start');
}
