/**
 * A `LecteurFichiers` serving rows from arrays instead of parsing CSV/XLSX/JSON, with the real
 * reader's contract (src/adapters/batch/lecteurs.ts): header cells matched case-insensitively to the
 * known columns and renamed to their spelling, unknown ones reported in `inconnues` (and kept under
 * their own name in the rows), duplicates in `doublons`; rows numbered as in a file (tabular formats:
 * header = row 1, first data row = 2; JSON: index in the array); empty rows skipped but counted;
 * `sauter` skips that many data rows (a resumed job).
 *
 * The job engine moves an accepted file to `<dossier>/<jobId>.<format>` (a real `fs.rename`), so a
 * file is known either by the name it was declared under (`declarer`) or, once on disk, by its
 * content: `deposer` writes a small marker file naming its rows, which still names them after the move.
 */
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EnteteLot, LecteurFichiers, LigneLue, OptionsLecture, ValeurLue } from '../../src/application/ports';

export type LigneBrute = Record<string, ValeurLue>;

interface FichierDeclare {
  lignes: LigneBrute[];
  /** Header cells, in order; default: the keys of the first row. */
  colonnes?: string[];
}

const MARQUEUR = 'lecteur-memoire:';

export class LecteurMemoire implements LecteurFichiers {
  private readonly fichiers = new Map<string, FichierDeclare>();
  /** Files opened by `lireLignes`, with the `sauter` asked (resume tests). */
  readonly ouvertures: { fichier: string; sauter: number }[] = [];

  /** Serves `lignes` for the file named `nom` (any string: a path, or a name for `deposer`). */
  declarer(nom: string, lignes: LigneBrute[], options: { colonnes?: string[] } = {}): void {
    this.fichiers.set(nom, { lignes, colonnes: options.colonnes });
  }

  /** Declares `lignes` under `nom` and writes the marker file `<dossier>/<nom>`; returns its path. */
  async deposer(dossier: string, nom: string, lignes: LigneBrute[], options: { colonnes?: string[] } = {}): Promise<string> {
    this.declarer(nom, lignes, options);
    await fs.mkdir(dossier, { recursive: true });
    const chemin = path.join(dossier, nom);
    await fs.writeFile(chemin, `${MARQUEUR}${nom}\n`);
    return chemin;
  }

  async lireEntete(fichier: string, options: OptionsLecture): Promise<EnteteLot> {
    const f = this.trouver(fichier);
    const entete = correspondre(enteteDe(f), options.colonnes).entete;
    return options.format === 'csv' ? { ...entete, encodage: options.encodage ?? 'utf-8', separateur: options.separateur ?? ';' } : entete;
  }

  async *lireLignes(fichier: string, options: OptionsLecture): AsyncGenerator<LigneLue> {
    const f = this.trouver(fichier);
    this.ouvertures.push({ fichier, sauter: options.sauter ?? 0 });
    const { cles } = correspondre(enteteDe(f), options.colonnes);
    const connues = new Map(options.colonnes.map((c) => [c.trim().toLowerCase(), c]));
    const premier = options.format === 'json' ? 0 : 2;
    let aSauter = Math.max(0, Math.floor(options.sauter ?? 0));
    for (const [i, brute] of f.lignes.entries()) {
      if (Object.values(brute).every((v) => v === null || v === '')) continue;
      if (aSauter > 0) {
        aSauter--;
        continue;
      }
      const valeurs: LigneBrute = {};
      for (const [nom, v] of Object.entries(brute)) {
        const cle = cles.get(nom) ?? connues.get(nom.trim().toLowerCase()) ?? nom.trim();
        if (!(cle in valeurs)) valeurs[cle] = v;
      }
      yield { numLigne: premier + i, valeurs };
    }
  }

  private trouver(fichier: string): FichierDeclare {
    const declare = this.fichiers.get(fichier);
    if (declare) return declare;
    const contenu = existsSync(fichier) ? readFileSync(fichier, 'utf8') : '';
    const parMarqueur = contenu.startsWith(MARQUEUR) ? this.fichiers.get(contenu.slice(MARQUEUR.length).trim()) : undefined;
    if (parMarqueur) return parMarqueur;
    throw Object.assign(new Error(`ENOENT: fichier inconnu du lecteur en mémoire : ${fichier}`), { code: 'ENOENT', syscall: 'open', path: fichier });
  }
}

function enteteDe(f: FichierDeclare): string[] {
  return f.colonnes ?? Object.keys(f.lignes[0] ?? {});
}

/** The real reader's header matching: known spelling, unknown names, duplicates. */
function correspondre(cellules: readonly string[], colonnes: readonly string[]): { cles: Map<string, string>; entete: EnteteLot } {
  const connues = new Map(colonnes.map((c) => [c.trim().toLowerCase(), c]));
  const cles = new Map<string, string>();
  const entete: EnteteLot = { colonnes: [], inconnues: [] };
  const doublons: string[] = [];
  for (const brute of cellules) {
    const nom = brute.trim();
    if (!nom) continue;
    const connue = connues.get(nom.toLowerCase());
    const cle = connue ?? nom;
    entete.colonnes.push(cle);
    if (!connue) entete.inconnues.push(nom);
    if ([...cles.values()].includes(cle)) {
      if (connue) doublons.push(connue);
      continue;
    }
    cles.set(brute, cle);
  }
  if (doublons.length) entete.doublons = doublons;
  return { cles, entete };
}
