/**
 * OPI over SOAP (Apogée 6.70 OpiMetier contract), end to end, on every test database:
 * a node-soap client generated from the served WSDL. The golden raw requests
 * (test/golden/<operation>__<behaviour>/) are played by golden-soap.test.ts, for every service.
 */
import { expect } from 'chai';
import * as soap from 'soap';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { IndividuOpi, VoeuOpi } from '../../src/persistence/entities';

async function posterXml(gw: PasserelleDeTest, xml: string, requestId?: string): Promise<{ status: number; texte: string }> {
  const r = await fetch(`${gw.url}/ws/OpiMetier`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""', ...(requestId ? { 'x-request-id': requestId } : {}) },
    body: xml,
  });
  return { status: r.status, texte: await r.text() };
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] OPI — SOAP OpiMetier`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase);
    });
    after(async () => {
      await gw?.fermer();
    });

    it("sert un WSDL au contrat Apogée, avec l'adresse de ce serveur", async () => {
      const r = await fetch(`${gw.url}/ws/OpiMetier?wsdl`);
      expect(r.status).to.equal(200);
      const wsdl = await r.text();
      expect(wsdl).to.contain('targetNamespace="gouv.education.apogee.commun.servicesmetiers.OpiMetier"');
      expect(wsdl).to.contain('<xsd:element name="_donneesOpi" type="tns:DonneesOpiDTO10"');
      expect(wsdl).to.match(
        /<xsd:complexType name="TableauVoeu3">\s*<xsd:sequence>\s*<xsd:element name="modEnv"[^>]*\/>\s*<xsd:element name="item" type="tns:MAJOpiVoeuDTO3" minOccurs="0" maxOccurs="unbounded"/,
      );
      expect(wsdl).to.contain(`location="${gw.url}/ws/OpiMetier"`);
    });

    it('un client node-soap généré depuis le WSDL servi crée une OPI à deux vœux (dates ddMMyyyy, éléments nil) ; REST la relit ; un renvoi ne crée rien', async () => {
      const client = await soap.createClientAsync(`${gw.url}/ws/OpiMetier?wsdl`);
      expect(Object.keys(client.describe().OpiMetierServiceInterfaceService.OpiMetier)).to.deep.equal(['mettreajourDonneesOpi_v10']);
      const donnees = {
        _donneesOpi: {
          adresseAnnuelle: null,
          adresseFixe: null,
          bac: { codBac: 'BACG', daaObtBacOba: '2023', codMention: null },
          dac: null,
          individu: {
            codEtuOpi: null,
            codOpiIntEpo: 'EC23000042',
            donneesNaissance: { codPayNat: '100', codTypDepPayNai: 'D', codDepPayNai: '075', dateNaiIndOpi: '25121984', temDateNaiRelOpi: 'N' },
            donneesPersonnelles: { adrMailOpi: 'jean.durand@example.org', codRgi: '1', codStu: '01' },
            etatCivil: { codNneIndOpi: null, codSexEtuOpi: 'M', libNomPatIndOpi: 'Durand', libNomUsuIndOpi: null, libPr1IndOpi: 'Jean' },
          },
          voeux: {
            modEnv: null,
            item: [
              { codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, codDip: 'LDRT', codVrsVdi: 2, codDecVeu: 'F', codDemDos: 'C', numCls: 1, temValPsd: 'N' },
              { codCge: 'SCI', codEtp: 'LINF1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C', numCls: 2, temValPsd: 'N', codRge: null },
            ],
          },
          donneesThese: null,
        },
      };
      const [reponse] = await client.mettreajourDonneesOpi_v10Async(donnees);
      expect(reponse).to.equal(null); // the empty response element of Apogée
      expect(client.lastRequest).to.contain('<dateNaiIndOpi>25121984</dateNaiIndOpi>').and.contain('xsi:nil="true"');

      const lu = await gw.json('GET', '/api/v1/opi/EC23000042');
      expect(lu.status).to.equal(200);
      expect(lu.body.donnees).to.deep.equal({
        bac: { codBac: 'BACG', daaObtBacOba: '2023' },
        individu: {
          codOpiIntEpo: 'EC23000042',
          donneesNaissance: { codPayNat: '100', codTypDepPayNai: 'D', codDepPayNai: '075', dateNaiIndOpi: '1984-12-25', temDateNaiRelOpi: 'N' },
          donneesPersonnelles: { adrMailOpi: 'jean.durand@example.org', codRgi: '1', codStu: '01' },
          etatCivil: { codSexEtuOpi: 'M', libNomPatIndOpi: 'DURAND', libPr1IndOpi: 'JEAN' },
        },
        voeux: [
          { codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, codDip: 'LDRT', codVrsVdi: 2, codDecVeu: 'F', codDemDos: 'C', numCls: 1, temValPsd: 'N' },
          { codCge: 'SCI', codEtp: 'LINF1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C', numCls: 2, temValPsd: 'N' },
        ],
      });

      await client.mettreajourDonneesOpi_v10Async(donnees);
      const relu = await gw.json('GET', '/api/v1/opi/EC23000042');
      expect(relu.body.version).to.equal(1);
      expect(await gw.p.source.getRepository(IndividuOpi).count({ where: { codOpiIntEpo: 'EC23000042' } })).to.equal(1);
      const journal = await gw.json('GET', '/api/v1/journal?cle=EC23000042&porte=SOAP');
      expect(journal.body.entrees.map((e: { resultat: string }) => e.resultat)).to.deep.equal(['INCHANGE', 'CREE']);
    });

    it("les quatre rejets de référence arrivent en SOAP Fault WebBaseException, avec le même code et le même chemin qu'en REST", async () => {
      const client = await soap.createClientAsync(`${gw.url}/ws/OpiMetier?wsdl`);
      const base = () => ({
        individu: {
          codOpiIntEpo: 'EC23000099',
          donneesNaissance: { dateNaiIndOpi: '01022003', temDateNaiRelOpi: 'N' },
          donneesPersonnelles: { codRgi: '1' },
          etatCivil: { codNneIndOpi: '0000000001B', libNomPatIndOpi: 'Martin', libPr1IndOpi: 'Léa' } as Record<string, unknown>,
        },
        voeux: { modEnv: null, item: [{ codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C', numCls: 1 }] },
      });
      const cas: [string, (d: ReturnType<typeof base>) => void, string, string, string][] = [
        [
          'INE',
          (d) => {
            d.individu.etatCivil.codNneIndOpi = '0000000001C';
          },
          'INE_CLE_INVALIDE',
          'individu.etatCivil.codNneIndOpi',
          'technical.parameter.noncoherentinput.codNneIndOpi',
        ],
        [
          'régime',
          (d) => {
            d.individu.donneesPersonnelles.codRgi = '9';
          },
          'REGIME_INCONNU',
          'individu.donneesPersonnelles.codRgi',
          'technical.parameter.noncoherentinput.codRgi',
        ],
        [
          'nom',
          (d) => {
            d.individu.etatCivil.libNomPatIndOpi = null;
          },
          'CHAMP_OBLIGATOIRE',
          'individu.etatCivil.libNomPatIndOpi',
          'technical.parameter.nonpresentinput.libNomPatIndOpi',
        ],
        [
          'étape',
          (d) => {
            d.voeux.item[0].codEtp = 'ZZZZ1';
          },
          'ETAPE_INCONNUE',
          'voeux[0].codEtp',
          'technical.parameter.noncoherentinput.codEtp',
        ],
      ];
      for (const [, abimer, code, chemin, faultstring] of cas) {
        const d = base();
        abimer(d);
        const erreur = await client.mettreajourDonneesOpi_v10Async({ _donneesOpi: d }).then(
          () => null,
          (e: { root?: any; response?: { status: number } }) => e,
        );
        expect(erreur, code).to.not.equal(null);
        expect(erreur!.response!.status).to.equal(500);
        const fault = erreur!.root.Envelope.Body.Fault;
        expect(fault.faultstring).to.equal(faultstring);
        expect(fault.detail.fault).to.include({ type: 'technical', lastErrorMsg: faultstring });
        expect(fault.detail.fault.messages.item)
          .to.be.a('string')
          .and.satisfy((s: string) => s.startsWith(`${code} [${chemin}] `));
      }
      expect(await gw.p.source.getRepository(IndividuOpi).count({ where: { codOpiIntEpo: 'EC23000099' } })).to.equal(0);
    });

    it('XML mal formé → SOAP Fault REQUETE_MALFORMEE (pas de trace de pile), journalisé une fois sur la porte SOAP', async () => {
      const r = await posterXml(gw, '<soapenv:Envelope><oops>', 'soap-xml-mal-forme');
      expect(r.status).to.equal(500);
      expect(r.texte).to.contain('<faultstring>technical.parameter.noncoherentinput.requete</faultstring>').and.contain('REQUETE_MALFORMEE');
      expect(r.texte).not.to.match(/at \w+ \(/);
      expect(await gw.p.source.getRepository(VoeuOpi).count({ where: { codEtp: 'ZZZZ1' } })).to.equal(0);
      const j = await gw.json('GET', '/api/v1/journal?porte=SOAP&requestId=soap-xml-mal-forme');
      expect(j.body.entrees.map((e: { operation: string; resultat: string; codes: string[] }) => `${e.operation}:${e.resultat}:${e.codes}`)).to.deep.equal([
        'OpiMetier:REJETE:REQUETE_MALFORMEE',
      ]);
    });
  });
}
