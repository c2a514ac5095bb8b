/**
 * The refusal table: every refusal of every door writes exactly one journal row (found by the request
 * id), with the door, the status and the catalogue code; refusals before authentication are counted in
 * one row per source address and minute. A SOAP client only ever gets SOAP envelopes back.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { RACINE } from '../helpers/passerelle';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { NS_LP, enveloppe, enveloppeLpV2, journalDe, soap } from '../helpers/portes';
import { opiExemple } from '../helpers/exemples';
import { aujourdhuiParis } from '../../src/application/horloge';

const ANNEE = aujourdhuiParis().slice(0, 4);
const LP = { typLpa: 'REINS', codAnu: ANNEE, codEtu: '21000201', codEtp: 'LDRT2', codVrsVet: 2, codRgi: '1', codStu: '01', codCatExoExt: 'DN' };

interface Cas {
  porte: 'REST' | 'SOAP' | 'BATCH';
  titre: string;
  /** Sends the request with this request id; returns what the client received. */
  envoyer(gw: PasserelleDeTest, id: string): Promise<{ status: number; type: string | null; texte: string }>;
  status: number;
  code: string;
  resultat?: string;
  /** Journal operation of the refusal's row (default: any). */
  operation?: string;
}

async function http(gw: PasserelleDeTest, methode: string, chemin: string, corps: string | Buffer | undefined, entetes: Record<string, string>) {
  const r = await fetch(gw.url + chemin, { method: methode, headers: entetes, body: corps });
  return { status: r.status, type: r.headers.get('content-type'), texte: await r.text() };
}

