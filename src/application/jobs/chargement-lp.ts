/** Laissez-passer files (CSV, XLSX, JSON arrays): the job engine's first job type. */
import type { ServiceLp, LignePreparee } from '../laissez-passer';
import { identiteBrute } from '../laissez-passer';
import { cleLp } from '../../domain/lp/regles';
import { jsonStable, sha256 } from '../../domain/empreinte';
import { probleme } from '../../domain/errors';
import { LignesVues } from './lignes-vues';
import { COLONNES_FICHIER_LP } from '../champs';
import { cheminsSelonNomsRecus } from '../../domain/lp/regles';
import type { LigneLue } from '../ports';
import type { TypeJob } from './type-job';

export const TYPE_CHARGEMENT_LP = 'LP_CHARGEMENT';

/** A file row as an LP record: empty cells are absent; unknown extra cells are refused by the schema. */
export function valeursLp(l: LigneLue): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  const valeurs = l.valeurs;
  for (const k of Object.keys(valeurs)) {
    const x = valeurs[k];
    if (x !== null && x !== '') v[k] = typeof x === 'number' || typeof x === 'boolean' ? String(x) : x;
  }
  return v;
}

export function typeChargementLp(lp: ServiceLp): TypeJob<LignePreparee> {
  // Per job, the LPs already seen in its file: a repeated row is reported, not silently counted "unchanged".
  const vus = new Map<string, LignesVues>();
  return {
    type: TYPE_CHARGEMENT_LP,
    operation: 'lp.charger',
    journal: { ligne: 'lp.chargement.ligne', fin: 'lp.chargement.fin' },
    colonnes: COLONNES_FICHIER_LP,
    versCommande: valeursLp,
    identite: identiteBrute,
    preparer: async (lignes, job) => {
      const prepares = await lp.preparer(lignes);
      const dejaVus = vus.get(job.id) ?? new LignesVues();
      vus.set(job.id, dejaVus);
      for (const x of prepares) {
        if (!x.lp || x.problemes.length) continue;
        const cle = x.cle ?? cleLp(x.lp);
        const avant = dejaVus.voir(cle, x.rang, x.empreinte ?? sha256(jsonStable(x.lp)));
        if (avant)
          x.problemes.push(probleme(avant.identique ? 'LIGNE_EN_DOUBLE' : 'LIGNE_CONTRADICTOIRE', '', { candidat: cle.split('|')[0], ligne: avant.rang }));
      }
      return prepares;
    },
    oublier: (jobId) => {
      vus.delete(jobId);
    },
    ecrire: (d, prepares, job) => lp.ecrire(d, prepares, job.client, job.id, { ids: false }),
    // A header that names the column `numOPI` (even left empty on the row) gets `numOPI` in the paths.
    renommer: (problemes, _brut, valeurs) => cheminsSelonNomsRecus(problemes, valeurs),
  };
}
