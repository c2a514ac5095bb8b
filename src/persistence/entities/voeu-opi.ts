import { Entity, Index, PrimaryGeneratedColumn, ManyToOne, JoinColumn } from 'typeorm';
import { texte, entier, document } from './colonnes';
import type { VoeuOpiLigne } from '../../application/enregistrements';
import type { IndividuOpi } from './individu-opi';

/** One vœu of an OPI (Apogée VOEUX_INS), unique per (individu, CGE, étape, version). */
@Entity('voeu_opi')
@Index('uq_voeu_opi', ['individuOpiId', 'codCge', 'codEtp', 'codVrsVet'], { unique: true })
@Index('ix_voeu_opi_etape', ['codEtp', 'codVrsVet'])
export class VoeuOpi implements VoeuOpiLigne {
  @PrimaryGeneratedColumn() id!: number;
  @entier(false) individuOpiId!: number;
  @ManyToOne('IndividuOpi', 'voeux', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'individuOpiId', foreignKeyConstraintName: 'fk_voeu_opi_individu' })
  individu?: IndividuOpi;
  /** Position in the list sent (0-based), to give the vœux back in the order received. */
  @entier(false) rang!: number;
  @entier(false) numCls!: number;
  @texte(3, false) codCge!: string;
  @texte(6, false) codEtp!: string;
  @entier(false) codVrsVet!: number;
  @texte(7) codDip!: string | null;
  @entier() codVrsVdi!: number | null;
  @texte(3) codCmp!: string | null;
  @texte(1, false) codDecVeu!: string;
  @texte(1, false) codDemDos!: string;
  @texte(1) codRge!: string | null;
  @texte(5) codCatOuiSi!: string | null;
  @texte(100) mtfCat!: string | null;
  @texte(5) codCatExoExt!: string | null;
  @texte(15) comExoExt!: string | null;
  /** The complete canonical vœu (JSON). */
  @document(false) donnees!: string;
}
