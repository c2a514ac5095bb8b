/**
 * In-memory stores behind the application's ports (src/application/ports.ts), for use-case tests
 * without a database. The semantics are copied from src/persistence/*.ts: same filters, same orders,
 * same unique keys; see README.md for what they do not model.
 *
 * The state is a set of tables (arrays of rows). A transaction (`UniteMemoire.executer`) works on a
 * copy of the tables and the copy replaces the committed state only if the work resolves; rows are
 * never changed in place (an update replaces the row object), so copying a table is copying an
 * array of references. Rows go in and out as copies: a caller mutating what it read changes nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntreeNomenclature } from '../../src/domain/nomenclatures';
import { partageUnCritere, type IdentiteOpi } from '../../src/domain/opi/doublons';
import type {
  CompteursPaquet,
  CritereLp,
  CritereOpi,
  DepotIdempotencePort,
  DepotInscriptionsPort,
  DepotJobsPort,
  DepotJournalPort,
  ChargeScellee,
  FiltreRejeu,
  DepotLpPort,
  DepotNomenclaturesPort,
  DepotOpiPort,
  CandidatDoublon,
  DepotPiecesPort,
  DepotRelancesPort,
  DepotVerrousPort,
  DepotSessionsPort,
  DepotNotificationsPort,
  DepotIdentitesPort,
  Depots,
  DiagnosticBase,
  FichierNomenclature,
  FiltreJobs,
  FiltreJournal,
  FiltreNotifications,
  LigneIndividu,
  LigneLp,
  LigneVoeu,
  LigneVoeuDe,
  NotificationLigne,
  OpiResumee,
  UniteDeTravailPort,
  VerrouTacheLigne,
} from '../../src/application/ports';
import type {
  ClientApiLigne,
  CleApiLigne,
  ComptePersonnelLigne,
  SessionLigne,
  AdresseRefuseeLigne,
  HistoriquePieceLigne,
  PieceLigne,
  RelanceLigne,
  DoublonOpiLigne,
  EvenementLigne,
  IdempotenceLigne,
  IndividuOpiLigne,
  InscriptionLigne,
  JobLigne,
  JournalLigne,
  LaissezPasserLigne,
  RejetLigne,
  VoeuOpiLigne,
} from '../../src/application/enregistrements';

// --- errors the fake raises, and how its DiagnosticBase classifies them --------------------------

/** A unique key written twice (the real drivers' 1062 / SQLITE_CONSTRAINT_UNIQUE). */
export class ViolationUnicite extends Error {
  constructor(
    readonly table: string,
    readonly cle: string,
  ) {
    super(`violation d'unicité sur ${table} : ${cle}`);
  }
}

/** A transient conflict (a deadlock, a busy database): the unit of work retries the whole transaction. */
export class ConflitTransitoire extends Error {
  constructor() {
    super('conflit transitoire (simulé)');
  }
}

/** The database cannot be reached (for tests of the 503 mapping). */
export class BaseInjoignable extends Error {
  constructor() {
    super('base injoignable (simulée)');
  }
}

/** Like the real one, a unique-key race is retried (the retry sees the committed row). */
export const DIAGNOSTIC_MEMOIRE: DiagnosticBase = {
  estBaseIndisponible: (err) => err instanceof BaseInjoignable,
  estRejouable: (err) => err instanceof ConflitTransitoire || err instanceof ViolationUnicite,
  estViolationUnicite: (err) => err instanceof ViolationUnicite,
};

// --- tables ---------------------------------------------------------------------------------------

interface LigneNomenclature {
  nom: string;
  libelle: string;
  source: string | null;
  nombre: number;
  chargeLe: Date;
}
interface LigneCodeNomenclature {
  nom: string;
  code: string;
  libelle: string;
  enService: boolean;
  entree: string;
}

export interface Tables {
  individuOpi: IndividuOpiLigne;
  voeuOpi: VoeuOpiLigne;
  doublonOpi: DoublonOpiLigne;
  laissezPasser: LaissezPasserLigne;
  inscription: InscriptionLigne;
  evenement: EvenementLigne;
  journal: JournalLigne;
  chargeJournal: ChargeScellee & { journalId: number; recuLe: Date };
  idempotence: IdempotenceLigne;
  job: JobLigne;
  jobRejet: RejetLigne;
  nomenclature: LigneNomenclature;
  nomenclatureCode: LigneCodeNomenclature;
  piece: PieceLigne;
  historiquePiece: HistoriquePieceLigne;
  relance: RelanceLigne;
  adresseRefusee: AdresseRefuseeLigne;
  verrou: VerrouTacheLigne;
  notification: NotificationLigne;
  clientApi: ClientApiLigne;
  cleApi: CleApiLigne;
  comptePersonnel: ComptePersonnelLigne;
  session: SessionLigne;
}
export type NomTable = keyof Tables;

/** Tables whose `id` is generated (auto-increment). */
const AUTO_ID: readonly NomTable[] = [
  'individuOpi',
  'voeuOpi',
  'doublonOpi',
  'laissezPasser',
  'inscription',
  'evenement',
  'journal',
  'jobRejet',
  'piece',
  'historiquePiece',
  'relance',
  'notification',
  'clientApi',
  'cleApi',
  'comptePersonnel',
];

