/**
 * Retention and personal data, with fixed clocks on records whose dates the test sets: the purge
 * removes exactly what each kind's retention says (simulated first: the same counts, nothing gone),
 * and nothing on a second run; the RGPD purge removes the candidates with no IA for N campaigns and
 * keeps their journal rows without who; an export holds every record of one person and nothing of
 * another (REST JSON and zip, and the CLI).
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { BASES } from '../helpers/bases';
import { lancer, RACINE, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';
import { aujourdhuiParis } from '../../src/application/horloge';
import { valeurSql } from '../../src/persistence/sql-portable';

const executer = promisify(execFile);
const ANNEE = aujourdhuiParis().slice(0, 4);
const PJ = (nom: string) => readFileSync(path.join(RACINE, 'fixtures', 'pj', nom));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Whether the document store holds a file of this address (content-addressed, any folder layout). */
function stocke(dossier: string, empreinte: string): boolean {
  const chercher = (d: string): boolean => {
    let noms: string[];
    try {
      noms = readdirSync(d);
    } catch {
      return false;
    }
    return noms.some((n) => (statSync(path.join(d, n)).isDirectory() ? chercher(path.join(d, n)) : n === empreinte));
  };
  return chercher(dossier);
}

async function deposer(gw: PasserelleDeTest, code: string, fichier: string, type: string) {
  const r = await fetch(`${gw.url}/api/v1/opi/${code}/pj/IDENT`, {
    method: 'PUT',
    headers: { 'content-type': type, 'content-disposition': `attachment; filename="${fichier}"` },
    body: PJ(fichier),
  });
  expect(r.status, await r.clone().text()).to.equal(201);
}

