/**
 * Retention and personal data, in SQL both databases read the same way: deletions in batches (ids
 * first, then one short transaction per batch, so no statement holds locks for long), a person's rows
 * gathered by their identifiers. Text concatenation is the only dialect difference.
 */
import type { EntityManager } from 'typeorm';
import type { DepotConservationPort, DossierPersonne, IdentifiantsPersonne, NatureConservee } from '../application/ports';
import { cleIndividu, lireCleIndividu } from '../domain/identifiers/individu';
import { candidatDuNumero } from '../domain/inscription/parcoursup';
import type { UniteDeTravail } from './unite-de-travail';
import { parPaquets } from './paquets';
import { concatSql, marques, valeurSql } from './sql-portable';

/** The rows of each kind purged by id, and the query that picks the ones older than the limit. */
const PAR_ID: Record<Exclude<NatureConservee, 'idempotence'>, { table: string; choix: string }> = {
  charges: { table: 'charge_journal', choix: 'SELECT id FROM charge_journal WHERE recuLe < ? ORDER BY id' },
  journal: { table: 'journal', choix: 'SELECT id FROM journal WHERE recuLe < ? ORDER BY id' },
  // Rejected rows of a bulk job go with their job's end: the job row itself stays (its counts are its report).
  rejets: {
    table: 'job_rejet',
    choix: 'SELECT r.id AS id FROM job_rejet r JOIN job j ON j.id = r.jobId WHERE j.finLe IS NOT NULL AND j.finLe < ? ORDER BY r.id',
  },
};

/** The columns naming an individual of each kind, in individu_opi, laissez_passer and inscription (the OPI's INE is two columns). */
function colonnesIndividu(type: string, ineOpi: string): { opi: string; lp: string; ia: string } {
  if (type === 'OPI') return { opi: 'codOpiIntEpo', lp: 'codOpiIntEpo', ia: 'codOpiIntEpo' };
  if (type === 'ETU') return { opi: 'codEtuOpi', lp: 'codEtu', ia: 'codEtu' };
  return { opi: ineOpi, lp: 'ine', ia: 'ine' };
}

export class DepotConservation implements DepotConservationPort {
  constructor(private readonly unite: UniteDeTravail) {}

  private get sqlite(): boolean {
    return this.unite.estSqlite;
  }

  private lire<T = Record<string, unknown>>(sql: string, p: unknown[] = []): Promise<T[]> {
    return this.unite.source.query(sql, p.map(valeurSql)) as Promise<T[]>;
  }

  /** The whole INE of an OPI (number and key), as the IA and the LP keep it; `alias.` before the columns when given. */
  private ineOpi(alias = ''): string {
    return concatSql(this.sqlite, `${alias}codNneIndOpi`, `COALESCE(${alias}codCleNneIndOpi, '')`);
  }

  /** Runs `f` on `ids` by batches of `taille`, each batch in its own transaction; returns the rows they touched. */
  private async parLots<T>(ids: T[], taille: number, f: (em: EntityManager, lot: T[]) => Promise<number>): Promise<number> {
    let n = 0;
    for (let i = 0; i < ids.length; i += taille) {
      const lot = ids.slice(i, i + taille);
      n += await this.unite.executerSql((em) => f(em, lot));
    }
    return n;
  }

  private async supprimer(em: EntityManager, table: string, colonne: string, valeurs: unknown[]): Promise<number> {
    if (!valeurs.length) return 0;
    return modifier(em, `DELETE FROM ${table} WHERE ${colonne} IN (${marques(valeurs.length)})`, valeurs);
  }

