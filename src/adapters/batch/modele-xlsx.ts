/**
 * The laissez-passer workbook template staff fill in: the sheet to fill (text cells, so that `01`
 * stays `01`), a drop-down list of the valid codes on each coded column (from the nomenclatures in
 * service, on a `codes` sheet), and an `aide` sheet saying what each column expects.
 */
import { Workbook } from 'exceljs';

export interface ListeCodes {
  colonne: string;
  /** The valid values, each with what it means. */
  codes: { code: string; libelle: string }[];
}

export interface AideColonne {
  colonne: string;
  obligatoire: string;
  attendu: string;
}

/** Rows that get the drop-down lists (a file of laissez-passer is rarely longer; more rows simply have no list). */
const LIGNES_AVEC_LISTES = 2000;

function lettre(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** The sheet to fill: text cells (so that `01` stays `01`), the header in bold and frozen, the example row. */
export function feuilleARemplir(classeur: Workbook, colonnes: readonly string[], exemple: Record<string, string>) {
  const feuille = classeur.addWorksheet('laissez-passer', { views: [{ state: 'frozen', ySplit: 1 }] });
  colonnes.forEach((c, i) => {
    const col = feuille.getColumn(i + 1);
    col.numFmt = '@';
    col.width = Math.max(12, c.length + 2);
  });
  feuille.addRow([...colonnes]).font = { bold: true };
  feuille.addRow(colonnes.map((c) => exemple[c] ?? ''));
  return feuille;
}

export async function modeleXlsxLp(colonnes: readonly string[], exemple: Record<string, string>, listes: ListeCodes[], aide: AideColonne[]): Promise<Buffer> {
  const classeur = new Workbook();
  const feuille = feuilleARemplir(classeur, colonnes, exemple);
  const codes = classeur.addWorksheet('codes');
  const aides = classeur.addWorksheet('aide');

  // One pair of columns per list on `codes` (code, meaning); the template's column points at its codes.
  listes.forEach((l, k) => {
    const colCode = 2 * k + 1;
    codes.getColumn(colCode).width = 12;
    codes.getColumn(colCode + 1).width = 40;
    codes.getCell(1, colCode).value = l.colonne;
    codes.getCell(1, colCode + 1).value = `${l.colonne} : libellé`;
    codes.getRow(1).font = { bold: true };
    l.codes.forEach((c, i) => {
      codes.getCell(i + 2, colCode).value = c.code;
      codes.getCell(i + 2, colCode + 1).value = c.libelle;
    });
    const i = colonnes.indexOf(l.colonne);
    if (i < 0 || !l.codes.length) return;
    const plage = `codes!$${lettre(colCode)}$2:$${lettre(colCode)}$${l.codes.length + 1}`;
    for (let r = 2; r <= LIGNES_AVEC_LISTES + 1; r++)
      feuille.getCell(r, i + 1).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [plage],
        showErrorMessage: true,
        errorStyle: 'warning',
        errorTitle: `${l.colonne} : code inconnu`,
        error: `Choisissez un code de la liste (feuille « codes »).`,
      };
  });

  aides.columns = [
    { header: 'Colonne', key: 'colonne', width: 18 },
    { header: 'Obligatoire', key: 'obligatoire', width: 30 },
    { header: 'Ce qui est attendu', key: 'attendu', width: 100 },
  ];
  aides.getRow(1).font = { bold: true };
  for (const a of aide) aides.addRow(a);
  const contenu = await classeur.xlsx.writeBuffer();
  return Buffer.from(contenu as ArrayBuffer);
}
