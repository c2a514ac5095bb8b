/**
 * Administrative enrolment (IA), end to end for each population of the domain reference, over REST
 * and over SOAP: OPI and/or LP → access → IA (values explained with their source) → payment or
 * exonération. No IA without an access, none twice.
 */
import { expect } from 'chai';
import * as soap from 'soap';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple, type OpiExemple } from '../helpers/exemples';
import { InscriptionEntite } from '../../src/persistence/entities';
import { aujourdhuiParis } from '../../src/application/horloge';
import { formatDateApogee } from '../../src/domain/dates';

const ANNEE = aujourdhuiParis().slice(0, 4);
type Porte = 'REST' | 'SOAP';
type Voeu = OpiExemple['voeux'][number];

/** What both doors say of an IA, in one shape. */
interface Ia {
  id: number;
  resultat?: string;
  etat: string;
  codEtp: string;
  valeurs: Record<'codRgi' | 'codStu' | 'codCatOuiSi' | 'codCatExoExt', { valeur: string | null; source: string | null }>;
  droits: { tarif: string; montantBase: number; montantDu: number; exoneration: string };
  cvec: { requise: boolean; paiementExonere: boolean; numero: string | null };
  explication: string[];
}

function voeu(codCge: string, codEtp: string, extra: Partial<Voeu> = {}): Voeu {
  return { numCls: 1, codCge, codEtp, codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C', temValPsd: 'N', ...extra } as Voeu;
}

/** Canonical OPI → the Apogée SOAP DTO (dates ddMMyyyy, vœux as TableauVoeu3). */
function versSoap(o: OpiExemple): Record<string, unknown> {
  const { voeux, ...reste } = JSON.parse(JSON.stringify(o)) as OpiExemple & Record<string, any>;
  reste.individu.donneesNaissance.dateNaiIndOpi = formatDateApogee(o.individu.donneesNaissance.dateNaiIndOpi);
  return { ...reste, voeux: { modEnv: null, item: voeux } };
}

const V2 = [
  'typLpa',
  'codAnu',
  'numOPI',
  'codEtu',
  'codEtp',
  'codVrsVet',
  'codDip',
  'codVrsVdi',
  'codRgi',
  'codStu',
  'libCmtLpa',
  'codCatOuiSi',
  'mtfCat',
  'codCatExoExt',
];

class Portes {
  private clients: Record<string, soap.Client> = {};
  constructor(private readonly gw: PasserelleDeTest) {}

  private async client(nom: string): Promise<soap.Client> {
    this.clients[nom] ??= await soap.createClientAsync(`${this.gw.url}/ws/${nom}?wsdl`);
    return this.clients[nom];
  }

  async opi(porte: Porte, o: OpiExemple): Promise<void> {
    if (porte === 'REST') {
      const r = await this.gw.json('PUT', `/api/v1/opi/${o.individu.codOpiIntEpo}`, o);
      expect(r.status, JSON.stringify(r.body)).to.be.oneOf([200, 201]);
    } else {
      await (await this.client('OpiMetier')).mettreajourDonneesOpi_v10Async({ _donneesOpi: versSoap(o) });
    }
  }

  async lp(porte: Porte, lp: Record<string, string | number>): Promise<void> {
    if (porte === 'REST') {
      const r = await this.gw.json('POST', '/api/v1/laissez-passer', lp);
      expect(r.status, JSON.stringify(r.body)).to.be.oneOf([200, 201]);
    } else {
      await (await this.client('LaissezPasserMetier')).mettreAJourLaissezPasserWS_V2Async(
        Object.fromEntries(V2.map((c) => [c, lp[c] === undefined ? '' : String(lp[c])])),
      );
    }
  }

  /** Creates an IA; returns it, or the problems (REST errors[] / SOAP messages/item) when refused. */
  async inscrire(porte: Porte, demande: Record<string, unknown>): Promise<{ ia?: Ia; erreurs?: { code: string; path: string }[]; status?: number }> {
    if (porte === 'REST') {
      const r = await this.gw.json('POST', '/api/v1/inscriptions', demande);
      if (r.status >= 400) return { erreurs: r.body.errors.map((e: { code: string; path: string }) => ({ code: e.code, path: e.path })), status: r.status };
      return { ia: depuisRest(r.body.inscription, r.body.resultat), status: r.status };
    }
    try {
      const [r] = await (await this.client('InscriptionMetier')).creerInscriptionAsync(demande);
      return { ia: depuisSoap(r.inscription, r.resultat) };
    } catch (e) {
      const items = (e as { root: any }).root.Envelope.Body.Fault.detail.fault.messages.item;
      const liste: string[] = Array.isArray(items) ? items : [items];
      return {
        erreurs: liste.map((t) => {
          const m = /^(\w+) \[([^\]]*)\]/.exec(t)!;
          return { code: m[1], path: m[2] };
        }),
      };
    }
  }

  async lire(porte: Porte, id: number): Promise<Ia> {
    if (porte === 'REST') return depuisRest((await this.gw.json('GET', `/api/v1/inscriptions/${id}`)).body);
    const [r] = await (await this.client('InscriptionMetier')).lireInscriptionAsync({ id });
    return depuisSoap(r.inscription);
  }
}

