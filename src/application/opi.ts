/**
 * OPI use cases: upsert by `codOpiIntEpo` (one transaction: individu + the exact vœux set +
 * duplicate warnings), read, search. Every door (SOAP, REST, batch) calls these with the raw record.
 */
import { lireLimite } from './pagination';
import type { DonneesOpi, MAJOpiVoeuDTO3 } from '../generated/opi';
import { ErreurMetier, probleme, type Probleme } from '../domain/errors';
import { canoniserOpi } from '../domain/opi/canonique';
import { verifierOpi } from '../domain/opi/regles';
import { detecterDoublons, type IdentiteOpi } from '../domain/opi/doublons';
import { verifierIne, normaliserIne } from '../domain/identifiers/ine';
import { cleComparaison } from '../domain/text';
import { parseDateIso } from '../domain/dates';
import { jsonStable, sha256 } from '../domain/empreinte';
import { validerSchema } from './validation';
import type { ServiceNomenclatures } from './nomenclatures';
import type { DepotOpi, LigneVoeu } from '../persistence/depot-opi';
import type { UniteDeTravail } from '../persistence/unite-de-travail';
import type { IndividuOpi, VoeuOpi } from '../persistence/entities';
import { aujourdhuiParis, anneeCampagne } from './horloge';
import type { VerificateurInes } from './ports';

export type ResultatEcriture = 'CREE' | 'MIS_A_JOUR' | 'INCHANGE';

export interface ResultatUpsertOpi {
  resultat: ResultatEcriture;
  codOpiIntEpo: string;
  version: number;
  /** Warnings (possible duplicates): stored, reported, not blocking. */
  avertissements: Probleme[];
  /** Every vœu stored, in the order sent: an OPI is acknowledged only with all its vœux. */
  voeux: { codCge: string; codEtp: string; codVrsVet: number; statut: 'ENREGISTRE' }[];
}

export interface OpiLue {
  codOpiIntEpo: string;
  version: number;
  source: string;
  creeLe: string;
  modifieLe: string;
  doublons: { motif: string; codOpiIntEpo: string; detecteLe: string }[];
  donnees: DonneesOpi;
}

export class ServiceOpi {
  constructor(
    private readonly depot: DepotOpi,
    private readonly unite: UniteDeTravail,
    private readonly nomenclatures: ServiceNomenclatures,
    private readonly anneeForcee?: string,
    private readonly ines?: VerificateurInes,
  ) {}

  /** RNIE-form INE (key not checkable locally): asks the INES service when one is configured. */
  private async verifierInesEnLigne(opi: DonneesOpi): Promise<Probleme[]> {
    const ine = opi.individu.etatCivil.codNneIndOpi;
    if (!this.ines || !ine) return [];
    const v = verifierIne(ine);
    if (!v.valide || v.format !== 'INE_RNIE') return [];
    const verdict = await this.ines.verifier(v.nne, v.cle);
    if (verdict === 'INVALIDE') throw ErreurMetier.une('INE_REFUSE_PAR_INES', 'individu.etatCivil.codNneIndOpi');
    return verdict === 'INDISPONIBLE' ? [probleme('INES_INDISPONIBLE', 'individu.etatCivil.codNneIndOpi')] : [];
  }

