/**
 * Writes an N-row laissez-passer CSV (`;`, UTF-8, Apogée V2 column names) of VALID rows, streamed to
 * disk (one row at a time, honouring back-pressure: never the whole file in memory).
 *
 * - distinct individuals: even rows are REINS (codEtu = 8 distinct digits), odd rows are IAPRIMO
 *   (numOPI = `BN` + 8 distinct digits), so every row is a CREATION in an empty database;
 * - codAnu = the current year;
 * - étape/version/diplôme/version taken from the IN-SERVICE entries of fixtures/nomenclatures/etapes.json
 *   (IAPRIMO rows only on étapes `ouvertIaPrimo`, REINS rows on étapes `ouvertReins`), régime from that
 *   étape's `regimesAutorises`, statut / situation droits / catégorie « Oui Si » in service;
 * - about one row in 7 has an accented comment, one in 50 a quoted comment containing `;` and `"`.
 * Deterministic: the same N gives the same file.
 *
 * CLI: `node dist/bench/generer-csv.js <fichier.csv> [N=100000]`.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

export const ENTETE_LP = [
  'typLpa',
  'codAnu',
  'numOPI',
  'codEtu',
  'codEtp',
  'codVrsVet',
  'codDip',
  'codVrsVdi',
  'codRgi',
  'codStu',
  'libCmtLpa',
  'codCatOuiSi',
  'mtfCat',
  'codCatExoExt',
] as const;

const RACINE = path.resolve(__dirname, '..', '..');
const DOSSIER_NOMENCLATURES = path.join(RACINE, 'fixtures', 'nomenclatures');

interface Etape {
  codEtp: string;
  codVrsVet: number;
  codDip?: string;
  codVrsVdi?: number;
  enService: boolean;
  regimesAutorises?: string[];
  ouvertIaPrimo?: boolean;
  ouvertReins?: boolean;
}
interface Code {
  code: string;
  enService: boolean;
}

function lireNomenclature<T>(nom: string): T[] {
  return (JSON.parse(readFileSync(path.join(DOSSIER_NOMENCLATURES, `${nom}.json`), 'utf8')) as { codes: T[] }).codes;
}

/** The codes the generator draws from (all in service), read from the fixtures. */
export function referentiel() {
  const enService = (nom: string) =>
    lireNomenclature<Code>(nom)
      .filter((c) => c.enService)
      .map((c) => c.code);
  const regimes = new Set(enService('regimes'));
  const diplomes = new Set(
    lireNomenclature<{ codDip: string; codVrsVdi: number; enService: boolean }>('diplomes')
      .filter((d) => d.enService)
      .map((d) => `${d.codDip}/${d.codVrsVdi}`),
  );
  const etapes = lireNomenclature<Etape>('etapes')
    .filter((e) => e.enService && e.codDip !== undefined && diplomes.has(`${e.codDip}/${e.codVrsVdi}`))
    .map((e) => ({ ...e, regimes: (e.regimesAutorises ?? [...regimes]).map(String).filter((r) => regimes.has(r)) }))
    .filter((e) => e.regimes.length > 0);
  return {
    etapesReins: etapes.filter((e) => e.ouvertReins !== false),
    etapesIaPrimo: etapes.filter((e) => e.ouvertIaPrimo !== false),
    statuts: enService('statuts'),
    situations: enService('situations-droits'),
    categoriesOuiSi: enService('categories-oui-si'),
  };
}

const COMMENTAIRES_ACCENTUES = [
  'Réinscription validée par la commission pédagogique',
  'Élève issu de la classe préparatoire — équivalence accordée',
  'Dérogation accordée (année de césure terminée)',
  'Étudiant(e) en double cursus : droits réduits',
  'Inscription pédagogique à compléter à la rentrée',
];
const MOTIFS = ['Prérequis à consolider en méthodologie', 'Parcours aménagé : remise à niveau', 'Tutorat renforcé au 1er semestre'];

