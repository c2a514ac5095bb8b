/** Storage of OPIs: individu, vœux, possible duplicates; bound to one transaction (or none, for reads). */
import { In, MoreThan, MoreThanOrEqual, type EntityManager } from 'typeorm';
import { IndividuOpi, VoeuOpi, DoublonOpi } from './entities';
import type { IdentiteOpi } from '../domain/opi/doublons';
import type { CritereOpi, DepotOpiPort, LigneIndividu, LigneVoeu, OpiResumee } from '../application/ports';
import type { DoublonOpiLigne, IndividuOpiLigne, VoeuOpiLigne } from '../application/enregistrements';
import { parPaquets } from './paquets';

export class DepotOpi implements DepotOpiPort {
  constructor(private readonly em: EntityManager) {}

  private verrou() {
    // Row lock on MariaDB/MySQL so that two concurrent pushes of one OPI serialise; SQLite is single-writer anyway.
    return this.em.connection.options.type === 'mysql' ? { mode: 'pessimistic_write' as const } : undefined;
  }

  trouverPourMiseAJour(codOpiIntEpo: string): Promise<IndividuOpiLigne | null> {
    return this.em.findOne(IndividuOpi, { where: { codOpiIntEpo }, lock: this.verrou() });
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
    const r = await this.em.insert(IndividuOpi, ligne);
    return { ...ligne, id: r.identifiers[0].id as number };
  }

  async mettreAJour(id: number, ligne: Partial<LigneIndividu>): Promise<void> {
    await this.em.update(IndividuOpi, { id }, ligne);
  }

  /** Replaces the vœux set exactly: DELETE then multi-row INSERT (READ COMMITTED keeps this deadlock-free). */
  async remplacerVoeux(individuOpiId: number, voeux: LigneVoeu[]): Promise<void> {
    await this.em.delete(VoeuOpi, { individuOpiId });
    if (voeux.length)
      await this.em.insert(
        VoeuOpi,
        voeux.map((v) => ({ ...v, individuOpiId })),
      );
  }

  /** Other individus sharing the student number, the INE or the civil identity. */
  candidatsDoublons(id: IdentiteOpi): Promise<IdentiteOpi[]> {
    return this.em
      .createQueryBuilder(IndividuOpi, 'i')
      .select(['i.id', 'i.codOpiIntEpo', 'i.codEtuOpi', 'i.codNneIndOpi', 'i.codCleNneIndOpi', 'i.cleNomPat', 'i.clePr1', 'i.dateNaiIndOpi'])
      .where('i.id <> :id', { id: id.id })
      .andWhere(
        '((i.cleNomPat = :nom AND i.clePr1 = :pr1 AND i.dateNaiIndOpi = :dn)'
          + (id.codNneIndOpi ? ' OR i.codNneIndOpi = :ine' : '')
          + (id.codEtuOpi !== null ? ' OR i.codEtuOpi = :etu' : '')
          + ')',
        { nom: id.cleNomPat, pr1: id.clePr1, dn: id.dateNaiIndOpi, ine: id.codNneIndOpi, etu: id.codEtuOpi },
      )
      .limit(50)
      .getMany();
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

  async ajouterDoublons(lignes: Omit<DoublonOpiLigne, 'id'>[]): Promise<void> {
    if (lignes.length) await this.em.insert(DoublonOpi, lignes);
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
    const sortie = new Map<string, OpiResumee>();
    await parPaquets(codes, async (paquet) => {
      const lignes = await this.em.find(IndividuOpi, {
        select: { codOpiIntEpo: true, codEtuOpi: true, codNneIndOpi: true, codCleNneIndOpi: true },
        where: { codOpiIntEpo: In(paquet) },
      });
      for (const l of lignes) sortie.set(l.codOpiIntEpo, l);
    });
    return sortie;
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
