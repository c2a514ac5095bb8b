import { Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { texte, entier, horodatage } from './colonnes';
import type { DoublonOpiLigne } from '../../application/enregistrements';

/** A possible duplicate individual, found when an OPI was written (reported as a warning, kept here). */
@Entity('doublon_opi')
@Index('uq_doublon_opi', ['individuOpiId', 'individuOpiIdExistant', 'motif'], { unique: true })
export class DoublonOpi implements DoublonOpiLigne {
  @PrimaryGeneratedColumn() id!: number;
  @entier(false) @ForeignKey('IndividuOpi', { name: 'fk_doublon_opi_individu', onDelete: 'CASCADE' }) individuOpiId!: number;
  @texte(10, false) codOpiIntEpo!: string;
  @entier(false) @ForeignKey('IndividuOpi', { name: 'fk_doublon_opi_existant', onDelete: 'CASCADE' }) individuOpiIdExistant!: number;
  @texte(10, false) codOpiIntEpoExistant!: string;
  /** DOUBLON_INE, DOUBLON_COD_ETU or DOUBLON_ETAT_CIVIL. */
  @texte(30, false) motif!: string;
  @horodatage() detecteLe!: Date;
  /** MEME_PERSONNE or PERSONNES_DIFFERENTES once the staff decided; null while undecided. */
  @texte(30) decision!: string | null;
  @texte(100) decidePar!: string | null;
  @horodatage(true) decideLe!: Date | null;
}