function champ(v: string): string {
  return /[";\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The i-th row (0-based) as the 14 cell values, in ENTETE_LP order. */
export function ligne(i: number, ref: ReturnType<typeof referentiel>, codAnu: string): string[] {
  const reins = i % 2 === 0;
  const etapes = reins ? ref.etapesReins : ref.etapesIaPrimo;
  const e = etapes[(i * 7 + (i >> 3)) % etapes.length];
  const codRgi = e.regimes[(i >> 1) % e.regimes.length];
  const codStu = ref.statuts[(i >> 2) % ref.statuts.length];
  const sit = i % 5 === 0 ? '' : ref.situations[(i >> 3) % ref.situations.length];
  const ouiSi = !reins && i % 11 === 1;
  let commentaire = '';
  if (i % 50 === 3) commentaire = `Dossier n°${i}; pièces reçues le ${String(1 + (i % 28)).padStart(2, '0')}/06 ("complet")`;
  else if (i % 7 === 0) commentaire = COMMENTAIRES_ACCENTUES[((i / 7) % COMMENTAIRES_ACCENTUES.length) | 0];
  const num = String(10_000_000 + i).slice(-8); // 8 distinct digits per row (N ≤ 90,000,000)
  return [
    reins ? 'REINS' : 'IAPRIMO',
    codAnu,
    reins ? '' : `BN${num}`,
    reins ? num : '',
    e.codEtp,
    String(e.codVrsVet),
    e.codDip ?? '',
    e.codVrsVdi === undefined ? '' : String(e.codVrsVdi),
    codRgi,
    codStu,
    commentaire,
    ouiSi ? ref.categoriesOuiSi[i % ref.categoriesOuiSi.length] : '',
    ouiSi ? MOTIFS[i % MOTIFS.length] : '',
    sit,
  ];
}

/** Writes the file; resolves with its size in bytes. */
export async function genererCsv(fichier: string, n: number, codAnu = String(new Date().getFullYear())): Promise<{ lignes: number; octets: number }> {
  if (!Number.isInteger(n) || n < 1 || n > 89_999_999) throw new Error(`nombre de lignes invalide : ${n}`);
  const ref = referentiel();
  if (!ref.etapesReins.length || !ref.etapesIaPrimo.length) throw new Error('aucune étape en service utilisable dans les nomenclatures');
  const sortie = createWriteStream(fichier, { encoding: 'utf8' });
  const erreur = new Promise<never>((_, reject) => sortie.once('error', reject));
  erreur.catch(() => undefined);
  const ecrire = async (texte: string) => {
    if (!sortie.write(texte)) await Promise.race([once(sortie, 'drain'), erreur]);
  };
  await ecrire(`${ENTETE_LP.join(';')}\r\n`);
  // Rows are grouped by 256 per write() call (fewer syscalls), still a bounded, small buffer.
  let tampon: string[] = [];
  for (let i = 0; i < n; i++) {
    tampon.push(ligne(i, ref, codAnu).map(champ).join(';'));
    if (tampon.length === 256) {
      await ecrire(`${tampon.join('\r\n')}\r\n`);
      tampon = [];
    }
  }
  if (tampon.length) await ecrire(`${tampon.join('\r\n')}\r\n`);
  sortie.end();
  await Promise.race([once(sortie, 'finish'), erreur]);
  return { lignes: n, octets: sortie.bytesWritten };
}

if (require.main === module) {
  const [fichier, n = '100000'] = process.argv.slice(2);
  if (!fichier) {
    console.error('usage : node dist/bench/generer-csv.js <fichier.csv> [N=100000]');
    process.exit(2);
  }
  genererCsv(path.resolve(fichier), Number(n)).then(
    (r) => {
      console.log(`${r.lignes} lignes, ${(r.octets / 1024 / 1024).toFixed(2)} MiB → ${fichier}`);
    },
    (err) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
