import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CatalogueEnMemoire, NOMENCLATURES, type EntreeNomenclature } from '../../src/domain/nomenclatures';
import { verifierOpi, type ContexteRegles } from '../../src/domain/opi/regles';
import { canoniserOpi } from '../../src/domain/opi/canonique';
import { problemesSchema } from '../../src/application/validation';
import type { Probleme } from '../../src/domain/errors';
import type { DonneesOpi } from '../../src/generated/opi';

/* Les vraies nomenclatures livrées (fixtures/nomenclatures/*.json), lues depuis la racine du dépôt. */
const DOSSIER = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'nomenclatures');
const DONNEES: Record<string, EntreeNomenclature[]> = {};
for (const f of readdirSync(DOSSIER).filter((x) => x.endsWith('.json'))) {
  const d = JSON.parse(readFileSync(path.join(DOSSIER, f), 'utf8')) as { nom: string; codes: EntreeNomenclature[] };
  DONNEES[d.nom] = d.codes;
}
const catalogue = new CatalogueEnMemoire(DONNEES);
const CTX: ContexteRegles = { catalogue, aujourdHui: '2026-11-24' };

/** Une OPI complète, valide au schéma et aux règles avec les nomenclatures livrées. */
function opiValide(): DonneesOpi {
  return {
    individu: {
      codOpiIntEpo: 'EC0001',
      etatCivil: { libNomPatIndOpi: 'DUPONT', libPr1IndOpi: 'JEAN', codNneIndOpi: '1234567890V', codSexEtuOpi: 'M' },
      donneesNaissance: {
        dateNaiIndOpi: '2006-05-12',
        temDateNaiRelOpi: 'N',
        codPayNat: '100',
        codTypDepPayNai: 'D',
        codDepPayNai: '035',
      },
      donneesPersonnelles: { codRgi: '1', codStu: '01', adrMailOpi: 'jean.dupont@example.org' },
      premiereInscription: { codEtb: '0350936C' },
    },
    bac: { codBac: '0021', codMention: 'B', codDep: '035', codTpe: '00', codEtb: '0310001H', daaObtBacOba: '2024' },
    adresseFixe: { codPay: '100' },
    voeux: [
      {
        codCge: 'DRT',
        codEtp: 'LDRT1',
        codVrsVet: 2,
        codDip: 'LDRT',
        codVrsVdi: 2,
        codCmp: 'DRT',
        codRge: '1',
        codDecVeu: 'F',
        codDemDos: 'C',
        numCls: 1,
        codCatExoExt: 'DN',
        codCatOuiSi: 'RAN',
      },
      {
        codCge: 'ECO',
        codEtp: 'LECG1',
        codVrsVet: 2,
        codDip: 'LECG',
        codVrsVdi: 2,
        codDecVeu: 'F',
        codDemDos: 'C',
        numCls: 2,
      },
    ],
  };
}

function codes(pbs: Probleme[]): string[] {
  return pbs.map((p) => `${p.code}@${p.path}`).sort();
}

function verifier(modifier: (o: DonneesOpi) => void): Probleme[] {
  const o = opiValide();
  modifier(o);
  return verifierOpi(o, CTX);
}

