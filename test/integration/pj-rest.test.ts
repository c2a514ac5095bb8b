/**
 * Supporting documents over REST: deposit (raw body and multipart), what is owed and received, the
 * bytes back identical, one stored copy of the same bytes, every refusal with its code and nothing
 * stored, the staff decision, the Amue-compatible reads and who still owes what.
 */
import { expect } from 'chai';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { BASES } from '../helpers/bases';
import { lancer, RACINE, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';

const PJ = (nom: string) => readFileSync(path.join(RACINE, 'fixtures', 'pj', nom));

async function deposer(gw: PasserelleDeTest, code: string, codTpj: string, contenu: Buffer, type: string, nom: string) {
  const r = await fetch(`${gw.url}/api/v1/opi/${code}/pj/${codTpj}`, {
    method: 'PUT',
    headers: { 'content-type': type, 'content-disposition': `attachment; filename="${nom}"` },
    body: contenu,
  });
  return { status: r.status, body: (await r.json()) as any };
}

async function deposerMultipart(gw: PasserelleDeTest, code: string, codTpj: string, contenu: Buffer, type: string, nom: string) {
  const form = new FormData();
  form.append('fichier', new Blob([contenu], { type }), nom);
  const r = await fetch(`${gw.url}/api/v1/opi/${code}/pj/${codTpj}`, { method: 'PUT', body: form });
  return { status: r.status, body: (await r.json()) as any };
}

/** Every file of the document store (addresses), whatever its folder layout. */
function fichiersStockes(dossier: string): string[] {
  const sortie: string[] = [];
  const parcourir = (d: string) => {
    for (const n of readdirSync(d)) {
      const c = path.join(d, n);
      if (statSync(c).isDirectory()) {
        if (n !== 'reception') parcourir(c);
      } else if (/^[0-9a-f]{64}$/.test(n)) sortie.push(n);
    }
  };
  try {
    parcourir(dossier);
  } catch {
    return [];
  }
  return sortie;
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] pièces justificatives (REST)`, function () {
    let gw: PasserelleDeTest;
    let dossierPj: string;
    before(async () => {
      gw = await lancer(nomBase, { MAX_PJ_BYTES: String(3 * 1024 * 1024) });
      dossierPj = gw.dossierPj;
      for (const code of ['PJ24000001', 'PJ24000002', 'PJ24000003']) {
        const r = await gw.json(
          'PUT',
          `/api/v1/opi/${code}`,
          opiExemple(code, { ine: null, nom: 'Lefèvre', prenom: 'Élodie', dateNai: `2006-05-1${code.slice(-1)}` }),
        );
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
      }
    });
    after(async () => {
      await gw?.fermer();
    });

    it("dépose un PDF (corps brut), le rend à l'identique, et un renvoi des mêmes octets ne change rien ni ne stocke deux fois", async () => {
      const pdf = PJ('valide.pdf');
      const r1 = await deposer(gw, 'PJ24000001', 'IDENT', pdf, 'application/pdf', 'carte identité.pdf');
      expect(r1.status, JSON.stringify(r1.body)).to.equal(201);
      expect(r1.body).to.deep.include({ resultat: 'CREE' });
      expect(r1.body.piece).to.include({
        codTpj: 'IDENT',
        statut: 'DEPOSEE',
        typeMedia: 'application/pdf',
        taille: pdf.length,
        nomFichier: 'carte identité.pdf',
        version: 1,
      });
      const r2 = await deposer(gw, 'PJ24000001', 'IDENT', pdf, 'application/octet-stream', 'autre-nom.pdf');
      expect(r2.status).to.equal(200);
      expect(r2.body.resultat).to.equal('INCHANGE');
      const contenu = await fetch(`${gw.url}/api/v1/opi/PJ24000001/pj/IDENT/contenu`);
      expect(contenu.status).to.equal(200);
      expect(contenu.headers.get('content-type')).to.equal('application/pdf');
      expect(contenu.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(contenu.headers.get('content-disposition')).to.equal(`attachment; filename="carte identite.pdf"; filename*=UTF-8''carte%20identit%C3%A9.pdf`);
      expect(Buffer.from(await contenu.arrayBuffer()).equals(pdf)).to.equal(true);
      // The same bytes for another OPI: still one stored file.
      expect((await deposer(gw, 'PJ24000002', 'IDENT', pdf, 'application/pdf', 'id.pdf')).status).to.equal(201);
      const rows = await gw.p.source.query("SELECT empreinte FROM piece_opi WHERE codTpj = 'IDENT'");
      expect(new Set(rows.map((x: { empreinte: string }) => x.empreinte)).size).to.equal(1);
    });

    it("multipart/form-data (partie « fichier ») : une photo JPEG remplace la précédente PNG, l'historique est gardé", async () => {
      const r1 = await deposerMultipart(gw, 'PJ24000001', 'PHOTO', PJ('image.png'), 'image/png', 'photo.png');
      expect(r1.status, JSON.stringify(r1.body)).to.equal(201);
      const r2 = await deposerMultipart(gw, 'PJ24000001', 'PHOTO', PJ('photo.jpg'), 'image/jpeg', '../../etc/photo.jpg');
      expect(r2.status, JSON.stringify(r2.body)).to.equal(200);
      expect(r2.body.resultat).to.equal('REMPLACE');
      expect(r2.body.piece).to.include({ typeMedia: 'image/jpeg', version: 2, nomFichier: 'photo.jpg' });
      const [{ n }] = await gw.p.source.query("SELECT COUNT(*) AS n FROM piece_historique WHERE codOpiIntEpo = 'PJ24000001' AND codTpj = 'PHOTO'");
      expect(Number(n)).to.equal(2);
    });

    const REFUS: [string, string, string, string, number, string][] = [
      ['un exécutable renommé en .pdf', 'programme.pdf', 'application/pdf', 'IDENT', 422, 'PJ_TYPE_NON_AUTORISE'],
      ['une page HTML nommée .pdf', 'page.pdf', 'application/pdf', 'IDENT', 422, 'PJ_TYPE_NON_AUTORISE'],
      ['un script nommé .pdf', 'script.pdf', 'application/pdf', 'IDENT', 422, 'PJ_TYPE_NON_AUTORISE'],
      ['un SVG', 'dessin.svg', 'image/svg+xml', 'IDENT', 422, 'PJ_TYPE_NON_AUTORISE'],
      ['une archive ZIP', 'archive.zip', 'application/zip', 'IDENT', 422, 'PJ_TYPE_NON_AUTORISE'],
      ['un PDF chiffré', 'chiffre.pdf', 'application/pdf', 'IDENT', 422, 'PJ_PDF_CHIFFRE'],
      ['un PDF tronqué', 'tronque.pdf', 'application/pdf', 'IDENT', 422, 'PJ_PDF_ILLISIBLE'],
      ['un fichier vide', 'vide.pdf', 'application/pdf', 'IDENT', 422, 'PJ_VIDE'],
      ['un PDF pour une photo (types de la pièce)', 'valide.pdf', 'application/pdf', 'PHOTO', 422, 'PJ_TYPE_NON_AUTORISE'],
      ['un type de pièce inconnu', 'valide.pdf', 'application/pdf', 'XXXXX', 422, 'PJ_TYPE_INCONNU'],
    ];
    for (const [titre, fichier, type, codTpj, status, code] of REFUS) {
      it(`refuse ${titre} : ${status} ${code}, rien de stocké`, async () => {
        const avant = fichiersStockes(dossierPj).length;
        const r = await deposer(gw, 'PJ24000003', codTpj, PJ(fichier), type, fichier);
        expect(r.status, JSON.stringify(r.body)).to.equal(status);
        expect(r.body.errors.map((e: { code: string }) => e.code)).to.include(code);
        if (code !== 'PJ_TYPE_INCONNU') expect(r.body.errors.find((e: { code: string }) => e.code === code).path).to.equal('pj');
        expect((await gw.json('GET', '/api/v1/opi/PJ24000003/pj')).body.pieces.filter((p: { statut: string }) => p.statut !== 'ATTENDUE')).to.deep.equal([]);
        expect(fichiersStockes(dossierPj).length).to.equal(avant);
      });
    }

    it('refuse un fichier trop gros (413, la limite de la porte comme celle du type) et une OPI inconnue (404), rien de stocké', async () => {
      const gros = Buffer.concat([PJ('valide.pdf'), Buffer.alloc(4 * 1024 * 1024, 0x20)]);
      const r = await deposer(gw, 'PJ24000003', 'IDENT', gros, 'application/pdf', 'gros.pdf');
      expect(r.status).to.equal(413);
      expect(r.body.errors[0]).to.include({ code: 'PJ_TROP_VOLUMINEUX', path: 'pj' });
      const moyen = Buffer.concat([PJ('photo.jpg'), Buffer.alloc(2_200_000, 0)]);
      const r2 = await deposer(gw, 'PJ24000003', 'PHOTO', moyen, 'image/jpeg', 'grande.jpg');
      expect(r2.status).to.equal(413);
      expect(r2.body.errors[0].message).to.contain('2 Mio');
      const r3 = await deposer(gw, 'ZZ00000000', 'IDENT', PJ('valide.pdf'), 'application/pdf', 'a.pdf');
      expect(r3.status).to.equal(404);
      expect(r3.body.errors[0]).to.include({ code: 'OPI_INTROUVABLE', path: 'codOpiIntEpo' });
      const j = await gw.json('GET', '/api/v1/journal?operation=pj.deposer&resultat=REJETE&limite=100');
      expect(j.body.entrees.filter((e: { individu: string }) => e.individu === 'OPI:ZZ00000000')).to.have.length(1);
    });

    it('liste les pièces attendues (avec la raison) et reçues ; la scolarité valide ou refuse (motif obligatoire) ; tout est journalisé', async () => {
      const liste = await gw.json('GET', '/api/v1/opi/PJ24000001/pj');
      expect(liste.status).to.equal(200);
      const parType = Object.fromEntries(liste.body.pieces.map((p: { codTpj: string }) => [p.codTpj, p]));
      expect(parType.IDENT).to.include({ attendue: true, statut: 'DEPOSEE' });
      expect(parType.IDENT.raisons).to.include('demandée à tous');
      expect(parType.PHOTO).to.include({ statut: 'DEPOSEE' });
      expect(parType.RELBC).to.include({ attendue: true, statut: 'ATTENDUE' });
      expect(parType.TSEJ, 'nationalité française : pas de titre de séjour').to.equal(undefined);
      const sansMotif = await gw.json('POST', '/api/v1/opi/PJ24000001/pj/IDENT/statut', { statut: 'REFUSEE' });
      expect(sansMotif.status).to.equal(422);
      expect(sansMotif.body.errors[0]).to.include({ code: 'MOTIF_REFUS_REQUIS', path: 'motif' });
      const mauvaisMotif = await gw.json('POST', '/api/v1/opi/PJ24000001/pj/IDENT/statut', { statut: 'REFUSEE', motif: 'ZZZ' });
      expect(mauvaisMotif.body.errors[0]).to.include({ code: 'MOTIF_REFUS_PJ_INCONNU', path: 'motif' });
      const refus = await gw.json('POST', '/api/v1/opi/PJ24000001/pj/IDENT/statut', { statut: 'REFUSEE', motif: 'illis', commentaire: 'Le recto est flou.' });
      expect(refus.status, JSON.stringify(refus.body)).to.equal(200);
      expect(refus.body.piece).to.include({
        statut: 'REFUSEE',
        motifRefus: 'ILLIS',
        libelleMotifRefus: 'Document illisible ou flou',
        commentaire: 'Le recto est flou.',
      });
      const valide = await gw.json('POST', '/api/v1/opi/PJ24000001/pj/PHOTO/statut', { statut: 'VALIDEE' });
      expect(valide.body).to.deep.include({ resultat: 'VALIDEE' });
      expect((await gw.json('POST', '/api/v1/opi/PJ24000001/pj/RELBC/statut', { statut: 'VALIDEE' })).status).to.equal(404);
      const j = await gw.json('GET', '/api/v1/journal?operation=pj.statuer&individu=OPI:PJ24000001');
      expect(j.body.entrees.map((e: { resultat: string }) => e.resultat)).to.include.members(['VALIDEE', 'REFUSEE', 'REJETE']);
    });

    it("service PJ compatible Amue : info et fichier par année et numéro étudiant (ou numéro d'OPI), erreurs au format Amue", async () => {
      const codAnu = (await gw.p.source.query("SELECT codAnu FROM individu_opi WHERE codOpiIntEpo = 'PJ24000001'"))[0].codAnu as string;
      const info = await gw.json('GET', `/api/v1/pj/info?codAnu=${codAnu}&codOpiIntEpo=PJ24000001&codTpj=IDENT`);
      expect(info.status, JSON.stringify(info.body)).to.equal(200);
      expect(info.body).to.have.length(1);
      expect(info.body[0]).to.include({
        codAnu,
        codTpj: 'IDENT',
        nomFic: 'carte identité.pdf',
        temDemPJ: true,
        stuPj: 'REFUSEE',
        mtfRefus: 'Document illisible ou flou',
        cmtMtfRefus: 'Le recto est flou.',
      });
      expect(info.body[0].datRecPj).to.match(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$/);
      const fichier = await fetch(`${gw.url}/api/v1/pj/fichier?codAnu=${codAnu}&codOpiIntEpo=PJ24000001&codTpj=IDENT`);
      expect(Buffer.from(await fichier.arrayBuffer()).equals(PJ('valide.pdf'))).to.equal(true);
      // By student number: the individual is found through a laissez-passer that names its OPI.
      const lp = await gw.json('POST', '/api/v1/laissez-passer', {
        codAnu,
        numOPI: 'PJ24000002',
        codEtu: '21009999',
        codEtp: 'LDRT2',
        codVrsVet: 2,
        codRgi: '1',
        codStu: '01',
        codCatExoExt: 'DN',
      });
      expect(lp.status, JSON.stringify(lp.body)).to.equal(201);
      const parEtu = await gw.json('GET', `/api/v1/pj/info?codAnu=${codAnu}&codEtu=021009999`);
      expect(parEtu.status, JSON.stringify(parEtu.body)).to.equal(200);
      expect(parEtu.body.find((x: { codTpj: string }) => x.codTpj === 'IDENT')).to.include({ stuPj: 'DEPOSEE', nomFic: 'id.pdf' });
      const inconnu = await gw.json('GET', `/api/v1/pj/info?codAnu=${codAnu}&codEtu=99999999`);
      expect(inconnu.status).to.equal(404);
      expect(inconnu.body).to.include({ erreurType: 'nullretrieve.etudiantinexistant' });
      expect(inconnu.body.erreurMsg).to.be.a('string');
      const sansPiece = await gw.json('GET', `/api/v1/pj/fichier?codAnu=${codAnu}&codOpiIntEpo=PJ24000002&codTpj=PHOTO`);
      expect(sansPiece.body).to.include({ erreurType: 'nullretrieve.piecejustif' });
    });

    it("le nettoyage retire les fichiers stockés qu'aucune pièce ne référence, et garde les autres", async () => {
      const avant = fichiersStockes(dossierPj);
      expect(avant.length).to.be.greaterThan(0);
      // A file stored by a deposit whose transaction then failed: nothing refers to it.
      const orphelin = path.join(RACINE, 'fixtures', 'pj', 'icone.svg');
      const { empreinte } = await gw.p.services.pieces.stockage.deposer(orphelin);
      expect(fichiersStockes(dossierPj)).to.include(empreinte);
      expect(await gw.p.services.pieces.nettoyerStockage()).to.deep.equal({ supprimes: 1 });
      expect(fichiersStockes(dossierPj).sort()).to.deep.equal([...avant].sort());
    });

    it('qui doit encore quoi : les pièces attendues non reçues ou refusées, filtrables par type', async () => {
      const r = await gw.json('GET', '/api/v1/pj/en-attente?limite=500');
      expect(r.status).to.equal(200);
      const parCode = Object.fromEntries(
        r.body.individus.map((i: { codOpiIntEpo: string; manquantes: { codTpj: string }[] }) => [i.codOpiIntEpo, i.manquantes.map((m) => m.codTpj)]),
      );
      expect(parCode.PJ24000001).to.include.members(['IDENT', 'RELBC']).and.not.include('PHOTO');
      expect(parCode.PJ24000003).to.include.members(['IDENT', 'PHOTO']);
      const photos = await gw.json('GET', '/api/v1/pj/en-attente?codTpj=PHOTO');
      expect(photos.body.individus.map((i: { codOpiIntEpo: string }) => i.codOpiIntEpo)).to.not.include('PJ24000001');
    });
  });
}