/** The unique keys (and primary keys) of the real tables; a key with a NULL part is not constrained. */
const UNIQUES: { [K in NomTable]?: (keyof Tables[K])[][] } = {
  individuOpi: [['codOpiIntEpo']],
  voeuOpi: [['individuOpiId', 'codCge', 'codEtp', 'codVrsVet']],
  doublonOpi: [['individuOpiId', 'individuOpiIdExistant', 'motif']],
  laissezPasser: [['cle']],
  inscription: [['cleActive']],
  idempotence: [['client', 'cle']],
  job: [['id']],
  jobRejet: [['jobId', 'numLigne']],
  nomenclature: [['nom']],
  nomenclatureCode: [['nom', 'code']],
  piece: [['codOpiIntEpo', 'codTpj']],
  relance: [['codOpiIntEpo', 'periode']],
  adresseRefusee: [['adresse']],
  verrou: [['nom']],
  notification: [['type', 'cle', 'ordre']],
  clientApi: [['nom']],
  cleApi: [['empreinte']],
  comptePersonnel: [['identifiant']],
  session: [['id']],
};

export interface Etat {
  tables: { [K in NomTable]: Tables[K][] };
  sequences: Partial<Record<NomTable, number>>;
}

function etatVide(): Etat {
  return {
    tables: {
      individuOpi: [],
      voeuOpi: [],
      doublonOpi: [],
      laissezPasser: [],
      inscription: [],
      evenement: [],
      journal: [],
      chargeJournal: [],
      idempotence: [],
      job: [],
      jobRejet: [],
      nomenclature: [],
      nomenclatureCode: [],
      piece: [],
      historiquePiece: [],
      relance: [],
      adresseRefusee: [],
      verrou: [],
      notification: [],
      clientApi: [],
      cleApi: [],
      comptePersonnel: [],
      session: [],
    },
    sequences: {},
  };
}

/** A copy a transaction may change freely (rows are replaced, never mutated: arrays suffice). */
function copier(e: Etat): Etat {
  const tables = Object.fromEntries(Object.entries(e.tables).map(([k, v]) => [k, [...v]])) as Etat['tables'];
  return { tables, sequences: { ...e.sequences } };
}

const copie = <T extends object>(l: T): T => ({ ...l });

/**
 * Reads and writes of one state (a transaction's copy, or the committed state for `lecture`, where
 * writes are refused: the port says writes always go through `executer`).
 */
export class Acces {
  constructor(
    private readonly etat: () => Etat,
    private readonly ecriture: boolean,
  ) {}

  /** The rows of a table: to filter and copy, never to mutate. */
  lignes<K extends NomTable>(t: K): readonly Tables[K][] {
    return this.etat().tables[t];
  }

  /** Copies of the rows matching `ou`, in table order. */
  trouver<K extends NomTable>(t: K, ou: (l: Tables[K]) => boolean = () => true): Tables[K][] {
    return this.lignes(t).filter(ou).map(copie);
  }

  premier<K extends NomTable>(t: K, ou: (l: Tables[K]) => boolean): Tables[K] | null {
    const l = this.lignes(t).find(ou);
    return l ? copie(l) : null;
  }

  /** Inserts rows (an `id` is generated where the table has one); returns the stored rows. */
  inserer<K extends NomTable>(t: K, lignes: readonly Omit<Tables[K], 'id'>[]): Tables[K][] {
    this.verifierEcriture(t);
    const etat = this.etat();
    const nouvelles = lignes.map((l) => {
      const ligne = { ...l } as Tables[K];
      if (AUTO_ID.includes(t)) {
        const id = (etat.sequences[t] ?? 0) + 1;
        etat.sequences[t] = id;
        (ligne as { id: number }).id = id;
      }
      return ligne;
    });
    this.verifierUnicite(t, etat.tables[t], nouvelles);
    etat.tables[t].push(...nouvelles);
    return nouvelles.map(copie);
  }

  /** Updates the rows matching `ou` (each replaced by a new object); returns how many. */
  modifier<K extends NomTable>(t: K, ou: (l: Tables[K]) => boolean, champs: Partial<Tables[K]> | ((l: Tables[K]) => Partial<Tables[K]>)): number {
    this.verifierEcriture(t);
    const table = this.etat().tables[t];
    const changees: number[] = [];
    const apres = table.map((l, i) => {
      if (!ou(l)) return l;
      changees.push(i);
      return { ...l, ...(typeof champs === 'function' ? champs(l) : champs) };
    });
    if (!changees.length) return 0;
    this.verifierUnicite(
      t,
      apres.filter((_l, i) => !changees.includes(i)),
      changees.map((i) => apres[i]),
    );
    (this.etat().tables[t] as Tables[K][]) = apres;
    return changees.length;
  }

  /** Deletes the rows matching `ou`; returns how many. */
  supprimer<K extends NomTable>(t: K, ou: (l: Tables[K]) => boolean): number {
    this.verifierEcriture(t);
    const etat = this.etat();
    const avant = etat.tables[t].length;
    etat.tables[t] = etat.tables[t].filter((l) => !ou(l)) as Etat['tables'][K];
    return avant - etat.tables[t].length;
  }

  private verifierEcriture(t: NomTable): void {
    if (!this.ecriture) throw new Error(`écriture hors transaction (table ${t}) : les écritures passent par UniteMemoire.executer`);
  }

  /** `nouvelles` against `autres` and against each other, for every unique key of the table. */
  private verifierUnicite<K extends NomTable>(t: K, autres: readonly Tables[K][], nouvelles: readonly Tables[K][]): void {
    for (const colonnes of UNIQUES[t] ?? []) {
      const cle = (l: Tables[K]) => {
        const parties = colonnes.map((c) => l[c]);
        return parties.some((p) => p === null || p === undefined) ? undefined : JSON.stringify(parties);
      };
      const vues = new Set(autres.map(cle).filter((c) => c !== undefined));
      for (const l of nouvelles) {
        const c = cle(l);
        if (c === undefined) continue;
        if (vues.has(c)) throw new ViolationUnicite(t, `${colonnes.join(', ')} = ${c}`);
        vues.add(c);
      }
    }
  }
}

const ms = (d: Date | string) => new Date(d).getTime();

