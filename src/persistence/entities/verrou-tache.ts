import { Entity, PrimaryColumn } from 'typeorm';
import { texte, horodatage } from './colonnes';
import type { VerrouTacheLigne } from '../../application/ports';

/**
 * A lease on a task that one gateway instance at a time may run (the reminder of missing documents):
 * held by `proprietaire` until `jusqua`, renewed while the task runs, deleted when it ends. An expired
 * lease (its instance died) is taken over.
 */
@Entity('verrou_tache')
export class VerrouTache implements VerrouTacheLigne {
  @PrimaryColumn({ type: 'varchar', length: 60 }) nom!: string;
  @texte(64, false) proprietaire!: string;
  @horodatage() jusqua!: Date;
}
