import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { texte, entier, document, horodatage } from './colonnes';
import type { JournalLigne } from '../../application/enregistrements';

/** Audit journal: one row per message received, whatever its door and outcome. */
@Entity('journal')
@Index('ix_journal_recu', ['recuLe'])
@Index('ix_journal_cle', ['cle'])
@Index('ix_journal_request', ['requestId'])
@Index('ix_journal_individu', ['individu'])
@Index('ix_journal_rejeu', ['rejeuDe'])
export class EntreeJournal implements JournalLigne {
  @PrimaryGeneratedColumn() id!: number;
  @horodatage() recuLe!: Date;
  /** REST, SOAP or BATCH. */
  @texte(10, false) porte!: string;
  @texte(80, false) operation!: string;
  @texte(100, false) client!: string;
  @texte(64, false) requestId!: string;
  /** The business key concerned (OPI number…), when known. */
  @texte(100) cle!: string | null;
  /** SHA-256 of the payload received. */
  @texte(64) empreinte!: string | null;
  /** CREE, MIS_A_JOUR, INCHANGE, LU, REJETE, ERREUR… */
  @texte(20, false) resultat!: string;
  @entier(false) statut!: number;
  /** Error and warning codes, comma-separated. */
  @texte(1000) codes!: string | null;
  @entier(false) dureeMs!: number;
  /** Problems (JSON) for a rejection; nothing of the payload itself. */
  @document() details!: string | null;
  /** The individual concerned (`OPI:…`, `ETU:…`, `INE:…`), one format for every door. */
  @texte(40) individu!: string | null;
  /** Requests this row stands for: 1, or more for the aggregated refusals before authentication. */
  @entier(false, { default: 1 }) nombre!: number;
  /** For a replay: the row of the message replayed. */
  @entier() rejeuDe!: number | null;
}

/** A kept payload (encrypted), in segments of at most 60,000 characters (a MySQL TEXT holds 64 KiB). */
@Entity('charge_journal')
@Index('ix_charge_journal', ['journalId'])
@Index('ix_charge_recu', ['recuLe'])
export class ChargeJournal {
  @PrimaryGeneratedColumn() id!: number;
  @entier(false) journalId!: number;
  @entier(false) morceau!: number;
  /** Id of the key that sealed it. */
  @texte(16, false) cle!: string;
  @document(false) donnees!: string;
  @horodatage() recuLe!: Date;
}