/** What the duplicate search reads of a stored individu. */
const identiteStockee = ({ id, codOpiIntEpo, codEtuOpi, codNneIndOpi, codCleNneIndOpi, cleNomPat, clePr1, dateNaiIndOpi }: IndividuOpiLigne): IdentiteOpi => ({
  id,
  codOpiIntEpo,
  codEtuOpi,
  codNneIndOpi,
  codCleNneIndOpi,
  cleNomPat,
  clePr1,
  dateNaiIndOpi,
});

// --- the stores -----------------------------------------------------------------------------------

export class DepotOpiMemoire implements DepotOpiPort {
  constructor(private readonly a: Acces) {}

  async page(apresId: number, limite: number, depuis?: Date) {
    return this.a
      .trouver('individuOpi', (i) => i.id > apresId && (!depuis || ms(i.creeLe) >= depuis.getTime()))
      .sort((x, y) => x.id - y.id)
      .slice(0, limite);
  }

  async trouverPourMiseAJour(codOpiIntEpo: string) {
    return this.a.premier('individuOpi', (l) => l.codOpiIntEpo === codOpiIntEpo);
  }

  async etatEtCandidats(codOpiIntEpo: string, id: Omit<IdentiteOpi, 'id'>) {
    const etat = await this.trouverPourMiseAJour(codOpiIntEpo);
    // Not stored: the others sharing a criterion all the same (no row has the id -1).
    return { etat, candidats: await this.candidatsDoublons({ ...id, id: etat?.id ?? -1 }) };
  }

  async lire(codOpiIntEpo: string) {
    return this.a.premier('individuOpi', (l) => l.codOpiIntEpo === codOpiIntEpo);
  }

  async voeuxDe(individuOpiId: number) {
    return this.a.trouver('voeuOpi', (v) => v.individuOpiId === individuOpiId).sort((x, y) => x.rang - y.rang);
  }

  async voeuxDePlusieurs(ids: number[]) {
    return this.a.trouver('voeuOpi', (v) => ids.includes(v.individuOpiId)).sort((x, y) => x.individuOpiId - y.individuOpiId || x.rang - y.rang);
  }

  async creer(ligne: LigneIndividu) {
    return this.a.inserer('individuOpi', [ligne])[0];
  }

  async mettreAJour(id: number, ligne: Partial<LigneIndividu>) {
    this.a.modifier('individuOpi', (l) => l.id === id, ligne);
  }

  async remplacerVoeux(individuOpiId: number, voeux: LigneVoeu[]) {
    this.a.supprimer('voeuOpi', (v) => v.individuOpiId === individuOpiId);
    this.a.inserer(
      'voeuOpi',
      voeux.map((v) => ({ ...v, individuOpiId })),
    );
  }

  async etatsPourMiseAJour(codes: string[]) {
    const voulus = new Set(codes);
    return new Map(
      this.a.trouver('individuOpi', (l) => voulus.has(l.codOpiIntEpo)).map((l) => [l.codOpiIntEpo, { id: l.id, version: l.version, empreinte: l.empreinte }]),
    );
  }

  async creerPlusieurs(lignes: LigneIndividu[]) {
    return new Map(this.a.inserer('individuOpi', lignes).map((l) => [l.codOpiIntEpo, l.id]));
  }

  async remplacerVoeuxDePlusieurs(aVider: number[], voeux: LigneVoeuDe[]) {
    const vides = new Set(aVider);
    this.a.supprimer('voeuOpi', (v) => vides.has(v.individuOpiId));
    this.a.inserer('voeuOpi', voeux);
  }

  async partageantUnCritere(identites: Omit<IdentiteOpi, 'id' | 'codOpiIntEpo'>[]): Promise<IdentiteOpi[]> {
    return this.a.trouver('individuOpi', (i) => identites.some((id) => partageUnCritere(id, i))).map(identiteStockee);
  }

  async pairesConnues(ids: number[]) {
    const sortie = new Map<number, Set<string>>();
    for (const d of this.a.trouver('doublonOpi', (x) => ids.includes(x.individuOpiId))) {
      sortie.set(d.individuOpiId, (sortie.get(d.individuOpiId) ?? new Set()).add(`${d.individuOpiIdExistant}|${d.motif}`));
    }
    return sortie;
  }

  async candidatsDoublons(id: IdentiteOpi): Promise<CandidatDoublon[]> {
    return this.a
      .trouver('individuOpi', (i) => i.id !== id.id && partageUnCritere(id, i))
      .slice(0, 50)
      .map((i) => ({
        ...identiteStockee(i),
        motifsConnus: this.a.trouver('doublonOpi', (d) => d.individuOpiId === id.id && d.individuOpiIdExistant === i.id).map((d) => d.motif),
      }));
  }

  async listerDoublons(f: { decidees?: boolean; avant?: number; limite: number }) {
    return this.a
      .trouver('doublonOpi', (d) => (f.decidees === undefined || (d.decision != null) === f.decidees) && (!f.avant || d.id < f.avant))
      .sort((x, y) => y.id - x.id)
      .slice(0, f.limite);
  }

  async lireDoublon(id: number) {
    return this.a.premier('doublonOpi', (d) => d.id === id) ?? null;
  }

  async deciderDoublon(id: number, decision: string, par: string, le: Date) {
    this.a.modifier('doublonOpi', (d) => d.id === id, { decision, decidePar: par, decideLe: le });
  }

  async doublonsConnus(individuOpiId: number) {
    return this.a.trouver('doublonOpi', (d) => d.individuOpiId === individuOpiId);
  }

  async ajouterDoublons(lignes: Omit<DoublonOpiLigne, 'id'>[]) {
    this.a.inserer('doublonOpi', lignes);
  }

