/** The dashboard's counts: grouped queries both databases read the same way (a timestamp's first 10 characters are its UTC day). */
import type { DataSource } from 'typeorm';
import type { DepotStatistiquesPort } from '../application/ports';
import { marques, valeurSql } from './sql-portable';

/** Writes accepted by the pipeline (reads, replays of an answer and refusals left out). */
const ACCEPTES = ['CREE', 'MIS_A_JOUR', 'INCHANGE', 'TRAITE', 'PARTIEL', 'OK'];
/** The operations that carry records one by one (a file's rows are counted from its job). */
const ENREGISTREMENTS = ['opi.enregistrer', 'lp.enregistrer', 'lp.enregistrerEnMasse', 'ia.creer', 'pj.deposer'];

export class DepotStatistiques implements DepotStatistiquesPort {
  constructor(private readonly source: DataSource) {}

  private async lire<T>(sql: string, p: unknown[]): Promise<T[]> {
    return (await this.source.query(sql, p.map(valeurSql))) as T[];
  }

  async recusParJour(depuis: Date) {
    const unitaires = await this.lire<{ jour: string; porte: string; client: string; n: number }>(
      `SELECT SUBSTR(recuLe, 1, 10) AS jour, porte, client, SUM(nombre) AS n FROM journal
       WHERE recuLe >= ? AND resultat IN (${marques(ACCEPTES.length)}) AND operation IN (${marques(ENREGISTREMENTS.length)})
       GROUP BY SUBSTR(recuLe, 1, 10), porte, client`,
      [depuis, ...ACCEPTES, ...ENREGISTREMENTS],
    );
    // The rows of the files loaded (not simulated), by the day their job was sent.
    const fichiers = await this.lire<{ jour: string; client: string; n: number }>(
      `SELECT SUBSTR(creeLe, 1, 10) AS jour, client, SUM(creees + misesAJour + inchangees) AS n FROM job
       WHERE creeLe >= ? AND simulation = 0 AND type <> 'JOURNAL_REJEU' GROUP BY SUBSTR(creeLe, 1, 10), client`,
      [depuis],
    );
    return [...unitaires.map((x) => ({ ...x, n: Number(x.n) })), ...fichiers.map((x) => ({ jour: x.jour, porte: 'FICHIER', client: x.client, n: Number(x.n) }))]
      .filter((x) => x.n > 0)
      .map((x) => ({ ...x, jour: String(x.jour) }))
      .sort((a, b) => a.jour.localeCompare(b.jour) || a.porte.localeCompare(b.porte) || a.client.localeCompare(b.client));
  }

  async rejetsParCodes(depuis: Date) {
    const r = await this.lire<{ codes: string | null; n: number }>(
      "SELECT codes, SUM(nombre) AS n FROM journal WHERE recuLe >= ? AND resultat = 'REJETE' AND statut NOT IN (401, 429) GROUP BY codes",
      [depuis],
    );
    return r.map((x) => ({ codes: x.codes, n: Number(x.n) }));
  }

  async inscriptionsParEtat(codAnu: string) {
    const r = await this.lire<{ etat: string; n: number }>('SELECT etat, COUNT(*) AS n FROM inscription WHERE codAnu = ? GROUP BY etat ORDER BY etat', [
      codAnu,
    ]);
    return r.map((x) => ({ etat: x.etat, n: Number(x.n) }));
  }

  async piecesParStatut() {
    const r = await this.lire<{ statut: string; n: number }>('SELECT statut, COUNT(*) AS n FROM piece_opi GROUP BY statut ORDER BY statut', []);
    return r.map((x) => ({ statut: x.statut, n: Number(x.n) }));
  }
}
