import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { BoardingPassService } from './boarding-pass.service';

/**
 * The render threads' V8 heaps on /metrics. The process's own heap gauges (nodejs_heap_size_*) count the main
 * thread alone, while each render thread holds its fonts and caches in a heap of its own: without this, memory
 * the threads hold shows only as resident memory nobody can place.
 */
@Injectable()
export class RenderThreadMetrics implements OnModuleInit {
  constructor(
    private readonly passes: BoardingPassService,
    @Optional() private readonly registry?: Registry,
  ) {}

  onModuleInit(): void {
    if (!this.registry) return;
    const passes = this.passes;
    new Gauge({
      name: 'notifier_render_threads_heap_bytes',
      help: "The boarding-pass render threads' V8 heaps together: used (live objects and garbage not yet collected), total (reserved) and limit (what V8 lets them reserve).",
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        const heaps = await passes.renderThreadHeaps();
        this.set({ kind: 'used' }, heaps?.usedBytes ?? 0);
        this.set({ kind: 'total' }, heaps?.totalBytes ?? 0);
        this.set({ kind: 'limit' }, heaps?.limitBytes ?? 0);
      },
    });
  }
}
