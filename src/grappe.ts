/**
 * Several gateway processes on one machine (`WORKERS`), with node's cluster module: the primary only
 * forks, watches and stops the workers, and relays what they share; each worker is a whole gateway on
 * the same port (the primary hands connections round-robin). Nothing a request needs lives in the
 * primary but the rate-limit counters when there is no Redis (one count per machine, as with one process).
 * What must hold across processes and nodes is in the database (jobs and their leases, sessions,
 * idempotency, the journal) or in Redis (rate limits of several nodes).
 */
import cluster, { type Worker } from 'node:cluster';
import { ClusterMemoryStorePrimary } from '@express-rate-limit/cluster-memory-store';
import type { Logger } from './observability/logger';
import type { InstantaneMetriques } from './observability/metriques';

const DEMANDE = 'passerelle:metriques?';
const COLLECTE = 'passerelle:metriques!';
const REPONSE_OUVRIER = 'passerelle:metriques=';
const REPONSE = 'passerelle:metriques';
/** How long /metrics waits for the other processes (a busy or dying worker is left out, not waited for). */
const DELAI_COLLECTE_MS = 1000;

interface Message {
  type?: string;
  id?: number;
  instantane?: InstantaneMetriques;
  instantanes?: InstantaneMetriques[];
}

/** Whether this process is a worker of a cluster (its siblings' counters are asked for through the primary). */
export const estOuvrier = (): boolean => cluster.isWorker;

/** In a worker: answers the primary's collections with this process's snapshot. */
export function servirInstantanes(local: () => InstantaneMetriques): void {
  if (!cluster.isWorker) return;
  process.on('message', (m: Message) => {
    if (m?.type === COLLECTE) process.send?.({ type: REPONSE_OUVRIER, id: m.id, instantane: local() });
  });
}

let prochainId = 0;
/** In a worker: the snapshots of every process of the node (its own alone if the primary does not answer in time). */
export function instantanesDeLaGrappe(local: () => InstantaneMetriques): Promise<InstantaneMetriques[]> {
  if (!cluster.isWorker || !process.send) return Promise.resolve([local()]);
  const id = ++prochainId;
  return new Promise((resolve) => {
    const fin = (l: InstantaneMetriques[]) => {
      clearTimeout(t);
      process.off('message', ecouter);
      resolve(l);
    };
    const ecouter = (m: Message) => {
      if (m?.type === REPONSE && m.id === id && m.instantanes) fin(m.instantanes);
    };
    const t = setTimeout(() => fin([local()]), DELAI_COLLECTE_MS * 2);
    process.on('message', ecouter);
    process.send!({ type: DEMANDE, id });
  });
}

export interface OptionsGrappe {
  processus: number;
  logger: Logger;
  /** Deadline a worker has to finish its requests at a stop (its own SHUTDOWN_TIMEOUT_MS), before it is killed. */
  arretMs: number;
  /** No Redis: the rate-limit counters are kept by the primary for every worker. */
  compteursDebitIci: boolean;
}

/**
 * The primary: starts one worker (which migrates the database and loads the first nomenclatures), then
 * the others once it listens; restarts a worker that dies, with a growing delay; on SIGTERM/SIGINT stops
 * them all and resolves with the exit code. A worker that dies before it ever listened stops everything
 * (a start-up error — a bad configuration, an unreachable database — does not get better by retrying here).
 */
export async function diriger(o: OptionsGrappe): Promise<number> {
  if (o.compteursDebitIci) await new ClusterMemoryStorePrimary().init();
  const enService = new Set<number>();
  let arret = false;
  let echecDemarrage = false;
  const morts: number[] = [];
  const collectes = new Map<number, { demandeur: Worker; id: number; recus: InstantaneMetriques[]; attendus: number; t: NodeJS.Timeout }>();
  let prochaineCollecte = 0;

  const terminer = (c: number) => {
    const collecte = collectes.get(c);
    if (!collecte) return;
    clearTimeout(collecte.t);
    collectes.delete(c);
    if (collecte.demandeur.isConnected()) collecte.demandeur.send({ type: REPONSE, id: collecte.id, instantanes: collecte.recus });
  };
  cluster.on('message', (w: Worker, m: Message) => {
    if (m?.type === DEMANDE) {
      const vivants = Object.values(cluster.workers ?? {}).filter((x): x is Worker => !!x && x.isConnected());
      const c = ++prochaineCollecte;
      collectes.set(c, { demandeur: w, id: m.id!, recus: [], attendus: vivants.length, t: setTimeout(() => terminer(c), DELAI_COLLECTE_MS) });
      for (const x of vivants) x.send({ type: COLLECTE, id: c });
    } else if (m?.type === REPONSE_OUVRIER && m.instantane) {
      const collecte = collectes.get(m.id!);
      if (!collecte) return;
      collecte.recus.push(m.instantane);
      if (collecte.recus.length >= collecte.attendus) terminer(m.id!);
    }
  });

  const fourche = () => {
    const w = cluster.fork();
    w.once('listening', () => {
      enService.add(w.id);
      o.logger.info('processus en service', { pid: w.process.pid, processus: enService.size, sur: o.processus });
    });
    return w;
  };

  return new Promise<number>((resolve) => {
    cluster.on('exit', (w, code, signal) => {
      const servait = enService.delete(w.id);
      if (arret) {
        if (!Object.keys(cluster.workers ?? {}).length) resolve(echecDemarrage ? 1 : 0);
        return;
      }
      if (!servait) {
        o.logger.error('un processus est mort avant de servir : arrêt de tous', { pid: w.process.pid, code, signal });
        echecDemarrage = true;
        arreter();
        if (!Object.keys(cluster.workers ?? {}).length) resolve(1);
        return;
      }
      // 1 s, 2 s, 4 s… up to 30 s when workers keep dying within a minute.
      const maintenant = Date.now();
      morts.push(maintenant);
      while (morts.length && morts[0] < maintenant - 60_000) morts.shift();
      const delai = Math.min(30_000, 1000 * 2 ** (morts.length - 1));
      o.logger.error('processus mort : relancé', { pid: w.process.pid, code, signal, delaiMs: delai });
      setTimeout(() => !arret && fourche(), delai).unref();
    });

    const arreter = () => {
      if (arret) return;
      arret = true;
      const vivants = Object.values(cluster.workers ?? {}).filter((x): x is Worker => !!x);
      for (const w of vivants) w.process.kill('SIGTERM');
      // Each worker lets its requests finish within its own deadline; past it (plus a margin) it is killed.
      setTimeout(() => {
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      }, o.arretMs + 10_000).unref();
    };
    for (const signal of ['SIGTERM', 'SIGINT'] as const)
      process.once(signal, () => {
        o.logger.info('arrêt demandé', { signal, processus: Object.keys(cluster.workers ?? {}).length });
        arreter();
      });

    // The first one alone: it applies the migrations and loads the nomenclatures of an empty database.
    fourche().once('listening', () => {
      for (let i = 1; i < o.processus && !arret; i++) fourche();
    });
  });
}
