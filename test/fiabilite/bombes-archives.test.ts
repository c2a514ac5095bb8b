/**
 * XLSX bombs: shared strings by the million that compress to nothing, a sheet that inflates far beyond
 * its file — refused with ARCHIVE_REFUSEE before exceljs expands anything, memory bounded (sampled RSS
 * printed); a sound workbook passes. Then the same bomb sent to a real gateway as a bulk file.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { BORNES_CLASSEUR, verifierClasseur } from '../../src/adapters/batch/classeurs';
import { modele } from '../../src/adapters/batch/lecteurs';
import { ErreurMetier } from '../../src/domain/errors';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';

const COLONNES = ['typLpa', 'codAnu', 'codEtu', 'codEtp', 'codVrsVet', 'codRgi'];

async function classeurSain(): Promise<Buffer> {
  return modele('xlsx', COLONNES, { typLpa: 'REINS', codAnu: '2026', codEtu: '21000001', codEtp: 'LDRT2', codVrsVet: '2', codRgi: '1' });
}

/** The sound workbook with one of its parts replaced (compressed at the highest level, as a bomb is). */
async function classeurModifie(partie: string, contenu: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await classeurSain());
  zip.file(partie, contenu);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** Peak RSS growth (MiB) while `f` runs, sampled every 5 ms. */
async function picRss<T>(f: () => Promise<T>): Promise<{ valeur?: T; erreur?: unknown; picMiB: number }> {
  const avant = process.memoryUsage().rss;
  let pic = avant;
  const t = setInterval(() => {
    pic = Math.max(pic, process.memoryUsage().rss);
  }, 5);
  try {
    return { valeur: await f(), picMiB: (pic - avant) / 1048576 };
  } catch (erreur) {
    return { erreur, picMiB: (Math.max(pic, process.memoryUsage().rss) - avant) / 1048576 };
  } finally {
    clearInterval(t);
  }
}

