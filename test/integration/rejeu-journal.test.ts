/**
 * Replay after a fix on the gateway's side: an OPI refused for an étape the nomenclatures did not have
 * yet is kept (sealed) with its journal row; once the étape is loaded, its replay is accepted, linked
 * to the original, and answers what the record became. Then 200 such rejects replayed by code in one
 * job: simulated (nothing written, the same counts), then for real.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASES } from '../helpers/bases';
import { lancer, RACINE, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';

/** The OPI example with one vœu on an étape that the default nomenclatures lack. */
function opiSurEtape(code: string, codEtp: string) {
  const o = opiExemple(code, { ine: null, nom: `Rejeu${code.slice(-4)}`, dateNai: '2006-03-04' });
  o.voeux = [{ ...o.voeux[0], codEtp, codVrsVet: 1, codDip: 'LDRT', codVrsVdi: 2, codCge: 'DRT' }];
  return o;
}

/** The étapes file of the fixtures plus `codes`, loaded as the establishment would. */
async function ajouterEtapes(gw: PasserelleDeTest, codes: string[]): Promise<void> {
  const dossier = mkdtempSync(path.join(tmpdir(), 'etapes-'));
  try {
    const etapes = JSON.parse(readFileSync(path.join(RACINE, 'fixtures', 'nomenclatures', 'etapes.json'), 'utf8'));
    const modele = etapes.codes.find((c: { codEtp: string; codVrsVet: number }) => c.codEtp === 'LDRT1' && c.codVrsVet === 2);
    for (const codEtp of codes) etapes.codes.push({ ...modele, codEtp, codVrsVet: 1, libelle: `Étape ${codEtp}` });
    writeFileSync(path.join(dossier, 'etapes.json'), JSON.stringify(etapes));
    await gw.p.services.nomenclatures.charger(dossier);
  } finally {
    rmSync(dossier, { recursive: true, force: true });
  }
}

