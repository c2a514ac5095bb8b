/**
 * Retention: each kind of data is kept for its configured time, then a scheduled purge (one node at a
 * time, under the lease `conservation`) deletes it in small batches and reports what it removed.
 * Kept payloads and the PJ of candidates who did not enrol are counted from the end of their
 * campaign; journal metadata, rejected rows of bulk jobs and idempotency records from when they were
 * written; uploaded job files by the job engine's own retention.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../observability/logger';
import { derniereCampagnePurgeable, finCampagne, limiteRetention } from '../domain/retention';
import type { DepotConservationPort, NatureConservee, StockageDocuments, UniteDeTravailPort } from './ports';
import type { DefinitionOperation } from './pipeline';

export interface DureesConservation {
  /** Days after the end of their campaign. */
  chargesJours: number;
  journalJours: number;
  rejetsJours: number;
  idempotenceJours: number;
  /** Days after the end of their campaign, for OPIs with no IA. */
  pjSansInscriptionJours: number;
}

export const DUREES_PAR_DEFAUT: DureesConservation = {
  chargesJours: 90,
  journalJours: 5 * 365 + 1,
  rejetsJours: 365,
  idempotenceJours: 30,
  pjSansInscriptionJours: 90,
};

export interface RapportConservation {
  le: string;
  simulation: boolean;
  /** For each kind, the instant before which it goes (or the campaign, for the PJ). */
  limites: Record<NatureConservee, string> & { pjSansInscription: string | null };
  supprimes: Record<NatureConservee, number> & { fichiersJobs: number | null; piecesSansInscription: number; fichiersPieces: number };
  dureeMs: number;
}

const VERROU = 'conservation';
const TAILLE = 500;
const DEPUIS: Record<NatureConservee, 'fin-de-campagne' | 'ecriture'> = {
  charges: 'fin-de-campagne',
  journal: 'ecriture',
  rejets: 'ecriture',
  idempotence: 'ecriture',
};

export class ServiceConservation {
  private readonly moi = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private minuterie?: NodeJS.Timeout;

  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly depot: DepotConservationPort,
    private readonly stockage: StockageDocuments,
    readonly durees: DureesConservation,
    private readonly logger: Logger,
    /** The job engine's sweep of uploaded files (its own retention). */
    private readonly nettoyerFichiersJobs?: (maintenant: Date) => Promise<number>,
  ) {}

  async purger(o: { simulation?: boolean; maintenant?: Date } = {}): Promise<RapportConservation> {
    const debut = Date.now();
    const maintenant = o.maintenant ?? new Date();
    const simulation = o.simulation === true;
    const jours: Record<NatureConservee, number> = {
      charges: this.durees.chargesJours,
      journal: this.durees.journalJours,
      rejets: this.durees.rejetsJours,
      idempotence: this.durees.idempotenceJours,
    };
    const limites = {} as RapportConservation['limites'];
    const supprimes = {} as RapportConservation['supprimes'];
    for (const nature of Object.keys(jours) as NatureConservee[]) {
      const avant = limiteRetention(maintenant, jours[nature], DEPUIS[nature]);
      limites[nature] = avant.toISOString();
      supprimes[nature] = await this.depot.purgerAvant(nature, avant, { simulation, taille: TAILLE });
    }
    // PJ of OPIs whose campaign ended long enough ago and that led to no IA: rows, then the files no row still names.
    const campagne = derniereCampagnePurgeable(maintenant, this.durees.pjSansInscriptionJours);
    limites.pjSansInscription = campagne ?? null;
    const codes = campagne ? await this.depot.opiSansInscription(campagne, finCampagne(campagne)) : [];
    const empreintes = await this.depot.empreintesPieces(codes);
    if (simulation) {
      supprimes.piecesSansInscription = await this.depot.compterPieces(codes);
      supprimes.fichiersPieces = empreintes.length;
      supprimes.fichiersJobs = null;
    } else {
      supprimes.piecesSansInscription = await this.depot.effacerPieces(codes, TAILLE);
      supprimes.fichiersPieces = await this.supprimerFichiers(empreintes);
      supprimes.fichiersJobs = this.nettoyerFichiersJobs ? await this.nettoyerFichiersJobs(maintenant) : null;
    }
    const rapport = { le: maintenant.toISOString(), simulation, limites, supprimes, dureeMs: Date.now() - debut };
    this.logger.info(simulation ? 'conservation : simulation de purge' : 'conservation : purge', { ...supprimes });
    return rapport;
  }

  /** The files of these addresses that no PJ row names any more; returns how many went. */
  async supprimerFichiers(empreintes: string[]): Promise<number> {
    const orphelines = await this.depot.empreintesOrphelines(empreintes);
    for (const e of orphelines) await this.stockage.supprimer(e);
    return orphelines.length;
  }

  /** Runs `tache` (the journaled purge) every `intervalleMs` on whichever node takes the lease first. */
  demarrer(tache: () => Promise<unknown>, intervalleMs: number): void {
    const tour = async () => {
      const maintenant = new Date();
      const pris = await this.unite.executer((d) => d.verrous.prendre(VERROU, this.moi, new Date(maintenant.getTime() + intervalleMs / 2), maintenant));
      if (!pris) return;
      await tache();
    };
    this.minuterie = setInterval(() => {
      tour().catch((err) => this.logger.error('conservation : purge en échec', { err: String(err) }));
    }, intervalleMs);
    this.minuterie.unref();
  }

  arreter(): void {
    if (this.minuterie) clearInterval(this.minuterie);
  }
}

export function operationConservation(s: ServiceConservation): DefinitionOperation<{ simulation?: unknown }, never, RapportConservation> {
  return {
    lire: (e) => s.purger({ simulation: e.simulation === true || e.simulation === 'true' }),
    issue: (r) => ({ resultat: r.simulation ? 'SIMULATION' : 'PURGE' }),
  };
}
