import { Entity, PrimaryColumn } from 'typeorm';
import { texte, document, horodatage, entier } from './colonnes';

/** One code of one nomenclature (reference table of the installation). */
@Entity('nomenclature_code')
export class CodeNomenclature {
  @PrimaryColumn({ type: 'varchar', length: 40 }) nom!: string;
  /** Key of the entry (`code`, or `codEtp/codVrsVet` for an étape). */
  @PrimaryColumn({ type: 'varchar', length: 40 }) code!: string;
  @texte(200, false) libelle!: string;
  @Column_enService() enService!: boolean;
  /** The whole entry as loaded (JSON), with its extra attributes. */
  @document(false) entree!: string;
}

/** One loaded nomenclature: label, source, when it was loaded. */
@Entity('nomenclature')
export class Nomenclature {
  @PrimaryColumn({ type: 'varchar', length: 40 }) nom!: string;
  @texte(200, false) libelle!: string;
  @texte(500) source!: string | null;
  @entier(false) nombre!: number;
  @horodatage() chargeLe!: Date;
}

function Column_enService() {
  return entier(false, {
    transformer: { to: (v: boolean) => (v ? 1 : 0), from: (v: number) => v === 1 || (v as unknown) === true },
  });
}