  /** Validates then creates or updates the OPI; `codeAttendu` is the number in the URL (REST). */
  async enregistrer(brut: unknown, client: string, codeAttendu?: string): Promise<ResultatUpsertOpi> {
    const opi = validerSchema<DonneesOpi>('opi', canoniserOpi(brut));
    const code = opi.individu.codOpiIntEpo;
    if (codeAttendu !== undefined && codeAttendu.trim().toUpperCase() !== code) {
      throw ErreurMetier.une('CODE_OPI_DIFFERENT', 'individu.codOpiIntEpo', { corps: code, url: codeAttendu });
    }
    const aujourdHui = aujourdhuiParis();
    const problemes = verifierOpi(opi, { catalogue: await this.nomenclatures.catalogue(), aujourdHui });
    if (problemes.length) throw new ErreurMetier(problemes, 422);
    const avertissementsInes = await this.verifierInesEnLigne(opi);

    const { voeux, ...sansVoeux } = opi;
    const donnees = jsonStable(sansVoeux);
    const identite = identiteDe(opi);

    return this.unite.executer(async (em) => {
      const existant = await this.depot.trouverPourMiseAJour(em, code);
      const voeuxEffectifs: MAJOpiVoeuDTO3[] = voeux
        ?? (existant ? (await this.depot.voeuxDe(em, existant.id)).map((v) => JSON.parse(v.donnees) as MAJOpiVoeuDTO3) : []);
      const empreinte = sha256(`${donnees}|${jsonStable(voeuxEffectifs)}`);
      const maintenant = new Date();
      const ligne = {
        ...identite, codOpiIntEpo: code,
        codSexEtuOpi: opi.individu.etatCivil.codSexEtuOpi ?? null,
        codPayNat: opi.individu.donneesNaissance.codPayNat ?? null,
        codRgi: opi.individu.donneesPersonnelles?.codRgi ?? null,
        codStu: opi.individu.donneesPersonnelles?.codStu ?? null,
        libNomPatIndOpi: opi.individu.etatCivil.libNomPatIndOpi,
        libNomUsuIndOpi: opi.individu.etatCivil.libNomUsuIndOpi ?? null,
        libPr1IndOpi: opi.individu.etatCivil.libPr1IndOpi,
        donnees, empreinte, source: client, modifieLe: maintenant, codAnu: anneeCampagne(aujourdHui, this.anneeForcee),
      };
      let id: number;
      let version: number;
      let resultat: ResultatEcriture;
      if (!existant) {
        const cree = await this.depot.creer(em, { ...ligne, version: 1, creeLe: maintenant });
        id = cree.id;
        version = 1;
        resultat = 'CREE';
      } else if (existant.empreinte === empreinte) {
        id = existant.id;
        version = existant.version;
        resultat = 'INCHANGE';
      } else {
        id = existant.id;
        version = existant.version + 1;
        await this.depot.mettreAJour(em, id, { ...ligne, version });
        resultat = 'MIS_A_JOUR';
      }
      if (resultat !== 'INCHANGE' && (voeux !== undefined || !existant)) {
        await this.depot.remplacerVoeux(em, id, voeuxEffectifs.map(ligneVoeu));
      }

      // Duplicates: looked for on every write, stored once per (pair, reason), reported every time.
      const trouves = detecterDoublons({ ...identite, id, codOpiIntEpo: code }, await this.depot.candidatsDoublons(em, { ...identite, id, codOpiIntEpo: code }));
      const connus = new Set((await this.depot.doublonsConnus(em, id)).map((d) => `${d.individuOpiIdExistant}|${d.motif}`));
      await this.depot.ajouterDoublons(em, trouves.filter((t) => !connus.has(`${t.existant.id}|${t.motif}`)).map((t) => ({
        individuOpiId: id, codOpiIntEpo: code, individuOpiIdExistant: t.existant.id,
        codOpiIntEpoExistant: t.existant.codOpiIntEpo, motif: t.motif, detecteLe: maintenant,
      })));
      return {
        resultat, codOpiIntEpo: code, version,
        avertissements: [...avertissementsInes, ...trouves.map((t) => probleme(t.motif, 'individu', { autre: t.existant.codOpiIntEpo }))],
        voeux: voeuxEffectifs.map((v) => ({ codCge: v.codCge, codEtp: v.codEtp, codVrsVet: v.codVrsVet, statut: 'ENREGISTRE' as const })),
      };
    });
  }

  async lire(codOpiIntEpo: string): Promise<OpiLue> {
    const code = codOpiIntEpo.trim().toUpperCase();
    const ind = await this.depot.lire(code);
    if (!ind) throw ErreurMetier.une('OPI_INTROUVABLE', 'codOpiIntEpo', { codOpiIntEpo: code });
    const [voeux, doublons] = await Promise.all([this.depot.voeuxDe(undefined, ind.id), this.depot.doublonsConnus(undefined, ind.id)]);
    return versLecture(ind, voeux, doublons.map((d) => ({ motif: d.motif, codOpiIntEpo: d.codOpiIntEpoExistant, detecteLe: new Date(d.detecteLe).toISOString() })));
  }

