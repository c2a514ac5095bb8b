/**
 * One admitted Parcoursup candidate into the OPI pipeline: the one path of the push door
 * (`POST /api/v1/parcoursup/admissionCandidat`) and of the scheduled pull (`getCandidatsAdmis`).
 * The candidate is mapped (src/adapters/platforms/parcoursup.ts), then written by the operation
 * `opi.enregistrer` like any OPI (schema, rules, duplicates, journal row in the write's transaction).
 * A mapping refusal is journaled under the same operation, with the OPI number when it is known, so
 * that `GET /api/v1/journal?cle=P26…` shows every push of a candidate, accepted or not. Never throws.
 */
import type { ResultatUpsertOpi } from '../../application/opi';
import type { ContexteAppel, Pipeline } from '../../application/pipeline';
import { aujourdhuiParis, anneeCampagne } from '../../application/horloge';
import { cheminEnColonne } from '../../application/jobs/import-opi';
import { ErreurMetier } from '../../domain/errors';
import { cleIndividu } from '../../domain/identifiers/individu';
import type { Catalogue } from '../../domain/nomenclatures';
import { candidatParcoursup, donneesCandidat } from './parcoursup';

export interface DependancesAdmission {
  pipeline: Pipeline;
  nomenclatures: { catalogue(): Promise<Catalogue> };
  /** CAMPAGNE_COD_ANU when the establishment pins it (the campaign's two digits are in the OPI number). */
  anneeCampagne?: string;
}

export type IssueAdmission =
  | { ok: true; resultat: ResultatUpsertOpi }
  | {
      ok: false;
      erreur: ErreurMetier;
      /** The OPI number, when the candidate number was readable. */
      codOpiIntEpo?: string;
      /** Canonical path → Parcoursup field, to name the problems by the fields Parcoursup sent. */
      colonnes: Record<string, string>;
    };

const OPERATION = 'opi.enregistrer';

/** Maps the candidate and writes its OPI; a refusal is journaled once (by the pipeline, or here for a mapping refusal). */
export async function enregistrerAdmission(deps: DependancesAdmission, ctx: ContexteAppel, json: unknown): Promise<IssueAdmission> {
  let colonnes: Record<string, string> = {};
  let codOpiIntEpo: string | undefined;
  try {
    const catalogue = await deps.nomenclatures.catalogue();
    const m = candidatParcoursup(json, { catalogue, codAnu: anneeCampagne(aujourdhuiParis(), deps.anneeCampagne) });
    colonnes = m.colonnes;
    codOpiIntEpo = (m.opi as { individu?: { codOpiIntEpo?: string } } | undefined)?.individu?.codOpiIntEpo;
    if (m.problemes.length || !m.opi) {
      const erreur = new ErreurMetier(m.problemes);
      await deps.pipeline.refuser(ctx, OPERATION, erreur, { charge: donneesCandidat(json), cle: codOpiIntEpo, individu: cleIndividu({ codOpiIntEpo }) });
      return { ok: false, erreur, codOpiIntEpo, colonnes };
    }
    const x = await deps.pipeline.executer<ResultatUpsertOpi>(ctx, OPERATION, { corps: m.opi });
    return { ok: true, resultat: x.valeur! };
  } catch (err) {
    // The pipeline journaled its own refusals; anything before it (the nomenclatures unreadable) is journaled here.
    const erreur = deps.pipeline.traduire(err, ctx, OPERATION);
    await deps.pipeline.refuser(ctx, OPERATION, erreur, { cle: codOpiIntEpo, individu: cleIndividu({ codOpiIntEpo }) });
    return { ok: false, erreur, codOpiIntEpo, colonnes };
  }
}

const ISSUES: Record<string, string> = { CREE: 'créée', MIS_A_JOUR: 'mise à jour', INCHANGE: 'inchangée' };

/** `OPI P261234567 créée` (then the warnings: possible duplicates, INES unavailable). */
export function messageAdmission(r: ResultatUpsertOpi): string {
  const avertissements = r.avertissements.map((p) => `${p.code} ${p.message}`).join(' ; ');
  return `OPI ${r.codOpiIntEpo} ${ISSUES[r.resultat] ?? r.resultat}${avertissements ? ` ; avertissement(s) : ${avertissements}` : ''}`;
}

/** `OPI P261234580 refusée : CODE [champ Parcoursup] message ; …` — each problem named by the field Parcoursup sent. */
export function messageRefus(erreur: ErreurMetier, colonnes: Record<string, string> = {}, codOpiIntEpo?: string): string {
  // The catalogue's own `CODE [champ] message ; …` rendering, on the Parcoursup names.
  const raisons = new ErreurMetier(erreur.problemes.map((p) => cheminEnColonne(p, colonnes))).message;
  return `${codOpiIntEpo ? `OPI ${codOpiIntEpo} refusée` : 'Refusé'} : ${raisons}`;
}
