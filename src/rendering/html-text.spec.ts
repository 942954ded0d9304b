import { htmlToText } from './html-text';

describe('htmlToText', () => {
  it('strips tags, keeps paragraphs apart and collapses blank lines', () => {
    const html = '<html><head><title>x</title><style>p{}</style></head><body>\n  <h1>Delay</h1>\n\n\n<p>Your   flight\n  is late.</p><p>Sorry<br>KLM</p></body></html>';
    expect(htmlToText(html)).toBe('Delay\n\nYour flight\nis late.\n\nSorry\nKLM');
  });

  it('decodes the basic and numeric entities once', () => {
    expect(htmlToText('&lt;b&gt; &amp; &quot;x&quot; &#x27;y&#39; &#x3D; &amp;lt; &nbsp;!')).toBe('<b> & "x" \'y\' = &lt; !');
  });

  it('keeps link targets and list items', () => {
    expect(htmlToText('<a href="https://x.test/a?b=1&amp;c=2">Check in</a>')).toBe('Check in (https://x.test/a?b=1&c=2)');
    expect(htmlToText('<ul><li>AMS</li><li>CDG</li></ul>')).toBe('- AMS\n- CDG');
  });
});
