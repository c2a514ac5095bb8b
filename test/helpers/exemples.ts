/** Sample OPI payloads (REST JSON form) and journal rows shared by the tests. */
import type { JournalLigne } from '../../src/application/enregistrements';

export function opiExemple(code = 'EC24000001', surcharges: { ine?: string | null; nom?: string; prenom?: string; dateNai?: string; codEtu?: number } = {}) {
  return {
    individu: {
      codOpiIntEpo: code,
      ...(surcharges.codEtu !== undefined ? { codEtuOpi: surcharges.codEtu } : {}),
      etatCivil: {
        libNomPatIndOpi: surcharges.nom ?? 'Lefèvre',
        libPr1IndOpi: surcharges.prenom ?? 'Élodie',
        ...(surcharges.ine === null ? {} : { codNneIndOpi: surcharges.ine ?? '0000000001B' }),
        codSexEtuOpi: 'F',
      },
      donneesNaissance: {
        dateNaiIndOpi: surcharges.dateNai ?? '2006-05-14',
        temDateNaiRelOpi: 'N',
        codPayNat: '100',
        codTypDepPayNai: 'D',
        codDepPayNai: '035',
        libVilNaiEtuOpi: 'Rennes',
      },
      donneesPersonnelles: { adrMailOpi: 'elodie.lefevre@example.org', numTelPorOpi: '06 12 34 56 78', codRgi: '1', codStu: '01' },
    },
    bac: { codBac: 'BACG', daaObtBacOba: '2024', codMention: 'B', codDep: '035', codEtb: '0350042F', codTpe: 'LY' },
    adresseFixe: { codBdi: '35000', codCom: '35238', codPay: '100', lib1: '12 rue de la Monnaie' },
    voeux: [
      {
        numCls: 1,
        codCge: 'DRT',
        codEtp: 'LDRT1',
        codVrsVet: 2,
        codDip: 'LDRT',
        codVrsVdi: 2,
        codDecVeu: 'F',
        codDemDos: 'C',
        codRge: '1',
        temValPsd: 'N',
        codCatExoExt: 'DN',
      },
      { numCls: 2, codCge: 'ECO', codEtp: 'LECG1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C', codRge: '1', temValPsd: 'N', codCatExoExt: 'DN' },
    ],
  };
}

export type OpiExemple = ReturnType<typeof opiExemple>;

/** A journal row with every column set (a read by default); `surcharges` for what a test looks at. */
export function ligneJournalExemple(surcharges: Partial<JournalLigne> = {}): Omit<JournalLigne, 'id'> {
  return {
    recuLe: new Date(),
    porte: 'REST',
    operation: 'opi.lire',
    client: 'c',
    requestId: 'r',
    cle: null,
    empreinte: null,
    resultat: 'LU',
    statut: 200,
    codes: null,
    dureeMs: 0,
    details: null,
    individu: null,
    nombre: 1,
    ...surcharges,
  };
}
