/**
 * Laissez-passer use cases. One path for one LP (REST, SOAP V1/V2) and for many (SOAP bulk,
 * file loads): `preparer` validates a list (canonical form → schema → rules → consistency with
 * existing OPIs), `ecrire` upserts the valid ones by identity in the caller's transaction.
 */
import { lireLimite } from './pagination';
import type { EntityManager } from 'typeorm';
import type { LaissezPasser } from '../generated/laissez-passer';
import { ErreurMetier, probleme, type Probleme } from '../domain/errors';
import { canoniserLp, conflitsSynonymes } from '../domain/lp/canonique';
import { joindre } from '../domain/chemins';
import { cleLp, verifierLp } from '../domain/lp/regles';
import { verifierIne } from '../domain/identifiers/ine';
import { jsonStable, sha256 } from '../domain/empreinte';
import { problemesSchema } from './validation';
import type { ServiceNomenclatures } from './nomenclatures';
import type { DepotLp, LigneLp } from '../persistence/depot-lp';
import type { UniteDeTravail } from '../persistence/unite-de-travail';
import type { LaissezPasserEntite } from '../persistence/entities';
import { aujourdhuiParis } from './horloge';

/** Largest list accepted in one call, SOAP or REST (larger: the file load). */
export const MAX_LP_PAR_APPEL = 10_000;

/** `mode` of a list or a file: partial (default) or all-or-nothing, in English or French. */
export function lireMode(brut: unknown): ModeLot {
  const m = String(brut ?? 'partial').toLowerCase();
  if (['partial', 'partiel'].includes(m)) return 'partiel';
  if (['all-or-nothing', 'tout-ou-rien'].includes(m)) return 'tout-ou-rien';
  throw ErreurMetier.une('PARAMETRE_INVALIDE', 'mode', { detail: 'mode : partial (défaut) ou all-or-nothing' });
}

export type StatutLigne = 'CREE' | 'MIS_A_JOUR' | 'INCHANGE' | 'REJETE' | 'NON_ECRIT';
export type ModeLot = 'partiel' | 'tout-ou-rien';

export interface ResultatLigne {
  /** Position given by the caller (1-based rank, or the file's row number). */
  rang: number;
  statut: StatutLigne;
  id?: number;
  problemes?: Probleme[];
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
    creees: n('CREE'), misesAJour: n('MIS_A_JOUR'), inchangees: n('INCHANGE'), rejetees, toutOuRienAnnule,
    resultat: toutOuRienAnnule ? 'REJETE' : rejetees ? 'PARTIEL' : 'TRAITE',
  };
}

export interface LignePreparee {
  rang: number;
  lp?: LaissezPasser;
  problemes: Probleme[];
}

export interface ResultatLp {
  resultat: 'CREE' | 'MIS_A_JOUR' | 'INCHANGE';
  id: number;
  laissezPasser: LaissezPasserLu;
  cle: string;
}

export type LaissezPasserLu = LaissezPasser & { id: number; version: number; source: string; creeLe: string; modifieLe: string; jobId?: string };

export class ServiceLp {
  constructor(
    private readonly depot: DepotLp,
    private readonly unite: UniteDeTravail,
    private readonly nomenclatures: ServiceNomenclatures,
  ) {}

