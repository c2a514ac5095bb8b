/**
 * The reminder of missing supporting documents end to end, on every database: a real gateway, OPIs and
 * documents through REST, the run through `POST /api/v1/pj/relances`, and the e-mails sent by
 * nodemailer to a real SMTP server started here (smtp-server), read back with mailparser. One
 * recipient is refused by that server with a 550 at RCPT TO. The reminders' clock is the test's: it
 * moves to later periods.
 */
import { expect } from 'chai';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demarrer, type OptionsDemarrage, type Passerelle } from '../../src/server';
import { lireConfig } from '../../src/config';
import type { RapportRelances } from '../../src/application/relances-pj';
import { BASES, nouvelleBase, type BaseDeTest, type NomBase } from '../helpers/bases';
import { RACINE } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';
import { serveurSmtp, type CourrielRecu, type ServeurSmtpDeTest } from '../helpers/smtp';

const JOUR = 86_400_000;
const PJ = (nom: string) => readFileSync(path.join(RACINE, 'fixtures', 'pj', nom));

interface Passerelle2 {
  url: string;
  p: Passerelle;
  json(methode: string, chemin: string, corps?: unknown): Promise<{ status: number; body: any }>;
  fermer(): Promise<void>;
}

/** As test/helpers/passerelle.ts `lancer`, with `demarrer`'s options (the reminders' clock, the first scheduled run). */
async function lancerAvec(nom: NomBase, env: Record<string, string>, options: OptionsDemarrage): Promise<Passerelle2> {
  const base: BaseDeTest = await nouvelleBase(nom);
  const dossier = path.join(base.nom === 'sqlite' ? path.dirname(base.config.url) : tmpdir(), `relances-${base.config.url.replace(/\W+/g, '_').slice(-40)}`);
  const config = {
    ...lireConfig({ LOG_LEVEL: 'error', BULK_DIR: path.join(dossier, 'lots'), PJ_DIR: path.join(dossier, 'pj'), ...env }),
    base: base.config,
  };
  const p = await demarrer(config, options);
  const url = `http://127.0.0.1:${await p.ecouter(0, '127.0.0.1')}`;
  return {
    url,
    p,
    async json(methode, chemin, corps) {
      const r = await fetch(url + chemin, {
        method: methode,
        headers: corps === undefined ? {} : { 'content-type': 'application/json' },
        body: corps === undefined ? undefined : JSON.stringify(corps),
      });
      const texte = await r.text();
      let body: unknown = texte;
      try {
        body = JSON.parse(texte);
      } catch {
        /* not JSON */
      }
      return { status: r.status, body };
    },
    async fermer() {
      await p.arreter();
      await base.supprimer();
      rmSync(dossier, { recursive: true, force: true });
    },
  };
}

/** The students of the test: who owes what is read from the gateway (GET …/pj), not assumed. */
const ETUDIANTS = {
  alice: { code: 'RL26000001', prenom: 'Alice', nom: 'Martin', adresse: 'alice.martin@example.org' },
  bruno: { code: 'RL26000002', prenom: 'Bruno', nom: 'Petit', adresse: 'bruno.petit@example.org' },
  chloe: { code: 'RL26000003', prenom: 'Chloé', nom: 'Durand', adresse: 'chloe.durand@example.org' },
  damien: { code: 'RL26000004', prenom: 'Damien', nom: 'Roux', adresse: 'inconnu@example.org' },
  emma: { code: 'RL26000005', prenom: 'Emma', nom: 'Blanc', adresse: undefined },
} as const;
const REFUSEE = 'inconnu@example.org';

