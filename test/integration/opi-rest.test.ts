/** OPI over REST, end to end through HTTP, on every test database. */
import { expect } from 'chai';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';
import { IndividuOpi, VoeuOpi, DoublonOpi } from '../../src/persistence/entities';

for (const nomBase of BASES) {
  describe(`[${nomBase}] OPI — REST`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase);
    });
    after(async () => {
      await gw?.fermer();
    });

    const compter = async () => ({
      individus: await gw.p.source.getRepository(IndividuOpi).count(),
      voeux: await gw.p.source.getRepository(VoeuOpi).count(),
    });

    it("crée une OPI avec deux vœux (201), la relit à l'identique, et un renvoi ne change rien", async () => {
      const opi = opiExemple('EC24000001');
      const r1 = await gw.commeClient('ecandidat-test', (h) => gw.json('PUT', '/api/v1/opi/EC24000001', opi, h));
      expect(r1.status).to.equal(201);
      expect(r1.headers.get('location')).to.equal('/api/v1/opi/EC24000001');
      expect(r1.body).to.deep.include({ resultat: 'CREE', codOpiIntEpo: 'EC24000001', version: 1, avertissements: [] });
      expect(r1.body.voeux).to.deep.equal([
        { codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, statut: 'ENREGISTRE' },
        { codCge: 'ECO', codEtp: 'LECG1', codVrsVet: 2, statut: 'ENREGISTRE' },
      ]);

      const lu = await gw.json('GET', '/api/v1/opi/EC24000001');
      expect(lu.status).to.equal(200);
      expect(lu.body.source).to.equal('ecandidat-test');
      // Names are upper-cased with their accents kept; everything else as sent.
      const attendu = opiExemple('EC24000001');
      attendu.individu.etatCivil.libNomPatIndOpi = 'LEFÈVRE';
      attendu.individu.etatCivil.libPr1IndOpi = 'ÉLODIE';
      expect(lu.body.donnees).to.deep.equal(attendu);

      const r2 = await gw.json('PUT', '/api/v1/opi/EC24000001', opi);
      expect(r2.status).to.equal(200);
      expect(r2.body).to.deep.include({ resultat: 'INCHANGE', version: 1 });
      expect(await compter()).to.deep.equal({ individus: 1, voeux: 2 });
    });

    it("met à jour et remplace exactement l'ensemble des vœux ; vœux absents = gardés ; [] = aucun", async () => {
      const opi = opiExemple('EC24000002', { ine: null });
      await gw.json('PUT', '/api/v1/opi/EC24000002', opi);
      // A withdrawn vœu is left out of the next push: it must disappear (esup-ecandidat #117).
      const r = await gw.json('PUT', '/api/v1/opi/EC24000002', { ...opi, voeux: [opi.voeux[1]] });
      expect(r.status).to.equal(200);
      expect(r.body).to.deep.include({ resultat: 'MIS_A_JOUR', version: 2 });
      expect((await gw.json('GET', '/api/v1/opi/EC24000002')).body.donnees.voeux.map((v: { codEtp: string }) => v.codEtp)).to.deep.equal(['LECG1']);

      const { voeux: _v, ...sansVoeux } = opi;
      const r3 = await gw.json('PUT', '/api/v1/opi/EC24000002', {
        ...sansVoeux,
        individu: { ...opi.individu, donneesPersonnelles: { ...opi.individu.donneesPersonnelles, adrMailOpi: 'nouvelle@example.org' } },
      });
      expect(r3.body).to.deep.include({ resultat: 'MIS_A_JOUR', version: 3 });
      const apres = (await gw.json('GET', '/api/v1/opi/EC24000002')).body.donnees;
      expect(apres.voeux.map((v: { codEtp: string }) => v.codEtp)).to.deep.equal(['LECG1']);
      expect(apres.individu.donneesPersonnelles.adrMailOpi).to.equal('nouvelle@example.org');

      const r4 = await gw.json('PUT', '/api/v1/opi/EC24000002', { ...sansVoeux, voeux: [] });
      expect(r4.body.voeux).to.deep.equal([]);
      expect((await gw.json('GET', '/api/v1/opi/EC24000002')).body.donnees.voeux).to.deep.equal([]);
    });

    describe("rejets : code stable, chemin, message en français, et rien n'est écrit", () => {
      const cas: [string, (o: ReturnType<typeof opiExemple>) => void, string, string][] = [
        [
          'clé INE fausse',
          (o) => {
            o.individu.etatCivil.codNneIndOpi = '0000000001C';
          },
          'INE_CLE_INVALIDE',
          'individu.etatCivil.codNneIndOpi',
        ],
        [
          'régime inconnu',
          (o) => {
            o.individu.donneesPersonnelles.codRgi = '9';
          },
          'REGIME_INCONNU',
          'individu.donneesPersonnelles.codRgi',
        ],
        [
          'nom de naissance absent',
          (o) => {
            delete (o.individu.etatCivil as Partial<typeof o.individu.etatCivil>).libNomPatIndOpi;
          },
          'CHAMP_OBLIGATOIRE',
          'individu.etatCivil.libNomPatIndOpi',
        ],
        [
          'étape inconnue',
          (o) => {
            o.voeux[1].codEtp = 'ZZZZ1';
          },
          'ETAPE_INCONNUE',
          'voeux[1].codEtp',
        ],
      ];
      for (const [titre, abimer, code, chemin] of cas) {
        it(titre, async () => {
          const avant = await compter();
          const o = opiExemple('EC24009999');
          abimer(o);
          const r = await gw.json('PUT', '/api/v1/opi/EC24009999', o);
          expect(r.status).to.equal(422);
          expect(r.headers.get('content-type')).to.match(/^application\/problem\+json/);
          expect(r.body.errors).to.have.length(1);
          expect(r.body.errors[0]).to.include({ code, path: chemin });
          expect(r.body.errors[0].message)
            .to.be.a('string')
            .and.match(/[a-zé]/);
          expect(r.body.status).to.equal(422);
          expect(await compter()).to.deep.equal(avant);
          expect((await gw.json('GET', '/api/v1/opi/EC24009999')).status).to.equal(404);
        });
      }

      it("rapporte tous les problèmes d'un coup, pas le premier seulement", async () => {
        const o = opiExemple('EC24009998');
        o.individu.etatCivil.codNneIndOpi = '0000000001C';
        o.individu.donneesPersonnelles.codRgi = '9';
        o.voeux[0].codEtp = 'ZZZZ1';
        const r = await gw.json('PUT', '/api/v1/opi/EC24009998', o);
        expect(r.status).to.equal(422);
        expect(r.body.errors.map((e: { code: string; path: string }) => `${e.code}@${e.path}`)).to.have.members([
          'INE_CLE_INVALIDE@individu.etatCivil.codNneIndOpi',
          'REGIME_INCONNU@individu.donneesPersonnelles.codRgi',
          'ETAPE_INCONNUE@voeux[0].codEtp',
        ]);
      });

      it("un vœu refusé fait refuser toute l'OPI : individu non écrit (esup-ecandidat #90)", async () => {
        const avant = await compter();
        const o = opiExemple('EC24009997');
        o.voeux[1].codEtp = 'ZZZZ1';
        expect((await gw.json('PUT', '/api/v1/opi/EC24009997', o)).status).to.equal(422);
        expect(await compter()).to.deep.equal(avant);
      });

      it("JSON mal formé → 400 REQUETE_MALFORMEE ; mauvais type de contenu → 415 ; numéro différent de l'URL → 422", async () => {
        const r1 = await gw.json('PUT', '/api/v1/opi/EC1', '{"individu":', { 'content-type': 'application/json' });
        expect(r1.status).to.equal(400);
        expect(r1.body.errors[0].code).to.equal('REQUETE_MALFORMEE');
        const r2 = await gw.json('PUT', '/api/v1/opi/EC1', 'individu=1', { 'content-type': 'application/x-www-form-urlencoded' });
        expect(r2.status).to.equal(415);
        expect(r2.body.errors[0].code).to.equal('TYPE_CONTENU_NON_SUPPORTE');
        const r3 = await gw.json('PUT', '/api/v1/opi/EC1', opiExemple('EC2'));
        expect(r3.status).to.equal(422);
        expect(r3.body.errors[0]).to.include({ code: 'CODE_OPI_DIFFERENT', path: 'individu.codOpiIntEpo' });
        const r4 = await gw.json('PUT', '/api/v1/opi/EC1', [1, 2]);
        expect(r4.status).to.equal(400);
      });

      it('OPI inconnue → 404 OPI_INTROUVABLE ; route inconnue → 404 problem+json', async () => {
        const r = await gw.json('GET', '/api/v1/opi/INCONNU1');
        expect(r.status).to.equal(404);
        expect(r.body.errors[0]).to.include({ code: 'OPI_INTROUVABLE', path: 'codOpiIntEpo' });
        const r2 = await gw.json('GET', '/api/v1/nulle-part');
        expect(r2.status).to.equal(404);
        expect(r2.body.errors[0].code).to.equal('RESSOURCE_INTROUVABLE');
      });
    });

    it('signale et conserve les doublons possibles (même INE, même état civil sans accents)', async () => {
      await gw.json('PUT', '/api/v1/opi/EC24000010', opiExemple('EC24000010', { ine: '12345678900', nom: 'Nguyễn', prenom: 'Anh', dateNai: '2005-01-02' }));
      const r = await gw.json(
        'PUT',
        '/api/v1/opi/PS24000011',
        opiExemple('PS24000011', { ine: '12345678900', nom: 'NGUYEN', prenom: 'anh', dateNai: '2005-01-02' }),
      );
      expect(r.status).to.equal(201);
      expect(r.body.avertissements.map((a: { code: string }) => a.code)).to.have.members(['DOUBLON_INE', 'DOUBLON_ETAT_CIVIL']);
      expect(r.body.avertissements[0].message).to.contain('EC24000010');
      const lu = await gw.json('GET', '/api/v1/opi/PS24000011');
      expect(lu.body.doublons.map((d: { motif: string; codOpiIntEpo: string }) => `${d.motif}:${d.codOpiIntEpo}`)).to.have.members([
        'DOUBLON_INE:EC24000010',
        'DOUBLON_ETAT_CIVIL:EC24000010',
      ]);
      // Re-sending reports them again but stores them once.
      const r2 = await gw.json(
        'PUT',
        '/api/v1/opi/PS24000011',
        opiExemple('PS24000011', { ine: '12345678900', nom: 'NGUYEN', prenom: 'anh', dateNai: '2005-01-02' }),
      );
      expect(r2.body.resultat).to.equal('INCHANGE');
      expect(r2.body.avertissements).to.have.length(2);
      expect(await gw.p.source.getRepository(DoublonOpi).count({ where: { codOpiIntEpo: 'PS24000011' } })).to.equal(2);
    });

    it('recherche par INE, par nom + date de naissance (sans accents), et refuse une recherche sans critère', async () => {
      await gw.json('PUT', '/api/v1/opi/EC24000020', opiExemple('EC24000020', { ine: '0000000002C', nom: 'Béranger', prenom: 'Zoé', dateNai: '2004-03-04' }));
      const parIne = await gw.json('GET', '/api/v1/opi?ine=0000000002C');
      expect(parIne.status).to.equal(200);
      expect(parIne.body.resultats.map((o: { codOpiIntEpo: string }) => o.codOpiIntEpo)).to.deep.equal(['EC24000020']);
      const parNom = await gw.json('GET', `/api/v1/opi?nom=${encodeURIComponent('beranger')}&dateNaissance=2004-03-04`);
      expect(parNom.body.resultats.map((o: { codOpiIntEpo: string }) => o.codOpiIntEpo)).to.deep.equal(['EC24000020']);
      expect(parNom.body.resultats[0].donnees.voeux).to.have.length(2);
      const sans = await gw.json('GET', '/api/v1/opi');
      expect(sans.status).to.equal(400);
      expect(sans.body.errors[0].code).to.equal('CRITERE_RECHERCHE_MANQUANT');
      const nomSeul = await gw.json('GET', '/api/v1/opi?nom=BERANGER');
      expect(nomSeul.status).to.equal(400);
      expect(nomSeul.body.errors[0].path).to.equal('dateNaissance');
      const ineFaux = await gw.json('GET', '/api/v1/opi?ine=0000000002D');
      expect(ineFaux.status).to.equal(422);
      expect(ineFaux.body.errors[0]).to.include({ code: 'INE_CLE_INVALIDE', path: 'ine' });
    });

    it('journalise chaque message reçu (porte, opération, client, empreinte, résultat, codes)', async () => {
      const o = opiExemple('EC24000030', { ine: null });
      o.individu.donneesPersonnelles.codRgi = '9';
      // The journal names the authenticated client (a declared X-Client-Id is ignored).
      await gw.commeClient('parcoursup', (h) => gw.json('PUT', '/api/v1/opi/EC24000030', o, { ...h, 'x-client-id': 'autre', 'x-request-id': 'req-journal-1' }));
      const j = await gw.json('GET', '/api/v1/journal?cle=EC24000030');
      expect(j.status).to.equal(200);
      expect(j.body.entrees).to.have.length(1);
      expect(j.body.entrees[0]).to.include({
        porte: 'REST',
        operation: 'opi.enregistrer',
        client: 'parcoursup',
        requestId: 'req-journal-1',
        resultat: 'REJETE',
        statut: 422,
      });
      expect(j.body.entrees[0].codes).to.deep.equal(['REGIME_INCONNU']);
      expect(j.body.entrees[0].empreinte).to.match(/^[0-9a-f]{64}$/);
      const parRequete = await gw.json('GET', '/api/v1/journal?requestId=req-journal-1');
      expect(parRequete.body.entrees).to.have.length(1);
      const mauvais = await gw.json('GET', '/api/v1/journal?depuis=hier');
      expect(mauvais.status).to.equal(400);
      expect(mauvais.body.errors[0]).to.include({ code: 'PARAMETRE_INVALIDE', path: 'depuis' });
    });

    it("sert les nomenclatures, l'OpenAPI 3.1, la page de documentation, /health et /ready", async () => {
      const liste = await gw.json('GET', '/api/v1/nomenclatures');
      expect(liste.body.nomenclatures.map((n: { nom: string }) => n.nom)).to.include.members([
        'regimes',
        'statuts',
        'situations-droits',
        'categories-oui-si',
        'pays',
        'departements',
        'bacs',
        'centres-gestion',
        'etapes',
        'diplomes',
      ]);
      const regimes = await gw.json('GET', '/api/v1/nomenclatures/regimes');
      expect(regimes.body.codes.find((c: { code: string }) => c.code === '1')).to.include({ enService: true });
      const etapes = await gw.json('GET', '/api/v1/nomenclatures/etapes?enService=true');
      expect(etapes.body.codes.find((c: { codEtp: string; codVrsVet: number }) => c.codEtp === 'LDRT1' && c.codVrsVet === 1)).to.equal(undefined);
      const inconnue = await gw.json('GET', '/api/v1/nomenclatures/licornes');
      expect(inconnue.status).to.equal(404);
      expect(inconnue.body.errors[0].code).to.equal('NOMENCLATURE_INCONNUE');
      const oa = await gw.json('GET', '/api/v1/openapi.json');
      expect(oa.body.openapi).to.equal('3.1.0');
      expect(oa.body.components.schemas.DonneesOpi.properties.individu.$ref).to.equal('#/components/schemas/Individu');
      expect(JSON.stringify(oa.body)).not.to.contain('#/$defs/');
      const page = await fetch(`${gw.url}/api/v1/docs/reference`);
      expect(page.headers.get('content-type')).to.match(/text\/html/);
      expect(await page.text())
        .to.contain('codNneIndOpi')
        .and.contain('INE_CLE_INVALIDE');
      // The explorer: Swagger UI served by the gateway itself, on its own document.
      const explorateur = await (await fetch(`${gw.url}/api/v1/docs`)).text();
      expect(explorateur).to.contain('docs/assets/swagger-ui-bundle.js').and.contain('docs/explorateur.js');
      const bundle = await fetch(`${gw.url}/api/v1/docs/assets/swagger-ui-bundle.js`);
      expect(bundle.status).to.equal(200);
      expect(bundle.headers.get('content-type')).to.match(/javascript/);
      expect(await (await fetch(`${gw.url}/api/v1/docs/explorateur.js`)).text()).to.contain("url: 'openapi.json'");
      expect((await fetch(`${gw.url}/api/v1/docs/assets/absent.js`)).status).to.equal(404);
      expect((await gw.json('GET', '/health')).body.statut).to.equal('ok');
      const metriques = await fetch(`${gw.url}/metrics`);
      expect(metriques.headers.get('content-type')).to.match(/^text\/plain/);
      const texte = await metriques.text();
      expect(texte).to.match(/^passerelle_operations_total\{porte="REST",operation="opi\.enregistrer",resultat="CREE"\} [1-9]\d*$/m);
      expect(texte).to.match(/^passerelle_operations_total\{porte="REST",operation="opi\.enregistrer",resultat="REJETE"\} [1-9]\d*$/m);
      expect(texte).to.match(/^passerelle_http_requetes_total\{classe="4xx"\} [1-9]\d*$/m);
      expect(texte).to.match(/^passerelle_transactions_rejouees_total \d+$/m);
      expect((await gw.json('GET', '/ready')).body).to.deep.equal({ statut: 'pret', base: nomBase === 'sqlite' ? 'sqlite' : 'mysql' });
    });
  });
}
