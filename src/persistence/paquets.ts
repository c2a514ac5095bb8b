/** Rows per multi-row statement or IN list: far below SQLite's and MySQL's placeholder limits. */
export const TAILLE_PAQUET_SQL = 400;

/** Rows per multi-row INSERT (a file's chunk of 1,000 rows in two): 500 × 30 columns, far under SQLite's 32,766 placeholders. */
export const LIGNES_PAR_INSERTION = 500;

/** Values per IN list of a chunk's reads: a chunk of a file (1,000 rows) in one statement. */
export const TAILLE_LISTE = 1000;

export async function parPaquets<T>(valeurs: T[], f: (paquet: T[]) => Promise<void>, taille = TAILLE_PAQUET_SQL): Promise<void> {
  for (let i = 0; i < valeurs.length; i += taille) await f(valeurs.slice(i, i + taille));
}
