/**
 * Bulk replay: the kept messages a filter selects (code, door, operation, client, period, individual),
 * replayed one by one on the shared job engine — progress, counts, cancellation, resume after a crash
 * and the report of the replays still refused come from it. The set is fixed when the job is created
 * (rows up to the journal's last id then), so the job's own replays are never taken again. A
 * simulation replays each message in a rolled-back transaction: the same report, nothing written.
 */
import { ErreurMetier } from '../../domain/errors';
import type { ItemPrepare, ResultatLigne, StatutLigne } from '../../domain/lots';
import type { FiltreRejeu, UniteDeTravailPort } from '../ports';
import type { ServiceRejeu } from '../rejeu';
import type { TypeJob } from './type-job';

export const TYPE_REJEU = 'JOURNAL_REJEU';

/** The filter as the job keeps it (dates as ISO text). */
export type FiltreRejeuGarde = Omit<FiltreRejeu, 'depuis' | 'jusqua'> & { depuis?: string; jusqua?: string };

interface ItemRejeu extends ItemPrepare {
  resultat: ResultatLigne;
}

const PAGE = 500;

function statutDe(resultat: string): StatutLigne {
  return resultat === 'CREE' || resultat === 'INCHANGE' ? resultat : 'MIS_A_JOUR';
}

export function lireFiltreGarde(parametres: string | null): FiltreRejeu {
  const f = (parametres ? JSON.parse(parametres) : { jusquaId: 0 }) as FiltreRejeuGarde;
  return { ...f, depuis: f.depuis ? new Date(f.depuis) : undefined, jusqua: f.jusqua ? new Date(f.jusqua) : undefined };
}

export function typeRejeu(unite: UniteDeTravailPort, rejeu: ServiceRejeu): TypeJob<ItemRejeu> {
  return {
    type: TYPE_REJEU,
    operation: 'journal.rejouerEnMasse',
    journal: { ligne: 'journal.rejeu.ligne', fin: 'journal.rejeu.fin' },
    // A replay that is refused again has its own journal row already (linked by `rejeuDe`).
    rejetsDejaJournalises: true,
    colonnes: ['journalId'],
    versCommande: (l) => Number(l.valeurs.journalId),
    identite: (id) => ({ cle: String(id) }),
    async *source(job, _lecteur, options) {
      const filtre = lireFiltreGarde(job.parametres);
      let apres = 0;
      let rang = 0;
      for (;;) {
        const ids = await unite.lecture.journal.idsRejouables(filtre, apres, PAGE);
        for (const id of ids) {
          rang++;
          if (rang > (options.sauter ?? 0)) yield { numLigne: rang, valeurs: { journalId: id } };
        }
        if (ids.length < PAGE) return;
        apres = ids[ids.length - 1];
      }
    },
    async preparer(lignes, job) {
      const { forcer } = lireFiltreGarde(job.parametres);
      const sortie: ItemRejeu[] = [];
      for (const { rang, brut } of lignes) {
        try {
          const r = await rejeu.rejouer(Number(brut), { forcer, simulation: job.simulation === 1 }, { requestId: job.requestId });
          const refuse = r.rejeu.statut >= 400;
          sortie.push({
            rang,
            problemes: [],
            resultat: refuse ? { rang, statut: 'REJETE', problemes: r.rejeu.problemes ?? [] } : { rang, statut: statutDe(r.rejeu.resultat) },
          });
        } catch (err) {
          if (!(err instanceof ErreurMetier)) throw err;
          sortie.push({ rang, problemes: err.problemes, resultat: { rang, statut: 'REJETE', problemes: err.problemes } });
        }
      }
      return sortie;
    },
    // Each replay went through the pipeline in its own transaction: nothing is left to write here.
    ecrire: async (_d, prepares) => prepares.map((p) => p.resultat),
  };
}
