import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { texte, entier, horodatage } from './colonnes';
import type { LaissezPasserLigne } from '../../application/enregistrements';

/**
 * One laissez-passer (Apogée TELEM_LAISSER_PASSER / _OPI), unique per (individual, year, étape, version):
 * `cle` = `<OPI:code|ETU:num|INE:ine>|codAnu|codEtp|codVrsVet`.
 */
@Entity('laissez_passer')
@Index('uq_laissez_passer_cle', ['cle'], { unique: true })
@Index('ix_lp_opi', ['codOpiIntEpo', 'codAnu'])
@Index('ix_lp_etu', ['codEtu', 'codAnu'])
@Index('ix_lp_ine', ['ine', 'codAnu'])
@Index('ix_lp_formation', ['codAnu', 'codEtp', 'codVrsVet'])
export class LaissezPasserEntite implements LaissezPasserLigne {
  @PrimaryGeneratedColumn() id!: number;
  @texte(60, false) cle!: string;
  @texte(7, false) typLpa!: string;
  @texte(4, false) codAnu!: string;
  @texte(10) codOpiIntEpo!: string | null;
  @texte(8) codEtu!: string | null;
  @texte(11) ine!: string | null;
  @texte(6, false) codEtp!: string;
  @entier(false) codVrsVet!: number;
  @texte(7) codDip!: string | null;
  @entier() codVrsVdi!: number | null;
  @texte(3) codCge!: string | null;
  @texte(1) codRgi!: string | null;
  @texte(2) codStu!: string | null;
  @texte(5) codCatOuiSi!: string | null;
  @texte(100) mtfCat!: string | null;
  @texte(5) codCatExoExt!: string | null;
  @texte(200) libCmtLpa!: string | null;
  @texte(10) dateDebutValidite!: string | null;
  @texte(10) dateFinValidite!: string | null;
  /** Who created / last changed it (the authenticated client or account; `anonyme` on an install without credentials). */
  @texte(100, false) source!: string;
  /** The bulk load that last wrote it, if any. */
  @texte(36) jobId!: string | null;
  @texte(64, false) empreinte!: string;
  @entier(false) version!: number;
  @horodatage() creeLe!: Date;
  @horodatage() modifieLe!: Date;
}
