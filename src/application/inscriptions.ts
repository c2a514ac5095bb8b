/**
 * Administrative enrolment (IA) use cases: create from an access (favourable OPI vœu or active LP),
 * with the resolved values and their sources, the fees, the CVEC; one IA per individual, year and
 * étape (a second request returns the existing one); payment, validation, cancellation, each
 * state change recorded in `inscription_evenement` and in the audit journal. Validating or cancelling
 * the IA of a Parcoursup OPI also writes, in the same transaction, the notification Parcoursup is owed
 * (outbox `notification_sortante`, delivered by src/application/notifications.ts).
 */
import { lireId, lireLimite } from './pagination';
import type { DemandeInscription } from '../generated/inscription';
import type { Paiement } from '../generated/paiement';
import type { Annulation } from '../generated/annulation';
import { ErreurMetier, probleme, type Probleme } from '../domain/errors';
import { nettoyer } from '../domain/opi/canonique';
import { verifierIneChamp, verifierCode } from '../domain/opi/regles';
import { calculerDroits, cvecValide, euros, verifierCvecFournie } from '../domain/inscription/droits';
import { canoniserDemande } from '../domain/inscription/canonique';
import { cleIndividu, normaliserCodEtu } from '../domain/identifiers/individu';
import { cleLpSiComplete } from '../domain/lp/regles';
import { etatInitial, verifierTransition } from '../domain/inscription/etats';
import type { EtatInscription, InscriptionLue, ResultatCreationInscription } from '../domain/inscription/types';
import { cursusDe, notificationIa, TYPE_MAJ_IA_PARCOURSUP } from '../domain/inscription/parcoursup';
import type { Catalogue } from '../domain/nomenclatures';
import { validerSchema } from './validation';
import type { ServiceAcces, Acces } from './acces';
import type { ServiceNomenclatures } from './nomenclatures';
import type { Depots, UniteDeTravailPort } from './ports';
import type { InscriptionLigne } from './enregistrements';
import type { DefinitionOperation } from './pipeline';

const centimes = (euros_: number) => Math.round(euros_ * 100);

export { canoniserDemande } from '../domain/inscription/canonique';

export interface ContexteIa {
  client: string;
  requestId: string;
}

type Creation = ResultatCreationInscription & { cle: string };
type Changement<E extends string> = { resultat: E | 'INCHANGE'; inscription: InscriptionLue };
export interface EntreeChangement {
  id: string | number;
  corps?: unknown;
}

/** The individual of a request as the message carries it (journal). */
function individuDemande(brut: unknown): string | undefined {
  const d = canoniserDemande(brut);
  return d && typeof d === 'object' ? cleIndividu(d as Record<string, unknown>) : undefined;
}

/** The IA identity a refused request names, when it carries all its parts (journal). */
function cleDemande(brut: unknown): string | undefined {
  const d = canoniserDemande(brut);
  return d && typeof d === 'object' ? cleLpSiComplete(d as Record<string, unknown>) : undefined;
}

const individuIa = (r?: { inscription: InscriptionLue }) => (r ? cleIndividu(r.inscription) : undefined);

