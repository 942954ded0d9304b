import { projectPath } from '../config/project-root';
import { factCombinations, fullContext } from './message-combinations';
import { sampleFlight, sampleRenderContext } from './render-context.sample';
import { createTemplateRenderer } from './template-renderer.service';
import { keywordProblems } from './wechat-keyword-rules';

const renderer = createTemplateRenderer({
  templatesDir: projectPath('templates'),
  catalogsDir: projectPath('catalogs'),
  smsSegmentBudget: 6,
  wechatTemplatesFile: projectPath('config/wechat-templates.json'),
});

describe('WeChat template form (config/wechat-templates.json)', () => {
  beforeAll(() => renderer.load());

  it('renders a delay in Chinese with every keyword of the template, each within its kind', () => {
    const context = sampleRenderContext({
      type: 'flight-delay',
      locale: 'zh-CN',
      flight: sampleFlight({ estimatedDeparture: '2026-12-01T08:50:00Z', departureGate: 'F9' }),
      previous: { departureGate: 'E4' },
      delay: { minutes: 75, earlier: false },
      delayCode: '93',
    });
    const content = renderer.render('flight-delay', 'wechat', 'zh-CN', context);
    const form = content.wechatTemplate;
    expect(form).toMatchObject({ locale: 'zh-Hans', title: '航班延误提醒' });
    const data = Object.fromEntries(form?.keywords.map((k) => [k.keyword, k.value]) ?? []);
    expect(data).toMatchObject({ character_string1: 'KL1234', time3: '2026-12-01 09:50', thing4: '延误75分钟', thing5: 'F9（原E4）' });
    expect(Object.keys(data)).toEqual(['character_string1', 'thing2', 'time3', 'thing4', 'thing5', 'thing6', 'thing7']);
    for (const { keyword, value } of form?.keywords ?? []) expect(keywordProblems(keyword, value)).toEqual([]);
    // The reason is the delay code's explanation in Chinese, not an English sentence.
    expect(data.thing7).not.toMatch(/[A-Za-z]{4}/);
    expect(content.text).toContain('KL1234');
  });

  it('uses the English template for a language WeChat has no template of, worded in English', () => {
    const context = sampleRenderContext({ type: 'gate-change', locale: 'de-DE', flight: sampleFlight({ departureGate: 'D9' }), previous: { departureGate: 'D7' } });
    const form = renderer.render('gate-change', 'wechat', 'de-DE', context).wechatTemplate;
    expect(form?.locale).toBe('en');
    expect(form?.keywords.find((k) => k.keyword === 'thing3')?.value).toBe('D9 (was D7)');
    expect(form?.keywords.find((k) => k.keyword === 'thing4')?.value).toBe('Unchanged');
  });

  it('carries every fact of every combination to a keyword, in both languages, within the kinds', () => {
    let checked = 0;
    for (const locale of ['en', 'zh-Hans']) {
      for (const { type, facts, context } of factCombinations()) {
        const form = renderer.render(type, 'wechat', locale, { ...context, locale }).wechatTemplate;
        expect({ type, facts, locale, form: form !== undefined }).toEqual({ type, facts, locale, form: true });
        for (const { keyword, value } of form?.keywords ?? []) expect({ type, keyword, problems: keywordProblems(keyword, value) }).toEqual({ type, keyword, problems: [] });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('shortens free text past 20 characters and keeps codes whole', () => {
    const context = { ...fullContext('booking-cancellation'), reason: 'The operating carrier withdrew this route for the winter season', reasonLanguage: 'en' };
    const form = renderer.render('booking-cancellation', 'wechat', 'en', context).wechatTemplate;
    expect(form?.keywords).toEqual([
      { keyword: 'character_string1', value: 'X7K2QP' },
      { keyword: 'thing2', value: 'The operating carri…' },
    ]);
  });
});