const json = (id: string, extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', 'x-request-id': id, ...extra });

const CAS: Cas[] = [
  {
    porte: 'REST',
    titre: 'JSON mal formé',
    status: 400,
    code: 'REQUETE_MALFORMEE',
    envoyer: (gw, id) => http(gw, 'PUT', '/api/v1/opi/EC1', '{"individu":', json(id)),
  },
  {
    porte: 'REST',
    titre: 'corps REST trop gros',
    status: 413,
    code: 'CORPS_TROP_VOLUMINEUX',
    envoyer: (gw, id) => http(gw, 'POST', '/api/v1/laissez-passer', JSON.stringify({ ...LP, libCmtLpa: 'x'.repeat(5000) }), json(id)),
  },
  {
    porte: 'REST',
    titre: 'erreur de schéma',
    status: 422,
    code: 'CHAMP_OBLIGATOIRE',
    resultat: 'REJETE',
    operation: 'opi.enregistrer',
    envoyer: (gw, id) => http(gw, 'PUT', '/api/v1/opi/EC2', JSON.stringify({ individu: { codOpiIntEpo: 'EC2' } }), json(id)),
  },
  {
    porte: 'REST',
    titre: 'erreur de règle',
    status: 422,
    code: 'ETAPE_INCONNUE',
    operation: 'lp.enregistrer',
    envoyer: (gw, id) => http(gw, 'POST', '/api/v1/laissez-passer', JSON.stringify({ ...LP, codEtp: 'ZZZZ1' }), json(id)),
  },
  {
    porte: 'REST',
    titre: 'mode de chargement inconnu',
    status: 400,
    code: 'PARAMETRE_INVALIDE',
    operation: 'lp.charger',
    envoyer: (gw, id) => http(gw, 'POST', '/api/v1/laissez-passer/bulk?mode=presque', 'codEtu\n1\n', { 'content-type': 'text/csv', 'x-request-id': id }),
  },
  {
    porte: 'REST',
    titre: 'mode de liste inconnu',
    status: 400,
    code: 'PARAMETRE_INVALIDE',
    operation: 'lp.enregistrerEnMasse',
    envoyer: (gw, id) => http(gw, 'POST', '/api/v1/laissez-passer/lot?mode=presque', JSON.stringify([LP]), json(id)),
  },
  {
    porte: 'REST',
    titre: 'chemin inconnu',
    status: 404,
    code: 'RESSOURCE_INTROUVABLE',
    envoyer: (gw, id) => http(gw, 'GET', '/api/v1/rien', undefined, { 'x-request-id': id }),
  },
  {
    porte: 'REST',
    titre: 'GET sur /laissez-passer/bulk',
    status: 405,
    code: 'METHODE_NON_AUTORISEE',
    envoyer: (gw, id) => http(gw, 'GET', '/api/v1/laissez-passer/bulk', undefined, { 'x-request-id': id }),
  },
  {
    porte: 'REST',
    titre: 'fichier JSON mal formé',
    status: 400,
    code: 'REQUETE_MALFORMEE',
    operation: 'lp.charger',
    envoyer: (gw, id) => http(gw, 'POST', '/api/v1/laissez-passer/bulk', '[{"codEtu": "1", ', { 'content-type': 'application/json', 'x-request-id': id }),
  },
  {
    porte: 'REST',
    titre: 'fichier trop gros',
    status: 413,
    code: 'CORPS_TROP_VOLUMINEUX',
    operation: 'lp.charger',
    envoyer: (gw, id) => http(gw, 'POST', '/api/v1/laissez-passer/bulk', `codEtu\n${'1\n'.repeat(3000)}`, { 'content-type': 'text/csv', 'x-request-id': id }),
  },
  {
    porte: 'REST',
    titre: 'colonne inconnue dans un fichier',
    status: 422,
    code: 'COLONNE_INCONNUE',
    operation: 'lp.charger',
    envoyer: (gw, id) => http(gw, 'POST', '/api/v1/laissez-passer/bulk', 'codEtu;couleur\n1;bleu\n', { 'content-type': 'text/csv', 'x-request-id': id }),
  },
  {
    porte: 'SOAP',
    titre: 'XML mal formé',
    status: 500,
    code: 'REQUETE_MALFORMEE',
    envoyer: (gw, id) => http(gw, 'POST', '/ws/OpiMetier', '<soapenv:Envelope><soapenv:Body>', { 'content-type': 'text/xml', 'x-request-id': id }),
  },
  {
    porte: 'SOAP',
    titre: 'enveloppe SOAP trop grosse',
    status: 500,
    code: 'CORPS_TROP_VOLUMINEUX',
    envoyer: (gw, id) =>
      http(gw, 'POST', '/ws/LaissezPasserMetier', enveloppeLpV2({ codEtu: '1', libCmtLpa: 'x'.repeat(9000) }), {
        'content-type': 'text/xml',
        'x-request-id': id,
      }),
  },
  {
    porte: 'SOAP',
    titre: 'chemin /ws/ inconnu',
    status: 500,
    code: 'RESSOURCE_INTROUVABLE',
    envoyer: (gw, id) => http(gw, 'POST', '/ws/Inconnu', enveloppe('x', 'urn:x', ''), { 'content-type': 'text/xml', 'x-request-id': id }),
  },
  {
    porte: 'SOAP',
    titre: 'erreur de règle',
    status: 500,
    code: 'ETAPE_INCONNUE',
    operation: 'lp.enregistrer',
    envoyer: async (gw, id) => {
      const r = await soap(gw, 'LaissezPasserMetier', enveloppeLpV2({ typLpa: 'REINS', codAnu: ANNEE, codEtu: '21000202', codEtp: 'ZZZZ1', codVrsVet: '2' }), {
        'x-request-id': id,
      });
      return { status: r.status, type: r.type, texte: r.texte };
    },
  },
  {
    porte: 'SOAP',
    titre: 'erreur de schéma',
    status: 500,
    code: 'TYPE_INVALIDE',
    operation: 'lp.enregistrer',
    envoyer: async (gw, id) => {
      const r = await soap(
        gw,
        'LaissezPasserMetier',
        enveloppeLpV2({ typLpa: 'REINS', codAnu: ANNEE, codEtu: '21000203', codEtp: 'LDRT2', codVrsVet: 'deux' }),
        { 'x-request-id': id },
      );
      return { status: r.status, type: r.type, texte: r.texte };
    },
  },
  {
    porte: 'SOAP',
    titre: 'mode de liste inconnu',
    status: 500,
    code: 'PARAMETRE_INVALIDE',
    operation: 'lp.enregistrerEnMasse',
    envoyer: async (gw, id) => {
      const r = await soap(
        gw,
        'LaissezPasserMetier',
        enveloppe('mettreAJourLaissezPasserEnMasse', NS_LP, `<mode>presque</mode><laissezPasser><codEtu>1</codEtu></laissezPasser>`),
        { 'x-request-id': id },
      );
      return { status: r.status, type: r.type, texte: r.texte };
    },
  },
];

function attendreEnveloppeSoap(r: { status: number; type: string | null; texte: string }, code: string): void {
  expect(r.type).to.match(/^text\/xml/);
  expect(r.texte).to.contain('<soapenv:Fault>').and.contain(code);
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] journal : une ligne par refus, quelle que soit la porte`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase, { MAX_BODY_BYTES: '4096', MAX_SOAP_BYTES: '8192', MAX_BULK_BYTES: '4096' });
    });
    after(async () => {
      await gw?.fermer();
    });

    for (const c of CAS) {
      it(`${c.porte} — ${c.titre} : ${c.status} ${c.code}, une ligne de journal`, async () => {
        const id = `refus-${c.porte}-${c.titre.replace(/\W+/g, '-')}`;
        const r = await c.envoyer(gw, id);
        expect(r.status, r.texte.slice(0, 300)).to.equal(c.status);
        if (c.porte === 'SOAP') attendreEnveloppeSoap(r, c.code);
        else expect(JSON.parse(r.texte).errors[0].code).to.equal(c.code);
        const lignes = await journalDe(gw, id);
        expect(lignes, JSON.stringify(lignes)).to.have.length(1);
        expect(lignes[0]).to.include({ porte: c.porte, resultat: c.resultat ?? 'REJETE', statut: c.porte === 'SOAP' ? lignes[0].statut : c.status });
        expect(lignes[0].codes).to.include(c.code);
        if (c.operation) expect(lignes[0].operation).to.equal(c.operation);
      });
    }

    it('REST — réponse rejouée (même Idempotency-Key, même corps) et conflit (autre corps) : une ligne chacun, avec leur issue', async () => {
      const corps = { ...LP, codEtu: '21000210' };
      const premier = await http(gw, 'POST', '/api/v1/laissez-passer', JSON.stringify(corps), json('idem-1', { 'idempotency-key': 'cle-idem-1' }));
      expect(premier.status).to.equal(201);
      const rejeu = await http(gw, 'POST', '/api/v1/laissez-passer', JSON.stringify(corps), json('idem-2', { 'idempotency-key': 'cle-idem-1' }));
      expect(rejeu.status).to.equal(201);
      expect(JSON.parse(rejeu.texte)).to.deep.equal(JSON.parse(premier.texte));
      const conflit = await http(
        gw,
        'POST',
        '/api/v1/laissez-passer',
        JSON.stringify({ ...corps, codRgi: '3' }),
        json('idem-3', { 'idempotency-key': 'cle-idem-1' }),
      );
      expect(conflit.status).to.equal(409);
      expect(JSON.parse(conflit.texte).errors[0].code).to.equal('IDEMPOTENCE_CONFLIT');
      const [l1] = await journalDe(gw, 'idem-1');
      const l2 = await journalDe(gw, 'idem-2');
      const l3 = await journalDe(gw, 'idem-3');
      expect(l1).to.include({ resultat: 'CREE', individu: 'ETU:21000210' });
      expect(l2).to.have.length(1);
      expect(l2[0]).to.include({ resultat: 'REPONSE_REJOUEE', statut: 201, individu: 'ETU:21000210', cle: l1.cle });
      expect(l3).to.have.length(1);
      expect(l3[0]).to.include({ resultat: 'CONFLIT_IDEMPOTENCE', statut: 409 });
      expect(l3[0].codes).to.deep.equal(['IDEMPOTENCE_CONFLIT']);
    });

    it('fichier — renvoi avec la même Idempotency-Key (même job) et avec un autre fichier (409) : une ligne chacun', async () => {
      const csv = `typLpa;codAnu;codEtu;codEtp;codVrsVet;codRgi\nREINS;${ANNEE};21000230;LDRT2;2;1\n`;
      const entetes = (id: string) => ({ 'content-type': 'text/csv', 'x-request-id': id, 'idempotency-key': 'fichier-idem-1' });
      const r1 = await http(gw, 'POST', '/api/v1/laissez-passer/bulk', csv, entetes('fichier-idem-a'));
      expect(r1.status).to.equal(202);
      const r2 = await http(gw, 'POST', '/api/v1/laissez-passer/bulk', csv, entetes('fichier-idem-b'));
      expect(r2.status).to.equal(202);
      expect(JSON.parse(r2.texte).id).to.equal(JSON.parse(r1.texte).id);
      const r3 = await http(gw, 'POST', '/api/v1/laissez-passer/bulk', csv.replace('21000230', '21000231'), entetes('fichier-idem-c'));
      expect(r3.status).to.equal(409);
      await gw.p.services.chargements.inactif();
      expect((await journalDe(gw, 'fichier-idem-b')).map((l) => l.resultat)).to.deep.equal(['REPONSE_REJOUEE']);
      expect((await journalDe(gw, 'fichier-idem-c')).map((l) => l.resultat)).to.deep.equal(['CONFLIT_IDEMPOTENCE']);
    });

    it('CLI — chargement de nomenclatures : journalisé (porte CLI), un dossier refusé aussi, une ligne chacun', async () => {
      const dossier = mkdtempSync(path.join(tmpdir(), 'nomenclatures-cli-'));
      try {
        const url = gw.base.nom === 'sqlite' ? `sqlite:${gw.base.config.url}` : gw.base.config.url;
        const cli = (d: string) =>
          promisify(execFile)(process.execPath, [path.join(RACINE, 'dist', 'scripts', 'nomenclatures.js'), 'load', d], {
            env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'error' },
          }).then(
            () => 0,
            (e: { code: number }) => e.code,
          );
        copyFileSync(path.join(RACINE, 'fixtures', 'nomenclatures', 'regimes.json'), path.join(dossier, 'regimes.json'));
        expect(await cli(dossier)).to.equal(0);
        writeFileSync(path.join(dossier, 'statuts.json'), '{ pas du JSON');
        expect(await cli(dossier)).to.equal(1);
        const lignes = (await gw.json('GET', '/api/v1/journal?porte=CLI')).body.entrees;
        expect(lignes.map((l: { operation: string; resultat: string; cle: string | null }) => `${l.operation}:${l.resultat}:${l.cle}`)).to.deep.equal([
          'nomenclatures.charger:REJETE:null',
          'nomenclatures.charger:CHARGE:regimes',
        ]);
        expect(lignes[0].codes).to.deep.equal(['REQUETE_MALFORMEE']);
      } finally {
        rmSync(dossier, { recursive: true, force: true });
      }
    });

    it('fichier — une ligne refusée par règle et une par schéma : une ligne de journal chacune, avec leur individu ; les lignes acceptées ne sont comptées que dans le chargement', async () => {
      const csv = [
        'typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet;codRgi',
        `REINS;${ANNEE};;21000220;LDRT2;2;1`,
        `REINS;${ANNEE};;21000221;ZZZZ1;2;1`,
        `REINS;${ANNEE};;021000222;LDRT2;deux;1`,
      ].join('\n');
      const r = await http(gw, 'POST', '/api/v1/laissez-passer/bulk?attendre=1', csv, { 'content-type': 'text/csv', 'x-request-id': 'fichier-refus' });
      expect(r.status).to.equal(200);
      expect(JSON.parse(r.texte)).to.include({ etat: 'TERMINE', creees: 1, lignesRejetees: 2 });
      const lignes = await journalDe(gw, 'fichier-refus');
      const parOperation = (op: string) => lignes.filter((l) => l.operation === op);
      expect(parOperation('lp.chargement.ligne').map((l) => `${l.individu}:${l.codes.join(',')}`)).to.have.members([
        'ETU:21000221:ETAPE_INCONNUE',
        'ETU:21000222:TYPE_INVALIDE',
      ]);
      expect(parOperation('lp.charger')).to.have.length(1);
      expect(parOperation('lp.chargement.fin')).to.have.length(1);
      expect(lignes).to.have.length(4);
    });

    it("une opération réussie : sa ligne de journal est écrite avec l'écriture (même transaction), une seule", async () => {
      const r = await http(gw, 'PUT', '/api/v1/opi/EC24009001', JSON.stringify(opiExemple('EC24009001')), json('succes-1'));
      expect(r.status).to.equal(201);
      const lignes = await journalDe(gw, 'succes-1');
      expect(lignes).to.have.length(1);
      expect(lignes[0]).to.include({ resultat: 'CREE', individu: 'OPI:EC24009001', cle: 'EC24009001', statut: 201 });
    });
  });

  describe(`[${nomBase}] journal : refus avant authentification`, function () {
    let gw: PasserelleDeTest;
    const CLE = 'cle-parcoursup-0123456789';
    before(async () => {
      gw = await lancer(nomBase, { API_KEYS: `parcoursup:${CLE}` });
    });
    after(async () => {
      await gw?.fermer();
    });

    it('REST et SOAP : chaque refus est compté, une ligne par adresse, porte et minute (jamais une par requête)', async () => {
      const avant = new Date().toISOString().slice(0, 16);
      for (let i = 0; i < 12; i++) await http(gw, 'PUT', '/api/v1/opi/EC1', '{}', json(`anonyme-${i}`));
      for (let i = 0; i < 5; i++) {
        const r = await soap(gw, 'LaissezPasserMetier', enveloppeLpV2({ codEtu: '1' }), { 'x-request-id': `anonyme-soap-${i}` });
        expect(r.status).to.equal(500);
        expect(r.texte).to.contain('technical.security.invaliduser');
      }
      const apres = new Date().toISOString().slice(0, 16);
      const j = await gw.json('GET', '/api/v1/journal?resultat=REJETE', undefined, { 'x-api-key': CLE });
      const refus = j.body.entrees.filter((e: { statut: number }) => e.statut === 401);
      const total = (porte: string) => refus.filter((e: { porte: string }) => e.porte === porte).reduce((n: number, e: { nombre: number }) => n + e.nombre, 0);
      expect(total('REST')).to.equal(12);
      expect(total('SOAP')).to.equal(5);
      // One row per door and minute (two only if the loop straddled a minute boundary).
      expect(refus.length).to.be.at.most(avant === apres ? 2 : 4);
      const metriques = await (await fetch(`${gw.url}/metrics`, { headers: { 'x-api-key': CLE } })).text();
      expect(metriques).to.match(/resultat="NON_AUTHENTIFIE"\} (\d+)/);
    });
  });
}
