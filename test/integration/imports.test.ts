/**
 * OPI imports of the platforms' files over REST and from the CLI: each sample imports with accepted
 * and rejected rows, the same report by both doors, a re-run writes nothing twice, a ZIP of a Pégase
 * pair is opened with bounds, an unknown format or a file not of its format is refused.
 */
import { TAILLE_PAQUET } from '../../src/application/jobs/moteur';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BASES } from '../helpers/bases';
import { lancer, RACINE, type PasserelleDeTest } from '../helpers/passerelle';

const FIXTURES = path.join(RACINE, 'fixtures');

interface Rapport {
  etat: string;
  lues: number;
  creees: number;
  rejetees: number;
  rejets: string[];
}

/** The cases: format, files, form fields. */
const CAS: { titre: string; format: string; fichiers: string[]; champs?: Record<string, string> }[] = [
  { titre: 'Parcoursup, export de gestion', format: 'parcoursup-csv', fichiers: ['parcoursup/gestion-export.csv'], champs: { codeFormationPsup: '12345' } },
  { titre: 'Études en France', format: 'eef-csv', fichiers: ['eef/candidats-20261201.csv'] },
  { titre: 'Pégase, paire candidat + candidature', format: 'pegase', fichiers: ['pegase/candidat-20261201.csv', 'pegase/candidature-20261201.csv'] },
  { titre: 'Pégase, inscription', format: 'pegase-inscription', fichiers: ['pegase/inscription-20261201.csv'] },
];

async function importerRest(gw: PasserelleDeTest, format: string, fichiers: { nom: string; contenu: Buffer }[], champs: Record<string, string> = {}) {
  const form = new FormData();
  form.append('format', format);
  for (const [k, v] of Object.entries(champs)) form.append(k, v);
  for (const f of fichiers) form.append(fichiers.length > 1 ? 'fichiers' : 'fichier', new Blob([f.contenu]), f.nom);
  const r = await fetch(`${gw.url}/api/v1/imports`, { method: 'POST', body: form });
  return { status: r.status, body: (await r.json()) as any };
}

