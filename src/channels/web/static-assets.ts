/**
 * The page's own files (`public/*.css`, `*.js`, `*.svg`), read once and served from memory
 * with an ETag, so a phone on a slow network revalidates instead of downloading again.
 * Only files that exist in the folder are served; names never reach the filesystem.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** Loads every servable file of the page folder (the HTML template is rendered, not served). */
export function loadStaticAssets(folder: URL = new URL('./public/', import.meta.url)): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const name of readdirSync(fileURLToPath(folder))) {
    const contentType = CONTENT_TYPES[name.split('.').pop() ?? ''];
    if (!contentType) continue;
    const body = readFileSync(new URL(name, folder));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(name, { body, contentType, etag });
  }
  return assets;
}
