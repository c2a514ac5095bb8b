/**
 * The write path's driver-level statements: what they store is what TypeORM would have stored, and an
 * OPI write costs the statements counted here (at the client, on both databases) — the figures the
 * performance benchmark reports from MariaDB's own counters.
 */
import { expect } from 'chai';
import type { Logger as LoggerTypeorm } from 'typeorm';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';
import { EntreeJournal } from '../../src/persistence/entities';
import { insererLignes } from '../../src/persistence/sql-portable';

/**
 * The statements of each transaction that wrote `individu_opi`, from START to COMMIT, seen by a TypeORM
 * logger put in place of the data source's own (grouped by query runner: the background tasks' own
 * transactions are not counted).
 */
function compterTransactions(gw: PasserelleDeTest): { transactions(): string[][]; arreter(): void } {
  const vues: { q: string; qr: unknown }[] = [];
  const source = gw.p.source as unknown as { logger: LoggerTypeorm };
  const avant = source.logger;
  source.logger = {
    logQuery: (q: string, _p?: unknown[], qr?: unknown) => {
      vues.push({ q, qr });
    },
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  return {
    arreter() {
      source.logger = avant;
    },
    transactions() {
      const sortie: string[][] = [];
      const courante: Map<unknown, string[]> = new Map();
      for (const { q, qr } of vues) {
        if (/^(START|BEGIN)/i.test(q)) courante.set(qr, []);
        const t = courante.get(qr);
        if (!t) continue;
        t.push(q);
        if (/^COMMIT/i.test(q)) {
          if (t.some((x) => /individu_opi/.test(x))) sortie.push(t);
          courante.delete(qr);
        }
      }
      return sortie;
    },
  };
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] écritures directes du chemin d'écriture`, function () {
    this.timeout(60_000);
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase);
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

    it('une OPI nouvelle coûte une transaction de 7 instructions, un renvoi inchangé 5, sans SET TRANSACTION répété', async () => {
      const envoyer = (code: string, nom: string) => gw.json('PUT', `/api/v1/opi/${code}`, opiExemple(code, { ine: null, nom, dateNai: '2004-02-03' }));
      // A first write warms the connection (its session isolation is set once, here).
      expect((await envoyer('EC24000090', 'Chaud')).status).to.equal(201);
      const compteur = compterTransactions(gw);
      try {
        expect((await envoyer('EC24000091', 'Premier')).status).to.equal(201);
        expect((await envoyer('EC24000091', 'Premier')).status).to.equal(200);
      } finally {
        compteur.arreter();
      }
      const [creation, renvoi] = compteur.transactions();
      // START, the locking read, individu, vœux (one multi-row INSERT), the duplicate search, journal, COMMIT.
      expect(creation, creation.join('\n')).to.have.length(7);
      // An unchanged OPI: START, the locking read, the duplicate search, its journal row, COMMIT.
      expect(renvoi, renvoi.join('\n')).to.have.length(5);
      expect([...creation, ...renvoi].filter((q) => /SET (SESSION )?TRANSACTION/i.test(q))).to.deep.equal([]);
      if (nomBase === 'mariadb') {
        const [r] = await gw.p.source.query('SELECT @@tx_isolation AS niveau');
        expect(r.niveau).to.equal('READ-COMMITTED');
      }
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
  });
}
