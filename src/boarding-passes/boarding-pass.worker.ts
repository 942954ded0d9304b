import { workerData } from 'node:worker_threads';
import { BoardingPassService, type BoardingPassArtifacts } from './boarding-pass.service';
import type { RenderTask, RenderThreadSetup } from './boarding-pass-render-task';

// The thread's own service, rendering on this thread (no pool of its own).
const setup = workerData as RenderThreadSetup;
const passes = new BoardingPassService(setup.signingKeyPem, setup.catalogsDir);

/** Piscina calls the module's function once per task. */
export default function render(task: RenderTask): Promise<BoardingPassArtifacts> {
  return passes.buildArtifacts(task.data, task.view, task.locale);
}
