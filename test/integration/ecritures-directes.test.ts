/**
 * The write path's driver-level statements: what they store is what TypeORM would have stored, and an
 * OPI write costs the statements counted here (at the client, on both databases) — the figures the
 * performance benchmark reports from MariaDB's own counters.
 */
import { expect } from 'chai';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { instructionsPendant, paquetsPendant } from '../helpers/instructions';
import { opiExemple } from '../helpers/exemples';
import { EntreeJournal } from '../../src/persistence/entities';
import type { JournalLigne } from '../../src/application/enregistrements';
import { insererLignes, instructionMiseAJour, TexteMysql } from '../../src/persistence/sql-portable';
import { aujourdhuiParis } from '../../src/application/horloge';

for (const nomBase of BASES) {
  describe(`[${nomBase}] écritures directes du chemin d'écriture`, function () {
    this.timeout(60_000);
    let gw: PasserelleDeTest;
    before(async () => {
      // The job sweep, the outbox and the retention purge far apart: a request's statements alone.
      gw = await lancer(nomBase, { JOB_LEASE_SECONDS: '3600', PARCOURSUP_NOTIF_INTERVALLE_MS: '3600000', RETENTION_INTERVALLE_HEURES: '0' });
    });
    after(() => gw?.fermer());

    it('une ligne insérée par le pilote se relit comme celle que TypeORM insère (dates, vides, valeurs par défaut)', async () => {
      const recuLe = new Date('2026-07-14T08:09:10.123Z');
      const ligne = {
        recuLe,
        porte: 'REST',
        operation: 'opi.enregistrer',
        client: 'ecriture-directe',
        requestId: 'r-1',
        cle: 'EC24000001',
        individu: 'OPI:EC24000001',
        empreinte: null,
        resultat: 'CREE',
        statut: 201,
        codes: null,
        dureeMs: 3,
        details: '[{"code":"X"}]',
      };
      const em = gw.p.source.manager;
      const direct = await insererLignes(em, EntreeJournal, [ligne]);
      const orm = (await em.insert(EntreeJournal, ligne)).identifiers[0].id as number;
      expect(direct).to.be.a('number').above(0);
      const [a, b] = await Promise.all([em.findOneByOrFail(EntreeJournal, { id: direct }), em.findOneByOrFail(EntreeJournal, { id: orm })]);
      expect({ ...a, id: 0 }).to.deep.equal({ ...b, id: 0 });
      expect(a.recuLe.toISOString()).to.equal(recuLe.toISOString());
      // `nombre` and `rejeuDe` were left out: the column defaults apply, as with the ORM.
      expect(a.nombre).to.equal(1);
      expect(a.rejeuDe).to.equal(null);
    });

    it("des textes longs pleins de guillemets, d'apostrophes, d'antislashs et de caractères de contrôle : relus à l'identique, insérés puis mis à jour", async () => {
      const piege = `{"nom":"d'Ys \\"l'Étoile\\"","chemin":"C:\\\\dossier\\\\x","vide":"''","sql":"\\'; DROP TABLE x; --","nul":"\u0000\b\t\n\r\u001a","emoji":"😀","pct":"%_"}`;
      const textes = [piege.repeat(3), `${'"'.repeat(200)}\\'`, `${"'".repeat(150)}\\`, `${'x'.repeat(127)}'`, `\\${'\\'.repeat(300)}`];
      for (const t of textes) expect(t.length).to.be.at.least(128);
      const base = { recuLe: new Date(), porte: 'CLI', operation: 'test.textes', client: 'textes', resultat: 'OK', statut: 200, dureeMs: 0 };
      const em = gw.p.source.manager;
      const ids: number[] = [];
      for (const [i, t] of textes.entries()) ids.push(await insererLignes(em, EntreeJournal, [{ ...base, requestId: `t-${i}`, details: t }]));
      for (const [i, id] of ids.entries()) expect((await em.findOneByOrFail(EntreeJournal, { id })).details).to.equal(textes[i]);
      // Several rows in one INSERT, then an UPDATE of each with the next one's text.
      await insererLignes(
        em,
        EntreeJournal,
        textes.map((t, i) => ({ ...base, requestId: `m-${i}`, details: t })),
      );
      const lues = await em.find(EntreeJournal, { where: { operation: 'test.textes' }, order: { requestId: 'ASC' } });
      expect(lues.filter((l) => l.requestId.startsWith('m-')).map((l) => l.details)).to.deep.equal(textes);
      for (const [i, id] of ids.entries()) {
        const { sql, parametres } = instructionMiseAJour(em, EntreeJournal, id, { details: textes[(i + 1) % textes.length] });
        await em.query(sql, parametres);
      }
      for (const [i, id] of ids.entries()) expect((await em.findOneByOrFail(EntreeJournal, { id })).details).to.equal(textes[(i + 1) % textes.length]);
      // In a query's log line (TypeORM writes its parameters as JSON), the text as it was.
      expect(JSON.stringify([new TexteMysql(piege)])).to.equal(JSON.stringify([piege]));
      if (nomBase !== 'mariadb') return;
      // The literal itself, read back by the server, in both of its quoting modes.
      const qr = gw.p.source.createQueryRunner();
      try {
        for (const t of textes) expect((await qr.query(`SELECT ${new TexteMysql(t).toSqlString()} AS t`))[0].t).to.equal(t);
        await qr.query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
        for (const t of textes) expect((await qr.query(`SELECT ${new TexteMysql(t).toSqlString({ noBackslashEscapes: true })} AS t`))[0].t).to.equal(t);
      } finally {
        await qr.query('SET SESSION sql_mode = DEFAULT');
        await qr.release();
      }
    });

    it('plusieurs lignes en une instruction ; aucune ligne : aucune instruction', async () => {
      const base = { recuLe: new Date(), porte: 'CLI', operation: 'test.multi', client: 'multi', requestId: 'm', resultat: 'OK', statut: 200, dureeMs: 0 };
      const instructions = await gw.p.services.unite.executerSql(async (em) => {
        const qr = em.queryRunner as unknown as { query(q: string, p?: unknown[]): Promise<unknown> };
        const envoyees: string[] = [];
        const query = qr.query.bind(qr);
        qr.query = (q, p) => {
          envoyees.push(q);
          return query(q, p);
        };
        await insererLignes(em, EntreeJournal, [
          { ...base, cle: 'a' },
          { ...base, cle: 'b' },
          { ...base, cle: 'c' },
        ]);
        await insererLignes(em, EntreeJournal, []);
        // (SQLite's query runner is the connection's only one: put back before the COMMIT.)
        qr.query = query;
        return envoyees;
      });
      expect(instructions, instructions.join('\n')).to.have.length(1);
      expect((await gw.p.source.manager.findBy(EntreeJournal, { operation: 'test.multi' })).map((l) => l.cle).sort()).to.deep.equal(['a', 'b', 'c']);
    });

    it('lignes de journal de formes diverses en un INSERT : chaque valeur relue, même absente de la première ligne', async () => {
      const base = { recuLe: new Date(), porte: 'REST', operation: 'test.formes', client: 'formes', resultat: 'OK', statut: 200, dureeMs: 0, nombre: 1 };
      const premiere = {
        ...base,
        requestId: 'f-1',
        cle: undefined,
        individu: undefined,
        empreinte: null,
        codes: null,
        details: null,
      } as unknown as JournalLigne;
      const seconde = {
        ...base,
        requestId: 'f-2',
        cle: 'FO24000002',
        individu: 'OPI:FO24000002',
        empreinte: 'e'.repeat(64),
        codes: 'X',
        details: '[]',
        rejeuDe: 7,
      };
      await gw.p.services.unite.ecrireSeul((d) => d.journal.ecrirePlusieurs([premiere, seconde]));
      const lues = await gw.p.source.manager.find(EntreeJournal, { where: { operation: 'test.formes' }, order: { requestId: 'ASC' } });
      expect(lues.map((l) => [l.requestId, l.cle, l.individu, l.codes, l.details, l.rejeuDe, l.nombre])).to.deep.equal([
        ['f-1', null, null, null, null, null, 1],
        ['f-2', 'FO24000002', 'OPI:FO24000002', 'X', '[]', 7, 1],
      ]);
    });

    it('une OPI nouvelle : 6 instructions dont une transaction (sur MariaDB, en 3 allers-retours) ; un renvoi inchangé : 2 instructions sans transaction', async () => {
      const envoyer = (code: string, nom: string) => gw.json('PUT', `/api/v1/opi/${code}`, opiExemple(code, { ine: null, nom, dateNai: '2004-02-03' }));
      // A first write warms the connection (its session isolation is set once, here).
      expect((await envoyer('EC24000090', 'Chaud')).status).to.equal(201);
      const creation = await instructionsPendant(gw, async () => expect((await envoyer('EC24000091', 'Premier')).status).to.equal(201));
      const renvoi = await instructionsPendant(gw, async () => expect((await envoyer('EC24000091', 'Premier')).status).to.equal(200));
      const texte = (l: { q: string }[]) => l.map((x) => x.q).join('\n');
      // The stored hash with the duplicate search (none: a new OPI), then one transaction: START,
      // individu (the unique key is the check, no locking read), vœux (one multi-row INSERT), journal, COMMIT.
      expect(creation, texte(creation)).to.have.length(6);
      expect(creation[0].q).to.match(/^SELECT \(i.codOpiIntEpo = \?\) AS soi, i.version, i.empreinte/);
      const transaction = creation.slice(1);
      expect(new Set(transaction.map((x) => x.qr)).size, 'une seule connexion').to.equal(1);
      expect(transaction.map((x) => x.q.split(' (')[0].split(' ').slice(0, 3).join(' '))).to.deep.equal(
        nomBase === 'sqlite'
          ? ['BEGIN TRANSACTION', 'INSERT INTO "individu_opi"', 'INSERT INTO "voeu_opi"', 'INSERT INTO "journal"', 'COMMIT']
          : ['START TRANSACTION', 'INSERT INTO `individu_opi`', 'INSERT INTO `voeu_opi`', 'INSERT INTO `journal`', 'COMMIT'],
      );
      // Unchanged: the stored hash with the duplicate search (one query: no candidate, so no pair to
      // read), then its journal row — no transaction, nothing else written.
      expect(renvoi, texte(renvoi)).to.have.length(2);
      expect(renvoi[0].q).to.match(/^SELECT \(i.codOpiIntEpo = \?\) AS soi, .* FROM individu_opi i WHERE i.codOpiIntEpo = \? OR \(i.cleNomPat = \?/);
      expect(renvoi[1].q).to.match(/^INSERT INTO .journal./);
      expect(texte([...creation, ...renvoi])).to.not.match(/SET (SESSION )?TRANSACTION/);
      const [ligne] = await gw.p.source.query("SELECT resultat, statut FROM journal WHERE cle = 'EC24000091' ORDER BY id DESC LIMIT 1");
      expect(ligne).to.deep.include({ resultat: 'INCHANGE', statut: 200 });
      if (nomBase === 'mariadb') {
        const [r] = await gw.p.source.query('SELECT @@tx_isolation AS niveau');
        expect(r.niveau).to.equal('READ-COMMITTED');
        // Three round trips for the six statements: the read; START with the individu; the vœux and the journal row with COMMIT.
        const paquets = (await paquetsPendant(gw, async () => expect((await envoyer('EC24000092', 'Second')).status).to.equal(201))).filter(
          (p) => !p.startsWith('SET SESSION'),
        );
        expect(paquets, paquets.join('\n---\n')).to.have.length(3);
        expect(paquets.map((p) => p.split('\n').map((x) => x.split(' (')[0].split(' ').slice(0, 3).join(' ')))).to.deep.equal([
          ['SELECT'],
          ['START TRANSACTION;', 'INSERT INTO `individu_opi`'],
          ['INSERT INTO `voeu_opi`', 'INSERT INTO `journal`', 'COMMIT'],
        ]);
      }
    });

    it("avec Idempotency-Key : l'enregistrement de la réponse part avec COMMIT (sur MariaDB) ; le renvoi est rejoué", async () => {
      const lp = (codEtu: string) => ({
        typLpa: 'REINS',
        codAnu: aujourdhuiParis().slice(0, 4),
        codEtu,
        codEtp: 'LDRT2',
        codVrsVet: 2,
        codRgi: '1',
        codStu: '01',
        codCatExoExt: 'DN',
      });
      const envoyer = (codEtu: string, cle: string) => gw.json('POST', '/api/v1/laissez-passer', lp(codEtu), { 'idempotency-key': cle });
      // A first one warms what a first request reads (credentials, nomenclatures).
      expect((await envoyer('21009700', 'cle-ec-96')).status).to.equal(201);
      let premiere: { status: number; body: unknown } | undefined;
      const paquets =
        nomBase === 'mariadb'
          ? await paquetsPendant(gw, async () => {
              premiere = await envoyer('21009701', 'cle-ec-97');
            })
          : [];
      if (nomBase !== 'mariadb') premiere = await envoyer('21009701', 'cle-ec-97');
      expect(premiere?.status).to.equal(201);
      if (nomBase === 'mariadb') {
        const dernier = paquets[paquets.length - 1];
        expect(dernier, paquets.join('\n---\n')).to.match(/\nINSERT INTO `idempotence` [^\n]*'cle-ec-97'[^\n]*;\nCOMMIT$/s);
      }
      const deuxieme = await envoyer('21009701', 'cle-ec-97');
      expect(deuxieme.status).to.equal(201);
      expect(deuxieme.headers.get('idempotent-replayed')).to.equal('true');
      expect(deuxieme.body).to.deep.equal(premiere?.body);
      const [rec] = await gw.p.source.query("SELECT statut FROM idempotence WHERE cle = 'cle-ec-97'");
      expect(Number(rec.statut)).to.equal(201);
    });

    it('un fichier de LP : les compteurs du job ajoutés au paquet, partis avec son COMMIT sur MariaDB', async () => {
      const annee = aujourdhuiParis().slice(0, 4);
      const csv = [
        'typLpa;codAnu;codEtu;codEtp;codVrsVet;codRgi;codStu;codCatExoExt',
        ...[1, 2, 3].map((i) => `REINS;${annee};2100980${i};LDRT2;2;1;01;DN`),
      ].join('\n');
      let r: { status: number; texte: string } | undefined;
      const envoyer = async () => {
        const rep = await fetch(`${gw.url}/api/v1/laissez-passer/bulk?attendre=1`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
        r = { status: rep.status, texte: await rep.text() };
      };
      let paquets: string[] = [];
      if (nomBase === 'mariadb') paquets = await paquetsPendant(gw, envoyer);
      else await envoyer();
      expect(r?.status, r?.texte).to.equal(200);
      const job = JSON.parse(r!.texte);
      expect(job).to.include({ etat: 'TERMINE', lignesLues: 3, creees: 3, lignesRejetees: 0 });
      const [stocke] = await gw.p.source.query('SELECT lignesLues, lignesTraitees, creees FROM job WHERE id = ?', [job.id]);
      expect([stocke.lignesLues, stocke.lignesTraitees, stocke.creees].map(Number)).to.deep.equal([3, 3, 3]);
      if (nomBase === 'mariadb') {
        const avecCompteurs = paquets.filter((p) => p.includes('UPDATE `job` SET `lignesLues` = `lignesLues` + 3'));
        expect(avecCompteurs, paquets.join('\n---\n')).to.have.length(1);
        expect(avecCompteurs[0]).to.match(/UPDATE `job` SET `lignesLues` = `lignesLues` \+ 3, [^\n]*`creees` = `creees` \+ 3, [^\n]*;\nCOMMIT$/);
      }
    });

    it("une OPI modifiée : la recherche de doublons de la lecture sans verrou n'est pas refaite ; sur MariaDB, la transaction en 2 allers-retours (le doublon trouvé enregistré avec COMMIT)", async () => {
      const envoyer = (code: string, nom: string, decision = 'F') => {
        const corps = opiExemple(code, { ine: null, nom, dateNai: '2004-07-08' });
        for (const v of corps.voeux ?? []) v.codDecVeu = decision;
        return gw.json('PUT', `/api/v1/opi/${code}`, corps);
      };
      expect((await envoyer('EC24000095', 'Homonyme')).status).to.equal(201);
      expect((await envoyer('EC24000096', 'Autre')).status).to.equal(201);
      // B takes A's civil identity (and another decision): a possible duplicate, found by the read.
      let reponse: { status: number } | undefined;
      const vues: { q: string }[] = [];
      const modifier = async () => {
        vues.push(
          ...(await instructionsPendant(gw, async () => {
            reponse = await envoyer('EC24000096', 'Homonyme', 'O');
          })),
        );
      };
      const paquets = nomBase === 'mariadb' ? await paquetsPendant(gw, modifier) : [];
      if (nomBase !== 'mariadb') await modifier();
      expect(reponse?.status).to.equal(200);
      const texte = vues.map((x) => x.q).join('\n');
      expect(
        vues.map((x) => x.q.split(' (')[0].split(' ').slice(0, 3).join(' ')),
        texte,
      ).to.deep.equal(
        nomBase === 'sqlite'
          ? [
              'SELECT',
              'SELECT individuOpiId, individuOpiIdExistant,',
              'BEGIN TRANSACTION',
              'SELECT id, version,',
              'UPDATE "individu_opi" SET',
              'DELETE FROM voeu_opi',
              'INSERT INTO "voeu_opi"',
              'INSERT INTO "doublon_opi"',
              'INSERT INTO "journal"',
              'COMMIT',
            ]
          : [
              'SELECT',
              'SELECT individuOpiId, individuOpiIdExistant,',
              'START TRANSACTION',
              'SELECT id, version,',
              'UPDATE `individu_opi` SET',
              'DELETE FROM voeu_opi',
              'INSERT INTO `voeu_opi`',
              'INSERT INTO `doublon_opi`',
              'INSERT INTO `journal`',
              'COMMIT',
            ],
      );
      const [b] = await gw.p.source.query("SELECT id, version, libNomPatIndOpi FROM individu_opi WHERE codOpiIntEpo = 'EC24000096'");
      expect([Number(b.version), b.libNomPatIndOpi]).to.deep.equal([2, 'HOMONYME']);
      expect((await gw.p.source.query('SELECT COUNT(*) AS n FROM doublon_opi WHERE individuOpiId = ?', [b.id]))[0].n).to.satisfy(
        (n: unknown) => Number(n) >= 1,
      );
      if (nomBase === 'mariadb') {
        const envoyes = paquets.filter((p) => !p.startsWith('SET SESSION'));
        expect(
          envoyes.map((p) => p.split('\n').length),
          envoyes.join('\n---\n'),
        ).to.deep.equal([1, 1, 2, 6]);
      }
    });

    it('renvois inchangés, lectures et refus simultanés : une ligne de journal chacun ; sur MariaDB, groupées en moins d’INSERT que de lignes', async () => {
      const corps = (i: number) => opiExemple(`EC2400030${i}`, { ine: null, nom: `Groupe${i}`, dateNai: '2004-05-06' });
      for (let i = 0; i < 5; i++) expect((await gw.json('PUT', `/api/v1/opi/EC2400030${i}`, corps(i))).status).to.equal(201);
      const envois = Array.from({ length: 100 }, (_, n) => {
        const i = n % 5;
        const id = { 'x-request-id': `groupe-${n}` };
        if (n % 5 === 3) return gw.json('GET', `/api/v1/opi/EC2400030${i}`, undefined, id);
        if (n % 5 === 4) return gw.json('PUT', `/api/v1/opi/EC2400030${i}`, { individu: { codOpiIntEpo: `EC2400030${i}` } }, id);
        return gw.json('PUT', `/api/v1/opi/EC2400030${i}`, corps(i), id);
      });
      let reponses: Awaited<(typeof envois)[number]>[] = [];
      const vues = await instructionsPendant(gw, async () => {
        reponses = await Promise.all(envois);
      });
      const attendu = (n: number) => (n % 5 === 3 ? 200 : n % 5 === 4 ? 422 : 200);
      expect(reponses.map((r) => r.status)).to.deep.equal(Array.from({ length: 100 }, (_, n) => attendu(n)));
      const lignes: { requestId: string; resultat: string; statut: number }[] = await gw.p.source.query(
        "SELECT requestId, resultat, statut FROM journal WHERE requestId LIKE 'groupe-%'",
      );
      // Every request answered has its row, exactly one, with its outcome.
      expect(lignes).to.have.length(100);
      const parRequete = new Map(lignes.map((l) => [l.requestId, l]));
      for (let n = 0; n < 100; n++) {
        const l = parRequete.get(`groupe-${n}`);
        expect(l, `groupe-${n}`).to.not.equal(undefined);
        expect(l!.statut).to.equal(attendu(n));
        expect(l!.resultat).to.equal(n % 5 === 3 ? 'LU' : n % 5 === 4 ? 'REJETE' : 'INCHANGE');
      }
      const inserts = vues.filter((v) => /^INSERT INTO .journal./.test(v.q));
      // SQLite answers each statement at once (the driver is synchronous): nothing waits, nothing to group.
      expect(inserts.length).to.be.within(1, nomBase === 'sqlite' ? 100 : 99);
      console.log(`      ${nomBase} : 100 lignes de journal en ${inserts.length} INSERT`);
      expect(
        vues.filter((v) => /^(START|BEGIN) TRANSACTION/.test(v.q)),
        'aucune transaction',
      ).to.have.length(0);
    });

    it('le même individu envoyé sous un autre numéro : doublon signalé à chaque envoi, enregistré une fois par motif', async () => {
      const corps = (code: string) => opiExemple(code, { ine: null, nom: 'Jumeau', prenom: 'Alex', dateNai: '2003-03-03', codEtu: 41000123 });
      expect((await gw.json('PUT', '/api/v1/opi/EC24000201', corps('EC24000201'))).status).to.equal(201);
      for (let i = 0; i < 2; i++) {
        const r = await gw.json('PUT', '/api/v1/opi/EC24000202', corps('EC24000202'));
        expect(r.status).to.equal(i === 0 ? 201 : 200);
        expect(r.body.avertissements.map((a: { code: string }) => a.code).sort()).to.deep.equal(['DOUBLON_COD_ETU', 'DOUBLON_ETAT_CIVIL']);
      }
      const lue = await gw.json('GET', '/api/v1/opi/EC24000202');
      expect(lue.body.doublons.map((d: { motif: string }) => d.motif).sort()).to.deep.equal(['DOUBLON_COD_ETU', 'DOUBLON_ETAT_CIVIL']);
    });

    it("plus de 50 homonymes : l'état de l'OPI lu quand même, 50 candidats au plus, un renvoi inchangé répondu 200 sans écriture", async () => {
      const code = (i: number) => `EC2400${String(500 + i).padStart(4, '0')}`;
      const corps = (i: number) => opiExemple(code(i), { ine: null, nom: 'Homonyme', prenom: 'Sam', dateNai: '2002-02-02' });
      for (let i = 0; i < 56; i++) expect((await gw.json('PUT', `/api/v1/opi/${code(i)}`, corps(i))).status).to.equal(201);
      const [ligne] = await gw.p.source.query(
        'SELECT id, version, empreinte, codEtuOpi, codNneIndOpi, codCleNneIndOpi, cleNomPat, clePr1, dateNaiIndOpi FROM individu_opi WHERE codOpiIntEpo = ?',
        [code(55)],
      );
      // The last one created: past the limit in index order, its own row is read on its own.
      const lu = await gw.p.services.unite.lireBorne((d) =>
        d.opi.etatEtCandidats(code(55), { ...ligne, codOpiIntEpo: code(55), codEtuOpi: ligne.codEtuOpi === null ? null : Number(ligne.codEtuOpi) }),
      );
      expect(lu.etat).to.deep.equal({ id: Number(ligne.id), version: 1, empreinte: ligne.empreinte });
      expect(lu.candidats).to.have.length(50);
      expect(lu.candidats.map((c) => c.codOpiIntEpo)).to.not.include(code(55));
      expect(
        lu.candidats.every((c) => c.motifsConnus.includes('DOUBLON_ETAT_CIVIL')),
        'les paires enregistrées à la création',
      ).to.equal(true);
      const renvoi = await instructionsPendant(gw, async () => {
        const r = await gw.json('PUT', `/api/v1/opi/${code(55)}`, corps(55));
        expect(r.status).to.equal(200);
        expect(r.body).to.include({ resultat: 'INCHANGE', version: 1 });
      });
      expect(
        renvoi.filter((x) => /^(START|BEGIN) TRANSACTION|^(UPDATE|DELETE)/.test(x.q)),
        'rien écrit hors journal',
      ).to.have.length(0);
    });
  });
}
