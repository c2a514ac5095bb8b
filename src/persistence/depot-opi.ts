/** Storage of OPIs: individu, vœux, possible duplicates; bound to one transaction (or none, for reads). */
import { In, MoreThan, MoreThanOrEqual, type EntityManager } from 'typeorm';
import { IndividuOpi, VoeuOpi, DoublonOpi } from './entities';
import type { IdentiteOpi } from '../domain/opi/doublons';
import type { CandidatDoublon, CritereOpi, DepotOpiPort, EtatOpi, LigneIndividu, LigneVoeu, LigneVoeuDe, OpiResumee } from '../application/ports';
import type { DoublonOpiLigne, IndividuOpiLigne, VoeuOpiLigne } from '../application/enregistrements';
import { parPaquets, TAILLE_LISTE } from './paquets';
import { ecrireSansRetour, insererLignes, insererParPaquets, insererSansRetour, instructionMiseAJour, parListe } from './sql-portable';
import type { EcrituresAuCommit } from './ecritures-au-commit';

export class DepotOpi implements DepotOpiPort {
  /** `auCommit`: in a transaction, where the writes nobody reads back before the commit are sent with it. */
  constructor(
    private readonly em: EntityManager,
    private readonly auCommit?: EcrituresAuCommit,
  ) {}

  // The write path's statements are driver-level with positional parameters: TypeORM's query
  // building was a fifth of the CPU of a write (the benchmark's profile); reads keep the ORM.

  /** The row's state, locked (MariaDB/MySQL: FOR UPDATE, so two concurrent pushes of one OPI serialise; SQLite is single-writer). */
  trouverPourMiseAJour(codOpiIntEpo: string): Promise<EtatOpi | null> {
    return this.etat(codOpiIntEpo, this.em.connection.options.type === 'mysql');
  }

  private async etat(codOpiIntEpo: string, verrou: boolean): Promise<EtatOpi | null> {
    const r: EtatOpi[] = await this.em.query(`SELECT id, version, empreinte FROM individu_opi WHERE codOpiIntEpo = ?${verrou ? ' FOR UPDATE' : ''}`, [
      codOpiIntEpo,
    ]);
    return r[0] ? { id: Number(r[0].id), version: Number(r[0].version), empreinte: r[0].empreinte } : null;
  }

  lire(codOpiIntEpo: string): Promise<IndividuOpiLigne | null> {
    return this.em.findOne(IndividuOpi, { where: { codOpiIntEpo } });
  }

  voeuxDe(individuOpiId: number): Promise<VoeuOpiLigne[]> {
    return this.em.find(VoeuOpi, { where: { individuOpiId }, order: { rang: 'ASC' } });
  }

  async voeuxDePlusieurs(ids: number[]): Promise<VoeuOpiLigne[]> {
    if (!ids.length) return [];
    return this.em.find(VoeuOpi, { where: { individuOpiId: In(ids) }, order: { individuOpiId: 'ASC', rang: 'ASC' } });
  }

  async creer(ligne: LigneIndividu): Promise<IndividuOpiLigne> {
    return { ...ligne, id: await insererLignes(this.em, IndividuOpi, [ligne]) };
  }

  /** In a transaction, sent with its next statement: the write path reads nothing back from it. */
  async mettreAJour(id: number, ligne: Partial<LigneIndividu>): Promise<void> {
    if (Object.values(ligne).every((v) => v === undefined)) return;
    const { sql, parametres } = instructionMiseAJour(this.em, IndividuOpi, id, ligne);
    await ecrireSansRetour(this.em, this.auCommit, sql, parametres);
  }

  /**
   * Replaces the vœux set exactly: DELETE (not for a new individu, which has none) then one multi-row
   * INSERT (READ COMMITTED keeps this deadlock-free). In a transaction, both go with its next statement
   * (at the latest COMMIT): nothing in the write reads them back.
   */
  async remplacerVoeux(individuOpiId: number, voeux: LigneVoeu[], options: { nouveau?: boolean } = {}): Promise<void> {
    if (!options.nouveau) await ecrireSansRetour(this.em, this.auCommit, 'DELETE FROM voeu_opi WHERE individuOpiId = ?', [individuOpiId]);
    await insererSansRetour(
      this.em,
      this.auCommit,
      VoeuOpi,
      voeux.map((v) => ({ ...v, individuOpiId })),
    );
  }

