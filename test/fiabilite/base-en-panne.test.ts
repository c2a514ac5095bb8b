/**
 * Database faults, on a MariaDB server of the test's own: frozen (SIGSTOP), stopped, killed. While it is
 * away every request gets 503 BASE_INDISPONIBLE within the configured bounds (never a 500, never a hang)
 * and /ready says false within a second; once it is back, the gateway serves again with no manual step.
 * A bulk job cut by a freeze then by a kill of the database goes on by itself once the database is
 * back, and ends with every row of its file, once.
 * (Bounds are hang detectors; the closing counts are printed.)
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { ligneJournalExemple, opiExemple } from '../helpers/exemples';
import { mariaDbPrivee, type MariaDbPrivee } from '../helpers/mariadb-privee';
import { lireBase } from '../../src/config';
import { estBaseIndisponible } from '../../src/persistence/erreurs-base';
import { BASES } from '../helpers/bases';
import { aujourdhuiParis } from '../../src/application/horloge';

const DELAI_REQUETE_MS = 1500;
const DELAI_ACQUISITION_MS = 1500;

async function chrono<T>(f: () => Promise<T>): Promise<{ valeur: T; ms: number }> {
  const t = Date.now();
  const valeur = await f();
  return { valeur, ms: Date.now() - t };
}

const describeMariaDb = BASES.includes('mariadb') ? describe : describe.skip;

/** A process's state letter from /proc (T: stopped), for a failure's message. */
function etatProcessus(pid: number | undefined): string {
  try {
    return pid === undefined
      ? 'sans processus'
      : (readFileSync(`/proc/${pid}/stat`, 'utf8')
          .replace(/^.*\) /, '')
          .split(' ')[0] ?? '?');
  } catch (err) {
    return String(err);
  }
}

