/** Storage of the supporting documents' metadata and history (the bytes are in the document store). */
import { In, type EntityManager } from 'typeorm';
import { HistoriquePiece, PieceOpi } from './entities';
import type { DepotPiecesPort } from '../application/ports';
import type { HistoriquePieceLigne, PieceLigne } from '../application/enregistrements';
import { parPaquets } from './paquets';

export class DepotPieces implements DepotPiecesPort {
  constructor(private readonly em: EntityManager) {}

  trouver(codOpiIntEpo: string, codTpj: string, verrou = false): Promise<PieceLigne | null> {
    const lock = verrou && this.em.connection.options.type === 'mysql' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    return this.em.findOne(PieceOpi, { where: { codOpiIntEpo, codTpj }, ...lock });
  }

  deOpi(codOpiIntEpo: string): Promise<PieceLigne[]> {
    return this.em.find(PieceOpi, { where: { codOpiIntEpo }, order: { codTpj: 'ASC' } });
  }

  async dePlusieurs(codes: string[]): Promise<PieceLigne[]> {
    const sortie: PieceLigne[] = [];
    await parPaquets(codes, async (p) => {
      sortie.push(...(await this.em.find(PieceOpi, { where: { codOpiIntEpo: In(p) } })));
    });
    return sortie;
  }

  async inserer(ligne: Omit<PieceLigne, 'id'>): Promise<number> {
    const r = await this.em.insert(PieceOpi, ligne);
    return r.identifiers[0].id as number;
  }

  async mettreAJour(id: number, maj: Partial<PieceLigne>): Promise<void> {
    await this.em.update(PieceOpi, { id }, maj);
  }

  async ajouterHistorique(h: Omit<HistoriquePieceLigne, 'id'>): Promise<void> {
    await this.em.insert(HistoriquePiece, h);
  }

  historique(pieceId: number): Promise<HistoriquePieceLigne[]> {
    return this.em.find(HistoriquePiece, { where: { pieceId }, order: { id: 'ASC' } });
  }

  async empreintesReferencees(): Promise<Set<string>> {
    const actuelles = await this.em.createQueryBuilder(PieceOpi, 'p').select('DISTINCT p.empreinte', 'e').getRawMany<{ e: string }>();
    const passees = await this.em.createQueryBuilder(HistoriquePiece, 'h').select('DISTINCT h.empreinte', 'e').getRawMany<{ e: string }>();
    return new Set([...actuelles, ...passees].map((x) => x.e));
  }
}