  /**
   * Validates every item; `prefixe(rang)` gives the path prefix of an item's problems
   * (`''` for a single LP, `laissezPasser[3]` in a SOAP list, `''` for a file row).
   */
  async preparer(items: { rang: number; brut: unknown }[], prefixe: (rang: number) => string = () => ''): Promise<LignePreparee[]> {
    const catalogue = await this.nomenclatures.catalogue();
    const aujourdHui = aujourdhuiParis();
    const prepares = items.map(({ rang, brut }) => {
      const canon = canoniserLp(brut);
      const p = prefixe(rang);
      const conflits = conflitsSynonymes(brut).map((c) => probleme('SYNONYMES_CONTRADICTOIRES', joindre(p, c.champ), { valeurs: c.valeurs.join(' / ') }));
      if (conflits.length) return { rang, problemes: conflits };
      const schema = canon === null || typeof canon !== 'object' || Array.isArray(canon)
        ? [probleme('TYPE_INVALIDE', p, { attendu: 'objet' })]
        : problemesSchema('laissez-passer', canon, p);
      if (schema.length) return { rang, problemes: schema };
      const lp = canon as LaissezPasser;
      return { rang, lp, problemes: verifierLp(lp, { catalogue, aujourdHui }, p) };
    });
    // Consistency with the OPIs already known (one query per chunk).
    const codes = [...new Set(prepares.filter((x) => x.lp?.codOpiIntEpo && !x.problemes.length).map((x) => x.lp!.codOpiIntEpo!))];
    if (codes.length) {
      const opis = await this.depot.opis(this.unite.source.manager, codes);
      for (const x of prepares) {
        const opi = x.lp?.codOpiIntEpo ? opis.get(x.lp.codOpiIntEpo) : undefined;
        if (!opi || x.problemes.length) continue;
        const p = prefixe(x.rang);
        if (x.lp!.codEtu !== undefined && opi.codEtuOpi !== null && String(opi.codEtuOpi) !== String(Number(x.lp!.codEtu))) {
          x.problemes.push(probleme('LP_INDIVIDU_INCOHERENT', p ? `${p}.codEtu` : 'codEtu', { codOpiIntEpo: opi.codOpiIntEpo, detail: `numéro étudiant ${opi.codEtuOpi} dans l'OPI` }));
        }
        if (x.lp!.ine !== undefined && opi.codNneIndOpi !== null) {
          const v = verifierIne(x.lp!.ine);
          if (v.valide && (v.nne !== opi.codNneIndOpi || v.cle !== opi.codCleNneIndOpi)) {
            x.problemes.push(probleme('LP_INDIVIDU_INCOHERENT', p ? `${p}.ine` : 'ine', { codOpiIntEpo: opi.codOpiIntEpo, detail: `INE ${opi.codNneIndOpi}${opi.codCleNneIndOpi} dans l'OPI` }));
          }
        }
      }
    }
    return prepares;
  }

  /**
   * Upserts the valid items by identity, in the caller's transaction; within one list, a later item
   * with the same identity updates the earlier one. Returns one result per item, in order.
   */
  async ecrire(em: EntityManager, prepares: LignePreparee[], client: string, jobId: string | null = null,
    options: { ids?: boolean } = {}): Promise<ResultatLigne[]> {
    const valides = prepares.filter((x) => x.lp && x.problemes.length === 0);
    const existants = await this.depot.parCles(em, [...new Set(valides.map((x) => cleLp(x.lp!)))]);
    const maintenant = new Date();
    const aCreer = new Map<string, { ligne: LigneLp; rangs: number[] }>();
    const resultats = new Map<number, ResultatLigne>();
    for (const x of valides) {
      const lp = x.lp!;
      const cle = cleLp(lp);
      const empreinte = sha256(jsonStable(lp));
      const ligne = versLigne(lp, cle, empreinte, client, jobId, maintenant);
      const nouveau = aCreer.get(cle);
      if (nouveau) {
        // Same identity twice in one list: the later one is what stays.
        const change = nouveau.ligne.empreinte !== empreinte;
        nouveau.ligne = { ...ligne, version: 1, creeLe: nouveau.ligne.creeLe };
        nouveau.rangs.push(x.rang);
        resultats.set(x.rang, { rang: x.rang, statut: change ? 'MIS_A_JOUR' : 'INCHANGE' });
        continue;
      }
      const existant = existants.get(cle);
      if (!existant) {
        aCreer.set(cle, { ligne: { ...ligne, version: 1, creeLe: maintenant }, rangs: [x.rang] });
        resultats.set(x.rang, { rang: x.rang, statut: 'CREE' });
      } else if (existant.empreinte === empreinte) {
        resultats.set(x.rang, { rang: x.rang, statut: 'INCHANGE', id: existant.id });
      } else {
        existant.version += 1;
        existant.empreinte = empreinte;
        await this.depot.mettreAJour(em, existant.id, { ...ligne, version: existant.version });
        resultats.set(x.rang, { rang: x.rang, statut: 'MIS_A_JOUR', id: existant.id });
      }
    }
    const nouveaux = [...aCreer.values()];
    // File loads do not report per-row ids (the rows are found by `jobId`): no read-back then.
    const ids = await this.depot.inserer(em, nouveaux.map((n) => n.ligne), options.ids !== false);
    if (options.ids !== false) nouveaux.forEach((n, i) => { for (const r of n.rangs) resultats.get(r)!.id = ids[i]; });
    return prepares.map((x) => resultats.get(x.rang) ?? { rang: x.rang, statut: 'REJETE', problemes: x.problemes });
  }

