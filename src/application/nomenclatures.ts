/**
 * Nomenclatures: loading an establishment's files into the database (all-or-nothing, after checking
 * every file) and serving an in-memory snapshot to the rules, refreshed when a reload happened.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CatalogueEnMemoire, NOMENCLATURES, cleEntree, descripteur, type Catalogue, type EntreeNomenclature } from '../domain/nomenclatures';
import { ErreurMetier, probleme, type Probleme } from '../domain/errors';
import type { Depots, FichierNomenclature, UniteDeTravailPort } from './ports';
import type { DefinitionOperation } from './pipeline';

/** Reads and checks `<dir>/<nom>.json` for every known nomenclature present in the folder. */
export async function lireDossier(dossier: string): Promise<FichierNomenclature[]> {
  const fichiers: FichierNomenclature[] = [];
  const problemes: Probleme[] = [];
  for (const desc of NOMENCLATURES) {
    const chemin = path.join(dossier, `${desc.nom}.json`);
    let brut: string;
    try {
      brut = await fs.readFile(chemin, 'utf8');
    } catch {
      continue;
    }
    let json: { libelle?: unknown; source?: unknown; codes?: unknown };
    try {
      json = JSON.parse(brut);
    } catch (err) {
      problemes.push(probleme('REQUETE_MALFORMEE', desc.nom, { detail: `${chemin} : ${(err as Error).message}` }));
      continue;
    }
    if (!Array.isArray(json.codes)) {
      problemes.push(probleme('CHAMP_OBLIGATOIRE', `${desc.nom}.codes`));
      continue;
    }
    const vus = new Set<string>();
    const codes = (json.codes as Record<string, unknown>[]).map((c, i) => {
      const cle = cleEntree(desc, c);
      if (desc.cle.some((k) => c[k] === undefined || c[k] === ''))
        problemes.push(probleme('CHAMP_OBLIGATOIRE', `${desc.nom}.codes[${i}].${desc.cle.join('+')}`));
      if (typeof c.libelle !== 'string') problemes.push(probleme('CHAMP_OBLIGATOIRE', `${desc.nom}.codes[${i}].libelle`));
      if (vus.has(cle)) problemes.push(probleme('VALEUR_NON_AUTORISEE', `${desc.nom}.codes[${i}]`, { valeurs: `clé unique (${cle} en double)` }));
      vus.add(cle);
      return {
        ...c,
        code: desc.cle.length === 1 ? String(c.code) : cle,
        libelle: String(c.libelle ?? ''),
        enService: c.enService !== false,
        cle,
      } as EntreeNomenclature & { cle: string };
    });
    fichiers.push({ nom: desc.nom, libelle: String(json.libelle ?? desc.nom), source: typeof json.source === 'string' ? json.source : undefined, codes });
  }
  if (problemes.length) throw new ErreurMetier(problemes, 422);
  return fichiers;
}

export class ServiceNomenclatures {
  private instantane: { catalogue: CatalogueEnMemoire; version: string; verifieLe: number } | undefined;

  constructor(
    private readonly unite: UniteDeTravailPort,
    /** How often (ms) to check whether another process reloaded the nomenclatures. */
    private readonly intervalleVerification = 30_000,
  ) {}

  /** Loads the files of a folder, replacing the nomenclatures it contains (unjournaled: the CLI goes through the pipeline). */
  async charger(dossier: string): Promise<string[]> {
    const fichiers = await lireDossier(dossier);
    const noms = await this.unite.executer((d) => this.remplacer(d, fichiers));
    this.oublier();
    return noms;
  }

  /** Replaces the nomenclatures of checked files, in the transaction given; returns their names. */
  async remplacer(d: Depots, fichiers: FichierNomenclature[]): Promise<string[]> {
    await d.nomenclatures.remplacer(fichiers, new Date());
    return fichiers.map((f) => f.nom);
  }

  /** After a reload: the next rule check reads the new codes. */
  oublier(): void {
    this.instantane = undefined;
  }

  /** At start: loads from the default folder every nomenclature the database does not have yet. */
  async chargerManquantes(dossier: string): Promise<string[]> {
    const presentes = new Set((await this.unite.lecture.nomenclatures.listerNomenclatures()).map((n) => n.nom));
    const fichiers = (await lireDossier(dossier)).filter((f) => !presentes.has(f.nom));
    if (!fichiers.length) return [];
    await this.unite.executer((d) => d.nomenclatures.remplacer(fichiers, new Date()));
    this.instantane = undefined;
    return fichiers.map((f) => f.nom);
  }

  async catalogue(): Promise<Catalogue> {
    const maintenant = Date.now();
    if (this.instantane && maintenant - this.instantane.verifieLe < this.intervalleVerification) return this.instantane.catalogue;
    const version = await this.unite.lecture.nomenclatures.version();
    if (!this.instantane || this.instantane.version !== version) {
      this.instantane = { catalogue: new CatalogueEnMemoire(await this.unite.lecture.nomenclatures.toutes()), version, verifieLe: maintenant };
    } else {
      this.instantane.verifieLe = maintenant;
    }
    return this.instantane.catalogue;
  }

  async lister(): Promise<{ nom: string; libelle: string; source: string | null; nombre: number; chargeLe: string }[]> {
    return (await this.unite.lecture.nomenclatures.listerNomenclatures()).map((n) => ({
      nom: n.nom,
      libelle: n.libelle,
      source: n.source,
      nombre: n.nombre,
      chargeLe: new Date(n.chargeLe).toISOString(),
    }));
  }

  async codes(nom: string): Promise<EntreeNomenclature[]> {
    const desc = descripteur(nom);
    if (!desc) throw ErreurMetier.une('NOMENCLATURE_INCONNUE', 'nom', { nom });
    return (await this.catalogue()).lister(desc.nom as (typeof NOMENCLATURES)[number]['nom']);
  }
}

/** The nomenclature reads as the pipeline runs them. */
export function operationsNomenclatures(s: ServiceNomenclatures) {
  const lister: DefinitionOperation<unknown, never, { nomenclatures: Awaited<ReturnType<ServiceNomenclatures['lister']>> }> = {
    lire: async () => ({ nomenclatures: await s.lister() }),
  };
  const lire: DefinitionOperation<{ nom: string; enService: boolean }, never, { nom: string; codes: EntreeNomenclature[] }> = {
    lire: async ({ nom, enService }) => {
      const codes = await s.codes(nom);
      return { nom, codes: enService ? codes.filter((c) => c.enService) : codes };
    },
  };
  // An establishment's own tables, from a folder (CLI door): every file checked first, then all in one transaction.
  const charger: DefinitionOperation<string, FichierNomenclature[], { resultat: 'CHARGE'; nomenclatures: string[] }> = {
    cle: (_dossier, r) => r?.nomenclatures.join(','),
    preparer: (dossier) => lireDossier(dossier),
    ecrire: async (fichiers, d) => ({ resultat: 'CHARGE', nomenclatures: await s.remplacer(d, fichiers) }),
    apresCommit: async () => s.oublier(),
    issue: (r) => ({ resultat: r.resultat }),
  };
  return { lister, lire, charger };
}
