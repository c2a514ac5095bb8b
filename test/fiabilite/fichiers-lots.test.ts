/** Files of ended jobs and abandoned uploads are removed after their retention; nothing an unfinished job needs. */
import { expect } from 'chai';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';

for (const nomBase of BASES) {
  describe(`[${nomBase}] fichiers de chargement : rétention`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase);
    });
    after(async () => {
      await gw?.fermer();
    });

    it("un job échoué garde son fichier jusqu'à la rétention, puis le balayage le retire, avec les envois abandonnés ; le récent reste", async () => {
      const moteur = gw.p.services.chargements;
      // A file the CSV reader cannot parse: the job ends ECHOUE, its file kept for diagnosis.
      const r = await fetch(`${gw.url}/api/v1/laissez-passer/bulk?attendre=1`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: 'typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet;codRgi\nREINS;2026;;"21000001;LDRT2;2;1\n',
      });
      const job = (await r.json()) as { id: string; etat: string };
      expect(job.etat).to.equal('ECHOUE');
      const fichier = (await gw.p.services.unite.lecture.jobs.lire(job.id))!.fichier;
      expect(existsSync(fichier), fichier).to.equal(true);
      const reception = path.join(moteur.dossier, 'reception');
      mkdirSync(reception, { recursive: true });
      const abandonne = path.join(reception, 'envoi-abandonne');
      const recent = path.join(reception, 'envoi-en-cours');
      writeFileSync(abandonne, 'x');
      writeFileSync(recent, 'y');
      expect(await moteur.nettoyerFichiers()).to.equal(0);
      const ancien = new Date(Date.now() - moteur.retentionFichiersMs - 60_000);
      utimesSync(fichier, ancien, ancien);
      utimesSync(abandonne, ancien, ancien);
      expect(await moteur.nettoyerFichiers()).to.equal(2);
      expect(existsSync(fichier)).to.equal(false);
      expect(existsSync(abandonne)).to.equal(false);
      expect(existsSync(recent)).to.equal(true);
    });
  });
}
