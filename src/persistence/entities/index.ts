import { IndividuOpi } from './individu-opi';
import { VoeuOpi } from './voeu-opi';
import { DoublonOpi } from './doublon-opi';
import { ChargeJournal, EntreeJournal } from './journal';
import { CodeNomenclature, Nomenclature } from './nomenclature';
import { LaissezPasserEntite } from './laissez-passer';
import { Job, JobRejet } from './job';
import { Idempotence } from './idempotence';
import { InscriptionEntite, EvenementInscription } from './inscription';
import { PieceOpi, HistoriquePiece, RelancePj, AdresseRefusee } from './piece';
import { VerrouTache } from './verrou-tache';
import { NotificationSortante } from './notification-sortante';
import { ClientApi, CleApi, ComptePersonnel } from './identites';
import { SessionPersonnel } from './session-personnel';

export {
  IndividuOpi,
  VoeuOpi,
  DoublonOpi,
  EntreeJournal,
  ChargeJournal,
  CodeNomenclature,
  Nomenclature,
  LaissezPasserEntite,
  Job,
  JobRejet,
  Idempotence,
  InscriptionEntite,
  EvenementInscription,
  PieceOpi,
  HistoriquePiece,
  RelancePj,
  AdresseRefusee,
  VerrouTache,
  NotificationSortante,
  ClientApi,
  CleApi,
  ComptePersonnel,
  SessionPersonnel,
};
export const ENTITES = [
  IndividuOpi,
  VoeuOpi,
  DoublonOpi,
  EntreeJournal,
  ChargeJournal,
  CodeNomenclature,
  Nomenclature,
  LaissezPasserEntite,
  Job,
  JobRejet,
  Idempotence,
  InscriptionEntite,
  EvenementInscription,
  PieceOpi,
  HistoriquePiece,
  RelancePj,
  AdresseRefusee,
  VerrouTache,
  NotificationSortante,
  ClientApi,
  CleApi,
  ComptePersonnel,
  SessionPersonnel,
];
