/**
 * The candidates' personal data. Purge: the OPIs, LPs, PJ (rows and files) and kept payloads of
 * candidates with no IA for N campaigns; their journal rows stay, without who they were about.
 * Export: everything held about one person — OPI, vœux, LP, PJ list and files, IA, reminders, the
 * Parcoursup notifications about them, journal rows and the payloads kept for them — as one JSON
 * document and the files beside it.
 */
import { ErreurMetier } from '../domain/errors';
import { campagneLimitePurgeRgpd, finCampagne } from '../domain/retention';
import { lireCleIndividu } from '../domain/identifiers/individu';
import type { CoffreCharges, DepotConservationPort, DossierPersonne, StockageDocuments, UniteDeTravailPort } from './ports';
import type { DefinitionOperation } from './pipeline';
import type { ServiceConservation } from './conservation';
import type { Readable } from 'node:stream';

export interface RapportPurgeRgpd {
  le: string;
  simulation: boolean;
  campagnes: number;
  /** Candidates of this campaign and earlier were considered. */
  campagneLimite: string;
  opi: number;
  laissezPasser: number;
  pieces: number;
  fichiersPieces: number;
  /** Known once done (a person still named by a record that stays keeps their rows): null in a simulation. */
  lignesJournalAnonymisees: number | null;
  chargesSupprimees: number | null;
}

export interface ExportPersonne {
  individu: string;
  exporteLe: string;
  identifiants: { codOpiIntEpo: string[]; codEtu: string[]; ine: string[] };
  donnees: DossierPersonne & { journal: (Record<string, unknown> & { charge?: unknown })[] };
  /** The PJ files, as named in the zip. */
  fichiers: { nom: string; empreinte: string; taille: number | null }[];
}

const TAILLE = 200;
const COLONNES_JSON = ['donnees', 'calcul', 'details'];

/** JSON columns as objects, dates as ISO text: what a person can read. */
function lisible(l: Record<string, unknown>): Record<string, unknown> {
  const x: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(l)) {
    if (COLONNES_JSON.includes(k) && typeof v === 'string') {
      try {
        x[k] = JSON.parse(v);
        continue;
      } catch {
        /* kept as text */
      }
    }
    x[k] = v instanceof Date ? v.toISOString() : v;
  }
  return x;
}

