/**
 * The staff console in a real headless Chromium: sign in, check a spreadsheet with bad rows before
 * anything is written (every problem in its cell), send the corrected file and watch it finish,
 * download the report, replay a reject after a fix, browse a nomenclature, sign out; a read-only
 * account cannot write. Each page is screenshotted (test-artefacts/console/) and checked with axe-core
 * (no serious violation).
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { lancer, RACINE, type PasserelleDeTest } from '../helpers/passerelle';
import { capture, lancerChromium, violationsGraves } from '../helpers/navigateur';
import { opiExemple } from '../helpers/exemples';
import { aujourdhuiParis } from '../../src/application/horloge';

const ANNEE = aujourdhuiParis().slice(0, 4);
const MOT_DE_PASSE = 'une phrase de passe assez longue';
const ENTETE = 'typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet;codRgi';

/** 20 rows, five kinds of mistakes: unknown étape, bad student number, missing year, régime not allowed, a duplicate row. */
function tableur(corrige: boolean): string {
  const lignes = Array.from({ length: 20 }, (_, i) => ['REINS', ANNEE, '', String(22100000 + i), 'LDRT2', '2', '1']);
  if (!corrige) {
    lignes[2][4] = 'LINCON';
    lignes[5][3] = '12AB';
    lignes[8][1] = '';
    lignes[11][6] = '2';
    lignes[14] = [...lignes[13]];
  } else lignes[14][3] = '22100099';
  return [ENTETE, ...lignes.map((l) => l.join(';'))].join('\n');
}

