import { Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { texte, entier, document, horodatage } from './colonnes';
import type { InscriptionLigne, EvenementLigne } from '../../application/enregistrements';

/**
 * One administrative enrolment (IA): one individual, one year, one étape/version. `cleActive` is the
 * identity (individual|codAnu|codEtp|codVrsVet) while the IA is not cancelled (unique), NULL after.
 */
@Entity('inscription')
@Index('uq_inscription_active', ['cleActive'], { unique: true })
@Index('ix_inscription_opi', ['codOpiIntEpo', 'codAnu'])
@Index('ix_inscription_etu', ['codEtu', 'codAnu'])
@Index('ix_inscription_ine', ['ine', 'codAnu'])
@Index('ix_inscription_etape', ['codAnu', 'codEtp', 'etat'])
export class InscriptionEntite implements InscriptionLigne {
  @PrimaryGeneratedColumn() id!: number;
  @texte(80) cleActive!: string | null;
  @texte(4, false) codAnu!: string;
  @texte(10) codOpiIntEpo!: string | null;
  @texte(8) codEtu!: string | null;
  @texte(11) ine!: string | null;
  @texte(6, false) codEtp!: string;
  @entier(false) codVrsVet!: number;
  @texte(7) codDip!: string | null;
  @entier() codVrsVdi!: number | null;
  @texte(3) codCge!: string | null;
  @texte(20, false) etat!: string;
  @texte(1) codRgi!: string | null;
  @texte(2) codStu!: string | null;
  @texte(5) codCatOuiSi!: string | null;
  @texte(5) codCatExoExt!: string | null;
  @entier(false) boursier!: number;
  @texte(13) numBoursier!: string | null;
  @texte(5) profilExonerant!: string | null;
  @texte(3) codPayNat!: string | null;
  @texte(30) numeroCvec!: string | null;
  /** Amounts in cents. */
  @entier(false) montantBaseCentimes!: number;
  @entier(false) montantDuCentimes!: number;
  @entier() paiementCentimes!: number | null;
  @texte(100) paiementReference!: string | null;
  @texte(20) paiementMode!: string | null;
  @horodatage(true) paiementLe!: Date | null;
  /** Resolved values with their sources, fees, CVEC, explanation (JSON). */
  @document(false) calcul!: string;
  @texte(100, false) source!: string;
  @entier(false) version!: number;
  @horodatage() creeLe!: Date;
  @horodatage() modifieLe!: Date;
  /** PRINCIPALE, DOUBLE_CURSUS, PARALLELE, PARALLELE_SECONDAIRE; NULL = PRINCIPALE (rows written before the field). */
  @texte(30) cursus!: string | null;
}

/** Every state change of an IA, with who, when and why. */
@Entity('inscription_evenement')
@Index('ix_inscription_evenement', ['inscriptionId'])
export class EvenementInscription implements EvenementLigne {
  @PrimaryGeneratedColumn() id!: number;
  @entier(false) @ForeignKey('InscriptionEntite', { name: 'fk_evenement_inscription', onDelete: 'CASCADE' }) inscriptionId!: number;
  @texte(20) de!: string | null;
  @texte(20, false) vers!: string;
  @texte(500) motif!: string | null;
  @texte(100, false) client!: string;
  @texte(64, false) requestId!: string;
  @horodatage() le!: Date;
}
