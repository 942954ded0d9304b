import { Module } from '@nestjs/common';
import { SmtpEmailAdapter } from './smtp-email.adapter';

/** E-mail over SMTP (nodemailer, pooled). */
@Module({ providers: [SmtpEmailAdapter], exports: [SmtpEmailAdapter] })
export class EmailModule {}
