/**
 * A file's chunk of OPIs written set-based (`ServiceOpi.ecrirePlusieurs`) stores and answers exactly
 * what writing its rows one after the other does: two gateways on two fresh databases get the same
 * stored individus and the same rows before, then the same chunks (new, changed and unchanged OPIs,
 * with identities drawn from small pools so that possible duplicates abound, within the chunk and
 * against stored rows) — one row by row, the other set-based — and everything is compared.
 */
import { expect } from 'chai';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';
import { instructionsPendant } from '../helpers/instructions';
import { cleBea23 } from '../../src/domain/identifiers/ine';
import type { ResultatUpsertOpi } from '../../src/application/opi';

/** A small deterministic generator (mulberry32): the same scenario on every run. */
function aleatoire(graine: number): () => number {
  let a = graine;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CIVILS: [string, string, string][] = [
  ['Martin', 'Zoé', '2006-03-09'],
  ['Martin', 'Zoé', '2006-03-10'],
  ['Bernard', 'Léa', '2005-01-01'],
  ['Petit', 'Hugo', '2006-07-14'],
  ['Durand', 'Inès', '2004-12-31'],
  ['Moreau', 'Jules', '2006-02-02'],
];
const INES: (string | null)[] = [...['0000000011', '0000000012', '0000000013'].map((d) => d + cleBea23(d)), null, null];
const ETUS: (number | undefined)[] = [11111111, 22222222, 33333333, undefined, undefined];

type Corps = ReturnType<typeof opiExemple>;

function tirer<T>(r: () => number, t: readonly T[]): T {
  return t[Math.floor(r() * t.length)];
}

function corpsAuHasard(r: () => number, code: string): Corps {
  const [nom, prenom, dateNai] = tirer(r, CIVILS);
  const o = opiExemple(code, { nom, prenom, dateNai, ine: tirer(r, INES), codEtu: tirer(r, ETUS) });
  // One OPI in three with its first vœu only: a change of vœux.
  if (r() < 0.33) o.voeux = o.voeux.slice(0, 1);
  return o;
}

/** The chunk: re-sent stored OPIs (as stored, or changed) and new ones, shuffled. */
function paquet(r: () => number, stockes: Map<string, Corps>, nouveaux: string[], repris: number): Corps[] {
  const codes = [...stockes.keys()].sort(() => r() - 0.5).slice(0, repris);
  const lignes = [...codes.map((c) => (r() < 0.5 ? stockes.get(c)! : corpsAuHasard(r, c))), ...nouveaux.map((c) => corpsAuHasard(r, c))];
  return lignes.sort(() => r() - 0.5);
}

const resume = (rs: ResultatUpsertOpi[]) => rs.map((x) => ({ ...x, avertissements: x.avertissements.map((a) => `${a.code}:${a.path}:${a.message}`).sort() }));

/** Everything the writes store, by OPI number (ids differ between the two databases). */
async function etat(gw: PasserelleDeTest) {
  return gw.p.services.unite.executerSql(async (em) => ({
    individus: await em.query(
      'SELECT codOpiIntEpo, version, empreinte, donnees, source, codAnu, codEtuOpi, codNneIndOpi, codCleNneIndOpi, cleNomPat, clePr1, dateNaiIndOpi,'
        + ' codSexEtuOpi, codPayNat, codRgi, codStu, libNomPatIndOpi, libNomUsuIndOpi, libPr1IndOpi FROM individu_opi ORDER BY codOpiIntEpo',
    ),
    voeux: await em.query(
      'SELECT i.codOpiIntEpo, v.rang, v.numCls, v.codEtp, v.codVrsVet, v.codDecVeu, v.donnees FROM voeu_opi v JOIN individu_opi i ON i.id = v.individuOpiId ORDER BY i.codOpiIntEpo, v.rang',
    ),
    // The pair's ids must name the OPIs its numbers name.
    doublons: await em.query(
      'SELECT d.codOpiIntEpo, d.codOpiIntEpoExistant, d.motif, a.codOpiIntEpo AS parId, b.codOpiIntEpo AS existantParId FROM doublon_opi d'
        + ' JOIN individu_opi a ON a.id = d.individuOpiId JOIN individu_opi b ON b.id = d.individuOpiIdExistant ORDER BY 1, 2, 3',
    ),
  }));
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] écriture d'un paquet d'OPI en quelques instructions`, function () {
    this.timeout(120_000);
    let ligneALigne: PasserelleDeTest;
    let ensembliste: PasserelleDeTest;
    before(async () => {
      const env = { JOB_LEASE_SECONDS: '3600', PARCOURSUP_NOTIF_INTERVALLE_MS: '3600000', RETENTION_INTERVALLE_HEURES: '0' };
      [ligneALigne, ensembliste] = await Promise.all([lancer(nomBase, env), lancer(nomBase, env)]);
    });
    after(async () => {
      await Promise.all([ligneALigne?.fermer(), ensembliste?.fermer()]);
    });

    const preparer = (gw: PasserelleDeTest, corps: Corps[]) => Promise.all(corps.map((c) => gw.p.services.opi.preparer({ corps: c }, { lectureAvant: false })));
    const unParUn = async (gw: PasserelleDeTest, corps: Corps[]) => {
      const ps = await preparer(gw, corps);
      return gw.p.services.unite.executer(async (d) => {
        const rs: ResultatUpsertOpi[] = [];
        for (const p of ps) rs.push(await gw.p.services.opi.ecrire(p, d, { client: 'fichier' }));
        return rs;
      });
    };
    const enPaquet = async (gw: PasserelleDeTest, corps: Corps[]) => {
      const ps = await preparer(gw, corps);
      return gw.p.services.unite.executer((d) => gw.p.services.opi.ecrirePlusieurs(ps, d, { client: 'fichier' }));
    };

    it('les mêmes OPI, versions, vœux, doublons et réponses que ligne à ligne, sur trois paquets successifs', async () => {
      const r = aleatoire(20261201);
      const stockes = new Map<string, Corps>();
      // Stored before: written one at a time on both, identically.
      for (let i = 0; i < 20; i++) {
        const c = corpsAuHasard(r, `PQ${String(i).padStart(8, '0')}`);
        await unParUn(ligneALigne, [c]);
        await unParUn(ensembliste, [c]);
        stockes.set(c.individu.codOpiIntEpo, c);
      }
      const vus = { CREE: 0, MIS_A_JOUR: 0, INCHANGE: 0 } as Record<string, number>;
      const motifs = new Set<string>();
      let suivant = 20;
      for (const [nouveaux, repris] of [
        [25, 15],
        [20, 30],
        [5, 40],
      ]) {
        const codes = Array.from({ length: nouveaux }, () => `PQ${String(suivant++).padStart(8, '0')}`);
        const corps = paquet(r, stockes, codes, repris);
        const attendu = await unParUn(ligneALigne, corps);
        const obtenu = await enPaquet(ensembliste, corps);
        expect(resume(obtenu)).to.deep.equal(resume(attendu));
        for (const x of obtenu) vus[x.resultat]++;
        for (const x of obtenu) for (const a of x.avertissements) motifs.add(a.code);
        for (const c of corps) stockes.set(c.individu.codOpiIntEpo, c);
        expect(await etat(ensembliste)).to.deep.equal(await etat(ligneALigne));
      }
      // The scenario did exercise every case.
      expect(vus.CREE).to.equal(50);
      expect(vus.MIS_A_JOUR).to.be.above(10);
      expect(vus.INCHANGE).to.be.above(10);
      expect([...motifs].sort()).to.deep.equal(['DOUBLON_COD_ETU', 'DOUBLON_ETAT_CIVIL', 'DOUBLON_INE']);
      const { doublons } = await etat(ensembliste);
      expect(doublons.length).to.be.above(50);
      for (const d of doublons) expect([d.parId, d.existantParId]).to.deep.equal([d.codOpiIntEpo, d.codOpiIntEpoExistant]);
    });

    it('un paquet écrit pendant que les mêmes OPI arrivent une à une par REST : ni doublon ni écriture perdue, chaque OPI une fois', async () => {
      const codes = Array.from({ length: 120 }, (_, i) => `PC${String(i).padStart(8, '0')}`);
      const corps = codes.map((c, i) => opiExemple(c, { nom: `Course${i}`, ine: null, codEtu: 50000000 + i }));
      const ps = await preparer(ensembliste, corps);
      const rejeuxAvant = ensembliste.p.services.unite.rejeux;
      // Three chunks and the single writes of every other OPI, all at once.
      const [lots, unes] = await Promise.all([
        Promise.all(
          [0, 40, 80].map((debut) =>
            ensembliste.p.services.unite.executer((d) => ensembliste.p.services.opi.ecrirePlusieurs(ps.slice(debut, debut + 40), d, { client: 'fichier' })),
          ),
        ),
        Promise.all(codes.filter((_, i) => i % 2 === 0).map((c, j) => ensembliste.json('PUT', `/api/v1/opi/${c}`, corps[2 * j]))),
      ]);
      for (const u of unes) expect(u.status, JSON.stringify(u.body)).to.be.oneOf([200, 201]);
      const issues = lots.flat().map((x) => x.resultat);
      // Each OPI created once: by its chunk or by its PUT, the other one found it stored unchanged.
      const creees = issues.filter((x) => x === 'CREE').length + unes.filter((u) => u.status === 201).length;
      expect(creees).to.equal(120);
      expect(issues.every((x) => x === 'CREE' || x === 'INCHANGE')).to.equal(true);
      const [{ n, distincts, voeux }] = await ensembliste.p.services.unite.executerSql((em) =>
        em.query(
          "SELECT COUNT(*) AS n, COUNT(DISTINCT codOpiIntEpo) AS distincts, (SELECT COUNT(*) FROM voeu_opi v JOIN individu_opi i ON i.id = v.individuOpiId WHERE i.codOpiIntEpo LIKE 'PC%') AS voeux FROM individu_opi WHERE codOpiIntEpo LIKE 'PC%'",
        ),
      );
      expect([Number(n), Number(distincts), Number(voeux)]).to.deep.equal([120, 120, 240]);
      if (nomBase === 'mariadb') console.log(`      transactions rejouées pendant la course : ${ensembliste.p.services.unite.rejeux - rejeuxAvant}`);
    });

    it('un paquet plus grand que ce que tient une instruction (1 200 OPI, 2 400 vœux) : tout écrit, chaque vœu à son individu', async () => {
      const corps = Array.from({ length: 1200 }, (_, i) =>
        opiExemple(`PG${String(i).padStart(8, '0')}`, { nom: `Grand${i}`, ine: null, codEtu: 60000000 + i }),
      );
      const ps = await preparer(ensembliste, corps);
      const rs = await ensembliste.p.services.unite.executer((d) => ensembliste.p.services.opi.ecrirePlusieurs(ps, d, { client: 'fichier' }));
      expect(rs.filter((x) => x.resultat === 'CREE')).to.have.length(1200);
      // Re-sent with one vœu fewer for every other one: 600 changed (their vœux replaced), 600 unchanged.
      const modifies = corps.map((c, i) => (i % 2 ? { ...c, voeux: c.voeux.slice(0, 1) } : c));
      const rs2 = await ensembliste.p.services.unite.executer(async (d) =>
        ensembliste.p.services.opi.ecrirePlusieurs(await preparer(ensembliste, modifies), d, { client: 'fichier' }),
      );
      expect(rs2.map((x) => x.resultat)).to.deep.equal(modifies.map((_, i) => (i % 2 ? 'MIS_A_JOUR' : 'INCHANGE')));
      const lignes: { code: string; nom: string; n: number }[] = await ensembliste.p.services.unite.executerSql((em) =>
        em.query(
          "SELECT i.codOpiIntEpo AS code, i.libNomPatIndOpi AS nom, COUNT(v.id) AS n FROM individu_opi i LEFT JOIN voeu_opi v ON v.individuOpiId = i.id WHERE i.codOpiIntEpo LIKE 'PG%' GROUP BY i.codOpiIntEpo, i.libNomPatIndOpi ORDER BY i.codOpiIntEpo",
        ),
      );
      expect(lignes.map((l) => [l.code, l.nom, Number(l.n)])).to.deep.equal(corps.map((c, i) => [c.individu.codOpiIntEpo, `GRAND${i}`, i % 2 ? 1 : 2]));
    });

    it("un paquet de 200 nouvelles OPI : une dizaine d'instructions au lieu de quatre par ligne", async () => {
      const corps = Array.from({ length: 200 }, (_, i) =>
        opiExemple(`PN${String(i).padStart(8, '0')}`, { nom: `Nom${i}`, ine: null, dateNai: '2006-01-01', codEtu: 40000000 + i }),
      );
      const ps = await preparer(ensembliste, corps);
      let rs: ResultatUpsertOpi[] = [];
      const vues = await instructionsPendant(ensembliste, async () => {
        rs = await ensembliste.p.services.unite.executer((d) => ensembliste.p.services.opi.ecrirePlusieurs(ps, d, { client: 'fichier' }));
      });
      expect(rs.map((x) => x.resultat)).to.deep.equal(corps.map(() => 'CREE'));
      const ecritures = vues.map((v) => v.q).filter((q) => !/^(START|BEGIN|COMMIT|SET |SAVEPOINT|RELEASE)/i.test(q));
      expect(ecritures.length, ecritures.join('\n')).to.be.at.most(9);
      expect(ecritures.filter((q) => /^INSERT INTO \S*individu_opi/i.test(q))).to.have.length(1);
      expect(ecritures.filter((q) => /^INSERT INTO \S*voeu_opi/i.test(q))).to.have.length(1);
      const [{ n }] = await ensembliste.p.services.unite.executerSql((em) =>
        em.query("SELECT COUNT(*) AS n FROM voeu_opi v JOIN individu_opi i ON i.id = v.individuOpiId WHERE i.codOpiIntEpo LIKE 'PN%'"),
      );
      expect(Number(n)).to.equal(400);
    });
  });
}
