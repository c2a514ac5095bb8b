/** Laissez-passer files (CSV, XLSX, JSON arrays): the job engine's first job type. */
import type { ServiceLp, LignePreparee } from '../laissez-passer';
import { identiteBrute } from '../laissez-passer';
import { COLONNES_FICHIER_LP } from '../champs';
import { cheminsSelonNomsRecus } from '../../domain/lp/regles';
import type { LigneLue } from '../ports';
import type { TypeJob } from './type-job';

export const TYPE_CHARGEMENT_LP = 'LP_CHARGEMENT';

/** A file row as an LP record: empty cells are absent; unknown extra cells are refused by the schema. */
export function valeursLp(l: LigneLue): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(l.valeurs)) if (x !== null && x !== '') v[k] = typeof x === 'number' || typeof x === 'boolean' ? String(x) : x;
  return v;
}

export function typeChargementLp(lp: ServiceLp): TypeJob<LignePreparee> {
  return {
    type: TYPE_CHARGEMENT_LP,
    operation: 'lp.charger',
    journal: { ligne: 'lp.chargement.ligne', fin: 'lp.chargement.fin' },
    colonnes: COLONNES_FICHIER_LP,
    versCommande: valeursLp,
    identite: identiteBrute,
    preparer: (lignes) => lp.preparer(lignes),
    ecrire: (d, prepares, job) => lp.ecrire(d, prepares, job.client, job.id, { ids: false }),
    // A header that names the column `numOPI` (even left empty on the row) gets `numOPI` in the paths.
    renommer: (problemes, _brut, valeurs) => cheminsSelonNomsRecus(problemes, valeurs),
  };
}
