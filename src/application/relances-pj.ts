/**
 * The reminder of missing supporting documents: each student who still owes a document (owed and not
 * received, or refused) gets one e-mail, in French, listing what is missing, why each is owed and why a
 * refused one was refused, and how to send them. At most one e-mail per student and period (the
 * unique (OPI, période) reservation of `relance_pj`, taken BEFORE sending: a crash between the
 * reservation and the end leaves the reminder EN_COURS, never sent twice), never again to an address
 * the SMTP server refused (`adresse_refusee`), one journal row per sending (`pj.relance.envoi`).
 * One run at a time across every node: a run takes the lease `verrou_tache` first.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../observability/logger';
import { ErreurMetier } from '../domain/errors';
import { aujourdhuiParis } from './horloge';
import type { ConsultationPieces, LigneEnAttente } from './pieces-consultation';
import type { Messagerie, UniteDeTravailPort } from './ports';
import type { ContexteAppel, DefinitionOperation } from './pipeline';

/** The lease a run holds (table `verrou_tache`). */
export const VERROU_RELANCES = 'relances-pj';
/** The journal operation of one sending (the run itself is journaled as `pj.relancer` by the pipeline). */
export const OPERATION_ENVOI = 'pj.relance.envoi';

export interface OptionsRelances {
  /** Length of a period in days: at most one e-mail per student per period. */
  periodeJours: number;
  /** The sender (`SMTP_FROM`), given in the e-mail as the address to write to. */
  de: string;
  /** The clock of the period (tests move it); the lease always uses the real time. */
  maintenant?: () => Date;
  /** How long a lease holds without renewal (default 5 minutes; renewed while the run goes on). */
  dureeBailMs?: number;
  /** OPIs read per page (default 200). */
  taillePage?: number;
}

export interface DestinataireRelance {
  codOpiIntEpo: string;
  /** First name and birth name. */
  nom: string;
  adresse: string;
  /** The codes (`codTpj`) of the documents listed. */
  pieces: string[];
}

export interface EchecRelance extends DestinataireRelance {
  /** The SMTP server refused the address for good: it is never written to again. */
  adresseRefusee: boolean;
  erreur: string;
}

export interface RapportRelances {
  simulation: boolean;
  /** First day of the period (`AAAA-MM-JJ`). */
  periode: string;
  /** Written to (a simulation: who would be). */
  ecrits: DestinataireRelance[];
  ignores: { sansAdresse: number; adresseRefusee: number; dejaRelance: number };
  echecs: EchecRelance[];
}

/**
 * The period of a date: the first day (`AAAA-MM-JJ`, calendar of Europe/Paris) of the block of
 * `jours` days, blocks counted from 1970-01-01, that holds the date's Paris calendar day.
 */
export function periodeDe(maintenant: Date, jours: number): string {
  if (!Number.isInteger(jours) || jours < 1) throw new RangeError(`période de ${jours} jour(s)`);
  const [a, m, j] = aujourdhuiParis(maintenant).split('-').map(Number);
  const jour = Math.floor(Date.UTC(a, m - 1, j) / 86_400_000);
  return new Date((jour - (jour % jours)) * 86_400_000).toISOString().slice(0, 10);
}

/** The e-mail: subject and plain text, in French. */
export function courrielRelance(l: LigneEnAttente, options: { de: string; periodeJours: number }): { sujet: string; texte: string } {
  const nom = nomDe(l);
  const lignes = [`Bonjour ${nom},`, ''];
  lignes.push(
    `Votre dossier d'inscription (OPI n° ${l.codOpiIntEpo}) est incomplet : ${l.manquantes.length > 1 ? 'les pièces justificatives suivantes manquent' : 'la pièce justificative suivante manque'} encore.`,
    '',
  );
  for (const p of l.manquantes) {
    lignes.push(`- ${p.libelle} (${p.codTpj})${p.statut === 'REFUSEE' ? ' : pièce refusée, à déposer de nouveau' : ' : pièce non reçue'}`);
    if (p.raisons.length) lignes.push(`  Pourquoi elle vous est demandée : ${p.raisons.join(' ; ')}.`);
    if (p.statut === 'REFUSEE') {
      lignes.push(`  Motif du refus : ${p.libelleMotifRefus ?? p.motifRefus ?? 'non précisé'}.`);
      if (p.commentaire) lignes.push(`  Commentaire : ${p.commentaire}`);
    }
  }
  lignes.push(
    '',
    `${l.manquantes.length > 1 ? 'Comment les transmettre : déposez chaque pièce' : 'Comment la transmettre : déposez-la'} depuis votre espace de candidature en ligne, rubrique « Pièces justificatives »,`,
    `en rappelant votre numéro d'OPI ${l.codOpiIntEpo}. Envoyez un fichier lisible, en PDF, JPEG ou PNG selon la pièce ;`,
    'une pièce refusée doit être déposée de nouveau, corrigée.',
    '',
    `Ce message est envoyé automatiquement tant qu'une pièce manque, au plus une fois ${options.periodeJours === 1 ? 'par jour' : `tous les ${options.periodeJours} jours`}.`,
    `Pour toute question, écrivez à ${adresseDe(options.de)}.`,
    '',
    'Le service de la scolarité',
  );
  return { sujet: `Pièces justificatives manquantes – ${l.codOpiIntEpo}`, texte: `${lignes.join('\n')}\n` };
}

