/** Possible duplicates side by side, and the staff's decision recorded (who, when), on both databases. */
import { expect } from 'chai';
import { BASES } from '../helpers/bases';
import { passerelleDuBloc, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';

for (const nomBase of BASES) {
  describe(`[${nomBase}] doublons possibles : décision de la scolarité`, function () {
    this.timeout(60_000);
    const passerelle = passerelleDuBloc(nomBase);
    let gw: PasserelleDeTest;
    beforeEach(() => {
      gw = passerelle();
    });

    it('deux OPI au même INE : la paire listée avec les deux fiches ; « même personne » enregistrée par qui, journalisée ; une plateforme ne décide pas', async () => {
      expect((await gw.json('PUT', '/api/v1/opi/DB26000001', opiExemple('DB26000001', { ine: '1234567890V', nom: 'Durand' }))).status).to.equal(201);
      const seconde = await gw.json('PUT', '/api/v1/opi/DB26000002', opiExemple('DB26000002', { ine: '1234567890V', nom: 'Durant' }));
      expect(seconde.status).to.equal(201);
      const aDecider = await gw.json('GET', '/api/v1/doublons?decidees=false');
      expect(aDecider.status, JSON.stringify(aDecider.body)).to.equal(200);
      const paire = aDecider.body.paires.find((p: { motif: string }) => p.motif === 'DOUBLON_INE');
      expect(paire.nouvelle).to.include({ codOpiIntEpo: 'DB26000002', nom: 'DURANT', ine: '1234567890V' });
      expect(paire.existante).to.include({ codOpiIntEpo: 'DB26000001', nom: 'DURAND' });
      expect(paire.decision).to.equal(null);

      await gw.commeClient(
        'plateforme',
        async (h) => {
          const r = await gw.json('POST', `/api/v1/doublons/${paire.id}/decision`, { decision: 'MEME_PERSONNE' }, h);
          expect(r.status).to.equal(403);
        },
        { portees: 'opi:ecrire opi:lire' },
      );
      await gw.commeClient(
        'scolarite',
        async (h) => {
          expect((await gw.json('POST', `/api/v1/doublons/${paire.id}/decision`, { decision: 'PEUT-ETRE' }, h)).body.errors[0]).to.include({
            code: 'VALEUR_NON_AUTORISEE',
            path: 'decision',
          });
          const r = await gw.json('POST', `/api/v1/doublons/${paire.id}/decision`, { decision: 'MEME_PERSONNE' }, h);
          expect(r.status, JSON.stringify(r.body)).to.equal(200);
          expect(r.body).to.include({ id: paire.id, decision: 'MEME_PERSONNE', decidePar: 'scolarite' });
          expect((await gw.json('GET', '/api/v1/doublons?decidees=false', undefined, h)).body.paires.map((p: { id: number }) => p.id)).to.not.include(paire.id);
          const decidee = (await gw.json('GET', '/api/v1/doublons?decidees=true', undefined, h)).body.paires[0];
          expect(decidee).to.include({ id: paire.id, decision: 'MEME_PERSONNE' });
          const [ligne] = (await gw.json('GET', '/api/v1/journal?operation=doublons.decider', undefined, h)).body.entrees;
          expect(ligne).to.include({ client: 'scolarite', resultat: 'MEME_PERSONNE', cle: String(paire.id) });
          expect((await gw.json('POST', '/api/v1/doublons/999999/decision', { decision: 'MEME_PERSONNE' }, h)).status).to.equal(404);
        },
        { portees: 'doublons:decider opi:lire journal:lire' },
      );
    });
  });
}
