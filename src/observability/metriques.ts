/**
 * Counters for monitoring, exposed in the Prometheus text format on `GET /metrics`:
 * operations by door, operation and outcome (count and total duration), HTTP requests by status
 * class, transaction retries, bulk-load rows. In memory, per process (reset at restart).
 */
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

  texte(extra: { rejeuxTransactions: number }): string {
    const l: string[] = [];
    const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    l.push('# HELP passerelle_operations_total Opérations traitées, par porte, opération et résultat.', '# TYPE passerelle_operations_total counter');
    for (const [cle, m] of this.operations) {
      const [porte, op, res] = cle.split('|');
      l.push(`passerelle_operations_total{porte="${esc(porte)}",operation="${esc(op)}",resultat="${esc(res)}"} ${m.n}`);
    }
    l.push('# HELP passerelle_operations_duree_ms_total Durée cumulée des opérations (ms).', '# TYPE passerelle_operations_duree_ms_total counter');
    for (const [cle, m] of this.operations) {
      const [porte, op, res] = cle.split('|');
      l.push(`passerelle_operations_duree_ms_total{porte="${esc(porte)}",operation="${esc(op)}",resultat="${esc(res)}"} ${m.ms}`);
    }
    l.push('# HELP passerelle_http_requetes_total Requêtes HTTP par classe de statut.', '# TYPE passerelle_http_requetes_total counter');
    for (const [classe, n] of this.http) l.push(`passerelle_http_requetes_total{classe="${classe}"} ${n}`);
    l.push(
      '# HELP passerelle_transactions_rejouees_total Transactions rejouées (interblocage, attente de verrou, course sur clé unique).',
      '# TYPE passerelle_transactions_rejouees_total counter',
      `passerelle_transactions_rejouees_total ${extra.rejeuxTransactions}`,
    );
    l.push(
      '# HELP passerelle_lp_lignes_chargees_total Lignes de fichiers de laissez-passer traitées.',
      '# TYPE passerelle_lp_lignes_chargees_total counter',
      `passerelle_lp_lignes_chargees_total ${this.lignesChargees}`,
    );
    return `${l.join('\n')}\n`;
  }
}