interface PieceAttendue {
  codTpj: string;
  libelle: string;
  raisons: string[];
  statut: string;
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] relances des pièces manquantes par courriel (SMTP réel)`, function () {
    this.timeout(120_000);
    let smtp: ServeurSmtpDeTest;
    let gw: Passerelle2;
    let horloge = new Date();
    let mediaDe: (codTpj: string) => string[] = () => ['application/pdf'];
    /** The documents each student still owes, as the gateway says (code → owed and missing). */
    const manquantes = new Map<string, PieceAttendue[]>();
    const relancer = (simulation?: boolean) => gw.json('POST', `/api/v1/pj/relances${simulation === undefined ? '' : `?simulation=${simulation}`}`);
    const recusPour = (adresse: string, depuis = 0): CourrielRecu[] => smtp.recus.slice(depuis).filter((r) => r.a.includes(adresse));

    async function deposer(code: string, codTpj: string, typesMedia: string[]) {
      const [fichier, type] = typesMedia.includes('application/pdf') ? ['valide.pdf', 'application/pdf'] : ['photo.jpg', 'image/jpeg'];
      const r = await fetch(`${gw.url}/api/v1/opi/${code}/pj/${codTpj}`, {
        method: 'PUT',
        headers: { 'content-type': type, 'content-disposition': `attachment; filename="${fichier}"` },
        body: PJ(fichier),
      });
      expect(r.status, `${code} ${codTpj} : ${await r.text()}`).to.be.oneOf([200, 201]);
    }

    before(async () => {
      smtp = await serveurSmtp({ refusees: { [REFUSEE]: 550 }, identifiants: { utilisateur: 'relances', motDePasse: 's3cret' } });
      gw = await lancerAvec(
        nomBase,
        { SMTP_URL: smtp.url, SMTP_FROM: 'Scolarité <scolarite@univ.example>', RELANCE_PJ_PERIODE_JOURS: '7' },
        { maintenant: () => horloge },
      );
      const types = ((await gw.json('GET', '/api/v1/nomenclatures/types-pj')).body as { codes: { code: string; typesMedia?: string[] }[] }).codes;
      mediaDe = (codTpj) => types.find((t) => t.code === codTpj)?.typesMedia ?? ['application/pdf'];
      let jour = 1;
      for (const e of Object.values(ETUDIANTS)) {
        const o = opiExemple(e.code, { ine: null, nom: e.nom, prenom: e.prenom, dateNai: `2006-05-1${jour++}` });
        const { adrMailOpi: _aucune, ...autres } = o.individu.donneesPersonnelles;
        const corps = { ...o, individu: { ...o.individu, donneesPersonnelles: e.adresse ? { ...autres, adrMailOpi: e.adresse } : autres } };
        const r = await gw.json('PUT', `/api/v1/opi/${e.code}`, corps);
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
      }
      const dues = async (code: string) =>
        ((await gw.json('GET', `/api/v1/opi/${code}/pj`)).body as { pieces: (PieceAttendue & { attendue: boolean })[] }).pieces.filter((x) => x.attendue);
      // Bruno gives everything; Chloé too, but her first owed document is refused with a reason and a comment.
      for (const e of [ETUDIANTS.bruno, ETUDIANTS.chloe]) for (const x of await dues(e.code)) await deposer(e.code, x.codTpj, mediaDe(x.codTpj));
      const refusee = (await dues(ETUDIANTS.chloe.code))[0].codTpj;
      const d = await gw.json('POST', `/api/v1/opi/${ETUDIANTS.chloe.code}/pj/${refusee}/statut`, {
        statut: 'REFUSEE',
        motif: 'ILLIS',
        commentaire: 'Le recto est flou.',
      });
      expect(d.status, JSON.stringify(d.body)).to.equal(200);
      for (const e of Object.values(ETUDIANTS))
        manquantes.set(
          e.code,
          (await dues(e.code)).filter((x) => x.statut === 'ATTENDUE' || x.statut === 'REFUSEE'),
        );
      expect(manquantes.get(ETUDIANTS.alice.code)!.length).to.be.greaterThan(1);
      expect(manquantes.get(ETUDIANTS.bruno.code)).to.deep.equal([]);
      expect(manquantes.get(ETUDIANTS.chloe.code)!.map((x) => [x.codTpj, x.statut])).to.deep.equal([[refusee, 'REFUSEE']]);
    });
    after(async () => {
      await gw?.fermer();
      await smtp?.fermer();
    });

    it('simulation : liste qui serait relancé (code, nom, adresse, pièces) et n’envoie ni ne réserve rien', async () => {
      const r = await relancer(true);
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      const rapport = r.body as RapportRelances;
      expect(rapport.simulation).to.equal(true);
      expect(rapport.ecrits.map((e) => [e.codOpiIntEpo, e.nom, e.adresse])).to.deep.equal([
        [ETUDIANTS.alice.code, 'Alice MARTIN', ETUDIANTS.alice.adresse],
        [ETUDIANTS.chloe.code, 'Chloé DURAND', ETUDIANTS.chloe.adresse],
        [ETUDIANTS.damien.code, 'Damien ROUX', REFUSEE],
      ]);
      for (const e of rapport.ecrits) expect(e.pieces, e.codOpiIntEpo).to.deep.equal(manquantes.get(e.codOpiIntEpo)!.map((x) => x.codTpj));
      expect(rapport.ignores).to.deep.equal({ sansAdresse: 1, adresseRefusee: 0, dejaRelance: 0 });
      expect(rapport.echecs).to.deep.equal([]);
      expect(smtp.recus).to.have.length(0);
      expect(smtp.destinatairesDemandes).to.have.length(0);
      // Nothing reserved: the real run that follows writes to the same people.
    });

    it('un paramètre simulation illisible est refusé (400), rien n’est envoyé', async () => {
      const r = await relancer('peut-etre' as unknown as boolean);
      expect(r.status).to.equal(400);
      expect(r.body.errors?.[0]?.code ?? r.body.code).to.equal('PARAMETRE_INVALIDE');
      expect(smtp.recus).to.have.length(0);
    });

    it('exécution : exactement un courriel par étudiant qui doit une pièce, en français, avec la liste juste ; l’adresse refusée est enregistrée', async () => {
      const r = await relancer();
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      const rapport = r.body as RapportRelances;
      expect(rapport.simulation).to.equal(false);
      expect(rapport.ecrits.map((e) => e.codOpiIntEpo)).to.deep.equal([ETUDIANTS.alice.code, ETUDIANTS.chloe.code]);
      expect(rapport.echecs.map((e) => [e.codOpiIntEpo, e.adresse, e.adresseRefusee])).to.deep.equal([[ETUDIANTS.damien.code, REFUSEE, true]]);
      expect(rapport.echecs[0].erreur).to.match(/^550 /);
      expect(rapport.ignores).to.deep.equal({ sansAdresse: 1, adresseRefusee: 0, dejaRelance: 0 });

      expect(smtp.recus).to.have.length(2);
      expect(recusPour(ETUDIANTS.alice.adresse)).to.have.length(1);
      expect(recusPour(ETUDIANTS.chloe.adresse)).to.have.length(1);
      expect(recusPour(ETUDIANTS.bruno.adresse)).to.have.length(0);
      expect(recusPour(REFUSEE)).to.have.length(0);
      expect(smtp.destinatairesDemandes.filter((a) => a === REFUSEE)).to.have.length(1);

      for (const e of [ETUDIANTS.alice, ETUDIANTS.chloe]) {
        const { courriel, de } = recusPour(e.adresse)[0];
        expect(de).to.equal('scolarite@univ.example');
        expect(courriel.from?.value[0]).to.deep.include({ address: 'scolarite@univ.example', name: 'Scolarité' });
        expect(courriel.subject).to.equal(`Pièces justificatives manquantes – ${e.code}`);
        const texte = courriel.text ?? '';
        expect(texte).to.match(new RegExp(`^Bonjour ${e.prenom} ${e.nom.toUpperCase()},`));
        expect(texte).to.include(`OPI n° ${e.code}`);
        for (const x of manquantes.get(e.code)!) {
          expect(texte, `${e.code} ${x.codTpj}`).to.include(`- ${x.libelle} (${x.codTpj})`);
          for (const raison of x.raisons) expect(texte).to.include(raison);
        }
        expect(texte).to.include('rubrique « Pièces justificatives »');
      }
      // Chloé: only the refused document, with its reason and the comment; none of those she gave.
      const texteChloe = recusPour(ETUDIANTS.chloe.adresse)[0].courriel.text ?? '';
      const [refusee] = manquantes.get(ETUDIANTS.chloe.code)!;
      expect(texteChloe).to.include(`- ${refusee.libelle} (${refusee.codTpj}) : pièce refusée, à déposer de nouveau`);
      expect(texteChloe).to.include('Motif du refus : Document illisible ou flou.');
      expect(texteChloe).to.include('Commentaire : Le recto est flou.');
      expect(texteChloe.match(/^- /gm)).to.have.length(1);
      expect(texteChloe).to.include('la pièce justificative suivante manque encore');
    });

    it('une ligne de journal par envoi (pj.relance.envoi), et une pour l’exécution (pj.relancer)', async () => {
      const j = await gw.json('GET', '/api/v1/journal?operation=pj.relance.envoi');
      expect(j.status).to.equal(200);
      const lignes = (
        j.body.entrees as {
          porte: string;
          individu: string;
          resultat: string;
          statut: number;
          codes: string[];
          details: { pieces: string[]; erreur?: string };
        }[]
      )
        .slice()
        .sort((a, b) => a.individu.localeCompare(b.individu));
      expect(lignes.map((l) => [l.porte, l.individu, l.resultat, l.statut, l.codes])).to.deep.equal([
        ['REST', `OPI:${ETUDIANTS.alice.code}`, 'ENVOYEE', 200, []],
        ['REST', `OPI:${ETUDIANTS.chloe.code}`, 'ENVOYEE', 200, []],
        ['REST', `OPI:${ETUDIANTS.damien.code}`, 'ADRESSE_REFUSEE', 502, ['ADRESSE_REFUSEE']],
      ]);
      expect(lignes[0].details.pieces).to.deep.equal(manquantes.get(ETUDIANTS.alice.code)!.map((x) => x.codTpj));
      expect(lignes[2].details.erreur).to.match(/^550 /);
      const runs = await gw.json('GET', '/api/v1/journal?operation=pj.relancer');
      expect((runs.body.entrees as { resultat: string }[]).map((l) => l.resultat)).to.have.members(['SIMULATION', 'REJETE', 'TERMINE_AVEC_ECHECS']);
    });

    it('une deuxième exécution dans la même période n’envoie rien', async () => {
      const avant = smtp.recus.length;
      const r = await relancer(false);
      expect(r.status).to.equal(200);
      expect(r.body.ecrits).to.deep.equal([]);
      expect(r.body.echecs).to.deep.equal([]);
      expect(r.body.ignores).to.deep.equal({ sansAdresse: 1, adresseRefusee: 1, dejaRelance: 2 });
      expect(smtp.recus.length).to.equal(avant);
      const j = await gw.json('GET', '/api/v1/journal?operation=pj.relance.envoi');
      expect(j.body.entrees).to.have.length(3);
    });

    it('période suivante : relancés de nouveau, jamais l’adresse refusée', async () => {
      horloge = new Date(horloge.getTime() + 7 * JOUR);
      const avant = smtp.recus.length;
      const r = await relancer();
      expect(r.status).to.equal(200);
      expect(r.body.ecrits.map((e: { codOpiIntEpo: string }) => e.codOpiIntEpo)).to.deep.equal([ETUDIANTS.alice.code, ETUDIANTS.chloe.code]);
      expect(r.body.ignores).to.deep.equal({ sansAdresse: 1, adresseRefusee: 1, dejaRelance: 0 });
      expect(recusPour(ETUDIANTS.alice.adresse, avant)).to.have.length(1);
      expect(recusPour(ETUDIANTS.chloe.adresse, avant)).to.have.length(1);
      expect(smtp.destinatairesDemandes.filter((a) => a === REFUSEE)).to.have.length(1);
      // And once Alice has given everything, she is not written to any more.
      for (const x of manquantes.get(ETUDIANTS.alice.code)!) await deposer(ETUDIANTS.alice.code, x.codTpj, mediaDe(x.codTpj));
      horloge = new Date(horloge.getTime() + 7 * JOUR);
      const apres = await relancer(true);
      expect(apres.body.ecrits.map((e: { codOpiIntEpo: string }) => e.codOpiIntEpo)).to.deep.equal([ETUDIANTS.chloe.code]);
    });

    it('exécutions simultanées : l’une reçoit RELANCE_EN_COURS ou ne trouve plus rien à envoyer ; jamais deux courriels à un étudiant', async () => {
      horloge = new Date(horloge.getTime() + 7 * JOUR);
      const avant = smtp.recus.length;
      const reponses = await Promise.all([relancer(), relancer(), relancer()]);
      for (const r of reponses) {
        expect(r.status, JSON.stringify(r.body)).to.be.oneOf([200, 409]);
        if (r.status === 409) expect(r.body.errors[0].code).to.equal('RELANCE_EN_COURS');
      }
      const reussies = reponses.filter((r) => r.status === 200).map((r) => r.body as RapportRelances);
      expect(reussies.length).to.be.at.least(1);
      expect(reussies.flatMap((x) => x.ecrits.map((e) => e.codOpiIntEpo))).to.deep.equal([ETUDIANTS.chloe.code]);
      const nouveaux = smtp.recus.slice(avant);
      expect(nouveaux.map((x) => x.a[0])).to.deep.equal([ETUDIANTS.chloe.adresse]);
      // The lease is given back: a run right after is not refused.
      const ensuite = await relancer();
      expect(ensuite.status).to.equal(200);
      expect(ensuite.body.ignores.dejaRelance).to.equal(1);
    });
  });

  describe(`[${nomBase}] relances planifiées (RELANCE_PJ_INTERVALLE)`, function () {
    this.timeout(60_000);
    let smtp: ServeurSmtpDeTest;
    let gw: Passerelle2;
    before(async () => {
      smtp = await serveurSmtp();
      gw = await lancerAvec(nomBase, { SMTP_URL: smtp.url, RELANCE_PJ_INTERVALLE: '60' }, { delaiPremiereRelanceMs: 1500 });
      const r = await gw.json('PUT', `/api/v1/opi/${ETUDIANTS.alice.code}`, opiExemple(ETUDIANTS.alice.code, { ine: null }));
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
    });
    after(async () => {
      await gw?.fermer();
      await smtp?.fermer();
    });

    it('le planificateur relance de lui-même (porte BATCH), une fois, et le journalise', async () => {
      const limite = Date.now() + 20_000;
      while (!smtp.recus.length && Date.now() < limite) await new Promise((r) => setTimeout(r, 100));
      expect(smtp.recus.map((x) => x.a)).to.deep.equal([['elodie.lefevre@example.org']]);
      expect(smtp.recus[0].de).to.equal('scolarite@localhost');
      let envois: { porte: string; client: string; resultat: string }[] = [];
      while (!envois.length && Date.now() < limite) {
        envois = (await gw.json('GET', '/api/v1/journal?operation=pj.relance.envoi')).body.entrees;
        if (!envois.length) await new Promise((r) => setTimeout(r, 100));
      }
      expect(envois.map((l) => [l.porte, l.client, l.resultat])).to.deep.equal([['BATCH', 'planificateur', 'ENVOYEE']]);
    });
  });
}