  /** Search by INE, by student number, or by birth name (+ first name) and birth date. */
  async rechercher(q: { ine?: string; nom?: string; prenom?: string; dateNaissance?: string; codEtu?: string; limite?: string }): Promise<OpiLue[]> {
    const limite = lireLimite(q.limite, 50, 200);
    const critere: Parameters<DepotOpi['rechercher']>[0] = {};
    if (q.ine) {
      const v = verifierIne(normaliserIne(q.ine));
      if (!v.valide) throw ErreurMetier.une(v.raison === 'CLE' ? 'INE_CLE_INVALIDE' : 'INE_FORMAT_INVALIDE', 'ine');
      critere.ine = { nne: v.nne, cle: v.cle };
    }
    if (q.codEtu) {
      if (!/^\d{1,8}$/.test(q.codEtu)) throw ErreurMetier.une('FORMAT_INVALIDE', 'codEtu');
      critere.codEtu = Number(q.codEtu);
    }
    if (q.nom) {
      if (!q.dateNaissance) throw ErreurMetier.une('CRITERE_RECHERCHE_MANQUANT', 'dateNaissance', { criteres: 'nom va avec dateNaissance (AAAA-MM-JJ)' });
      critere.cleNom = cleComparaison(q.nom);
      if (q.prenom) critere.clePrenom = cleComparaison(q.prenom);
    }
    if (q.dateNaissance) {
      const d = parseDateIso(q.dateNaissance);
      if (!d) throw ErreurMetier.une('DATE_INVALIDE', 'dateNaissance', { format: 'AAAA-MM-JJ' });
      if (!q.nom) throw ErreurMetier.une('CRITERE_RECHERCHE_MANQUANT', 'nom', { criteres: 'dateNaissance va avec nom' });
      critere.dateNai = d;
    }
    if (!critere.ine && !critere.cleNom && critere.codEtu === undefined) {
      throw ErreurMetier.une('CRITERE_RECHERCHE_MANQUANT', '', { criteres: 'ine, codEtu, ou nom + dateNaissance' });
    }
    const individus = await this.depot.rechercher(critere, limite);
    const voeux = await this.depot.voeuxDePlusieurs(individus.map((i) => i.id));
    return individus.map((i) => versLecture(i, voeux.filter((v) => v.individuOpiId === i.id), []));
  }
}

function identiteDe(opi: DonneesOpi): Omit<IdentiteOpi, 'id' | 'codOpiIntEpo'> {
  const ec = opi.individu.etatCivil;
  let nne: string | null = null;
  let cle: string | null = null;
  if (ec.codNneIndOpi) {
    const v = verifierIne(ec.codNneIndOpi);
    if (v.valide) {
      nne = v.nne;
      cle = v.cle;
    }
  }
  return {
    codEtuOpi: opi.individu.codEtuOpi ?? null,
    codNneIndOpi: nne,
    codCleNneIndOpi: cle,
    cleNomPat: cleComparaison(ec.libNomPatIndOpi).slice(0, 30),
    clePr1: cleComparaison(ec.libPr1IndOpi).slice(0, 20),
    dateNaiIndOpi: opi.individu.donneesNaissance.dateNaiIndOpi,
  };
}

function ligneVoeu(v: MAJOpiVoeuDTO3, rang: number): LigneVoeu {
  return {
    rang, numCls: v.numCls, codCge: v.codCge, codEtp: v.codEtp, codVrsVet: v.codVrsVet,
    codDip: v.codDip ?? null, codVrsVdi: v.codVrsVdi ?? null, codCmp: v.codCmp ?? null,
    codDecVeu: v.codDecVeu, codDemDos: v.codDemDos, codRge: v.codRge ?? null,
    codCatOuiSi: v.codCatOuiSi ?? null, mtfCat: v.mtfCat ?? null,
    codCatExoExt: v.codCatExoExt ?? null, comExoExt: v.comExoExt ?? null,
    donnees: jsonStable(v),
  };
}

function versLecture(ind: IndividuOpi, voeux: VoeuOpi[], doublons: OpiLue['doublons']): OpiLue {
  const donnees = JSON.parse(ind.donnees) as DonneesOpi;
  return {
    codOpiIntEpo: ind.codOpiIntEpo,
    version: ind.version,
    source: ind.source,
    creeLe: new Date(ind.creeLe).toISOString(),
    modifieLe: new Date(ind.modifieLe).toISOString(),
    doublons,
    donnees: { ...donnees, voeux: voeux.map((v) => JSON.parse(v.donnees) as MAJOpiVoeuDTO3) },
  };
}
