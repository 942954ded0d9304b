/** What a channel adapter sends. `locale` is the template's locale, which may be a fallback of the passenger's. */
export type RenderedContent = { locale: string; text: string; subject?: string; html?: string };

/** WhatsApp and SMS: plain text only. */
export type RenderedText = { locale: string; text: string };

/** E-mail: subject line, HTML body and a plain-text alternative derived from the HTML. */
export type RenderedEmail = RenderedText & { subject: string; html: string };
