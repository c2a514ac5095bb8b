/**
 * Lists of records sent at once (a SOAP or REST list, the rows of a file): outcome per item, the
 * all-or-nothing rule and the counts, one home for every door and for the job engine.
 */
import { ErreurMetier, type Probleme } from './errors';

export type ModeLot = 'partiel' | 'tout-ou-rien';
export type StatutLigne = 'CREE' | 'MIS_A_JOUR' | 'INCHANGE' | 'REJETE' | 'NON_ECRIT';

/** `mode` of a list or a file: partial (default) or all-or-nothing, in English or French. */
export function lireMode(brut: unknown): ModeLot {
  const m = String(brut ?? 'partial').toLowerCase();
  if (['partial', 'partiel'].includes(m)) return 'partiel';
  if (['all-or-nothing', 'tout-ou-rien'].includes(m)) return 'tout-ou-rien';
  throw ErreurMetier.une('PARAMETRE_INVALIDE', 'mode', { detail: 'mode : partial (défaut) ou all-or-nothing' });
}

export interface ResultatLigne {
  /** Position given by the caller (1-based rank, or the file's row number). */
  rang: number;
  statut: StatutLigne;
  id?: number;
  problemes?: Probleme[];
}

/** An item after its checks: problems found, or ready to write. */
export interface ItemPrepare {
  rang: number;
  problemes: Probleme[];
}

/**
 * All-or-nothing: when one item is bad, nothing is written — the bad ones come back REJETE, the good
 * ones NON_ECRIT. Undefined when every item is good (then they are all written).
 */
export function refusToutOuRien(items: ItemPrepare[]): ResultatLigne[] | undefined {
  if (!items.some((x) => x.problemes.length)) return undefined;
  return items.map((x) =>
    x.problemes.length ? { rang: x.rang, statut: 'REJETE' as const, problemes: x.problemes } : { rang: x.rang, statut: 'NON_ECRIT' as const },
  );
}

/** What a list of results adds up to: counts by outcome, and the journal's outcome of the whole call. */
export interface BilanListe {
  creees: number;
  misesAJour: number;
  inchangees: number;
  rejetees: number;
  /** All-or-nothing refused the list: valid items came back NON_ECRIT. */
  toutOuRienAnnule: boolean;
  resultat: 'REJETE' | 'PARTIEL' | 'TRAITE';
}

export function bilanListe(r: ResultatLigne[]): BilanListe {
  const n = (s: StatutLigne) => r.filter((x) => x.statut === s).length;
  const toutOuRienAnnule = r.some((x) => x.statut === 'NON_ECRIT');
  const rejetees = n('REJETE');
  return {
    creees: n('CREE'),
    misesAJour: n('MIS_A_JOUR'),
    inchangees: n('INCHANGE'),
    rejetees,
    toutOuRienAnnule,
    resultat: toutOuRienAnnule ? 'REJETE' : rejetees ? 'PARTIEL' : 'TRAITE',
  };
}
