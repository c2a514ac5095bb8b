/**
 * OPI imports (Parcoursup, Études en France, Pégase files): the job engine's second job type, one per
 * file format. A row is mapped by its platform module to the one canonical OPI, then checked and
 * written by the OPI use case itself (same schema, rules, duplicate search as every door); problems are
 * named by the file's columns. A row that repeats (`LIGNE_EN_DOUBLE`) or contradicts
 * (`LIGNE_CONTRADICTOIRE`) an earlier row of the same file for the same candidate is reported instead
 * of silently winning.
 */
import { probleme, ErreurMetier, type Probleme } from '../../domain/errors';
import { jsonStable, sha256 } from '../../domain/empreinte';
import { cleIndividu } from '../../domain/identifiers/individu';
import { opiAutorisee } from '../../domain/securite';
import { canoniserOpi } from '../../domain/opi/canonique';
import type { ItemPrepare } from '../../domain/lots';
import type { ServiceNomenclatures } from '../nomenclatures';
import type { ServiceOpi } from '../opi';
import type { CandidatMappe, ContexteMappage, FormatImport, LigneLue, ValeurLue } from '../ports';
import type { JobLigne } from '../enregistrements';
import { aujourdhuiParis, anneeCampagne } from '../horloge';
import type { TypeJob } from './type-job';
import { LignesVues } from './lignes-vues';
import { cederSiBesoin } from '../ceder';

/** The parameters an import job keeps (`job.parametres`). */
export interface ParametresImport {
  format: string;
  formationFichier?: ContexteMappage['formationFichier'];
  /** Other files of the job (a Pégase pair's `candidature` file), removed with the job's own. */
  annexes?: string[];
  /** The OPI-number prefixes of the client that sent the file (a row outside them is refused). */
  prefixesOpi?: string[];
}

interface ItemImport extends ItemPrepare {
  prep?: Awaited<ReturnType<ServiceOpi['preparer']>>;
}

export function typeDeFormat(nom: string): string {
  return `IMPORT_${nom.toUpperCase().replace(/-/g, '_')}`;
}

/** A problem's canonical path → the column it came from (the longest mapped prefix). */
export function cheminEnColonne(p: Probleme, colonnes: Record<string, string>): Probleme {
  let meilleur: string | undefined;
  for (const c of Object.keys(colonnes)) {
    if ((p.path === c || p.path.startsWith(`${c}.`) || p.path.startsWith(`${c}[`)) && (!meilleur || c.length > meilleur.length)) meilleur = c;
  }
  return meilleur ? { ...p, path: colonnes[meilleur] } : p;
}

