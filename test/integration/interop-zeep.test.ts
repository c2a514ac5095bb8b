/**
 * A SOAP client that is not ours: python3-zeep builds its client from the served WSDLs and pushes an
 * OPI the JAXB way (every element, nil and "" included), re-sends it, meets a fault, and creates an LP;
 * then deposits a PDF through PjOpiMetier (REST gives the same bytes back) and meets a refusal.
 * CI installs python3-zeep and sets INTEROP_ZEEP=obligatoire; elsewhere the test is skipped, saying so.
 */
import { expect } from 'chai';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { BASES } from '../helpers/bases';
import { lancer, RACINE, type PasserelleDeTest } from '../helpers/passerelle';
import { aujourdhuiParis } from '../../src/application/horloge';

const PYTHON = '/usr/bin/python3';
const zeepPresent = spawnSync(PYTHON, ['-c', 'import zeep'], { stdio: 'ignore' }).status === 0;

for (const nomBase of BASES) {
  describe(`[${nomBase}] interopérabilité : client zeep (python3-zeep) généré depuis nos WSDL`, function () {
    let gw: PasserelleDeTest;
    before(async function () {
      if (!zeepPresent) {
        if (process.env.INTEROP_ZEEP === 'obligatoire')
          throw new Error('python3-zeep absent alors que INTEROP_ZEEP=obligatoire (apt-get install python3-zeep)');
        console.log("      (python3-zeep absent : test d'interopérabilité sauté ; apt-get install python3-zeep)");
        this.skip();
      }
      gw = await lancer(nomBase);
    });
    after(async () => {
      await gw?.fermer();
    });

    it('crée une OPI à deux vœux, la renvoie sans effet, lit le fault WebBaseException, crée un LP V2, une liste de LP et une IA, dépose une PJ', async () => {
      const annee = aujourdhuiParis().slice(0, 4);
      // Asynchronous: the gateway answering zeep runs in this very process.
      const { stdout } = await promisify(execFile)(PYTHON, [path.join(RACINE, 'test', 'interop', 'client_zeep.py'), gw.url, 'ZP26000011', annee], {
        timeout: 60_000,
      });
      const sortie = JSON.parse(stdout);
      expect(sortie.opi).to.equal(null);
      expect(sortie.faute).to.deep.equal({
        message: 'technical.parameter.noncoherentinput.codNneIndOpi',
        domaine: 'parameter',
        element: 'codNneIndOpi',
        nature: 'noncoherentinput',
        type: 'technical',
        lastErrorMsg: 'technical.parameter.noncoherentinput.codNneIndOpi',
        items: ["INE_CLE_INVALIDE [individu.etatCivil.codNneIndOpi] La clé de contrôle de l'INE est invalide."],
      });
      const lu = await gw.json('GET', '/api/v1/opi/ZP26000011');
      expect(lu.body.version).to.equal(1);
      expect(lu.body.donnees.individu.donneesNaissance.dateNaiIndOpi).to.equal('2007-03-17');
      expect(lu.body.donnees.bac).to.deep.equal({ codBac: 'BACG', codDep: '035', codEtb: '0350042F', codMention: 'AB', codTpe: 'LY', daaObtBacOba: '2025' });
      expect(lu.body.donnees.voeux.map((v: { codEtp: string }) => v.codEtp)).to.deep.equal(['LDRT1', 'LECG1']);
      expect(lu.body.donnees.adresseFixe).to.deep.equal({ codBdi: '35000', codCom: '35238', codPay: '100', lib1: '3 place de la Gare' });
      expect((await gw.json('GET', '/api/v1/opi/ZP26000019')).status).to.equal(404);
      const acces = await gw.json('GET', `/api/v1/acces?codAnu=${annee}&codOpiIntEpo=ZP26000011`);
      const lecg1 = acces.body.formations.find((f: { codEtp: string }) => f.codEtp === 'LECG1');
      expect(lecg1.ouvertPar).to.deep.equal(['LP', 'OPI_VOEU']);
      expect(lecg1.valeurs.codRgi).to.deep.equal({ valeur: '3', source: 'LP' });
      expect(lecg1.valeurs.codCatExoExt).to.deep.equal({ valeur: 'EXO', source: 'LP', complement: null });
      expect(sortie.masse).to.deep.equal({
        crees: 2,
        rejetes: 1,
        annule: false,
        resultats: [
          { rang: 1, statut: 'CREE', codes: [] },
          { rang: 2, statut: 'REJETE', codes: ['ETAPE_INCONNUE'] },
          { rang: 3, statut: 'CREE', codes: [] },
        ],
      });
      expect(sortie.ia).to.deep.equal({
        resultat: 'CREEE',
        etat: 'EN_ATTENTE_PAIEMENT',
        regime: ['1', 'OPI_VOEU'],
        montantDu: '178.00',
        cvecRequise: true,
        explication: ["Accès ouvert par le vœu favorable de l'OPI ZP26000011."],
      });
      // PjOpiMetier: zeep base64-encodes the PDF; erreurDescription comes back nil (None), the bytes are stored as sent.
      expect(sortie.pj).to.deep.equal({ msg: "Pièce IDENT enregistrée pour l'OPI ZP26000011", erreurDescription: null });
      const contenu = await fetch(`${gw.url}/api/v1/opi/ZP26000011/pj/IDENT/contenu`);
      expect(Buffer.from(await contenu.arrayBuffer()).equals(readFileSync(path.join(RACINE, 'fixtures', 'pj', 'valide.pdf')))).to.equal(true);
      // The refused page stored nothing: IDENT is the PDF, version 1.
      const liste = await gw.json('GET', '/api/v1/opi/ZP26000011/pj');
      const ident = liste.body.pieces.find((p: { codTpj: string }) => p.codTpj === 'IDENT');
      expect([ident.version, ident.typeMedia, ident.nomFichier]).to.deep.equal([1, 'application/pdf', 'attestation.pdf']);
      expect(sortie.pjFaute).to.deep.equal({
        message: 'technical.parameter.noncoherentinput.pj',
        domaine: 'parameter',
        element: 'pj',
        nature: 'noncoherentinput',
        type: 'technical',
        lastErrorMsg: 'technical.parameter.noncoherentinput.pj',
        items: [
          'PJ_TYPE_NON_AUTORISE [pj] Type de fichier refusé : text/html (lu dans le contenu, pas dans le nom) ; types acceptés pour IDENT : application/pdf, image/jpeg, image/png.',
        ],
      });
    });
  });
}
