/**
 * A gateway process killed (SIGKILL) while 8 clients write OPIs one at a time: after a restart on the
 * same database, every OPI whose write was acknowledged (201) is there once, with all its vœux; the
 * ones cut by the kill are either wholly there or absent, never half. Counts printed.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASES, nouvelleBase } from '../helpers/bases';
import { processusPasserelle } from '../helpers/processus';
import { opiExemple } from '../helpers/exemples';

for (const nomBase of BASES) {
  describe(`[${nomBase}] kill -9 pendant des écritures unitaires de 8 clients`, function () {
    this.timeout(120_000);

    it('chaque OPI acquittée est en base une fois avec tous ses vœux ; aucune à moitié', async () => {
      const base = await nouvelleBase(nomBase);
      const dossier = mkdtempSync(path.join(tmpdir(), 'tue-ecritures-'));
      const port = 19000 + Math.floor(Math.random() * 900);
      let p = await processusPasserelle(base, dossier, port);
      const acquittees: string[] = [];
      const coupees: string[] = [];
      try {
        let arret = false;
        const client = async (k: number) => {
          for (let i = 0; !arret; i++) {
            const code = `EC27${k}${String(i).padStart(5, '0')}`;
            try {
              const r = await fetch(`http://127.0.0.1:${port}/api/v1/opi/${code}`, {
                method: 'PUT',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(opiExemple(code, { ine: null })),
              });
              if (r.status === 201) acquittees.push(code);
              else coupees.push(code);
            } catch {
              coupees.push(code);
              return;
            }
          }
        };
        const clients = Array.from({ length: 8 }, (_, k) => client(k));
        while (acquittees.length < 200) await new Promise((ok) => setTimeout(ok, 10));
        p.kill('SIGKILL');
        await new Promise((ok) => p.once('exit', ok));
        arret = true;
        await Promise.all(clients);
        p = await processusPasserelle(base, dossier, port);
        const voeuxParOpi = opiExemple('EC27000000').voeux.length;
        let manquantes = 0;
        for (const code of acquittees) {
          const r = await fetch(`http://127.0.0.1:${port}/api/v1/opi/${code}`);
          if (r.status !== 200) manquantes++;
          else expect(((await r.json()) as { donnees: { voeux: unknown[] } }).donnees.voeux, code).to.have.length(voeuxParOpi);
        }
        let entieres = 0;
        for (const code of coupees) {
          const r = await fetch(`http://127.0.0.1:${port}/api/v1/opi/${code}`);
          if (r.status === 200) {
            entieres++;
            expect(((await r.json()) as { donnees: { voeux: unknown[] } }).donnees.voeux, code).to.have.length(voeuxParOpi);
          } else expect(r.status).to.equal(404);
        }
        console.log(
          `      ${acquittees.length} écritures acquittées avant le kill, toutes relues (${manquantes} manquante) ; ${coupees.length} coupées : ${entieres} entières en base, ${coupees.length - entieres} absentes, 0 à moitié`,
        );
        expect(manquantes).to.equal(0);
      } finally {
        p.kill('SIGTERM');
        await new Promise((ok) => (p.exitCode !== null || p.signalCode !== null ? ok(undefined) : p.once('exit', ok)));
        rmSync(dossier, { recursive: true, force: true });
        await base.supprimer();
      }
    });
  });
}