export function typeImport(
  format: FormatImport,
  opi: ServiceOpi,
  nomenclatures: ServiceNomenclatures,
  options: { anneeCampagne?: string; source?: TypeJob['source'] } = {},
): TypeJob<ItemImport> {
  /** Per running job: the rows already seen, by candidate (for LIGNE_EN_DOUBLE / LIGNE_CONTRADICTOIRE). */
  const vus = new Map<string, LignesVues>();
  /** The last mapping context (the report names a rejected row by its candidate and OPI numbers). */
  let contexte: (ContexteMappage & { prefixesOpi?: string[] }) | undefined;

  const contexteDe = async (job: Pick<JobLigne, 'parametres'>): Promise<ContexteMappage & { prefixesOpi?: string[] }> => {
    const p = (job.parametres ? JSON.parse(job.parametres) : {}) as ParametresImport;
    contexte = {
      prefixesOpi: p.prefixesOpi,
      catalogue: await nomenclatures.catalogue(),
      codAnu: anneeCampagne(aujourdhuiParis(), options.anneeCampagne),
      formationFichier: p.formationFichier,
    };
    return contexte;
  };
  const mapper = (valeurs: unknown, ctx: ContexteMappage): CandidatMappe => format.mapper(valeurs as Record<string, ValeurLue>, ctx);

  return {
    type: typeDeFormat(format.nom),
    operation: 'opi.importer',
    journal: { ligne: 'opi.import.ligne', fin: 'opi.import.fin' },
    colonnes: format.colonnes,
    // A platform's export may carry more columns than the mapping reads: they are ignored, the needed ones are checked.
    colonnesEnPlusToleres: true,
    versCommande: (l: LigneLue) => l.valeurs,
    identite: (brut) => {
      if (!contexte) return {};
      try {
        const c = mapper(brut, contexte);
        const code = (c.opi as { individu?: { codOpiIntEpo?: string } } | undefined)?.individu?.codOpiIntEpo;
        return { cle: code, individu: cleIndividu({ codOpiIntEpo: code }), idPlateforme: c.idPlateforme || undefined, codOpiIntEpo: code };
      } catch {
        return {};
      }
    },
    source: options.source,
    oublier: (jobId) => {
      vus.delete(jobId);
    },
    verifierEntete: (entete) => {
      const presentes = new Set(entete.colonnes.map((c) => c.toLowerCase()));
      const manquantes = format.colonnesObligatoires.filter((c) => !presentes.has(c.toLowerCase()));
      return manquantes.length
        ? [probleme('FICHIER_NON_CONFORME', 'entete', { format: format.nom, detail: `colonne(s) manquante(s) : ${manquantes.join(', ')}` })]
        : [];
    },
    async preparer(lignes, job) {
      const ctx = await contexteDe(job);
      const dejaVus = vus.get(job.id) ?? new LignesVues();
      vus.set(job.id, dejaVus);
      const sortie: ItemImport[] = [];
      for (const [i, { rang, brut }] of lignes.entries()) {
        await cederSiBesoin(i);
        const c = mapper(brut, ctx);
        // What the mapping could build, checked by the OPI use case (its hash also tells a repeated row).
        let prep: ItemImport['prep'];
        let refus: ErreurMetier | undefined;
        if (c.opi) {
          try {
            prep = await opi.preparer({ corps: c.opi }, { lectureAvant: false });
          } catch (err) {
            if (!(err instanceof ErreurMetier)) throw err;
            refus = err;
          }
        }
        const problemes = [...c.problemes];
        const code = (c.opi as { individu?: { codOpiIntEpo?: string } } | undefined)?.individu?.codOpiIntEpo;
        if (code && !opiAutorisee(code, ctx.prefixesOpi))
          problemes.push(probleme('OPI_HORS_PERIMETRE', 'individu.codOpiIntEpo', { codOpiIntEpo: code, prefixes: ctx.prefixesOpi!.join(', ') }));
        if (c.idPlateforme && c.opi) {
          const empreinte = prep?.empreinte ?? sha256(jsonStable(canoniserOpi(c.opi)));
          const avant = dejaVus.voir(c.idPlateforme, rang, empreinte);
          if (avant) {
            problemes.push(probleme(avant.identique ? 'LIGNE_EN_DOUBLE' : 'LIGNE_CONTRADICTOIRE', '', { candidat: c.idPlateforme, ligne: avant.rang }));
          }
        }
        // Every problem of the row in one pass: the mapping's, then those the schema and rules find on
        // what the mapping could build (one per column: a column the mapping already refused is not refused twice).
        const parColonne = problemes.map((p) => cheminEnColonne(p, c.colonnes));
        if (refus) {
          const deja = new Set(parColonne.map((p) => p.path));
          for (const x of refus.problemes) {
            const p = cheminEnColonne(x, c.colonnes);
            // A field the mapping could not fill (it already said why, on its column) is not refused again under the OPI's own name.
            const sansColonne = p.path === x.path && parColonne.length > 0;
            if (!deja.has(p.path) && !sansColonne) parColonne.push(p);
          }
        }
        sortie.push({ rang, problemes: parColonne, prep: parColonne.length ? undefined : prep });
      }
      return sortie;
    },
    async ecrire(d, prepares, job) {
      const valides = prepares.filter((x) => x.prep && !x.problemes.length);
      const ecrits = await opi.ecrirePlusieurs(
        valides.map((x) => x.prep!),
        d,
        { client: job.client },
      );
      const parItem = new Map(valides.map((x, i) => [x, ecrits[i]]));
      return prepares.map((x) => {
        const r = parItem.get(x);
        return r ? { rang: x.rang, statut: r.resultat } : { rang: x.rang, statut: 'REJETE' as const, problemes: x.problemes };
      });
    },
  };
}

/**
 * Rows of a pair of files joined on a key column (a Pégase `candidat` file and its `candidature` file on
 * `numero_candidat`): each row of the job's file gets, under `champ`, the rows of the other file with
 * the same key. The other file is read first into memory: one small record per row, not the file.
 */
export function sourceJointe(colonnesAnnexe: readonly string[], cle: string, champ: string): NonNullable<TypeJob['source']> {
  return async function* (job, lecteur, options) {
    const annexe = ((job.parametres ? JSON.parse(job.parametres) : {}) as ParametresImport).annexes?.[0];
    const parCle = new Map<string, Record<string, ValeurLue>[]>();
    if (annexe) {
      // Its own encoding and separator: detected on it, not taken from the job's file.
      for await (const l of lecteur.lireLignes(annexe, { format: 'csv', colonnes: colonnesAnnexe })) {
        const k = String(l.valeurs[cle] ?? '').trim();
        parCle.set(k, [...(parCle.get(k) ?? []), l.valeurs]);
      }
    }
    for await (const l of lecteur.lireLignes(job.fichier, options)) {
      const k = String(l.valeurs[cle] ?? '').trim();
      yield { ...l, valeurs: { ...l.valeurs, [champ]: (parCle.get(k) ?? []) as unknown as ValeurLue } };
    }
  };
}