  async rechercher(c: CritereOpi, limite: number) {
    return this.a
      .trouver(
        'individuOpi',
        (i) =>
          (!c.ine || (i.codNneIndOpi === c.ine.nne && i.codCleNneIndOpi === c.ine.cle))
          && (!c.cleNom || i.cleNomPat === c.cleNom)
          && (!c.clePrenom || i.clePr1 === c.clePrenom)
          && (!c.dateNai || i.dateNaiIndOpi === c.dateNai)
          && (c.codEtu === undefined || i.codEtuOpi === c.codEtu),
      )
      .sort((x, y) => (x.codOpiIntEpo < y.codOpiIntEpo ? -1 : x.codOpiIntEpo > y.codOpiIntEpo ? 1 : 0))
      .slice(0, limite);
  }

  async parCodes(codes: string[]) {
    const voulus = new Set(codes);
    return new Map<string, OpiResumee>(
      this.a
        .trouver('individuOpi', (i) => voulus.has(i.codOpiIntEpo))
        .map((i) => [
          i.codOpiIntEpo,
          { codOpiIntEpo: i.codOpiIntEpo, codEtuOpi: i.codEtuOpi, codNneIndOpi: i.codNneIndOpi, codCleNneIndOpi: i.codCleNneIndOpi },
        ]),
    );
  }

  async deIndividu(ids: { codOpiIntEpo?: string; codEtu?: number; ine?: { nne: string; cle: string } }) {
    if (!ids.codOpiIntEpo && ids.codEtu === undefined && !ids.ine) return [];
    return this.a.trouver(
      'individuOpi',
      (i) =>
        (!!ids.codOpiIntEpo && i.codOpiIntEpo === ids.codOpiIntEpo)
        || (ids.codEtu !== undefined && i.codEtuOpi === ids.codEtu)
        || (!!ids.ine && i.codNneIndOpi === ids.ine.nne && i.codCleNneIndOpi === ids.ine.cle),
    );
  }
}

export class DepotLpMemoire implements DepotLpPort {
  constructor(private readonly a: Acces) {}

  async parCles(cles: string[]) {
    const voulues = new Set(cles);
    return new Map(
      this.a
        .trouver('laissezPasser', (l) => voulues.has(l.cle))
        .map(({ id, cle, empreinte, version, creeLe }) => [cle, { id, cle, empreinte, version, creeLe }]),
    );
  }

  /** Ids in input order when `avecIds`, else none (the real store reads nothing back then). */
  async inserer(lignes: LigneLp[], avecIds = true) {
    const inserees = this.a.inserer('laissezPasser', lignes);
    return avecIds ? inserees.map((l) => l.id) : [];
  }

  async mettreAJour(id: number, ligne: Partial<LigneLp>) {
    this.a.modifier('laissezPasser', (l) => l.id === id, ligne);
  }

  async lire(id: number) {
    return this.a.premier('laissezPasser', (l) => l.id === id);
  }

  async supprimer(id: number) {
    return this.a.supprimer('laissezPasser', (l) => l.id === id) > 0;
  }

  async rechercher(f: CritereLp, limite: number) {
    const egaux = (['codAnu', 'codOpiIntEpo', 'codEtu', 'ine', 'codEtp', 'codVrsVet', 'jobId'] as const).filter((k) => f[k] !== undefined);
    return this.a
      .trouver('laissezPasser', (l) => egaux.every((k) => l[k] === f[k]) && (f.avant === undefined || l.id < f.avant))
      .sort((x, y) => y.id - x.id)
      .slice(0, limite);
  }

  async pourIndividu(ids: { codOpiIntEpo: string[]; codEtu: string[]; ine: string[] }, codAnu: string) {
    return this.a.trouver(
      'laissezPasser',
      (l) =>
        l.codAnu === codAnu
        && ((l.codOpiIntEpo !== null && ids.codOpiIntEpo.includes(l.codOpiIntEpo))
          || (l.codEtu !== null && ids.codEtu.includes(l.codEtu))
          || (l.ine !== null && ids.ine.includes(l.ine))),
    );
  }
}

export class DepotInscriptionsMemoire implements DepotInscriptionsPort {
  constructor(private readonly a: Acces) {}

  async parCleActive(cle: string) {
    return this.a.premier('inscription', (i) => i.cleActive === cle);
  }

  /** `verrou`: nothing to lock, transactions are serialised. */
  async lire(id: number, _verrou?: boolean) {
    return this.a.premier('inscription', (i) => i.id === id);
  }

  async inserer(ligne: Omit<InscriptionLigne, 'id'>) {
    return this.a.inserer('inscription', [ligne])[0].id;
  }

  async mettreAJour(id: number, maj: Partial<InscriptionLigne>) {
    this.a.modifier('inscription', (i) => i.id === id, maj);
  }

  async rechercher(egal: Partial<Record<'codAnu' | 'codOpiIntEpo' | 'codEtu' | 'ine' | 'codEtp' | 'etat', string>>, avant: number | undefined, limite: number) {
    const egaux = Object.entries(egal) as [keyof InscriptionLigne, string][];
    return this.a
      .trouver('inscription', (i) => egaux.every(([k, v]) => i[k] === v) && (avant === undefined || i.id < avant))
      .sort((x, y) => y.id - x.id)
      .slice(0, limite);
  }

  async evenements(inscriptionId: number) {
    return this.a.trouver('evenement', (e) => e.inscriptionId === inscriptionId);
  }

  async ajouterEvenement(e: Omit<EvenementLigne, 'id'>) {
    this.a.inserer('evenement', [e]);
  }
}

/** In a transaction, the writes made at its commit (as the real stores do), in order; a failure fails the commit. */
export class AuCommitMemoire {
  private taches: (() => Promise<void>)[] = [];

  differer<T>(ecrire: () => Promise<T>): Promise<T> {
    const p = new Promise<T>((resoudre, rejeter) => {
      this.taches.push(() =>
        ecrire().then(resoudre, (err: unknown) => {
          rejeter(err);
          throw err;
        }),
      );
    });
    p.catch(() => undefined);
    return p;
  }