export class ServiceRelances {
  /** This instance, as the lease names its holder (with a run number: two runs of one node exclude each other too). */
  private readonly instance = `${hostname().slice(0, 30)}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private executions = 0;
  private arretDemande = false;
  /** Runs in progress on this instance (awaited at shutdown). */
  private readonly enCours = new Set<Promise<unknown>>();

  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly consultation: ConsultationPieces,
    private readonly messagerie: Messagerie | undefined,
    private readonly options: OptionsRelances,
    private readonly logger: Logger,
  ) {}

  /** The period the clock is in. */
  periode(): string {
    return periodeDe((this.options.maintenant ?? (() => new Date()))(), this.options.periodeJours);
  }

  /**
   * A run. A simulation sends nothing and reserves nothing: it lists who would be written to (it needs
   * neither an SMTP server nor the lease). A real run needs the SMTP server and the lease.
   */
  async executer(simulation: boolean, ctx: ContexteAppel): Promise<RapportRelances> {
    const periode = this.periode();
    if (simulation) return this.parcourir(periode, ctx, undefined);
    const messagerie = this.messagerie;
    if (!messagerie) throw ErreurMetier.une('MESSAGERIE_NON_CONFIGUREE');
    const bail = new Bail(this.unite, `${this.instance}:${++this.executions}`, this.options.dureeBailMs ?? 5 * 60_000);
    if (!(await bail.prendre())) throw ErreurMetier.une('RELANCE_EN_COURS');
    const run = this.parcourir(periode, ctx, { messagerie, bail }).finally(() =>
      bail.liberer().catch((err) => this.logger.error('relances : bail non libéré (il expirera)', { err: String(err) })),
    );
    const suivi = run.catch(() => undefined);
    this.enCours.add(suivi);
    try {
      return await run;
    } finally {
      this.enCours.delete(suivi);
    }
  }

  /** At shutdown: a run in progress stops after the student being written to (the others get theirs at the next run). */
  async arreter(): Promise<void> {
    this.arretDemande = true;
    await Promise.all([...this.enCours]);
  }

  private async parcourir(periode: string, ctx: ContexteAppel, envoi: { messagerie: Messagerie; bail: Bail } | undefined): Promise<RapportRelances> {
    const rapport: RapportRelances = { simulation: !envoi, periode, ecrits: [], ignores: { sansAdresse: 0, adresseRefusee: 0, dejaRelance: 0 }, echecs: [] };
    const deja = new Set((await this.unite.lecture.relances.dePeriode(periode)).map((r) => r.codOpiIntEpo));
    const limite = String(this.options.taillePage ?? 200);
    let apres: number | null = 0;
    while (apres !== null) {
      const page: Awaited<ReturnType<ConsultationPieces['enAttente']>> = await this.consultation.enAttente({ limite, apres: String(apres) });
      for (const l of page.individus) {
        if (envoi && this.arretDemande) return rapport;
        const adresse = l.adresse?.trim();
        if (!adresse) {
          rapport.ignores.sansAdresse++;
          continue;
        }
        if (await this.unite.lecture.relances.adresseRefusee(adresse)) {
          rapport.ignores.adresseRefusee++;
          continue;
        }
        if (deja.has(l.codOpiIntEpo)) {
          rapport.ignores.dejaRelance++;
          continue;
        }
        const destinataire: DestinataireRelance = { codOpiIntEpo: l.codOpiIntEpo, nom: nomDe(l), adresse, pieces: l.manquantes.map((p) => p.codTpj) };
        if (!envoi) {
          rapport.ecrits.push(destinataire);
          continue;
        }
        await envoi.bail.renouveler();
        const echec = await this.relancer(l, destinataire, periode, ctx, envoi.messagerie);
        if (echec === 'DEJA') rapport.ignores.dejaRelance++;
        else if (echec) rapport.echecs.push(echec);
        else rapport.ecrits.push(destinataire);
      }
      apres = page.suivant;
    }
    if (envoi) {
      this.logger.info('relances des pièces manquantes', {
        requestId: ctx.requestId,
        periode,
        ecrits: rapport.ecrits.length,
        echecs: rapport.echecs.length,
        ...rapport.ignores,
      });
    }
    return rapport;
  }

  /** One student: reserve (individual, period), send, then record the outcome and its journal row together. */
  private async relancer(
    l: LigneEnAttente,
    dest: DestinataireRelance,
    periode: string,
    ctx: ContexteAppel,
    messagerie: Messagerie,
  ): Promise<EchecRelance | 'DEJA' | undefined> {
    const recuLe = new Date();
    const reservee = await this.unite.executer((d) =>
      d.relances.reserver({
        codOpiIntEpo: l.codOpiIntEpo,
        periode,
        adresse: dest.adresse.slice(0, 200),
        etat: 'EN_COURS',
        erreur: null,
        pieces: dest.pieces.join(',').slice(0, 200),
        jobId: null,
        le: recuLe,
      }),
    );
    // Another run (of another node, before this one took the lease) wrote to this student this period.
    if (!reservee) return 'DEJA';
    const { sujet, texte } = courrielRelance(l, this.options);
    const r = await messagerie.envoyer({ a: dest.adresse, sujet, texte }).catch((err: unknown) => ({
      accepte: false as const,
      adresseRefusee: false,
      erreur: String(err instanceof Error ? err.message : err).slice(0, 500),
    }));
    const etat = r.accepte ? 'ENVOYEE' : r.adresseRefusee ? 'ADRESSE_REFUSEE' : 'ECHEC';
    const erreur = r.accepte ? null : r.erreur;
    await this.unite.executer(async (d) => {
      await d.relances.terminer(l.codOpiIntEpo, periode, etat, erreur);
      if (!r.accepte && r.adresseRefusee) await d.relances.refuserAdresse({ adresse: dest.adresse, erreur: r.erreur, le: new Date() });
      await d.journal.ecrire({
        recuLe,
        porte: ctx.porte,
        operation: OPERATION_ENVOI,
        client: ctx.client,
        requestId: ctx.requestId,
        cle: `${l.codOpiIntEpo}|${periode}`,
        individu: l.individu,
        empreinte: null,
        resultat: etat,
        statut: r.accepte ? 200 : 502,
        nombre: 1,
        codes: r.accepte ? null : r.adresseRefusee ? 'ADRESSE_REFUSEE' : 'ENVOI_ECHOUE',
        dureeMs: Date.now() - recuLe.getTime(),
        details: JSON.stringify({ periode, pieces: dest.pieces, ...(erreur ? { erreur } : {}) }),
      });
    });
    if (r.accepte) return undefined;
    this.logger.warn('relance non envoyée', { requestId: ctx.requestId, individu: l.individu, etat, erreur });
    return { ...dest, adresseRefusee: r.adresseRefusee, erreur: r.erreur };
  }

  /**
   * The pipeline's view. A run is long and has its own transactions (one per reservation, one per
   * outcome with its journal row), while the pipeline runs `ecrire` inside ONE transaction: so the whole
   * run is done in `preparer` (outside any transaction) and `ecrire` only hands its report back — the
   * pipeline then journals the call itself (`pj.relancer`) in a short transaction. A refusal
   * (RELANCE_EN_COURS, MESSAGERIE_NON_CONFIGUREE) is journaled by the pipeline like any other.
   */
  operation(): DefinitionOperation<{ simulation?: boolean }, RapportRelances, RapportRelances> {
    return {
      cle: (_e, r) => r?.periode,
      preparer: (e, ctx) => this.executer(e?.simulation === true, ctx),
      ecrire: async (r) => r,
      issue: (r) => ({ resultat: r.simulation ? 'SIMULATION' : r.echecs.length ? 'TERMINE_AVEC_ECHECS' : 'TERMINE' }),
    };
  }
}

/** The lease of a run: taken once, renewed as the run goes (a third of its length at the latest), given back at the end. */
class Bail {
  private renouveleLe = 0;

  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly moi: string,
    private readonly dureeMs: number,
  ) {}

  async prendre(): Promise<boolean> {
    const maintenant = new Date();
    const pris = await this.unite.executer((d) => d.verrous.prendre(VERROU_RELANCES, this.moi, new Date(maintenant.getTime() + this.dureeMs), maintenant));
    if (pris) this.renouveleLe = maintenant.getTime();
    return pris;
  }

  /** Renews when due; a lease lost (expired and taken by another node) stops the run. */
  async renouveler(): Promise<void> {
    if (Date.now() - this.renouveleLe < this.dureeMs / 3) return;
    if (!(await this.prendre())) throw ErreurMetier.une('RELANCE_EN_COURS');
  }

  liberer(): Promise<void> {
    return this.unite.executer((d) => d.verrous.liberer(VERROU_RELANCES, this.moi));
  }
}

/** « Prénom NOM », as French administrations write it: the first name capitalised (Élodie, Jean-Marc), the birth name in capitals. */
function nomDe(l: LigneEnAttente): string {
  const prenom = (l.libPr1IndOpi ?? '')
    .toLocaleLowerCase('fr-FR')
    .replace(/(^|[\s'’-])(\p{L})/gu, (_t, sep: string, c: string) => sep + c.toLocaleUpperCase('fr-FR'));
  return [prenom, (l.libNomPatIndOpi ?? '').toLocaleUpperCase('fr-FR')].filter(Boolean).join(' ');
}

/** The bare address of `Nom <adresse>`. */
function adresseDe(de: string): string {
  return /<([^<>]+)>\s*$/.exec(de)?.[1] ?? de;
}
