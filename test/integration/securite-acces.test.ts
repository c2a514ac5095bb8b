/**
 * Who may do what, on a real gateway: every REST and SOAP operation refuses a client without its scope
 * (403 / client Fault, with the catalogue's code), a platform cannot touch another's OPI numbers, staff
 * accounts sign in with HTTP Basic and get their role's scopes, SOAP clients may use WS-Security,
 * `/metrics` needs `metriques:lire`, the CLI manages clients, and the gateway is secure by default.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BASES } from '../helpers/bases';
import { lancer, RACINE, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';
import { enveloppe, problemesFault, soap } from '../helpers/portes';
import { documentOpenApi } from '../../src/adapters/rest/openapi';
import { demarrer } from '../../src/server';
import { lireConfig } from '../../src/config';
import { nouvelleBase } from '../helpers/bases';

const executer = promisify(execFile);
const CLE_ADMIN = 'cle-admin-de-test-0123456789';
const PUBLIQUES = new Set([
  '/api/v1/openapi.json',
  '/api/v1/docs',
  '/health',
  '/ready',
  '/metrics',
  '/api/v1/laissez-passer/modele.csv',
  '/api/v1/laissez-passer/modele.xlsx',
]);

const basic = (nom: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${nom}:${secret}`).toString('base64')}` });

function wsse(nom: string, secret: string, type = 'PasswordText'): string {
  return (
    '<soapenv:Header><wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">'
    + `<wsse:UsernameToken><wsse:Username>${nom}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#${type}">${secret}</wsse:Password></wsse:UsernameToken>`
    + '</wsse:Security></soapenv:Header>'
  );
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] sécurité : portées, préfixes, comptes, WS-Security`, function () {
    let gw: PasserelleDeTest;
    let cleNomenclatures: string;
    let cleParcoursup: string;
    let cleMetriques: string;
    before(async () => {
      gw = await lancer(nomBase, { API_KEYS: `admin:${CLE_ADMIN}` }, undefined, { cleParDefaut: CLE_ADMIN });
      const id = gw.p.services.identites;
      cleNomenclatures = (await id.creerClient('lecteur-nomenclatures', { portees: 'nomenclatures:lire' })).cle;
      cleParcoursup = (await id.creerClient('parcoursup', { portees: 'opi:ecrire,opi:lire,opi:importer,pj:deposer,pj:lire,jobs:lire', prefixes: 'P' })).cle;
      cleMetriques = (await id.creerClient('prometheus', { portees: 'metriques:lire' })).cle;
      await id.creerCompte('lectrice', 'lecture', 'une phrase de passe longue');
      await id.creerCompte('gestionnaire', 'gestionnaire', 'une autre phrase de passe');
    });
    after(async () => {
      await gw?.fermer();
    });

    it('REST : chaque opération du document OpenAPI refuse un client sans sa portée (403 PORTEE_INSUFFISANTE), jamais un 5xx', async () => {
      const doc = documentOpenApi(['parcoursup-csv']) as { paths: Record<string, Record<string, { 'x-operation'?: string }>> };
      let essais = 0;
      for (const [chemin, ops] of Object.entries(doc.paths)) {
        if (PUBLIQUES.has(chemin)) continue;
        for (const [methode, op] of Object.entries(ops)) {
          if (!op['x-operation'] || op['x-operation'].startsWith('nomenclatures.lis') || op['x-operation'] === 'nomenclatures.lire') continue;
          const url = chemin.replace(/\{[^}]+\}/g, 'X1');
          const ecriture = methode !== 'get' && methode !== 'delete';
          const r = await gw.json(methode.toUpperCase(), url, ecriture ? {} : undefined, { 'x-api-key': cleNomenclatures });
          expect(r.status, `${methode} ${url} : ${JSON.stringify(r.body)}`).to.equal(403);
          // (pj/fichier answers in eCandidat's error format)
          const code = r.body.errors?.[0]?.code ?? /^([A-Z_]+) /.exec(r.body.erreurDescription ?? '')?.[1];
          expect(code, `${methode} ${url}`).to.equal('PORTEE_INSUFFISANTE');
          essais++;
        }
      }
      expect(essais).to.be.at.least(30);
      // Its own scope works.
      expect((await gw.json('GET', '/api/v1/nomenclatures', undefined, { 'x-api-key': cleNomenclatures })).status).to.equal(200);
    });

    it('SOAP : chaque opération de chaque service refuse un client sans sa portée (Fault PORTEE_INSUFFISANTE, avant node-soap)', async () => {
      let essais = 0;
      for (const service of ['OpiMetier', 'LaissezPasserMetier', 'InscriptionMetier', 'PjOpiMetier']) {
        const wsdl = readFileSync(path.join(RACINE, 'wsdl', `${service}.wsdl`), 'utf8');
        const ns = /targetNamespace="([^"]+)"/.exec(wsdl)![1];
        const operations = [...new Set([...wsdl.matchAll(/<wsdl:operation name="([^"]+)"/g)].map((m) => m[1]))];
        for (const op of operations) {
          const r = await soap(gw, service, enveloppe(op, ns, ''), { 'x-api-key': cleNomenclatures });
          expect(r.status, `${service}.${op}`).to.equal(500);
          expect(
            problemesFault(r.texte).map((p) => p.code),
            `${service}.${op} : ${r.texte.slice(0, 300)}`,
          ).to.deep.equal(['PORTEE_INSUFFISANTE']);
          expect(r.texte).to.include('<faultcode>soapenv:Client</faultcode>');
          essais++;
        }
      }
      expect(essais).to.be.at.least(8);
    });

    it("préfixes : Parcoursup (P) écrit et lit ses OPI, pas celles d'eCandidat (403 OPI_HORS_PERIMETRE sur REST, SOAP et dépôt de PJ)", async () => {
      const h = { 'x-api-key': cleParcoursup };
      expect((await gw.json('PUT', '/api/v1/opi/EC26000001', opiExemple('EC26000001'))).status).to.equal(201);
      const ecrire = await gw.json('PUT', '/api/v1/opi/EC26000001', opiExemple('EC26000001', { nom: 'Autre' }), h);
      expect(ecrire.status).to.equal(403);
      expect(ecrire.body.errors[0]).to.include({ code: 'OPI_HORS_PERIMETRE' });
      expect((await gw.json('GET', '/api/v1/opi/EC26000001', undefined, h)).body.errors[0].code).to.equal('OPI_HORS_PERIMETRE');
      expect((await gw.json('PUT', '/api/v1/opi/P26000001', opiExemple('P26000001'), h)).status).to.equal(201);
      expect((await gw.json('GET', '/api/v1/opi/P26000001', undefined, h)).status).to.equal(200);
      const pj = await fetch(`${gw.url}/api/v1/opi/EC26000001/pj/PHOTO`, {
        method: 'PUT',
        headers: { ...h, 'content-type': 'image/jpeg' },
        body: Buffer.alloc(1000),
      });
      expect(pj.status).to.equal(403);
      expect(((await pj.json()) as { errors: { code: string }[] }).errors[0].code).to.equal('OPI_HORS_PERIMETRE');
      const opiSoap = readFileSync(path.join(RACINE, 'test', 'golden', 'mettreajourDonneesOpi_v10__jaxb-tous-elements', 'request.xml'), 'utf8');
      const code = /<codOpiIntEpo>([^<]+)</.exec(opiSoap)![1];
      const r = await soap(gw, 'OpiMetier', opiSoap.replace(/\{\{annee\}\}/g, '2026'), h);
      expect(code.startsWith('P'), code).to.equal(false);
      expect(problemesFault(r.texte).map((p) => p.code)).to.deep.equal(['OPI_HORS_PERIMETRE']);
      // Nothing was changed by the refused writes.
      expect((await gw.json('GET', '/api/v1/opi/EC26000001')).body.donnees.individu.etatCivil.libNomPatIndOpi).to.not.equal('Autre');
    });

    it('préfixes : un fichier importé par un client lié à EC refuse chaque ligne Parcoursup (P…) avec OPI_HORS_PERIMETRE, sur la colonne du numéro', async () => {
      const { cle } = await gw.p.services.identites.creerClient('ecandidat-fichiers', { portees: 'opi:importer,jobs:lire', prefixes: 'EC' });
      const form = new FormData();
      form.append('format', 'parcoursup-csv');
      form.append('codeFormationPsup', '12345');
      form.append('fichier', new Blob([readFileSync(path.join(RACINE, 'fixtures', 'parcoursup', 'gestion-export.csv'))]), 'export.csv');
      const r = await fetch(`${gw.url}/api/v1/imports`, { method: 'POST', body: form, headers: { 'x-api-key': cle } });
      expect(r.status).to.equal(202);
      const job = (await r.json()) as { id: string };
      await gw.p.services.chargements.attendre(job.id, 60_000);
      const etat = (await gw.json('GET', `/api/v1/jobs/${job.id}`)).body;
      expect(etat.creees).to.equal(0);
      const rejets = (await gw.json('GET', `/api/v1/jobs/${job.id}/rejets?limite=500`)).body.rejets as { erreurs: { code: string; path: string }[] }[];
      expect(rejets.length).to.equal(etat.lignesLues);
      const hors = rejets.filter((x) => x.erreurs.some((e) => e.code === 'OPI_HORS_PERIMETRE'));
      expect(hors.length, JSON.stringify(rejets.slice(0, 3))).to.be.at.least(1);
      expect(hors[0].erreurs.find((e) => e.code === 'OPI_HORS_PERIMETRE')!.path).to.not.equal('individu.codOpiIntEpo');
    });

    it('comptes du personnel : HTTP Basic ; lecture lit (200) et ne peut écrire (403) ; gestionnaire écrit ; mauvais mot de passe 401', async () => {
      const lectrice = basic('lectrice', 'une phrase de passe longue');
      expect((await gw.json('GET', '/api/v1/opi/EC26000001', undefined, lectrice)).status).to.equal(200);
      const ecrit = await gw.json('PUT', '/api/v1/opi/EC26000002', opiExemple('EC26000002'), lectrice);
      expect(ecrit.status).to.equal(403);
      expect((await gw.json('GET', '/api/v1/journal', undefined, lectrice)).status).to.equal(403);
      const g = basic('gestionnaire', 'une autre phrase de passe');
      expect((await gw.json('PUT', '/api/v1/opi/EC26000002', opiExemple('EC26000002'), g)).status).to.equal(201);
      const journal = await gw.json('GET', '/api/v1/journal?cle=EC26000002', undefined, g);
      expect(journal.body.entrees.map((e: { client: string; statut: number }) => `${e.client}:${e.statut}`)).to.have.members([
        'lectrice:403',
        'gestionnaire:201',
      ]);
      expect((await gw.json('GET', '/api/v1/opi/EC26000001', undefined, basic('lectrice', 'faux'))).status).to.equal(401);
    });

    it("SOAP WS-Security : UsernameToken PasswordText (clé d'un client, ou compte) accepté ; PasswordDigest et faux mot de passe refusés (401 en Fault)", async () => {
      const xml = (entete: string) =>
        enveloppe('lireInscription', 'urn:candidature-gateway:ws:InscriptionMetier', '<id>999999</id>').replace('<soapenv:Body>', `${entete}<soapenv:Body>`);
      const sans = (x: string) =>
        fetch(`${gw.url}/ws/InscriptionMetier`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: x }).then(async (r) => ({
          status: r.status,
          texte: await r.text(),
        }));
      const parCle = await sans(xml(wsse('admin', CLE_ADMIN)));
      expect(
        problemesFault(parCle.texte).map((p) => p.code),
        parCle.texte,
      ).to.deep.equal(['INSCRIPTION_INTROUVABLE']);
      const parCompte = await sans(xml(wsse('lectrice', 'une phrase de passe longue')));
      expect(problemesFault(parCompte.texte).map((p) => p.code)).to.deep.equal(['INSCRIPTION_INTROUVABLE']);
      expect(problemesFault((await sans(xml(wsse('lectrice', 'faux')))).texte).map((p) => p.code)).to.deep.equal(['AUTHENTIFICATION_REQUISE']);
      expect(problemesFault((await sans(xml(wsse('lectrice', 'xyz', 'PasswordDigest')))).texte).map((p) => p.code)).to.deep.equal(['JETON_WSS_INVALIDE']);
      expect(problemesFault((await sans(xml(''))).texte).map((p) => p.code)).to.deep.equal(['AUTHENTIFICATION_REQUISE']);
      // A big message without credentials is refused after its first 64 KiB, not read whole.
      const gros = `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>${' '.repeat(5 * 1024 * 1024)}</soapenv:Header><soapenv:Body/></soapenv:Envelope>`;
      const r = await sans(gros).catch((e: Error) => ({ status: 0, texte: String(e.cause ?? e) }));
      if (r.status) expect(problemesFault(r.texte).map((p) => p.code)).to.deep.equal(['JETON_WSS_INVALIDE']);
    });

    it('/metrics : 401 sans identifiant, 403 sans metriques:lire, 200 avec ; en-têtes de sécurité, pas de X-Powered-By', async () => {
      const m = (h: Record<string, string>) => fetch(`${gw.url}/metrics`, { headers: h });
      expect((await m({})).status).to.equal(401);
      expect((await m({ 'x-api-key': cleNomenclatures })).status).to.equal(403);
      const ok = await m({ 'x-api-key': cleMetriques });
      expect(ok.status).to.equal(200);
      expect(await ok.text()).to.include('passerelle_');
      expect(ok.headers.get('x-powered-by')).to.equal(null);
      const docs = await fetch(`${gw.url}/api/v1/docs`);
      expect(docs.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(docs.headers.get('content-security-policy')).to.include("default-src 'self'");
      expect(docs.headers.get('x-frame-options')).to.equal('SAMEORIGIN');
    });

    it('un X-Client-Id déclaré est ignoré : le journal nomme le client authentifié', async () => {
      await gw.json('GET', '/api/v1/opi/P26000001', undefined, { 'x-api-key': cleParcoursup, 'x-client-id': 'ecandidat', 'x-request-id': 'usurpation-1' });
      const j = await gw.json('GET', '/api/v1/journal?requestId=usurpation-1');
      expect(j.body.entrees.map((e: { client: string }) => e.client)).to.deep.equal(['parcoursup']);
    });
  });

  describe(`[${nomBase}] sécurité par défaut et CLI des clients`, function () {
    it('sans aucun identifiant : écoute sur 127.0.0.1 seulement ; HOST=0.0.0.0 refusé (message qui dit comment faire) sauf AUTH=desactivee', async () => {
      const base = await nouvelleBase(nomBase);
      try {
        const config = (env: Record<string, string>) => ({ ...lireConfig({ LOG_LEVEL: 'error', ...env }), base: base.config });
        const p = await demarrer(config({}), { arrierePlan: false });
        try {
          const port = await p.ecouter(0);
          expect((await fetch(`http://127.0.0.1:${port}/health`)).status).to.equal(200);
          // Not reachable on the machine's other addresses.
          const externe = Object.values(networkInterfaces())
            .flat()
            .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
          if (externe)
            expect(
              await fetch(`http://${externe}:${port}/health`).then(
                () => 'joignable',
                () => 'refusé',
              ),
            ).to.equal('refusé');
        } finally {
          await p.arreter();
        }
        const ouvert = await demarrer(config({ HOST: '0.0.0.0' }), { arrierePlan: false });
        try {
          const err = await ouvert.ecouter(0).then(
            () => undefined,
            (e: Error) => e,
          );
          expect(err?.message).to.include('HOST=0.0.0.0 sans aucun identifiant');
          expect(err?.message).to.include('npm run clients -- creer');
        } finally {
          await ouvert.arreter();
        }
        const desactivee = await demarrer(config({ HOST: '0.0.0.0', AUTH: 'desactivee' }), { arrierePlan: false });
        try {
          expect(await desactivee.ecouter(0)).to.be.above(0);
        } finally {
          await desactivee.arreter();
        }
      } finally {
        await base.supprimer();
      }
    });

    it('npm run clients : creer (clé affichée une fois), lister (indices seulement), revoquer ; la clé créée ouvre la passerelle, révoquée plus', async () => {
      const base = await nouvelleBase(nomBase);
      const env = { ...process.env, DATABASE_URL: base.nom === 'sqlite' ? `sqlite:${base.config.url}` : base.config.url, LOG_LEVEL: 'error' };
      const cli = (...args: string[]) => executer(process.execPath, [path.join(RACINE, 'dist', 'scripts', 'clients.js'), ...args], { env });
      try {
        const cree = await cli('creer', 'connecteur', '--portees', 'lp:lire,lp:ecrire', '--description', 'ERP');
        const cle = /^(gw_[\w-]{43})$/m.exec(cree.stdout)![1];
        const liste = (await cli('lister')).stdout;
        expect(liste).to.include('connecteur').and.include('lp:lire lp:ecrire').and.include(cle.slice(0, 9)).and.not.include(cle);
        const mauvaise = await cli('creer', 'x', '--portees', 'lp:tout').then(
          () => undefined,
          (e: { code: number; stderr: string }) => e,
        );
        expect(mauvaise?.code).to.equal(1);
        expect(mauvaise?.stderr).to.include('lp:tout');
        const p = await demarrer({ ...lireConfig({ LOG_LEVEL: 'error' }), base: base.config }, { arrierePlan: false });
        try {
          const port = await p.ecouter(0, '127.0.0.1');
          const url = `http://127.0.0.1:${port}/api/v1/laissez-passer?codEtu=21000001&codAnu=2026`;
          expect((await fetch(url)).status).to.equal(401);
          expect((await fetch(url, { headers: { 'x-api-key': cle } })).status).to.equal(200);
          await cli('revoquer', 'connecteur');
          p.services.identites.oublier();
          expect((await fetch(url, { headers: { 'x-api-key': cle } })).status).to.equal(401);
        } finally {
          await p.arreter();
        }
      } finally {
        await base.supprimer();
      }
    });
  });
}
