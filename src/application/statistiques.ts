/**
 * The campaign dashboard's figures: records received per day and per door and platform, inscriptions
 * by state, supporting documents by state and those still owed, and the rejects by the classes that
 * cost most (boursiers, profil, INE/INES, CVEC, doublons…). Read-only, for `statistiques:lire`.
 */
import { CLASSES_REJETS, LIBELLES_CLASSES, compterParClasse, type ClasseRejet } from '../domain/classes-rejets';
import { anneeCampagne } from '../domain/campagne';
import { ErreurMetier } from '../domain/errors';
import { aujourdhuiParis } from './horloge';
import type { DepotStatistiquesPort } from './ports';
import type { DefinitionOperation } from './pipeline';
import type { ConsultationPieces } from './pieces-consultation';

export interface Statistiques {
  codAnu: string;
  depuis: string;
  recusParJour: { jour: string; porte: string; client: string; n: number }[];
  inscriptionsParEtat: { etat: string; n: number }[];
  piecesParStatut: { statut: string; n: number }[];
  /** OPIs (all campaigns) that still owe at least one document, and how many documents in all. */
  piecesDues: { individus: number; pieces: number };
  rejetsParClasse: { classe: ClasseRejet; libelle: string; n: number }[];
}

/** Documents still owed: every OPI, page by page (kept five minutes: a dashboard is looked at often). */
function piecesDuesEnCache(pieces: Pick<ConsultationPieces, 'enAttente'>): () => Promise<{ individus: number; pieces: number }> {
  let cache: { jusqua: number; valeur: Promise<{ individus: number; pieces: number }> } | undefined;
  return () => {
    if (cache && cache.jusqua > Date.now()) return cache.valeur;
    const valeur = (async () => {
      let individus = 0;
      let dues = 0;
      for (let apres: number | null = 0; apres !== null; ) {
        const page: Awaited<ReturnType<ConsultationPieces['enAttente']>> = await pieces.enAttente({ apres: String(apres), limite: '500' });
        individus += page.individus.length;
        dues += page.individus.reduce((n, i) => n + i.manquantes.length, 0);
        apres = page.suivant;
      }
      return { individus, pieces: dues };
    })();
    cache = { jusqua: Date.now() + 5 * 60_000, valeur };
    valeur.catch(() => {
      cache = undefined;
    });
    return valeur;
  };
}

export function operationStatistiques(
  depot: DepotStatistiquesPort,
  pieces: Pick<ConsultationPieces, 'enAttente'>,
): DefinitionOperation<Record<string, string | undefined>, never, Statistiques> {
  const piecesDues = piecesDuesEnCache(pieces);
  return {
    lire: async (q) => {
      const jours = q.jours === undefined ? 30 : Number(q.jours);
      if (!Number.isInteger(jours) || jours < 1 || jours > 366) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'jours', { detail: 'jours : de 1 à 366' });
      const codAnu = q.codAnu ?? anneeCampagne(aujourdhuiParis());
      if (!/^\d{4}$/.test(codAnu)) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'codAnu', { detail: 'codAnu : une année sur 4 chiffres' });
      const depuis = new Date(Date.now() - jours * 86_400_000);
      const parClasse = compterParClasse(await depot.rejetsParCodes(depuis));
      return {
        codAnu,
        depuis: depuis.toISOString(),
        recusParJour: await depot.recusParJour(depuis),
        inscriptionsParEtat: await depot.inscriptionsParEtat(codAnu),
        piecesParStatut: await depot.piecesParStatut(),
        piecesDues: await piecesDues(),
        rejetsParClasse: CLASSES_REJETS.map((classe) => ({ classe, libelle: LIBELLES_CLASSES[classe], n: parClasse[classe] })),
      };
    },
  };
}
