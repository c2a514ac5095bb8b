/** The import formats the gateway knows, for the composition root, the REST door and the CLI. */
import type { FormatImport } from '../../application/ports';
import { FORMAT_PARCOURSUP_CSV } from './parcoursup';
import { FORMAT_EEF_CSV } from './etudes-en-france';
import { COLONNES_CANDIDATURE, FORMAT_PEGASE, FORMAT_PEGASE_INSCRIPTION } from './pegase';
import type { PairesImport } from '../batch/fichiers-import';

export const FORMATS_IMPORT: readonly FormatImport[] = [FORMAT_PARCOURSUP_CSV, FORMAT_EEF_CSV, FORMAT_PEGASE, FORMAT_PEGASE_INSCRIPTION];

/** Formats sent as two files, told apart by their names (eCandidat writes `candidat-AAAAMMJJ.csv` and `candidature-AAAAMMJJ.csv`). */
export const PAIRES_IMPORT: PairesImport = { pegase: { principal: /^candidat(?!ure)[^/]*\.csv$/i, annexe: /^candidature[^/]*\.csv$/i } };

/** The Pégase pair is read joined: each `candidat` row with its `candidature` rows, under `__candidatures`. */
export const JOINTURES_IMPORT: Record<string, { colonnes: readonly string[]; cle: string; champ: string }> = {
  pegase: { colonnes: COLONNES_CANDIDATURE, cle: 'numero_candidat', champ: '__candidatures' },
};
