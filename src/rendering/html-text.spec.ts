import { htmlToText } from './html-text';

describe('htmlToText', () => {
  it('strips tags, keeps paragraphs apart and collapses white space', () => {
    const html = '<html><head><title>x</title><style>p{}</style></head><body>\n<p>Your   flight\n  is late.</p><p>Sorry<br>KLM</p></body></html>';
    expect(htmlToText(html)).toBe('Your flight is late.\n\nSorry\nKLM');
  });

  it('decodes every entity once, named and numeric', () => {
    expect(htmlToText('<p>AMS &rarr; CDG &amp; &lt;b&gt; &quot;x&quot; &#x2708; &#9992; &amp;lt; &hellip;</p>')).toBe('AMS → CDG & <b> "x" ✈ ✈ &lt; …');
  });

  it('keeps link targets and list items', () => {
    expect(htmlToText('<a href="https://x.test/a?b=1&amp;c=2">Check in</a>')).toBe('Check in (https://x.test/a?b=1&c=2)');
    expect(htmlToText('<ul><li>AMS</li><li>CDG</li></ul>')).toBe('* AMS\n* CDG');
  });

  it('reads a label/value table as one line per row', () => {
    expect(htmlToText('<table><tr><td>Gate</td><td><strong>F9</strong></td></tr><tr><td>Seat</td><td>12A</td></tr></table>')).toBe('Gate F9\nSeat 12A');
  });
});
