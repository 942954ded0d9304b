import { Body, Controller, Delete, Get, Headers, HttpCode, Logger, Param, Post, Query, Res, StreamableFile, UnauthorizedException, BadRequestException } from '@nestjs/common';
import type { Response } from 'express';
import { PKPASS_CONTENT_TYPE } from '../../boarding-passes/apple-wallet/pkpass';
import { ParsePatternPipe } from '../../common/parse-pattern.pipe';
import { maskPersonalData } from '../../common/mask';
import { Public } from '../../ops/auth/ops-role';
import { AppleWalletPasses, type PassAccess } from './apple-wallet-passes.service';
import { AppleWalletRepository } from './apple-wallet.repository';
import { logLines, registrationPushToken } from './apple-wallet-web.dto';

const deviceIdPipe = new ParsePatternPipe('deviceLibraryIdentifier', /^[A-Za-z0-9._-]{1,128}$/, 'a device library identifier: 1 to 128 letters, digits, . _ or -');
const passTypePipe = new ParsePatternPipe('passTypeIdentifier', /^[A-Za-z0-9.-]{1,160}$/, 'a pass type identifier');
const serialPipe = new ParsePatternPipe('serialNumber', /^[A-Za-z0-9-]{1,64}$/, 'a serial number: 1 to 64 letters, digits or -');

/**
 * The pass web service Wallet calls (https://developer.apple.com/documentation/walletpasses/adding-a-web-service-to-update-passes):
 * register and unregister a device for a pass, list the serial numbers updated since a tag, get the latest pass,
 * and take Wallet's log messages. Routes that name a pass need that pass's `ApplePass <authenticationToken>`
 * (401 otherwise, whatever is wrong); Apple's protocol sends no token to the serial list and the log.
 */
@Controller('wallet/apple/v1')
@Public("Apple Wallet calls it: every route that names a pass checks that pass's own ApplePass authentication token; the serial list answers only for a device's own registrations and the log only writes masked lines")
export class AppleWalletWebController {
  private readonly logger = new Logger('AppleWallet');

  constructor(
    private readonly passes: AppleWalletPasses,
    private readonly repository: AppleWalletRepository,
  ) {}

  @Post('devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier/:serialNumber')
  async register(
    @Param('deviceLibraryIdentifier', deviceIdPipe) deviceId: string,
    @Param('passTypeIdentifier', passTypePipe) passTypeId: string,
    @Param('serialNumber', serialPipe) serialNumber: string,
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    granted(await this.passes.authorize(passTypeId, serialNumber, authorization));
    const created = await this.repository.register(deviceId, passTypeId, serialNumber, registrationPushToken(body));
    // Apple: 201 for a new registration, 200 when the device already had the pass registered.
    res.status(created ? 201 : 200);
  }

  @Delete('devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier/:serialNumber')
  @HttpCode(200)
  async unregister(
    @Param('deviceLibraryIdentifier', deviceIdPipe) deviceId: string,
    @Param('passTypeIdentifier', passTypePipe) passTypeId: string,
    @Param('serialNumber', serialPipe) serialNumber: string,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<void> {
    granted(await this.passes.authorize(passTypeId, serialNumber, authorization));
    await this.repository.unregister(deviceId, passTypeId, serialNumber);
  }

  @Get('devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier')
  async updated(
    @Param('deviceLibraryIdentifier', deviceIdPipe) deviceId: string,
    @Param('passTypeIdentifier', passTypePipe) passTypeId: string,
    @Query('passesUpdatedSince') since: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ serialNumbers: string[]; lastUpdated: string } | undefined> {
    if (since !== undefined && (typeof since !== 'string' || !/^\d{1,18}$/.test(since))) {
      throw new BadRequestException('passesUpdatedSince must be the lastUpdated tag this service gave (digits)');
    }
    const found = passTypeId === this.passes.passTypeId ? await this.repository.updatedSince(deviceId, passTypeId, since as string | undefined) : undefined;
    if (!found?.lastUpdated) {
      res.status(204);
      return undefined;
    }
    return { serialNumbers: found.serialNumbers, lastUpdated: found.lastUpdated };
  }

  @Get('passes/:passTypeIdentifier/:serialNumber')
  async pass(
    @Param('passTypeIdentifier', passTypePipe) passTypeId: string,
    @Param('serialNumber', serialPipe) serialNumber: string,
    @Headers('authorization') authorization: string | undefined,
    @Headers('if-modified-since') ifModifiedSince: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile | undefined> {
    const pass = granted(await this.passes.authorize(passTypeId, serialNumber, authorization));
    res.setHeader('Last-Modified', pass.updatedAt.toUTCString());
    const since = ifModifiedSince ? Date.parse(ifModifiedSince) : Number.NaN;
    if (!Number.isNaN(since) && pass.updatedAt.getTime() <= since) {
      res.status(304);
      return undefined;
    }
    res.setHeader('Content-Type', PKPASS_CONTENT_TYPE);
    res.setHeader('Cache-Control', 'no-cache');
    return new StreamableFile(await this.passes.render(pass));
  }

  @Post('log')
  @HttpCode(200)
  log(@Body() body: unknown): void {
    for (const line of logLines(body).slice(0, 20)) this.logger.warn(`Wallet reports: ${maskPersonalData(line).slice(0, 500)}`);
  }
}

function granted(access: PassAccess) {
  if (!access.ok) throw new UnauthorizedException('Authorization: ApplePass <authenticationToken> of this pass is required');
  return access.pass;
}
