import { execFileSync } from 'node:child_process';

/**
 * Closes, from the broker's side, every connection with this connection name — what a client sees when
 * RabbitMQ restarts — without disturbing the other test files' connections. Allowed on the machine's shared
 * broker because it touches only the calling test's own connections and never stops or slows the server;
 * anything that does belongs on a private one (./private-servers.ts, docs/decisions/0009).
 */
export function forceCloseConnections(connectionName: string): number {
  const listing = execFileSync('rabbitmqctl', ['-q', 'list_connections', 'pid', 'client_properties'], { encoding: 'utf8' });
  const pids = listing
    .split('\n')
    .filter((line) => line.includes(`"${connectionName}"`) || line.includes(`<<"${connectionName}">>`))
    .map((line) => line.split(/\s+/)[0])
    .filter((pid) => pid.startsWith('<'));
  for (const pid of pids) {
    execFileSync('rabbitmqctl', ['-q', 'close_connection', pid, 'test: simulated broker restart']);
  }
  return pids.length;
}