  async executer(): Promise<void> {
    const l = this.taches;
    this.taches = [];
    for (const t of l) await t();
  }
}

export class DepotJournalMemoire implements DepotJournalPort {
  constructor(
    private readonly a: Acces,
    private readonly auCommit?: AuCommitMemoire,
  ) {}

  async ecrire(ligne: Omit<JournalLigne, 'id'>) {
    return this.a.inserer('journal', [ligne])[0].id;
  }

  ecrireAuCommit(ligne: Omit<JournalLigne, 'id'>) {
    // `this.ecrire`: a test's decoration of the instance applies to the row written at the commit too.
    return this.auCommit ? this.auCommit.differer(() => this.ecrire(ligne)) : this.ecrire(ligne);
  }

  async ecrirePlusieurs(lignes: Omit<JournalLigne, 'id'>[]) {
    this.a.inserer('journal', lignes);
  }

  async ajouterAuNombre(id: number, n: number) {
    this.a.modifier(
      'journal',
      (l) => l.id === id,
      (l) => ({ nombre: l.nombre + Math.trunc(n) }),
    );
  }

  /** Newest first (id descending); `depuis`/`jusqua` inclusive; empty filters ignored, as in the real store. */
  async lire(f: FiltreJournal) {
    const egaux = (['porte', 'operation', 'client', 'individu', 'resultat', 'requestId'] as const).filter((k) => f[k]);
    return this.a
      .trouver(
        'journal',
        (l) =>
          egaux.every((k) => l[k] === f[k])
          && (!f.cle?.length || (l.cle !== null && f.cle.includes(l.cle)))
          && (!f.depuis || ms(l.recuLe) >= f.depuis.getTime())
          && (!f.jusqua || ms(l.recuLe) <= f.jusqua.getTime())
          && (!f.avant || l.id < f.avant)
          && (!f.rejeuDe || l.rejeuDe === f.rejeuDe)
          && (!f.code || (l.codes ?? '').split(',').includes(f.code)),
      )
      .sort((x, y) => y.id - x.id)
      .slice(0, f.limite);
  }

  async lireUne(id: number) {
    return this.a.trouver('journal', (l) => l.id === id)[0] ?? null;
  }

  async ecrireCharge(journalId: number, recuLe: Date, charge: ChargeScellee) {
    this.a.inserer('chargeJournal', [{ journalId, recuLe, ...charge }]);
  }

  async lireCharge(journalId: number) {
    const c = this.a.trouver('chargeJournal', (l) => l.journalId === journalId)[0];
    return c ? { cle: c.cle, donnees: c.donnees } : null;
  }

  async chargesGardees(ids: number[]) {
    return new Set(this.a.trouver('chargeJournal', (c) => ids.includes(c.journalId)).map((c) => c.journalId));
  }

  async rejeuxDe(id: number) {
    return this.a.trouver('journal', (l) => l.rejeuDe === id && l.statut < 400).map((l) => l.id);
  }

  async dernierId() {
    return Math.max(0, ...this.a.trouver('journal', () => true).map((l) => l.id));
  }

  async compterRejouables(f: FiltreRejeu) {
    return (await this.idsRejouables(f, 0, Number.MAX_SAFE_INTEGER)).length;
  }

  async idsRejouables(f: FiltreRejeu, apresId: number, limite: number) {
    const gardees = new Set(this.a.trouver('chargeJournal', () => true).map((c) => c.journalId));
    const rejouees = new Set(this.a.trouver('journal', (l) => !!l.rejeuDe && l.statut < 400).map((l) => l.rejeuDe));
    const egaux = (['porte', 'operation', 'client', 'individu'] as const).filter((k) => f[k]);
    return this.a
      .trouver(
        'journal',
        (l) =>
          l.id > apresId
          && l.id <= f.jusquaId
          && gardees.has(l.id)
          && (f.forcer || !rejouees.has(l.id))
          && egaux.every((k) => l[k] === f[k])
          && (!f.code || (l.codes ?? '').split(',').includes(f.code))
          && (!f.depuis || ms(l.recuLe) >= f.depuis.getTime())
          && (!f.jusqua || ms(l.recuLe) <= f.jusqua.getTime()),
      )
      .map((l) => l.id)
      .sort((x, y) => x - y)
      .slice(0, limite);
  }
}

export class DepotIdempotenceMemoire implements DepotIdempotencePort {
  constructor(private readonly a: Acces) {}

  async lire(client: string, cle: string) {
    return this.a.premier('idempotence', (l) => l.client === client && l.cle === cle);
  }

  async enregistrer(ligne: IdempotenceLigne) {
    this.a.inserer('idempotence', [ligne]);
  }
}

const NON_FINIS = ['EN_ATTENTE', 'EN_COURS'];

export class DepotJobsMemoire implements DepotJobsPort {
  constructor(private readonly a: Acces) {}

  async creer(job: JobLigne) {
    this.a.inserer('job', [job]);
  }

  async lire(id: string) {
    return this.a.premier('job', (j) => j.id === id);
  }

  async maj(id: string, champs: Partial<JobLigne>) {
    this.a.modifier('job', (j) => j.id === id, champs);
  }

  async ajouterCompteurs(id: string, c: CompteursPaquet) {
    this.a.modifier(
      'job',
      (j) => j.id === id,
      (j) => ({
        lignesLues: j.lignesLues + Math.trunc(c.lues),
        lignesRejetees: j.lignesRejetees + Math.trunc(c.rejetees),
        creees: j.creees + Math.trunc(c.creees),
        misesAJour: j.misesAJour + Math.trunc(c.misesAJour),
        inchangees: j.inchangees + Math.trunc(c.inchangees),
        lignesTraitees: j.lignesTraitees + Math.trunc(c.traitees),
      }),
    );
  }

