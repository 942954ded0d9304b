import { compile } from 'html-to-text';

// Tables of label/value rows read best as "Label Value" lines; links keep their target, since in plain
// text the URL is the only way to follow them. Every HTML entity (&rarr;, &nbsp;, &#x2708;) is decoded.
const convert = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['(', ')'] } },
    { selector: 'table', format: 'dataTable', options: { maxColumnWidth: 200, colSpacing: 1, uppercaseHeaderCells: false } },
    { selector: 'strong', format: 'inline' },
    { selector: 'title', format: 'skip' },
  ],
});

/** Plain-text alternative of an e-mail's HTML. */
export function htmlToText(html: string): string {
  return convert(html)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
