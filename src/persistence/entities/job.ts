import { Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { texte, entier, document, horodatage } from './colonnes';
import type { JobLigne, RejetLigne } from '../../application/enregistrements';

/** A bulk load: its file on disk, its progress (committed with each chunk) and its counts. */
@Entity('job')
@Index('ix_job_etat', ['etat'])
@Index('ix_job_client', ['client', 'creeLe'])
export class Job implements JobLigne {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @texte(30, false) type!: string;
  /** EN_ATTENTE, EN_COURS, TERMINE, REJETE (all-or-nothing refused), ECHOUE. */
  @texte(20, false) etat!: string;
  /** partiel | tout-ou-rien */
  @texte(20, false) mode!: string;
  @texte(10, false) format!: string;
  @texte(500, false) fichier!: string;
  @texte(255) nomFichier!: string | null;
  @texte(20) encodage!: string | null;
  @texte(1) separateur!: string | null;
  @texte(100, false) client!: string;
  @texte(64, false) requestId!: string;
  @texte(64) empreinte!: string | null;
  @entier(false) lignesLues!: number;
  @entier(false) lignesRejetees!: number;
  @entier(false) creees!: number;
  @entier(false) misesAJour!: number;
  @entier(false) inchangees!: number;
  /** Data rows fully processed and committed (resume point after a crash). */
  @entier(false) lignesTraitees!: number;
  @document() erreur!: string | null;
  /** The gateway instance running the job, and until when its lease holds (renewed with each chunk). */
  @texte(64) proprietaire!: string | null;
  @horodatage(true) bailJusqua!: Date | null;
  @horodatage() creeLe!: Date;
  @horodatage(true) debutLe!: Date | null;
  @horodatage(true) finLe!: Date | null;
  /** 1: a dry-run (every row validated, nothing written). */
  @entier(false, { default: 0 }) simulation!: number;
  /** 1: cancellation asked; the job stops at its next chunk boundary. */
  @entier(false, { default: 0 }) annulationDemandee!: number;
  /** Data rows in the file when known (counted at acceptance), for progress and ETA. */
  @entier() lignesTotal!: number | null;
  /** The job type's own parameters (JSON). */
  @document() parametres!: string | null;
}

/** One rejected row of a bulk load, with its problems. */
@Entity('job_rejet')
@Index('uq_job_rejet', ['jobId', 'numLigne'], { unique: true })
export class JobRejet implements RejetLigne {
  @PrimaryGeneratedColumn() id!: number;
  @texte(36, false) jobId!: string;
  @entier(false) numLigne!: number;
  @texte(500, false) codes!: string;
  /** Problems (JSON: code, path, message). */
  @document(false) problemes!: string;
  /** The row as read (JSON), to correct and resend it. */
  @document() valeurs!: string | null;
  /** The row's identifiers (JSON: platform id, OPI number). */
  @document() identifiants!: string | null;
}
