import type { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** An SMTP reply to give instead of accepting: e.g. 550 mailbox unavailable, 451 try later. */
export interface SmtpReply {
  code: number;
  message: string;
}

export interface SmtpTestServerOptions {
  /** Credentials the server accepts; without them AUTH is optional and anything goes. */
  credentials?: { user: string; pass: string };
  /** Answer RCPT TO with this reply instead of accepting the recipient. */
  rejectRecipient?: SmtpReply;
  /** Answer the end of DATA with this reply instead of accepting the message. */
  rejectData?: SmtpReply;
}

/** A mail the server accepted: the envelope, and the message as mailparser reads it. */
export interface ReceivedMail {
  envelope: { from: string | false; to: string[] };
  parsed: ParsedMail;
}

/** A real SMTP server (smtp-server) on 127.0.0.1:0 that parses what it accepts, with scriptable refusals. */
export class SmtpTestServer {
  readonly received: ReceivedMail[] = [];
  readonly authAttempts: string[] = [];
  private readonly server: SMTPServer;

  constructor(readonly options: SmtpTestServerOptions = {}) {
    const { credentials } = options;
    this.server = new SMTPServer({
      logger: false,
      // Plain-text test server: no STARTTLS offered, login allowed without TLS.
      disabledCommands: credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      allowInsecureAuth: true,
      authOptional: !credentials,
      onAuth: (auth, _session, callback) => {
        this.authAttempts.push(auth.username ?? '');
        if (credentials && auth.username === credentials.user && auth.password === credentials.pass) return callback(null, { user: auth.username });
        callback(Object.assign(new Error('Error: authentication failed'), { responseCode: 535 }));
      },
      onRcptTo: (_address, _session, callback) => {
        const reject = this.options.rejectRecipient;
        callback(reject ? Object.assign(new Error(reject.message), { responseCode: reject.code }) : null);
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const reject = this.options.rejectData;
            if (reject) return callback(Object.assign(new Error(reject.message), { responseCode: reject.code }));
            this.received.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : false,
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              parsed,
            });
            callback(null, 'Ok: queued as TEST');
          })
          .catch((error: Error) => callback(error));
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** SMTP_URL for this server, with the credentials when given. */
  url(credentials?: { user: string; pass: string }): string {
    const auth = credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.pass)}@` : '';
    return `smtp://${auth}127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
