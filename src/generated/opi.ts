/* Généré depuis schemas/opi.schema.json par `npm run gen:types` : ne pas modifier à la main. */

/**
 * OPI (Opérations Préalables à l'Inscription) : l'arbre DonneesOpiDTO10 d'Apogée 6.70, en JSON. Noms, longueurs et champs obligatoires du contrat Apogée (voir docs/contrats-soap.md §4). En REST `voeux` est un tableau ; sur le fil SOAP c'est un TableauVoeu3 (modEnv puis item*). `voeux` absent : les vœux enregistrés sont gardés ; `voeux: []` : ils sont tous supprimés.
 */
export interface DonneesOpi {
adresseAnnuelle?: MAJOpiAdresseDTO
adresseFixe?: MAJOpiAdresseDTO
bac?: MAJOpiBacDTO2
dac?: MAJOpiDacDTO
individu: MAJOpiIndDTO6
/**
 * @maxItems 50
 */
voeux?: MAJOpiVoeuDTO3[]
donneesThese?: MAJOpiTheseDTO
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "Adresse".
 */
export interface MAJOpiAdresseDTO {
/**
 * Code postal
 */
codBdi?: string
/**
 * Commune INSEE
 */
codCom?: string
/**
 * Code pays INSEE à 3 chiffres (France 100)
 */
codPay?: string
lib1?: string
lib2?: string
lib3?: string
/**
 * Ville étrangère / code postal + ville
 */
libAde?: string
numTel?: string
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "Bac".
 */
export interface MAJOpiBacDTO2 {
codBac?: string
codDep?: string
/**
 * Code UAI (7 chiffres + 1 lettre de contrôle)
 */
codEtb?: string
codMention?: string
codTpe?: string
/**
 * Année sur 4 chiffres
 */
daaObtBacOba?: string
codSpe1BacTer?: string
codSpe2BacTer?: string
codSpeBacPre?: string
codOpt1Bac?: string
codOpt2Bac?: string
codOpt3Bac?: string
codOpt4Bac?: string
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "Dac".
 */
export interface MAJOpiDacDTO {
codCurOpi?: string
codDac?: string
codDepPay?: string
codDipCur?: string
/**
 * Code UAI (7 chiffres + 1 lettre de contrôle)
 */
codEtb?: string
codNif?: number
codTpe?: string
/**
 * D = département français, P = pays étranger
 */
codTypDepPay?: ("D" | "P")
daaUniDac?: string
dipCur?: string
libCmtDac?: string
nbrCrdCur?: number
/**
 * Témoin O/N
 */
temObtCurVae?: ("O" | "N")
/**
 * Témoin O/N
 */
temObtDac?: ("O" | "N")
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "Individu".
 */
export interface MAJOpiIndDTO6 {
/**
 * Numéro étudiant dans l'établissement (8 chiffres au plus)
 */
codEtuOpi?: number
/**
 * Numéro d'OPI (clé de l'OPI), 1 à 10 lettres ou chiffres
 */
codOpiIntEpo: string
dernierDiplObt?: MAJDernierDiplObtDTO
dernierEtbFrequente?: MAJDernierEtbFrequenteDTO
donneesNaissance: MAJDonneesNaissanceDTO2
donneesPersonnelles?: MAJDonneesPersonnellesDTO3
etatCivil: MAJEtatCivilDTO2
inscriptionParallele?: MAJInscriptionParalleleDTO2
premiereInscription?: MAJPremiereInscriptionDTO
prgEchange?: MAJPrgEchangeDTO
situationAnnPre?: MAJSituationAnnPreDTO
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "DernierDiplObt".
 */
export interface MAJDernierDiplObtDTO {
codTdeDerDip?: string
codDepPayDerDip?: string
/**
 * D = département français, P = pays étranger
 */
codTypDepPayDerDip?: ("D" | "P")
/**
 * Code UAI (7 chiffres + 1 lettre de contrôle)
 */
codEtbDerDip?: string
codTdsOpi?: string
daaEtbDerDip?: string
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "DernierEtbFrequente".
 */
export interface MAJDernierEtbFrequenteDTO {
codDepPayAntIaaOpi?: string
/**
 * Code UAI (7 chiffres + 1 lettre de contrôle)
 */
codEtbAntIaa?: string
codTpeAntIaa?: string
/**
 * D = département français, P = pays étranger
 */
codTypDepPayAntIaaOpi?: ("D" | "P")
daaEtbAntIaaOpi?: string
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "DonneesNaissance".
 */
export interface MAJDonneesNaissanceDTO2 {
/**
 * Département (type D) ou pays (type P) de naissance
 */
codDepPayNai?: string
/**
 * Nationalité (code pays INSEE)
 */
codPayNat?: string
/**
 * D = département français, P = pays étranger
 */
codTypDepPayNai?: ("D" | "P")
/**
 * Date de naissance
 */
dateNaiIndOpi: string
/**
 * Commune de naissance (code INSEE)
 */
codComNaiEtuOpi?: string
/**
 * Ville de naissance
 */
libVilNaiEtuOpi?: string
/**
 * Date de naissance estimée (O/N)
 */
temDateNaiRelOpi: ("O" | "N")
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "DonneesPersonnelles".
 */
export interface MAJDonneesPersonnellesDTO3 {
adrMailOpi?: string
codFam?: string
codPcs?: string
codPcsAp?: string
codSim?: string
codThbOpi?: string
codThpOpi?: string
/**
 * Année sur 4 chiffres
 */
daaLbtIndOpi?: string
dmmLbtIndOpi?: string
numTelPorOpi?: string
/**
 * Régime d'inscription (nomenclature regimes)
 */
codRgi?: string
/**
 * Statut étudiant (nomenclature statuts)
 */
codStu?: string
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "EtatCivil".
 */
export interface MAJEtatCivilDTO2 {
/**
 * INE + clé (11 caractères)
 */
codNneIndOpi?: string
/**
 * Sexe : M ou F (nomenclature sexes)
 */
codSexEtuOpi?: string
/**
 * Nom de naissance (obligatoire)
 */
libNomPatIndOpi: string
/**
 * Nom d'usage
 */
libNomUsuIndOpi?: string
/**
 * Premier prénom (obligatoire)
 */
libPr1IndOpi: string
libPr2IndOpi?: string
libPr3IndOpi?: string
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "InscriptionParallele".
 */
export interface MAJInscriptionParalleleDTO2 {
/**
 * Code UAI (7 chiffres + 1 lettre de contrôle)
 */
codEtbAnnCrt?: string
codTpeAnnCrt?: string
/**
 * Témoin O/N
 */
temPrlAnnCrt?: ("O" | "N")
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "PremiereInscription".
 */
export interface MAJPremiereInscriptionDTO {
/**
 * Code UAI (7 chiffres + 1 lettre de contrôle)
 */
codEtb?: string
/**
 * Année sur 4 chiffres
 */
daaEnsSupOpi?: string
/**
 * Année sur 4 chiffres
 */
daaEntEtbOpi?: string
/**
 * Année sur 4 chiffres
 */
daaEtbOpi?: string
daaEtrSup?: string
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "PrgEchange".
 */
export interface MAJPrgEchangeDTO {
codEtrOpi?: string
codPrgOpi?: string
temSnsPrgOpi?: string
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "SituationAnnPre".
 */
export interface MAJSituationAnnPreDTO {
codDepPayAnnPreOpi?: string
/**
 * Code UAI (7 chiffres + 1 lettre de contrôle)
 */
codEtbAnnPreOpi?: string
codSisAnnPreOpi?: string
/**
 * D = département français, P = pays étranger
 */
codTypDepPayAnnPreOpi?: ("D" | "P")
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "Voeu".
 */
export interface MAJOpiVoeuDTO3 {
codAttDec?: string
/**
 * Centre de gestion (obligatoire)
 */
codCge: string
codCmp?: string
/**
 * Régime pour ce vœu
 */
codRge?: string
/**
 * Décision (F = favorable)
 */
codDecVeu: string
/**
 * Catégorie « Oui Si »
 */
codCatOuiSi?: string
/**
 * Motif de la catégorie Oui Si
 */
mtfCat?: string
/**
 * Demande de dossier (C / T)
 */
codDemDos: string
codDip?: string
/**
 * Étape (obligatoire)
 */
codEtp: string
codMfo?: string
codSpe1Opi?: string
codSpe2Opi?: string
codSpe3Opi?: string
codTyd?: string
codVrsVdi?: number
/**
 * Version d'étape (obligatoire)
 */
codVrsVet: number
convocation?: MAJConvocationDTO
libCmtJur?: string
/**
 * Rang du vœu
 */
numCls: number
/**
 * Témoin O/N
 */
temValPsd?: ("O" | "N")
titreAccesExterne?: MAJTitreAccesExterneDTO
ctrAdr?: string
/**
 * Situation droits (2 à 5 caractères)
 */
codCatExoExt?: string
/**
 * Complément situation droits
 */
comExoExt?: string
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "Convocation".
 */
export interface MAJConvocationDTO {
/**
 * Date ISO AAAA-MM-JJ (REST) ; ddMMyyyy sur le fil SOAP
 */
datCvc?: string
dhhCvc?: number
dmnCvc?: number
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "TitreAccesExterne".
 */
export interface MAJTitreAccesExterneDTO {
codDacOpi?: string
codDepPayDacOpi?: string
/**
 * Code UAI (7 chiffres + 1 lettre de contrôle)
 */
codEtbDacOpi?: string
codTpeDacOpi?: string
/**
 * D = département français, P = pays étranger
 */
codTypDepPayDacOpi?: ("D" | "P")
/**
 * Année sur 4 chiffres
 */
daaDacOpi?: string
}
/**
 * This interface was referenced by `DonneesOpi`'s JSON-Schema
 * via the `definition` "These".
 */
export interface MAJOpiTheseDTO {
codDip?: string
codVrsVdi?: number
codEtp?: string
codVrsVet?: number
codThsTrv?: string
codDis?: number
libThs?: string
libThsLng?: string
codLng?: string
codEdo?: string
codPerDir?: number
codPerCdr?: number
codPerCdr2?: number
codEqr?: string
}
