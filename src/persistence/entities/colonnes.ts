/** Column helpers shared by the entities: the same declarations on SQLite and MariaDB/MySQL. */
import { Column, type ColumnOptions } from 'typeorm';

export const texte = (length: number, nullable = true, opts: ColumnOptions = {}) => Column({ type: 'varchar', length, nullable, ...opts });
export const entier = (nullable = true, opts: ColumnOptions = {}) => Column({ type: 'int', nullable, ...opts });
/** Long text: JSON documents, messages. `text` on SQLite, `mediumtext` on MySQL (see migration). */
export const document = (nullable = true, opts: ColumnOptions = {}) => Column({ type: 'text', nullable, ...opts });
/** Timestamps with milliseconds, always written by the application in UTC. */
export const horodatage = (nullable = false, opts: ColumnOptions = {}) => Column({ type: 'datetime', precision: 3, nullable, ...opts });