  async ajouterRejets(rejets: Omit<RejetLigne, 'id'>[]) {
    this.a.inserer('jobRejet', rejets);
  }

  async supprimerRejets(jobId: string) {
    this.a.supprimer('jobRejet', (r) => r.jobId === jobId);
  }

  async rejets(jobId: string, apres: number, limite: number) {
    return this.a
      .trouver('jobRejet', (r) => r.jobId === jobId && r.numLigne > apres)
      .sort((x, y) => x.numLigne - y.numLigne)
      .slice(0, limite);
  }

  async aReprendre(maintenant: Date) {
    return this.a
      .trouver('job', (j) => NON_FINIS.includes(j.etat) && (!j.bailJusqua || ms(j.bailJusqua) < maintenant.getTime()))
      .sort((x, y) => ms(x.creeLe) - ms(y.creeLe));
  }

  async libererBaux(moi: string) {
    this.a.modifier('job', (j) => j.proprietaire === moi && NON_FINIS.includes(j.etat), { proprietaire: null, bailJusqua: null });
  }

  /** The real store's one conditional UPDATE: unfinished, and the lease free, expired or already ours. */
  async prendreBail(id: string, moi: string, jusqua: Date, maintenant: Date) {
    return (
      this.a.modifier(
        'job',
        (j) =>
          j.id === id
          && NON_FINIS.includes(j.etat)
          && (j.proprietaire === null || j.proprietaire === moi || j.bailJusqua === null || ms(j.bailJusqua) < maintenant.getTime()),
        { proprietaire: moi, bailJusqua: jusqua },
      ) === 1
    );
  }

  /** Newest first (creation time, then id, descending); `avant`: the jobs after that one in this order. */
  async lister(f: FiltreJobs) {
    let repere: JobLigne | null = null;
    if (f.avant) {
      repere = await this.lire(f.avant);
      if (!repere) return [];
    }
    const r = repere;
    const apresRepere = (j: JobLigne) => !r || ms(j.creeLe) < ms(r.creeLe) || (ms(j.creeLe) === ms(r.creeLe) && j.id < r.id);
    return this.a
      .trouver(
        'job',
        (j) =>
          (!f.type || j.type === f.type)
          && (!f.etat || j.etat === f.etat)
          && (!f.client || j.client === f.client)
          && (!f.depuis || ms(j.creeLe) >= f.depuis.getTime())
          && apresRepere(j),
      )
      .sort((x, y) => ms(y.creeLe) - ms(x.creeLe) || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0))
      .slice(0, f.limite);
  }
}

export class DepotNomenclaturesMemoire implements DepotNomenclaturesPort {
  constructor(private readonly a: Acces) {}

  async remplacer(fichiers: FichierNomenclature[], maintenant: Date) {
    for (const f of fichiers) {
      this.a.supprimer('nomenclatureCode', (c) => c.nom === f.nom);
      this.a.inserer(
        'nomenclatureCode',
        f.codes.map((c) => ({
          nom: f.nom,
          code: c.cle,
          libelle: c.libelle,
          enService: c.enService,
          entree: JSON.stringify(Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'cle'))),
        })),
      );
      this.a.supprimer('nomenclature', (n) => n.nom === f.nom);
      this.a.inserer('nomenclature', [{ nom: f.nom, libelle: f.libelle, source: f.source ?? null, nombre: f.codes.length, chargeLe: maintenant }]);
    }
  }

  async listerNomenclatures() {
    return this.a.trouver('nomenclature').sort((x, y) => (x.nom < y.nom ? -1 : x.nom > y.nom ? 1 : 0));
  }

  async toutes() {
    const sortie: Record<string, EntreeNomenclature[]> = {};
    for (const l of this.a.lignes('nomenclatureCode')) (sortie[l.nom] ??= []).push(JSON.parse(l.entree) as EntreeNomenclature);
    return sortie;
  }

  async version() {
    return this.a
      .lignes('nomenclature')
      .map((n) => `${n.nom}:${ms(n.chargeLe)}:${n.nombre}`)
      .sort()
      .join('|');
  }
}

export class DepotPiecesMemoire implements DepotPiecesPort {
  constructor(private readonly a: Acces) {}

  async trouver(codOpiIntEpo: string, codTpj: string) {
    return this.a.premier('piece', (p) => p.codOpiIntEpo === codOpiIntEpo && p.codTpj === codTpj);
  }

  async deOpi(codOpiIntEpo: string) {
    return this.a.trouver('piece', (p) => p.codOpiIntEpo === codOpiIntEpo).sort((x, y) => x.codTpj.localeCompare(y.codTpj));
  }

  async dePlusieurs(codes: string[]) {
    const voulus = new Set(codes);
    return this.a.trouver('piece', (p) => voulus.has(p.codOpiIntEpo));
  }

  async inserer(ligne: Omit<PieceLigne, 'id'>) {
    return this.a.inserer('piece', [ligne])[0].id;
  }

  async mettreAJour(id: number, maj: Partial<PieceLigne>) {
    this.a.modifier('piece', (p) => p.id === id, maj);
  }

  async ajouterHistorique(h: Omit<HistoriquePieceLigne, 'id'>) {
    this.a.inserer('historiquePiece', [h]);
  }

  async historique(pieceId: number) {
    return this.a.trouver('historiquePiece', (h) => h.pieceId === pieceId).sort((x, y) => x.id - y.id);
  }

  async empreintesReferencees() {
    return new Set([...this.a.lignes('piece').map((p) => p.empreinte), ...this.a.lignes('historiquePiece').map((h) => h.empreinte)]);
  }
}

export class DepotRelancesMemoire implements DepotRelancesPort {
  constructor(private readonly a: Acces) {}