describe('OPI — règles : catalogue des nomenclatures livrées', () => {
  it('toutes les nomenclatures sont chargées', () => {
    expect(Object.keys(DONNEES).sort()).to.deep.equal(NOMENCLATURES.map((n) => n.nom).sort());
  });
  it('clé composite des étapes (codEtp + codVrsVet) et des diplômes (codDip + codVrsVdi)', () => {
    expect(catalogue.trouver('etapes', 'LDRT1', 2)?.libelle).to.equal('L1 Droit');
    expect(catalogue.trouver('etapes', 'ldrt1', '2')?.codDip).to.equal('LDRT');
    expect(catalogue.estValide('etapes', 'LDRT1', 2)).to.equal(true);
    expect(catalogue.trouver('etapes', 'LDRT1', 1)?.enService).to.equal(false);
    expect(catalogue.estValide('etapes', 'LDRT1', 1)).to.equal(false);
    expect(catalogue.estValide('diplomes', 'LDRT', 2)).to.equal(true);
    expect(catalogue.estValide('diplomes', 'LDRT', 1)).to.equal(false);
    expect(catalogue.trouver('etapes', 'LDRT1', 9)).to.equal(undefined);
  });
  it('une clé cherchée comme la table la garde : espaces aux bords, minuscules, accents, nombres ; un espace intérieur compte', () => {
    const c = new CatalogueEnMemoire({
      pays: [{ code: '100', libelle: 'France', enService: true }],
      etapes: [{ codEtp: 'ÉTÉ 1', codVrsVet: 3, libelle: 'Été', enService: true }],
    } as unknown as Record<string, EntreeNomenclature[]>);
    for (const code of ['100', ' 100', '100\t', 100]) expect(c.trouver('pays', code)?.libelle, String(code)).to.equal('France');
    for (const [etp, vrs] of [
      ['ÉTÉ 1', 3],
      [' été 1 ', '3'],
      ['Été 1', ' 3'],
    ] as const)
      expect(c.trouver('etapes', etp, vrs)?.libelle, `${etp}/${vrs}`).to.equal('Été');
    expect(c.trouver('etapes', 'ÉTÉ1', 3)).to.equal(undefined);
    expect(c.trouver('etapes', 'ÉTÉ 1')).to.equal(undefined);
  });
});

