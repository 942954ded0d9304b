import { Controller, Get, NotFoundException, Param, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { PKPASS_CONTENT_TYPE } from '../../boarding-passes/apple-wallet/pkpass';
import { ParsePatternPipe } from '../../common/parse-pattern.pipe';
import { Public } from '../../ops/auth/ops-role';
import { AppleWalletPasses } from './apple-wallet-passes.service';

const serialPipe = new ParsePatternPipe('serialNumber', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a pass serial number (UUID)');
const tokenPipe = new ParsePatternPipe('token', /^[A-Za-z0-9_-]{43}$/, 'a download token (43 base64url characters)');

/**
 * The e-mail's "Add to Apple Wallet" link (docs/decisions/0034): a browser or Mail on iPhone opens it and Wallet
 * offers to add the pass. A link carries no Authorization header, so the secret is in the path: the pass's download
 * token (256 bits, derived from its authentication token). Anything wrong answers 404, so guessing teaches nothing.
 */
@Controller('wallet/apple/passes')
@Public('the passenger opens it from the boarding-pass e-mail: it serves only the pass whose unguessable download token is in the path, 404 otherwise')
export class AppleWalletDownloadController {
  constructor(private readonly passes: AppleWalletPasses) {}

  @Get(':serialNumber/:token/boarding-pass.pkpass')
  async download(
    @Param('serialNumber', serialPipe) serialNumber: string,
    @Param('token', tokenPipe) token: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const access = await this.passes.authorizeDownload(serialNumber, token);
    if (!access.ok) throw new NotFoundException('no such pass');
    res.setHeader('Content-Type', PKPASS_CONTENT_TYPE);
    res.setHeader('Content-Disposition', 'attachment; filename="boarding-pass.pkpass"');
    // The pass changes with the flight: always the current one; personal data, so no shared cache keeps it.
    res.setHeader('Cache-Control', 'private, no-cache');
    return new StreamableFile(await this.passes.render(access.pass));
  }
}
