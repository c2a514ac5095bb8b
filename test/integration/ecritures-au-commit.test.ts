/**
 * Writes sent with the commit (persistence/ecritures-au-commit.ts): stored as sent, visible to the
 * statements that follow them, failing the whole transaction when they fail; on MariaDB, the packets
 * (round trips) a transaction then costs.
 */
import { expect } from 'chai';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { paquetsPendant } from '../helpers/instructions';
import { ligneJournalExemple } from '../helpers/exemples';
import { In } from 'typeorm';
import { EntreeJournal } from '../../src/persistence/entities';
import type { JournalLigne } from '../../src/application/enregistrements';

for (const nomBase of BASES) {
  describe(`[${nomBase}] écritures envoyées avec le commit`, function () {
    this.timeout(60_000);
    let gw: PasserelleDeTest;
    before(async () => {
      // Background tasks far apart: the packets seen are the test's own.
      gw = await lancer(nomBase, { JOB_LEASE_SECONDS: '3600', PARCOURSUP_NOTIF_INTERVALLE_MS: '3600000', RETENTION_INTERVALLE_HEURES: '0' });
    });
    after(() => gw?.fermer());

    const ligne = (cle: string, extra: Partial<JournalLigne> = {}) =>
      ligneJournalExemple({ porte: 'CLI', operation: 'test.commit', client: 'commit', requestId: cle, cle, resultat: 'OK', ...extra });
    /** The error a promise fails with (undefined if it succeeds). */
    const echecDe = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      );
    /** A transaction of `travail`, tried once: the error it fails with. */
    const transactionEnEchec = (travail: Parameters<PasserelleDeTest['p']['services']['unite']['executer']>[0]) =>
      echecDe(gw.p.services.unite.executer(travail, { tentatives: 1 }));
    const relue = (cle: string) => gw.p.source.manager.findOneBy(EntreeJournal, { cle });

    it("une ligne écrite avec le commit se relit telle qu'envoyée (apostrophes, ?, ;, barre oblique inverse) ; son id est donné après le commit", async () => {
      const texte = `l'a ? ; \\ "b" -- ; DELETE FROM journal; ? \\' ;`;
      const sortie = await gw.p.services.unite.executer(async (d) => ({ id: d.journal.ecrireAuCommit(ligne('ac-1', { details: texte })) }));
      const id = await sortie.id;
      const l = await relue('ac-1');
      expect(l?.id).to.equal(id);
      expect(l?.details).to.equal(texte);
    });

    it('les instructions qui suivent une écriture différée la voient, dans la même transaction', async () => {
      const vues = await gw.p.services.unite.executer(async (d) => {
        void d.journal.ecrireAuCommit(ligne('ac-2'));
        return (await d.journal.lire({ cle: ['ac-2'], limite: 5 })).length;
      });
      expect(vues).to.equal(1);
      expect(await relue('ac-2')).to.not.equal(null);
    });

    it("une écriture différée qui échoue fait échouer le commit : rien de la transaction ne reste, sa promesse est rejetée, aucun rejet n'est laissé sans suite", async () => {
      const nonTraites: unknown[] = [];
      const surRejet = (e: unknown) => nonTraites.push(e);
      process.on('unhandledRejection', surRejet);
      let promesse: Promise<number> | undefined;
      try {
        const echec = await transactionEnEchec(async (d) => {
          await d.journal.ecrire(ligne('ac-3'));
          // `operation` is NOT NULL: the deferred INSERT fails, in the COMMIT's packet (MariaDB) or just before it (SQLite).
          promesse = d.journal.ecrireAuCommit(ligne('ac-4', { operation: null as unknown as string }));
          return 'validée';
        });
        expect(echec, 'la transaction échoue').to.be.instanceOf(Error);
        expect(String(echec)).to.match(/operation/i);
        const rejet = await echecDe(promesse!);
        expect(rejet, 'la promesse de la ligne différée').to.be.instanceOf(Error);
        await new Promise((r) => setTimeout(r, 20));
        expect(nonTraites).to.deep.equal([]);
      } finally {
        process.off('unhandledRejection', surRejet);
      }
      expect(await relue('ac-3'), 'la ligne écrite avant, annulée avec la transaction').to.equal(null);
      expect(await relue('ac-4')).to.equal(null);
    });

    it("une écriture différée qui échoue, son erreur avalée par l'appelant : le commit est refusé quand même, rien ne reste", async () => {
      const echec = await transactionEnEchec(async (d) => {
        await d.journal.ecrire(ligne('ac-8'));
        void d.journal.ecrireAuCommit(ligne('ac-9', { porte: null as unknown as string }));
        // The failing row goes with this read (MariaDB) or just before it (SQLite): its error, swallowed here.
        await d.journal.lire({ cle: ['ac-8'], limite: 1 }).catch(() => undefined);
        return 'validée';
      });
      expect(echec, 'la transaction échoue').to.be.instanceOf(Error);
      expect(await relue('ac-8')).to.equal(null);
      expect(await relue('ac-9')).to.equal(null);
    });

    if (nomBase === 'mariadb') {
      it("MariaDB : plus d'un million de caractères différés partent en plusieurs paquets, dans l'ordre ; si l'un échoue, les suivants et COMMIT ne partent pas", async () => {
        const gros = (cle: string, extra: Partial<JournalLigne> = {}) => ligne(cle, { details: 'x'.repeat(60_000), ...extra });
        const cles = Array.from({ length: 30 }, (_, i) => `ac-g${i}`);
        const paquets = await paquetsPendant(gw, () =>
          gw.p.services.unite.executer(async (d) => {
            for (const c of cles) void d.journal.ecrireAuCommit(gros(c));
            return 1;
          }),
        );
        const envoyes = paquets.filter((p) => !p.startsWith('SET SESSION'));
        expect(envoyes.length, 'plusieurs paquets').to.be.within(2, 4);
        expect(envoyes.every((p) => p.length <= 1_100_000)).to.equal(true);
        expect(envoyes[envoyes.length - 1]).to.match(/;\nCOMMIT$/);
        expect(await gw.p.source.manager.countBy(EntreeJournal, { cle: In(cles) })).to.equal(30);

        const autres = Array.from({ length: 30 }, (_, i) => `ac-h${i}`);
        const enEchec = await paquetsPendant(gw, () =>
          gw.p.services.unite
            .executer(
              async (d) => {
                for (const [i, c] of autres.entries()) void d.journal.ecrireAuCommit(gros(c, i === 0 ? { porte: null as unknown as string } : {}));
                return 1;
              },
              { tentatives: 1 },
            )
            .catch((e: unknown) => e),
        );
        const sansSession = enEchec.filter((p) => !p.startsWith('SET SESSION'));
        expect(
          sansSession.filter((p) => p.includes('COMMIT')),
          'aucun COMMIT envoyé',
        ).to.deep.equal([]);
        expect(sansSession[sansSession.length - 1]).to.equal('ROLLBACK');
        expect(await gw.p.source.manager.countBy(EntreeJournal, { cle: In(autres) })).to.equal(0);
      });

      it('MariaDB : START TRANSACTION part avec la première instruction, les écritures différées avec COMMIT ; une transaction annulée avant toute instruction ne coûte aucun paquet', async () => {
        // (A connection new to the pool first sets its session's isolation: not part of the transaction.)
        const sansSession = (l: string[]) => l.filter((p) => !p.startsWith('SET SESSION'));
        const paquets = sansSession(
          await paquetsPendant(gw, () =>
            gw.p.services.unite.executer(async (d) => {
              await d.journal.ecrire(ligne('ac-5'));
              void d.journal.ecrireAuCommit(ligne('ac-6'));
              void d.journal.ecrireAuCommit(ligne('ac-7'));
              return 1;
            }),
          ),
        );
        expect(paquets, paquets.join('\n---\n')).to.have.length(2);
        expect(paquets[0]).to.match(/^START TRANSACTION;\nINSERT INTO `journal` .*'ac-5'/s);
        expect(paquets[1]).to.match(/^INSERT INTO `journal` .*'ac-6'.*;\nINSERT INTO `journal` .*'ac-7'.*;\nCOMMIT$/s);
        expect((await gw.p.source.manager.findBy(EntreeJournal, { operation: 'test.commit', client: 'commit' })).map((l) => l.cle)).to.include.members([
          'ac-5',
          'ac-6',
          'ac-7',
        ]);
        const annulee = await paquetsPendant(gw, () =>
          gw.p.services.unite
            .executer(
              async () => {
                throw new Error('annulée avant toute instruction');
              },
              { tentatives: 1 },
            )
            .catch(() => undefined),
        );
        expect(sansSession(annulee)).to.deep.equal([]);
      });
    }
  });
}
