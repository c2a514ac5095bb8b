/**
 * Counters for monitoring, exposed in the Prometheus text format on `GET /metrics`:
 * operations by door, operation and outcome (count and total duration), HTTP requests by status
 * class, transaction retries, bulk-load rows. In memory, per process (reset at restart); with several
 * processes (WORKERS), `/metrics` sums the snapshots of all of them.
 */

/** One process's counters, as sent between the processes of a node. */
export interface InstantaneMetriques {
  pid: number;
  rssOctets: number;
  operations: [string, number, number][];
  http: [string, number][];
  lignesChargees: number;
  rejeuxTransactions: number;
}

export class Metriques {
  private readonly operations = new Map<string, { n: number; ms: number }>();
  private readonly http = new Map<string, number>();
  lignesChargees = 0;

  operation(porte: string, operation: string, resultat: string, dureeMs: number): void {
    const cle = `${porte}|${operation}|${resultat}`;
    const m = this.operations.get(cle) ?? { n: 0, ms: 0 };
    m.n++;
    m.ms += dureeMs;
    this.operations.set(cle, m);
  }

  requete(statut: number): void {
    const classe = `${Math.floor(statut / 100)}xx`;
    this.http.set(classe, (this.http.get(classe) ?? 0) + 1);
  }

  instantane(extra: { rejeuxTransactions: number }): InstantaneMetriques {
    return {
      pid: process.pid,
      rssOctets: process.memoryUsage.rss(),
      operations: [...this.operations].map(([cle, m]) => [cle, m.n, m.ms]),
      http: [...this.http],
      lignesChargees: this.lignesChargees,
      rejeuxTransactions: extra.rejeuxTransactions,
    };
  }

  texte(extra: { rejeuxTransactions: number }): string {
    return texteMetriques([this.instantane(extra)]);
  }
}

/** The Prometheus text of the counters of one or several processes, summed (plus each process's memory). */
export function texteMetriques(instantanes: InstantaneMetriques[]): string {
  const operations = new Map<string, { n: number; ms: number }>();
  const http = new Map<string, number>();
  let lignes = 0;
  let rejeux = 0;
  for (const i of instantanes) {
    for (const [cle, n, ms] of i.operations) {
      const m = operations.get(cle) ?? { n: 0, ms: 0 };
      m.n += n;
      m.ms += ms;
      operations.set(cle, m);
    }
    for (const [classe, n] of i.http) http.set(classe, (http.get(classe) ?? 0) + n);
    lignes += i.lignesChargees;
    rejeux += i.rejeuxTransactions;
  }
  const l: string[] = [];
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  l.push('# HELP passerelle_operations_total Opérations traitées, par porte, opération et résultat.', '# TYPE passerelle_operations_total counter');
  for (const [cle, m] of operations) {
    const [porte, op, res] = cle.split('|');
    l.push(`passerelle_operations_total{porte="${esc(porte)}",operation="${esc(op)}",resultat="${esc(res)}"} ${m.n}`);
  }
  l.push('# HELP passerelle_operations_duree_ms_total Durée cumulée des opérations (ms).', '# TYPE passerelle_operations_duree_ms_total counter');
  for (const [cle, m] of operations) {
    const [porte, op, res] = cle.split('|');
    l.push(`passerelle_operations_duree_ms_total{porte="${esc(porte)}",operation="${esc(op)}",resultat="${esc(res)}"} ${m.ms}`);
  }
  l.push('# HELP passerelle_http_requetes_total Requêtes HTTP par classe de statut.', '# TYPE passerelle_http_requetes_total counter');
  for (const [classe, n] of http) l.push(`passerelle_http_requetes_total{classe="${classe}"} ${n}`);
  l.push(
    '# HELP passerelle_transactions_rejouees_total Transactions rejouées (interblocage, attente de verrou, course sur clé unique).',
    '# TYPE passerelle_transactions_rejouees_total counter',
    `passerelle_transactions_rejouees_total ${rejeux}`,
  );
  l.push(
    '# HELP passerelle_lp_lignes_chargees_total Lignes de fichiers de laissez-passer traitées.',
    '# TYPE passerelle_lp_lignes_chargees_total counter',
    `passerelle_lp_lignes_chargees_total ${lignes}`,
  );
  l.push(
    '# HELP passerelle_processus Processus dont les compteurs sont sommés ici.',
    '# TYPE passerelle_processus gauge',
    `passerelle_processus ${instantanes.length}`,
  );
  l.push('# HELP passerelle_processus_rss_octets Mémoire résidente de chaque processus.', '# TYPE passerelle_processus_rss_octets gauge');
  for (const i of instantanes) l.push(`passerelle_processus_rss_octets{pid="${i.pid}"} ${i.rssOctets}`);
  return `${l.join('\n')}\n`;
}
