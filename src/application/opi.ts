/**
 * OPI use cases: upsert by `codOpiIntEpo` (one transaction: individu + the exact vœux set +
 * duplicate warnings), read, search. Every door (SOAP, REST, batch) calls these with the raw record.
 */
import { lireLimite } from './pagination';
import type { DonneesOpi, MAJOpiVoeuDTO3 } from '../generated/opi';
import { ErreurMetier, probleme, type Probleme } from '../domain/errors';
import { canoniserOpi } from '../domain/opi/canonique';
import { verifierOpi } from '../domain/opi/regles';
import { detecterDoublons } from '../domain/opi/doublons';
import { verifierIne, normaliserIne } from '../domain/identifiers/ine';
import { cleComparaison } from '../domain/text';
import { parseDateIso } from '../domain/dates';
import { jsonStable } from '../domain/empreinte';
import { validerSchema } from './validation';
import type { ServiceNomenclatures } from './nomenclatures';
import { aujourdhuiParis, anneeCampagne } from './horloge';
import type { CandidatDoublon, CritereOpi, Depots, UniteDeTravailPort, VerificateurInes } from './ports';
import type { IndividuOpiLigne, VoeuOpiLigne } from './enregistrements';
import type { ContexteAppel, DefinitionOperation } from './pipeline';
import { cleIndividu, normaliserCodEtu, normaliserCodOpi } from '../domain/identifiers/individu';
import { opiAutorisee } from '../domain/securite';
import { empreinteDeJson, empreinteOpi, identiteDe, ligneDoublon, ligneIndividu, ligneVoeu, resultatUpsert } from './opi-lignes';
import { ecrirePaquetOpi } from './opi-paquet';

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
  /** Possible duplicates, with where each other OPI came from (the same person sent by two platforms). */
  doublons: { motif: string; codOpiIntEpo: string; source: string | null; detecteLe: string }[];
  donnees: DonneesOpi;
}

/** What a door hands in: the record as sent, and the number in the URL (REST). */
export interface EntreeOpi {
  corps: unknown;
  codOpiIntEpo?: string;
}

export interface OpiPreparee {
  opi: DonneesOpi;
  /** The canonical record without its vœux, as stored (JSON): read by the hash and by the write. */
  donneesSansVoeux: string;
  /** When the record carries its vœux: each one's canonical JSON (as stored) and the record's hash. */
  voeuxJson?: string[];
  empreinte?: string;
  aujourdHui: string;
  avertissementsInes: Probleme[];
  /** Stored already exactly as sent, no new possible duplicate: nothing to write. */
  inchangee?: ResultatUpsertOpi;
  /** Not stored when read just before: the write's first try inserts without the locking read. */
  absente?: boolean;
  /**
   * The possible duplicates that read found, with the pairs recorded then for the individu `idLu`
   * (none for a new one): the write's first try uses them instead of searching again.
   */
  candidatsLus?: CandidatDoublon[];
  idLu?: number;
}

/** The OPI number a message carries (URL first, else the body), for the journal. */
function codeDe(e: EntreeOpi): string | undefined {
  const c = e.codOpiIntEpo ?? (e.corps as { individu?: { codOpiIntEpo?: unknown } } | undefined)?.individu?.codOpiIntEpo;
  return typeof c === 'string' && c.trim() ? normaliserCodOpi(c) : undefined;
}