export class ServiceInscriptions {
  /** Called after the commit of a validation or a cancellation (the delivery of notifications wakes up). */
  surChangementEtat?: () => void;

  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly acces: ServiceAcces,
    private readonly nomenclatures: ServiceNomenclatures,
  ) {}

  /** The pipeline's view of the IA operations. */
  operations() {
    const creer: DefinitionOperation<unknown, { ligne: Omit<InscriptionLigne, 'id'>; cle: string }, Creation> = {
      cle: (brut, r) => r?.cle ?? cleDemande(brut),
      individu: (brut) => individuDemande(brut),
      preparer: (brut, ctx) => this.preparerCreation(brut, ctx),
      ecrire: (p, d, ctx) => this.ecrireCreation(p, d, ctx),
      issue: (r) => ({ resultat: r.resultat }),
      statut: (r) => (r.resultat === 'CREEE' ? 201 : 200),
    };
    const payer: DefinitionOperation<EntreeChangement, { id: number; p: Paiement }, Changement<'PAYEE'>> = {
      cle: (e) => String(e.id),
      individu: (_e, r) => individuIa(r),
      preparer: async (e) => ({ id: lireId(e.id), p: validerSchema<Paiement>('paiement', nettoyer(e.corps) ?? {}) }),
      ecrire: ({ id, p }, d, ctx) => this.payer(id, p, d, ctx),
      issue: (r) => ({ resultat: r.resultat }),
    };
    const apresChangement = async (r: Changement<string>) => {
      if (r.resultat !== 'INCHANGE') this.surChangementEtat?.();
    };
    const valider: DefinitionOperation<EntreeChangement, { id: number; cat: Catalogue }, Changement<'VALIDEE'>> = {
      cle: (e) => String(e.id),
      individu: (_e, r) => individuIa(r),
      preparer: async (e) => ({ id: lireId(e.id), cat: await this.nomenclatures.catalogue() }),
      ecrire: ({ id, cat }, d, ctx) => this.changerEtat(id, 'VALIDEE', 'validation par la scolarité', d, ctx, cat),
      apresCommit: apresChangement,
      issue: (r) => ({ resultat: r.resultat }),
    };
    const annuler: DefinitionOperation<EntreeChangement, { id: number; motif: string; cat: Catalogue }, Changement<'ANNULEE'>> = {
      cle: (e) => String(e.id),
      individu: (_e, r) => individuIa(r),
      preparer: async (e) => ({
        id: lireId(e.id),
        motif: validerSchema<Annulation>('annulation', nettoyer(e.corps) ?? {}).motif,
        cat: await this.nomenclatures.catalogue(),
      }),
      ecrire: ({ id, motif, cat }, d, ctx) => this.changerEtat(id, 'ANNULEE', motif, d, ctx, cat),
      apresCommit: apresChangement,
      issue: (r) => ({ resultat: r.resultat }),
    };
    const lire: DefinitionOperation<string | number, never, InscriptionLue> = {
      cle: (id) => String(id).trim() || undefined,
      individu: (_id, r) => (r ? cleIndividu(r) : undefined),
      lire: (id) => this.lire(lireId(id)),
      issue: () => ({ resultat: 'LU' }),
    };
    const rechercher: DefinitionOperation<Record<string, string | undefined>, never, { inscriptions: InscriptionLue[]; suivant: number | null }> = {
      individu: (q) => cleIndividu(q),
      lire: (q) => this.rechercher(q),
      issue: () => ({ resultat: 'LU' }),
    };
    const evenements: DefinitionOperation<string | number, never, { evenements: Awaited<ReturnType<ServiceInscriptions['evenements']>> }> = {
      lire: async (id) => ({ evenements: await this.evenements(lireId(id)) }),
    };
    return { creer, payer, valider, annuler, lire, rechercher, evenements };
  }

  /** Schema, checks, access, fees: everything before the write. */
  async preparerCreation(brut: unknown, ctx: ContexteIa): Promise<{ ligne: Omit<InscriptionLigne, 'id'>; cle: string }> {
    const d = validerSchema<DemandeInscription>('inscription', canoniserDemande(brut));
    const cat = await this.nomenclatures.catalogue();
    const problemes: Probleme[] = [];
    verifierIneChamp(d.ine, 'ine', problemes);
    verifierCode(cat, 'profils-exonerants', d.profilExonerant, 'profilExonerant', problemes);
    verifierCode(cat, 'pays', d.codPayNat, 'codPayNat', problemes);
    if (d.numeroCvec !== undefined && !cvecValide(d.numeroCvec)) problemes.push(probleme('CVEC_FORMAT_INVALIDE', 'numeroCvec'));
    if (problemes.length) throw new ErreurMetier(problemes, 422);

    // 1. An access for that formation and year: a favourable OPI vœu or an active LP.
    let acces: Acces;
    try {
      acces = await this.acces.consulter({ codAnu: d.codAnu, codOpiIntEpo: d.codOpiIntEpo, codEtu: d.codEtu, ine: d.ine });
    } catch (err) {
      if (err instanceof ErreurMetier && err.problemes[0]?.code === 'INDIVIDU_INTROUVABLE') {
        throw ErreurMetier.une('ACCES_NON_AUTORISE', 'codEtp', { codEtp: d.codEtp, codVrsVet: d.codVrsVet, codAnu: d.codAnu });
      }
      throw err;
    }
    const formation = acces.formations.find((f) => f.codEtp === d.codEtp && f.codVrsVet === d.codVrsVet);
    if (!formation) throw ErreurMetier.une('ACCES_NON_AUTORISE', 'codEtp', { codEtp: d.codEtp, codVrsVet: d.codVrsVet, codAnu: d.codAnu });

    // 2. Nationality (for the differentiated fees): given, else from the individual's OPI.
    const opis = (await Promise.all(acces.individu.codOpiIntEpo.map((c) => this.unite.lecture.opi.lire(c)))).filter((o) => o !== null);
    const opi = opis.find((o) => o.codOpiIntEpo === formation.codOpiIntEpo) ?? opis[0];
    const codPayNat = d.codPayNat ?? opi?.codPayNat ?? undefined;
    if (!codPayNat) throw ErreurMetier.une('NATIONALITE_INCONNUE', 'codPayNat');

    // 3. Fees, CVEC, explanation.
    const calcul = calculerDroits(
      {
        codAnu: d.codAnu,
        codEtp: d.codEtp,
        codVrsVet: d.codVrsVet,
        valeurs: formation.valeurs,
        codPayNat,
        boursier: d.boursier === true,
        profilExonerant: d.profilExonerant ?? null,
      },
      cat,
    );
    calcul.problemes.push(...verifierCvecFournie(calcul.cvec, d.numeroCvec, formation.valeurs.codRgi.valeur));
    if (calcul.problemes.length) throw new ErreurMetier(calcul.problemes, 422);

    const codOpiIntEpo = formation.codOpiIntEpo ?? acces.individu.codOpiIntEpo[0] ?? null;
    const codEtu = d.codEtu ?? (opi?.codEtuOpi !== null && opi?.codEtuOpi !== undefined ? String(opi.codEtuOpi) : (acces.individu.codEtu[0] ?? null));
    const ine = d.ine ?? acces.individu.ine[0] ?? null;
    const individu = cleIndividu({ codOpiIntEpo, codEtu, ine });
    const cle = `${individu}|${d.codAnu}|${d.codEtp}|${d.codVrsVet}`;
    const etat = etatInitial(calcul.droits.montantDu);
    const explication = [
      `Accès ouvert par ${formation.ouvertPar.map((o) => (o === 'LP' ? `le laissez-passer n° ${formation.laissezPasserId}` : `le vœu favorable de l'OPI ${formation.codOpiIntEpo}`)).join(' et ')}.`,
      ...calcul.explication,
      `État : ${etat === 'EXONEREE' ? 'exonérée (rien à payer)' : `en attente du paiement de ${euros(calcul.droits.montantDu)}`}.`,
    ];
    const maintenant = new Date();
    const ligne: Omit<InscriptionLigne, 'id'> = {
      cleActive: cle,
      codAnu: d.codAnu,
      codOpiIntEpo,
      codEtu,
      ine,
      codEtp: d.codEtp,
      codVrsVet: d.codVrsVet,
      codDip: formation.codDip,
      codVrsVdi: formation.codVrsVdi,
      codCge: formation.codCge,
      etat,
      codRgi: formation.valeurs.codRgi.valeur,
      codStu: formation.valeurs.codStu.valeur,
      codCatOuiSi: formation.valeurs.codCatOuiSi.valeur,
      codCatExoExt: formation.valeurs.codCatExoExt.valeur,
      boursier: d.boursier ? 1 : 0,
      numBoursier: d.numBoursier ?? null,
      profilExonerant: d.profilExonerant ?? null,
      codPayNat,
      numeroCvec: d.numeroCvec ?? null,
      montantBaseCentimes: centimes(calcul.droits.montantBase),
      montantDuCentimes: centimes(calcul.droits.montantDu),
      paiementCentimes: null,
      paiementReference: null,
      paiementMode: null,
      paiementLe: null,
      calcul: JSON.stringify({ ouvertPar: formation.ouvertPar, valeurs: formation.valeurs, droits: calcul.droits, cvec: calcul.cvec, explication }),
      source: ctx.client,
      version: 1,
      creeLe: maintenant,
      modifieLe: maintenant,
      cursus: d.cursus ?? 'PRINCIPALE',
    };

    return { ligne, cle };
  }

  /** One IA per individual, year and étape: the existing one is returned as it is. */
  async ecrireCreation({ ligne, cle }: { ligne: Omit<InscriptionLigne, 'id'>; cle: string }, d: Depots, ctx: ContexteIa): Promise<Creation> {
    const existante = await d.inscriptions.parCleActive(cle);
    if (existante) return { resultat: 'EXISTANTE', inscription: versLecture(existante), cle };
    // A concurrent first request for the same identity fails here on the unique key; the unit of
    // work retries the whole transaction, which then finds and returns the other one.
    const id = await d.inscriptions.inserer(ligne);
    await this.evenement(d, id, null, ligne.etat, 'création', ctx);
    return { resultat: 'CREEE', inscription: versLecture({ ...ligne, id }), cle };
  }

  async lire(id: number): Promise<InscriptionLue> {
    return versLecture(await this.trouver(this.unite.lecture, id));
  }

  async evenements(id: number): Promise<{ de: string | null; vers: string; motif: string | null; client: string; le: string }[]> {
    await this.trouver(this.unite.lecture, id);
    const ev = await this.unite.lecture.inscriptions.evenements(id);
    return ev.map((e) => ({ de: e.de, vers: e.vers, motif: e.motif, client: e.client, le: new Date(e.le).toISOString() }));
  }

  async rechercher(q: Record<string, string | undefined>): Promise<{ inscriptions: InscriptionLue[]; suivant: number | null }> {
    const limite = lireLimite(q.limite, 100, 1000);
    const where: Record<string, string> = {};
    for (const k of ['codAnu', 'codOpiIntEpo', 'codEtu', 'ine', 'codEtp', 'etat'] as const) {
      const v = q[k];
      if (v !== undefined && v !== '') where[k] = k === 'codAnu' ? v : k === 'codEtu' ? normaliserCodEtu(v) : v.toUpperCase();
    }
    if (Object.keys(where).length === 0)
      throw ErreurMetier.une('CRITERE_RECHERCHE_MANQUANT', '', { criteres: 'codAnu, codOpiIntEpo, codEtu, ine, codEtp ou etat' });
    let avant: number | undefined;
    if (q.avant !== undefined) {
      if (!/^\d{1,9}$/.test(q.avant)) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'avant', { detail: 'avant : un entier' });
      avant = Number(q.avant);
    }
    const lignes = await this.unite.lecture.inscriptions.rechercher(where, avant, limite);
    return { inscriptions: lignes.map(versLecture), suivant: lignes.length === limite ? lignes[lignes.length - 1].id : null };
  }

  /** Records the payment of the amount due (idempotent on its reference). */
  async payer(id: number, p: Paiement, d: Depots, ctx: ContexteIa): Promise<{ resultat: 'PAYEE' | 'INCHANGE'; inscription: InscriptionLue }> {
    {
      const ia = await this.trouver(d, id, true);
      if (ia.etat === 'PAYEE' && ia.paiementReference === p.reference && ia.paiementCentimes === centimes(p.montant)) {
        return { resultat: 'INCHANGE' as const, inscription: versLecture(ia) };
      }
      verifierTransition(ia.etat as EtatInscription, 'PAYEE');
      if (centimes(p.montant) !== ia.montantDuCentimes) {
        throw ErreurMetier.une('PAIEMENT_MONTANT_INCORRECT', 'montant', { paye: p.montant.toFixed(2), du: (ia.montantDuCentimes / 100).toFixed(2) });
      }
      const maj = {
        etat: 'PAYEE',
        paiementCentimes: centimes(p.montant),
        paiementReference: p.reference,
        paiementMode: p.mode,
        paiementLe: new Date(),
        version: ia.version + 1,
        modifieLe: new Date(),
      };
      await d.inscriptions.mettreAJour(id, maj);
      await this.evenement(d, id, ia.etat, 'PAYEE', `paiement ${p.mode} ${p.reference}`, ctx);
      return { resultat: 'PAYEE' as const, inscription: versLecture({ ...ia, ...maj }) };
    }
  }

  private async changerEtat<E extends 'VALIDEE' | 'ANNULEE'>(
    id: number,
    vers: E,
    motif: string,
    d: Depots,
    ctx: ContexteIa,
    cat: Catalogue,
  ): Promise<{ resultat: E | 'INCHANGE'; inscription: InscriptionLue }> {
    {
      const ia = await this.trouver(d, id, true);
      if (ia.etat === vers) return { resultat: 'INCHANGE' as const, inscription: versLecture(ia) };
      verifierTransition(ia.etat as EtatInscription, vers);
      // A cancelled IA frees its identity: the individual may enrol in that étape again.
      const maj = { etat: vers, version: ia.version + 1, modifieLe: new Date(), ...(vers === 'ANNULEE' ? { cleActive: null } : {}) };
      await d.inscriptions.mettreAJour(id, maj);
      await this.evenement(d, id, ia.etat, vers, motif, ctx);
      await this.notifierParcoursup(d, { ...ia, ...maj }, cat, maj.modifieLe);
      return { resultat: vers, inscription: versLecture({ ...ia, ...maj }) };
    }
  }

  /**
   * The notification Parcoursup is owed for the IA's new state (an IA of a Parcoursup OPI, validated or
   * cancelled), appended to the outbox in the caller's transaction: the IA change and its notification
   * are committed together or not at all. One whose candidate number is unknown is recorded as a
   * failure at once (visible with etat=ECHEC, retryable).
   */
  private async notifierParcoursup(d: Depots, ia: InscriptionLigne, cat: Catalogue, le: Date): Promise<void> {
    const opi = ia.codOpiIntEpo ? await d.opi.lire(ia.codOpiIntEpo) : null;
    const n = notificationIa(ia, opi, cat);
    if (!n.notifier) return;
    await d.notifications.ajouter({
      type: TYPE_MAJ_IA_PARCOURSUP,
      cle: n.cle,
      corps: JSON.stringify(n.corps),
      etat: n.erreur ? 'ECHEC' : 'A_ENVOYER',
      tentatives: 0,
      prochaineTentative: le,
      derniereErreur: n.erreur ?? null,
      creeLe: le,
      envoyeeLe: null,
    });
  }

  private async trouver(d: Depots, id: number, verrou = false): Promise<InscriptionLigne> {
    const ia = await d.inscriptions.lire(id, verrou);
    if (!ia) throw ErreurMetier.une('INSCRIPTION_INTROUVABLE', 'id', { id });
    return ia;
  }

  private async evenement(d: Depots, inscriptionId: number, de: string | null, vers: string, motif: string, ctx: ContexteIa): Promise<void> {
    await d.inscriptions.ajouterEvenement({
      inscriptionId,
      de,
      vers,
      motif: motif.slice(0, 500),
      client: ctx.client,
      requestId: ctx.requestId,
      le: new Date(),
    });
  }
}

