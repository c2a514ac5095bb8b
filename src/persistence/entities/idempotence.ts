import { Entity, PrimaryColumn } from 'typeorm';
import { texte, entier, document, horodatage } from './colonnes';
import type { IdempotenceLigne } from '../../application/enregistrements';

/** An `Idempotency-Key` already answered: a retry with the same key and body gets the same answer. */
@Entity('idempotence')
export class Idempotence implements IdempotenceLigne {
  @PrimaryColumn({ type: 'varchar', length: 100 }) client!: string;
  @PrimaryColumn({ type: 'varchar', length: 200 }) cle!: string;
  @texte(80, false) operation!: string;
  @texte(64, false) empreinteRequete!: string;
  @entier(false) statut!: number;
  @document(false) reponse!: string;
  @horodatage() creeLe!: Date;
}
