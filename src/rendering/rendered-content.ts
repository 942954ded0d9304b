/** A WhatsApp template message as sent: Meta shows the approved body with these parameters filled in. */
export interface WhatsAppTemplateContent {
  name: string;
  /** WhatsApp's language code (en_GB, pt_BR, zh_CN …). */
  language: string;
  /** The approved body, with {{1}} … {{n}} where the parameters go. */
  body: string;
  parameters: string[];
  /** The boarding pass travels as the template's document header. */
  header?: 'document';
}

/** What a channel adapter sends. `locale` is the catalog's locale, which may be a fallback of the passenger's. */
export type RenderedContent = { locale: string; text: string; subject?: string; html?: string; whatsappTemplate?: WhatsAppTemplateContent };

/** WhatsApp and SMS: plain text (WhatsApp also its template form). */
export type RenderedText = { locale: string; text: string; whatsappTemplate?: WhatsAppTemplateContent };

/** E-mail: subject line, HTML body and a plain-text alternative derived from the HTML. */
export type RenderedEmail = { locale: string; text: string; subject: string; html: string };

/** Push: the subject line as the notification's title, the short text as its body. */
export type RenderedPush = { locale: string; text: string; subject: string };
