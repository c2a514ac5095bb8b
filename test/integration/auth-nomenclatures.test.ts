/** API keys on both doors, and replacing nomenclatures with an establishment's own files. */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as soap from 'soap';
import { BASES } from '../helpers/bases';
import { lancer, RACINE, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';

const CLE = 'cle-parcoursup-0123456789';

for (const nomBase of BASES) {
  describe(`[${nomBase}] authentification par clé d'API`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase, { API_KEYS: `parcoursup:${CLE},ecandidat:cle-ecandidat-0123456789` });
    });
    after(async () => {
      await gw?.fermer();
    });

    it('REST : sans clé → 401 AUTHENTIFICATION_REQUISE journalisé ; avec clé → le client authentifié est journalisé', async () => {
      const sans = await gw.json('PUT', '/api/v1/opi/EC24000001', opiExemple('EC24000001'));
      expect(sans.status).to.equal(401);
      expect(sans.headers.get('www-authenticate')).to.contain('Bearer');
      expect(sans.body.errors[0].code).to.equal('AUTHENTIFICATION_REQUISE');
      const mauvaise = await gw.json('PUT', '/api/v1/opi/EC24000001', opiExemple('EC24000001'), { authorization: 'Bearer mauvaise-cle-0123456789' });
      expect(mauvaise.status).to.equal(401);
      const ok = await gw.json('PUT', '/api/v1/opi/EC24000001', opiExemple('EC24000001'), {
        authorization: `Bearer ${CLE}`,
        'x-client-id': 'se-fait-passer-pour-un-autre',
      });
      expect(ok.status).to.equal(201);
      const j = await gw.json('GET', '/api/v1/journal?operation=opi.enregistrer', undefined, { 'x-api-key': CLE });
      expect(j.body.entrees.map((e: { client: string; statut: number }) => `${e.client}:${e.statut}`)).to.deep.equal(['parcoursup:201']);
      const refus = await gw.json('GET', '/api/v1/journal?resultat=REJETE', undefined, { 'x-api-key': CLE });
      // Refusals before authentication: one row per source address and minute, with their count.
      const refus401 = refus.body.entrees.filter((e: { statut: number }) => e.statut === 401);
      // (two rows only if the two requests straddle a minute boundary)
      expect(refus401.length).to.be.within(1, 2);
      expect(refus401.reduce((n: number, e: { nombre: number }) => n + e.nombre, 0)).to.equal(2);
      // No key: refused before the body is read (401, not 413 for a body over the limit).
      const gros = await gw.json('PUT', '/api/v1/opi/EC24000001', `{"x":"${'a'.repeat(11 * 1024 * 1024)}"}`, { 'content-type': 'application/json' });
      expect(gros.status).to.equal(401);
      // The documentation and the health probes stay public.
      expect((await gw.json('GET', '/api/v1/openapi.json')).status).to.equal(200);
      expect((await gw.json('GET', '/ready')).status).to.equal(200);
    });

    it('SOAP : sans authentification → fault technical.security.invaliduser ; HTTP Basic client:clé → accepté', async () => {
      const client = await soap.createClientAsync(`${gw.url}/ws/OpiMetier?wsdl`);
      const d = {
        _donneesOpi: {
          individu: {
            codOpiIntEpo: 'EC24000002',
            etatCivil: { libNomPatIndOpi: 'Martin', libPr1IndOpi: 'Léa' },
            donneesNaissance: { dateNaiIndOpi: '01022003', temDateNaiRelOpi: 'N' },
          },
        },
      };
      const e = await client.mettreajourDonneesOpi_v10Async(d).then(
        () => null,
        (x: { root: any }) => x,
      );
      expect(e!.root.Envelope.Body.Fault.faultstring).to.equal('technical.security.invaliduser.requete');
      client.setSecurity(new soap.BasicAuthSecurity('ecandidat', 'cle-ecandidat-0123456789'));
      await client.mettreajourDonneesOpi_v10Async(d);
      const lu = await gw.json('GET', '/api/v1/opi/EC24000002', undefined, { 'x-api-key': CLE });
      expect(lu.body.source).to.equal('ecandidat');
    });
  });

  describe(`[${nomBase}] nomenclatures d'établissement`, function () {
    let gw: PasserelleDeTest;
    let dossier: string;
    before(async () => {
      gw = await lancer(nomBase);
      dossier = mkdtempSync(path.join(tmpdir(), 'nomenclatures-'));
    });
    after(async () => {
      await gw?.fermer();
      rmSync(dossier, { recursive: true, force: true });
    });

    it("remplace une nomenclature par le fichier de l'établissement : un nouveau code est accepté, un code retiré est refusé", async () => {
      const regimes = JSON.parse(readFileSync(path.join(RACINE, 'fixtures', 'nomenclatures', 'regimes.json'), 'utf8'));
      regimes.codes = regimes.codes.filter((c: { code: string }) => c.code !== '3');
      regimes.codes.push({ code: '8', libelle: "Régime local d'établissement", enService: true, typeFormation: 'FI', cvec: true });
      writeFileSync(path.join(dossier, 'regimes.json'), JSON.stringify(regimes));
      expect(await gw.p.services.nomenclatures.charger(dossier)).to.deep.equal(['regimes']);

      const o = opiExemple('EC24000050');
      o.individu.donneesPersonnelles.codRgi = '8';
      expect((await gw.json('PUT', '/api/v1/opi/EC24000050', o)).status).to.equal(201);
      o.individu.donneesPersonnelles.codRgi = '3';
      const r = await gw.json('PUT', '/api/v1/opi/EC24000050', o);
      expect(r.status).to.equal(422);
      expect(r.body.errors[0]).to.include({ code: 'REGIME_INCONNU', path: 'individu.donneesPersonnelles.codRgi' });
      // Other nomenclatures are untouched.
      expect((await gw.json('GET', '/api/v1/nomenclatures/statuts')).body.codes.length).to.be.greaterThan(5);
    });

    it("refuse en bloc un dossier dont un fichier est invalide (rien n'est chargé)", async () => {
      writeFileSync(path.join(dossier, 'statuts.json'), JSON.stringify({ codes: [{ code: '01' }, { code: '01', libelle: 'x' }] }));
      const avant = (await gw.json('GET', '/api/v1/nomenclatures/statuts')).body.codes;
      const err = await gw.p.services.nomenclatures.charger(dossier).then(
        () => null,
        (e: { problemes: { code: string; path: string }[] }) => e,
      );
      expect(err!.problemes.map((p) => `${p.code}@${p.path}`)).to.have.members([
        'CHAMP_OBLIGATOIRE@statuts.codes[0].libelle',
        'VALEUR_NON_AUTORISEE@statuts.codes[1]',
      ]);
      expect((await gw.json('GET', '/api/v1/nomenclatures/statuts')).body.codes).to.deep.equal(avant);
    });

    it('un corps JSON mal formé est refusé et journalisé', async () => {
      const r = await gw.json('PUT', '/api/v1/opi/EC1', '{"individu": [', { 'content-type': 'application/json', 'x-request-id': 'req-malforme' });
      expect(r.status).to.equal(400);
      const j = await gw.json('GET', '/api/v1/journal?requestId=req-malforme');
      expect(j.body.entrees).to.have.length(1);
      expect(j.body.entrees[0]).to.include({ resultat: 'REJETE', statut: 400 });
      expect(j.body.entrees[0].codes).to.deep.equal(['REQUETE_MALFORMEE']);
    });
  });
}