  async reserver(ligne: Omit<RelanceLigne, 'id'>) {
    if (this.a.premier('relance', (r) => r.codOpiIntEpo === ligne.codOpiIntEpo && r.periode === ligne.periode)) return false;
    this.a.inserer('relance', [ligne]);
    return true;
  }

  async terminer(codOpiIntEpo: string, periode: string, etat: string, erreur: string | null) {
    this.a.modifier('relance', (r) => r.codOpiIntEpo === codOpiIntEpo && r.periode === periode, { etat, erreur });
  }

  async dePeriode(periode: string) {
    return this.a.trouver('relance', (r) => r.periode === periode).sort((x, y) => x.id - y.id);
  }

  async adresseRefusee(adresse: string) {
    return this.a.premier('adresseRefusee', (r) => r.adresse === adresse.toLowerCase());
  }

  async refuserAdresse(ligne: AdresseRefuseeLigne) {
    const adresse = ligne.adresse.toLowerCase();
    this.a.supprimer('adresseRefusee', (r) => r.adresse === adresse);
    this.a.inserer('adresseRefusee', [{ ...ligne, adresse }]);
  }
}

export class DepotSessionsMemoire implements DepotSessionsPort {
  constructor(private readonly a: Acces) {}

  async creer(l: SessionLigne) {
    this.a.inserer('session', [l]);
  }

  async lire(id: string) {
    return this.a.premier('session', (s) => s.id === id) ?? null;
  }

  async toucher(id: string, vueLe: Date) {
    this.a.modifier('session', (s) => s.id === id, { vueLe });
  }

  async supprimer(id: string) {
    this.a.supprimer('session', (s) => s.id === id);
  }

  async supprimerDuCompte(compte: string) {
    const n = this.a.trouver('session', (s) => s.compte === compte).length;
    this.a.supprimer('session', (s) => s.compte === compte);
    return n;
  }

  async purgerExpirees(avant: Date) {
    const n = this.a.trouver('session', (s) => ms(s.expireLe) < avant.getTime()).length;
    this.a.supprimer('session', (s) => ms(s.expireLe) < avant.getTime());
    return n;
  }
}

export class DepotVerrousMemoire implements DepotVerrousPort {
  constructor(private readonly a: Acces) {}

  /** As src/persistence/depot-verrous.ts: free, expired or already ours → taken. */
  async prendre(nom: string, moi: string, jusqua: Date, maintenant: Date) {
    const l = this.a.premier('verrou', (v) => v.nom === nom);
    if (!l) this.a.inserer('verrou', [{ nom, proprietaire: moi, jusqua }]);
    else if (l.proprietaire === moi || ms(l.jusqua) < maintenant.getTime()) this.a.modifier('verrou', (v) => v.nom === nom, { proprietaire: moi, jusqua });
    else return false;
    return true;
  }

  async liberer(nom: string, moi: string) {
    this.a.supprimer('verrou', (v) => v.nom === nom && v.proprietaire === moi);
  }
}

export class DepotNotificationsMemoire implements DepotNotificationsPort {
  constructor(private readonly a: Acces) {}

  /** As src/persistence/depot-notifications.ts: `ordre` = last of the type and cle + 1 (unique key). */
  async ajouter(n: Omit<NotificationLigne, 'id' | 'ordre'>) {
    const ordre =
      Math.max(
        0,
        ...this.a
          .lignes('notification')
          .filter((x) => x.type === n.type && x.cle === n.cle)
          .map((x) => x.ordre),
      ) + 1;
    return this.a.inserer('notification', [{ ...n, ordre }])[0];
  }

  async lire(id: number) {
    return this.a.premier('notification', (n) => n.id === id);
  }

  /** Newest first (id descending); empty filters ignored. */
  async lister(f: FiltreNotifications) {
    return this.a
      .trouver(
        'notification',
        (n) => (!f.type || n.type === f.type) && (!f.etat || n.etat === f.etat) && (!f.cle || n.cle === f.cle) && (f.avant === undefined || n.id < f.avant),
      )
      .sort((x, y) => y.id - x.id)
      .slice(0, f.limite);
  }

  /** Due, A_ENVOYER, and no earlier one of the same type and cle that is not ENVOYEE; oldest due first, then id. */
  async aEnvoyer(types: readonly string[], maintenant: Date, limite: number) {
    const toutes = this.a.lignes('notification');
    return this.a
      .trouver(
        'notification',
        (n) =>
          types.includes(n.type)
          && n.etat === 'A_ENVOYER'
          && ms(n.prochaineTentative) <= maintenant.getTime()
          && !toutes.some((p) => p.type === n.type && p.cle === n.cle && p.ordre < n.ordre && p.etat !== 'ENVOYEE'),
      )
      .sort((x, y) => ms(x.prochaineTentative) - ms(y.prochaineTentative) || x.id - y.id)
      .slice(0, limite);
  }

  async modifierSi(id: number, si: Pick<NotificationLigne, 'etat' | 'tentatives'>, maj: Partial<Omit<NotificationLigne, 'id'>>) {
    return this.a.modifier('notification', (n) => n.id === id && n.etat === si.etat && n.tentatives === si.tentatives, maj) === 1;
  }
}

export class DepotIdentitesMemoire implements DepotIdentitesPort {
  constructor(private readonly a: Acces) {}

  async cleParEmpreinte(empreinte: string) {
    const cle = this.a.premier('cleApi', (k) => k.empreinte === empreinte);
    const client = cle && this.a.premier('clientApi', (c) => c.id === cle.clientId);
    return cle && client ? { cle, client } : null;
  }

  async clientParNom(nom: string) {
    return this.a.premier('clientApi', (c) => c.nom === nom);
  }

  async clients() {
    return this.a.trouver('clientApi').sort((x, y) => x.nom.localeCompare(y.nom));
  }

