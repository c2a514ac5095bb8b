import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { texte, entier, horodatage } from './colonnes';
import type { ClientApiLigne, CleApiLigne, ComptePersonnelLigne } from '../../application/enregistrements';

@Entity('client_api')
export class ClientApi implements ClientApiLigne {
  @PrimaryGeneratedColumn() id!: number;
  @Index('uq_client_api_nom', { unique: true }) @texte(100, false) nom!: string;
  @texte(1000, false) portees!: string;
  @texte(500) prefixesOpi!: string | null;
  @texte(500) description!: string | null;
  @horodatage() creeLe!: Date;
  @horodatage(true) revoqueLe!: Date | null;
}

@Entity('cle_api')
export class CleApi implements CleApiLigne {
  @PrimaryGeneratedColumn() id!: number;
  @Index('ix_cle_api_client') @entier(false) clientId!: number;
  @Index('uq_cle_api_empreinte', { unique: true }) @texte(64, false) empreinte!: string;
  @texte(12, false) indice!: string;
  @horodatage() creeLe!: Date;
  @horodatage(true) expireLe!: Date | null;
  @horodatage(true) revoqueLe!: Date | null;
}

@Entity('compte_personnel')
export class ComptePersonnel implements ComptePersonnelLigne {
  @PrimaryGeneratedColumn() id!: number;
  @Index('uq_compte_identifiant', { unique: true }) @texte(100, false) identifiant!: string;
  @texte(200) nomAffiche!: string | null;
  @texte(20, false) role!: string;
  @texte(300, false) empreinteMotDePasse!: string;
  @horodatage() creeLe!: Date;
  @horodatage(true) desactiveLe!: Date | null;
}