  /**
   * Other individus sharing the student number, the INE or the civil identity (each condition has its
   * index), with the reasons already recorded for each pair.
   */
  async candidatsDoublons(id: IdentiteOpi): Promise<CandidatDoublon[]> {
    const { sql, parametres } = conditionsCandidats(id);
    const lignes: IdentiteOpi[] = await this.em.query(`SELECT ${COLONNES_IDENTITE} FROM individu_opi i WHERE i.id <> ? AND (${sql}) LIMIT ${MAX_CANDIDATS}`, [
      id.id,
      ...parametres,
    ]);
    return this.avecMotifsConnus(id.id, lignes);
  }

  /**
   * The stored state of the OPI and its possible duplicates, without a lock, in one indexed query (an
   * unchanged re-send is told by it alone; the known pairs are read only when there are candidates).
   */
  async etatEtCandidats(codOpiIntEpo: string, id: Omit<IdentiteOpi, 'id'>): Promise<{ etat: EtatOpi | null; candidats: CandidatDoublon[] }> {
    // One OR of indexed conditions (an index merge): a UNION over a derived table cost MariaDB four times as much.
    const { sql, parametres } = conditionsCandidats(id);
    const lignes: (IdentiteOpi & { soi: number; version: number; empreinte: string })[] = await this.em.query(
      `SELECT (i.codOpiIntEpo = ?) AS soi, i.version, i.empreinte, ${COLONNES_IDENTITE} FROM individu_opi i`
        + ` WHERE i.codOpiIntEpo = ? OR ${sql} LIMIT ${MAX_CANDIDATS + 1}`,
      [codOpiIntEpo, codOpiIntEpo, ...parametres],
    );
    const moi = lignes.find((l) => Number(l.soi) === 1);
    // More candidates than the limit may have left the OPI's own row out: read it alone.
    const etat = moi
      ? { id: Number(moi.id), version: Number(moi.version), empreinte: String(moi.empreinte) }
      : lignes.length > MAX_CANDIDATS
        ? await this.etat(codOpiIntEpo, false)
        : null;
    const autres = lignes.filter((l) => Number(l.soi) !== 1).slice(0, MAX_CANDIDATS);
    if (!etat) return { etat: null, candidats: autres.map((l) => versCandidat(l, [])) };
    return { etat, candidats: await this.avecMotifsConnus(etat.id, autres) };
  }

  /** The reasons already recorded for each pair (the individu `soi`, a candidate): no query without candidates. */
  private async avecMotifsConnus(soi: number, lignes: IdentiteOpi[]): Promise<CandidatDoublon[]> {
    const motifs = new Map<number, string[]>();
    for (const paire of lignes.length ? ((await this.pairesConnues([soi])).get(soi) ?? []) : []) {
      const [existant, motif] = paire.split('|');
      motifs.set(Number(existant), [...(motifs.get(Number(existant)) ?? []), motif]);
    }
    return lignes.map((l) => versCandidat(l, motifs.get(Number(l.id)) ?? []));
  }

  // --- a file's chunk: a few statements for hundreds of rows ---------------------------------------

  /** The stored states of these OPIs, locked like `trouverPourMiseAJour`, by number. */
  async etatsPourMiseAJour(codes: string[]): Promise<Map<string, EtatOpi>> {
    const verrou = this.em.connection.options.type === 'mysql' ? ' FOR UPDATE' : '';
    const lignes = await parListe<EtatOpi & { codOpiIntEpo: string }>(
      this.em,
      'SELECT id, version, empreinte, codOpiIntEpo FROM individu_opi WHERE codOpiIntEpo',
      codes,
      verrou,
    );
    return new Map(lignes.map((l) => [l.codOpiIntEpo, { id: Number(l.id), version: Number(l.version), empreinte: l.empreinte }]));
  }

  /** New individus in multi-row INSERTs; their ids read back by number (auto-increment ids need not be consecutive). */
  async creerPlusieurs(lignes: LigneIndividu[]): Promise<Map<string, number>> {
    await insererParPaquets(this.em, IndividuOpi, lignes);
    const ids = await parListe<{ id: number; codOpiIntEpo: string }>(
      this.em,
      'SELECT id, codOpiIntEpo FROM individu_opi WHERE codOpiIntEpo',
      lignes.map((l) => l.codOpiIntEpo),
    );
    return new Map(ids.map((l) => [l.codOpiIntEpo, Number(l.id)]));
  }

