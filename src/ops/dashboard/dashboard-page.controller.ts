import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { projectPath } from '../../config/project-root';
import { Public } from '../auth/ops-role';

/** The page's files: a fixed list, so no path from the request ever reaches the file system. */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/**
 * Scripts only from here; e-mail HTML is shown in a sandboxed srcdoc frame (which inherits this policy, so
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
    const type = Object.hasOwn(FILES, file) ? FILES[file] : undefined;
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
