import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { projectPath } from '../../config/project-root';
import { Public } from '../auth/ops-role';

/** What the page is made of, by extension; anything else in the folder (tsconfig.json, types/) is not served. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The page's files, listed once at start: the top level of public/dashboard/ (its ES modules, styles, icon),
 * so no path from the request ever reaches the file system — a request only picks a name from this list.
 */
function pageFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const type = TYPES[extname(entry.name)];
    if (entry.isFile() && type) files.set(entry.name, type);
  }
  return files;
}

/**
 * Scripts only from here (the page is ES modules loaded with <script type="module"> from 'self'; no inline
 * script, no eval); e-mail HTML is shown in a sandboxed srcdoc frame (which inherits this policy, so
 * its inline styles need 'unsafe-inline' for styles, while scripts stay forbidden twice over); attachments
 * are blob: URLs fetched with the token; remote images in e-mails are not loaded.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * GET /dashboard/: the operations console, static files from public/dashboard/ (no build step). The page is
 * public; everything it shows comes from /api with the token the operator types in.
 */
@Controller()
@Public('the console page and its script and styles; all data comes from /api with the token typed in')
@ApiExcludeController()
export class DashboardPageController {
  private readonly dir = projectPath(join('public', 'dashboard'));
  private readonly files = pageFiles(this.dir);

  /** Routing is strict about trailing slashes (src/common/http-edge.ts), so "{/}" names both forms. */
  @Get('dashboard{/}')
  async index(@Req() req: Request, @Res() res: Response): Promise<void> {
    // Relative asset URLs resolve against /dashboard/, so the page works behind a path prefix too.
    if (!req.path.endsWith('/')) {
      const query = req.originalUrl.slice(req.path.length);
      return res.redirect(301, `${req.path}/${query}`);
    }
    await this.send('index.html', res);
  }

  @Get('dashboard/:file')
  async file(@Param('file') file: string, @Res() res: Response): Promise<void> {
    await this.send(file, res);
  }

  private async send(file: string, res: Response): Promise<void> {
    const type = this.files.get(file);
    if (!type) throw new NotFoundException();
    const body = await readFile(join(this.dir, file));
    res
      .status(200)
      .set({
        'Content-Type': type,
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .send(body);
  }
}
