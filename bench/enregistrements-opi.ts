/**
 * The records every single-write benchmark sends: OPI number i of a series (a 2-letter prefix, so that
 * several series share one database), a distinct person each (name, birth date), two vœux of the
 * default nomenclatures. The same record as REST JSON, as a SOAP envelope (Apogée's
 * `mettreajourDonneesOpi_v10`), and written straight with mysql2 (the baseline).
 */
import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';

export function codeOpi(prefixe: string, i: number): string {
  return `${prefixe}${String(i).padStart(8, '0')}`;
}

export function opiJson(prefixe: string, i: number) {
  const code = codeOpi(prefixe, i);
  const nom = `Banc${prefixe}${i}`;
  return {
    code,
    corps: {
      individu: {
        codOpiIntEpo: code,
        etatCivil: { libNomPatIndOpi: nom, libPr1IndOpi: 'Camille', codSexEtuOpi: 'F' },
        donneesNaissance: {
          dateNaiIndOpi: `200${i % 8}-0${(i % 9) + 1}-1${i % 10}`,
          temDateNaiRelOpi: 'N',
          codPayNat: '100',
          codTypDepPayNai: 'D',
          codDepPayNai: '035',
          libVilNaiEtuOpi: 'Rennes',
        },
        donneesPersonnelles: { adrMailOpi: `${nom.toLowerCase()}@example.org`, codRgi: '1', codStu: '01' },
      },
      voeux: [
        { numCls: 1, codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C', codRge: '1', temValPsd: 'N' },
        { numCls: 2, codCge: 'ECO', codEtp: 'LECG1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C', codRge: '1', temValPsd: 'N' },
      ],
    },
  };
}

const el = (nom: string, v: string | number) => `<${nom}>${v}</${nom}>`;

/** The same record in the envelope a client generated from Apogée's WSDL sends (dates as DDMMYYYY). */
export function opiSoap(prefixe: string, i: number): string {
  const { corps } = opiJson(prefixe, i);
  const ind = corps.individu;
  const [a, m, j] = ind.donneesNaissance.dateNaiIndOpi.split('-');
  const voeu = (v: (typeof corps.voeux)[number]) =>
    `<item>${el('codCge', v.codCge)}${el('codRge', v.codRge)}${el('codDecVeu', v.codDecVeu)}${el('codDemDos', v.codDemDos)}${el('codEtp', v.codEtp)}${el('codVrsVet', v.codVrsVet)}${el('numCls', v.numCls)}${el('temValPsd', v.temValPsd)}</item>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
    + '<ns0:mettreajourDonneesOpi_v10 xmlns:ns0="gouv.education.apogee.commun.servicesmetiers.OpiMetier"><_donneesOpi><individu>'
    + el('codOpiIntEpo', ind.codOpiIntEpo)
    + `<donneesNaissance>${el('codDepPayNai', '035')}${el('codPayNat', '100')}${el('codTypDepPayNai', 'D')}${el('dateNaiIndOpi', `${j}${m}${a}`)}${el('libVilNaiEtuOpi', 'Rennes')}${el('temDateNaiRelOpi', 'N')}</donneesNaissance>`
    + `<donneesPersonnelles>${el('adrMailOpi', ind.donneesPersonnelles.adrMailOpi)}${el('codRgi', '1')}${el('codStu', '01')}</donneesPersonnelles>`
    + `<etatCivil>${el('codSexEtuOpi', 'F')}${el('libNomPatIndOpi', ind.etatCivil.libNomPatIndOpi)}${el('libPr1IndOpi', ind.etatCivil.libPr1IndOpi)}</etatCivil>`
    + `</individu><voeux>${corps.voeux.map(voeu).join('')}</voeux></_donneesOpi></ns0:mettreajourDonneesOpi_v10></soapenv:Body></soapenv:Envelope>`
  );
}

/**
 * The baseline: the same record written straight with the driver, as a careful hand-written data layer
 * would — one transaction: the individu, its two vœux in one statement, a journal row (5 statements).
 */
export async function ecrireBrut(pool: mysql.Pool, prefixe: string, i: number): Promise<void> {
  const { code, corps } = opiJson(prefixe, i);
  await ecrireBrutCorps(pool, code, corps, 'e'.repeat(64));
}

/**
 * `ecrireBrut` of a record as received (the bare HTTP service of bench/http-nu.ts), with its hash and,
 * when the caller serialised it already (to hash it), its JSON text.
 */
export async function ecrireBrutCorps(
  pool: mysql.Pool,
  code: string,
  corps: ReturnType<typeof opiJson>['corps'],
  empreinte: string,
  donnees = JSON.stringify(corps),
): Promise<void> {
  const maintenant = new Date();
  const cx = await pool.getConnection();
  try {
    await cx.beginTransaction();
    const ec = corps.individu.etatCivil;
    const [r] = await cx.execute(
      'INSERT INTO individu_opi (codOpiIntEpo, libNomPatIndOpi, libPr1IndOpi, cleNomPat, clePr1, dateNaiIndOpi, codSexEtuOpi, codPayNat, codRgi, codStu, codAnu, donnees, empreinte, source, version, creeLe, modifieLe) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)',
      [
        code,
        ec.libNomPatIndOpi.toUpperCase(),
        ec.libPr1IndOpi.toUpperCase(),
        ec.libNomPatIndOpi.toUpperCase(),
        ec.libPr1IndOpi.toUpperCase(),
        corps.individu.donneesNaissance.dateNaiIndOpi,
        'F',
        '100',
        '1',
        '01',
        '2026',
        donnees,
        empreinte,
        'bench',
        maintenant,
        maintenant,
      ],
    );
    const id = (r as { insertId: number }).insertId;
    await cx.execute(
      'INSERT INTO voeu_opi (individuOpiId, rang, numCls, codCge, codEtp, codVrsVet, codDecVeu, codDemDos, codRge, donnees) VALUES (?, 0, 1, ?, ?, ?, ?, ?, ?, ?), (?, 1, 2, ?, ?, ?, ?, ?, ?, ?)',
      [id, 'DRT', 'LDRT1', 2, 'F', 'C', '1', JSON.stringify(corps.voeux[0]), id, 'ECO', 'LECG1', 2, 'F', 'C', '1', JSON.stringify(corps.voeux[1])],
    );
    await cx.execute(
      "INSERT INTO journal (recuLe, porte, operation, client, requestId, cle, individu, empreinte, resultat, statut, codes, dureeMs, details, nombre) VALUES (?, 'REST', 'opi.enregistrer', 'bench', ?, ?, ?, NULL, 'CREE', 201, NULL, 0, NULL, 1)",
      [maintenant, randomBytes(8).toString('hex'), code, `OPI:${code}`],
    );
    await cx.commit();
  } catch (err) {
    await cx.rollback().catch(() => undefined);
    throw err;
  } finally {
    cx.release();
  }
}
