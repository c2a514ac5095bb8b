import { Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { texte, entier, horodatage } from './colonnes';
import type { AdresseRefuseeLigne, HistoriquePieceLigne, PieceLigne, RelanceLigne } from '../../application/enregistrements';

/** The current supporting document of an OPI for one type (Apogée OPI_PJ); the bytes are in the document store. */
@Entity('piece_opi')
@Index('uq_piece_opi', ['codOpiIntEpo', 'codTpj'], { unique: true })
@Index('ix_piece_statut', ['statut', 'statutLe'])
export class PieceOpi implements PieceLigne {
  @PrimaryGeneratedColumn() id!: number;
  @texte(10, false) codOpiIntEpo!: string;
  @texte(5, false) codTpj!: string;
  @texte(10, false) statut!: string;
  @texte(200, false) nomFichier!: string;
  @texte(100, false) typeMedia!: string;
  @entier(false) taille!: number;
  @texte(64, false) empreinte!: string;
  @texte(5) motifRefus!: string | null;
  @texte(500) commentaire!: string | null;
  @texte(100, false) source!: string;
  @entier(false) version!: number;
  @horodatage() deposeLe!: Date;
  @horodatage() statutLe!: Date;
}

/** Every change of a supporting document (new file, decision), with who and why. */
@Entity('piece_historique')
@Index('ix_piece_historique', ['pieceId'])
@Index('ix_piece_historique_empreinte', ['empreinte'])
export class HistoriquePiece implements HistoriquePieceLigne {
  @PrimaryGeneratedColumn() id!: number;
  @entier(false) pieceId!: number;
  @texte(10, false) codOpiIntEpo!: string;
  @texte(5, false) codTpj!: string;
  @texte(10) de!: string | null;
  @texte(10, false) vers!: string;
  @texte(64, false) empreinte!: string;
  @texte(200, false) nomFichier!: string;
  @texte(500) motif!: string | null;
  @texte(100, false) client!: string;
  @texte(64, false) requestId!: string;
  @horodatage() le!: Date;
}

/** One reminder per individual and period (unique): the guard against writing twice. */
@Entity('relance_pj')
@Index('uq_relance_pj', ['codOpiIntEpo', 'periode'], { unique: true })
export class RelancePj implements RelanceLigne {
  @PrimaryGeneratedColumn() id!: number;
  @texte(10, false) codOpiIntEpo!: string;
  @texte(10, false) periode!: string;
  @texte(200, false) adresse!: string;
  @texte(20, false) etat!: string;
  @texte(500) erreur!: string | null;
  @texte(200, false) pieces!: string;
  @texte(36) jobId!: string | null;
  @horodatage() le!: Date;
}

/** An address the SMTP server refused (permanent failure): no e-mail is sent to it again. */
@Entity('adresse_refusee')
export class AdresseRefusee implements AdresseRefuseeLigne {
  @PrimaryColumn({ type: 'varchar', length: 200 }) adresse!: string;
  @texte(500, false) erreur!: string;
  @horodatage() le!: Date;
}