  /** The vœux of the individus `aVider` deleted, then every row of `voeux` inserted, in multi-row statements. */
  async remplacerVoeuxDePlusieurs(aVider: number[], voeux: LigneVoeuDe[]): Promise<void> {
    await parListe(this.em, 'DELETE FROM voeu_opi WHERE individuOpiId', aVider);
    await insererParPaquets(this.em, VoeuOpi, voeux);
  }

  /**
   * Every stored individu sharing one of the search's criteria with one of these identities: the same
   * civil identity (one range of its index per identity), INE or student number. Each with its index.
   */
  async partageantUnCritere(identites: Omit<IdentiteOpi, 'id' | 'codOpiIntEpo'>[]): Promise<IdentiteOpi[]> {
    const parId = new Map<number, IdentiteOpi>();
    const garder = (lignes: IdentiteOpi[]) => {
      for (const l of lignes) parId.set(Number(l.id), versCandidat(l, []));
    };
    const tete = `SELECT ${COLONNES_IDENTITE} FROM individu_opi i WHERE`;
    const civils = [...new Map(identites.map((i) => [`${i.cleNomPat}|${i.clePr1}|${i.dateNaiIndOpi}`, [i.cleNomPat, i.clePr1, i.dateNaiIndOpi]])).values()];
    await parPaquets(
      civils,
      async (p) => garder(await this.em.query(`${tete} ${p.map(() => '(cleNomPat = ? AND clePr1 = ? AND dateNaiIndOpi = ?)').join(' OR ')}`, p.flat())),
      // Three parameters per identity; a chunk's identities in three statements of modest OR lists.
      Math.ceil(TAILLE_LISTE / 3),
    );
    garder(await parListe(this.em, `${tete} codNneIndOpi`, [...new Set(identites.flatMap((i) => (i.codNneIndOpi ? [i.codNneIndOpi] : [])))]));
    garder(await parListe(this.em, `${tete} codEtuOpi`, [...new Set(identites.flatMap((i) => (i.codEtuOpi !== null ? [i.codEtuOpi] : [])))]));
    return [...parId.values()];
  }

  /** The duplicate pairs already recorded for these individus: `idExistant|motif` by individu. */
  async pairesConnues(ids: number[]): Promise<Map<number, Set<string>>> {
    const sortie = new Map<number, Set<string>>();
    const lignes = await parListe<{ individuOpiId: number; individuOpiIdExistant: number; motif: string }>(
      this.em,
      'SELECT individuOpiId, individuOpiIdExistant, motif FROM doublon_opi WHERE individuOpiId',
      ids,
    );
    for (const l of lignes) {
      const id = Number(l.individuOpiId);
      let s = sortie.get(id);
      if (!s) sortie.set(id, (s = new Set()));
      s.add(`${Number(l.individuOpiIdExistant)}|${l.motif}`);
    }
    return sortie;
  }

  doublonsConnus(individuOpiId: number): Promise<DoublonOpiLigne[]> {
    return this.em.find(DoublonOpi, { where: { individuOpiId }, order: { id: 'ASC' } });
  }

  listerDoublons(f: { decidees?: boolean; avant?: number; limite: number }): Promise<DoublonOpiLigne[]> {
    const q = this.em.createQueryBuilder(DoublonOpi, 'd');
    if (f.decidees !== undefined) q.andWhere(f.decidees ? 'd.decision IS NOT NULL' : 'd.decision IS NULL');
    if (f.avant) q.andWhere('d.id < :avant', { avant: f.avant });
    return q.orderBy('d.id', 'DESC').take(f.limite).getMany();
  }

  lireDoublon(id: number): Promise<DoublonOpiLigne | null> {
    return this.em.findOne(DoublonOpi, { where: { id } });
  }

  async deciderDoublon(id: number, decision: string, par: string, le: Date): Promise<void> {
    await this.em.update(DoublonOpi, { id }, { decision, decidePar: par, decideLe: le });
  }