async function rapport(gw: PasserelleDeTest, id: string): Promise<Rapport> {
  await gw.p.services.chargements.attendre(id, 60_000);
  const e = (await gw.json('GET', `/api/v1/jobs/${id}`)).body;
  const rejets = (await gw.json('GET', `/api/v1/jobs/${id}/rejets`)).body.rejets as { ligne: number; erreurs: { code: string; path: string }[] }[];
  return {
    etat: e.etat,
    lues: e.lignesLues,
    creees: e.creees + e.misesAJour + e.inchangees,
    rejetees: e.lignesRejetees,
    rejets: rejets.flatMap((r) => r.erreurs.map((x) => `${r.ligne}:${x.code}@${x.path}`)).sort(),
  };
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] imports d'OPI des plateformes (REST et CLI)`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase);
    });
    after(async () => {
      await gw?.fermer();
    });

    for (const c of CAS) {
      it(`${c.titre} : lignes acceptées et rejetées (avec leur colonne) ; le même rapport par la CLI ; un nouvel import n'écrit rien deux fois`, async function () {
        const fichiers = c.fichiers.map((f) => ({ nom: path.basename(f), contenu: readFileSync(path.join(FIXTURES, f)) }));
        const r = await importerRest(gw, c.format, fichiers, c.champs);
        expect(r.status, JSON.stringify(r.body)).to.equal(202);
        expect(r.body.type).to.equal(`IMPORT_${c.format.toUpperCase().replace(/-/g, '_')}`);
        const rest = await rapport(gw, r.body.id);
        expect(rest.etat).to.equal('TERMINE');
        expect(rest.creees, JSON.stringify(rest)).to.be.greaterThan(0);
        expect(rest.rejetees, JSON.stringify(rest)).to.be.greaterThan(0);
        // Every problem names its column, but those about the whole row (a repeated or contradicting row).
        for (const x of rest.rejets) expect(x, 'chaque problème est nommé par sa colonne').to.match(/@\S|:LIGNE_(EN_DOUBLE|CONTRADICTOIRE)@$/);
        const avant = (await gw.p.source.query('SELECT COUNT(*) AS n FROM individu_opi'))[0].n;

        // The CLI on the same database and the same files: the same report, nothing written twice.
        const dossier = mkdtempSync(path.join(tmpdir(), 'import-cli-'));
        try {
          const copies = c.fichiers.map((f) => {
            const cible = path.join(dossier, path.basename(f));
            copyFileSync(path.join(FIXTURES, f), cible);
            return cible;
          });
          const url = gw.base.nom === 'sqlite' ? `sqlite:${gw.base.config.url}` : gw.base.config.url;
          const args = [path.join(RACINE, 'dist', 'scripts', 'importer.js'), '--format', c.format, '--no-progression', ...copies];
          if (c.champs?.codeFormationPsup) args.push('--code-formation-psup', c.champs.codeFormationPsup);
          const sortie = await promisify(execFile)(process.execPath, args, {
            env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'error', BULK_DIR: path.join(dossier, 'lots'), PJ_DIR: path.join(dossier, 'pj') },
          }).then(
            (x) => ({ code: 0, stdout: x.stdout, stderr: x.stderr }),
            (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
          );
          expect(sortie.code, sortie.stderr + sortie.stdout).to.equal(1);
          expect(existsSync(`${copies[0]}.rejets.csv`)).to.equal(true);
          const id = /job\s*│\s*'?([0-9a-f-]{36})/.exec(sortie.stdout)?.[1] ?? /([0-9a-f]{8}-[0-9a-f-]{27})/.exec(sortie.stdout)?.[1];
          expect(id, sortie.stdout).to.be.a('string');
          const cli = await rapport(gw, id!);
          expect(cli).to.deep.equal(rest);
          const e = (await gw.json('GET', `/api/v1/jobs/${id}`)).body;
          expect(e.creees, 'rien de créé deux fois').to.equal(0);
          expect((await gw.p.source.query('SELECT COUNT(*) AS n FROM individu_opi'))[0].n).to.equal(avant);
        } finally {
          rmSync(dossier, { recursive: true, force: true });
        }
      });
    }

    it("un format inconnu et un fichier qui n'est pas du format sont refusés (4xx, code), journalisés, sans job", async () => {
      const csv = Buffer.from('a;b\n1;2\n');
      const inconnu = await importerRest(gw, 'moodle', [{ nom: 'a.csv', contenu: csv }]);
      expect(inconnu.status).to.equal(400);
      expect(inconnu.body.errors[0]).to.include({ code: 'FORMAT_IMPORT_INCONNU', path: 'format' });
      const pasDuFormat = await importerRest(gw, 'pegase-inscription', [{ nom: 'a.csv', contenu: csv }]);
      expect(pasDuFormat.status).to.equal(422);
      expect(pasDuFormat.body.errors.map((e: { code: string }) => e.code)).to.satisfy(
        (c: string[]) => c.includes('COLONNE_INCONNUE') || c.includes('FICHIER_NON_CONFORME'),
      );
      const seul = await importerRest(gw, 'pegase', [{ nom: 'candidat-1.csv', contenu: readFileSync(path.join(FIXTURES, 'pegase/candidat-20261201.csv')) }]);
      expect(seul.status).to.equal(422);
      expect(seul.body.errors[0]).to.include({ code: 'FICHIER_NON_CONFORME', path: 'fichiers' });
      const j = await gw.json('GET', '/api/v1/journal?operation=opi.importer&resultat=REJETE');
      expect(j.body.entrees.length).to.be.at.least(3);
    });

    it("rapport par ligne (JSON et CSV) : ligne, numéro du candidat, numéro d'OPI, code, colonne, message, valeurs d'origine", async () => {
      const r = await importerRest(gw, 'parcoursup-csv', [{ nom: 'g.csv', contenu: readFileSync(path.join(FIXTURES, 'parcoursup/gestion-export.csv')) }], {
        codeFormationPsup: '12345',
        simulation: 'true',
      });
      await gw.p.services.chargements.attendre(r.body.id, 60_000);
      const json = (await gw.json('GET', `/api/v1/jobs/${r.body.id}/rejets`)).body.rejets;
      expect(json.length).to.be.greaterThan(0);
      expect(json[0]).to.have.keys('ligne', 'candidat', 'codOpiIntEpo', 'erreurs', 'valeurs');
      expect(json[0].erreurs[0]).to.have.keys('code', 'path', 'message');
      const csv = await (await fetch(`${gw.url}/api/v1/jobs/${r.body.id}/rejets?format=csv`)).text();
      const entete = csv
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)[0]
        .split(';');
      expect(entete.slice(0, 6)).to.deep.equal(['ligne', 'candidat', 'codOpiIntEpo', 'code', 'chemin', 'message']);
      expect(entete).to.include('Numéro candidat');
    });

    it('un import arrêté au milieu reprend au redémarrage et finit avec exactement les bonnes lignes, sans doublon', async () => {
      const modele = readFileSync(path.join(FIXTURES, 'parcoursup/gestion-export.csv'), 'utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/);
      const entete = modele[0];
      const exemple = modele[1].split(';');
      const lignes = Array.from({ length: 1300 }, (_, i) => {
        const v = [...exemple];
        v[0] = String(3000000 + i);
        v[5] = '';
        v[4] = `${String((i % 28) + 1).padStart(2, '0')}/0${(i % 9) + 1}/2007`;
        return v.join(';');
      });
      const g1 = await lancer(nomBase);
      g1.p.services.chargements.apresPaquet = async (_id, traitees) => {
        if (traitees === TAILLE_PAQUET) void g1.p.services.chargements.arreter();
      };
      const r = await importerRest(g1, 'parcoursup-csv', [{ nom: 'gros.csv', contenu: Buffer.from([entete, ...lignes].join('\n')) }], {
        codeFormationPsup: '12345',
      });
      expect(r.status, JSON.stringify(r.body)).to.equal(202);
      await g1.p.services.chargements.inactif();
      expect((await g1.json('GET', `/api/v1/jobs/${r.body.id}`)).body).to.include({ etat: 'EN_COURS', lignesLues: TAILLE_PAQUET });
      await g1.fermer({ garderBase: true });
      const g2 = await lancer(nomBase, {}, g1.base);
      try {
        await g2.p.services.chargements.inactif();
        const fin = (await g2.json('GET', `/api/v1/jobs/${r.body.id}`)).body;
        expect(fin).to.include({ etat: 'TERMINE', lignesLues: 1300, lignesRejetees: 0, lignesTotal: 1300 });
        expect(fin.creees + fin.inchangees).to.equal(1300);
        const [{ n }] = await g2.p.source.query("SELECT COUNT(*) AS n FROM individu_opi WHERE codOpiIntEpo LIKE 'P__3%'");
        expect(Number(n)).to.equal(1300);
      } finally {
        await g2.fermer();
      }
    });

    it("une archive ZIP : la paire Pégase est ouverte et importée ; une bombe ou trop d'entrées sont refusées avant décompression (ARCHIVE_REFUSEE)", async () => {
      const zip = (nom: string) => [{ nom, contenu: readFileSync(path.join(FIXTURES, 'archives', nom)) }];
      const paire = await importerRest(gw, 'pegase', zip('pegase-20261201.zip'));
      expect(paire.status, JSON.stringify(paire.body)).to.equal(202);
      const r = await rapport(gw, paire.body.id);
      expect(r.etat).to.equal('TERMINE');
      expect(r.lues).to.be.greaterThan(0);
      for (const nom of ['bombe.zip', 'trop-d-entrees.zip']) {
        const refus = await importerRest(gw, 'pegase', zip(nom));
        expect(refus.status, nom).to.equal(422);
        expect(refus.body.errors[0].code, nom).to.equal('ARCHIVE_REFUSEE');
      }
    });

    it('une même personne venue de deux plateformes : reconnue par les règles de doublons, avec la source de chaque OPI', async () => {
      const csv = readFileSync(path.join(FIXTURES, 'parcoursup/gestion-export.csv'), 'utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/);
      const v = csv[1].split(';');
      v[0] = '4000001';
      v[5] = '';
      const form = new FormData();
      form.append('format', 'parcoursup-csv');
      form.append('codeFormationPsup', '12345');
      form.append('fichier', new Blob([[csv[0], v.join(';')].join('\n')]), 'un.csv');
      const r = await gw.commeClient('parcoursup-fichiers', (headers) => fetch(`${gw.url}/api/v1/imports`, { method: 'POST', body: form, headers }));
      const job = (await r.json()) as { id: string };
      expect((await rapport(gw, job.id)).creees).to.equal(1);
      const [nom, prenom, naissance] = [v[2], v[3], v[4].split('/').reverse().join('-')];
      const opi = {
        individu: {
          codOpiIntEpo: 'EC26990001',
          etatCivil: { libNomPatIndOpi: nom, libPr1IndOpi: prenom, codSexEtuOpi: 'F' },
          donneesNaissance: { dateNaiIndOpi: naissance, temDateNaiRelOpi: 'N', codPayNat: '100', codTypDepPayNai: 'D', codDepPayNai: '035' },
        },
        voeux: [{ numCls: 1, codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C' }],
      };
      const ec = await gw.commeClient('ecandidat', (h) => gw.json('PUT', '/api/v1/opi/EC26990001', opi, h));
      expect(ec.status, JSON.stringify(ec.body)).to.equal(201);
      expect(ec.body.avertissements.map((a: { code: string }) => a.code)).to.include('DOUBLON_ETAT_CIVIL');
      const lu = (await gw.json('GET', '/api/v1/opi/EC26990001')).body;
      expect(lu.source).to.equal('ecandidat');
      const importee = lu.doublons.find((d: { codOpiIntEpo: string }) => d.codOpiIntEpo === 'P264000001');
      expect(importee, JSON.stringify(lu.doublons)).to.include({ motif: 'DOUBLON_ETAT_CIVIL', source: 'parcoursup-fichiers' });
    });
  });
}