  /**
   * A list in one call (SOAP bulk, REST JSON list): partial mode keeps the good items and reports
   * the bad ones; all-or-nothing writes nothing when one item is bad. One transaction.
   */
  async traiterListe(items: unknown[], client: string, mode: ModeLot, prefixe: (rang: number) => string): Promise<ResultatLigne[]> {
    const prepares = await this.preparer(items.map((brut, i) => ({ rang: i + 1, brut })), prefixe);
    if (mode === 'tout-ou-rien' && prepares.some((x) => x.problemes.length)) {
      return prepares.map((x) => (x.problemes.length
        ? { rang: x.rang, statut: 'REJETE' as const, problemes: x.problemes }
        : { rang: x.rang, statut: 'NON_ECRIT' as const }));
    }
    return this.unite.executer((em) => this.ecrire(em, prepares, client));
  }

  /**
   * A list in one call (SOAP bulk operation, REST `/lot`): between 1 and MAX_LP_PAR_APPEL items;
   * `cheminListe` is the list's path (`laissezPasser` in SOAP, `''` for a REST array), each item's
   * problems are reported at `<cheminListe>[i]`.
   */
  async enregistrerListe(items: unknown[], client: string, mode: ModeLot, cheminListe: string)
    : Promise<{ resultats: ResultatLigne[]; bilan: BilanListe; avertissements: Probleme[] }> {
    if (items.length === 0) throw ErreurMetier.une('LOT_VIDE', cheminListe);
    if (items.length > MAX_LP_PAR_APPEL) throw new ErreurMetier([probleme('LOT_TROP_GRAND', cheminListe, { max: MAX_LP_PAR_APPEL })], 413);
    const resultats = await this.traiterListe(items, client, mode, (rang) => `${cheminListe}[${rang - 1}]`);
    return { resultats, bilan: bilanListe(resultats), avertissements: resultats.flatMap((x) => x.problemes ?? []).slice(0, 50) };
  }

  /** One LP: created, updated or unchanged; rejected with every problem otherwise. */
  async enregistrer(brut: unknown, client: string): Promise<ResultatLp> {
    const [x] = await this.preparer([{ rang: 1, brut }]);
    if (x.problemes.length) throw new ErreurMetier(x.problemes, 422);
    const [r] = await this.unite.executer((em) => this.ecrire(em, [x], client));
    const lu = await this.lire(r.id!);
    return { resultat: r.statut as ResultatLp['resultat'], id: r.id!, laissezPasser: lu, cle: cleLp(x.lp!) };
  }

  async lire(id: number): Promise<LaissezPasserLu> {
    const e = await this.depot.lire(id);
    if (!e) throw ErreurMetier.une('LP_INTROUVABLE', 'id', { id });
    return versLecture(e);
  }

