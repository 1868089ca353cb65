// Bundles the dashboard into dist/ (one ES module, its stylesheet and page): `npm run build`.
// `build()` is also what the tests call.
import { build as esbuild } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = join(here, 'dist');

export async function build({ quiet = false } = {}) {
  const started = Date.now();
  await mkdir(DIST, { recursive: true });
  await esbuild({
    entryPoints: [join(here, 'src/main.js')],
    outfile: join(DIST, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022', // BigInt
    minify: true,
    sourcemap: true,
    legalComments: 'linked',
    logLevel: quiet ? 'error' : 'warning',
  });
  await Promise.all(['index.html', 'style.css'].map((f) => copyFile(join(here, 'src', f), join(DIST, f))));
  if (!quiet) console.log(`dashboard built into ${DIST} in ${Date.now() - started} ms`);
  return DIST;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
