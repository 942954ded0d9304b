/**
 * A provider template as sent: the provider shows the approved body with the parameters filled in. Meta's
 * WhatsApp and Messenger templates both take a body with {{1}} … {{n}} and positional text parameters.
 */
export interface TemplateForm {
  /** Content-addressed (templateName): other words make another name. */
  name: string;
  /** Meta's template language code (en_GB, pt_BR, zh_CN …). */
  language: string;
  /** The approved body, with {{1}} … {{n}} where the parameters go. */
  body: string;
  parameters: string[];
}

/** A WhatsApp template message as sent. */
export interface WhatsAppTemplateContent extends TemplateForm {
  /** The boarding pass travels as the template's document header. */
  header?: 'document';
}

/** A Messenger utility message template as sent (a BODY component only: Page-owned utility templates carry no file). */
export type MessengerTemplateContent = TemplateForm;

/** A WeChat template message as sent: the account's template and a value per keyword (docs/decisions/0027). */
export interface WeChatTemplateContent {
  templateId: string;
  /** The template's title, as the mapping file names it: WeChat shows the title the template has. */
  title: string;
  /** The catalog the values are worded in ('zh-Hans', or 'en' for every language without a template of its own). */
  locale: string;
  /** In the template's order; each value fits its keyword's kind. */
  keywords: { keyword: string; value: string }[];
}

/** What a channel adapter sends. `locale` is the catalog's locale, which may be a fallback of the passenger's. */
export type RenderedContent = {
  locale: string;
  text: string;
  subject?: string;
  html?: string;
  whatsappTemplate?: WhatsAppTemplateContent;
  messengerTemplate?: MessengerTemplateContent;
  wechatTemplate?: WeChatTemplateContent;
};

/** WhatsApp, Messenger, SMS and WeChat: plain text (WhatsApp, Messenger and WeChat also their template forms). */
export type RenderedText = {
  locale: string;
  text: string;
  whatsappTemplate?: WhatsAppTemplateContent;
  messengerTemplate?: MessengerTemplateContent;
  wechatTemplate?: WeChatTemplateContent;
};

/** E-mail: subject line, HTML body and a plain-text alternative derived from the HTML. */
export type RenderedEmail = { locale: string; text: string; subject: string; html: string };

/** Push: the subject line as the notification's title, the short text as its body. */
export type RenderedPush = { locale: string; text: string; subject: string };
