/**
 * Administrative enrolment (IA) use cases: create from an access (favourable OPI vœu or active LP),
 * with the resolved values and their sources, the fees, the CVEC; one IA per individual, year and
 * étape (a second request returns the existing one); payment, validation, cancellation, each
 * state change recorded in `inscription_evenement` and in the audit journal.
 */
import { lireLimite } from './pagination';
import { In, LessThan, type DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { DemandeInscription } from '../generated/inscription';
import type { Paiement } from '../generated/paiement';
import type { Annulation } from '../generated/annulation';
import { ErreurMetier, probleme, type Probleme } from '../domain/errors';
import { nettoyer } from '../domain/opi/canonique';
import { verifierIneChamp, verifierCode } from '../domain/opi/regles';
import { normaliserIne } from '../domain/identifiers/ine';
import { calculerDroits, cvecValide, normaliserCvec, euros } from '../domain/inscription/droits';
import { etatInitial, verifierTransition } from '../domain/inscription/etats';
import type { EtatInscription, InscriptionLue, ResultatCreationInscription } from '../domain/inscription/types';
import { validerSchema } from './validation';
import type { ServiceAcces, Acces } from './acces';
import type { ServiceNomenclatures } from './nomenclatures';
import type { UniteDeTravail } from '../persistence/unite-de-travail';
import { EvenementInscription, IndividuOpi, InscriptionEntite } from '../persistence/entities';

const centimes = (euros_: number) => Math.round(euros_ * 100);

/** Canonical request: nil/""/absent alike, codes upper-cased, digit strings → ints, 'true'/'false' → booleans. */
export function canoniserDemande(brut: unknown): unknown {
  if (brut === null || typeof brut !== 'object' || Array.isArray(brut)) return brut;
  const d = (nettoyer(brut) ?? {}) as Record<string, unknown>;
  for (const k of ['codOpiIntEpo', 'codEtp', 'profilExonerant', 'numBoursier']) if (typeof d[k] === 'string') d[k] = (d[k] as string).toUpperCase();
  if (typeof d.ine === 'string') d.ine = normaliserIne(d.ine);
  if (typeof d.numeroCvec === 'string') d.numeroCvec = normaliserCvec(d.numeroCvec);
  if (typeof d.codVrsVet === 'string' && /^\d{1,6}$/.test(d.codVrsVet)) d.codVrsVet = Number(d.codVrsVet);
  if (typeof d.codEtu === 'string' && /^\d{1,8}$/.test(d.codEtu)) d.codEtu = String(Number(d.codEtu));
  if (d.boursier === 'true' || d.boursier === 'false') d.boursier = d.boursier === 'true';
  return d;
}

export interface ContexteIa { client: string; requestId: string }

export class ServiceInscriptions {
  constructor(
    private readonly source: DataSource,
    private readonly unite: UniteDeTravail,
    private readonly acces: ServiceAcces,
    private readonly nomenclatures: ServiceNomenclatures,
  ) {}

  async creer(brut: unknown, ctx: ContexteIa): Promise<ResultatCreationInscription & { cle: string }> {
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
    const opis = acces.individu.codOpiIntEpo.length
      ? await this.source.getRepository(IndividuOpi).find({ where: { codOpiIntEpo: In(acces.individu.codOpiIntEpo) } }) : [];
    const opi = opis.find((o) => o.codOpiIntEpo === formation.codOpiIntEpo) ?? opis[0];
    const codPayNat = d.codPayNat ?? opi?.codPayNat ?? undefined;
    if (!codPayNat) throw ErreurMetier.une('NATIONALITE_INCONNUE', 'codPayNat');

    // 3. Fees, CVEC, explanation.
    const calcul = calculerDroits({
      codAnu: d.codAnu, codEtp: d.codEtp, codVrsVet: d.codVrsVet, valeurs: formation.valeurs, codPayNat,
      boursier: d.boursier === true, profilExonerant: d.profilExonerant ?? null,
    }, cat);
    if (calcul.cvec.requise && d.numeroCvec === undefined) {
      calcul.problemes.push(probleme('CVEC_REQUISE', 'numeroCvec', { codRgi: formation.valeurs.codRgi.valeur }));
    }
    if (calcul.problemes.length) throw new ErreurMetier(calcul.problemes, 422);

    const codOpiIntEpo = formation.codOpiIntEpo ?? acces.individu.codOpiIntEpo[0] ?? null;
    const codEtu = d.codEtu ?? (opi?.codEtuOpi !== null && opi?.codEtuOpi !== undefined ? String(opi.codEtuOpi) : acces.individu.codEtu[0] ?? null);
    const ine = d.ine ?? acces.individu.ine[0] ?? null;
    const individu = codOpiIntEpo ? `OPI:${codOpiIntEpo}` : codEtu ? `ETU:${Number(codEtu)}` : `INE:${ine}`;
    const cle = `${individu}|${d.codAnu}|${d.codEtp}|${d.codVrsVet}`;
    const etat = etatInitial(calcul.droits.montantDu);
    const explication = [
      `Accès ouvert par ${formation.ouvertPar.map((o) => (o === 'LP' ? `le laissez-passer n° ${formation.laissezPasserId}` : `le vœu favorable de l'OPI ${formation.codOpiIntEpo}`)).join(' et ')}.`,
      ...calcul.explication,
      `État : ${etat === 'EXONEREE' ? 'exonérée (rien à payer)' : `en attente du paiement de ${euros(calcul.droits.montantDu)}`}.`,
    ];
    const maintenant = new Date();
    const ligne: Omit<InscriptionEntite, 'id'> = {
      cleActive: cle, codAnu: d.codAnu, codOpiIntEpo, codEtu, ine, codEtp: d.codEtp, codVrsVet: d.codVrsVet,
      codDip: formation.codDip, codVrsVdi: formation.codVrsVdi, codCge: formation.codCge, etat,
      codRgi: formation.valeurs.codRgi.valeur, codStu: formation.valeurs.codStu.valeur,
      codCatOuiSi: formation.valeurs.codCatOuiSi.valeur, codCatExoExt: formation.valeurs.codCatExoExt.valeur,
      boursier: d.boursier ? 1 : 0, numBoursier: d.numBoursier ?? null, profilExonerant: d.profilExonerant ?? null, codPayNat,
      numeroCvec: d.numeroCvec ?? null, montantBaseCentimes: centimes(calcul.droits.montantBase), montantDuCentimes: centimes(calcul.droits.montantDu),
      paiementCentimes: null, paiementReference: null, paiementMode: null, paiementLe: null,
      calcul: JSON.stringify({ ouvertPar: formation.ouvertPar, valeurs: formation.valeurs, droits: calcul.droits, cvec: calcul.cvec, explication }),
      source: ctx.client, version: 1, creeLe: maintenant, modifieLe: maintenant,
    };

    // 4. One IA per individual, year and étape: the existing one is returned as it is.
    const { entite, resultat } = await this.unite.executer(async (em) => {
      const existante = await em.findOne(InscriptionEntite, { where: { cleActive: cle } });
      if (existante) return { entite: existante, resultat: 'EXISTANTE' as const };
      // A concurrent first request for the same identity fails here on the unique key; the unit of
      // work retries the whole transaction, which then finds and returns the other one.
      const r = await em.insert(InscriptionEntite, ligne);
      const id = r.identifiers[0].id as number;
      await this.evenement(em, id, null, etat, 'création', ctx);
      return { entite: { ...ligne, id } as InscriptionEntite, resultat: 'CREEE' as const };
    });
    return { resultat, inscription: versLecture(entite), cle };
  }

  async lire(id: number): Promise<InscriptionLue> {
    return versLecture(await this.trouver(this.source.manager, id));
  }

  async evenements(id: number): Promise<{ de: string | null; vers: string; motif: string | null; client: string; le: string }[]> {
    await this.trouver(this.source.manager, id);
    const ev = await this.source.getRepository(EvenementInscription).find({ where: { inscriptionId: id }, order: { id: 'ASC' } });
    return ev.map((e) => ({ de: e.de, vers: e.vers, motif: e.motif, client: e.client, le: new Date(e.le).toISOString() }));
  }

  async rechercher(q: Record<string, string | undefined>): Promise<{ inscriptions: InscriptionLue[]; suivant: number | null }> {
    const limite = lireLimite(q.limite, 100, 1000);
    const where: FindOptionsWhere<InscriptionEntite> = {};
    for (const k of ['codAnu', 'codOpiIntEpo', 'codEtu', 'ine', 'codEtp', 'etat'] as const) {
      const v = q[k];
      if (v !== undefined && v !== '') (where as Record<string, unknown>)[k] = k === 'codAnu' || k === 'codEtu' ? v : v.toUpperCase();
    }
    if (Object.keys(where).length === 0) throw ErreurMetier.une('CRITERE_RECHERCHE_MANQUANT', '', { criteres: 'codAnu, codOpiIntEpo, codEtu, ine, codEtp ou etat' });
    if (q.avant !== undefined) {
      if (!/^\d{1,9}$/.test(q.avant)) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'avant', { detail: 'avant : un entier' });
      where.id = LessThan(Number(q.avant));
    }
    const lignes = await this.source.getRepository(InscriptionEntite).find({ where, order: { id: 'DESC' }, take: limite });
    return { inscriptions: lignes.map(versLecture), suivant: lignes.length === limite ? lignes[lignes.length - 1].id : null };
  }

  /** Records the payment of the amount due (idempotent on its reference). */
  async payer(id: number, brut: unknown, ctx: ContexteIa): Promise<{ resultat: 'PAYEE' | 'INCHANGE'; inscription: InscriptionLue }> {
    const p = validerSchema<Paiement>('paiement', nettoyer(brut) ?? {});
    return this.unite.executer(async (em) => {
      const ia = await this.trouver(em, id, true);
      if (ia.etat === 'PAYEE' && ia.paiementReference === p.reference && ia.paiementCentimes === centimes(p.montant)) {
        return { resultat: 'INCHANGE' as const, inscription: versLecture(ia) };
      }
      verifierTransition(ia.etat as EtatInscription, 'PAYEE');
      if (centimes(p.montant) !== ia.montantDuCentimes) {
        throw ErreurMetier.une('PAIEMENT_MONTANT_INCORRECT', 'montant', { paye: p.montant.toFixed(2), du: (ia.montantDuCentimes / 100).toFixed(2) });
      }
      const maj = { etat: 'PAYEE', paiementCentimes: centimes(p.montant), paiementReference: p.reference, paiementMode: p.mode, paiementLe: new Date(), version: ia.version + 1, modifieLe: new Date() };
      await em.update(InscriptionEntite, { id }, maj);
      await this.evenement(em, id, ia.etat, 'PAYEE', `paiement ${p.mode} ${p.reference}`, ctx);
      return { resultat: 'PAYEE' as const, inscription: versLecture({ ...ia, ...maj }) };
    });
  }

  async valider(id: number, ctx: ContexteIa): Promise<{ resultat: 'VALIDEE' | 'INCHANGE'; inscription: InscriptionLue }> {
    return this.changerEtat(id, 'VALIDEE', 'validation par la scolarité', ctx);
  }

  async annuler(id: number, brut: unknown, ctx: ContexteIa): Promise<{ resultat: 'ANNULEE' | 'INCHANGE'; inscription: InscriptionLue }> {
    const a = validerSchema<Annulation>('annulation', nettoyer(brut) ?? {});
    return this.changerEtat(id, 'ANNULEE', a.motif, ctx);
  }

  private async changerEtat<E extends 'VALIDEE' | 'ANNULEE'>(id: number, vers: E, motif: string, ctx: ContexteIa): Promise<{ resultat: E | 'INCHANGE'; inscription: InscriptionLue }> {
    return this.unite.executer(async (em) => {
      const ia = await this.trouver(em, id, true);
      if (ia.etat === vers) return { resultat: 'INCHANGE' as const, inscription: versLecture(ia) };
      verifierTransition(ia.etat as EtatInscription, vers);
      // A cancelled IA frees its identity: the individual may enrol in that étape again.
      const maj = { etat: vers, version: ia.version + 1, modifieLe: new Date(), ...(vers === 'ANNULEE' ? { cleActive: null } : {}) };
      await em.update(InscriptionEntite, { id }, maj);
      await this.evenement(em, id, ia.etat, vers, motif, ctx);
      return { resultat: vers, inscription: versLecture({ ...ia, ...maj }) };
    });
  }

  private async trouver(em: EntityManager, id: number, verrou = false): Promise<InscriptionEntite> {
    const ia = await em.findOne(InscriptionEntite, {
      where: { id }, ...(verrou && em.connection.options.type === 'mysql' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!ia) throw ErreurMetier.une('INSCRIPTION_INTROUVABLE', 'id', { id });
    return ia;
  }

  private async evenement(em: EntityManager, inscriptionId: number, de: string | null, vers: string, motif: string, ctx: ContexteIa): Promise<void> {
    await em.insert(EvenementInscription, { inscriptionId, de, vers, motif: motif.slice(0, 500), client: ctx.client, requestId: ctx.requestId, le: new Date() });
  }
}

export function versLecture(e: InscriptionEntite): InscriptionLue {
  const c = JSON.parse(e.calcul) as { ouvertPar: string[]; valeurs: InscriptionLue['valeurs']; droits: InscriptionLue['droits']; cvec: Omit<InscriptionLue['cvec'], 'numero'>; explication: string[] };
  return {
    id: e.id, codAnu: e.codAnu, codOpiIntEpo: e.codOpiIntEpo, codEtu: e.codEtu, ine: e.ine, codEtp: e.codEtp, codVrsVet: e.codVrsVet,
    codDip: e.codDip, codVrsVdi: e.codVrsVdi, codCge: e.codCge, ouvertPar: c.ouvertPar, etat: e.etat as EtatInscription, valeurs: c.valeurs,
    boursier: e.boursier === 1, numBoursier: e.numBoursier, profilExonerant: e.profilExonerant, codPayNat: e.codPayNat,
    droits: c.droits, cvec: { ...c.cvec, numero: e.numeroCvec },
    paiement: e.paiementReference ? { montant: (e.paiementCentimes ?? 0) / 100, reference: e.paiementReference, mode: e.paiementMode ?? '', le: new Date(e.paiementLe!).toISOString() } : null,
    explication: c.explication, version: e.version, creeLe: new Date(e.creeLe).toISOString(), modifieLe: new Date(e.modifieLe).toISOString(),
  };
}