export function versLecture(e: InscriptionLigne): InscriptionLue {
  const c = JSON.parse(e.calcul) as {
    ouvertPar: string[];
    valeurs: InscriptionLue['valeurs'];
    droits: InscriptionLue['droits'];
    cvec: Omit<InscriptionLue['cvec'], 'numero'>;
    explication: string[];
  };
  return {
    id: e.id,
    codAnu: e.codAnu,
    codOpiIntEpo: e.codOpiIntEpo,
    codEtu: e.codEtu,
    ine: e.ine,
    codEtp: e.codEtp,
    codVrsVet: e.codVrsVet,
    codDip: e.codDip,
    codVrsVdi: e.codVrsVdi,
    codCge: e.codCge,
    ouvertPar: c.ouvertPar,
    etat: e.etat as EtatInscription,
    valeurs: c.valeurs,
    boursier: e.boursier === 1,
    numBoursier: e.numBoursier,
    profilExonerant: e.profilExonerant,
    codPayNat: e.codPayNat,
    cursus: cursusDe(e.cursus),
    droits: c.droits,
    cvec: { ...c.cvec, numero: e.numeroCvec },
    paiement: e.paiementReference
      ? { montant: (e.paiementCentimes ?? 0) / 100, reference: e.paiementReference, mode: e.paiementMode ?? '', le: new Date(e.paiementLe!).toISOString() }
      : null,
    explication: c.explication,
    version: e.version,
    creeLe: new Date(e.creeLe).toISOString(),
    modifieLe: new Date(e.modifieLe).toISOString(),
  };
}
