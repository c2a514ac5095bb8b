/**
 * One example per operation of the OpenAPI document, for the explorer and for integrators: what to
 * send (body, or the parameters of a read), or, for an operation that takes nothing, what it answers.
 * The bodies follow the gateway's schemas (a unit test validates them); the values are those of the
 * default nomenclatures.
 */
type Json = Record<string, unknown>;

const OPI = {
  individu: {
    codOpiIntEpo: 'EC26000001',
    etatCivil: { libNomPatIndOpi: 'Lefèvre', libPr1IndOpi: 'Élodie', codNneIndOpi: '0000000001B', codSexEtuOpi: 'F' },
    donneesNaissance: {
      dateNaiIndOpi: '2006-05-14',
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
  ],
};
const LP = {
  typLpa: 'REINS',
  codAnu: '2026',
  codEtu: '21000001',
  codEtp: 'LDRT2',
  codVrsVet: 2,
  codRgi: '1',
  codStu: '01',
  libCmtLpa: 'Admis en L2 après commission',
};

/** By operationId: `corps` (the request body's example), `parametres` (name → example), `reponse` (the 2xx body). */
export const EXEMPLES: Record<string, { corps?: unknown; parametres?: Json; reponse?: unknown }> = {
  enregistrerOpi: { corps: OPI, parametres: { codOpiIntEpo: 'EC26000001' } },
  lireOpi: { parametres: { codOpiIntEpo: 'EC26000001' } },
  rechercherOpi: { parametres: { nom: 'Lefèvre', dateNaissance: '2006-05-14' } },
  listerDoublons: { parametres: { decidees: false } },
  deciderDoublon: { corps: { decision: 'PERSONNES_DIFFERENTES' }, parametres: { id: '12' } },
  enregistrerLaissezPasser: { corps: LP },
  rechercherLaissezPasser: { parametres: { codEtu: '21000001', codAnu: '2026' } },
  lireLaissezPasser: { parametres: { id: '42' } },
  supprimerLaissezPasser: { parametres: { id: '42' } },
  enregistrerLotLaissezPasser: { corps: [LP, { ...LP, codEtu: '21000002' }] },
  chargerFichierLaissezPasser: {
    corps: 'typLpa;codAnu;codEtu;codEtp;codVrsVet;codRgi\nREINS;2026;21000001;LDRT2;2;1\n',
    parametres: { mode: 'partial', simulation: true },
  },
  modeleCsvLaissezPasser: { reponse: 'typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet;…' },
  modeleXlsxLaissezPasser: { reponse: '(classeur XLSX : feuilles laissez-passer, codes, aide)' },
  importerFichierOpi: { parametres: { format: 'parcoursup-csv', simulation: true } },
  listerJobs: { parametres: { etat: 'TERMINE', limite: 20 } },
  lireJob: { parametres: { id: '3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f' } },
  annulerJob: { parametres: { id: '3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f' } },
  rejetsJob: { parametres: { id: '3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f', format: 'csv' } },
  consulterAcces: { parametres: { codAnu: '2026', codOpiIntEpo: 'EC26000001' } },
  creerInscription: { corps: { codAnu: '2026', codOpiIntEpo: 'EC26000001', codEtp: 'LDRT1', codVrsVet: 2, numeroCvec: 'REN30000001' } },
  rechercherInscriptions: { parametres: { codAnu: '2026', etat: 'EN_ATTENTE_PAIEMENT' } },
  lireInscription: { parametres: { id: '7' } },
  evenementsInscription: { parametres: { id: '7' } },
  payerInscription: { corps: { montant: 178, reference: 'REGIE-2026-000123', mode: 'CB' }, parametres: { id: '7' } },
  validerInscription: { parametres: { id: '7' } },
  annulerInscription: { corps: { motif: 'Erreur de formation' }, parametres: { id: '7' } },
  listerNomenclatures: {
    reponse: { nomenclatures: [{ nom: 'regimes', libelle: "Régimes d'inscription", source: 'Apogée', nombre: 7, chargeLe: '2026-06-01T08:00:00.000Z' }] },
  },
  lireNomenclature: { parametres: { nom: 'regimes', enService: true } },
  listerPiecesOpi: { parametres: { codOpiIntEpo: 'EC26000001' } },
  deposerPieceJustificative: { parametres: { codOpiIntEpo: 'EC26000001', codTpj: 'IDENT' } },
  contenuPieceJustificative: { parametres: { codOpiIntEpo: 'EC26000001', codTpj: 'IDENT' } },
  statuerPieceJustificative: {
    corps: { statut: 'REFUSEE', motif: 'ILLIS', commentaire: 'La photo est floue' },
    parametres: { codOpiIntEpo: 'EC26000001', codTpj: 'PHOTO' },
  },
  piecesEnAttente: { parametres: { codTpj: 'PHOTO', codEtp: 'LDRT1' } },
  relancerPiecesManquantes: { parametres: { simulation: true } },
  infoPiecesAmue: { parametres: { codOpiIntEpo: 'EC26000001' } },
  fichierPieceAmue: { parametres: { codOpiIntEpo: 'EC26000001', codTpj: 'IDENT' } },
  listerNotifications: { parametres: { etat: 'ECHEC' } },
  relancerNotification: { parametres: { id: '5' } },
  lireJournal: { parametres: { resultat: 'REJETE', code: 'ETAPE_INCONNUE', depuis: '2026-09-01' } },
  rejouerMessage: { parametres: { id: '1234', simulation: true } },
  rejouerMessages: { corps: { code: 'ETAPE_INCONNUE', operation: 'opi.enregistrer', simulation: true } },
  purgerRetention: { parametres: { simulation: true } },
  purgerCandidatsSansInscription: { corps: { campagnes: 2, simulation: true } },
  exporterIndividu: { parametres: { individu: 'INE:1234567890V', format: 'zip' } },
  lireStatistiques: { parametres: { jours: 30, codAnu: '2026' } },
  lireDocumentOpenApi: { reponse: { openapi: '3.1.0', info: { title: 'Passerelle candidatures — API REST', version: '1' } } },
  lirePageDocumentation: { reponse: '<!doctype html>…' },
  lireReference: { reponse: '<!doctype html>…' },
  ouvrirSession: { corps: { identifiant: 'dupont', motDePasse: 'une phrase de passe assez longue' } },
  lireSession: { reponse: { compte: 'dupont', role: 'gestionnaire', portees: ['lp:ecrire', 'opi:lire'], csrf: 'Zm9vYmFyYmF6', inactiviteS: 1800, cas: false } },
  fermerSession: { parametres: { 'X-CSRF-Token': 'Zm9vYmFyYmF6' } },
  optionsConnexion: { reponse: { cas: true } },
  connexionCas: { parametres: { retour: '/console/' } },
  retourCas: { parametres: { ticket: 'ST-1-abcdef', retour: '/console/' } },
  vivacite: { reponse: { statut: 'ok', base: 'mysql', rejeuxTransactions: 0, uptimeS: 3600 } },
  pret: { reponse: { statut: 'pret', base: 'mysql' } },
  metriques: { reponse: 'passerelle_operations_total{porte="REST",operation="opi.enregistrer",resultat="CREE"} 1234' },
};

const METHODES = ['get', 'put', 'post', 'delete', 'patch'];

/** Puts each operation's example where the explorer shows it: the body's first media type, its parameters, or its first 2xx answer. */
export function ajouterExemples(doc: Json): void {
  for (const item of Object.values(doc.paths as Record<string, Json>))
    for (const m of METHODES) {
      const o = item[m] as
        | (Json & { operationId?: string; parameters?: Json[]; requestBody?: { content?: Record<string, Json> }; responses?: Record<string, Json> })
        | undefined;
      const x = o?.operationId ? EXEMPLES[o.operationId] : undefined;
      if (!o || !x) continue;
      if (x.corps !== undefined && o.requestBody?.content) {
        const [premier] = Object.values(o.requestBody.content);
        premier.example = x.corps;
      }
      for (const p of o.parameters ?? []) if (x.parametres && typeof p.name === 'string' && p.name in x.parametres) p.example = x.parametres[p.name];
      if (x.reponse !== undefined) {
        const code = Object.keys(o.responses ?? {}).find((c) => c.startsWith('2'));
        const reponse = code ? (o.responses![code] as { content?: Record<string, Json> }) : undefined;
        const [type] = Object.values(reponse?.content ?? {});
        if (type) type.example = x.reponse;
      }
    }
}