  async purgerAvant(nature: NatureConservee, avant: Date, o: { simulation: boolean; taille: number }): Promise<number> {
    if (nature === 'idempotence') {
      if (o.simulation) return Number((await this.lire<{ n: number }>('SELECT COUNT(*) AS n FROM idempotence WHERE creeLe < ?', [avant]))[0].n);
      // No id: the (client, cle) pairs, batch by batch.
      let n = 0;
      for (;;) {
        const lot = await this.lire<{ client: string; cle: string }>(`SELECT client, cle FROM idempotence WHERE creeLe < ? ORDER BY creeLe LIMIT ${o.taille}`, [
          avant,
        ]);
        if (!lot.length) return n;
        n += await this.unite.executerSql(async (em) => {
          let k = 0;
          for (const l of lot) k += await modifier(em, 'DELETE FROM idempotence WHERE client = ? AND cle = ?', [l.client, l.cle]);
          return k;
        });
      }
    }
    const { table, choix } = PAR_ID[nature];
    if (o.simulation) return Number((await this.lire<{ n: number }>(`SELECT COUNT(*) AS n FROM (${choix}) x`, [avant]))[0].n);
    let n = 0;
    for (;;) {
      const ids = (await this.lire<{ id: number }>(`${choix} LIMIT ${o.taille}`, [avant])).map((x) => Number(x.id));
      if (!ids.length) return n;
      n += await this.unite.executerSql(async (em) => {
        // A journal row takes its kept payload with it.
        if (nature === 'journal') await this.supprimer(em, 'charge_journal', 'journalId', ids);
        return this.supprimer(em, table, 'id', ids);
      });
    }
  }

  async opiSansInscription(campagne: string, finCampagne: Date): Promise<string[]> {
    const ine = this.ineOpi('i.');
    const r = await this.lire<{ code: string }>(
      `SELECT i.codOpiIntEpo AS code FROM individu_opi i
       WHERE (i.codAnu <= ? OR (i.codAnu IS NULL AND i.modifieLe < ?))
         AND NOT EXISTS (SELECT 1 FROM inscription a WHERE a.codAnu >= COALESCE(i.codAnu, ?) AND (
           a.codOpiIntEpo = i.codOpiIntEpo
           OR (i.codEtuOpi IS NOT NULL AND a.codEtu = i.codEtuOpi)
           OR (i.codNneIndOpi IS NOT NULL AND a.ine = ${ine})))
       ORDER BY i.id`,
      [campagne, finCampagne, campagne],
    );
    return r.map((x) => x.code);
  }

  async lpSansInscription(campagne: string): Promise<{ id: number; individu: string | null }[]> {
    const r = await this.lire<{ id: number; o: string | null; e: string | null; i: string | null }>(
      `SELECT l.id AS id, l.codOpiIntEpo AS o, l.codEtu AS e, l.ine AS i FROM laissez_passer l
       WHERE l.codAnu <= ?
         AND NOT EXISTS (SELECT 1 FROM inscription a WHERE a.codAnu >= l.codAnu AND (
           (l.codOpiIntEpo IS NOT NULL AND a.codOpiIntEpo = l.codOpiIntEpo)
           OR (l.codEtu IS NOT NULL AND a.codEtu = l.codEtu)
           OR (l.ine IS NOT NULL AND a.ine = l.ine)))
       ORDER BY l.id`,
      [campagne],
    );
    return r.map((x) => ({
      id: Number(x.id),
      individu: cleIndividu({ codOpiIntEpo: x.o ?? undefined, codEtu: x.e ?? undefined, ine: x.i ?? undefined }) ?? null,
    }));
  }

  async compterPieces(codes: string[]): Promise<number> {
    let n = 0;
    await parPaquets(codes, async (lot) => {
      n += Number((await this.lire<{ n: number }>(`SELECT COUNT(*) AS n FROM piece_opi WHERE codOpiIntEpo IN (${marques(lot.length)})`, lot))[0].n);
    });
    return n;
  }

  async detenu(individu: string): Promise<boolean> {
    const cle = lireCleIndividu(individu);
    if (!cle) return false;
    const [type, v] = [cle.slice(0, 3), cle.slice(4)];
    const c = colonnesIndividu(type, this.ineOpi());
    for (const [table, colonne] of [
      ['individu_opi', c.opi],
      ['laissez_passer', c.lp],
      ['inscription', c.ia],
    ])
      if ((await this.lire(`SELECT 1 AS x FROM ${table} WHERE ${colonne} = ? LIMIT 1`, [v])).length) return true;
    return false;
  }

