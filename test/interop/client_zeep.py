#!/usr/bin/python3
"""Interoperability check with a SOAP client that is not ours: python3-zeep (Debian's package).

zeep builds its client from the WSDL the gateway serves, and emits every element of the contract,
`xsi:nil` for None and "" for the bac fields declared default="" — the way the Amue JAXB client does.
It also deposits a supporting document through PjOpiMetier (the bytes of fixtures/pj/valide.pdf, which
zeep base64-encodes as the WSDL's xsd:base64Binary says), then meets a refusal as a WebBaseException fault.
Prints one JSON object with what each call gave; the mocha test asserts on it.
Usage: client_zeep.py <base-url> <codOpiIntEpo> <codAnu>
"""
import json
import os
import sys

import zeep
from zeep.exceptions import Fault

FIXTURES_PJ = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "pj")


def lire_faute(f, ns):
    """A WebBaseException fault, as a client of Apogée reads it."""
    d = f.detail.find("{%s}fault" % ns)
    return {
        "message": f.message,
        "domaine": d.findtext("domaine"), "element": d.findtext("element"), "nature": d.findtext("nature"),
        "type": d.findtext("type"), "lastErrorMsg": d.findtext("lastErrorMsg"),
        "items": [i.text for i in d.find("messages").findall("item")],
    }


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
        sortie["faute"] = lire_faute(f, "gouv.education.apogee.commun.servicesmetiers.OpiMetier")
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
    # Supporting documents (eCandidat's call): the names as typed in the OPI, compared upper-case without accents.
    pj = zeep.Client(f"{base}/ws/PjOpiMetier?wsdl")
    with open(os.path.join(FIXTURES_PJ, "valide.pdf"), "rb") as f:
        pdf = f.read()
    depot = pj.service.recupererPiecesJustificativesOPIWS(
        _codOpiIntEpo=code, _libNomPatIndOpi="Moreau", _libPr1IndOpi="Zoé", _codTpj="IDENT",
        _nomFic="attestation.pdf", _pj=pdf)
    sortie["pj"] = {"msg": depot.msg, "erreurDescription": depot.erreurDescription}
    with open(os.path.join(FIXTURES_PJ, "page.pdf"), "rb") as f:
        html = f.read()
    try:
        pj.service.recupererPiecesJustificativesOPIWS(
            _codOpiIntEpo=code, _libNomPatIndOpi="MOREAU", _libPr1IndOpi="ZOE", _codTpj="IDENT",
            _nomFic="page.pdf", _pj=html)
        sortie["pjFaute"] = None
    except Fault as f:
        sortie["pjFaute"] = lire_faute(f, "gouv.education.apogee.commun.servicesmetiers.PjOpiMetier")
    print(json.dumps(sortie, default=str))


if __name__ == "__main__":
    main()
