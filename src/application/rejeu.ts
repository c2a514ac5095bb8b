/**
 * Replay: a kept message run again through today's pipeline, as the client that sent it, after a fix
 * on the gateway's side (a nomenclature loaded late, a correspondence added). The answer puts the new
 * outcome beside the old one and, for a write, what the stored record became. The new journal row
 * links to the original (`rejeuDe`); a message is replayed once unless forced. A simulation rolls the
 * write back and writes nothing, not even a journal row.
 */
import { ErreurMetier, type Probleme } from '../domain/errors';
import { difference, type Changement } from '../domain/difference';
import { identiteBrute } from './laissez-passer';
import type { ContexteAppel, DefinitionOperation, Pipeline, Porte } from './pipeline';
import { lireCleIndividu } from '../domain/identifiers/individu';
import type { EtatJob, JobPrepare, MoteurJobs } from './jobs/moteur';
import { TYPE_REJEU, lireFiltreGarde, type FiltreRejeuGarde } from './jobs/rejeu-journal';
import type { UniteDeTravailPort } from './ports';
import type { JournalLigne } from './enregistrements';
import { OPERATIONS, estOperation, type NomOperation } from './registre';
import type { Identite } from './identites';

export interface IssueRejeu {
  /** The journal row of the replay (none for a simulation). */
  journalId: number | null;
  resultat: string;
  statut: number;
  codes: string[];
  problemes?: Probleme[];
}

export interface ReponseRejeu {
  original: { id: number; recuLe: string; porte: string; operation: string; client: string; resultat: string; statut: number; codes: string[] };
  rejeu: IssueRejeu & { simulation: boolean };
  /** Fields of the stored record that the replay changed (null: not a record the gateway can read back, or a simulation). */
  difference: Changement[] | null;
}

/** Fields that change with every write and say nothing of the content. */
const VOLATILS = new Set(['version', 'modifieLe', 'creeLe', 'empreinte']);

type Entree = { corps?: { individu?: { codOpiIntEpo?: string } }; codOpiIntEpo?: string; id?: unknown };

export class ServiceRejeu {
  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly pipeline: Pipeline,
    private readonly identites?: { identiteDe(nom: string): Promise<Identite | undefined> },
  ) {}

  get disponible(): boolean {
    return this.pipeline.coffre !== undefined;
  }

  /** The kept input of row `id`, and the operation to run it through; refused with a code when there is none. */
  private async charge(id: number, forcer: boolean): Promise<{ ligne: JournalLigne; nom: NomOperation; entree: unknown }> {
    const coffre = this.pipeline.coffre;
    if (!coffre) throw ErreurMetier.une('REJEU_INDISPONIBLE');
    const ligne = await this.unite.lecture.journal.lireUne(id);
    if (!ligne) throw ErreurMetier.une('JOURNAL_INTROUVABLE', 'id', { id });
    const nom = ligne.operation;
    const scellee = estOperation(nom) && 'rejouable' in OPERATIONS[nom] ? await this.unite.lecture.journal.lireCharge(id) : null;
    if (!scellee || !estOperation(nom)) throw ErreurMetier.une('CHARGE_NON_GARDEE', 'id', { id, operation: nom });
    if (!coffre.connait(scellee.cle)) throw ErreurMetier.une('CLE_JOURNAL_INCONNUE', 'id', { id, cle: scellee.cle });
    if (!forcer) {
      const rejeux = await this.unite.lecture.journal.rejeuxDe(id);
      if (rejeux.length) throw ErreurMetier.une('DEJA_REJOUE', 'id', { id, rejeux: rejeux.join(', ') });
    }
    return { ligne, nom, entree: JSON.parse(coffre.dechiffrer(scellee.cle, scellee.donnees)) };
  }

  async rejouer(id: number, o: { forcer?: boolean; simulation?: boolean }, appelant: Pick<ContexteAppel, 'requestId'>): Promise<ReponseRejeu> {
    const { ligne, nom, entree } = await this.charge(id, o.forcer === true || o.simulation === true);
    const identite = await this.identites?.identiteDe(ligne.client);
    const ctx: ContexteAppel = {
      porte: ligne.porte as Porte,
      client: ligne.client,
      portees: identite?.portees,
      prefixesOpi: identite?.prefixesOpi,
      requestId: appelant.requestId,
      rejeuDe: id,
    };
    const avant = o.simulation ? undefined : await this.etat(nom, entree, undefined, ctx);
    let issue: IssueRejeu;
    let valeur: unknown;
    try {
      const x = await this.pipeline.executer(ctx, nom, entree, { simulation: o.simulation });
      valeur = x.valeur;
      issue = { journalId: x.journalId ?? null, statut: x.statut, ...this.pipeline.issueDe(nom, x.valeur) };
    } catch (err) {
      if (!(err instanceof ErreurMetier)) throw err;
      issue = {
        journalId: this.pipeline.ligneDuRefus(err) ?? null,
        resultat: err.status >= 500 ? 'ERREUR' : 'REJETE',
        statut: err.status,
        codes: [...new Set(err.problemes.map((p) => p.code))],
        problemes: err.problemes,
      };
    }
    const apres = o.simulation || avant === undefined ? undefined : await this.etat(nom, entree, valeur, ctx);
    return {
      original: {
        id: ligne.id,
        recuLe: new Date(ligne.recuLe).toISOString(),
        porte: ligne.porte,
        operation: ligne.operation,
        client: ligne.client,
        resultat: ligne.resultat,
        statut: ligne.statut,
        codes: ligne.codes ? ligne.codes.split(',') : [],
      },
      rejeu: { ...issue, simulation: o.simulation === true },
      difference: avant === undefined || apres === undefined ? null : difference(avant, apres, VOLATILS),
    };
  }

  /** The stored record a write of `nom` concerns, as the gateway reads it (null: none yet); undefined: not readable. */
  private async etat(nom: NomOperation, entree: unknown, resultat: unknown, ctx: ContexteAppel): Promise<unknown> {
    const e = (entree ?? {}) as Entree;
    switch (nom) {
      case 'opi.enregistrer': {
        const code = e.codOpiIntEpo ?? e.corps?.individu?.codOpiIntEpo;
        return code ? this.pipeline.lireDirect('opi.lire', code, ctx) : undefined;
      }
      case 'lp.enregistrer': {
        const cle = identiteBrute(entree).cle;
        const trouve = cle ? (await this.unite.lecture.lp.parCles([cle])).get(cle) : undefined;
        const id = trouve?.id ?? (resultat as { id?: number } | undefined)?.id;
        return id ? this.pipeline.lireDirect('lp.lire', id, ctx) : null;
      }
      case 'ia.payer':
      case 'ia.valider':
      case 'ia.annuler':
        return this.pipeline.lireDirect('ia.lire', e.id, ctx);
      default:
        return undefined;
    }
  }
}

