/**
 * Serves the built single-page app (Vite's `dist/`) so that `npm start` runs everything on one port.
 *
 * - `/` and directories serve their `index.html`; a path whose last segment has no extension and matches no
 *   file also gets the root `index.html` (client-side routes); a missing file with an extension is a 404.
 * - The resolved real path must stay inside the root: `..`, encoded separators, NUL bytes and symlinks that
 *   lead out are refused; dotfiles are never served.
 * - Content types include `application/wasm` (needed for streaming compilation) and `text/javascript`.
 * - Vite's content-hashed `/assets/*` are cached for a year; everything else is revalidated via ETag.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, posix, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.arrow': 'application/vnd.apache.arrow.file',
};

export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticOutcome = 'served' | 'not_found' | 'bad_path';

export class StaticFiles {
  private constructor(private readonly root: string) {}

  /** @throws Error when `dir` does not exist or is not a directory. */
  static async open(dir: string): Promise<StaticFiles> {
    const root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new Error(`${dir} is not a directory`);
    return new StaticFiles(root);
  }

  /** Serves a GET or HEAD request for `pathname` (still URL-encoded). */
  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<StaticOutcome> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return 'bad_path';
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return 'bad_path';
    const clean = posix.normalize(`/${decoded}`);
    const segments = clean.split('/').filter((s) => s.length > 0);
    if (segments.some((s) => s.startsWith('.'))) return 'not_found';

    let file = await this.resolveFile(join(this.root, ...segments));
    if (!file && !extname(clean)) file = await this.resolveFile(join(this.root, 'index.html'));
    if (!file) return 'not_found';
    await this.send(req, res, file.path, file.size, file.mtimeMs, clean.startsWith('/assets/'));
    return 'served';
  }

  /** The file (or a directory's index.html) at `candidate`, if it exists inside the root. */
  private async resolveFile(candidate: string): Promise<{ path: string; size: number; mtimeMs: number } | null> {
    try {
      let real = await realpath(candidate);
      let info = await stat(real);
      if (info.isDirectory()) {
        real = await realpath(join(real, 'index.html'));
        info = await stat(real);
      }
      if (!info.isFile()) return null;
      if (real !== this.root && !real.startsWith(this.root + sep)) return null;
      return { path: real, size: info.size, mtimeMs: info.mtimeMs };
    } catch {
      return null;
    }
  }

  private async send(
    req: IncomingMessage,
    res: ServerResponse,
    file: string,
    size: number,
    mtimeMs: number,
    immutable: boolean,
  ): Promise<void> {
    const etag = `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
    const headers: Record<string, string | number> = {
      'Content-Type': contentType(file),
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(createReadStream(file), res);
  }
}
