import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  share: number;
}

export interface ProfileSummary {
  file: string;
  busyMs: number;
  idleMs: number;
  topFunctions: SelfTime[];
  /** Self time grouped by where the code lives: a package, the service's own code, node, GC. */
  byArea: SelfTime[];
}

/** Where the service's compiled code sits in a path: …/dist/src/…, …/var/bench-build/src/… */
const SERVICE_CODE = /\/(?:dist|bench-build|bench-smoke-[^/]+)\/(src\/.*)$/;

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + '/node_modules/'.length);
  return SERVICE_CODE.exec(path)?.[1] ?? path;
}

/** A package, a folder of the service (src/rendering …), node's internals, or V8's own pseudo-frames. */
function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native: fs, sockets, crypto …)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (path.startsWith('node:')) return 'node (internals)';
  const service = SERVICE_CODE.exec(path)?.[1];
  if (service) return service.split('/').slice(0, 2).join('/');
  return path;
}

/** Self time per function (and per area) of one V8 .cpuprofile. */
export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const fn = functionName || '(anonymous)';
    if (fn === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const key = url ? `${fn}  ${shortUrl(url)}:${lineNumber + 1}` : fn;
    self.set(key, (self.get(key) ?? 0) + us);
    const where = area(url, fn);
    areas.set(where, (areas.get(where) ?? 0) + us);
  }
  const rank = (m: Map<string, number>, n: number): SelfTime[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: busy ? us / busy : 0 }));
  return { file, busyMs: Math.round(busy / 1000), idleMs: Math.round(idle / 1000), topFunctions: rank(self, top), byArea: rank(areas, 10) };
}

/** The profiles a service process wrote into its directory (one per process run). */
export function profilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
}

export function formatProfile(s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const lines = [`profile ${s.file}: busy ${s.busyMs} ms, idle ${s.idleMs} ms`, '  top self time:'];
  for (const f of s.topFunctions) lines.push(`  ${pct(f.share)} ${String(f.ms).padStart(7)} ms  ${f.name}`);
  lines.push('  by area:');
  for (const a of s.byArea) lines.push(`  ${pct(a.share)} ${String(a.ms).padStart(7)} ms  ${a.name}`);
  return lines.join('\n');
}