// --- as the pipeline runs them ----------------------------------------------------------------

export interface EntreeRejeu {
  id: unknown;
  forcer?: boolean;
  simulation?: boolean;
}

export function operationRejeu(rejeu: ServiceRejeu): DefinitionOperation<EntreeRejeu, never, ReponseRejeu> {
  return {
    cle: (e) => String(e.id),
    lire: (e, ctx) => {
      const id = Number(e.id);
      if (!Number.isInteger(id) || id < 1) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'id', { detail: "id : l'identifiant entier d'une ligne du journal" });
      return rejeu.rejouer(id, e, ctx);
    },
    issue: (r) => ({ resultat: r.rejeu.simulation ? 'SIMULATION' : r.rejeu.statut < 400 ? 'REJOUE' : 'REJOUE_REJETE' }),
  };
}

const CRITERES = ['code', 'porte', 'operation', 'client', 'individu', 'depuis', 'jusqua'] as const;

/** The filter of a bulk replay, checked; at least one criterion (replaying the whole journal is not a filter). */
export function lireFiltreRejeu(e: Record<string, unknown>, jusquaId: number): FiltreRejeuGarde {
  const texte = (k: string, max: number) => {
    const v = e[k];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' || v.length > max) throw ErreurMetier.une('PARAMETRE_INVALIDE', k, { detail: `${k} : un texte de ${max} caractères au plus` });
    return v;
  };
  const date = (k: string) => {
    const v = texte(k, 40);
    if (v !== undefined && Number.isNaN(new Date(v).getTime()))
      throw ErreurMetier.une('PARAMETRE_INVALIDE', k, { detail: `${k} : date ou date-heure ISO attendue` });
    return v === undefined ? undefined : new Date(v).toISOString();
  };
  const individuBrut = texte('individu', 40);
  const individu = individuBrut === undefined ? undefined : lireCleIndividu(individuBrut);
  if (individuBrut !== undefined && !individu)
    throw ErreurMetier.une('PARAMETRE_INVALIDE', 'individu', { detail: "individu : OPI:<numéro d'OPI>, ETU:<numéro étudiant> ou INE:<INE>" });
  const f: FiltreRejeuGarde = {
    code: texte('code', 60)?.toUpperCase(),
    porte: texte('porte', 10)?.toUpperCase(),
    operation: texte('operation', 80),
    client: texte('client', 100),
    individu,
    depuis: date('depuis'),
    jusqua: date('jusqua'),
    jusquaId,
    forcer: e.forcer === true || e.forcer === 'true',
  };
  if (!CRITERES.some((k) => f[k] !== undefined)) throw ErreurMetier.une('CRITERE_RECHERCHE_MANQUANT', '', { criteres: CRITERES.join(', ') });
  return f;
}

export function operationRejeuEnMasse(unite: UniteDeTravailPort, moteur: MoteurJobs): DefinitionOperation<Record<string, unknown>, JobPrepare, EtatJob> {
  return {
    cle: (_e, r) => r?.id,
    preparer: async (e, ctx) => {
      const filtre = lireFiltreRejeu(e, await unite.lecture.journal.dernierId());
      const simulation = e.simulation === true || e.simulation === 'true';
      // Counted at the start, for the progress and the time left.
      const lignesTotal = await unite.lecture.journal.compterRejouables(lireFiltreGarde(JSON.stringify(filtre)));
      return moteur.preparerSansFichier(TYPE_REJEU, { mode: 'partiel', simulation, parametres: filtre, lignesTotal }, ctx);
    },
    ecrire: (p, d) => moteur.enregistrer(d, p),
    apresCommit: (_r, p) => moteur.lancer(p),
    issue: (r) => ({ resultat: r.simulation ? 'SIMULATION' : 'ACCEPTE' }),
    statut: () => 202,
  };
}
