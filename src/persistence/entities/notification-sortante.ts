import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { texte, entier, document, horodatage } from './colonnes';
import type { NotificationLigne } from '../../application/ports';

/**
 * The outbox: a notification the gateway owes another system, written in the transaction of the change
 * it reports, delivered in the background. `ordre` numbers the notifications of one `cle` (the
 * candidate): unique with `type` and `cle`, so two concurrent writes cannot take the same number.
 */
@Entity('notification_sortante')
@Index('uq_notification_ordre', ['type', 'cle', 'ordre'], { unique: true })
@Index('ix_notification_etat', ['etat', 'prochaineTentative'])
export class NotificationSortante implements NotificationLigne {
  @PrimaryGeneratedColumn() id!: number;
  @texte(30, false) type!: string;
  @texte(40, false) cle!: string;
  @entier(false) ordre!: number;
  /** What is sent (JSON), without the credentials. */
  @document(false) corps!: string;
  /** A_ENVOYER, ENVOYEE or ECHEC. */
  @texte(12, false) etat!: string;
  @entier(false) tentatives!: number;
  @horodatage() prochaineTentative!: Date;
  @texte(1000) derniereErreur!: string | null;
  @horodatage() creeLe!: Date;
  @horodatage(true) envoyeeLe!: Date | null;
}
