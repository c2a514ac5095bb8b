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
        const echec = await gw.p.services.unite
          .executer(
            async (d) => {
              await d.journal.ecrire(ligne('ac-3'));
              // `operation` is NOT NULL: the deferred INSERT fails, in the COMMIT's packet (MariaDB) or just before it (SQLite).
              promesse = d.journal.ecrireAuCommit(ligne('ac-4', { operation: null as unknown as string }));
              return 'validée';
            },
            { tentatives: 1 },
          )
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(echec, 'la transaction échoue').to.be.instanceOf(Error);
        expect(String(echec)).to.match(/operation/i);
        const rejet = await promesse!.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(rejet, 'la promesse de la ligne différée').to.be.instanceOf(Error);
        await new Promise((r) => setTimeout(r, 20));
        expect(nonTraites).to.deep.equal([]);
      } finally {
        process.off('unhandledRejection', surRejet);
      }
      expect(await relue('ac-3'), 'la ligne écrite avant, annulée avec la transaction').to.equal(null);
      expect(await relue('ac-4')).to.equal(null);
    });

    if (nomBase === 'mariadb') {
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