async function attendreJob(gw: PasserelleDeTest, id: string) {
  for (let i = 0; i < 600; i++) {
    const e = await gw.json('GET', `/api/v1/jobs/${id}`);
    if (['TERMINE', 'ECHOUE', 'REJETE', 'ANNULE'].includes(e.body.etat)) return e.body;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`job ${id} pas fini`);
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] rejeu des messages du journal`, function () {
    this.timeout(180_000);
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase, { JOURNAL_CLE: randomBytes(32).toString('base64') });
    });
    after(async () => {
      await gw?.fermer();
    });

    it("une OPI refusée (étape inconnue) se rejoue une fois l'étape chargée : acceptée, liée à l'originale, avec ce qui a changé", async () => {
      const code = 'EC26900001';
      const refus = await gw.json('PUT', `/api/v1/opi/${code}`, opiSurEtape(code, 'LRJ01'));
      expect(refus.status).to.equal(422);
      expect(refus.body.errors.map((e: { code: string }) => e.code)).to.include('ETAPE_INCONNUE');
      const [ligne] = (await gw.json('GET', `/api/v1/journal?cle=${code}&resultat=REJETE`)).body.entrees;
      expect(ligne.operation).to.equal('opi.enregistrer');
      expect(ligne.rejouable).to.equal(true);
      expect((await gw.json('GET', '/api/v1/journal?code=etape_inconnue')).body.entrees.map((e: { id: number }) => e.id)).to.include(ligne.id);
      expect((await gw.json('GET', '/api/v1/journal?code=CVEC_REQUISE')).body.entrees).to.deep.equal([]);

      // Before the fix, a simulation says it would still be refused, and writes nothing.
      const avant = await gw.json('POST', `/api/v1/journal/${ligne.id}/rejouer?simulation=true`);
      expect(avant.status, JSON.stringify(avant.body)).to.equal(200);
      expect(avant.body.rejeu).to.include({ resultat: 'REJETE', statut: 422, simulation: true, journalId: null });
      expect(avant.body.rejeu.codes).to.include('ETAPE_INCONNUE');

      await ajouterEtapes(gw, ['LRJ01']);
      const simulee = await gw.json('POST', `/api/v1/journal/${ligne.id}/rejouer?simulation=true`);
      expect(simulee.body.rejeu).to.include({ resultat: 'CREE', simulation: true, journalId: null });
      expect((await gw.json('GET', `/api/v1/opi/${code}`)).status).to.equal(404);

      const r = await gw.json('POST', `/api/v1/journal/${ligne.id}/rejouer`);
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      expect(r.body.original).to.include({ id: ligne.id, resultat: 'REJETE', statut: 422, operation: 'opi.enregistrer', client: ligne.client });
      expect(r.body.original.codes).to.include('ETAPE_INCONNUE');
      expect(r.body.rejeu).to.include({ resultat: 'CREE', statut: 201, simulation: false });
      expect(r.body.rejeu.codes).to.deep.equal([]);
      // Created: the whole record is the difference.
      expect(r.body.difference).to.have.length(1);
      expect(r.body.difference[0]).to.include({ chemin: '', avant: null });
      expect(r.body.difference[0].apres.donnees.voeux[0]).to.include({ codEtp: 'LRJ01' });
      const opi = await gw.json('GET', `/api/v1/opi/${code}`);
      expect(opi.status).to.equal(200);
      expect(opi.body.donnees.voeux[0].codEtp).to.equal('LRJ01');

      const [nouvelle] = (await gw.json('GET', `/api/v1/journal?cle=${code}&resultat=CREE`)).body.entrees;
      expect(nouvelle.id).to.equal(r.body.rejeu.journalId);
      expect(nouvelle.rejeuDe).to.equal(ligne.id);

      // Once only, unless forced; forced, the same message changes nothing more.
      const encore = await gw.json('POST', `/api/v1/journal/${ligne.id}/rejouer`);
      expect(encore.status).to.equal(409);
      expect(encore.body.errors[0]).to.include({ code: 'DEJA_REJOUE' });
      const force = await gw.json('POST', `/api/v1/journal/${ligne.id}/rejouer?forcer=true`);
      expect(force.body.rejeu).to.include({ resultat: 'INCHANGE' });
      expect(force.body.difference).to.deep.equal([]);
      console.log(
        `      rejeu : ${JSON.stringify({ original: r.body.original, rejeu: r.body.rejeu, difference: `${r.body.difference.length} changement(s)` })}`,
      );
    });

    it('un message sans contenu gardé (une lecture) ou inconnu : refus avec un code', async () => {
      expect((await gw.json('GET', '/api/v1/opi/EC26900001')).status).to.equal(200);
      const [lecture] = (await gw.json('GET', '/api/v1/journal?cle=EC26900001&operation=opi.lire')).body.entrees;
      const r = await gw.json('POST', `/api/v1/journal/${lecture.id}/rejouer`);
      expect(r.status).to.equal(409);
      expect(r.body.errors[0]).to.include({ code: 'CHARGE_NON_GARDEE' });
      expect((await gw.json('POST', '/api/v1/journal/99999999/rejouer')).body.errors[0]).to.include({ code: 'JOURNAL_INTROUVABLE' });
      expect((await gw.json('POST', '/api/v1/journal/abc/rejouer')).status).to.equal(400);
    });

    it('200 refus rejoués par code en un job : simulés (rien écrit), puis pour de bon ; les autres refus ne sont pas pris', async () => {
      const codes = Array.from({ length: 200 }, (_, i) => `EC2691${String(i).padStart(4, '0')}`);
      for (let i = 0; i < codes.length; i += 20) {
        const statuts = await Promise.all(codes.slice(i, i + 20).map(async (c) => (await gw.json('PUT', `/api/v1/opi/${c}`, opiSurEtape(c, 'LRJ02'))).status));
        expect(statuts.every((s) => s === 422)).to.equal(true);
      }
      // Another kind of reject, which the filter must leave alone.
      const autre = opiExemple('EC26920001', { ine: null });
      autre.individu.donneesPersonnelles.codRgi = '9';
      expect((await gw.json('PUT', '/api/v1/opi/EC26920001', autre)).status).to.equal(422);
      await ajouterEtapes(gw, ['LRJ01', 'LRJ02']);

      const compterOpi = async () =>
        Number((await gw.p.source.query("SELECT COUNT(*) AS n FROM individu_opi WHERE codOpiIntEpo LIKE 'EC2691%' OR codOpiIntEpo = 'EC26920001'"))[0].n);
      const sim = await gw.json('POST', '/api/v1/journal/rejouer', { code: 'ETAPE_INCONNUE', operation: 'opi.enregistrer', simulation: true });
      expect(sim.status, JSON.stringify(sim.body)).to.equal(202);
      const s = await attendreJob(gw, sim.body.id);
      expect(s).to.include({ etat: 'TERMINE', simulation: true, lignesLues: 200, lignesTotal: 200, creees: 200, lignesRejetees: 0 });
      expect(await compterOpi()).to.equal(0);

      const vrai = await gw.json('POST', '/api/v1/journal/rejouer', { code: 'ETAPE_INCONNUE', operation: 'opi.enregistrer' });
      const v = await attendreJob(gw, vrai.body.id);
      expect(v).to.include({ etat: 'TERMINE', simulation: false, lignesLues: 200, creees: 200, lignesRejetees: 0 });
      expect(await compterOpi()).to.equal(200);
      const lies = Number(
        (await gw.p.source.query("SELECT COUNT(*) AS n FROM journal WHERE rejeuDe IS NOT NULL AND cle LIKE 'EC2691%' AND statut = 201"))[0].n,
      );
      expect(lies).to.equal(200);

      // Replayed once: the same filter again finds nothing left.
      const encore = await attendreJob(gw, (await gw.json('POST', '/api/v1/journal/rejouer', { code: 'ETAPE_INCONNUE' })).body.id);
      expect(encore).to.include({ etat: 'TERMINE', lignesLues: 0 });
      console.log(
        `      rejeu en masse : simulation ${JSON.stringify({ lues: s.lignesLues, creees: s.creees, rejetees: s.lignesRejetees })}, réel ${JSON.stringify({ lues: v.lignesLues, creees: v.creees, rejetees: v.lignesRejetees, debit: v.debit })}`,
      );
    });
  });
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] rejeu au nom du client d'origine`, function () {
    this.timeout(60_000);
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase, { JOURNAL_CLE: randomBytes(32).toString('base64') });
    });
    after(async () => {
      await gw?.fermer();
    });

    it('rejoué par la scolarité, le message reste celui de la plateforme (journal, portées) ; sans journal:rejouer : 403 ; une mise à jour dit ses champs changés', async () => {
      const code = 'EC26930001';
      await gw.commeClient(
        'plateforme-a',
        async (plateforme) => {
          const o = opiExemple(code, { ine: null, nom: 'Avant' });
          expect((await gw.json('PUT', `/api/v1/opi/${code}`, o, plateforme)).status).to.equal(201);
          // An update that adds a vœu on an étape not loaded yet: refused.
          const maj = opiExemple(code, { ine: null, nom: 'Apres' });
          maj.voeux = [...maj.voeux, { ...opiSurEtape(code, 'LRJ03').voeux[0], numCls: 2 }];
          expect((await gw.json('PUT', `/api/v1/opi/${code}`, maj, plateforme)).status).to.equal(422);
          const [ligne] = (await gw.json('GET', `/api/v1/journal?cle=${code}&resultat=REJETE`, undefined, plateforme)).body.entrees;
          // A message the caller had no right to send is not kept: nothing to replay.
          expect((await gw.json('PUT', '/api/v1/opi/PS26930001', opiExemple('PS26930001', { ine: null }), plateforme)).status).to.equal(403);
          const [horsPerimetre] = (await gw.json('GET', '/api/v1/journal?cle=PS26930001', undefined, plateforme)).body.entrees;
          expect(horsPerimetre.codes).to.deep.equal(['OPI_HORS_PERIMETRE']);
          expect(await gw.p.services.unite.lecture.journal.lireCharge(horsPerimetre.id)).to.equal(null);
          // Another platform may not replay it.
          const interdit = await gw.json('POST', `/api/v1/journal/${ligne.id}/rejouer`, undefined, plateforme);
          expect(interdit.status).to.equal(403);
          expect(interdit.body.errors[0]).to.include({ code: 'PORTEE_INSUFFISANTE' });
          await ajouterEtapes(gw, ['LRJ03']);
          await gw.commeClient(
            'scolarite',
            async (scolarite) => {
              const r = await gw.json('POST', `/api/v1/journal/${ligne.id}/rejouer`, undefined, scolarite);
              expect(r.status, JSON.stringify(r.body)).to.equal(200);
              expect(r.body.rejeu).to.include({ resultat: 'MIS_A_JOUR', statut: 200 });
              const chemins = r.body.difference.map((c: { chemin: string }) => c.chemin);
              expect(chemins).to.include('donnees.individu.etatCivil.libNomPatIndOpi');
              expect(chemins).to.include(`donnees.voeux[${o.voeux.length}]`);
              const nom = r.body.difference.find((c: { chemin: string }) => c.chemin === 'donnees.individu.etatCivil.libNomPatIndOpi');
              expect(nom).to.deep.include({ avant: 'AVANT', apres: 'APRES' });
              const [nouvelle] = (await gw.json('GET', `/api/v1/journal?rejeuDe=${ligne.id}`, undefined, scolarite)).body.entrees;
              expect(nouvelle).to.include({ client: 'plateforme-a', rejeuDe: ligne.id, resultat: 'MIS_A_JOUR' });
              const [action] = (await gw.json('GET', `/api/v1/journal?operation=journal.rejouer`, undefined, scolarite)).body.entrees;
              expect(action).to.include({ client: 'scolarite', cle: String(ligne.id), resultat: 'REJOUE' });
            },
            { portees: 'journal:rejouer journal:lire' },
          );
        },
        { portees: 'opi:ecrire opi:lire journal:lire', prefixes: 'EC' },
      );
    });
  });
}