  async supprimer(id: number): Promise<{ resultat: 'SUPPRIME'; id: number; cle: string }> {
    const e = await this.depot.lire(id);
    if (!e) throw ErreurMetier.une('LP_INTROUVABLE', 'id', { id });
    await this.unite.executer((em) => this.depot.supprimer(em, id));
    return { resultat: 'SUPPRIME', id, cle: e.cle };
  }

  async rechercher(q: Record<string, string | undefined>): Promise<{ laissezPasser: LaissezPasserLu[]; suivant: number | null }> {
    const limite = lireLimite(q.limite, 100, 1000);
    const entier = (k: string) => {
      if (q[k] === undefined) return undefined;
      if (!/^\d{1,9}$/.test(q[k]!)) throw ErreurMetier.une('PARAMETRE_INVALIDE', k, { detail: `${k} : un entier` });
      return Number(q[k]);
    };
    const criteres = {
      codAnu: q.codAnu, codOpiIntEpo: (q.codOpiIntEpo ?? q.numOPI)?.toUpperCase(), codEtu: q.codEtu, ine: q.ine?.toUpperCase(),
      codEtp: q.codEtp?.toUpperCase(), codVrsVet: entier('codVrsVet'), jobId: q.jobId, avant: entier('avant'),
    };
    if (Object.entries(criteres).every(([k, v]) => v === undefined || k === 'avant')) {
      throw ErreurMetier.une('CRITERE_RECHERCHE_MANQUANT', '', { criteres: 'codAnu, codOpiIntEpo, codEtu, ine, codEtp (+ codVrsVet) ou jobId' });
    }
    const lignes = await this.depot.rechercher(criteres, limite);
    return { laissezPasser: lignes.map(versLecture), suivant: lignes.length === limite ? lignes[lignes.length - 1].id : null };
  }
}

function versLigne(lp: LaissezPasser, cle: string, empreinte: string, client: string, jobId: string | null, maintenant: Date): LigneLp {
  return {
    cle, empreinte, source: client, jobId, modifieLe: maintenant, creeLe: maintenant, version: 1,
    typLpa: lp.typLpa ?? (lp.codOpiIntEpo ? 'IAPRIMO' : 'REINS'), codAnu: lp.codAnu,
    codOpiIntEpo: lp.codOpiIntEpo ?? null, codEtu: lp.codEtu ?? null, ine: lp.ine ?? null,
    codEtp: lp.codEtp, codVrsVet: lp.codVrsVet, codDip: lp.codDip ?? null, codVrsVdi: lp.codVrsVdi ?? null, codCge: lp.codCge ?? null,
    codRgi: lp.codRgi ?? null, codStu: lp.codStu ?? null, codCatOuiSi: lp.codCatOuiSi ?? null, mtfCat: lp.mtfCat ?? null,
    codCatExoExt: lp.codCatExoExt ?? null, libCmtLpa: lp.libCmtLpa ?? null,
    dateDebutValidite: lp.dateDebutValidite ?? null, dateFinValidite: lp.dateFinValidite ?? null,
  };
}

export function versLecture(e: LaissezPasserEntite): LaissezPasserLu {
  const champs: (keyof LaissezPasser)[] = ['typLpa', 'codAnu', 'codOpiIntEpo', 'codEtu', 'ine', 'codEtp', 'codVrsVet', 'codDip', 'codVrsVdi', 'codCge',
    'codRgi', 'codStu', 'codCatOuiSi', 'mtfCat', 'codCatExoExt', 'libCmtLpa', 'dateDebutValidite', 'dateFinValidite'];
  const lp: Record<string, unknown> = { id: e.id };
  for (const c of champs) if (e[c as keyof LaissezPasserEntite] !== null) lp[c] = e[c as keyof LaissezPasserEntite];
  return {
    ...(lp as unknown as LaissezPasser & { id: number }), version: e.version, source: e.source,
    creeLe: new Date(e.creeLe).toISOString(), modifieLe: new Date(e.modifieLe).toISOString(), ...(e.jobId ? { jobId: e.jobId } : {}),
  };
}
