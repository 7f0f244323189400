import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AisbfError } from '@aisbf/contracts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

/** Everything the page needs comes from this origin: no CDN, no inline script, no framing. */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** The built dashboard (compiled next to this file by scripts/build.mjs), read once into memory. */
function loadAssets(root: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      const type = CONTENT_TYPES[path.extname(name)];
      if (!type || name.endsWith('.spec.js')) continue;
      const body = readFileSync(full);
      const rel = path.relative(root, full).split(path.sep).join('/');
      assets.set(rel, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
    }
  };
  walk(root);
  return assets;
}

/** `/dashboard`: the web UI for providers, rotations, autoselect, tokens, route debugging and usage. */
@Controller('dashboard')
export class DashboardAssetsController {
  private readonly assets = loadAssets(path.join(__dirname, 'assets'));

  @Get()
  index(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.send('index.html', request, reply);
  }

  @Get('*')
  file(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const rel = decodeURIComponent(request.url.split('?')[0].replace(/^\/dashboard\/?/, ''));
    this.send(rel === '' ? 'index.html' : rel, request, reply);
  }

  private send(rel: string, request: FastifyRequest, reply: FastifyReply): void {
    const asset = this.assets.get(rel);
    if (!asset) {
      throw this.assets.size === 0
        ? new AisbfError('not_found', 'the dashboard is not built: run npm run build')
        : new AisbfError('not_found', 'no such dashboard file');
    }
    void reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'no-cache', etag: asset.etag });
    if (request.headers['if-none-match'] === asset.etag) {
      void reply.status(304).send();
      return;
    }
    void reply.type(asset.type).send(asset.body);
  }
}
