/** Storage of the nomenclatures (tables `nomenclature` and `nomenclature_code`). */
import type { EntityManager } from 'typeorm';
import { CodeNomenclature, Nomenclature } from './entities';
import type { EntreeNomenclature } from '../domain/nomenclatures';
import type { DepotNomenclaturesPort, FichierNomenclature } from '../application/ports';

export class DepotNomenclatures implements DepotNomenclaturesPort {
  constructor(private readonly em: EntityManager) {}

  /** Replaces the given nomenclatures, each as a whole, inside the caller's transaction. */
  async remplacer(fichiers: FichierNomenclature[], maintenant: Date): Promise<void> {
    const em = this.em;
    for (const f of fichiers) {
      await em.delete(CodeNomenclature, { nom: f.nom });
      const lignes = f.codes.map((c) => ({
        nom: f.nom,
        code: c.cle,
        libelle: c.libelle,
        enService: c.enService,
        entree: JSON.stringify(Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'cle'))),
      }));
      for (let i = 0; i < lignes.length; i += 200) {
        await em
          .createQueryBuilder()
          .insert()
          .into(CodeNomenclature)
          .values(lignes.slice(i, i + 200))
          .execute();
      }
      await em.save(Nomenclature, { nom: f.nom, libelle: f.libelle, source: f.source ?? null, nombre: lignes.length, chargeLe: maintenant });
    }
  }

  listerNomenclatures(): Promise<Nomenclature[]> {
    return this.em.find(Nomenclature, { order: { nom: 'ASC' } });
  }

  async toutes(): Promise<Record<string, EntreeNomenclature[]>> {
    const lignes = await this.em.find(CodeNomenclature);
    const sortie: Record<string, EntreeNomenclature[]> = {};
    for (const l of lignes) (sortie[l.nom] ??= []).push(JSON.parse(l.entree) as EntreeNomenclature);
    return sortie;
  }

  /** A fingerprint that changes whenever a nomenclature is reloaded (cheap to poll). */
  async version(): Promise<string> {
    const r = await this.em.find(Nomenclature, { select: { nom: true, chargeLe: true, nombre: true } });
    return r
      .map((n) => `${n.nom}:${new Date(n.chargeLe).getTime()}:${n.nombre}`)
      .sort()
      .join('|');
  }
}
