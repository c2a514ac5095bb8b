/**
 * The files of an OPI import as its door received them (REST multipart or body, the CLI's paths) made
 * ready for the job engine, the same way for every door: a ZIP opened (bounded), the pair of a
 * two-file format found by file names, CSV or XLSX told by the name, the rows counted for progress.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ParametresImport } from '../../application/jobs/import-opi';
import { ErreurMetier } from '../../domain/errors';
import { lireMode, type ModeLot } from '../../domain/lots';
import { sha256 } from '../../domain/empreinte';
import { estZip, extraireZip } from './archives';

export type PairesImport = Record<string, { principal: RegExp; annexe: RegExp }>;

export interface FichierEntrant {
  fichier: string;
  nomFichier?: string;
  empreinte: string;
}

/** Data rows of a CSV file (line breaks less the header), for progress; quoted line breaks make it an estimate. */
async function compterLignes(fichier: string): Promise<number> {
  let n = 0;
  let dernier = 0x0a;
  for await (const chunk of createReadStream(fichier) as AsyncIterable<Buffer>) {
    for (const b of chunk) if (b === 0x0a) n++;
    dernier = chunk[chunk.length - 1] ?? dernier;
  }
  return Math.max(0, n - 1 + (dernier === 0x0a ? 0 : 1));
}

/** The formation of a whole file (Parcoursup's gestion export has none per row). */
function formationDe(valeur: (nom: string) => string | undefined): ParametresImport['formationFichier'] {
  const code = valeur('codeFormationPsup')?.trim();
  const codEtp = valeur('codEtp')?.trim().toUpperCase();
  const version = valeur('codVrsVet')?.trim();
  if (!code && !codEtp) return undefined;
  return {
    ...(code ? { codeFormationPsup: code } : {}),
    ...(codEtp ? { codEtp } : {}),
    ...(version && /^\d{1,3}$/.test(version) ? { codVrsVet: Number(version) } : {}),
  };
}

interface FichierImport {
  fichier: string;
  nom?: string;
  format: 'csv' | 'xlsx';
}

/** The files as the format wants them: one file (CSV or XLSX), or a named pair; a ZIP is opened first. */
async function fichiersDuFormat(
  recus: FichierEntrant[],
  format: string,
  d: { dossier: string; paires: PairesImport },
  temporaires: string[],
): Promise<{ principal: FichierImport; annexe?: string }> {
  const tous: { nom?: string; fichier: string }[] = [];
  for (const f of recus) {
    if (!/\.xlsx$/i.test(f.nomFichier ?? '') && (await estZip(f.fichier))) {
      const entrees = await extraireZip(f.fichier, path.dirname(f.fichier));
      temporaires.push(...entrees.map((e) => e.fichier));
      tous.push(...entrees);
    } else tous.push({ nom: f.nomFichier, fichier: f.fichier });
  }
  const enFormat = (x: { nom?: string; fichier: string }): FichierImport => ({ ...x, format: /\.xlsx$/i.test(x.nom ?? '') ? 'xlsx' : 'csv' });
  const paire = d.paires[format];
  if (!paire) {
    if (tous.length !== 1)
      throw ErreurMetier.une('FICHIER_NON_CONFORME', 'fichiers', { format: format || '?', detail: `un seul fichier attendu, ${tous.length} reçus` });
    return { principal: enFormat(tous[0]) };
  }
  const principal = tous.find((x) => paire.principal.test(x.nom ?? ''));
  const annexe = tous.find((x) => paire.annexe.test(x.nom ?? ''));
  if (!principal || !annexe || tous.length !== 2) {
    throw ErreurMetier.une('FICHIER_NON_CONFORME', 'fichiers', {
      format,
      detail: `deux fichiers attendus, nommés comme ${paire.principal.source} et ${paire.annexe.source} ; reçus : ${tous.map((x) => x.nom ?? '(sans nom)').join(', ')}`,
    });
  }
  // The second file waits beside the job's own, in the engine's folder, until the job ends.
  const place = path.join(d.dossier, `annexe-${randomUUID()}.csv`);
  await fs.rename(annexe.fichier, place);
  temporaires.push(place);
  return { principal: enFormat(principal), annexe: place };
}

/**
 * Everything `opi.importer` needs from the door's files and parameters (`valeur(nom)`: a form field,
 * a query parameter, a CLI option). `temporaires` collects the files to remove after the call;
 * `confier()` hands the pair's second file over to the job once it is accepted.
 */
export async function preparerImport(
  recus: FichierEntrant[],
  valeur: (nom: string) => string | undefined,
  d: { dossier: string; paires: PairesImport; temporaires: string[] },
) {
  const format = (valeur('format') ?? '').trim().toLowerCase();
  const fichiers = await fichiersDuFormat(recus, format, d, d.temporaires);
  const parametres: ParametresImport = { format, formationFichier: formationDe(valeur), ...(fichiers.annexe ? { annexes: [fichiers.annexe] } : {}) };
  const simulation = ['true', '1'].includes((valeur('simulation') ?? '').toLowerCase());
  const empreintes = recus.map((f) => f.empreinte).join(',');
  const entree = {
    format,
    fichier: fichiers.principal.fichier,
    options: {
      format: fichiers.principal.format,
      mode: 'partiel' as ModeLot,
      simulation,
      nomFichier: fichiers.principal.nom,
      empreinte: sha256(empreintes),
      lignesTotal: fichiers.principal.format === 'csv' ? await compterLignes(fichiers.principal.fichier) : undefined,
      parametres,
    },
  };
  return {
    entree,
    empreintes,
    empreinteRequete: sha256(`${format}|${valeur('mode') ?? ''}|${simulation}|${empreintes}`),
    /** The mode, read as the pipeline's own check (refused and journaled like any input). */
    controle: () => {
      entree.options.mode = lireMode(valeur('mode'));
    },
    confier: () => {
      if (fichiers.annexe) d.temporaires.splice(d.temporaires.indexOf(fichiers.annexe), 1);
    },
  };
}
