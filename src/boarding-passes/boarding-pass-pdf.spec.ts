import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { encodeBcbp } from './bcbp-encoder';
import { renderBoardingPassPdf } from './boarding-pass-pdf';
import { sampleBoardingPassData, sampleBoardingPassView } from './boarding-pass.sample';
import type { BoardingPassView } from './boarding-pass-view';

interface Inspection {
  pages: number;
  pageTexts: string[];
  /** Per page: what jsQR reads from a 3x raster of the page, and the symbol's width in mm. */
  qr: ({ data: string; widthMm: number } | null)[];
}

/**
 * pdf-parse 2 starts pdf.js with a dynamic import(), which Jest's CommonJS sandbox refuses without
 * --experimental-vm-modules; so the PDF is read in a plain Node child process instead.
 */
const INSPECT = `
const { PDFParse } = require('pdf-parse');
const { PNG } = require('pngjs');
const jsqr = require('jsqr');
const jsQR = jsqr.default || jsqr;
const SCALE = 3;
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  const text = await parser.getText();
  const shots = await parser.getScreenshot({ scale: SCALE, imageBuffer: true, imageDataUrl: false });
  await parser.destroy();
  const qr = shots.pages.map((page) => {
    const png = PNG.sync.read(Buffer.from(page.data));
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    if (!code) return null;
    const { topLeftCorner: a, topRightCorner: b } = code.location;
    const widthMm = (Math.hypot(b.x - a.x, b.y - a.y) / SCALE) * 25.4 / 72;
    return { data: code.data, widthMm };
  });
  process.stdout.write(JSON.stringify({ pages: text.total, pageTexts: text.pages.map((p) => p.text), qr }));
});
`;

function inspect(pdf: Buffer): Promise<Inspection> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-e', INSPECT], { cwd: resolve(__dirname, '../..') });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) fail(new Error(`inspector exited ${code}: ${Buffer.concat(err).toString()}`));
      else done(JSON.parse(Buffer.concat(out).toString()) as Inspection);
    });
    child.stdin.end(pdf);
  });
}