  async clesDe(clientId: number) {
    return this.a.trouver('cleApi', (k) => k.clientId === clientId).sort((x, y) => x.id - y.id);
  }

  async creerClient(l: Omit<ClientApiLigne, 'id'>) {
    return this.a.inserer('clientApi', [l])[0];
  }

  async modifierClient(id: number, l: Partial<Omit<ClientApiLigne, 'id'>>) {
    this.a.modifier('clientApi', (c) => c.id === id, l);
  }

  async ajouterCle(l: Omit<CleApiLigne, 'id'>) {
    return this.a.inserer('cleApi', [l])[0];
  }

  async modifierCle(id: number, l: Partial<Pick<CleApiLigne, 'expireLe' | 'revoqueLe'>>) {
    this.a.modifier('cleApi', (k) => k.id === id, l);
  }

  async compte(identifiant: string) {
    return this.a.premier('comptePersonnel', (c) => c.identifiant === identifiant);
  }

  async comptes() {
    return this.a.trouver('comptePersonnel').sort((x, y) => x.identifiant.localeCompare(y.identifiant));
  }

  async creerCompte(l: Omit<ComptePersonnelLigne, 'id'>) {
    return this.a.inserer('comptePersonnel', [l])[0];
  }

  async modifierCompte(id: number, l: Partial<Omit<ComptePersonnelLigne, 'id' | 'identifiant'>>) {
    this.a.modifier('comptePersonnel', (c) => c.id === id, l);
  }

  /** As src/persistence/depot-identites.ts: an active account, or a live key of a live client. */
  async existeActif(maintenant: Date) {
    if (this.a.premier('comptePersonnel', (c) => c.desactiveLe === null)) return true;
    const vivants = new Set(this.a.trouver('clientApi', (c) => c.revoqueLe === null).map((c) => c.id));
    return (
      this.a.trouver('cleApi', (k) => vivants.has(k.clientId) && k.revoqueLe === null && (k.expireLe === null || ms(k.expireLe) > maintenant.getTime())).length
      > 0
    );
  }
}

export function depotsMemoire(a: Acces, auCommit?: AuCommitMemoire): Depots {
  return {
    opi: new DepotOpiMemoire(a),
    lp: new DepotLpMemoire(a),
    inscriptions: new DepotInscriptionsMemoire(a),
    journal: new DepotJournalMemoire(a, auCommit),
    idempotence: new DepotIdempotenceMemoire(a),
    jobs: new DepotJobsMemoire(a),
    nomenclatures: new DepotNomenclaturesMemoire(a),
    pieces: new DepotPiecesMemoire(a),
    relances: new DepotRelancesMemoire(a),
    verrous: new DepotVerrousMemoire(a),
    notifications: new DepotNotificationsMemoire(a),
    identites: new DepotIdentitesMemoire(a),
    sessions: new DepotSessionsMemoire(a),
  };
}

// --- the unit of work -----------------------------------------------------------------------------

export class UniteMemoire implements UniteDeTravailPort {
  private etat = etatVide();
  private file: Promise<unknown> = Promise.resolve();
  private readonly dansTransaction = new AsyncLocalStorage<true>();
  /** Transactions retried (after a `ConflitTransitoire` or a unique-key race), as the real `rejeux`. */
  rejeux = 0;
  /** Transactions committed. */
  validees = 0;
  /** Reads of the committed state; writes there are refused. */
  readonly lecture: Depots = depotsMemoire(new Acces(() => this.etat, false));
  /**
   * Applied to the stores of every transaction before the work gets them: tests wrap a method here to
   * inject a failure (`d.journal.ecrire = …`). Reset it to undefined when done.
   */
  decorer?: (d: Depots) => void;

  constructor(
    readonly diagnostic: DiagnosticBase = DIAGNOSTIC_MEMOIRE,
    private readonly tentativesParDefaut = 8,
  ) {}

  /** One transaction at a time (like SQLite here), retried as a whole on a transient error; resolves after the commit. */
  async executer<T>(travail: (d: Depots) => Promise<T>, options: { tentatives?: number } = {}): Promise<T> {
    if (this.dansTransaction.getStore()) {
      throw new Error('transaction imbriquée : UniteMemoire.executer appelé depuis une transaction (sur SQLite, cela bloquerait)');
    }
    const max = options.tentatives ?? this.tentativesParDefaut;
    for (let tentative = 1; ; tentative++) {
      try {
        return await this.uneFois(travail);
      } catch (err) {
        if (tentative >= max || !this.diagnostic.estRejouable(err)) throw err;
        this.rejeux++;
      }
    }
  }

  lireBorne<T>(travail: (d: Depots) => Promise<T>): Promise<T> {
    return travail(this.lecture);
  }

  /** One write alone: here a transaction of its own (what matters is that it is durable once resolved). */
  ecrireSeul<T>(travail: (d: Depots) => Promise<T>): Promise<T> {
    return this.executer(travail);
  }

  private uneFois<T>(travail: (d: Depots) => Promise<T>): Promise<T> {
    const resultat = this.file.then(() =>
      this.dansTransaction.run(true, async () => {
        const copieEtat = copier(this.etat);
        const auCommit = new AuCommitMemoire();
        const d = depotsMemoire(new Acces(() => copieEtat, true), auCommit);
        this.decorer?.(d);
        const valeur = await travail(d);
        await auCommit.executer();
        this.etat = copieEtat;
        this.validees++;
        return valeur;
      }),
    );
    this.file = resultat.catch(() => undefined);
    return resultat;
  }

  /** Committed rows of a table (copies), for the tests' assertions. */
  lignes<K extends NomTable>(t: K, ou: (l: Tables[K]) => boolean = () => true): Tables[K][] {
    return new Acces(() => this.etat, false).trouver(t, ou);
  }
}
