import { Entity, Index, PrimaryGeneratedColumn, OneToMany } from 'typeorm';
import { texte, entier, document, horodatage } from './colonnes';
import type { IndividuOpiLigne } from '../../application/enregistrements';
import type { VoeuOpi } from './voeu-opi';

/**
 * One OPI individu (Apogée IND_OPI), identified by `codOpiIntEpo`. The searchable and rule-relevant
 * fields are columns; the complete canonical record (bac, addresses, sub-DTOs) is kept in `donnees`.
 */
@Entity('individu_opi')
@Index('uq_individu_opi_code', ['codOpiIntEpo'], { unique: true })
@Index('ix_individu_opi_ine', ['codNneIndOpi'])
@Index('ix_individu_opi_etu', ['codEtuOpi'])
@Index('ix_individu_opi_etat_civil', ['cleNomPat', 'clePr1', 'dateNaiIndOpi'])
@Index('ix_individu_opi_anu', ['codAnu'])
export class IndividuOpi implements IndividuOpiLigne {
  @PrimaryGeneratedColumn() id!: number;
  @texte(10, false) codOpiIntEpo!: string;
  @entier() codEtuOpi!: number | null;
  @texte(30, false) libNomPatIndOpi!: string;
  @texte(30) libNomUsuIndOpi!: string | null;
  @texte(20, false) libPr1IndOpi!: string;
  /** Comparison keys: upper case without accents, for the duplicate search. */
  @texte(30, false) cleNomPat!: string;
  @texte(20, false) clePr1!: string;
  /** ISO date `YYYY-MM-DD` (a calendar date, no time zone). */
  @texte(10, false) dateNaiIndOpi!: string;
  /** INE split as in Apogée: the number (10, or 9 for the RNIE form) and its key (1 or 2). */
  @texte(10) codNneIndOpi!: string | null;
  @texte(2) codCleNneIndOpi!: string | null;
  @texte(1) codSexEtuOpi!: string | null;
  @texte(3) codPayNat!: string | null;
  @texte(1) codRgi!: string | null;
  @texte(2) codStu!: string | null;
  /** Campaign year of the OPI's vœux (`codAnu`, set at each write; see CAMPAGNE_COD_ANU). */
  @texte(4) codAnu!: string | null;
  /** The canonical record without its vœux (JSON). */
  @document(false) donnees!: string;
  /** SHA-256 of the canonical record with its vœux: a resend with the same hash changes nothing. */
  @texte(64, false) empreinte!: string;
  @texte(100, false) source!: string;
  @entier(false) version!: number;
  @horodatage() creeLe!: Date;
  @horodatage() modifieLe!: Date;
  @OneToMany('VoeuOpi', 'individu') voeux?: VoeuOpi[];
}