describe('renderBoardingPassPdf', () => {
  const bcbp = encodeBcbp(sampleBoardingPassData());
  let nl: Inspection;

  beforeAll(async () => {
    nl = await inspect(await renderBoardingPassPdf(sampleBoardingPassView(), 'nl-NL', bcbp));
  }, 30_000);

  it('shows the passenger name with its accents, the flight and the seat', () => {
    const text = nl.pageTexts[0];
    expect(text).toContain('Zoë Müller-Lüdenscheidt');
    expect(text).toContain('KL 1234');
    expect(text).toContain('12A');
    expect(text).toContain('Amsterdam');
    expect(text).toContain('Paris Charles de Gaulle');
    expect(text).toMatch(/AMS[\s\S]*CDG/);
  });

  it('labels in Dutch for nl-NL', () => {
    for (const label of ['INSTAPKAART', 'Passagier', 'Vlucht', 'Stoel', 'Volgnr.', 'Instappen', 'Aankomst']) {
      expect(nl.pageTexts[0]).toContain(label);
    }
  });

  it('prints times in each airport’s own zone', () => {
    // 06:25Z departs Amsterdam (UTC+1 in March), 07:40Z lands in Paris, boarding 05:50Z.
    expect(nl.pageTexts[0]).toContain('07:25');
    expect(nl.pageTexts[0]).toContain('08:40');
    expect(nl.pageTexts[0]).toContain('06:50');
    expect(nl.pageTexts[0]).toContain('za 14 mrt');
  });

  it('draws a QR code of at least 40 mm that scans back to the BCBP', () => {
    expect(nl.qr[0]?.data).toBe(bcbp);
    expect(nl.qr[0]?.widthMm).toBeGreaterThanOrEqual(40);
  });

  it('labels in English for en-GB and for languages without a catalog', async () => {
    for (const locale of ['en-GB', 'sv-SE', 'not a locale']) {
      const [page] = (await inspect(await renderBoardingPassPdf(sampleBoardingPassView(), locale, bcbp))).pageTexts;
      expect(page).toContain('BOARDING PASS');
      expect(page).toContain('Seat');
    }
  }, 30_000);

  it('renders one page per passenger and leg, each with its own bar code', async () => {
    const second = encodeBcbp(
      sampleBoardingPassData({ passenger: { surname: 'Søndergård', givenName: 'Łucja' } }),
    );
    const base = sampleBoardingPassView().pages[0];
    const view: BoardingPassView = {
      pages: [
        { ...base, bcbp },
        { ...base, passengerName: 'Łucja Søndergård', seat: '12B', sequenceNumber: 26, bcbp: second },
      ],
    };
    const result = await inspect(await renderBoardingPassPdf(view, 'en'));
    expect(result.pages).toBe(2);
    expect(result.pageTexts[1]).toContain('Łucja Søndergård');
    expect(result.pageTexts[1]).toContain('12B');
    expect(result.qr.map((q) => q?.data)).toEqual([bcbp, second]);
  }, 30_000);

  it('prints pre-formatted times as given', async () => {
    const view = sampleBoardingPassView({ departureTime: 'ca. 7.25 uur', arrivalTime: undefined, boardingTime: undefined });
    const [page] = (await inspect(await renderBoardingPassPdf(view, 'nl', bcbp))).pageTexts;
    expect(page).toContain('ca. 7.25 uur');
  }, 30_000);

  it('gives the same bytes for the same data, with CreationDate from the issuance date', async () => {
    const a = await renderBoardingPassPdf(sampleBoardingPassView(), 'nl-NL', bcbp);
    const b = await renderBoardingPassPdf(sampleBoardingPassView(), 'nl-NL', bcbp);
    expect(a.equals(b)).toBe(true);
    expect(a.toString('latin1')).toContain('(D:20260313000000Z)'); // the Info CreationDate object
    const reissued = await renderBoardingPassPdf({ ...sampleBoardingPassView(), issuedAt: '2026-03-14' }, 'nl-NL', bcbp);
    expect(reissued.equals(a)).toBe(false);
  });

  describe('wallet links and the issue time', () => {
    const apple = 'https://wallet.example.com/wallet/apple/passes/1b4e28ba-2fa1-11d2-883f-0016d3cca427/abcDEF123_-x/boarding-pass.pkpass';
    const google = `https://pay.google.com/gp/v/save/eyJhbGciOiJSUzI1NiJ9.${'x'.repeat(2000)}.sig-_`;
    const uris = (pdf: Buffer) => [...pdf.toString('latin1').matchAll(/\/S \/URI\n\/URI \(([^)]*)\)/g)].map((m) => m[1]);

    it.each([
      ['en', 'Add to Apple Wallet', 'Add to Google Wallet'],
      ['de-DE', 'Zu Apple Wallet hinzufügen', 'Zu Google Wallet hinzufügen'],
      ['ja', 'Apple Walletに追加', 'Google ウォレットに追加'],
      ['ar', 'إضافة إلى Apple Wallet', 'إضافة إلى محفظة Google'],
    ])('carries both links as link annotations with the words in %s, and the bar code still scans', async (locale, appleWords, googleWords) => {
      const view = { ...sampleBoardingPassView({ wallet: { applePassUrl: apple, googleSaveUrl: google } }), issuedAt: '2026-03-13T17:05:00Z' };
      const pdf = await renderBoardingPassPdf(view, locale, bcbp);
      expect(uris(pdf)).toEqual([apple, google]);
      const result = await inspect(pdf);
      // The words may wrap over lines (and the text layer of mixed Arabic and Latin comes out in visual order): each word is there.
      const text = result.pageTexts[0].replace(/\s+/g, '');
      for (const word of `${appleWords} ${googleWords}`.split(' ')) expect({ locale, text }).toEqual({ locale, text: expect.stringContaining(word) });
      expect(result.qr[0]?.data).toBe(bcbp);
      // Issued 17:05Z = 18:05 in Amsterdam, the departure airport.
      expect(result.pageTexts[0]).toContain('18:05');
    }, 60_000);

    it('carries only the link that exists, and none without a wallet', async () => {
      const onlyGoogle = await renderBoardingPassPdf(sampleBoardingPassView({ wallet: { googleSaveUrl: google } }), 'en', bcbp);
      expect(uris(onlyGoogle)).toEqual([google]);
      expect(onlyGoogle.toString('latin1')).not.toContain(apple);
      const none = await renderBoardingPassPdf(sampleBoardingPassView(), 'en', bcbp);
      expect(none.toString('latin1')).not.toContain('/URI');
      const [text] = (await inspect(none)).pageTexts;
      expect(text).not.toContain('Wallet');
    }, 30_000);

    it('says when the pass was issued; a bare date is printed without a time', () => {
      // The sample is issued on 2026-03-13 (a date): "Uitgegeven vr 13 mrt".
      expect(nl.pageTexts[0]).toMatch(/Uitgegeven\s+vr 13 mrt/);
      expect(nl.pageTexts[0]).not.toMatch(/Uitgegeven\s+vr 13 mrt\s+\d\d:\d\d/);
    });
  });

  it('rejects a page without bar code content and an empty view', async () => {
    await expect(renderBoardingPassPdf(sampleBoardingPassView(), 'en')).rejects.toThrow(/bar code/);
    await expect(renderBoardingPassPdf({ pages: [] }, 'en', bcbp)).rejects.toThrow(/at least one page/);
  });
});
