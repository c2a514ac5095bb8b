/** The audit journal: rows written in the transaction of the operation they record; read by `GET /api/v1/journal`. */
import { Between, In, LessThan, Like, MoreThanOrEqual, LessThanOrEqual, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { ChargeJournal, EntreeJournal } from './entities';
import type { ChargeScellee, DepotJournalPort, FiltreJournal, FiltreRejeu } from '../application/ports';
import type { JournalLigne } from '../application/enregistrements';
import { insererAuCommit, insererLignes, insererParPaquets } from './sql-portable';
import type { EcrituresAuCommit } from './ecritures-au-commit';

export class DepotJournal implements DepotJournalPort {
  constructor(
    private readonly em: EntityManager,
    /** In a transaction: where the row written with the commit waits for it. */
    private readonly auCommit?: EcrituresAuCommit,
  ) {}

  /** One row, written with a driver-level INSERT (the write path's hot statement). */
  ecrire(ligne: Omit<JournalLigne, 'id'>): Promise<number> {
    return insererLignes(this.em, EntreeJournal, [ligne]);
  }

  ecrireAuCommit(ligne: Omit<JournalLigne, 'id'>): Promise<number> {
    return this.auCommit ? insererAuCommit(this.em, this.auCommit, EntreeJournal, [ligne]) : this.ecrire(ligne);
  }

  /** Many rows in as few driver-level INSERTs as the placeholder bound allows. */
  async ecrirePlusieurs(lignes: Omit<JournalLigne, 'id'>[]): Promise<void> {
    await insererParPaquets(this.em, EntreeJournal, lignes.map(complete));
  }

  async ajouterAuNombre(id: number, n: number): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(EntreeJournal)
      .set({ nombre: () => `nombre + ${Math.trunc(n)}` })
      .where('id = :id', { id })
      .execute();
  }

  lire(f: FiltreJournal): Promise<JournalLigne[]> {
    const where: FindOptionsWhere<EntreeJournal> = {};
    if (f.depuis && f.jusqua) where.recuLe = Between(f.depuis, f.jusqua);
    else if (f.depuis) where.recuLe = MoreThanOrEqual(f.depuis);
    else if (f.jusqua) where.recuLe = LessThanOrEqual(f.jusqua);
    for (const k of ['porte', 'operation', 'client', 'individu', 'resultat', 'requestId'] as const) if (f[k]) where[k] = f[k];
    if (f.cle?.length) where.cle = In(f.cle);
    if (f.avant) where.id = LessThan(f.avant);
    if (f.rejeuDe) where.rejeuDe = f.rejeuDe;
    // One condition per place the code may hold in the list, OR-ed.
    const ou = f.code ? motifsCode(f.code).map((m, i) => ({ ...where, codes: i === 0 ? m : Like(m) })) : where;
    return this.em.find(EntreeJournal, { where: ou, order: { id: 'DESC' }, take: f.limite });
  }

  lireUne(id: number): Promise<JournalLigne | null> {
    return this.em.findOne(EntreeJournal, { where: { id } });
  }

  async ecrireCharge(journalId: number, recuLe: Date, charge: ChargeScellee): Promise<void> {
    const morceaux = Array.from({ length: Math.max(1, Math.ceil(charge.donnees.length / MORCEAU)) }, (_, morceau) => ({
      journalId,
      morceau,
      cle: charge.cle,
      donnees: charge.donnees.slice(morceau * MORCEAU, (morceau + 1) * MORCEAU),
      recuLe,
    }));
    await this.em.createQueryBuilder().insert().into(ChargeJournal).values(morceaux).updateEntity(false).execute();
  }

  async lireCharge(journalId: number): Promise<ChargeScellee | null> {
    const m = await this.em.find(ChargeJournal, { where: { journalId }, order: { morceau: 'ASC' } });
    return m.length ? { cle: m[0].cle, donnees: m.map((x) => x.donnees).join('') } : null;
  }

  async chargesGardees(ids: number[]): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const r = await this.em.find(ChargeJournal, { select: { journalId: true }, where: { journalId: In(ids), morceau: 0 } });
    return new Set(r.map((c) => c.journalId));
  }

  async rejeuxDe(id: number): Promise<number[]> {
    return (await this.em.find(EntreeJournal, { select: { id: true }, where: { rejeuDe: id, statut: LessThan(400) }, order: { id: 'ASC' } })).map((e) => e.id);
  }

  async dernierId(): Promise<number> {
    const r = await this.em.createQueryBuilder(EntreeJournal, 'j').select('MAX(j.id)', 'n').getRawOne<{ n: number | null }>();
    return Number(r?.n ?? 0);
  }

  async idsRejouables(f: FiltreRejeu, apresId: number, limite: number): Promise<number[]> {
    const r = await this.rejouables(f, apresId).select('j.id', 'id').orderBy('j.id', 'ASC').limit(limite).getRawMany<{ id: number }>();
    return r.map((x) => Number(x.id));
  }

  async compterRejouables(f: FiltreRejeu): Promise<number> {
    return this.rejouables(f, 0).getCount();
  }

  private rejouables(f: FiltreRejeu, apresId: number) {
    const q = this.em
      .createQueryBuilder(EntreeJournal, 'j')
      .where('j.id > :apresId AND j.id <= :jusquaId', { apresId, jusquaId: f.jusquaId })
      .andWhere('EXISTS (SELECT 1 FROM charge_journal c WHERE c.journalId = j.id AND c.morceau = 0)');
    if (!f.forcer) q.andWhere('NOT EXISTS (SELECT 1 FROM journal r WHERE r.rejeuDe = j.id AND r.statut < 400)');
    for (const k of ['porte', 'operation', 'client', 'individu'] as const) if (f[k]) q.andWhere(`j.${k} = :${k}`, { [k]: f[k] });
    if (f.depuis) q.andWhere('j.recuLe >= :depuis', { depuis: f.depuis });
    if (f.jusqua) q.andWhere('j.recuLe <= :jusqua', { jusqua: f.jusqua });
    if (f.code) {
      const [c, debut, fin, milieu] = motifsCode(f.code);
      q.andWhere('(j.codes = :c OR j.codes LIKE :debut OR j.codes LIKE :fin OR j.codes LIKE :milieu)', { c, debut, fin, milieu });
    }
    return q;
  }
}

/** `codes` is a comma-separated list: one code alone, first, last or in the middle (the first exact, the others LIKE patterns). */
function motifsCode(code: string): [string, string, string, string] {
  return [code, `${code},%`, `%,${code}`, `%,${code},%`];
}

/** Characters of one stored segment of a payload. */
const MORCEAU = 60_000;

/** Every column named on every row: one statement's columns are its first row's, so none may be left out. */
function complete(l: Omit<JournalLigne, 'id'>): Omit<JournalLigne, 'id'> {
  return {
    recuLe: l.recuLe,
    porte: l.porte,
    operation: l.operation,
    client: l.client,
    requestId: l.requestId,
    cle: l.cle ?? null,
    empreinte: l.empreinte ?? null,
    resultat: l.resultat,
    statut: l.statut,
    codes: l.codes ?? null,
    dureeMs: l.dureeMs,
    details: l.details ?? null,
    individu: l.individu ?? null,
    nombre: l.nombre ?? 1,
    rejeuDe: l.rejeuDe ?? null,
  };
}