export class ServiceOpi {
  constructor(
    private readonly unite: UniteDeTravailPort,
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

  /** The pipeline's view of the OPI operations. */
  operations(): {
    enregistrer: DefinitionOperation<EntreeOpi, OpiPreparee, ResultatUpsertOpi>;
    lire: DefinitionOperation<string, never, OpiLue>;
    rechercher: DefinitionOperation<Record<string, string | undefined>, never, { resultats: OpiLue[] }>;
  } {
    return {
      enregistrer: {
        cle: (e) => codeDe(e),
        individu: (e) => cleIndividu({ codOpiIntEpo: codeDe(e) }),
        preparer: (e) => this.preparer(e),
        ecrire: (p, d, ctx) => this.ecrire(p, d, ctx),
        sansEcriture: (p) => p.inchangee,
        issue: (r) => ({ resultat: r.resultat, avertissements: r.avertissements }),
        statut: (r) => (r.resultat === 'CREE' ? 201 : 200),
      },
      lire: {
        cle: (code) => normaliserCodOpi(code),
        individu: (code) => cleIndividu({ codOpiIntEpo: code }),
        lire: (code) => this.lire(code),
        issue: () => ({ resultat: 'LU' }),
      },
      rechercher: {
        // A client bound to prefixes finds only its own OPIs.
        lire: async (q, ctx) => ({ resultats: (await this.rechercher(q)).filter((o) => opiAutorisee(o.codOpiIntEpo, ctx.prefixesOpi, ctx.portees)) }),
        individu: (q) => cleIndividu({ codEtu: q.codEtu, ine: q.ine }),
        issue: () => ({ resultat: 'LU' }),
      },
    };
  }

  /**
   * Canonical form, schema, rules, remote INE check: everything that needs no transaction; and, for a
   * single record (`lectureAvant`), whether it is stored already (a file's rows are not read one by one).
   */
  async preparer(e: EntreeOpi, options: { lectureAvant?: boolean } = {}): Promise<OpiPreparee> {
    const opi = validerSchema<DonneesOpi>('opi', canoniserOpi(e.corps));
    const code = opi.individu.codOpiIntEpo;
    if (e.codOpiIntEpo !== undefined && normaliserCodOpi(e.codOpiIntEpo) !== code) {
      throw ErreurMetier.une('CODE_OPI_DIFFERENT', 'individu.codOpiIntEpo', { corps: code, url: e.codOpiIntEpo });
    }
    const aujourdHui = aujourdhuiParis();
    const problemes = verifierOpi(opi, { catalogue: await this.nomenclatures.catalogue(), aujourdHui });
    if (problemes.length) throw new ErreurMetier(problemes, 422);
    const avertissementsInes = await this.verifierInesEnLigne(opi);
    const { voeux: _voeux, ...sansVoeux } = opi;
    const donneesSansVoeux = jsonStable(sansVoeux);
    const voeuxJson = opi.voeux?.map((v) => jsonStable(v));
    const empreinte = voeuxJson && empreinteDeJson(donneesSansVoeux, voeuxJson);
    return {
      opi,
      donneesSansVoeux,
      voeuxJson,
      empreinte,
      aujourdHui,
      avertissementsInes,
      ...(options.lectureAvant === false || empreinte === undefined ? {} : await this.dejaLa(opi, empreinte, avertissementsInes)),
    };
  }

  /**
   * A re-send of what is stored, told by one read without a lock or a transaction (platforms re-send
   * their whole lists, most records unchanged): the stored hash is this record's, and every possible
   * duplicate found now is recorded already. Otherwise undefined, and the write decides under its lock.
   */
  private async dejaLa(
    opi: DonneesOpi,
    empreinte: string,
    avertissementsInes: Probleme[],
  ): Promise<Pick<OpiPreparee, 'inchangee' | 'absente' | 'candidatsLus' | 'idLu'>> {
    // Only for a record with its vœux (without, the stored ones are kept: the hash needs them, read in the write).
    const voeux = opi.voeux ?? [];
    const code = opi.individu.codOpiIntEpo;
    try {
      return await this.unite.lireBorne(async (d) => {
        const identite = { ...identiteDe(opi), codOpiIntEpo: code };
        const { etat, candidats } = await d.opi.etatEtCandidats(code, identite);
        if (!etat) return { absente: true, candidatsLus: candidats };
        const lus = { candidatsLus: candidats, idLu: etat.id };
        if (etat.empreinte !== empreinte) return lus;
        const moi = { ...identite, id: etat.id };
        const trouves = detecterDoublons(moi, candidats);
        if (trouves.some((t) => !candidats.find((c) => c.id === t.existant.id)?.motifsConnus.includes(t.motif))) return lus;
        return { inchangee: resultatUpsert('INCHANGE', code, etat.version, avertissementsInes, trouves, voeux) };
      });
    } catch {
      // Only a shortcut: whatever went wrong, the write reads again under its lock and says it properly.
      return {};
    }
  }

  /** Creates or updates the OPI in the transaction given. */
  async ecrire(p: OpiPreparee, d: Depots, ctx: Pick<ContexteAppel, 'client'>): Promise<ResultatUpsertOpi> {
    const { opi, aujourdHui, avertissementsInes } = p;
    // Absent a moment ago: the INSERT is the check (a concurrent first write fails it on the unique key,
    // and the transaction's retry — this function again — reads under the lock).
    const sansVerrou = p.absente === true;
    p.absente = false;
    const client = ctx.client;
    const code = opi.individu.codOpiIntEpo;
    const voeux = opi.voeux;
    const donnees = p.donneesSansVoeux;
    const identite = identiteDe(opi);
    const depot = d.opi;
    const existant = sansVerrou ? null : await depot.trouverPourMiseAJour(code);
    // The lock-free read's search, on the first try only (a retry searches again, under the lock).
    const lus = p.candidatsLus && (sansVerrou || p.idLu === existant?.id) ? p.candidatsLus : undefined;
    p.candidatsLus = undefined;
    const voeuxEffectifs: MAJOpiVoeuDTO3[] = voeux ?? (existant ? (await depot.voeuxDe(existant.id)).map((v) => JSON.parse(v.donnees) as MAJOpiVoeuDTO3) : []);
    const empreinte = p.empreinte ?? empreinteOpi(donnees, voeuxEffectifs);
    const maintenant = new Date();
    const ligne = ligneIndividu(opi, identite, {
      donnees,
      empreinte,
      source: client,
      modifieLe: maintenant,
      codAnu: anneeCampagne(aujourdHui, this.anneeForcee),
    });
    let id: number;
    let version: number;
    let resultat: ResultatEcriture;
    if (!existant) {
      const cree = await depot.creer({ ...ligne, version: 1, creeLe: maintenant });
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
      await depot.mettreAJour(id, { ...ligne, version });
      resultat = 'MIS_A_JOUR';
    }
    if (resultat !== 'INCHANGE' && (voeux !== undefined || !existant)) {
      await depot.remplacerVoeux(
        id,
        voeuxEffectifs.map((v, rang) => ligneVoeu(v, rang, p.voeuxJson?.[rang])),
        { nouveau: !existant },
      );
    }

    // Duplicates: looked for on every write, stored once per (pair, reason), reported every time.
    const moi = { ...identite, id, codOpiIntEpo: code };
    // The search is the lock-free read's of a moment ago (one search per record); a pair missed in that
    // moment is recorded at the next re-send of either OPI, which searches again. A pair recorded
    // meanwhile by another write fails the insert on its unique key: the retry searches under the lock.
    const candidats = lus ?? (await depot.candidatsDoublons(moi));
    const connus = new Set(candidats.flatMap((c) => c.motifsConnus.map((m) => `${c.id}|${m}`)));
    const trouves = detecterDoublons(moi, candidats);
    await depot.ajouterDoublons(trouves.filter((t) => !connus.has(`${t.existant.id}|${t.motif}`)).map((t) => ligneDoublon(moi, t, maintenant)));
    return resultatUpsert(resultat, code, version, avertissementsInes, trouves, voeuxEffectifs);
  }

  /**
   * A file's chunk of OPIs in the transaction given, in order: in a few statements for the whole chunk
   * when every row carries its vœux and no number repeats (a file's rows), else row after row.
   */
  async ecrirePlusieurs(ps: OpiPreparee[], d: Depots, ctx: Pick<ContexteAppel, 'client'>): Promise<ResultatUpsertOpi[]> {
    const codes = new Set(ps.map((p) => p.opi.individu.codOpiIntEpo));
    if (ps.length > 1 && codes.size === ps.length && ps.every((p) => p.opi.voeux !== undefined)) {
      return ecrirePaquetOpi(ps, d, { client: ctx.client, codAnu: (j) => anneeCampagne(j, this.anneeForcee) });
    }
    const resultats: ResultatUpsertOpi[] = [];
    for (const p of ps) resultats.push(await this.ecrire(p, d, ctx));
    return resultats;
  }

  async lire(codOpiIntEpo: string): Promise<OpiLue> {
    const code = normaliserCodOpi(codOpiIntEpo);
    const depot = this.unite.lecture.opi;
    const ind = await depot.lire(code);
    if (!ind) throw ErreurMetier.une('OPI_INTROUVABLE', 'codOpiIntEpo', { codOpiIntEpo: code });
    const [voeux, doublons] = await Promise.all([depot.voeuxDe(ind.id), depot.doublonsConnus(ind.id)]);
    const sources = new Map<string, string>();
    for (const code of new Set(doublons.map((d) => d.codOpiIntEpoExistant))) sources.set(code, (await depot.lire(code))?.source ?? '');
    return versLecture(
      ind,
      voeux,
      doublons.map((d) => ({
        motif: d.motif,
        codOpiIntEpo: d.codOpiIntEpoExistant,
        source: sources.get(d.codOpiIntEpoExistant) || null,
        detecteLe: new Date(d.detecteLe).toISOString(),
      })),
    );
  }

  /** Search by INE, by student number, or by birth name (+ first name) and birth date. */
  async rechercher(q: { ine?: string; nom?: string; prenom?: string; dateNaissance?: string; codEtu?: string; limite?: string }): Promise<OpiLue[]> {
    const limite = lireLimite(q.limite, 50, 200);
    const critere: CritereOpi = {};
    if (q.ine) {
      const v = verifierIne(normaliserIne(q.ine));
      if (!v.valide) throw ErreurMetier.une(v.raison === 'CLE' ? 'INE_CLE_INVALIDE' : 'INE_FORMAT_INVALIDE', 'ine');
      critere.ine = { nne: v.nne, cle: v.cle };
    }
    if (q.codEtu) {
      const codEtu = normaliserCodEtu(q.codEtu);
      if (!/^\d{1,8}$/.test(codEtu)) throw ErreurMetier.une('FORMAT_INVALIDE', 'codEtu', { attendu: 'un numéro étudiant, 8 chiffres au plus' });
      critere.codEtu = Number(codEtu);
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
    const individus = await this.unite.lecture.opi.rechercher(critere, limite);
    const voeux = await this.unite.lecture.opi.voeuxDePlusieurs(individus.map((i) => i.id));
    return individus.map((i) =>
      versLecture(
        i,
        voeux.filter((v) => v.individuOpiId === i.id),
        [],
      ),
    );
  }
}

function versLecture(ind: IndividuOpiLigne, voeux: VoeuOpiLigne[], doublons: OpiLue['doublons']): OpiLue {
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
