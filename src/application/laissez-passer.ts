/**
 * Laissez-passer use cases. One path for one LP (REST, SOAP V1/V2) and for many (SOAP bulk, REST
 * list, file jobs): `preparer` validates a list (canonical form → schema → rules → consistency with
 * existing OPIs) without a transaction, `ecrire` upserts the valid ones by identity in the caller's.
 */
import { avecZerosDeTete } from '../domain/nomenclatures';
import { lireId, lireLimite } from './pagination';
import type { LaissezPasser } from '../generated/laissez-passer';
import { ErreurMetier, probleme, type Probleme } from '../domain/errors';
import { canoniserLp, conflitsSynonymes } from '../domain/lp/canonique';
import { joindre } from '../domain/chemins';
import { cheminsSelonNomsRecus, cleLp, cleLpSiComplete, incoherencesAvecOpi, typLpaDeduit, verifierLp } from '../domain/lp/regles';
import { cleIndividu, normaliserCodEtu, normaliserCodOpi } from '../domain/identifiers/individu';
import { bilanListe, refusToutOuRien, type BilanListe, type ModeLot, type ResultatLigne } from '../domain/lots';
import { jsonStable, sha256 } from '../domain/empreinte';
import { problemesSchema } from './validation';
import type { ServiceNomenclatures } from './nomenclatures';
import type { Depots, LigneLp, UniteDeTravailPort } from './ports';
import type { LaissezPasserLigne } from './enregistrements';
import type { DefinitionOperation } from './pipeline';
import { aujourdhuiParis } from './horloge';
import { CHAMPS_LP } from './champs';
import { cederSiBesoin } from './ceder';

export { lireMode, bilanListe, type ModeLot, type ResultatLigne, type BilanListe, type StatutLigne } from '../domain/lots';

/** Largest list accepted in one call, SOAP or REST (larger: the file load). */
export const MAX_LP_PAR_APPEL = 10_000;

export interface LignePreparee {
  rang: number;
  lp?: LaissezPasser;
  problemes: Probleme[];
  /** A checked LP's identity key and the hash of its canonical record, computed once for the file's repeated rows and the write. */
  cle?: string;
  empreinte?: string;
}

export interface ResultatLp {
  resultat: 'CREE' | 'MIS_A_JOUR' | 'INCHANGE';
  id: number;
  laissezPasser: LaissezPasserLu;
  cle: string;
}

export type LaissezPasserLu = LaissezPasser & { id: number; version: number; source: string; creeLe: string; modifieLe: string; jobId?: string };

/** A list in one call: its items, its mode, and the path of the list in the request (`laissezPasser` in SOAP, `''` in REST). */
export interface EntreeListeLp {
  items: unknown[];
  mode: ModeLot;
  cheminListe: string;
}

export interface ResultatListeLp {
  resultats: ResultatLigne[];
  bilan: BilanListe;
  avertissements: Probleme[];
}

/** The key and the individual of a raw LP, for the journal (whatever its state). */
export function identiteBrute(brut: unknown): { cle?: string; individu?: string } {
  const canon = canoniserLp(brut);
  if (canon === null || typeof canon !== 'object' || Array.isArray(canon)) return {};
  const c = canon as Record<string, unknown>;
  return { cle: cleLpSiComplete(c), individu: cleIndividu(c) };
}