describe('[sqlite] console de la scolarité dans Chromium', function () {
  this.timeout(180_000);
  let gw: PasserelleDeTest;
  let navigateur: Browser;
  const captures: string[] = [];
  before(async () => {
    gw = await lancer('sqlite', { JOURNAL_CLE: Buffer.alloc(32, 7).toString('base64') });
    await gw.p.services.identites.creerCompte('gestion', 'gestionnaire', MOT_DE_PASSE, 'Gestionnaire de scolarité', 'test');
    await gw.p.services.identites.creerCompte('lecteur', 'lecture', MOT_DE_PASSE, undefined, 'test');
    navigateur = await lancerChromium();
  });
  after(async () => {
    await navigateur?.close();
    await gw?.fermer();
    console.log(`      captures : ${captures.join(', ')}`);
  });

  async function connecter(identifiant: string): Promise<Page> {
    // bypassCSP lets the test inject axe-core; the console's own compliance with the CSP is checked in the first test.
    const page = await (await navigateur.newContext({ acceptDownloads: true, locale: 'fr-FR', bypassCSP: true })).newPage();
    await page.goto(`${gw.url}/console/`);
    await page.getByLabel('Identifiant').fill(identifiant);
    await page.getByLabel('Mot de passe').fill(MOT_DE_PASSE);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    return page;
  }

  const verifierAccessibilite = async (page: Page, nom: string) => {
    captures.push(await capture(page, nom));
    const v = await violationsGraves(page);
    expect(
      v.map((x) => `${x.id}: ${x.help} (${x.nodes.map((n) => n.target.join(' ')).join(', ')})`),
      nom,
    ).to.deep.equal([]);
  };

  it('connexion : mauvais mot de passe refusé avec un message, bon mot de passe ouvre la console (sous la CSP de la passerelle)', async () => {
    const page = await (await navigateur.newContext()).newPage();
    const erreurs: string[] = [];
    page.on('console', (m) => m.type() === 'error' && erreurs.push(m.text()));
    page.on('pageerror', (e) => erreurs.push(e.message));
    await page.goto(`${gw.url}/console/`);
    const axe = await (await navigateur.newContext({ bypassCSP: true })).newPage();
    await axe.goto(`${gw.url}/console/`);
    await axe.getByRole('button', { name: 'Se connecter' }).waitFor();
    await verifierAccessibilite(axe, '01-connexion');
    await axe.context().close();
    await page.getByLabel('Identifiant').fill('gestion');
    await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect((await page.getByRole('alert').textContent()) ?? '').to.include('Identifiant ou mot de passe incorrect');
    // With the keyboard alone: the password field, Enter to sign in, Tab to the first page link, Enter.
    await page.getByLabel('Mot de passe').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(MOT_DE_PASSE);
    await page.keyboard.press('Enter');
    await page.getByText('gestion (gestionnaire)').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).to.equal('Laissez-passer en masse');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Laissez-passer en masse' }).waitFor();
    // Only the refused sign-in's 401, nothing the Content-Security-Policy blocked.
    expect(erreurs.filter((e) => !/401/.test(e))).to.deep.equal([]);
    await page.context().close();
  });

  it('20 lignes et cinq sortes d’erreurs : vérifiées sans rien écrire, chaque problème dans sa cellule ; corrigées, envoyées, suivies jusqu’au bout ; le rapport se télécharge', async () => {
    const page = await connecter('gestion');
    await page.getByRole('link', { name: 'Laissez-passer en masse' }).click();
    await page.getByRole('heading', { name: 'Laissez-passer en masse' }).waitFor();
    await page.getByLabel(/Fichier de laissez-passer/).setInputFiles({ name: 'inscrits.csv', mimeType: 'text/csv', buffer: Buffer.from(tableur(false)) });
    await page.getByRole('button', { name: 'Vérifier sans rien écrire' }).click();
    const legende = page.getByText('Lignes à corriger avant l’envoi');
    await legende.waitFor();
    const texte = (await page.getByRole('status').first().textContent()) ?? '';
    expect(texte).to.include('20 ligne(s) lue(s)').and.include('5 rejetée(s)');
    // The preview: the first 20 rows as read, good and bad, the bad cells marked.
    const apercu = page.locator('table', { has: page.getByText('Aperçu des 20 premières lignes') });
    expect(await apercu.locator('tbody tr').count()).to.equal(20);
    expect(await apercu.locator('td.erreur').allTextContents()).to.include.members(['LINCON', '12AB', '2']);
    const table = page.locator('table', { has: legende });
    expect(await table.locator('tbody tr').count()).to.equal(5);
    const enErreur = await table.locator('td.erreur').allTextContents();
    expect(enErreur).to.include.members(['LINCON', '12AB', '2']);
    const problemes = (await table.textContent()) ?? '';
    for (const code of ['ETAPE_INCONNUE', 'FORMAT_INVALIDE', 'CHAMP_OBLIGATOIRE', 'REGIME_NON_AUTORISE_SUR_ETAPE', 'LIGNE_EN_DOUBLE'])
      expect(problemes).to.include(code);
    expect(Number((await gw.p.source.query("SELECT COUNT(*) AS n FROM laissez_passer WHERE codEtu LIKE '221%'"))[0].n)).to.equal(0);
    await verifierAccessibilite(page, '02-laissez-passer-verification');

    // Sent as it is: the 15 good rows are loaded, the report lists the 5 others and downloads as CSV.
    await page.getByRole('button', { name: 'Envoyer le fichier' }).click();
    await page.getByRole('heading', { name: 'Chargement : terminé' }).waitFor();
    await page.getByText('Lignes rejetées').waitFor();
    const telechargement = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Télécharger le rapport des rejets (CSV)' }).click();
    const rapport = readFileSync((await (await telechargement).path())!, 'utf8');
    expect(rapport).to.include('ETAPE_INCONNUE').and.include('LINCON');
    await verifierAccessibilite(page, '03-laissez-passer-rapport');

    // The corrected file: every row in, the ones already written unchanged.
    await page
      .getByLabel(/Fichier de laissez-passer/)
      .setInputFiles({ name: 'inscrits-corrige.csv', mimeType: 'text/csv', buffer: Buffer.from(tableur(true)) });
    await page.getByRole('button', { name: 'Vérifier sans rien écrire' }).click();
    await page.getByText('0 rejetée(s)').waitFor();
    await page.getByRole('button', { name: 'Envoyer le fichier' }).click();
    await page.getByRole('heading', { name: 'Chargement : terminé' }).waitFor();
    expect((await page.getByRole('status').textContent()) ?? '')
      .to.include('5 créée(s)')
      .and.include('15 inchangée(s)');
    expect(Number((await gw.p.source.query("SELECT COUNT(*) AS n FROM laissez_passer WHERE codEtu LIKE '221%'"))[0].n)).to.equal(20);

    await page.getByRole('link', { name: 'Chargements' }).click();
    await page.getByRole('heading', { name: 'Chargements' }).waitFor();
    await page.getByRole('cell', { name: 'inscrits-corrige.csv' }).first().waitFor();
    await verifierAccessibilite(page, '04-chargements');

    // The dashboard counts them: the rejected rows by class, the loads of the day.
    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    const classes = page.locator('table', { has: page.getByText('Rejets par classe', { exact: true }) });
    await classes.waitFor();
    expect(await classes.locator('tr', { hasText: 'Doublons' }).textContent()).to.match(/Doublons\s*1$/);
    expect(await classes.locator('tr', { hasText: 'Formation (étape, version, régime)' }).textContent()).to.match(/\)\s*2$/);
    await page.locator('canvas').first().waitFor();
    await verifierAccessibilite(page, '00-tableau-de-bord');
    await page.context().close();
  });

  it('rejets : un refus simulé, puis rejoué après l’ajout de sa version d’étape ; nomenclatures consultées ; déconnexion', async () => {
    const o = opiExemple('CN26000001', { ine: null });
    o.voeux = [{ ...o.voeux[0], codEtp: 'LDRT2', codVrsVet: 9 }];
    expect((await gw.json('PUT', '/api/v1/opi/CN26000001', o, { 'x-api-key': await cleAdmin(gw) })).status).to.equal(422);
    const page = await connecter('gestion');
    await page.getByRole('link', { name: 'Rejets' }).click();
    await page
      .getByRole('button', { name: /^Simuler le rejeu/ })
      .first()
      .waitFor();
    await verifierAccessibilite(page, '05-rejets');
    const id = (await gw.json('GET', '/api/v1/journal?cle=CN26000001&resultat=REJETE', undefined, { 'x-api-key': await cleAdmin(gw) })).body.entrees[0].id;
    await page.getByRole('button', { name: `Simuler le rejeu du message ${id}` }).click();
    await page.getByText('Simulation : REJETE (ETAPE_INCONNUE)').waitFor();
    // The version of the étape loaded (as the establishment would load its nomenclature), the reject replays.
    const dossier = mkdtempSync(path.join(tmpdir(), 'etapes-'));
    const etapes = JSON.parse(readFileSync(`${RACINE}/fixtures/nomenclatures/etapes.json`, 'utf8'));
    etapes.codes.push({
      ...etapes.codes.find((c: { codEtp: string; codVrsVet: number }) => c.codEtp === 'LDRT2' && c.codVrsVet === 2),
      codVrsVet: 9,
      libelle: 'L2 Droit (v9)',
    });
    writeFileSync(path.join(dossier, 'etapes.json'), JSON.stringify(etapes));
    await gw.p.services.nomenclatures.charger(dossier);
    rmSync(dossier, { recursive: true, force: true });
    await page.getByRole('button', { name: `Rejouer le message ${id}` }).click();
    await page.getByText('Rejeu : CREE').waitFor();
    expect((await gw.json('GET', '/api/v1/opi/CN26000001', undefined, { 'x-api-key': await cleAdmin(gw) })).status).to.equal(200);

    await page.getByRole('link', { name: 'Nomenclatures' }).click();
    await page.getByLabel('Nomenclature', { exact: true }).selectOption('etapes');
    await page.getByLabel('Chercher un code ou un libellé').fill('LDRT2');
    await page.getByRole('cell', { name: 'LDRT2' }).first().waitFor();
    await verifierAccessibilite(page, '06-nomenclatures');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    expect((await page.request.get(`${gw.url}/api/v1/session`)).status()).to.equal(401);
    await page.context().close();
  });

  it('recherche par nom et date de naissance : OPI, vœux, LP, valeurs retenues et leur provenance, pièces (validée, refusée avec un motif), IA', async () => {
    const cle = { 'x-api-key': await cleAdmin(gw) };
    const o = opiExemple('CN26000002', { ine: '1234567890V', nom: 'Martin', prenom: 'Zoé', dateNai: '2006-03-09' });
    o.voeux = [{ ...o.voeux[0], codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C' }];
    expect((await gw.json('PUT', '/api/v1/opi/CN26000002', o, cle)).status).to.equal(201);
    expect(
      (
        await gw.json(
          'POST',
          '/api/v1/laissez-passer',
          { typLpa: 'REINS', codAnu: ANNEE, numOPI: 'CN26000002', codEtp: 'LDRT2', codVrsVet: 2, codRgi: '3' },
          cle,
        )
      ).status,
    ).to.equal(201);
    for (const [codTpj, fichier, type] of [
      ['IDENT', 'valide.pdf', 'application/pdf'],
      ['PHOTO', 'photo.jpg', 'image/jpeg'],
    ])
      expect(
        (
          await fetch(`${gw.url}/api/v1/opi/CN26000002/pj/${codTpj}`, {
            method: 'PUT',
            headers: { ...cle, 'content-type': type, 'content-disposition': `attachment; filename="${fichier}"` },
            body: readFileSync(`${RACINE}/fixtures/pj/${fichier}`),
          })
        ).status,
      ).to.equal(201);
    expect(
      (
        await gw.json(
          'POST',
          '/api/v1/inscriptions',
          { codAnu: ANNEE, codOpiIntEpo: 'CN26000002', codEtp: 'LDRT1', codVrsVet: 2, numeroCvec: 'REN30000002' },
          cle,
        )
      ).status,
    ).to.equal(201);

    const page = await connecter('gestion');
    await page.getByRole('link', { name: 'Recherche' }).click();
    await page.getByLabel('Nom', { exact: true }).fill('martin');
    await page.getByLabel('Date de naissance').fill('2006-03-09');
    await page.getByLabel('Campagne (année)').fill(ANNEE);
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.getByRole('heading', { name: /MARTIN ZOÉ — OPI CN26000002/ }).waitFor();
    const formations = page.locator('table', { has: page.getByRole('columnheader', { name: 'Ouverte par' }) });
    await formations.getByRole('cell', { name: /LDRT2 v2/ }).waitFor();
    const l2 = formations.locator('tr', { hasText: 'LDRT2 v2' });
    expect(await l2.textContent())
      .to.include('laissez-passer')
      .and.include('3 (laissez-passer)');
    const l1 = formations.locator('tr', { hasText: 'LDRT1 v2' });
    expect(await l1.textContent()).to.include('1 (vœu de l’OPI)');
    await page.getByText('EN_ATTENTE_PAIEMENT').waitFor();

    await page.getByRole('button', { name: 'Valider IDENT' }).click();
    await page.getByText('Pièce IDENT : validée.').waitFor();
    await page.getByLabel('Motif du refus de PHOTO').selectOption('ILLIS');
    await page.getByLabel('Précision pour l’étudiant (PHOTO)').fill('La photo est floue');
    await page.getByRole('button', { name: 'Refuser PHOTO' }).click();
    await page.getByText('refusée : Document illisible ou flou').waitFor();
    const pj = (await gw.json('GET', '/api/v1/opi/CN26000002/pj', undefined, cle)).body.pieces as {
      codTpj: string;
      statut: string;
      commentaire: string | null;
    }[];
    expect(pj.find((p) => p.codTpj === 'IDENT')?.statut).to.equal('VALIDEE');
    expect(pj.find((p) => p.codTpj === 'PHOTO')).to.include({ statut: 'REFUSEE', commentaire: 'La photo est floue' });
    await verifierAccessibilite(page, '08-recherche');

    // Who still owes what: the refused photo is owed again; the link opens the individual.
    await page.getByRole('link', { name: 'Pièces dues' }).click();
    const ligne = page.getByRole('row', { name: /MARTIN ZOÉ \(CN26000002\)/ });
    await ligne.waitFor();
    expect(await ligne.textContent()).to.include("Photo d'identité — refusée, à redéposer");
    await verifierAccessibilite(page, '11-pieces-dues');
    await ligne.getByRole('link').click();
    await page.getByRole('heading', { name: /MARTIN ZOÉ — OPI CN26000002/ }).waitFor();
    await page.context().close();
  });

  it('doublons : deux OPI au même INE côte à côte, les différences marquées ; « personnes différentes » enregistrée', async () => {
    const cle = { 'x-api-key': await cleAdmin(gw) };
    expect((await gw.json('PUT', '/api/v1/opi/CN26000011', opiExemple('CN26000011', { ine: '0000000002C', nom: 'Petit' }), cle)).status).to.equal(201);
    expect((await gw.json('PUT', '/api/v1/opi/CN26000012', opiExemple('CN26000012', { ine: '0000000002C', nom: 'Petitjean' }), cle)).status).to.equal(201);
    const page = await connecter('gestion');
    await page.getByRole('link', { name: 'Doublons' }).click();
    const paire = page.getByRole('article', { name: 'Paire CN26000012 et CN26000011' });
    await paire.waitFor();
    expect(await paire.locator('td.erreur').allTextContents()).to.deep.equal(['CN26000012', 'CN26000011', 'PETITJEAN', 'PETIT']);
    await verifierAccessibilite(page, '10-doublons');
    await paire.getByRole('button', { name: 'Personnes différentes' }).click();
    await page.getByText('Paire CN26000012 / CN26000011 : personnes différentes.').waitFor();
    const decidees = (await gw.json('GET', '/api/v1/doublons?decidees=true', undefined, cle)).body.paires;
    expect(decidees[0]).to.include({ decision: 'PERSONNES_DIFFERENTES', decidePar: 'gestion' });
    await page.context().close();
  });

  it('import d’un export de gestion Parcoursup : vérifié sans rien écrire, puis importé, avec le même rapport', async () => {
    const page = await connecter('gestion');
    await page.getByRole('link', { name: 'Imports d’OPI' }).click();
    await page.getByLabel('Format du fichier').selectOption('parcoursup-csv');
    await page.getByLabel('Fichier(s) de la plateforme').setInputFiles(`${RACINE}/fixtures/parcoursup/gestion-export.csv`);
    await page.getByLabel(/Code Parcoursup de la formation/).fill('12345');
    await page.getByRole('button', { name: 'Vérifier sans rien écrire' }).click();
    await page.getByRole('heading', { name: 'Vérification : terminé' }).waitFor();
    const avant = Number((await gw.p.source.query('SELECT COUNT(*) AS n FROM individu_opi'))[0].n);
    await page.getByRole('button', { name: 'Importer' }).click();
    await page.getByRole('heading', { name: 'Chargement : terminé' }).waitFor();
    const apres = Number((await gw.p.source.query('SELECT COUNT(*) AS n FROM individu_opi'))[0].n);
    expect(apres).to.be.greaterThan(avant);
    expect((await page.getByRole('status').last().textContent()) ?? '').to.include(`${apres - avant} créée(s)`);
    await verifierAccessibilite(page, '09-imports');
    await page.context().close();
  });

  it('session expirée sous la page (inactivité) : la console le dit et revient à la connexion', async () => {
    const page = await connecter('lecteur');
    await gw.p.source.query("DELETE FROM session_personnel WHERE compte = 'lecteur'");
    await page.getByRole('link', { name: 'Chargements' }).click();
    await page.getByText('Votre session a expiré').waitFor();
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    await page.context().close();
  });

  it('un compte en lecture seule : la console n’offre pas l’envoi, et l’API le refuse', async () => {
    const page = await connecter('lecteur');
    await page.getByRole('link', { name: 'Laissez-passer en masse' }).click();
    await page.getByText('votre rôle ne permet pas d’écrire des laissez-passer').waitFor();
    await page.getByLabel(/Fichier de laissez-passer/).setInputFiles({ name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from(tableur(true)) });
    expect(await page.getByRole('button', { name: 'Envoyer le fichier' }).isDisabled()).to.equal(true);
    const csrf = (await (await page.request.get(`${gw.url}/api/v1/session`)).json()).csrf as string;
    const r = await page.request.post(`${gw.url}/api/v1/laissez-passer/bulk`, {
      headers: { 'content-type': 'text/csv', 'x-csrf-token': csrf },
      data: tableur(true),
    });
    expect(r.status()).to.equal(403);
    await verifierAccessibilite(page, '07-lecture-seule');
    await page.context().close();
  });
});

let cle: string | undefined;
/** An admin API key, for what the test sets up beside the console. */
async function cleAdmin(gw: PasserelleDeTest): Promise<string> {
  cle ??= (await gw.p.services.identites.creerClient('installation', {})).cle;
  return cle;
}
