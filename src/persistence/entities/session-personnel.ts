import { Entity, Index, PrimaryColumn } from 'typeorm';
import { texte, horodatage } from './colonnes';
import type { SessionLigne } from '../../application/enregistrements';

/** A staff member signed in to the console: the SHA-256 of the cookie's token, never the token. */
@Entity('session_personnel')
@Index('ix_session_expire', ['expireLe'])
@Index('ix_session_compte', ['compte'])
export class SessionPersonnel implements SessionLigne {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @texte(100, false) compte!: string;
  @texte(20, false) role!: string;
  /** The token the console sends back in `X-CSRF-Token` with every change. */
  @texte(64, false) csrf!: string;
  /** mot-de-passe or cas. */
  @texte(20, false) origine!: string;
  @horodatage() creeLe!: Date;
  @horodatage() vueLe!: Date;
  @horodatage() expireLe!: Date;
}
