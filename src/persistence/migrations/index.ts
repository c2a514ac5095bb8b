import { Fondation1764000000000 } from './1764000000000-Fondation';
import { LaissezPasser1764100000000 } from './1764100000000-LaissezPasser';
import { Inscription1764200000000 } from './1764200000000-Inscription';
import { BailJob1764300000000 } from './1764300000000-BailJob';
import { AlignementSchema1764500000000 } from './1764500000000-AlignementSchema';
import { Pipeline1764600000000 } from './1764600000000-Pipeline';
import { Pieces1764700000000 } from './1764700000000-Pieces';
import { VerrouTache1764800000000 } from './1764800000000-VerrouTache';
import { NotificationSortante1764900000000 } from './1764900000000-NotificationSortante';
import { JobsImports1765000000000 } from './1765000000000-JobsImports';
import { Identites1765100000000 } from './1765100000000-Identites';
import { ChargesJournal1765200000000 } from './1765200000000-ChargesJournal';
import { SessionsPersonnel1765300000000 } from './1765300000000-SessionsPersonnel';
import { DecisionsDoublons1765400000000 } from './1765400000000-DecisionsDoublons';

/** Every migration, in order. The same list runs on SQLite and MariaDB/MySQL; never `synchronize`. */
export const MIGRATIONS = [
  Fondation1764000000000,
  LaissezPasser1764100000000,
  Inscription1764200000000,
  BailJob1764300000000,
  AlignementSchema1764500000000,
  Pipeline1764600000000,
  Pieces1764700000000,
  VerrouTache1764800000000,
  NotificationSortante1764900000000,
  JobsImports1765000000000,
  Identites1765100000000,
  ChargesJournal1765200000000,
  SessionsPersonnel1765300000000,
  DecisionsDoublons1765400000000,
];
