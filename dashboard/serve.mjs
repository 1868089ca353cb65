// Serves the built dashboard (dist/) on loopback: `node serve.mjs [--port 9990] [--rpc URL]`.
// Static files only; the page talks to the node itself. `serve()` is also what the tests call.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DIST } from './build.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

// The bundle carries the crypto as WebAssembly ('wasm-unsafe-eval'); the page may dial any
// node the user names (ws:, wss:); nothing else leaves the origin.
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Starts serving `dir` on `host:port` (port 0: any free one); resolves with the server and its URL. */
export function serve({ dir = DIST, host = '127.0.0.1', port = 9990 } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ server, url: `http://${host}:${server.address().port}/` }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9990' },
      rpc: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(
      'usage: node serve.mjs [--port 9990] [--rpc ws://127.0.0.1:9944]\nServes dist/ (run `npm run build` first) on 127.0.0.1 and prints the URL to open.',
    );
    process.exit(0);
  }
  try {
    await readFile(join(DIST, 'app.js'));
  } catch {
    console.error(`${DIST}/app.js is missing: run \`npm run build\` first`);
    process.exit(2);
  }
  const { url } = await serve({ port: Number(values.port) }).catch((e) => {
    console.error(
      `cannot listen on 127.0.0.1:${values.port}: ${e.code ?? e.message} (choose another with --port)`,
    );
    process.exit(3);
  });
  console.log(`dashboard: ${values.rpc ? `${url}?rpc=${encodeURIComponent(values.rpc)}` : url}`);
}