export class ServiceLp {
  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly nomenclatures: ServiceNomenclatures,
  ) {}

  /** The pipeline's view of the LP operations. */
  operations() {
    const enregistrer: DefinitionOperation<unknown, LignePreparee, ResultatLp> = {
      cle: (brut, r) => r?.cle ?? identiteBrute(brut).cle,
      individu: (brut) => identiteBrute(brut).individu,
      preparer: async (brut) => {
        const [x] = await this.preparer([{ rang: 1, brut }]);
        if (x.problemes.length) throw new ErreurMetier(x.problemes, 422);
        return x;
      },
      ecrire: (x, d, ctx) => this.ecrireUn(x, d, ctx.client),
      issue: (r) => ({ resultat: r.resultat }),
      statut: (r) => (r.resultat === 'CREE' ? 201 : 200),
    };
    const enMasse: DefinitionOperation<EntreeListeLp, { prepares: LignePreparee[]; mode: ModeLot }, ResultatListeLp> = {
      individu: (e) => unSeul(e.items.map((i) => identiteBrute(i).individu)),
      preparer: async (e) => {
        if (e.items.length === 0) throw ErreurMetier.une('LOT_VIDE', e.cheminListe);
        if (e.items.length > MAX_LP_PAR_APPEL) throw new ErreurMetier([probleme('LOT_TROP_GRAND', e.cheminListe, { max: MAX_LP_PAR_APPEL })], 413);
        const prepares = await this.preparer(
          e.items.map((brut, i) => ({ rang: i + 1, brut })),
          (rang) => `${e.cheminListe}[${rang - 1}]`,
        );
        return { prepares, mode: e.mode };
      },
      ecrire: async ({ prepares, mode }, d, ctx) => {
        const resultats = (mode === 'tout-ou-rien' ? refusToutOuRien(prepares) : undefined) ?? (await this.ecrire(d, prepares, ctx.client));
        return { resultats, bilan: bilanListe(resultats), avertissements: resultats.flatMap((x) => x.problemes ?? []).slice(0, 50) };
      },
      issue: (r) => ({ resultat: r.bilan.resultat, avertissements: r.avertissements }),
    };
    const supprimer: DefinitionOperation<string | number, number, { resultat: 'SUPPRIME'; id: number; cle: string; individu?: string }> = {
      cle: (id, r) => r?.cle ?? String(id),
      individu: (_id, r) => r?.individu,
      preparer: async (brut) => lireId(brut),
      ecrire: async (id, d) => {
        const e = await d.lp.lire(id);
        if (!e) throw ErreurMetier.une('LP_INTROUVABLE', 'id', { id });
        await d.lp.supprimer(id);
        return { resultat: 'SUPPRIME', id, cle: e.cle, individu: cleIndividu(e) };
      },
      issue: (r) => ({ resultat: r.resultat }),
      statut: () => 204,
    };
    const lire: DefinitionOperation<string | number, never, LaissezPasserLu> = {
      cle: (id) => String(id),
      individu: (_id, r) => (r ? cleIndividu(r) : undefined),
      lire: (id) => this.lire(lireId(id)),
      issue: () => ({ resultat: 'LU' }),
    };
    const rechercher: DefinitionOperation<Record<string, string | undefined>, never, { laissezPasser: LaissezPasserLu[]; suivant: number | null }> = {
      individu: (q) => cleIndividu({ codOpiIntEpo: q.codOpiIntEpo ?? q.numOPI, codEtu: q.codEtu, ine: q.ine }),
      lire: (q) => this.rechercher(q),
      issue: () => ({ resultat: 'LU' }),
    };
    return { enregistrer, enMasse, supprimer, lire, rechercher };
  }

  /**
   * Validates every item; `prefixe(rang)` gives the path prefix of an item's problems
   * (`''` for a single LP, `laissezPasser[3]` in a SOAP list, `''` for a file row).
   */
  async preparer(items: { rang: number; brut: unknown }[], prefixe: (rang: number) => string = () => ''): Promise<LignePreparee[]> {
    const catalogue = await this.nomenclatures.catalogue();
    const aujourdHui = aujourdhuiParis();
    const preparerUn = ({ rang, brut }: { rang: number; brut: unknown }): LignePreparee => {
      const canon = canoniserLp(brut);
      const p = prefixe(rang);
      const conflits = conflitsSynonymes(brut).map((c) => probleme('SYNONYMES_CONTRADICTOIRES', joindre(p, c.champ), { valeurs: c.valeurs.join(' / ') }));
      if (conflits.length) return { rang, problemes: conflits };
      const schema =
        canon === null || typeof canon !== 'object' || Array.isArray(canon)
          ? [probleme('TYPE_INVALIDE', p, { attendu: 'objet' })]
          : problemesSchema('laissez-passer', canon, p);
      if (schema.length) return { rang, problemes: schema };
      const lp = canon as LaissezPasser;
      // `01` read as `1` (a spreadsheet's number cell): the statut the table makes unambiguous.
      if (lp.codStu) lp.codStu = avecZerosDeTete(catalogue, 'statuts', lp.codStu);
      return { rang, lp, problemes: verifierLp(lp, { catalogue, aujourdHui }, p), cle: cleLp(lp), empreinte: sha256(jsonStable(lp)) };
    };
    const prepares: LignePreparee[] = [];
    for (let i = 0; i < items.length; i++) {
      prepares.push(preparerUn(items[i]));
      await cederSiBesoin(i);
    }
    // Consistency with the OPIs already known (one query per chunk).
    const codes = [...new Set(prepares.filter((x) => x.lp?.codOpiIntEpo && !x.problemes.length).map((x) => x.lp!.codOpiIntEpo!))];
    if (codes.length) {
      const opis = await this.unite.lecture.opi.parCodes(codes);
      for (const x of prepares) {
        const opi = x.lp?.codOpiIntEpo ? opis.get(x.lp.codOpiIntEpo) : undefined;
        if (opi && !x.problemes.length) x.problemes.push(...incoherencesAvecOpi(x.lp!, opi, prefixe(x.rang)));
      }
    }
    return prepares.map((x, i) => (x.problemes.length ? { ...x, problemes: cheminsSelonNomsRecus(x.problemes, items[i].brut, prefixe(x.rang)) } : x));
  }

  /**
   * Upserts the valid items by identity, in the caller's transaction; within one list, a later item
   * with the same identity updates the earlier one. Returns one result per item, in order.
   */
  async ecrire(d: Depots, prepares: LignePreparee[], client: string, jobId: string | null = null, options: { ids?: boolean } = {}): Promise<ResultatLigne[]> {
    const valides = prepares.filter((x) => x.lp && x.problemes.length === 0);
    const existants = await d.lp.parCles([...new Set(valides.map((x) => x.cle ?? cleLp(x.lp!)))]);
    const maintenant = new Date();
    const aCreer = new Map<string, { ligne: LigneLp; rangs: number[] }>();
    const resultats = new Map<number, ResultatLigne>();
    for (const x of valides) {
      const lp = x.lp!;
      const cle = x.cle ?? cleLp(lp);
      const empreinte = x.empreinte ?? sha256(jsonStable(lp));
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
        aCreer.set(cle, { ligne, rangs: [x.rang] }); // `versLigne` gives version 1, created now
        resultats.set(x.rang, { rang: x.rang, statut: 'CREE' });
      } else if (existant.empreinte === empreinte) {
        resultats.set(x.rang, { rang: x.rang, statut: 'INCHANGE', id: existant.id });
      } else {
        existant.version += 1;
        existant.empreinte = empreinte;
        // Its creation date stays.
        const { creeLe: _, ...maj } = ligne;
        await d.lp.mettreAJour(existant.id, { ...maj, version: existant.version });
        resultats.set(x.rang, { rang: x.rang, statut: 'MIS_A_JOUR', id: existant.id });
      }
    }
    const nouveaux = [...aCreer.values()];
    // File loads do not report per-row ids (the rows are found by `jobId`): no read-back then.
    const ids = await d.lp.inserer(
      nouveaux.map((n) => n.ligne),
      options.ids !== false,
    );
    if (options.ids !== false)
      nouveaux.forEach((n, i) => {
        for (const r of n.rangs) resultats.get(r)!.id = ids[i];
      });
    return prepares.map((x) => resultats.get(x.rang) ?? { rang: x.rang, statut: 'REJETE', problemes: x.problemes });
  }

  /** One valid LP: created, updated or unchanged, read back in the same transaction. */
  private async ecrireUn(x: LignePreparee, d: Depots, client: string): Promise<ResultatLp> {
    const [r] = await this.ecrire(d, [x], client);
    const lu = await d.lp.lire(r.id!);
    return { resultat: r.statut as ResultatLp['resultat'], id: r.id!, laissezPasser: versLecture(lu!), cle: cleLp(x.lp!) };
  }

  async lire(id: number): Promise<LaissezPasserLu> {
    const e = await this.unite.lecture.lp.lire(id);
    if (!e) throw ErreurMetier.une('LP_INTROUVABLE', 'id', { id });
    return versLecture(e);
  }

  async rechercher(q: Record<string, string | undefined>): Promise<{ laissezPasser: LaissezPasserLu[]; suivant: number | null }> {
    const limite = lireLimite(q.limite, 100, 1000);
    const entier = (k: string) => {
      if (q[k] === undefined) return undefined;
      if (!/^\d{1,9}$/.test(q[k]!)) throw ErreurMetier.une('PARAMETRE_INVALIDE', k, { detail: `${k} : un entier` });
      return Number(q[k]);
    };
    const opi = q.codOpiIntEpo ?? q.numOPI;
    const criteres = {
      codAnu: q.codAnu,
      codOpiIntEpo: opi === undefined ? undefined : normaliserCodOpi(opi),
      codEtu: q.codEtu === undefined ? undefined : normaliserCodEtu(q.codEtu),
      ine: q.ine?.toUpperCase(),
      codEtp: q.codEtp?.toUpperCase(),
      codVrsVet: entier('codVrsVet'),
      jobId: q.jobId,
      avant: entier('avant'),
    };
    if (Object.entries(criteres).every(([k, v]) => v === undefined || k === 'avant')) {
      throw ErreurMetier.une('CRITERE_RECHERCHE_MANQUANT', '', { criteres: 'codAnu, codOpiIntEpo, codEtu, ine, codEtp (+ codVrsVet) ou jobId' });
    }
    const lignes = await this.unite.lecture.lp.rechercher(criteres, limite);
    return { laissezPasser: lignes.map(versLecture), suivant: lignes.length === limite ? lignes[lignes.length - 1].id : null };
  }
}

