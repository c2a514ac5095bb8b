/** Reading the audit journal: filters, cursor, and the individual's key in one format for every door. */
import { ErreurMetier } from '../domain/errors';
import { lireCleIndividu } from '../domain/identifiers/individu';
import { lireLimite } from './pagination';
import type { UniteDeTravailPort } from './ports';
import type { DefinitionOperation } from './pipeline';
import type { RefusAgreges } from './refus-agreges';
import type { JournalLigne } from './enregistrements';

/** The journal row of an administrative action (a client or account changed, a session opened): who, what, on whom. */
export function ligneAdministration(
  porte: 'CLI' | 'REST',
  operation: string,
  auteur: string,
  cle: string,
  requestId: string,
  details?: object,
): Omit<JournalLigne, 'id'> {
  return {
    recuLe: new Date(),
    porte,
    operation,
    client: auteur.slice(0, 100),
    requestId,
    cle: cle.slice(0, 100),
    individu: null,
    nombre: 1,
    empreinte: null,
    resultat: 'OK',
    statut: 200,
    codes: null,
    dureeMs: 0,
    details: details ? JSON.stringify(details) : null,
  };
}

export interface EntreeJournalLue {
  id: number;
  recuLe: string;
  porte: string;
  operation: string;
  client: string;
  requestId: string;
  cle: string | null;
  individu: string | null;
  empreinte: string | null;
  resultat: string;
  statut: number;
  codes: string[];
  dureeMs: number;
  nombre: number;
  details?: unknown;
  rejeuDe?: number | null;
  /** Its payload is kept: it can be replayed (POST /api/v1/journal/{id}/rejouer). */
  rejouable: boolean;
}

function date(v: string | undefined, champ: string): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw ErreurMetier.une('PARAMETRE_INVALIDE', champ, { detail: `${champ} : date ou date-heure ISO attendue` });
  return d;
}

export function operationJournal(
  unite: UniteDeTravailPort,
  refus: RefusAgreges,
): DefinitionOperation<Record<string, string | undefined>, never, { entrees: EntreeJournalLue[]; suivant: number | null }> {
  return {
    lire: async (q) => {
      const limite = lireLimite(q.limite, 100, 1000);
      const entierOuRien = (nom: 'avant' | 'rejeuDe') => {
        const v = q[nom] === undefined ? undefined : Number(q[nom]);
        if (v !== undefined && !Number.isInteger(v)) throw ErreurMetier.une('PARAMETRE_INVALIDE', nom, { detail: `${nom} : un identifiant entier` });
        return v;
      };
      const avant = entierOuRien('avant');
      const rejeuDe = entierOuRien('rejeuDe');
      let individu: string | undefined;
      if (q.individu !== undefined) {
        individu = lireCleIndividu(q.individu);
        if (!individu)
          throw ErreurMetier.une('PARAMETRE_INVALIDE', 'individu', { detail: "individu : OPI:<numéro d'OPI>, ETU:<numéro étudiant> ou INE:<INE>" });
      }
      // What was counted of the refusals before authentication is written before it is read.
      await refus.vider();
      const entrees = await unite.lecture.journal.lire({
        depuis: date(q.depuis, 'depuis'),
        jusqua: date(q.jusqua, 'jusqua'),
        porte: q.porte?.toUpperCase(),
        operation: q.operation,
        client: q.client,
        cle: q.cle === undefined ? undefined : [...new Set([q.cle, q.cle.toUpperCase()])],
        individu,
        resultat: q.resultat?.toUpperCase(),
        requestId: q.requestId,
        rejeuDe,
        code: q.code?.trim().toUpperCase() || undefined,
        avant,
        limite,
      });
      const gardees = await unite.lecture.journal.chargesGardees(entrees.map((e) => e.id));
      const lignes = entrees.map((e) => ({
        ...e,
        rejouable: gardees.has(e.id),
        recuLe: new Date(e.recuLe).toISOString(),
        codes: e.codes ? e.codes.split(',') : [],
        details: e.details ? JSON.parse(e.details) : undefined,
      }));
      return { entrees: lignes, suivant: entrees.length === limite ? entrees[entrees.length - 1].id : null };
    },
  };
}
