import { projectPath } from '../../src/config/project-root';
import { factCombinations } from '../../src/rendering/message-combinations';
import { createTemplateRenderer } from '../../src/rendering/template-renderer.service';
import { CHANNELS } from '../../src/vocabulary/notification-types';
import type { BenchContext } from '../support/context';
import type { Figure, ScenarioResult } from '../support/figures';
import { scaled } from '../support/settings';
import { BENCH_LOCALES } from '../support/seed';

const MESSAGES_PER_CHANNEL = 50_000;

/**
 * Rendering cost per message on one core, with no database or broker: every combination of facts of
 * every type, for passengers spread over the eleven languages, per channel. The storm pays this cost
 * once per notification; here it is measured alone.
 */
export async function renderingScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const renderer = createTemplateRenderer({ templatesDir: projectPath('templates'), catalogsDir: projectPath('catalogs'), smsSegmentBudget: 10, wechatTemplatesFile: projectPath('config/wechat-templates.json') });
  const loadStarted = process.hrtime.bigint();
  renderer.load();
  const loadMs = Number(process.hrtime.bigint() - loadStarted) / 1e6;
  const combinations = factCombinations();
  const count = scaled(ctx.settings, MESSAGES_PER_CHANNEL, 500);
  const figures: Figure[] = [];
  for (const channel of CHANNELS) {
    const render = (i: number) => {
      const { type, context } = combinations[i % combinations.length];
      const locale = BENCH_LOCALES[i % BENCH_LOCALES.length];
      return renderer.render(type, channel, locale, { ...context, locale });
    };
    for (let i = 0; i < Math.min(count, 2_000); i++) render(i); // warm: shapes prepared, code optimised
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < count; i++) render(i);
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // CPU time is what the message costs; wall time also holds whatever else the machine was doing.
    const cpuMicros = (cpu.user + cpu.system) / count;
    figures.push({
      scenario: 'rendering',
      what: `${channel} messages rendered (one core)`,
      count,
      seconds,
      rate: count / seconds,
      note: `${cpuMicros.toFixed(1)} µs CPU per message (wall ${((seconds / count) * 1e6).toFixed(1)} µs); ${BENCH_LOCALES.length} locales × ${combinations.length} fact combinations`,
    });
  }
  ctx.log(`rendering: catalogs and start-up checks loaded in ${loadMs.toFixed(0)} ms`);
  return { figures, detail: { loadMs, combinations: combinations.length, locales: BENCH_LOCALES } };
}
