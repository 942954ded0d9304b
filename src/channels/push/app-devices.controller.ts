import { Body, Controller, Delete, HttpCode, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ParsePatternPipe } from '../../common/parse-pattern.pipe';
import { AppOnly } from '../../ops/auth/ops-role';
import { AppDeviceBody, AppDeviceDto, AppDeviceRemovalDto } from './app-devices.dto';
import { AppDevicesService } from './app-devices.service';

/** The app's installation id (a UUID, Firebase's installation id …): 8 to 128 URL-safe characters. */
const installationIdPipe = new ParsePatternPipe('installationId', /^[A-Za-z0-9._~-]{8,128}$/, 'an installation id: 8 to 128 letters, digits or . _ ~ -');

/**
 * The airline app's backend registers the devices push messages go to, and removes them (sign-out, uninstall).
 * Only an app token may call these routes, and an app token may call nothing else (docs/decisions/0028).
 */
@Controller('api/app-devices')
@AppOnly()
export class AppDevicesController {
  constructor(private readonly devices: AppDevicesService) {}

  @Put(':installationId')
  @HttpCode(200)
  @ApiOperation({ summary: "Register or update one installation of the airline's app: account, platform, push token, language" })
  @ApiOkResponse({ type: AppDeviceDto, description: 'Registered (created true) or updated; the push token is never echoed.' })
  register(@Param('installationId', installationIdPipe) installationId: string, @Body() body: AppDeviceBody): Promise<AppDeviceDto> {
    return this.devices.register(installationId, body);
  }

  @Delete(':installationId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove one installation: push messages stop going to it' })
  @ApiOkResponse({ type: AppDeviceRemovalDto, description: 'Removed, or was not registered (removed false): either way it receives nothing now.' })
  async remove(@Param('installationId', installationIdPipe) installationId: string): Promise<AppDeviceRemovalDto> {
    return { installationId, removed: await this.devices.remove(installationId) };
  }
}
