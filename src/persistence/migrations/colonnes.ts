import type { TableColumnOptions } from 'typeorm';

/** Column builders for migrations: portable declarations, the same on SQLite and MariaDB/MySQL. */
export const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
export const vc = (name: string, length: number, isNullable = true): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
export const int = (name: string, isNullable = true): TableColumnOptions => ({ name, type: 'int', isNullable });
/** Long text (`text`: 64 KiB on MySQL/MariaDB, unbounded on SQLite): JSON documents and problem lists. */
export const txt = (name: string, isNullable = true): TableColumnOptions => ({ name, type: 'text', isNullable });
export const ts = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable });
