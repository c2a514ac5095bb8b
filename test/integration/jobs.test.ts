/** The job engine seen from outside: dry-run, cancellation at a chunk boundary, the job list. */
import { TAILLE_PAQUET } from '../../src/application/jobs/moteur';
import { expect } from 'chai';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { LaissezPasserEntite } from '../../src/persistence/entities';
import { aujourdhuiParis } from '../../src/application/horloge';

const ANNEE = aujourdhuiParis().slice(0, 4);
const ENTETE = 'typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet;codRgi;codStu;codCatExoExt';

/** `n` rows; every 97th has an unknown étape, every 89th an unknown régime. */
function fichier(n: number, debut: number): string {
  const lignes = Array.from({ length: n }, (_, i) => {
    const etape = i % 97 === 5 ? 'ZZZZ1' : 'LDRT2';
    const regime = i % 89 === 7 ? '9' : '1';
    return `REINS;${ANNEE};;${debut + i};${etape};2;${regime};01;DN`;
  });
  return [ENTETE, ...lignes].join('\n');
}

const CLE_SCOLARITE = 'cle-de-test-scolarite-0001';

async function charger(gw: PasserelleDeTest, corps: string, query: string) {
  const r = await fetch(`${gw.url}/api/v1/laissez-passer/bulk?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', 'x-api-key': CLE_SCOLARITE },
    body: corps,
  });
  return { status: r.status, body: (await r.json()) as any };
}

async function tousLesRejets(gw: PasserelleDeTest, id: string) {
  return (await gw.json('GET', `/api/v1/jobs/${id}/rejets`)).body.rejets.map((r: { ligne: number; erreurs: unknown }) => ({
    ligne: r.ligne,
    erreurs: r.erreurs,
  }));
}

const COMPTES = ['etat', 'mode', 'lignesLues', 'lignesEcrites', 'lignesRejetees', 'creees', 'misesAJour', 'inchangees'] as const;
const comptes = (j: Record<string, unknown>) => Object.fromEntries(COMPTES.map((k) => [k, j[k]]));

for (const nomBase of BASES) {
  describe(`[${nomBase}] moteur de jobs`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      // Authenticated: the job list names who sent each file.
      gw = await lancer(nomBase, { API_KEYS: `scolarite:${CLE_SCOLARITE}` }, undefined, { cleParDefaut: CLE_SCOLARITE });
    });
    after(async () => {
      await gw?.fermer();
    });
    const compter = () => gw.p.source.getRepository(LaissezPasserEntite).count();

    for (const mode of ['partial', 'all-or-nothing']) {
      it(`simulation (${mode}) : tout est vérifié, rien n'est écrit, et le rapport est celui du vrai chargement`, async () => {
        const debut = mode === 'partial' ? 31000000 : 32000000;
        const contenu = fichier(1200, debut);
        const avant = await compter();
        const journalAvant = (await gw.json('GET', '/api/v1/journal?operation=lp.chargement.ligne&limite=1000')).body.entrees.length;
        const sim = await charger(gw, contenu, `mode=${mode}&simulation=true&attendre=1`);
        expect(sim.status).to.equal(200);
        expect(sim.body.simulation).to.equal(true);
        expect(await compter(), "une simulation n'écrit aucun laissez-passer").to.equal(avant);
        expect((await gw.json('GET', '/api/v1/journal?operation=lp.chargement.ligne&limite=1000')).body.entrees.length).to.equal(journalAvant);
        const reel = await charger(gw, contenu, `mode=${mode}&attendre=1`);
        expect(reel.body.simulation).to.equal(false);
        expect(comptes(sim.body)).to.deep.equal(comptes(reel.body));
        expect(await tousLesRejets(gw, sim.body.id)).to.deep.equal(await tousLesRejets(gw, reel.body.id));
        const rejetees = sim.body.lignesRejetees as number;
        expect(rejetees).to.be.greaterThan(20);
        if (mode === 'partial') {
          expect(sim.body).to.include({ etat: 'TERMINE', creees: 1200 - rejetees });
          expect(await compter()).to.equal(avant + 1200 - rejetees);
        } else {
          expect(sim.body).to.include({ etat: 'REJETE', creees: 0 });
          expect(await compter()).to.equal(avant);
        }
      });
    }

    it("simulation d'un fichier sans erreur en tout-ou-rien : TERMINE avec les comptes, rien d'écrit", async () => {
      const lignes = Array.from({ length: 700 }, (_, i) => `REINS;${ANNEE};;${33000000 + i};LDRT2;2;1;01;DN`);
      const avant = await compter();
      const sim = await charger(gw, [ENTETE, ...lignes].join('\n'), 'mode=all-or-nothing&simulation=1&attendre=1');
      expect(sim.body).to.include({ etat: 'TERMINE', creees: 700, lignesLues: 700, simulation: true });
      expect(await compter()).to.equal(avant);
    });

    it("annulation : le chargement s'arrête à la frontière de paquet suivante (ANNULE) ; ce qui a été validé reste et est compté", async () => {
      const moteur = gw.p.services.chargements;
      let id = '';
      moteur.apresPaquet = async (jobId, traitees) => {
        if (traitees !== TAILLE_PAQUET) return;
        const r = await gw.json('POST', `/api/v1/jobs/${jobId}/annulation`);
        expect(r.status).to.equal(202);
        expect(r.body.resultat).to.equal('ANNULATION_DEMANDEE');
        id = jobId;
      };
      try {
        const avant = await compter();
        const lignes = Array.from({ length: 1300 }, (_, i) => `REINS;${ANNEE};;${34000000 + i};LDRT2;2;1;01;DN`);
        const r = await charger(gw, [ENTETE, ...lignes].join('\n'), 'attendre=1');
        expect(r.body.id).to.equal(id);
        expect(r.body).to.include({ etat: 'ANNULE', lignesLues: TAILLE_PAQUET, creees: TAILLE_PAQUET, annulationDemandee: true });
        expect(await compter()).to.equal(avant + TAILLE_PAQUET);
        const fin = (await gw.json('GET', '/api/v1/journal?operation=lp.chargement.fin&limite=1000')).body.entrees.filter((e: { cle: string }) => e.cle === id);
        expect(fin.map((e: { resultat: string }) => e.resultat)).to.deep.equal(['ANNULE']);
        const encore = await gw.json('POST', `/api/v1/jobs/${id}/annulation`);
        expect(encore.status).to.equal(409);
        expect(encore.body.errors[0].code).to.equal('TRANSITION_INTERDITE');
      } finally {
        moteur.apresPaquet = undefined;
      }
      expect((await gw.json('POST', '/api/v1/jobs/inconnu/annulation')).status).to.equal(404);
    });

    it('GET /api/v1/jobs liste les chargements (type, état, client, nom de fichier, dates, comptes), du plus récent au plus ancien, par pages', async () => {
      const tous = await gw.json('GET', '/api/v1/jobs?limite=500');
      expect(tous.status).to.equal(200);
      const jobs = tous.body.jobs as { id: string; creeLe: string; type: string; client: string }[];
      expect(jobs.length).to.be.at.least(6);
      expect(jobs.every((j) => j.type === 'LP_CHARGEMENT' && j.client === 'scolarite')).to.equal(true);
      const dates = jobs.map((j) => j.creeLe);
      expect([...dates].sort().reverse()).to.deep.equal(dates);
      const page1 = await gw.json('GET', '/api/v1/jobs?limite=2');
      expect(page1.body.jobs.map((j: { id: string }) => j.id)).to.deep.equal(jobs.slice(0, 2).map((j) => j.id));
      expect(page1.body.suivant).to.equal(jobs[1].id);
      const page2 = await gw.json('GET', `/api/v1/jobs?limite=2&avant=${page1.body.suivant}`);
      expect(page2.body.jobs.map((j: { id: string }) => j.id)).to.deep.equal(jobs.slice(2, 4).map((j) => j.id));
      const annules = await gw.json('GET', '/api/v1/jobs?etat=ANNULE&type=LP_CHARGEMENT&client=scolarite');
      expect(annules.body.jobs).to.have.length(1);
      expect(annules.body.jobs[0]).to.include({ etat: 'ANNULE', lignesLues: TAILLE_PAQUET });
      expect((await gw.json('GET', '/api/v1/jobs?client=personne')).body.jobs).to.deep.equal([]);
      const mauvais = await gw.json('GET', '/api/v1/jobs?etat=FINI');
      expect(mauvais.status).to.equal(400);
      expect(mauvais.body.errors[0]).to.include({ code: 'PARAMETRE_INVALIDE', path: 'etat' });
    });
  });
}
