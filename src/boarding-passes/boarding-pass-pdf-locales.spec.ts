import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { encodeBcbp } from './bcbp-encoder';
import { boardingPassLabels, LABEL_NAMES } from './boarding-pass-labels';
import { renderBoardingPassPdf } from './boarding-pass-pdf';
import { NAME_BY_LOCALE, PASS_LOCALES, SAMPLE_NAMES, sampleBoardingPassData, sampleBoardingPassView } from './boarding-pass.sample';

/**
 * pdf.js (through pdf-parse) extracts the text of each PDF the way a reader's copy-paste and search see it.
 * It runs in a plain Node child process: pdf-parse 2 starts pdf.js with a dynamic import(), which Jest's
 * CommonJS sandbox refuses. Input: a JSON array of base64 PDFs; output: the first page's text of each.
 */
const EXTRACT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const texts = [];
  for (const pdf of JSON.parse(Buffer.concat(chunks).toString())) {
    const parser = new PDFParse({ data: new Uint8Array(Buffer.from(pdf, 'base64')) });
    texts.push((await parser.getText()).pages[0].text);
    await parser.destroy();
  }
  process.stdout.write(JSON.stringify(texts));
});
`;

function extractTexts(pdfs: Buffer[]): Promise<string[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-e', EXTRACT], { cwd: resolve(__dirname, '../..') });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) fail(new Error(`extractor exited ${code}: ${Buffer.concat(err).toString()}`));
      else done(JSON.parse(Buffer.concat(out).toString()) as string[]);
    });
    child.stdin.end(JSON.stringify(pdfs.map((pdf) => pdf.toString('base64'))));
  });
}

interface EmbeddedFont {
  subsetTag: string;
  family: string;
}

/** The fonts a PDF embeds, from their (uncompressed) font dictionaries: `/BaseFont /ABCDEF+Family`. */
function embeddedFonts(pdf: Buffer): EmbeddedFont[] {
  const source = pdf.toString('latin1');
  const fonts = [...source.matchAll(/\/Type \/Font\s+\/Subtype \/Type0\s+\/BaseFont \/([^\s/]+)/g)].map((m) => m[1]);
  return fonts.map((name) => {
    const match = /^([A-Z]{6})\+(.+)$/.exec(name);
    return { subsetTag: match?.[1] ?? '', family: match?.[2] ?? name };
  });
}

const squeeze = (text: string) => text.replace(/\s+/g, ' ');

const FAMILIES: Record<string, string[]> = {
  ja: ['DejaVuSans', 'NotoSansJP-Regular'],
  'zh-Hans': ['DejaVuSans', 'NotoSansSC-Regular'],
  ko: ['DejaVuSans', 'NotoSansKR-Regular'],
  ar: ['DejaVuSans', 'IBMPlexSansArabic-Regular'],
};

describe('a boarding pass in every catalog language', () => {
  const bcbp = encodeBcbp(sampleBoardingPassData());
  const pdfs = new Map<string, Buffer>();
  const texts = new Map<string, string>();

  beforeAll(async () => {
    for (const locale of PASS_LOCALES) {
      const view = sampleBoardingPassView({
        passengerName: NAME_BY_LOCALE[locale] ?? SAMPLE_NAMES.latin,
        operatedBy: 'KLM Cityhopper',
        wallet: { applePassUrl: 'https://notifier.example.com/wallet/apple/passes/x/y/boarding-pass.pkpass', googleSaveUrl: 'https://pay.google.com/gp/v/save/x.y.z' },
      });
      pdfs.set(locale, await renderBoardingPassPdf(view, locale, bcbp));
    }
    const extracted = await extractTexts([...pdfs.values()]);
    [...pdfs.keys()].forEach((locale, i) => texts.set(locale, squeeze(extracted[i])));
  }, 120_000);

  it.each(PASS_LOCALES)('%s embeds only the faces its text needs, each as a subset with a ToUnicode map', (locale) => {
    const pdf = pdfs.get(locale)!;
    const fonts = embeddedFonts(pdf);
    expect(fonts.map((f) => f.family).sort()).toEqual(FAMILIES[locale] ?? ['DejaVuSans']);
    for (const font of fonts) expect(font.subsetTag).toMatch(/^[A-Z]{6}$/);
    const source = pdf.toString('latin1');
    expect(source.match(/\/FontFile2 /g)).toHaveLength(fonts.length);
    expect(source.match(/\/ToUnicode /g)).toHaveLength(fonts.length);
  });

  it.each(PASS_LOCALES)('%s: every label and the passenger name can be extracted as text', (locale) => {
    const labels = boardingPassLabels(locale);
    const text = texts.get(locale)!;
    const wanted = [
      labels.boardingPass.toLocaleUpperCase(locale),
      ...LABEL_NAMES.filter((name) => !['boardingPass', 'appleWallet', 'googleWallet'].includes(name)).map((name) => labels[name]),
      NAME_BY_LOCALE[locale] ?? SAMPLE_NAMES.latin,
      'KL 1234',
      '12A',
    ];
    expect(wanted.filter((w) => !text.includes(squeeze(w)))).toEqual([]);
    // The wallet links wrap beside the bar code, two columns side by side: each word is there.
    const words = `${labels.appleWallet} ${labels.googleWallet}`.split(' ');
    expect(words.filter((w) => !text.replace(/\s+/g, '').includes(w))).toEqual([]);
  });

  it('adds a face for a name in another script, and only that one', async () => {
    const view = sampleBoardingPassView({ passengerName: SAMPLE_NAMES.japaneseKana });
    expect(embeddedFonts(await renderBoardingPassPdf(view, 'en', bcbp)).map((f) => f.family).sort()).toEqual(['DejaVuSans', 'NotoSansJP-Regular']);
    const arabic = sampleBoardingPassView({ passengerName: SAMPLE_NAMES.arabic });
    expect(embeddedFonts(await renderBoardingPassPdf(arabic, 'de', bcbp)).map((f) => f.family).sort()).toEqual(['DejaVuSans', 'IBMPlexSansArabic-Regular']);
  });

  it('gives the same bytes for the same data in a script with shaping', async () => {
    const view = sampleBoardingPassView({ passengerName: SAMPLE_NAMES.arabic });
    const again = await renderBoardingPassPdf(view, 'ar', bcbp);
    expect(again.equals(await renderBoardingPassPdf(view, 'ar', bcbp))).toBe(true);
  });
});
