// Starts a real `grid-node --dev --tmp` on free ports and stops it when asked.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createWriteStream, existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export function nodeBinary() {
  if (process.env.GRID_NODE) return process.env.GRID_NODE;
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache/gridchain/target');
  const bin = join(target, 'release', 'grid-node');
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run scripts/test.sh (or set GRID_NODE)`);
  }
  return bin;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function startDevNode(name) {
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const logPath = join(tmpdir(), `grid-e2e-js-${name}-${rpcPort}.log`);
  const log = createWriteStream(logPath);
  const child = spawn(nodeBinary(), [
    '--dev', '--tmp', '--no-mdns', '--no-prometheus',
    '--rpc-port', String(rpcPort),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.pipe(log);
  const url = `ws://127.0.0.1:${rpcPort}`;
  const httpUrl = `http://127.0.0.1:${rpcPort}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`grid-node exited (${child.exitCode}); see ${logPath}`);
    try {
      const res = await fetch(httpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'system_health', params: [] }),
      });
      if (res.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`grid-node RPC did not come up; see ${logPath}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    logPath,
    stop() {
      child.kill('SIGTERM');
    },
  };
}
