/**
 * A database across a network, on one machine: a TCP relay in a process of its own that forwards each
 * chunk, both ways, `delai` ms after it arrived (Linux's netem is not available here). With the
 * timers' 1 ms granularity, a round trip costs at least 2 ms more than on the loopback: a database in
 * another building, an upper bound for one in the same rack. Both sides of a ratio go through it.
 *
 *   node dist/bench/reseau-lent.js <port d'écoute> <hôte:port de MariaDB> <délai ms>
 */
import { fork, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface ReseauLent {
  port: number;
  arreter(): Promise<void>;
}

/** The relay started in its own process (its CPU is not the bench's nor the gateway's), listening on `port`. */
export async function lancerReseauLent(port: number, cible: { host: string; port: number }, delaiMs: number): Promise<ReseauLent> {
  const p: ChildProcess = fork(__filename, [String(port), `${cible.host}:${cible.port}`, String(delaiMs)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((ok, ko) => {
    p.once('message', () => ok());
    p.once('exit', (code) => ko(new Error(`le relais réseau s'est arrêté (${code})`)));
  });
  return {
    port,
    arreter: () =>
      new Promise<void>((ok) => {
        p.once('exit', () => ok());
        p.kill('SIGTERM');
      }),
  };
}

function relayer(port: number, hote: string, portCible: number, delaiMs: number): void {
  const serveur = net.createServer((client) => {
    const base = net.connect(portCible, hote);
    for (const s of [client, base]) {
      // Each chunk at once after its delay: Nagle's algorithm would add its own waits.
      s.setNoDelay(true);
      s.on('error', () => {
        client.destroy();
        base.destroy();
      });
      s.on('close', () => {
        client.destroy();
        base.destroy();
      });
    }
    client.on('data', (m) => setTimeout(() => base.write(m), delaiMs));
    base.on('data', (m) => setTimeout(() => client.write(m), delaiMs));
  });
  serveur.listen(port, '127.0.0.1', () => process.send?.('pret'));
}

if (require.main === module) {
  const [port, cible, delai] = process.argv.slice(2);
  const [hote, portCible] = cible.split(':');
  relayer(Number(port), hote, Number(portCible), Number(delai));
}