/** An OPI with one favourable vœu on L1 Droit (what an IA needs), optionally its IA. */
async function candidat(gw: PasserelleDeTest, code: string, o: { ine?: string | null; inscrire?: boolean; nom?: string } = {}) {
  const opi = opiExemple(code, { ine: o.ine ?? null, nom: o.nom ?? `Nom${code.slice(-3)}`, dateNai: `2006-02-${code.slice(-2)}` });
  opi.voeux = [{ ...opi.voeux[0], codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C' }];
  const r = await gw.json('PUT', `/api/v1/opi/${code}`, opi);
  expect(r.status, JSON.stringify(r.body)).to.equal(201);
  if (o.inscrire) {
    const ia = await gw.json('POST', '/api/v1/inscriptions', {
      codAnu: ANNEE,
      codOpiIntEpo: code,
      codEtp: 'LDRT1',
      codVrsVet: 2,
      numeroCvec: `REN3${code.slice(-7)}`,
    });
    expect(ia.status, JSON.stringify(ia.body)).to.equal(201);
  }
}

/** A gateway with a journal key and no scheduled purge, for one describe; SQL helpers on its database. */
function passerelleDeTest(nomBase: (typeof BASES)[number]) {
  let gw: PasserelleDeTest;
  before(async () => {
    gw = await lancer(nomBase, { JOURNAL_CLE: randomBytes(32).toString('base64'), RETENTION_INTERVALLE_HEURES: '0' });
  });
  after(async () => {
    await gw?.fermer();
  });
  const sql = (q: string, p: unknown[] = []) => gw.p.source.query(q, p.map(valeurSql));
  const n = async (q: string, p: unknown[] = []) => Number((await sql(q, p))[0].n);
  return { sql, n, gw: () => gw };
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] conservation : la purge retire ce que les durées disent, rien de plus`, function () {
    this.timeout(120_000);
    const { sql, n, gw: g } = passerelleDeTest(nomBase);
    let gw: PasserelleDeTest;
    before(() => {
      gw = g();
    });

    it('horloge fixée au 15 juin 2031 (défauts : messages 90 j après la campagne, journal 5 ans, rejets 1 an, idempotence 30 j, PJ sans IA 90 j après la campagne)', async () => {
      // Journal rows and kept payloads: 6 OPI writes, in three age groups.
      const groupes = { A: ['CO26000001', 'CO26000002'], B: ['CO26000003', 'CO26000004'], C: ['CO26000005', 'CO26000006'] };
      for (const code of Object.values(groupes).flat())
        expect((await gw.json('PUT', `/api/v1/opi/${code}`, opiExemple(code, { ine: null }))).status).to.equal(201);
      // PJ: P1 (campaign 2030, no IA) goes; P2 (campaign 2031) and P3 (campaign 2030, with its IA) stay.
      await candidat(gw, 'CO26000011');
      await candidat(gw, 'CO26000012');
      await candidat(gw, 'CO26000013', { inscrire: true });
      await deposer(gw, 'CO26000011', 'valide.pdf', 'application/pdf');
      await deposer(gw, 'CO26000012', 'photo.jpg', 'image/jpeg');
      await deposer(gw, 'CO26000013', 'image.png', 'image/png');
      await sql("UPDATE individu_opi SET codAnu = '2030' WHERE codOpiIntEpo IN ('CO26000011', 'CO26000013')");
      await sql("UPDATE individu_opi SET codAnu = '2031' WHERE codOpiIntEpo = 'CO26000012'");
      await sql("UPDATE inscription SET codAnu = '2030' WHERE codOpiIntEpo = 'CO26000013'");
      // Rejected rows of two bulk jobs: one ended in 2030 (its 3 go), one in 2031 (its 2 stay).
      const lot = (codes: string[]) =>
        ['typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet;codRgi', ...codes.map((c) => `REINS;${ANNEE};;${c};LDRT2;2;9`)].join('\n');
      const jobs: string[] = [];
      for (const codes of [
        ['21900001', '21900002', '21900003'],
        ['21900004', '21900005'],
      ]) {
        const r = await fetch(`${gw.url}/api/v1/laissez-passer/bulk?mode=partial&attendre=1`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv' },
          body: lot(codes),
        });
        const j = (await r.json()) as { id: string; lignesRejetees: number };
        expect(j.lignesRejetees).to.equal(codes.length);
        jobs.push(j.id);
      }
      await sql('UPDATE job SET finLe = ? WHERE id = ?', [new Date('2030-01-01T00:00:00Z'), jobs[0]]);
      await sql('UPDATE job SET finLe = ? WHERE id = ?', [new Date('2031-01-01T00:00:00Z'), jobs[1]]);
      // Idempotency records: 3 of 1 May 2031 go, 2 of 10 June stay.
      for (let i = 0; i < 5; i++)
        await sql('INSERT INTO idempotence (client, cle, operation, empreinteRequete, statut, reponse, creeLe) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          'alpha',
          `cle-${i}`,
          'lp.charger',
          'e',
          202,
          '{}',
          new Date(i < 3 ? '2031-05-01T00:00:00Z' : '2031-06-10T00:00:00Z'),
        ]);
      // Every journal row and payload of 1 April 2031 (campaign 2031: all kept), then group A in January 2026
      // (over 5 years: row and payload go), group B in February 2031 (campaign 2030: the payload goes, the row stays).
      const date = (d: string) => new Date(`${d}T00:00:00Z`);
      await sql('UPDATE journal SET recuLe = ?', [date('2031-04-01')]);
      await sql('UPDATE charge_journal SET recuLe = ?', [date('2031-04-01')]);
      for (const [g, d] of [
        ['A', '2026-01-10'],
        ['B', '2031-02-20'],
      ] as const) {
        const codes = groupes[g];
        await sql(`UPDATE journal SET recuLe = ? WHERE cle IN (?, ?)`, [date(d), ...codes]);
        await sql(`UPDATE charge_journal SET recuLe = ? WHERE journalId IN (SELECT id FROM journal WHERE cle IN (?, ?))`, [date(d), ...codes]);
      }
      const avant = {
        journal: await n('SELECT COUNT(*) AS n FROM journal'),
        charges: await n('SELECT COUNT(*) AS n FROM charge_journal'),
        rejets: await n('SELECT COUNT(*) AS n FROM job_rejet'),
        idempotence: await n('SELECT COUNT(*) AS n FROM idempotence'),
        pieces: await n('SELECT COUNT(*) AS n FROM piece_opi'),
      };
      const maintenant = new Date('2031-06-15T12:00:00Z');
      const attendu = { charges: 4, journal: 2, rejets: 3, idempotence: 3, piecesSansInscription: 1, fichiersPieces: 1 };

      const simulation = await gw.p.services.conservation.purger({ simulation: true, maintenant });
      expect(simulation.supprimes).to.deep.include(attendu);
      expect(simulation.limites).to.include({ charges: '2031-03-01T00:00:00.000Z', pjSansInscription: '2030', idempotence: '2031-05-16T12:00:00.000Z' });
      expect({
        journal: await n('SELECT COUNT(*) AS n FROM journal'),
        charges: await n('SELECT COUNT(*) AS n FROM charge_journal'),
        rejets: await n('SELECT COUNT(*) AS n FROM job_rejet'),
        idempotence: await n('SELECT COUNT(*) AS n FROM idempotence'),
        pieces: await n('SELECT COUNT(*) AS n FROM piece_opi'),
      }).to.deep.equal(avant);

      const rapport = await gw.p.services.conservation.purger({ maintenant });
      expect(rapport.supprimes).to.deep.include(attendu);
      expect(await n('SELECT COUNT(*) AS n FROM journal')).to.equal(avant.journal - 2);
      expect(await n("SELECT COUNT(*) AS n FROM journal WHERE cle IN ('CO26000001', 'CO26000002')")).to.equal(0);
      expect(await n("SELECT COUNT(*) AS n FROM journal WHERE cle IN ('CO26000003', 'CO26000004')")).to.equal(2);
      expect(await n('SELECT COUNT(*) AS n FROM charge_journal')).to.equal(avant.charges - 4);
      expect(await n("SELECT COUNT(*) AS n FROM charge_journal c JOIN journal j ON j.id = c.journalId WHERE j.cle IN ('CO26000005', 'CO26000006')")).to.equal(
        2,
      );
      expect(await n('SELECT COUNT(*) AS n FROM job_rejet WHERE jobId = ?', [jobs[0]])).to.equal(0);
      expect(await n('SELECT COUNT(*) AS n FROM job_rejet WHERE jobId = ?', [jobs[1]])).to.equal(2);
      expect(await n('SELECT COUNT(*) AS n FROM job WHERE id = ?', [jobs[0]])).to.equal(1);
      expect(await n("SELECT COUNT(*) AS n FROM idempotence WHERE client = 'alpha'")).to.equal(2);
      expect((await sql('SELECT codOpiIntEpo AS c FROM piece_opi ORDER BY codOpiIntEpo')).map((x: { c: string }) => x.c)).to.deep.equal([
        'CO26000012',
        'CO26000013',
      ]);
      expect(stocke(gw.dossierPj, sha(PJ('valide.pdf')))).to.equal(false);
      expect(stocke(gw.dossierPj, sha(PJ('photo.jpg')))).to.equal(true);
      expect(stocke(gw.dossierPj, sha(PJ('image.png')))).to.equal(true);
      // The OPI itself stays (the RGPD purge decides on it).
      expect(await n("SELECT COUNT(*) AS n FROM individu_opi WHERE codOpiIntEpo = 'CO26000011'")).to.equal(1);

      const encore = await gw.p.services.conservation.purger({ maintenant });
      expect(encore.supprimes).to.deep.include({ charges: 0, journal: 0, rejets: 0, idempotence: 0, piecesSansInscription: 0, fichiersPieces: 0 });
      console.log(`      purge du ${maintenant.toISOString().slice(0, 10)} : ${JSON.stringify(rapport.supprimes)}`);
    });

    it('par REST, pour admin : la simulation répond le rapport et est journalisée', async () => {
      const r = await gw.json('POST', '/api/v1/conservation/purge?simulation=true');
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      expect(r.body).to.include({ simulation: true });
      expect(Object.keys(r.body.supprimes)).to.include.members(['charges', 'journal', 'rejets', 'idempotence', 'piecesSansInscription']);
      const [ligne] = (await gw.json('GET', '/api/v1/journal?operation=retention.purger')).body.entrees;
      expect(ligne).to.include({ resultat: 'SIMULATION', statut: 200 });
      await gw.commeClient(
        'plateforme',
        async (h) => {
          expect((await gw.json('POST', '/api/v1/conservation/purge', undefined, h)).status).to.equal(403);
        },
        { portees: 'opi:ecrire journal:rejouer' },
      );
    });
  });

  describe(`[${nomBase}] données personnelles : effacement et export`, function () {
    this.timeout(120_000);
    const { sql, n, gw: g } = passerelleDeTest(nomBase);
    let gw: PasserelleDeTest;
    before(() => {
      gw = g();
    });

    it('purge sur 2 campagnes (horloge au 1er décembre 2029) : les candidats sans IA partent, les inscrits et les récents restent ; leur journal reste, sans qui', async () => {
      await candidat(gw, 'RG26000001'); // A: no IA → goes, with its LP and PJ
      await candidat(gw, 'RG26000002', { inscrire: true }); // B: enrolled → stays
      await candidat(gw, 'RG26000003'); // C: campaign 2028 → too recent
      await sql("UPDATE individu_opi SET codAnu = '2028' WHERE codOpiIntEpo = 'RG26000003'");
      expect(
        (await gw.json('POST', '/api/v1/laissez-passer', { typLpa: 'REINS', codAnu: ANNEE, numOPI: 'RG26000001', codEtp: 'LDRT2', codVrsVet: 2 })).status,
      ).to.be.oneOf([200, 201]);
      expect(
        (await gw.json('POST', '/api/v1/laissez-passer', { typLpa: 'REINS', codAnu: ANNEE, codEtu: '21990001', codEtp: 'LDRT2', codVrsVet: 2 })).status,
      ).to.be.oneOf([200, 201]); // D: an LP alone
      await deposer(gw, 'RG26000001', 'valide.pdf', 'application/pdf');
      const journalAvant = await n("SELECT COUNT(*) AS n FROM journal WHERE individu IN ('OPI:RG26000001', 'ETU:21990001')");
      const journalB = await n("SELECT COUNT(*) AS n FROM journal WHERE individu = 'OPI:RG26000002'");
      expect(journalAvant).to.be.at.least(4);
      const maintenant = new Date('2029-12-01T12:00:00Z');
      const attendu = { campagneLimite: '2027', opi: 1, laissezPasser: 2, pieces: 1, fichiersPieces: 1 };

      const sim = await gw.p.services.rgpd.purger({ campagnes: 2, simulation: true, maintenant });
      expect(sim).to.deep.include({ ...attendu, simulation: true });
      expect(await n("SELECT COUNT(*) AS n FROM individu_opi WHERE codOpiIntEpo = 'RG26000001'")).to.equal(1);

      const r = await gw.p.services.rgpd.purger({ campagnes: 2, maintenant });
      expect(r).to.deep.include({ ...attendu, simulation: false, lignesJournalAnonymisees: journalAvant });
      expect(r.chargesSupprimees).to.be.at.least(3);
      expect((await sql('SELECT codOpiIntEpo AS c FROM individu_opi ORDER BY codOpiIntEpo')).map((x: { c: string }) => x.c)).to.deep.equal([
        'RG26000002',
        'RG26000003',
      ]);
      expect(await n("SELECT COUNT(*) AS n FROM laissez_passer WHERE codOpiIntEpo = 'RG26000001' OR codEtu = '21990001'")).to.equal(0);
      expect(await n("SELECT COUNT(*) AS n FROM piece_opi WHERE codOpiIntEpo = 'RG26000001'")).to.equal(0);
      expect(await n('SELECT COUNT(*) AS n FROM voeu_opi v LEFT JOIN individu_opi i ON i.id = v.individuOpiId WHERE i.id IS NULL')).to.equal(0);
      expect(stocke(gw.dossierPj, sha(PJ('valide.pdf')))).to.equal(false);
      expect(await n("SELECT COUNT(*) AS n FROM journal WHERE individu IN ('OPI:RG26000001', 'ETU:21990001') OR cle IN ('RG26000001')")).to.equal(0);
      expect(await n("SELECT COUNT(*) AS n FROM journal WHERE individu IS NULL AND operation = 'opi.enregistrer' AND resultat = 'CREE'")).to.be.at.least(1);
      expect(await n("SELECT COUNT(*) AS n FROM journal WHERE individu = 'OPI:RG26000002'")).to.equal(journalB);
      console.log(`      purge RGPD (2 campagnes, au ${maintenant.toISOString().slice(0, 10)}) : ${JSON.stringify(r)}`);
    });

    it("export d'une personne : chacun de ses enregistrements, rien d'une autre (REST JSON et zip, CLI)", async () => {
      await candidat(gw, 'EX26000001', { ine: '1234567890V', inscrire: true, nom: 'Personne' });
      await candidat(gw, 'EX26000002', { ine: '0000000002C', inscrire: true, nom: 'Autrui' });
      for (const code of ['EX26000001', 'EX26000002'])
        expect(
          (await gw.json('POST', '/api/v1/laissez-passer', { typLpa: 'REINS', codAnu: ANNEE, numOPI: code, codEtp: 'LDRT2', codVrsVet: 2 })).status,
        ).to.be.oneOf([200, 201]);
      await deposer(gw, 'EX26000001', 'valide.pdf', 'application/pdf');
      await deposer(gw, 'EX26000002', 'photo.jpg', 'image/jpeg');

      const r = await gw.json('GET', '/api/v1/rgpd/export?individu=INE:1234567890V');
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      const d = r.body.donnees;
      expect(r.body.identifiants.codOpiIntEpo).to.deep.equal(['EX26000001']);
      expect(d.opi.map((o: { codOpiIntEpo: string }) => o.codOpiIntEpo)).to.deep.equal(['EX26000001']);
      expect(d.opi[0].donnees.individu.etatCivil.libNomPatIndOpi).to.equal('PERSONNE');
      expect(d.voeux).to.have.length(1);
      expect(d.laissezPasser.map((l: { codOpiIntEpo: string }) => l.codOpiIntEpo)).to.deep.equal(['EX26000001']);
      expect(d.inscriptions).to.have.length(1);
      expect(d.evenementsInscription.length).to.be.at.least(1);
      expect(d.pieces.map((p: { codOpiIntEpo: string }) => p.codOpiIntEpo)).to.deep.equal(['EX26000001']);
      expect(d.journal.length).to.be.at.least(4);
      expect(d.journal.every((j: { individu: string }) => ['OPI:EX26000001', 'INE:1234567890V'].includes(j.individu))).to.equal(true);
      // The kept payload of its OPI write, opened for the person.
      const ecriture = d.journal.find((j: { operation: string }) => j.operation === 'opi.enregistrer');
      expect(ecriture.charge.corps.individu.codOpiIntEpo).to.equal('EX26000001');
      const texte = JSON.stringify(r.body);
      for (const autre of ['EX26000002', '0000000002C', 'AUTRUI', sha(PJ('photo.jpg'))]) expect(texte).to.not.include(autre);

      const zip = await fetch(`${gw.url}/api/v1/rgpd/export?individu=OPI:EX26000001&format=zip`);
      expect(zip.status).to.equal(200);
      expect(zip.headers.get('content-type')).to.equal('application/zip');
      const archive = await JSZip.loadAsync(Buffer.from(await zip.arrayBuffer()));
      expect(Object.keys(archive.files).sort()).to.deep.equal(['personne.json', 'pieces/EX26000001-IDENT-valide.pdf']);
      expect(Buffer.from(await archive.file('pieces/EX26000001-IDENT-valide.pdf')!.async('uint8array')).equals(PJ('valide.pdf'))).to.equal(true);

      const [ligne] = (await gw.json('GET', '/api/v1/journal?operation=rgpd.exporter')).body.entrees;
      expect(ligne).to.include({ resultat: 'EXPORTE', individu: 'OPI:EX26000001' });
      expect((await gw.json('GET', '/api/v1/rgpd/export?individu=OPI:XX99999999')).status).to.equal(404);
      expect((await gw.json('GET', '/api/v1/rgpd/export?individu=nimporte')).body.errors[0]).to.include({ code: 'PARAMETRE_INVALIDE', path: 'individu' });

      // The CLI writes the same document and the zip of the files.
      const sortie = mkdtempSync(path.join(tmpdir(), 'rgpd-'));
      try {
        const env = {
          ...process.env,
          DATABASE_URL: gw.base.nom === 'sqlite' ? `sqlite:${gw.base.config.url}` : gw.base.config.url,
          PJ_DIR: gw.dossierPj,
          LOG_LEVEL: 'error',
          JOURNAL_CLE: randomBytes(32).toString('base64'),
        };
        const cli = await executer(process.execPath, [path.join(RACINE, 'dist', 'scripts', 'rgpd.js'), 'exporter', '--individu', 'ETU:', '--sortie', sortie], {
          env,
        }).catch((e: { code: number; stderr: string }) => e);
        expect((cli as { code: number }).code).to.equal(1);
        await executer(process.execPath, [path.join(RACINE, 'dist', 'scripts', 'rgpd.js'), 'exporter', '--individu', 'INE:1234567890V', '--sortie', sortie], {
          env,
        });
        const json = JSON.parse(readFileSync(path.join(sortie, 'export-INE-1234567890V.json'), 'utf8'));
        expect(json.donnees.opi.map((o: { codOpiIntEpo: string }) => o.codOpiIntEpo)).to.deep.equal(['EX26000001']);
        const z = await JSZip.loadAsync(readFileSync(path.join(sortie, 'export-INE-1234567890V.zip')));
        expect(Object.keys(z.files)).to.deep.equal(['pieces/EX26000001-IDENT-valide.pdf']);
        const purge = await executer(process.execPath, [path.join(RACINE, 'dist', 'scripts', 'rgpd.js'), 'purger', '--campagnes', '1', '--simulation'], {
          env,
        });
        expect(JSON.parse(purge.stdout)).to.include({ simulation: true, campagnes: 1 });
        expect((await gw.json('GET', '/api/v1/journal?operation=rgpd.purger&porte=CLI')).body.entrees[0]).to.include({ resultat: 'SIMULATION' });
      } finally {
        rmSync(sortie, { recursive: true, force: true });
      }
    });
  });
}

describe('[mariadb] la purge planifiée : un seul nœud à la fois', function () {
  this.timeout(60_000);
  if (!BASES.includes('mariadb')) return;
  let noeuds: PasserelleDeTest[] = [];
  before(async () => {
    const a = await lancer('mariadb', { RETENTION_INTERVALLE_HEURES: '0' });
    noeuds = [a, await lancer('mariadb', { RETENTION_INTERVALLE_HEURES: '0' }, a.base)];
  });
  after(async () => {
    for (const g of noeuds) g.p.services.conservation.arreter();
    await noeuds[1]?.p.arreter();
    await noeuds[0]?.fermer();
  });

  it('deux nœuds au même rythme : à chaque tour, un seul purge', async () => {
    const tours: { noeud: number; le: number }[] = [];
    const intervalle = 400;
    for (const [k, g] of noeuds.entries())
      g.p.services.conservation.demarrer(async () => {
        tours.push({ noeud: k, le: Date.now() });
      }, intervalle);
    await new Promise((ok) => setTimeout(ok, 10 * intervalle + 100));
    for (const g of noeuds) g.p.services.conservation.arreter();
    expect(tours.length).to.be.within(5, 11);
    // The lease lasts half an interval: two runs are never closer than that, whichever node.
    const ecarts = tours.slice(1).map((t, i) => t.le - tours[i].le);
    expect(Math.min(...ecarts)).to.be.at.least(intervalle / 2 - 50);
    console.log(
      `      ${tours.length} purges en ${10 * intervalle} ms sur 2 nœuds (${tours.filter((t) => t.noeud === 0).length} + ${tours.filter((t) => t.noeud === 1).length})`,
    );
  });
});