describe("OPI — règles (verifierOpi, aujourd'hui 2026-11-24)", () => {
  it("l'OPI de référence passe le schéma et les règles", () => {
    expect(problemesSchema('opi', canoniserOpi(opiValide()))).to.deep.equal([]);
    expect(verifierOpi(opiValide(), CTX)).to.deep.equal([]);
  });

  it('OPI minimale (sans données facultatives) → []', () => {
    const o: DonneesOpi = {
      individu: {
        codOpiIntEpo: 'X1',
        etatCivil: { libNomPatIndOpi: 'A', libPr1IndOpi: 'B' },
        donneesNaissance: { dateNaiIndOpi: '2000-01-01', temDateNaiRelOpi: 'O' },
      },
    };
    expect(verifierOpi(o, CTX)).to.deep.equal([]);
    expect(verifierOpi({ ...o, voeux: [] }, CTX)).to.deep.equal([]);
  });

  describe('identifiants', () => {
    it('INE à clé fausse 0000000001C → INE_CLE_INVALIDE', () => {
      const pbs = verifier((o) => {
        o.individu.etatCivil.codNneIndOpi = '0000000001C';
      });
      expect(pbs).to.deep.equal([
        {
          code: 'INE_CLE_INVALIDE',
          path: 'individu.etatCivil.codNneIndOpi',
          message: "La clé de contrôle de l'INE est invalide.",
        },
      ]);
    });
    it('INE mal formé → INE_FORMAT_INVALIDE', () => {
      for (const ine of ['12345', 'A234567890B', '1234567890!']) {
        expect(
          codes(
            verifier((o) => {
              o.individu.etatCivil.codNneIndOpi = ine;
            }),
          ),
          ine,
        ).to.deep.equal(['INE_FORMAT_INVALIDE@individu.etatCivil.codNneIndOpi']);
      }
    });
    it('INE valides des autres formats acceptés (RNIE, universitaire)', () => {
      expect(
        verifier((o) => {
          o.individu.etatCivil.codNneIndOpi = '123456789AB';
        }),
      ).to.deep.equal([]);
      expect(
        verifier((o) => {
          o.individu.etatCivil.codNneIndOpi = '0DDG5R00015';
        }),
      ).to.deep.equal([]);
    });
    it('UAI à clé fausse dans bac.codEtb → UAI_INVALIDE (clé) ; mal formé → UAI_INVALIDE (format)', () => {
      const cle = verifier((o) => {
        o.bac!.codEtb = '0310001A';
      });
      expect(cle).to.deep.equal([
        {
          code: 'UAI_INVALIDE',
          path: 'bac.codEtb',
          message: 'Code UAI invalide (7 chiffres + 1 lettre de contrôle) : clé de contrôle fausse.',
        },
      ]);
      const format = verifier((o) => {
        o.bac!.codEtb = '031000';
      });
      expect(format).to.deep.equal([
        {
          code: 'UAI_INVALIDE',
          path: 'bac.codEtb',
          message: 'Code UAI invalide (7 chiffres + 1 lettre de contrôle) : format.',
        },
      ]);
    });
    it("UAI vérifié aussi dans les établissements de l'individu", () => {
      const pbs = verifier((o) => {
        o.individu.premiereInscription = { codEtb: '0350936A' };
        o.individu.dernierEtbFrequente = { codEtbAntIaa: '0350936B' };
        o.individu.situationAnnPre = { codEtbAnnPreOpi: '0350936D' };
        o.individu.dernierDiplObt = { codEtbDerDip: '0350936E' };
        o.individu.inscriptionParallele = { codEtbAnnCrt: '0350936F' };
      });
      expect(codes(pbs)).to.deep.equal([
        'UAI_INVALIDE@individu.dernierDiplObt.codEtbDerDip',
        'UAI_INVALIDE@individu.dernierEtbFrequente.codEtbAntIaa',
        'UAI_INVALIDE@individu.inscriptionParallele.codEtbAnnCrt',
        'UAI_INVALIDE@individu.premiereInscription.codEtb',
        'UAI_INVALIDE@individu.situationAnnPre.codEtbAnnPreOpi',
      ]);
    });
  });

  describe('nomenclatures', () => {
    it('régime inconnu 9 → REGIME_INCONNU', () => {
      expect(
        verifier((o) => {
          o.individu.donneesPersonnelles!.codRgi = '9';
        }),
      ).to.deep.equal([
        {
          code: 'REGIME_INCONNU',
          path: 'individu.donneesPersonnelles.codRgi',
          message: "Régime d'inscription inconnu ou hors service : 9.",
        },
      ]);
    });
    it('codes connus mais hors service (enService: false) refusés', () => {
      const cas: Array<[string, (o: DonneesOpi) => void, string]> = [
        [
          'régime 6',
          (o) => {
            o.individu.donneesPersonnelles!.codRgi = '6';
          },
          'REGIME_INCONNU@individu.donneesPersonnelles.codRgi',
        ],
        [
          'statut 05',
          (o) => {
            o.individu.donneesPersonnelles!.codStu = '05';
          },
          'STATUT_INCONNU@individu.donneesPersonnelles.codStu',
        ],
        [
          'pays 115 (nationalité)',
          (o) => {
            o.individu.donneesNaissance.codPayNat = '115';
          },
          'PAYS_INCONNU@individu.donneesNaissance.codPayNat',
        ],
        [
          'pays 115 (adresse)',
          (o) => {
            o.adresseFixe!.codPay = '115';
          },
          'PAYS_INCONNU@adresseFixe.codPay',
        ],
        [
          'département 020',
          (o) => {
            o.bac!.codDep = '020';
          },
          'DEPARTEMENT_INCONNU@bac.codDep',
        ],
        [
          'bac 0033',
          (o) => {
            o.bac!.codBac = '0033';
          },
          'BAC_INCONNU@bac.codBac',
        ],
        [
          'régime de vœu 6',
          (o) => {
            o.voeux![0]!.codRge = '6';
          },
          'REGIME_INCONNU@voeux[0].codRge',
        ],
        [
          'composante SEC',
          (o) => {
            o.voeux![0]!.codCmp = 'SEC';
          },
          'COMPOSANTE_INCONNUE@voeux[0].codCmp',
        ],
        [
          'CGE SHS',
          (o) => {
            o.voeux![0]!.codCge = 'SHS';
          },
          'CGE_INCONNU@voeux[0].codCge',
        ],
        [
          'situation droits TR19',
          (o) => {
            o.voeux![0]!.codCatExoExt = 'TR19';
          },
          'SITUATION_DROITS_INCONNUE@voeux[0].codCatExoExt',
        ],
        [
          'catégorie Oui Si ACC',
          (o) => {
            o.voeux![0]!.codCatOuiSi = 'ACC';
          },
          'CATEGORIE_OUI_SI_INCONNUE@voeux[0].codCatOuiSi',
        ],
      ];
      for (const [nom, modifier, attendu] of cas) {
        expect(codes(verifier(modifier)), nom).to.deep.equal([attendu]);
      }
    });
    it("sexe inconnu X → SEXE_INCONNU ; mention et type d'établissement inconnus", () => {
      expect(
        codes(
          verifier((o) => {
            o.individu.etatCivil.codSexEtuOpi = 'X';
            o.bac!.codMention = 'ZZ';
            o.bac!.codTpe = 'ZZ';
          }),
        ),
      ).to.deep.equal(['MENTION_BAC_INCONNUE@bac.codMention', 'SEXE_INCONNU@individu.etatCivil.codSexEtuOpi', 'TYPE_ETABLISSEMENT_INCONNU@bac.codTpe']);
    });
    it('situation droits inconnue sur un vœu → SITUATION_DROITS_INCONNUE', () => {
      expect(
        verifier((o) => {
          o.voeux![1]!.codCatExoExt = 'ZZZ';
        }),
      ).to.deep.equal([
        {
          code: 'SITUATION_DROITS_INCONNUE',
          path: 'voeux[1].codCatExoExt',
          message: 'Situation droits inconnue ou hors service : ZZZ.',
        },
      ]);
    });
    it('catégorie Oui Si inconnue → CATEGORIE_OUI_SI_INCONNUE', () => {
      expect(
        verifier((o) => {
          o.voeux![0]!.codCatOuiSi = 'XYZ';
        }),
      ).to.deep.equal([
        {
          code: 'CATEGORIE_OUI_SI_INCONNUE',
          path: 'voeux[0].codCatOuiSi',
          message: 'Catégorie « Oui Si » inconnue ou hors service : XYZ.',
        },
      ]);
    });
  });

  describe('vœux et formations', () => {
    it('étape inconnue → ETAPE_INCONNUE à voeux[i].codEtp', () => {
      const pbs = verifier((o) => {
        o.voeux![1] = { ...o.voeux![1]!, codEtp: 'ZZZ1', codVrsVet: 1 };
        delete o.voeux![1]!.codDip;
        delete o.voeux![1]!.codVrsVdi;
      });
      expect(pbs).to.deep.equal([
        {
          code: 'ETAPE_INCONNUE',
          path: 'voeux[1].codEtp',
          message: 'Étape inconnue ou hors service : ZZZ1 version 1.',
        },
      ]);
    });
    it('étape connue mais version inconnue → ETAPE_INCONNUE', () => {
      const pbs = verifier((o) => {
        o.voeux![0]!.codVrsVet = 7;
        delete o.voeux![0]!.codDip;
        delete o.voeux![0]!.codVrsVdi;
      });
      expect(codes(pbs)).to.deep.equal(['ETAPE_INCONNUE@voeux[0].codEtp']);
    });
    it("version d'étape hors service (LDRT1 v1) → ETAPE_INCONNUE", () => {
      const pbs = verifier((o) => {
        o.voeux![0]!.codVrsVet = 1;
        delete o.voeux![0]!.codDip;
        delete o.voeux![0]!.codVrsVdi;
      });
      expect(pbs).to.deep.equal([
        {
          code: 'ETAPE_INCONNUE',
          path: 'voeux[0].codEtp',
          message: 'Étape inconnue ou hors service : LDRT1 version 1.',
        },
      ]);
    });
    it('LDRT1 v1 avec son diplôme LDRT v1 (hors service lui aussi) → ETAPE_INCONNUE et DIPLOME_INCONNU', () => {
      const pbs = verifier((o) => {
        o.voeux![0]!.codVrsVet = 1;
        o.voeux![0]!.codVrsVdi = 1;
      });
      expect(codes(pbs)).to.deep.equal(['DIPLOME_INCONNU@voeux[0].codDip', 'ETAPE_INCONNUE@voeux[0].codEtp']);
    });
    it("diplôme qui n'est pas celui de l'étape → ETAPE_DIPLOME_INCOHERENTS", () => {
      const pbs = verifier((o) => {
        o.voeux![0]!.codDip = 'LECG';
      });
      expect(pbs).to.deep.equal([
        {
          code: 'ETAPE_DIPLOME_INCOHERENTS',
          path: 'voeux[0].codDip',
          message: "L'étape LDRT1 v2 n'appartient pas au diplôme LECG v2 (diplôme de l'étape : LDRT v2).",
        },
      ]);
    });
    it('diplôme inconnu → DIPLOME_INCONNU', () => {
      expect(
        codes(
          verifier((o) => {
            o.voeux![0]!.codDip = 'ZZZ';
          }),
        ),
      ).to.deep.equal(['DIPLOME_INCONNU@voeux[0].codDip']);
    });
    it("codDip sans codVrsVdi (et l'inverse) → DIPLOME_VERSION_INCOMPLETE au champ manquant", () => {
      expect(
        codes(
          verifier((o) => {
            delete o.voeux![0]!.codVrsVdi;
          }),
        ),
      ).to.deep.equal(['DIPLOME_VERSION_INCOMPLETE@voeux[0].codVrsVdi']);
      expect(
        codes(
          verifier((o) => {
            delete o.voeux![0]!.codDip;
          }),
        ),
      ).to.deep.equal(['DIPLOME_VERSION_INCOMPLETE@voeux[0].codDip']);
    });
    it("centre de gestion en service mais pas celui de l'étape → ETAPE_CGE_INCOHERENTS", () => {
      const pbs = verifier((o) => {
        o.voeux![0]!.codCge = 'ECO';
      });
      expect(pbs).to.deep.equal([
        {
          code: 'ETAPE_CGE_INCOHERENTS',
          path: 'voeux[0].codCge',
          message: "L'étape LDRT1 v2 est gérée par le centre de gestion DRT, pas ECO.",
        },
      ]);
    });
    it("CGE inconnu : CGE_INCONNU seul (pas d'incohérence en plus)", () => {
      expect(
        codes(
          verifier((o) => {
            o.voeux![0]!.codCge = 'ZZZ';
          }),
        ),
      ).to.deep.equal(['CGE_INCONNU@voeux[0].codCge']);
    });
    it('même vœu (CGE, étape, version) deux fois → VOEU_EN_DOUBLE au second', () => {
      const pbs = verifier((o) => {
        o.voeux![1] = { ...o.voeux![0]!, numCls: 2 };
      });
      expect(pbs).to.deep.equal([
        {
          code: 'VOEU_EN_DOUBLE',
          path: 'voeux[1]',
          message: 'Vœu en double : même centre de gestion, étape et version que le vœu voeux[0].',
        },
      ]);
    });
    it('même étape, autre version : pas un doublon (mais version hors service signalée)', () => {
      const pbs = verifier((o) => {
        o.voeux![1] = { ...o.voeux![0]!, codVrsVet: 1, numCls: 2 };
        delete o.voeux![1]!.codDip;
        delete o.voeux![1]!.codVrsVdi;
      });
      expect(codes(pbs)).to.deep.equal(['ETAPE_INCONNUE@voeux[1].codEtp']);
    });
    it('trois fois le même vœu → deux VOEU_EN_DOUBLE, chacun renvoyant au premier', () => {
      const pbs = verifier((o) => {
        o.voeux = [o.voeux![0]!, { ...o.voeux![0]!, numCls: 2 }, { ...o.voeux![0]!, numCls: 3 }];
      });
      expect(codes(pbs)).to.deep.equal(['VOEU_EN_DOUBLE@voeux[1]', 'VOEU_EN_DOUBLE@voeux[2]']);
      expect(pbs.every((p) => p.message.endsWith('voeux[0].'))).to.equal(true);
    });
  });

  describe('dates et lieux', () => {
    const naissance = (d: string) =>
      verifier((o) => {
        o.individu.donneesNaissance.dateNaiIndOpi = d;
      });
    it('âge < 10 ans → DATE_NAISSANCE_INVRAISEMBLABLE (10 ans pile accepté)', () => {
      expect(codes(naissance('2016-11-25'))).to.deep.equal(['DATE_NAISSANCE_INVRAISEMBLABLE@individu.donneesNaissance.dateNaiIndOpi']);
      expect(codes(naissance('2026-01-01'))).to.deep.equal(['DATE_NAISSANCE_INVRAISEMBLABLE@individu.donneesNaissance.dateNaiIndOpi']);
      expect(naissance('2016-11-24')).to.deep.equal([]);
    });
    it('âge > 100 ans → DATE_NAISSANCE_INVRAISEMBLABLE (100 ans accepté)', () => {
      expect(codes(naissance('1925-11-24'))).to.deep.equal(['DATE_NAISSANCE_INVRAISEMBLABLE@individu.donneesNaissance.dateNaiIndOpi']);
      expect(naissance('1925-11-25')).to.deep.equal([]);
    });
    it('bac obtenu en 2027 → ANNEE_BAC_FUTURE ; 2026 accepté', () => {
      expect(
        verifier((o) => {
          o.bac!.daaObtBacOba = '2027';
        }),
      ).to.deep.equal([
        {
          code: 'ANNEE_BAC_FUTURE',
          path: 'bac.daaObtBacOba',
          message: "L'année d'obtention du bac (2027) ne peut pas dépasser l'année en cours.",
        },
      ]);
      expect(
        verifier((o) => {
          o.bac!.daaObtBacOba = '2026';
        }),
      ).to.deep.equal([]);
    });
    it('type P (étranger) avec le code de la France 100 → LIEU_NAISSANCE_INCOHERENT', () => {
      expect(
        verifier((o) => {
          o.individu.donneesNaissance.codTypDepPayNai = 'P';
          o.individu.donneesNaissance.codDepPayNai = '100';
        }),
      ).to.deep.equal([
        {
          code: 'LIEU_NAISSANCE_INCOHERENT',
          path: 'individu.donneesNaissance.codDepPayNai',
          message: 'Lieu de naissance incohérent : type P (étranger) avec le code de la France.',
        },
      ]);
    });
    it('type P avec un pays étranger connu → [] ; inconnu → PAYS_INCONNU', () => {
      expect(
        verifier((o) => {
          o.individu.donneesNaissance.codTypDepPayNai = 'P';
          o.individu.donneesNaissance.codDepPayNai = '101';
        }),
      ).to.deep.equal([]);
      expect(
        codes(
          verifier((o) => {
            o.individu.donneesNaissance.codTypDepPayNai = 'P';
            o.individu.donneesNaissance.codDepPayNai = '999';
          }),
        ),
      ).to.deep.equal(['PAYS_INCONNU@individu.donneesNaissance.codDepPayNai']);
    });
    it('type D avec un département inconnu → DEPARTEMENT_INCONNU', () => {
      expect(
        verifier((o) => {
          o.individu.donneesNaissance.codDepPayNai = '999';
        }),
      ).to.deep.equal([
        {
          code: 'DEPARTEMENT_INCONNU',
          path: 'individu.donneesNaissance.codDepPayNai',
          message: 'Département inconnu : 999.',
        },
      ]);
      expect(
        verifier((o) => {
          o.individu.donneesNaissance.codDepPayNai = '02A';
        }),
      ).to.deep.equal([]);
    });
    it('lieu sans type → CHAMP_OBLIGATOIRE sur codTypDepPayNai', () => {
      expect(
        codes(
          verifier((o) => {
            delete o.individu.donneesNaissance.codTypDepPayNai;
          }),
        ),
      ).to.deep.equal(['CHAMP_OBLIGATOIRE@individu.donneesNaissance.codTypDepPayNai']);
    });
  });

  it('plusieurs règles violées : toutes rapportées', () => {
    const pbs = verifier((o) => {
      o.individu.etatCivil.codNneIndOpi = '0000000001C';
      o.individu.donneesPersonnelles!.codRgi = '9';
      o.bac!.daaObtBacOba = '2027';
      o.voeux![0]!.codCge = 'ECO';
      o.voeux![1]!.codEtp = 'ZZZ1';
    });
    expect(codes(pbs)).to.deep.equal([
      'ANNEE_BAC_FUTURE@bac.daaObtBacOba',
      'ETAPE_CGE_INCOHERENTS@voeux[0].codCge',
      'ETAPE_INCONNUE@voeux[1].codEtp',
      'INE_CLE_INVALIDE@individu.etatCivil.codNneIndOpi',
      'REGIME_INCONNU@individu.donneesPersonnelles.codRgi',
    ]);
  });
});