/** The one value of a list when all agree (a list about one individual), else undefined. */
function unSeul(valeurs: (string | undefined)[]): string | undefined {
  const s = new Set(valeurs);
  return s.size === 1 ? valeurs[0] : undefined;
}

function versLigne(lp: LaissezPasser, cle: string, empreinte: string, client: string, jobId: string | null, maintenant: Date): LigneLp {
  const ligne: Record<string, unknown> = {};
  for (const c of CHAMPS_LP) ligne[c] = lp[c] ?? null;
  ligne.typLpa = lp.typLpa ?? typLpaDeduit(lp) ?? 'REINS';
  ligne.cle = cle;
  ligne.empreinte = empreinte;
  ligne.source = client;
  ligne.jobId = jobId;
  ligne.modifieLe = maintenant;
  ligne.creeLe = maintenant;
  ligne.version = 1;
  return ligne as unknown as LigneLp;
}

export function versLecture(e: LaissezPasserLigne): LaissezPasserLu {
  const lp: Record<string, unknown> = { id: e.id };
  for (const c of CHAMPS_LP) {
    const v = (e as unknown as Record<string, unknown>)[c];
    if (v !== null && v !== undefined) lp[c] = v;
  }
  return {
    ...(lp as unknown as LaissezPasser & { id: number }),
    version: e.version,
    source: e.source,
    creeLe: new Date(e.creeLe).toISOString(),
    modifieLe: new Date(e.modifieLe).toISOString(),
    ...(e.jobId ? { jobId: e.jobId } : {}),
  };
}