  /** The file addresses the PJ rows (current and past versions) hold, for `valeurs` of `colonne`. */
  private async empreintesOu(colonne: 'codOpiIntEpo' | 'empreinte', valeurs: string[]): Promise<Set<string>> {
    const e = new Set<string>();
    await parPaquets(valeurs, async (lot) => {
      for (const t of ['piece_opi', 'piece_historique'])
        for (const x of await this.lire<{ e: string }>(`SELECT DISTINCT empreinte AS e FROM ${t} WHERE ${colonne} IN (${marques(lot.length)})`, lot))
          e.add(x.e);
    });
    return e;
  }

  async empreintesPieces(codes: string[]): Promise<string[]> {
    return [...(await this.empreintesOu('codOpiIntEpo', codes))];
  }

  async empreintesOrphelines(empreintes: string[]): Promise<string[]> {
    const encore = await this.empreintesOu('empreinte', empreintes);
    return empreintes.filter((e) => !encore.has(e));
  }

  effacerPieces(codes: string[], taille: number): Promise<number> {
    return this.parLots(codes, taille, async (em, lot) => {
      const ids = (await em.query(`SELECT id FROM piece_opi WHERE codOpiIntEpo IN (${marques(lot.length)})`, lot)) as { id: number }[];
      await this.supprimer(em, 'piece_historique', 'codOpiIntEpo', lot);
      await this.supprimer(em, 'relance_pj', 'codOpiIntEpo', lot);
      await this.supprimer(em, 'piece_opi', 'codOpiIntEpo', lot);
      return ids.length;
    });
  }

  effacerOpi(codes: string[], taille: number): Promise<number> {
    return this.parLots(codes, taille, async (em, lot) => {
      const ids = ((await em.query(`SELECT id FROM individu_opi WHERE codOpiIntEpo IN (${marques(lot.length)})`, lot)) as { id: number }[]).map((x) =>
        Number(x.id),
      );
      await this.supprimer(em, 'voeu_opi', 'individuOpiId', ids);
      await this.supprimer(em, 'doublon_opi', 'individuOpiId', ids);
      await this.supprimer(em, 'doublon_opi', 'individuOpiIdExistant', ids);
      return this.supprimer(em, 'individu_opi', 'id', ids);
    });
  }

  effacerLp(ids: number[], taille: number): Promise<number> {
    return this.parLots(ids, taille, (em, lot) => this.supprimer(em, 'laissez_passer', 'id', lot));
  }

  async anonymiserJournal(individus: string[], taille: number): Promise<{ lignes: number; charges: number }> {
    let lignes = 0;
    let charges = 0;
    await parPaquets(individus, async (lot) => {
      const ids = (await this.lire<{ id: number }>(`SELECT id FROM journal WHERE individu IN (${marques(lot.length)}) ORDER BY id`, lot)).map((x) =>
        Number(x.id),
      );
      lignes += await this.parLots(ids, taille, async (em, l) => {
        charges += await this.supprimer(em, 'charge_journal', 'journalId', l);
        // What the row says of the person goes (who, the key, the problems quoting values); what happened stays.
        return modifier(em, `UPDATE journal SET individu = NULL, cle = NULL, details = NULL WHERE id IN (${marques(l.length)})`, l);
      });
    });
    return { lignes, charges };
  }