describe('bombes XLSX : refusées avant toute expansion', function () {
  this.timeout(120_000);
  let dossier: string;
  const ecrire = (nom: string, b: Buffer) => {
    const f = path.join(dossier, nom);
    writeFileSync(f, b);
    return f;
  };
  before(() => {
    dossier = mkdtempSync(path.join(tmpdir(), 'gw-bombes-'));
  });
  after(() => {
    rmSync(dossier, { recursive: true, force: true });
  });

  it('un classeur sain passe', async () => {
    await verifierClasseur(ecrire('sain.xlsx', await classeurSain()));
  });

  it('3 000 000 chaînes partagées (quelques centaines de Kio compressées) : ARCHIVE_REFUSEE, mémoire bornée', async () => {
    const sst = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3000000" uniqueCount="3000000">${'<si><t>x</t></si>'.repeat(3_000_000)}</sst>`;
    const f = ecrire('chaines.xlsx', await classeurModifie('xl/sharedStrings.xml', sst));
    const r = await picRss(() => verifierClasseur(f));
    expect(r.erreur).to.be.instanceOf(ErreurMetier);
    expect((r.erreur as ErreurMetier).problemes[0]).to.include({ code: 'ARCHIVE_REFUSEE' });
    // Refused on its declared ratio, before one byte is inflated…
    expect((r.erreur as ErreurMetier).problemes[0].message).to.match(/sharedStrings\.xml se décompresse \d+ fois \(200 au plus\)/);
    console.log(`      chaînes partagées : refusé, RSS +${r.picMiB.toFixed(1)} Mio pendant la vérification`);
    expect(r.picMiB).to.be.below(64);
    // …and, were the ratio allowed, on the count of shared strings, while inflating.
    const compte = await picRss(() => verifierClasseur(f, { ...BORNES_CLASSEUR, ratio: 100_000 }));
    expect((compte.erreur as ErreurMetier).problemes[0].message).to.include(`plus de ${BORNES_CLASSEUR.chainesPartagees} chaînes partagées`);
    expect(compte.picMiB).to.be.below(64);
  });

  it('une feuille qui se décompresse au-delà de la borne (ici abaissée à 8 Mio) : refusée après 8 Mio décompressés, pas plus', async () => {
    const ligne = '<row><c t="inlineStr"><is><t>REINS</t></is></c></row>';
    const feuille = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${ligne.repeat(400_000)}</sheetData></worksheet>`;
    const f = ecrire('feuille.xlsx', await classeurModifie('xl/worksheets/sheet1.xml', feuille));
    const r = await picRss(() => verifierClasseur(f, { ...BORNES_CLASSEUR, taille: 8 * 1048576, ratio: 100_000 }));
    expect((r.erreur as ErreurMetier).problemes[0].message).to.include('plus de 8 Mio une fois décompressé');
    // And the same sheet within the default bounds but over the row bound given.
    const lignes = await verifierClasseur(f, { ...BORNES_CLASSEUR, lignes: 100_000, ratio: 100_000 }).catch((e: ErreurMetier) => e);
    expect((lignes as ErreurMetier).problemes[0].message).to.include('plus de 100000 lignes');
    console.log(`      feuille : refusée, RSS +${r.picMiB.toFixed(1)} Mio pendant la vérification`);
  });

  it('une ligne de plus de 16 384 cellules (la limite d’Excel) : refusée en la comptant, les lignes ordinaires passent', async () => {
    const cellule = '<c t="inlineStr"><is><t>x</t></is></c>';
    const feuille = (n: number) =>
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols><col min="1" max="2"/></cols><sheetData><row r="1">${cellule.repeat(6)}</row><row\nr="2">${cellule.repeat(n)}</row></sheetData></worksheet>`;
    const trop = ecrire('colonnes.xlsx', await classeurModifie('xl/worksheets/sheet1.xml', feuille(20_000)));
    const r = await verifierClasseur(trop, { ...BORNES_CLASSEUR, ratio: 100_000 }).catch((e: ErreurMetier) => e);
    expect(r).to.be.instanceOf(ErreurMetier);
    expect((r as ErreurMetier).problemes[0]).to.include({ code: 'ARCHIVE_REFUSEE' });
    expect((r as ErreurMetier).problemes[0].message).to.include('une ligne de plus de 16384 cellules');
    // Counted exactly across the inflated chunks: 16,385 refused, 16,384 (Excel's widest row) accepted;
    // and the bound is on one row, not on all of them.
    const une = await verifierClasseur(ecrire('une-de-trop.xlsx', await classeurModifie('xl/worksheets/sheet1.xml', feuille(16_385))), {
      ...BORNES_CLASSEUR,
      ratio: 100_000,
    }).catch((e: ErreurMetier) => e);
    expect((une as ErreurMetier).problemes[0].message).to.include('une ligne de plus de 16384 cellules');
    await verifierClasseur(ecrire('large.xlsx', await classeurModifie('xl/worksheets/sheet1.xml', feuille(16_384))), { ...BORNES_CLASSEUR, ratio: 100_000 });
    const unParLigne = `<?xml version="1.0"?><worksheet><sheetData>${`<row>${cellule}</row>`.repeat(20_000)}</sheetData></worksheet>`;
    await verifierClasseur(ecrire('hautes.xlsx', await classeurModifie('xl/worksheets/sheet1.xml', unParLigne)), { ...BORNES_CLASSEUR, ratio: 100_000 });
  });
});

for (const nomBase of BASES) {
  describe(`[${nomBase}] bombe XLSX envoyée comme fichier de laissez-passer`, function () {
    this.timeout(120_000);
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase);
    });
    after(async () => {
      await gw?.fermer();
    });

    it('refusée avec ARCHIVE_REFUSEE (4xx), rien chargé, la passerelle vivante, sa mémoire bornée', async () => {
      const sst = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>x</t></si>'.repeat(3_000_000)}</sst>`;
      const bombe = await classeurModifie('xl/sharedStrings.xml', sst);
      const r = await picRss(async () => {
        const rep = await fetch(`${gw.url}/api/v1/laissez-passer/bulk?attendre=1`, {
          method: 'POST',
          headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
          body: bombe,
        });
        return { status: rep.status, corps: (await rep.json()) as { errors?: { code: string }[]; erreur?: { code: string }[]; creees?: number } };
      });
      const { status, corps } = r.valeur!;
      const codes = [...(corps.errors ?? []), ...(corps.erreur ?? [])].map((e) => e.code);
      expect(codes, JSON.stringify(corps)).to.include('ARCHIVE_REFUSEE');
      expect(status < 500).to.equal(true);
      expect(corps.creees ?? 0).to.equal(0);
      expect((await fetch(`${gw.url}/health`)).status).to.equal(200);
      console.log(`      bombe de ${(bombe.length / 1024).toFixed(0)} Kio : HTTP ${status}, RSS du processus +${r.picMiB.toFixed(1)} Mio`);
      expect(r.picMiB).to.be.below(128);
    });
  });
}
