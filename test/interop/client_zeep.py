#!/usr/bin/python3
"""Interoperability check with a SOAP client that is not ours: python3-zeep (Debian's package).

zeep builds its client from the WSDL the gateway serves, and emits every element of the contract,
`xsi:nil` for None and "" for the bac fields declared default="" — the way the Amue JAXB client does.
Prints one JSON object with what each call gave; the mocha test asserts on it.
Usage: client_zeep.py <base-url> <codOpiIntEpo> <codAnu>
"""
import json
import sys

import zeep
from zeep.exceptions import Fault


def main():
    base, code, annee = sys.argv[1], sys.argv[2], sys.argv[3]
    sortie = {}
    opi = zeep.Client(f"{base}/ws/OpiMetier?wsdl")
    donnees = {
        "adresseAnnuelle": None,
        "adresseFixe": {"codBdi": "35000", "codCom": "35238", "codPay": "100", "lib1": "3 place de la Gare",
                        "lib2": None, "lib3": None, "libAde": None, "numTel": None},
        "bac": {"codBac": "BACG", "codDep": "035", "codEtb": "0350042F", "codMention": "AB", "codTpe": "LY",
                "daaObtBacOba": "2025"},
        "dac": None,
        "individu": {
            "codEtuOpi": None, "codOpiIntEpo": code,
            "donneesNaissance": {"codDepPayNai": "035", "codPayNat": "100", "codTypDepPayNai": "D",
                                 "dateNaiIndOpi": "17032007", "libVilNaiEtuOpi": "Rennes", "temDateNaiRelOpi": "N"},
            "donneesPersonnelles": {"adrMailOpi": "zoe.moreau@example.org", "numTelPorOpi": "0612345678",
                                    "codRgi": "1", "codStu": "01"},
            "etatCivil": {"codNneIndOpi": "0000000003D", "codSexEtuOpi": "F", "libNomPatIndOpi": "MOREAU",
                          "libNomUsuIndOpi": None, "libPr1IndOpi": "ZOE", "libPr2IndOpi": None, "libPr3IndOpi": None},
        },
        "voeux": {"modEnv": None, "item": [
            {"codCge": "DRT", "codEtp": "LDRT1", "codVrsVet": 2, "codDip": "LDRT", "codVrsVdi": 2, "codDecVeu": "F",
             "codDemDos": "C", "numCls": 1, "temValPsd": "N", "codRge": "1", "codCatExoExt": "DN"},
            {"codCge": "ECO", "codEtp": "LECG1", "codVrsVet": 2, "codDecVeu": "F", "codDemDos": "C", "numCls": 2,
             "temValPsd": "N"},
        ]},
        "donneesThese": None,
    }
    sortie["opi"] = opi.service.mettreajourDonneesOpi_v10(_donneesOpi=donnees)
    sortie["opiRenvoi"] = opi.service.mettreajourDonneesOpi_v10(_donneesOpi=donnees)
    donnees["individu"]["etatCivil"]["codNneIndOpi"] = "0000000003E"
    donnees["individu"]["codOpiIntEpo"] = code[:-1] + "9"
    try:
        opi.service.mettreajourDonneesOpi_v10(_donneesOpi=donnees)
        sortie["faute"] = None
    except Fault as f:
        d = f.detail.find("{gouv.education.apogee.commun.servicesmetiers.OpiMetier}fault")
        sortie["faute"] = {
            "message": f.message,
            "domaine": d.findtext("domaine"), "element": d.findtext("element"), "nature": d.findtext("nature"),
            "type": d.findtext("type"), "lastErrorMsg": d.findtext("lastErrorMsg"),
            "items": [i.text for i in d.find("messages").findall("item")],
        }
    lp = zeep.Client(f"{base}/ws/LaissezPasserMetier?wsdl")
    # zeep refuses None for these non-nillable strings: the unused identifier travels as "".
    sortie["lp"] = lp.service.mettreAJourLaissezPasserWS_V2(
        typLpa="IAPRIMO", codAnu=annee, numOPI=code, codEtu="", codEtp="LECG1", codVrsVet="2", codDip="",
        codVrsVdi="", codRgi="3", codStu="01", libCmtLpa="Reprise d'études", codCatOuiSi="", mtfCat="",
        codCatExoExt="EXO")
    # Our own bulk operation: the response must follow the WSDL's sequence for a strict client.
    masse = lp.service.mettreAJourLaissezPasserEnMasse(mode="partiel", laissezPasser=[
        {"typLpa": "REINS", "codAnu": annee, "codEtu": "44000001", "codEtp": "LDRT2", "codVrsVet": "2", "codRgi": "1"},
        {"typLpa": "REINS", "codAnu": annee, "codEtu": "44000002", "codEtp": "ZZZZ1", "codVrsVet": "2", "codRgi": "1"},
        {"typLpa": "REINS", "codAnu": annee, "codEtu": "44000003", "codEtp": "LDRT2", "codVrsVet": "2"},
    ])
    sortie["masse"] = {
        "crees": masse.nombreCrees, "rejetes": masse.nombreRejetes, "annule": masse.toutOuRienAnnule,
        "resultats": [{"rang": r.rang, "statut": r.statut, "codes": [e.code for e in (r.erreur or [])]} for r in masse.resultat],
    }
    ia = zeep.Client(f"{base}/ws/InscriptionMetier?wsdl")
    creee = ia.service.creerInscription(codAnu=annee, codOpiIntEpo=code, codEtp="LDRT1", codVrsVet=2, numeroCvec="REN99887766")
    relue = ia.service.lireInscription(id=creee.inscription.id)
    sortie["ia"] = {
        "resultat": creee.resultat, "etat": relue.etat, "regime": [relue.regime.valeur, relue.regime.source],
        "montantDu": str(relue.droits.montantDu), "cvecRequise": relue.cvec.requise, "explication": list(relue.explication)[:1],
    }
    print(json.dumps(sortie, default=str))


if __name__ == "__main__":
    main()