describeMariaDb('[mariadb] base en panne : gelée, arrêtée, tuée (serveur MariaDB propre au test)', function () {
  let db: MariaDbPrivee;
  let gw: PasserelleDeTest;
  const compte = { s503: 0, s500: 0, autres: 0 };
  before(async () => {
    db = await mariaDbPrivee();
    const config = { ...lireBase(db.url, 4), delaiRequeteMs: DELAI_REQUETE_MS, delaiAcquisitionMs: DELAI_ACQUISITION_MS };
    gw = await lancer('mariadb', {}, { nom: 'mariadb', config, supprimer: async () => undefined });
  });
  after(async () => {
    await gw?.fermer();
    await db?.supprimer();
    console.log(`      pendant les pannes : ${compte.s503} × 503, ${compte.s500} × 500, ${compte.autres} autres`);
  });

  const ecrire = async (code: string) => {
    const r = await gw.json('PUT', `/api/v1/opi/${code}`, opiExemple(code));
    if (r.status === 503) compte.s503++;
    else if (r.status >= 500) compte.s500++;
    return r;
  };
  const revenir = async (code: string) => {
    for (let i = 0; i < 150; i++) {
      const r = await gw.json('PUT', `/api/v1/opi/${code}`, opiExemple(code));
      if (r.status < 300) return r.status;
      expect(r.status, JSON.stringify(r.body)).to.equal(503);
      await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error('la passerelle ne sert pas de nouveau 30 s après le retour de la base');
  };

  it('gelée (SIGSTOP) : 8 écritures concurrentes → 503 BASE_INDISPONIBLE dans les délais, /ready faux en moins de 2 s ; dégelée : de nouveau servie', async () => {
    expect((await ecrire('EC26100001')).status).to.equal(201);
    db.geler();
    try {
      const r = await chrono(() => Promise.all(Array.from({ length: 8 }, (_, i) => ecrire(`EC2610001${i}`))));
      for (const x of r.valeur) {
        expect(x.status, JSON.stringify(x.body)).to.equal(503);
        expect(x.body.errors[0].code).to.equal('BASE_INDISPONIBLE');
      }
      expect(r.ms).to.be.below(4 * (DELAI_REQUETE_MS + DELAI_ACQUISITION_MS) + 10_000);
      const pret = await chrono(() => fetch(`${gw.url}/ready`));
      expect(pret.valeur.status).to.equal(503);
      expect(pret.ms).to.be.below(2000);
      console.log(`      gel : 8 écritures refusées en ${r.ms} ms, /ready faux en ${pret.ms} ms`);
    } finally {
      db.degeler();
    }
    expect(await revenir('EC26100002')).to.equal(201);
    expect((await fetch(`${gw.url}/ready`)).status).to.equal(200);
  });

  it('gelée : une ligne de journal écrite seule (renvoi inchangé, lecture, refus) finit en erreur « base indisponible » dans les délais, pas en attente sans fin', async () => {
    const ligne = ligneJournalExemple({ operation: 'opi.enregistrer', client: 'panne', requestId: 'gel-journal', cle: 'EC26100009', resultat: 'INCHANGE' });
    const unite = gw.p.services.unite;
    // A connection of the pool is open before the freeze: the statement is sent, and nothing answers.
    await unite.ecrireSeul((d) => d.journal.ecrirePlusieurs([{ ...ligne, requestId: 'avant-gel' }]));
    db.geler();
    try {
      const r = await chrono(() =>
        unite
          .ecrireSeul((d) => d.journal.ecrirePlusieurs([ligne]))
          .then(
            () => 'écrite',
            (e: unknown) => e,
          ),
      );
      // (Once seen written in a loaded CI run, never again: the message says whether the server was really stopped.)
      expect(r.valeur, `en ${r.ms} ms ; état du serveur : ${etatProcessus(db.processus?.pid)}`).to.be.instanceOf(Error);
      // The driver's query timeout (DATABASE_QUERY_TIMEOUT_MS) ends it: the pipeline answers 503.
      expect(estBaseIndisponible(r.valeur), String(r.valeur)).to.equal(true);
      expect(r.ms).to.be.below(DELAI_REQUETE_MS + DELAI_ACQUISITION_MS + 5_000);
      console.log(`      gel : ligne de journal seule refusée en ${r.ms} ms`);
    } finally {
      db.degeler();
    }
    expect(await revenir('EC26100008')).to.equal(201);
  });

  it('arrêtée puis tuée (kill -9) : 503 tant qu’elle manque, /ready faux ; redémarrée : servie sans rien faire', async () => {
    for (const brutal of [false, true]) {
      await db.arreter(brutal);
      for (let i = 0; i < 5; i++) {
        const r = await ecrire(`EC2620000${i}`);
        expect(r.status, `${brutal ? 'kill -9' : 'arrêt'} : ${JSON.stringify(r.body)}`).to.equal(503);
        expect(r.body.errors[0].code).to.equal('BASE_INDISPONIBLE');
      }
      expect((await fetch(`${gw.url}/ready`)).status).to.equal(503);
      await db.redemarrer();
      expect(await revenir(brutal ? 'EC26200010' : 'EC26200011')).to.equal(201);
    }
    expect(compte.s500).to.equal(0);
  });
  it('un chargement de 20 000 laissez-passer coupé par un gel puis par un kill -9 de la base : repris seul, fini avec chaque ligne une fois', async function () {
    this.timeout(180_000);
    const annee = aujourdhuiParis().slice(0, 4);
    const lignes = 20_000;
    const csv = [
      'typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet;codRgi',
      ...Array.from({ length: lignes }, (_, i) => `REINS;${annee};;${23000000 + i};LDRT2;2;1`),
    ].join('\n');
    const moteur = gw.p.services.chargements;
    const pannes: string[] = [];
    moteur.apresPaquet = async (_id, traitees) => {
      if (traitees === 3000) {
        pannes.push(`gel après ${traitees} lignes`);
        db.geler();
        setTimeout(() => db.degeler(), 4000);
      }
      if (traitees === 9000) {
        pannes.push(`kill -9 après ${traitees} lignes`);
        await db.arreter(true);
        setTimeout(() => void db.redemarrer(), 3000);
      }
    };
    try {
      const r = await fetch(`${gw.url}/api/v1/laissez-passer/bulk?mode=partial`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
      expect(r.status).to.equal(202);
      const { id } = (await r.json()) as { id: string };
      const t0 = Date.now();
      let etat: { etat: string; creees: number; lignesRejetees: number; lignesLues: number } | undefined;
      while (Date.now() - t0 < 120_000) {
        const e = await gw.json('GET', `/api/v1/jobs/${id}`);
        if (e.status === 200 && ['TERMINE', 'ECHOUE', 'REJETE', 'ANNULE'].includes(e.body.etat)) {
          etat = e.body;
          break;
        }
        await new Promise((ok) => setTimeout(ok, 250));
      }
      expect(pannes).to.have.length(2);
      expect(etat, 'le chargement ne finit pas').to.not.equal(undefined);
      expect(etat!.etat, JSON.stringify(etat)).to.equal('TERMINE');
      expect(etat!.lignesLues).to.equal(lignes);
      expect(etat!.lignesRejetees).to.equal(0);
      const n = Number((await gw.p.source.query("SELECT COUNT(*) AS n FROM laissez_passer WHERE codEtu LIKE '23%'"))[0].n);
      const doubles = Number(
        (
          await gw.p.source.query(
            "SELECT COUNT(*) AS n FROM (SELECT codEtu FROM laissez_passer WHERE codEtu LIKE '23%' GROUP BY codEtu, codEtp HAVING COUNT(*) > 1) x",
          )
        )[0].n,
      );
      expect(n).to.equal(lignes);
      expect(doubles).to.equal(0);
      console.log(
        `      chargement : ${pannes.join(', ')} ; fini ${etat!.etat} en ${Math.round((Date.now() - t0) / 1000)} s, ${n} LP en base, ${doubles} en double`,
      );
    } finally {
      moteur.apresPaquet = undefined;
      db.degeler();
      if (!db.processus) await db.redemarrer();
    }
  });
});
