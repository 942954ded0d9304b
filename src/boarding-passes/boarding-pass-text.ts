import bidiFactory from 'bidi-js';
import { FACE_IDS, hasGlyph, type FaceId, type HanFaceId } from './boarding-pass-fonts';

/** A piece of a line in one face, in the order it is drawn left to right. */
export interface TextRun {
  face: FaceId;
  text: string;
  /**
   * Shape the run as a whole: it is right-to-left script in logical order, which fontkit shapes (joining
   * forms, ligatures) and then reverses itself. pdfkit otherwise lays text out word by word, left to right.
   */
  whole: boolean;
}

/** How text of a document is set: the Han face its language expects and its base direction. */
export interface TextSetting {
  han: HanFaceId;
  /** 'auto': from the first strong character (values such as names); ltr/rtl: the page's own text. */
  direction: 'ltr' | 'rtl' | 'auto';
}

const bidi = bidiFactory();

/** Characters DejaVu draws and that never turn a line right-to-left: most passes are only these. */
const PLAIN_LATIN = /^[\u0020-\u007e\u00a0-\u024f\u0300-\u036f\u1e00-\u1eff\u2010-\u2027\u2030-\u205e\u2190-\u21ff]*$/;
const ARABIC = /\p{Script=Arabic}/u;
const HANGUL = /\p{Script=Hangul}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HAN = /[\p{Script=Han}\p{Script=Bopomofo}]/u;
/** Spaces, digits, punctuation and combining marks: they take the face of the text around them. */
const NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u;
/** fontkit shapes a run right-to-left (and reverses it) when its first non-neutral character is RTL script. */
const SCRIPTED = /[^\p{Script=Common}\p{Script=Inherited}]/u;

const MAX_CACHED = 5_000;
const cache = new Map<string, readonly TextRun[]>();
const directions = new Map<string, boolean>();

/** The Han face for a document language: regional glyph forms for ja, ko and zh; Simplified Chinese otherwise. */
export function hanFaceFor(locale: string): HanFaceId {
  const language = locale.toLowerCase().split(/[-_]/)[0];
  if (language === 'ja') return 'japanese';
  if (language === 'ko') return 'korean';
  return 'chinese';
}

/** Whether text reads right to left (its first strong character is right-to-left), by the bidi algorithm. */
export function isRightToLeft(text: string): boolean {
  let rtl = directions.get(text);
  if (rtl === undefined) {
    rtl = bidi.getEmbeddingLevels(text, 'auto').paragraphs[0]?.level === 1;
    if (directions.size >= MAX_CACHED) directions.clear();
    directions.set(text, rtl);
  }
  return rtl;
}

/**
 * Splits a line into runs by face (script detection by Unicode Script property) and puts them in visual
 * order with the Unicode Bidirectional Algorithm (bidi-js): Arabic reads right to left, while flight
 * codes, times and seat numbers inside it stay left to right.
 */
export function textRuns(text: string, setting: TextSetting): readonly TextRun[] {
  if (setting.direction !== 'rtl' && PLAIN_LATIN.test(text)) return [{ face: 'latin', text, whole: false }];
  const key = `${setting.han}|${setting.direction}|${text}`;
  let runs = cache.get(key);
  if (!runs) {
    runs = Object.freeze(splitRuns(text, setting));
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, runs);
  }
  return runs;
}

function splitRuns(text: string, setting: TextSetting): TextRun[] {
  const faces = facesOf(text, setting.han);
  const embedding = bidi.getEmbeddingLevels(text, setting.direction);
  const { levels } = embedding;
  const visual = levels.some((level) => level > 0) ? bidi.getReorderedIndices(text, embedding) : Array.from({ length: text.length }, (_, i) => i);
  const mirrored = bidi.getMirroredCharactersMap(text, levels);

  const runs: TextRun[] = [];
  let group: number[] = [];
  const flush = () => {
    if (group.length === 0) return;
    const logical = [...group].sort((a, b) => a - b);
    const chars = logical.map((i) => mirrored.get(i) ?? text[i]).join('');
    const face = faces[group[0]];
    if (levels[group[0]] % 2 === 0) runs.push({ face, text: chars, whole: false });
    else if (SCRIPTED.test(chars)) runs.push({ face, text: chars, whole: true });
    // Right-to-left spaces and punctuation alone: fontkit would not reverse them, so they go in drawn order.
    else runs.push({ face, text: Array.from(chars).reverse().join(''), whole: false });
    group = [];
  };
  for (const i of visual) {
    // A surrogate pair's second half travels with its first.
    if (isLowSurrogate(text, i)) continue;
    const last = group[group.length - 1];
    if (last !== undefined && (faces[last] !== faces[i] || levels[last] !== levels[i])) flush();
    group.push(i);
    if (isHighSurrogate(text, i)) group.push(i + 1);
  }
  flush();
  return runs;
}

/** The face of each UTF-16 index (both halves of a pair get the code point's face). */
function facesOf(text: string, han: HanFaceId): FaceId[] {
  // A name with kana is Japanese, with Hangul Korean, whatever the document language.
  const hanFace: HanFaceId = KANA.test(text) ? 'japanese' : HANGUL.test(text) ? 'korean' : han;
  const points: { index: number; char: string; codePoint: number; face: FaceId | undefined }[] = [];
  let index = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    points.push({ index, char, codePoint, face: NEUTRAL.test(char) ? undefined : strongFace(char, codePoint, hanFace) });
    index += char.length;
  }
  let previous: FaceId | undefined;
  points.forEach((point, n) => {
    if (!point.face) {
      const next = points.slice(n + 1).find((p) => p.face)?.face;
      const candidates = [previous, next, 'latin', hanFace, 'arabic'].filter((f): f is FaceId => f !== undefined);
      point.face = candidates.find((face) => hasGlyph(face, point.codePoint)) ?? 'latin';
    }
    previous = point.face;
  });
  const faces: FaceId[] = new Array<FaceId>(text.length);
  for (const p of points) for (let k = 0; k < p.char.length; k++) faces[p.index + k] = p.face!;
  return faces;
}

function strongFace(char: string, codePoint: number, hanFace: HanFaceId): FaceId {
  const wanted: FaceId = ARABIC.test(char)
    ? 'arabic'
    : HANGUL.test(char)
      ? 'korean'
      : KANA.test(char)
        ? 'japanese'
        : HAN.test(char)
          ? hanFace
          : 'latin';
  if (hasGlyph(wanted, codePoint)) return wanted;
  // A rare ideograph one regional cut lacks, or a letter DejaVu lacks: any face that has it beats a box.
  return [hanFace, ...FACE_IDS].find((face) => hasGlyph(face, codePoint)) ?? wanted;
}

function isHighSurrogate(text: string, i: number): boolean {
  const unit = text.charCodeAt(i);
  return unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length;
}

function isLowSurrogate(text: string, i: number): boolean {
  const unit = text.charCodeAt(i);
  return unit >= 0xdc00 && unit <= 0xdfff && i > 0 && isHighSurrogate(text, i - 1);
}
