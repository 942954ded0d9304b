import { MESSENGER_TEXT_MAX, messengerLanguage, messengerTemplateProblems } from './messenger-template-rules';

describe('messengerTemplateProblems (Meta’s rejection reasons for utility templates)', () => {
  it('accepts a body whose parameters are in sequence, inside the text, each with a value', () => {
    expect(messengerTemplateProblems('Hi {{1}}, flight {{2}} leaves from gate {{3}}.\n\nGood trip.', ['Luc', 'KL1234', 'D9'])).toEqual([]);
  });

  it.each([
    ['Hi {{1}}, gate {{3}} now.', ['Luc', 'D9'], /out of sequence/],
    ['{{1}}, your gate is D9.', ['Luc'], /starts with a parameter/],
    ['Your gate is {{1}}.', ['D9'], /ends with a parameter/],
    ['Hi {{1}}, gate {{2}} now.', ['Luc'], /2 parameters, 1 values/],
    ['Hi {{1}}, gate {{name}} now.', ['Luc'], /not \{\{<number>\}\}/],
    ['Hi {{1}}, gate D9 now.', ['  '], /parameter 1 is empty/],
  ])('refuses %j', (body, parameters, problem) => {
    expect(messengerTemplateProblems(body, parameters).join('; ')).toMatch(problem);
  });

  it('holds the filled-in message to the Send API’s 2,000 characters', () => {
    const body = `Hi {{1}}, ${'x'.repeat(1980)} end.`;
    expect(messengerTemplateProblems(body, ['Luc'])).toEqual([]);
    expect(messengerTemplateProblems(body, ['Maximiliane-Charlotte'])).toEqual([expect.stringMatching(new RegExp(`at most ${MESSENGER_TEXT_MAX}`))]);
  });

  it('uses Meta’s template language codes', () => {
    expect(['en', 'pt', 'pt-PT', 'zh-Hans'].map(messengerLanguage)).toEqual(['en_GB', 'pt_BR', 'pt_PT', 'zh_CN']);
  });
});