function depuisRest(i: any, resultat?: string): Ia {
  return {
    id: i.id,
    resultat,
    etat: i.etat,
    codEtp: i.codEtp,
    valeurs: i.valeurs,
    droits: { tarif: i.droits.tarif, montantBase: i.droits.montantBase, montantDu: i.droits.montantDu, exoneration: i.droits.exoneration.type },
    cvec: { requise: i.cvec.requise, paiementExonere: i.cvec.paiementExonere, numero: i.cvec.numero },
    explication: i.explication,
  };
}

function depuisSoap(i: any, resultat?: string): Ia {
  const v = (x: any) => ({ valeur: x?.valeur ?? null, source: x?.source ?? null });
  const liste = (x: unknown) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
  return {
    id: Number(i.id),
    resultat,
    etat: i.etat,
    codEtp: i.codEtp,
    valeurs: { codRgi: v(i.regime), codStu: v(i.statut), codCatOuiSi: v(i.categorieOuiSi), codCatExoExt: v(i.situationDroits) },
    droits: { tarif: i.droits.tarif, montantBase: Number(i.droits.montantBase), montantDu: Number(i.droits.montantDu), exoneration: i.droits.exonerationType },
    cvec: {
      requise: i.cvec.requise === true || i.cvec.requise === 'true',
      paiementExonere: i.cvec.paiementExonere === true || i.cvec.paiementExonere === 'true',
      numero: i.cvec.numero ?? null,
    },
    explication: liste(i.explication) as string[],
  };
}

const valeur = (ia: Ia, champ: keyof Ia['valeurs']) => `${ia.valeurs[champ].valeur}:${ia.valeurs[champ].source}`;