export class ServiceRgpd {
  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly depot: DepotConservationPort,
    private readonly stockage: StockageDocuments,
    private readonly conservation: ServiceConservation,
    private readonly coffre?: CoffreCharges,
  ) {}

  async purger(o: { campagnes: number; simulation?: boolean; maintenant?: Date }): Promise<RapportPurgeRgpd> {
    if (!Number.isInteger(o.campagnes) || o.campagnes < 1 || o.campagnes > 50)
      throw ErreurMetier.une('PARAMETRE_INVALIDE', 'campagnes', { detail: 'campagnes : un nombre entier de campagnes, de 1 à 50' });
    const maintenant = o.maintenant ?? new Date();
    const simulation = o.simulation === true;
    const campagne = campagneLimitePurgeRgpd(maintenant, o.campagnes);
    const codes = await this.depot.opiSansInscription(campagne, finCampagne(campagne));
    const lps = await this.depot.lpSansInscription(campagne);
    const empreintes = await this.depot.empreintesPieces(codes);
    const individus = [...new Set([...codes.map((c) => `OPI:${c}`), ...lps.flatMap((l) => (l.individu ? [l.individu] : []))])];
    const rapport: RapportPurgeRgpd = {
      le: maintenant.toISOString(),
      simulation,
      campagnes: o.campagnes,
      campagneLimite: campagne,
      opi: codes.length,
      laissezPasser: lps.length,
      pieces: await this.depot.compterPieces(codes),
      fichiersPieces: empreintes.length,
      lignesJournalAnonymisees: null,
      chargesSupprimees: null,
    };
    if (simulation) return rapport;
    rapport.pieces = await this.depot.effacerPieces(codes, TAILLE);
    rapport.fichiersPieces = await this.conservation.supprimerFichiers(empreintes);
    rapport.opi = await this.depot.effacerOpi(codes, TAILLE);
    rapport.laissezPasser = await this.depot.effacerLp(
      lps.map((l) => l.id),
      TAILLE,
    );
    // A person still named by another record (a later LP, an IA) keeps their journal rows as they are.
    const partis: string[] = [];
    for (const i of individus) if (!(await this.depot.detenu(i))) partis.push(i);
    const j = await this.depot.anonymiserJournal(partis, TAILLE);
    rapport.lignesJournalAnonymisees = j.lignes;
    rapport.chargesSupprimees = j.charges;
    return rapport;
  }

  async exporter(saisie: string, maintenant = new Date()): Promise<ExportPersonne> {
    const individu = lireCleIndividu(saisie);
    if (!individu) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'individu', { detail: "individu : OPI:<numéro d'OPI>, ETU:<numéro étudiant> ou INE:<INE>" });
    const identifiants = await this.depot.identifiantsDe(individu);
    const d = await this.depot.rassembler(identifiants);
    const vide = !d.opi.length && !d.laissezPasser.length && !d.inscriptions.length && !d.pieces.length && !d.journal.length;
    if (vide) throw ErreurMetier.une('INDIVIDU_INTROUVABLE', 'individu');
    const journal = [];
    for (const l of d.journal) {
      const ligne: Record<string, unknown> = lisible(l);
      const scellee = this.coffre ? await this.unite.lecture.journal.lireCharge(Number(l.id)) : null;
      if (scellee && this.coffre?.connait(scellee.cle)) ligne.charge = JSON.parse(this.coffre.dechiffrer(scellee.cle, scellee.donnees));
      journal.push(ligne);
    }
    const fichiers = [
      ...d.pieces.map((p) => ({ nom: `pieces/${p.codOpiIntEpo}-${p.codTpj}-${p.nomFichier}`, empreinte: String(p.empreinte), taille: Number(p.taille) })),
      ...d.historiquePieces
        .filter((h) => !d.pieces.some((p) => p.empreinte === h.empreinte))
        .map((h) => ({ nom: `historique/${h.id}-${h.codOpiIntEpo}-${h.codTpj}-${h.nomFichier}`, empreinte: String(h.empreinte), taille: null })),
    ];
    const sur = (rows: Record<string, unknown>[]) => rows.map(lisible);
    return {
      individu,
      exporteLe: maintenant.toISOString(),
      identifiants,
      donnees: {
        opi: sur(d.opi),
        voeux: sur(d.voeux),
        doublons: sur(d.doublons),
        laissezPasser: sur(d.laissezPasser),
        inscriptions: sur(d.inscriptions),
        evenementsInscription: sur(d.evenementsInscription),
        pieces: sur(d.pieces),
        historiquePieces: sur(d.historiquePieces),
        relances: sur(d.relances),
        notifications: sur(d.notifications),
        journal,
      },
      fichiers,
    };
  }

  /** A file of the export, read from the document store (undefined when it is missing there). */
  async fichier(empreinte: string): Promise<Readable | undefined> {
    return (await this.stockage.existe(empreinte)) ? this.stockage.lire(empreinte) : undefined;
  }
}

export function operationsRgpd(s: ServiceRgpd) {
  const purger: DefinitionOperation<{ campagnes?: unknown; simulation?: unknown }, never, RapportPurgeRgpd> = {
    lire: (e) => s.purger({ campagnes: Number(e.campagnes), simulation: e.simulation === true || e.simulation === 'true' }),
    issue: (r) => ({ resultat: r.simulation ? 'SIMULATION' : 'PURGE' }),
  };
  const exporter: DefinitionOperation<{ individu?: unknown }, never, ExportPersonne> = {
    // The journal row of an export names whom it was about (it is itself part of what is held).
    individu: (e) => (typeof e.individu === 'string' ? lireCleIndividu(e.individu) : undefined),
    lire: (e) => s.exporter(typeof e.individu === 'string' ? e.individu : ''),
    issue: () => ({ resultat: 'EXPORTE' }),
  };
  return { purger, exporter };
}
