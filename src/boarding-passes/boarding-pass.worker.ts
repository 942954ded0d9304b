import { workerData } from 'node:worker_threads';
import { BoardingPassService } from './boarding-pass.service';
import { movablePass, type MovablePass, type RenderTask, type RenderThreadSetup } from './boarding-pass-render-task';

// The thread's own service, rendering on this thread (no pool of its own).
const setup = workerData as RenderThreadSetup;
const passes = new BoardingPassService(setup.signingKeyPem, setup.catalogsDir);

/** Piscina calls the module's function once per task. */
export default async function render(task: RenderTask): Promise<MovablePass> {
  const made = await passes.buildArtifacts(task.data, task.view, task.locale);
  return movablePass(made.bcbp, made.qrPng, made.pdf);
}