  /** In a transaction, sent with its next statement (at the latest COMMIT). */
  async ajouterDoublons(lignes: Omit<DoublonOpiLigne, 'id'>[]): Promise<void> {
    await insererParPaquets(this.em, DoublonOpi, lignes, this.auCommit);
  }

  rechercher(critere: CritereOpi, limite: number): Promise<IndividuOpiLigne[]> {
    const where: Record<string, unknown> = {};
    if (critere.ine) Object.assign(where, { codNneIndOpi: critere.ine.nne, codCleNneIndOpi: critere.ine.cle });
    if (critere.cleNom) where.cleNomPat = critere.cleNom;
    if (critere.clePrenom) where.clePr1 = critere.clePrenom;
    if (critere.dateNai) where.dateNaiIndOpi = critere.dateNai;
    if (critere.codEtu !== undefined) where.codEtuOpi = critere.codEtu;
    return this.em.find(IndividuOpi, { where, order: { codOpiIntEpo: 'ASC' }, take: limite });
  }

  async parCodes(codes: string[]): Promise<Map<string, OpiResumee>> {
    const lignes = await parListe<OpiResumee>(
      this.em,
      'SELECT codOpiIntEpo, codEtuOpi, codNneIndOpi, codCleNneIndOpi FROM individu_opi WHERE codOpiIntEpo',
      codes,
    );
    return new Map(lignes.map((l) => [l.codOpiIntEpo, { ...l, codEtuOpi: l.codEtuOpi === null ? null : Number(l.codEtuOpi) }]));
  }

  page(apresId: number, limite: number, depuis?: Date): Promise<IndividuOpiLigne[]> {
    return this.em.find(IndividuOpi, {
      where: { id: MoreThan(apresId), ...(depuis ? { creeLe: MoreThanOrEqual(depuis) } : {}) },
      order: { id: 'ASC' },
      take: limite,
    });
  }

  deIndividu(ids: { codOpiIntEpo?: string; codEtu?: number; ine?: { nne: string; cle: string } }): Promise<IndividuOpiLigne[]> {
    const ou: Record<string, unknown>[] = [];
    if (ids.codOpiIntEpo) ou.push({ codOpiIntEpo: ids.codOpiIntEpo });
    if (ids.codEtu !== undefined) ou.push({ codEtuOpi: ids.codEtu });
    if (ids.ine) ou.push({ codNneIndOpi: ids.ine.nne, codCleNneIndOpi: ids.ine.cle });
    if (!ou.length) return Promise.resolve([]);
    return this.em.find(IndividuOpi, { where: ou });
  }
}

const COLONNES_IDENTITE = 'i.id, i.codOpiIntEpo, i.codEtuOpi, i.codNneIndOpi, i.codCleNneIndOpi, i.cleNomPat, i.clePr1, i.dateNaiIndOpi';

/** At most this many possible duplicates are read for one OPI (a common name and birth date, say). */
const MAX_CANDIDATS = 50;

/** The duplicate search's conditions on `individu_opi i`: the civil identity, the INE, the student number. */
function conditionsCandidats(id: Omit<IdentiteOpi, 'id'>): { sql: string; parametres: unknown[] } {
  let sql = '(i.cleNomPat = ? AND i.clePr1 = ? AND i.dateNaiIndOpi = ?)';
  const parametres: unknown[] = [id.cleNomPat, id.clePr1, id.dateNaiIndOpi];
  if (id.codNneIndOpi) {
    sql += ' OR i.codNneIndOpi = ?';
    parametres.push(id.codNneIndOpi);
  }
  if (id.codEtuOpi !== null) {
    sql += ' OR i.codEtuOpi = ?';
    parametres.push(id.codEtuOpi);
  }
  return { sql, parametres };
}

function versCandidat(l: IdentiteOpi, motifsConnus: string[]): CandidatDoublon {
  return {
    id: Number(l.id),
    codOpiIntEpo: l.codOpiIntEpo,
    codEtuOpi: l.codEtuOpi === null ? null : Number(l.codEtuOpi),
    codNneIndOpi: l.codNneIndOpi,
    codCleNneIndOpi: l.codCleNneIndOpi,
    cleNomPat: l.cleNomPat,
    clePr1: l.clePr1,
    dateNaiIndOpi: l.dateNaiIndOpi,
    motifsConnus,
  };
}
