// A private clickhouse-server for a test file: its own temp folder, config and loopback ports,
// started as a child process and stopped by t.after. Works with Debian's 18.16 (which runs as
// root without complaint when given a config of its own) and with current releases.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

export const CLICKHOUSE_BINARY = '/usr/sbin/clickhouse-server';

export interface ClickHouseServer {
  url: string;
  httpPort: number;
  /** Stops the server (SIGTERM, then SIGKILL); restart() brings it back on the same ports and data. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Runs a statement over HTTP, for assertions that must not go through the store. */
  sql(query: string): Promise<string>;
}

function configXml(dir: string, httpPort: number, tcpPort: number): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>53687091</mark_cache_size>
  <uncompressed_cache_size>53687091</uncompressed_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;

async function waitReady(url: string, child: ChildProcess, dir: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`clickhouse-server exited with ${child.exitCode}; see ${dir}/error.log`);
    try {
      const res = await fetch(`${url}/ping`);
      if (res.ok && (await res.text()).startsWith('Ok')) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`clickhouse-server did not become ready within ${timeoutMs} ms`);
}

/** Registers teardown: a test's `t.after`, or node:test's top-level `after` for a file-wide server. */
export interface Teardown {
  after(fn: () => Promise<void>): void;
}

/** Starts a private server; it is stopped and its folder removed by the teardown hook. */
export async function startClickHouse(t: Teardown): Promise<ClickHouseServer> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-clickhouse-'));
  const httpPort = await freePort();
  const tcpPort = await freePort();
  await writeFile(join(dir, 'config.xml'), configXml(dir, httpPort, tcpPort));
  await writeFile(join(dir, 'users.xml'), USERS_XML);
  const url = `http://127.0.0.1:${httpPort}`;
  let child: ChildProcess | null = null;

  const start = async () => {
    if (!existsSync(CLICKHOUSE_BINARY)) {
      throw new Error(`${CLICKHOUSE_BINARY} is missing: run \`node scripts/ensure-system-deps.mjs\` as root (apt-get install clickhouse-server)`);
    }
    child = spawn(CLICKHOUSE_BINARY, [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: 'ignore' });
    await waitReady(url, child, dir);
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  t.after(async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    url, httpPort, stop,
    restart: async () => {
      await stop();
      await start();
    },
    async sql(query) {
      const res = await fetch(url, { method: 'POST', body: query });
      const text = await res.text();
      if (!res.ok) throw new Error(`ClickHouse: ${text}`);
      return text;
    },
  };
}
