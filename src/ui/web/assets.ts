import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

/** Where `npm run build` puts the client bundle: dist/ui/web/client, next to this module once built. */
export function defaultAssetsDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'client');
}

/**
 * The client's files, read once into memory by name: a request can only name one of them, so
 * no request path ever reaches the file system. `CAIRN_SERVE_ASSETS` exists for the benchmark's
 * baseline (a static page of the same size served the same way).
 */
export function loadAssets(dir = process.env.CAIRN_SERVE_ASSETS ?? defaultAssetsDir()): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const body = readFileSync(path.join(dir, name));
    assets.set(name, { body, gzip: gzipSync(body, { level: 9 }), type });
  }
  return assets;
}

const attr = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The one HTML page; the client renders every view in it. */
export function indexHtml(token: string): string {
  const q = `?token=${encodeURIComponent(token)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cairn</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css${attr(q)}">
<script type="module" src="/assets/app.js${attr(q)}"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="#/">Cairn</a><span id="conn" role="status" aria-live="polite">connecting…</span></header>
<main id="main" tabindex="-1"><p>Loading… (this page needs JavaScript)</p></main>
</body>
</html>
`;
}