  async identifiantsDe(individu: string): Promise<IdentifiantsPersonne> {
    const cle = lireCleIndividu(individu);
    const ids: IdentifiantsPersonne = { codOpiIntEpo: [], codEtu: [], ine: [] };
    if (!cle) return ids;
    const [type, valeur] = [cle.slice(0, 3), cle.slice(4)];
    const ine = this.ineOpi();
    const c = colonnesIndividu(type, ine);
    const opis = await this.lire<{ o: string; e: number | null; i: string | null }>(
      `SELECT codOpiIntEpo AS o, codEtuOpi AS e, CASE WHEN codNneIndOpi IS NULL THEN NULL ELSE ${ine} END AS i FROM individu_opi WHERE ${c.opi} = ?`,
      [valeur],
    );
    const lps = await this.lire<{ o: string | null; e: string | null; i: string | null }>(
      `SELECT codOpiIntEpo AS o, codEtu AS e, ine AS i FROM laissez_passer WHERE ${c.lp} = ?`,
      [valeur],
    );
    const ajouter = (l: string[], v: unknown) => v !== null && v !== undefined && v !== '' && !l.includes(String(v)) && l.push(String(v));
    ajouter(type === 'OPI' ? ids.codOpiIntEpo : type === 'ETU' ? ids.codEtu : ids.ine, valeur);
    for (const x of [...opis, ...lps]) {
      ajouter(ids.codOpiIntEpo, x.o);
      ajouter(ids.codEtu, x.e);
      ajouter(ids.ine, x.i);
    }
    return ids;
  }

  async rassembler(ids: IdentifiantsPersonne): Promise<DossierPersonne> {
    const dans = async (table: string, colonnes: [string, string[]][], ordre = 'id') => {
      const conditions = colonnes.filter(([, v]) => v.length);
      if (!conditions.length) return [];
      return this.lire(
        `SELECT * FROM ${table} WHERE ${conditions.map(([c, v]) => `${c} IN (${marques(v.length)})`).join(' OR ')} ORDER BY ${ordre}`,
        conditions.flatMap(([, v]) => v),
      );
    };
    const opi = await dans('individu_opi', [
      ['codOpiIntEpo', ids.codOpiIntEpo],
      ['codEtuOpi', ids.codEtu],
      [this.ineOpi(), ids.ine],
    ]);
    const idsOpi = opi.map((o) => String(o.id));
    const inscriptions = await dans('inscription', [
      ['codOpiIntEpo', ids.codOpiIntEpo],
      ['codEtu', ids.codEtu],
      ['ine', ids.ine],
    ]);
    const individus = [...ids.codOpiIntEpo.map((x) => `OPI:${x}`), ...ids.codEtu.map((x) => `ETU:${x}`), ...ids.ine.map((x) => `INE:${x}`)];
    return {
      opi,
      voeux: await dans('voeu_opi', [['individuOpiId', idsOpi]]),
      doublons: await dans('doublon_opi', [
        ['individuOpiId', idsOpi],
        ['individuOpiIdExistant', idsOpi],
      ]),
      laissezPasser: await dans('laissez_passer', [
        ['codOpiIntEpo', ids.codOpiIntEpo],
        ['codEtu', ids.codEtu],
        ['ine', ids.ine],
      ]),
      inscriptions,
      evenementsInscription: await dans('inscription_evenement', [['inscriptionId', inscriptions.map((i) => String(i.id))]]),
      pieces: await dans('piece_opi', [['codOpiIntEpo', ids.codOpiIntEpo]]),
      historiquePieces: await dans('piece_historique', [['codOpiIntEpo', ids.codOpiIntEpo]]),
      relances: await dans('relance_pj', [['codOpiIntEpo', ids.codOpiIntEpo]]),
      // The outbox names a Parcoursup candidate by the number its OPI number carries, else by the OPI number.
      notifications: await dans('notification_sortante', [
        ['cle', ids.codOpiIntEpo.flatMap((c) => [candidatDuNumero(c), `OPI:${c}`].filter((x): x is string => !!x))],
      ]),
      journal: await dans('journal', [['individu', individus]]),
    };
  }
}

/** Runs a DELETE or UPDATE in the transaction of `em`; returns the rows it touched (both drivers report them in the structured result). */
async function modifier(em: EntityManager, sql: string, valeurs: unknown[]): Promise<number> {
  const r = await em.queryRunner!.query(sql, valeurs, true);
  return Number(r.affected ?? 0);
}