for (const nomBase of BASES) {
  describe(`[${nomBase}] inscriptions administratives`, function () {
    let gw: PasserelleDeTest;
    let portes: Portes;
    before(async () => {
      gw = await lancer(nomBase);
      portes = new Portes(gw);
    });
    after(async () => {
      await gw?.fermer();
    });

    const payer = async (id: number, montant: number, reference: string) =>
      gw.json('POST', `/api/v1/inscriptions/${id}/paiement`, { montant, reference, mode: 'CB' });

    for (const porte of ['REST', 'SOAP'] as Porte[]) {
      const n = porte === 'REST' ? '1' : '2';
      describe(`par ${porte}`, () => {
        it('néo-bachelier de Parcoursup : OPI → vœu favorable → IA (CVEC exigée) → paiement → validation', async () => {
          const o = opiExemple(`P26${n}012345`, { ine: null, nom: `Martin${porte}` });
          o.voeux = [voeu('DRT', 'LDRT1', { codDip: 'LDRT', codVrsVdi: 2, codRge: '1', codCatExoExt: 'DN' })];
          await portes.opi(porte, o);
          const sansCvec = await portes.inscrire(porte, { codAnu: ANNEE, codOpiIntEpo: o.individu.codOpiIntEpo, codEtp: 'LDRT1', codVrsVet: 2 });
          expect(sansCvec.erreurs).to.deep.equal([{ code: 'CVEC_REQUISE', path: 'numeroCvec' }]);
          const { ia } = await portes.inscrire(porte, {
            codAnu: ANNEE,
            codOpiIntEpo: o.individu.codOpiIntEpo,
            codEtp: 'LDRT1',
            codVrsVet: 2,
            numeroCvec: `REN-${n}2345678`,
          });
          expect(ia!.resultat).to.equal('CREEE');
          expect(ia!.etat).to.equal('EN_ATTENTE_PAIEMENT');
          expect([valeur(ia!, 'codRgi'), valeur(ia!, 'codStu'), valeur(ia!, 'codCatExoExt')]).to.deep.equal(['1:OPI_VOEU', '01:OPI_INDIVIDU', 'DN:OPI_VOEU']);
          expect(ia!.droits).to.deep.equal({ tarif: 'NATIONAL', montantBase: 178, montantDu: 178, exoneration: 'AUCUNE' });
          expect(ia!.cvec).to.deep.equal({ requise: true, paiementExonere: false, numero: `REN${n}2345678` });
          expect(ia!.explication[0]).to.contain(`vœu favorable de l'OPI ${o.individu.codOpiIntEpo}`);
          expect(ia!.explication.join('\n'))
            .to.contain("Régime d'inscription 1 (Formation initiale) : vœu d'OPI.")
            .and.contain("Droits d'inscription dus : 178,00 €.");
          const p = await payer(ia!.id, 178, `CB-${n}-0001`);
          expect(p.status).to.equal(200);
          expect(p.body).to.deep.include({ resultat: 'PAYEE' });
          const v = await gw.json('POST', `/api/v1/inscriptions/${ia!.id}/validation`);
          expect(v.body.inscription.etat).to.equal('VALIDEE');
          expect((await portes.lire(porte, ia!.id)).etat).to.equal('VALIDEE');
          const ev = await gw.json('GET', `/api/v1/inscriptions/${ia!.id}/evenements`);
          expect(ev.body.evenements.map((e: { de: string | null; vers: string }) => `${e.de}>${e.vers}`)).to.deep.equal([
            'null>EN_ATTENTE_PAIEMENT',
            'EN_ATTENTE_PAIEMENT>PAYEE',
            'PAYEE>VALIDEE',
          ]);
        });

        it("master venu d'eCandidat : vœu de master → 254 € → paiement", async () => {
          const o = opiExemple(`EC26${n}00300`, { ine: null, nom: `Dubois${porte}`, dateNai: '2002-02-02' });
          o.voeux = [voeu('SCI', 'MINF1', { codRge: '1', codCatExoExt: 'DN' })];
          await portes.opi(porte, o);
          const { ia } = await portes.inscrire(porte, {
            codAnu: ANNEE,
            codOpiIntEpo: o.individu.codOpiIntEpo,
            codEtp: 'MINF1',
            codVrsVet: 2,
            numeroCvec: `REN${n}7654321`,
          });
          expect(ia!.droits).to.deep.include({ tarif: 'NATIONAL', montantDu: 254 });
          expect(ia!.explication.join('\n')).to.contain('Niveau MASTER');
          const mauvais = await payer(ia!.id, 250, `VIR-${n}`);
          expect(mauvais.status).to.equal(422);
          expect(mauvais.body.errors[0]).to.include({ code: 'PAIEMENT_MONTANT_INCORRECT', path: 'montant' });
          expect((await payer(ia!.id, 254, `VIR-${n}`)).body.inscription.etat).to.equal('PAYEE');
          // The same payment sent twice is recorded once.
          const encore = await payer(ia!.id, 254, `VIR-${n}`);
          expect(encore.body.resultat).to.equal('INCHANGE');
          expect((await payer(ia!.id, 254, `VIR-${n}-autre`)).status).to.equal(409);
        });

        it("apprenti avec un laissez-passer : le régime du LP l'emporte, droits pris en charge → exonérée, CVEC exigée", async () => {
          const o = opiExemple(`EC26${n}00400`, { ine: null, nom: `Petit${porte}`, dateNai: '2001-03-03' });
          o.voeux = [voeu('SCI', 'MINF2A', { codRge: '4', codCatExoExt: 'DN' })];
          o.individu.donneesPersonnelles.codRgi = '1';
          await portes.opi(porte, o);
          await portes.lp(porte, {
            typLpa: 'IAPRIMO',
            codAnu: ANNEE,
            numOPI: o.individu.codOpiIntEpo,
            codEtp: 'MINF2A',
            codVrsVet: 2,
            codRgi: '4',
            codStu: '01',
            codCatExoExt: 'APP',
          });
          const { ia } = await portes.inscrire(porte, {
            codAnu: ANNEE,
            codOpiIntEpo: o.individu.codOpiIntEpo,
            codEtp: 'MINF2A',
            codVrsVet: 2,
            numeroCvec: `REN${n}1112223`,
          });
          expect([valeur(ia!, 'codRgi'), valeur(ia!, 'codStu'), valeur(ia!, 'codCatExoExt')]).to.deep.equal(['4:LP', '01:LP', 'APP:LP']);
          expect(ia!.etat).to.equal('EXONEREE');
          expect(ia!.droits).to.deep.equal({ tarif: 'NATIONAL', montantBase: 254, montantDu: 0, exoneration: 'PRISE_EN_CHARGE' });
          expect(ia!.cvec.requise).to.equal(true);
          expect(ia!.explication.join('\n')).to.contain('laissez-passer').and.contain('rien à payer');
          const p = await payer(ia!.id, 0, `X-${n}`);
          expect(p.status).to.equal(409);
          expect(p.body.errors[0].code).to.equal('TRANSITION_INTERDITE');
          expect((await gw.json('POST', `/api/v1/inscriptions/${ia!.id}/validation`)).body.inscription.etat).to.equal('VALIDEE');
        });

        it('formation continue (LP, régime 2) : tarif de formation continue, pas de CVEC', async () => {
          await portes.lp(porte, {
            typLpa: 'REINS',
            codAnu: ANNEE,
            codEtu: `2150${n}001`,
            codEtp: 'MDAF1',
            codVrsVet: 2,
            codRgi: '2',
            codStu: '03',
            codCatExoExt: 'FC',
          });
          const { ia } = await portes.inscrire(porte, { codAnu: ANNEE, codEtu: `2150${n}001`, codEtp: 'MDAF1', codVrsVet: 2, codPayNat: '100' });
          expect([valeur(ia!, 'codRgi'), valeur(ia!, 'codStu')]).to.deep.equal(['2:LP', '03:LP']);
          expect(ia!.droits).to.deep.equal({ tarif: 'FORMATION_CONTINUE', montantBase: 4500, montantDu: 4500, exoneration: 'AUCUNE' });
          expect(ia!.cvec).to.deep.equal({ requise: false, paiementExonere: false, numero: null });
          expect(
            (await gw.json('POST', `/api/v1/inscriptions/${ia!.id}/paiement`, { montant: 4500, reference: `CONV-${n}`, mode: 'VIREMENT' })).body.inscription
              .etat,
          ).to.equal('PAYEE');
        });

        it("étudiant extracommunautaire d'Études en France : droits différenciés ; exonéré par sa situation droits, droits nationaux", async () => {
          const o = opiExemple(`EF26${n}00001`, { ine: null, nom: `Benali${porte}`, dateNai: '2004-04-04' });
          o.individu.donneesNaissance = { ...o.individu.donneesNaissance, codPayNat: '350', codTypDepPayNai: 'P', codDepPayNai: '350' };
          o.voeux = [voeu('SCI', 'LINF1', { codRge: '1', codCatExoExt: 'DD' }), voeu('SCI', 'LMAT1', { numCls: 2, codRge: '1', codCatExoExt: 'DD' })];
          await portes.opi(porte, o);
          const { ia } = await portes.inscrire(porte, {
            codAnu: ANNEE,
            codOpiIntEpo: o.individu.codOpiIntEpo,
            codEtp: 'LINF1',
            codVrsVet: 2,
            numeroCvec: `REN${n}3334445`,
          });
          expect(ia!.droits).to.deep.equal({ tarif: 'DIFFERENCIE', montantBase: 2895, montantDu: 2895, exoneration: 'AUCUNE' });
          expect(ia!.explication.join('\n')).to.match(/Nationalité 350 \(Maroc\) hors UE\/EEE\/Suisse : droits différenciés/);
          // An LP granting the exonération of differentiated fees (establishment decision) wins over the vœu.
          await portes.lp(porte, { typLpa: 'IAPRIMO', codAnu: ANNEE, numOPI: o.individu.codOpiIntEpo, codEtp: 'LMAT1', codVrsVet: 2, codCatExoExt: 'EXDD' });
          const { ia: ia2 } = await portes.inscrire(porte, {
            codAnu: ANNEE,
            codOpiIntEpo: o.individu.codOpiIntEpo,
            codEtp: 'LMAT1',
            codVrsVet: 2,
            numeroCvec: `REN${n}3334445`,
          });
          expect(valeur(ia2!, 'codCatExoExt')).to.equal('EXDD:LP');
          expect(ia2!.droits).to.deep.equal({ tarif: 'NATIONAL', montantBase: 178, montantDu: 178, exoneration: 'DROITS_DIFFERENCIES' });
        });

        it('boursier : exonéré des droits et du paiement de la CVEC, attestation tout de même exigée', async () => {
          const o = opiExemple(`P26${n}054321`, { ine: null, nom: `Leroy${porte}`, dateNai: '2007-07-07' });
          o.voeux = [voeu('SCI', 'LMAT1', { codRge: '1', codCatExoExt: 'DN' })];
          await portes.opi(porte, o);
          const sans = await portes.inscrire(porte, {
            codAnu: ANNEE,
            codOpiIntEpo: o.individu.codOpiIntEpo,
            codEtp: 'LMAT1',
            codVrsVet: 2,
            boursier: true,
            numBoursier: 'B123456789012',
          });
          expect(sans.erreurs![0].code).to.equal('CVEC_REQUISE');
          const { ia } = await portes.inscrire(porte, {
            codAnu: ANNEE,
            codOpiIntEpo: o.individu.codOpiIntEpo,
            codEtp: 'LMAT1',
            codVrsVet: 2,
            boursier: true,
            numBoursier: 'B123456789012',
            numeroCvec: `REN${n}5556667`,
          });
          expect(ia!.etat).to.equal('EXONEREE');
          expect(ia!.droits).to.deep.equal({ tarif: 'NATIONAL', montantBase: 178, montantDu: 0, exoneration: 'TOTALE' });
          expect(ia!.cvec).to.deep.include({ requise: true, paiementExonere: true });
          expect(ia!.explication.join('\n')).to.contain("exonération totale des droits d'inscription");
        });

        it('ancien étudiant avec un LP seulement (REINS, numéro étudiant) : nationalité exigée, puis IA au tarif national', async () => {
          await portes.lp(porte, { typLpa: 'REINS', codAnu: ANNEE, codEtu: `2160${n}001`, codEtp: 'LDRT3', codVrsVet: 2, codRgi: '1', codStu: '01' });
          const sans = await portes.inscrire(porte, { codAnu: ANNEE, codEtu: `2160${n}001`, codEtp: 'LDRT3', codVrsVet: 2, numeroCvec: `REN${n}8889990` });
          expect(sans.erreurs).to.deep.equal([{ code: 'NATIONALITE_INCONNUE', path: 'codPayNat' }]);
          const { ia } = await portes.inscrire(porte, {
            codAnu: ANNEE,
            codEtu: `2160${n}001`,
            codEtp: 'LDRT3',
            codVrsVet: 2,
            numeroCvec: `REN${n}8889990`,
            codPayNat: '100',
          });
          expect([valeur(ia!, 'codRgi'), valeur(ia!, 'codStu'), valeur(ia!, 'codCatExoExt')]).to.deep.equal(['1:LP', '01:LP', 'null:null']);
          expect(ia!.droits).to.deep.include({ montantDu: 178 });
          expect(ia!.explication[0]).to.contain('laissez-passer n°');
        });

        it("pas d'IA sans accès (étape hors de ses accès, individu inconnu), et jamais deux fois", async () => {
          const o = opiExemple(`P26${n}099999`, { ine: null, nom: `Roux${porte}`, dateNai: '2006-06-06' });
          o.voeux = [voeu('DRT', 'LDRT1'), voeu('ECO', 'LECG1', { numCls: 2, codDecVeu: 'D' })];
          await portes.opi(porte, o);
          const base = { codAnu: ANNEE, codOpiIntEpo: o.individu.codOpiIntEpo, codVrsVet: 2, numeroCvec: `REN${n}0000001` };
          expect((await portes.inscrire(porte, { ...base, codEtp: 'LINF1' })).erreurs).to.deep.equal([{ code: 'ACCES_NON_AUTORISE', path: 'codEtp' }]);
          expect((await portes.inscrire(porte, { ...base, codEtp: 'LECG1' })).erreurs).to.deep.equal([{ code: 'ACCES_NON_AUTORISE', path: 'codEtp' }]);
          expect((await portes.inscrire(porte, { ...base, codOpiIntEpo: 'INCONNU1', codEtp: 'LDRT1' })).erreurs).to.deep.equal([
            { code: 'ACCES_NON_AUTORISE', path: 'codEtp' },
          ]);
          const premiere = await portes.inscrire(porte, { ...base, codEtp: 'LDRT1' });
          expect(premiere.ia!.resultat).to.equal('CREEE');
          const seconde = await portes.inscrire(porte, { ...base, codEtp: 'LDRT1' });
          expect(seconde.ia!.resultat).to.equal('EXISTANTE');
          expect(seconde.ia!.id).to.equal(premiere.ia!.id);
          if (porte === 'REST') expect(seconde.status).to.equal(200);
          expect(await gw.p.source.getRepository(InscriptionEntite).count({ where: { codOpiIntEpo: o.individu.codOpiIntEpo } })).to.equal(1);
        });
      });
    }

    it('requêtes simultanées pour la même IA : une seule est créée', async () => {
      const o = opiExemple('P263000001', { ine: null, nom: 'Simultane', dateNai: '2006-01-09' });
      o.voeux = [voeu('DRT', 'LDRT1')];
      await portes.opi('REST', o);
      const demande = { codAnu: ANNEE, codOpiIntEpo: 'P263000001', codEtp: 'LDRT1', codVrsVet: 2, numeroCvec: 'REN30000001' };
      const reponses = await Promise.all(Array.from({ length: 6 }, () => gw.json('POST', '/api/v1/inscriptions', demande)));
      expect(reponses.map((r) => r.status).sort()).to.deep.equal([200, 200, 200, 200, 200, 201]);
      expect(new Set(reponses.map((r) => r.body.inscription.id)).size).to.equal(1);
      expect(await gw.p.source.getRepository(InscriptionEntite).count({ where: { codOpiIntEpo: 'P263000001' } })).to.equal(1);
    });

    it('annulation : motif exigé, état ANNULEE journalisé ; une nouvelle IA redevient possible ; transitions interdites refusées', async () => {
      const o = opiExemple('P263000002', { ine: null, nom: 'Annule', dateNai: '2006-01-10' });
      o.voeux = [voeu('DRT', 'LDRT1')];
      await portes.opi('REST', o);
      const demande = { codAnu: ANNEE, codOpiIntEpo: 'P263000002', codEtp: 'LDRT1', codVrsVet: 2, numeroCvec: 'REN30000002' };
      const ia = (await gw.json('POST', '/api/v1/inscriptions', demande)).body.inscription;
      const sansMotif = await gw.json('POST', `/api/v1/inscriptions/${ia.id}/annulation`, {});
      expect(sansMotif.status).to.equal(422);
      expect(sansMotif.body.errors[0]).to.include({ code: 'CHAMP_OBLIGATOIRE', path: 'motif' });
      const a = await gw.json('POST', `/api/v1/inscriptions/${ia.id}/annulation`, { motif: 'Erreur de formation' });
      expect(a.body.inscription.etat).to.equal('ANNULEE');
      expect((await gw.json('POST', `/api/v1/inscriptions/${ia.id}/validation`)).status).to.equal(409);
      const nouvelle = await gw.json('POST', '/api/v1/inscriptions', demande);
      expect(nouvelle.status).to.equal(201);
      expect(nouvelle.body.inscription.id).to.not.equal(ia.id);
      const journal = await gw.json('GET', `/api/v1/journal?operation=ia.annuler&cle=${ia.id}`);
      expect(journal.body.entrees.map((e: { resultat: string }) => e.resultat)).to.deep.equal(['ANNULEE', 'REJETE']);
      const liste = await gw.json('GET', `/api/v1/inscriptions?codOpiIntEpo=P263000002&codAnu=${ANNEE}`);
      expect(liste.body.inscriptions.map((i: { etat: string }) => i.etat)).to.deep.equal(['EN_ATTENTE_PAIEMENT', 'ANNULEE']);
      expect((await gw.json('GET', '/api/v1/inscriptions/999999')).body.errors[0].code).to.equal('INSCRIPTION_INTROUVABLE');
    });

    it('refuse une attestation CVEC mal formée, un profil inconnu et un booléen non booléen, avec le champ', async () => {
      const r = await gw.json('POST', '/api/v1/inscriptions', {
        codAnu: ANNEE,
        codOpiIntEpo: 'P263000001',
        codEtp: 'LDRT1',
        codVrsVet: 2,
        numeroCvec: '12',
        profilExonerant: 'ZZ',
      });
      expect(r.status).to.equal(422);
      expect(r.body.errors.map((e: { code: string; path: string }) => `${e.code}@${e.path}`)).to.have.members([
        'PROFIL_EXONERANT_INCONNU@profilExonerant',
        'CVEC_FORMAT_INVALIDE@numeroCvec',
      ]);
      const client = await soap.createClientAsync(`${gw.url}/ws/InscriptionMetier?wsdl`);
      const e = await client.creerInscriptionAsync({ codAnu: ANNEE, codOpiIntEpo: 'P263000001', codEtp: 'LDRT1', codVrsVet: 2, boursier: 'oui' }).then(
        () => null,
        (x: { root: any }) => x,
      );
      expect(e!.root.Envelope.Body.Fault.detail.fault.messages.item).to.match(/^TYPE_INVALIDE \[boursier\]/);
    });
  });
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] le journal est le même quelle que soit la porte`, function () {
    it("une lecture d'IA par REST et par SOAP laisse la même entrée (opération ia.lire, résultat LU)", async () => {
      const gw = await lancer(nomBase);
      try {
        const o = opiExemple('P264000001', { ine: null, nom: 'Journal', dateNai: '2006-02-11' });
        o.voeux = [voeu('DRT', 'LDRT1')];
        await gw.json('PUT', '/api/v1/opi/P264000001', o);
        const ia = (
          await gw.json('POST', '/api/v1/inscriptions', { codAnu: ANNEE, codOpiIntEpo: 'P264000001', codEtp: 'LDRT1', codVrsVet: 2, numeroCvec: 'REN40000001' })
        ).body.inscription;
        await gw.json('GET', `/api/v1/inscriptions/${ia.id}`);
        const client = await soap.createClientAsync(`${gw.url}/ws/InscriptionMetier?wsdl`);
        await client.lireInscriptionAsync({ id: ia.id });
        const j = await gw.json('GET', `/api/v1/journal?operation=ia.lire&cle=${ia.id}`);
        expect(j.body.entrees.map((e: { porte: string; resultat: string; statut: number }) => `${e.porte}:${e.resultat}:${e.statut}`)).to.deep.equal([
          'SOAP:LU:200',
          'REST:LU:200',
        ]);
      } finally {
        await gw.fermer();
      }
    });
  });
}
