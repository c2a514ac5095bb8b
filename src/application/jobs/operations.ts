/** The job operations as the pipeline runs them: accept a file, read, list, report, cancel. */
import type { DefinitionOperation } from '../pipeline';
import type { EtatJob, JobPrepare, MoteurJobs, OptionsJob } from './moteur';
import type { RejetLigne } from '../enregistrements';
import { ErreurMetier } from '../../domain/errors';
import { typeDeFormat } from './import-opi';

export interface EntreeChargement {
  /** The uploaded file, already on disk. */
  fichier: string;
  options: OptionsJob;
}

export function operationsJobs(moteur: MoteurJobs) {
  const charger = (type: string): DefinitionOperation<EntreeChargement, JobPrepare, EtatJob> => ({
    cle: (_e, r) => r?.id,
    preparer: (e, ctx) => moteur.preparer(type, e.fichier, e.options, ctx),
    ecrire: (p, d) => moteur.enregistrer(d, p),
    apresCommit: (_r, p) => moteur.lancer(p),
    issue: (r) => ({ resultat: r.simulation ? 'SIMULATION' : 'ACCEPTE' }),
    statut: () => 202,
  });
  const lire: DefinitionOperation<string, never, EtatJob> = { cle: (id) => id, lire: (id) => moteur.etat(id) };
  const lister: DefinitionOperation<Record<string, string | undefined>, never, { jobs: EtatJob[]; suivant: string | null }> = { lire: (q) => moteur.lister(q) };
  const rejets: DefinitionOperation<{ id: string; apres: number; limite: number }, never, RejetLigne[]> = {
    cle: (e) => e.id,
    lire: (e) => moteur.rejets(e.id, e.apres, e.limite),
  };
  const annuler: DefinitionOperation<string, string, Awaited<ReturnType<MoteurJobs['annuler']>>> = {
    cle: (id) => id,
    ecrire: (id, d) => moteur.annuler(d, id),
    issue: (r) => ({ resultat: r.resultat }),
    statut: (r) => (r.resultat === 'ANNULE' ? 200 : 202),
  };
  /** A platform file: the job type is the one of its format (`parcoursup-csv`, `pegase`…). */
  const importer = (formats: readonly string[]): DefinitionOperation<EntreeChargement & { format: string }, JobPrepare, EtatJob> => ({
    ...charger(''),
    preparer: (e, ctx) => {
      if (!formats.includes(e.format)) {
        return Promise.reject(ErreurMetier.une('FORMAT_IMPORT_INCONNU', 'format', { format: e.format || 'absent', formats: formats.join(', ') }));
      }
      // A client bound to prefixes imports only its own OPI numbers: the job keeps them, each row is checked.
      const options =
        ctx.prefixesOpi && !ctx.portees?.has('admin')
          ? { ...e.options, parametres: { ...(e.options.parametres as object | undefined), prefixesOpi: ctx.prefixesOpi } }
          : e.options;
      return moteur.preparer(typeDeFormat(e.format), e.fichier, options, ctx);
    },
  });
  return { charger, importer, lire, lister, rejets, annuler };
}
