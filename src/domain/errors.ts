/**
 * The one error catalogue of the gateway. Every rejection, whatever the door (REST, SOAP, batch),
 * is one or more `Probleme` built from an entry of this catalogue: a stable code, the path of the
 * field concerned (see `paths.ts`), and a French message.
 *
 * REST renders them as application/problem+json (RFC 9457), SOAP as a WebBaseException fault
 * (Apogée's fault model: `type.domaine.nature.element`), bulk loads per row.
 */

/** Apogée's fault vocabulary (docs/contrats-soap.md §7). */
export type NatureApogee = 'noncoherentinput' | 'nonpresentinput' | 'nullretrieve' | 'transaction' | 'invaliduser';
export type DomaineApogee = 'parameter' | 'data' | 'security';

export interface EntreeCatalogue {
  /** HTTP status when this error alone decides the answer. */
  readonly status: number;
  /** French message; `{name}` placeholders are replaced by the error's parameters. */
  readonly message: string;
  readonly domaine: DomaineApogee;
  readonly nature: NatureApogee;
  /** `erreur` rejects; `avertissement` is reported but does not stop the operation. */
  readonly gravite: 'erreur' | 'avertissement';
}

function e(status: number, message: string, nature: NatureApogee = 'noncoherentinput', domaine: DomaineApogee = 'parameter'): EntreeCatalogue {
  return { status, message, domaine, nature, gravite: 'erreur' };
}
function w(message: string): EntreeCatalogue {
  return { status: 200, message, domaine: 'data', nature: 'noncoherentinput', gravite: 'avertissement' };
}

export const CATALOGUE = {
  // --- malformed requests (400) -------------------------------------------------------------
  REQUETE_MALFORMEE: e(400, 'La requête est mal formée : {detail}.'),
  CORPS_TROP_VOLUMINEUX: e(413, 'Le corps de la requête dépasse la taille maximale autorisée ({max}).'),
  TYPE_CONTENU_NON_SUPPORTE: e(415, 'Type de contenu non supporté : {type}.'),
  CRITERE_RECHERCHE_MANQUANT: e(400, 'Précisez un critère de recherche : {criteres}.', 'nonpresentinput'),
  PARAMETRE_INVALIDE: e(400, 'Paramètre invalide : {detail}.'),
  PROFONDEUR_EXCESSIVE: e(400, 'Le document imbrique trop de niveaux de listes et d’objets : {max} au plus.'),
  AUTHENTIFICATION_REQUISE: e(
    401,
    "Authentification requise : clé d'API (Authorization: Bearer, X-Api-Key) ou HTTP Basic ; en SOAP aussi un en-tête WS-Security UsernameToken (PasswordText).",
    'invaliduser',
    'security',
  ),
  JETON_WSS_INVALIDE: e(401, 'En-tête WS-Security refusé : {detail}.', 'invaliduser', 'security'),
  TROP_DE_REQUETES: e(429, 'Trop de requêtes : au plus {max} par minute pour {qui} ; réessayez dans {attente} s (en-tête Retry-After).', 'transaction', 'data'),
  CONNEXION_REFUSEE: e(401, 'Identifiant ou mot de passe incorrect (ou compte désactivé).', 'invaliduser', 'security'),
  COMPTE_INCONNU: e(
    403,
    'Aucun compte actif « {identifiant} » sur la passerelle : demandez à un administrateur de le créer (npm run clients -- comptes creer).',
    'invaliduser',
    'security',
  ),
  CSRF_INVALIDE: e(
    403,
    'Jeton anti-CSRF absent ou invalide : rechargez la console (en-tête X-CSRF-Token attendu avec chaque modification).',
    'invaliduser',
    'security',
  ),
  CAS_NON_CONFIGURE: e(404, "La connexion CAS n'est pas configurée sur cette passerelle (CAS_URL).", 'nullretrieve', 'data'),
  CAS_TICKET_REFUSE: e(401, 'Le serveur CAS a refusé le ticket : {detail}.', 'invaliduser', 'security'),
  PORTEE_INSUFFISANTE: e(403, "Accès refusé : l'opération {operation} demande la portée {portee}, que cet appelant n'a pas.", 'invaliduser', 'security'),
  OPI_HORS_PERIMETRE: e(
    403,
    "Accès refusé : le numéro d'OPI {codOpiIntEpo} n'est pas dans les préfixes de cet appelant ({prefixes}).",
    'invaliduser',
    'security',
  ),
  IDENTIFIANT_PARCOURSUP_REFUSE: e(
    401,
    'Identifiant Parcoursup refusé : login inconnu ou mot de passe faux (identifiant.login, identifiant.pwd).',
    'invaliduser',
    'security',
  ),
  // --- schema (422) ----------------------------------------------------------------------------
  CHAMP_OBLIGATOIRE: e(422, 'Le champ est obligatoire.', 'nonpresentinput'),
  CHAMP_INCONNU: e(422, 'Champ non reconnu : {champ}.'),
  TYPE_INVALIDE: e(422, 'Type de valeur invalide : {attendu} attendu.'),
  LONGUEUR_MAX_DEPASSEE: e(422, 'La valeur dépasse la longueur maximale de {max} caractère(s).'),
  LONGUEUR_MIN_NON_ATTEINTE: e(422, 'La valeur doit compter au moins {min} caractère(s).'),
  FORMAT_INVALIDE: e(422, 'Format invalide ; attendu : {attendu}.'),
  CARACTERE_INTERDIT: e(
    422,
    'Caractère interdit dans la valeur : {caractere} (caractères de contrôle, NUL, marque d’ordre des octets et demi-paires UTF-16 sont refusés).',
  ),
  VALEUR_NON_AUTORISEE: e(422, 'Valeur non autorisée ; valeurs possibles : {valeurs}.'),
  VALEUR_HORS_BORNES: e(422, 'Valeur hors bornes ({borne}).'),
  LISTE_TROP_LONGUE: e(422, 'La liste dépasse {max} élément(s).'),
  DATE_INVALIDE: e(422, 'Date invalide ou inexistante ; attendu : {format}.'),
  EMAIL_INVALIDE: e(422, 'Adresse électronique invalide.'),
  TELEPHONE_INVALIDE: e(422, 'Numéro de téléphone invalide (chiffres, espaces et + ( ) - . / seulement).'),
  // --- identifiers ------------------------------------------------------------------------------
  CODE_OPI_INVALIDE: e(422, "Numéro d'OPI invalide : 1 à 10 lettres ou chiffres."),
  CODE_OPI_DIFFERENT: e(422, "Le numéro d'OPI du corps ({corps}) diffère de celui de l'URL ({url})."),
  INE_FORMAT_INVALIDE: e(
    422,
    'INE invalide : 11 caractères attendus (10 chiffres + 1 lettre, 10 caractères + 1 chiffre, 9 chiffres + 2 lettres, ou INE apprentissage).',
  ),
  INE_CLE_INVALIDE: e(422, "La clé de contrôle de l'INE est invalide."),
  INE_REFUSE_PAR_INES: e(422, 'INE refusé par le service INES (numéro et clé inconnus ou incohérents).'),
  UAI_INVALIDE: e(422, 'Code UAI invalide (7 chiffres + 1 lettre de contrôle) : {raison}.'),
  // --- dates and coherence --------------------------------------------------------------------
  DATE_NAISSANCE_INVRAISEMBLABLE: e(422, "Date de naissance invraisemblable : l'âge doit être compris entre 10 et 100 ans."),
  ANNEE_BAC_FUTURE: e(422, "L'année d'obtention du bac ({annee}) ne peut pas dépasser l'année en cours."),
  LIEU_NAISSANCE_INCOHERENT: e(422, 'Lieu de naissance incohérent : {detail}.'),
  DIPLOME_VERSION_INCOMPLETE: e(422, 'Le diplôme et sa version (codDip, codVrsVdi) vont ensemble.'),
  // --- nomenclatures ----------------------------------------------------------------------------
  CODE_INCONNU: e(422, 'Code inconnu dans la nomenclature « {nomenclature} » : {code}.'),
  REGIME_INCONNU: e(422, "Régime d'inscription inconnu ou hors service : {code}."),
  STATUT_INCONNU: e(422, 'Statut étudiant inconnu ou hors service : {code}.'),
  SITUATION_DROITS_INCONNUE: e(422, 'Situation droits inconnue ou hors service : {code}.'),
  CATEGORIE_OUI_SI_INCONNUE: e(422, 'Catégorie « Oui Si » inconnue ou hors service : {code}.'),
  PAYS_INCONNU: e(422, 'Pays inconnu ou hors service : {code}.'),
  DEPARTEMENT_INCONNU: e(422, 'Département inconnu : {code}.'),
  BAC_INCONNU: e(422, 'Bac ou équivalence inconnu ou hors service : {code}.'),
  MENTION_BAC_INCONNUE: e(422, 'Mention de bac inconnue : {code}.'),
  TYPE_ETABLISSEMENT_INCONNU: e(422, "Type d'établissement inconnu : {code}."),
  SEXE_INCONNU: e(422, 'Sexe inconnu : {code} (M ou F).'),
  CGE_INCONNU: e(422, 'Centre de gestion inconnu ou hors service : {code}.'),
  COMPOSANTE_INCONNUE: e(422, 'Composante inconnue ou hors service : {code}.'),
  ETAPE_INCONNUE: e(422, 'Étape inconnue ou hors service : {codEtp} version {codVrsVet}.'),
  DIPLOME_INCONNU: e(422, 'Diplôme inconnu ou hors service : {codDip} version {codVrsVdi}.'),
  ETAPE_DIPLOME_INCOHERENTS: e(422, "L'étape {codEtp} v{codVrsVet} n'appartient pas au diplôme {codDip} v{codVrsVdi} (diplôme de l'étape : {attendu})."),
  ETAPE_CGE_INCOHERENTS: e(422, "L'étape {codEtp} v{codVrsVet} est gérée par le centre de gestion {attendu}, pas {codCge}."),
  VOEU_EN_DOUBLE: e(422, 'Vœu en double : même centre de gestion, étape et version que le vœu {autre}.'),
  NOMENCLATURE_INCONNUE: e(404, 'Nomenclature inconnue : {nom}.', 'nullretrieve', 'data'),
  // --- laissez-passer and bulk loads -----------------------------------------------------------
  IDENTIFIANT_INDIVIDU_MANQUANT: e(422, "Indiquez l'individu : numéro d'OPI (codOpiIntEpo / numOPI), numéro étudiant (codEtu) ou INE.", 'nonpresentinput'),
  LP_INDIVIDU_INCOHERENT: e(422, "Incohérent avec l'OPI {codOpiIntEpo} : {detail}."),
  ANNEE_UNIVERSITAIRE_INVALIDE: e(422, 'Année universitaire {codAnu} hors des années acceptées ({min} à {max}).'),
  PERIODE_VALIDITE_INCOHERENTE: e(422, 'La fin de validité ({fin}) précède le début ({debut}).'),
  REGIME_NON_AUTORISE_SUR_ETAPE: e(422, "Le régime {codRgi} n'est pas autorisé sur l'étape {codEtp} v{codVrsVet} (autorisés : {autorises})."),
  SYNONYMES_CONTRADICTOIRES: e(422, 'Deux noms du même champ avec des valeurs différentes : {valeurs}.'),
  LP_INTROUVABLE: e(404, "Aucun laissez-passer avec l'identifiant {id}.", 'nullretrieve', 'data'),
  JOB_INTROUVABLE: e(404, "Aucun chargement avec l'identifiant {id}.", 'nullretrieve', 'data'),
  JOURNAL_INTROUVABLE: e(404, "Aucune ligne du journal avec l'identifiant {id}.", 'nullretrieve', 'data'),
  REJEU_INDISPONIBLE: e(
    409,
    "Rejeu indisponible : aucune clé de journal n'est configurée (JOURNAL_CLE), les messages ne sont pas gardés.",
    'transaction',
    'data',
  ),
  CHARGE_NON_GARDEE: e(
    409,
    "Le message {id} n'a pas de contenu gardé : une lecture, un refus avant traitement, une opération qui ne se rejoue pas ({operation}) ou un contenu déjà purgé.",
    'nullretrieve',
    'data',
  ),
  CLE_JOURNAL_INCONNUE: e(409, 'Le message {id} a été chiffré avec la clé {cle}, absente de JOURNAL_CLE et JOURNAL_CLES_ANCIENNES.', 'transaction', 'data'),
  DEJA_REJOUE: e(409, 'Le message {id} a déjà été rejoué (ligne(s) {rejeux}) ; ajoutez forcer=true pour le rejouer encore.', 'transaction', 'data'),
  COLONNE_INCONNUE: e(422, "Colonne inconnue dans l'en-tête : {colonne} (colonnes possibles : {colonnes})."),
  LOT_VIDE: e(422, 'Le lot ne contient aucune ligne.'),
  LOT_TROP_GRAND: e(413, 'Le lot dépasse {max} éléments pour un appel ; utilisez le chargement de fichier (POST /api/v1/laissez-passer/bulk).'),
  LIGNE_NON_ECRITE: e(422, "Ligne valide non écrite : le mode tout-ou-rien a refusé le lot à cause d'autres lignes."),
  IDEMPOTENCE_CONFLIT: e(409, "La clé d'idempotence {cle} a déjà servi pour une autre requête.", 'noncoherentinput'),
  INDIVIDU_INTROUVABLE: e(404, 'Aucune OPI ni aucun laissez-passer pour cet individu.', 'nullretrieve', 'data'),
  // --- inscriptions (IA) ------------------------------------------------------------------------
  ACCES_NON_AUTORISE: e(422, "Aucun accès à l'étape {codEtp} v{codVrsVet} pour {codAnu} : ni vœu favorable d'OPI, ni laissez-passer actif."),
  PROFIL_EXONERANT_INCONNU: e(422, 'Profil exonérant inconnu ou hors service : {code}.'),
  DROITS_NON_PARAMETRES: e(422, "Droits non paramétrés pour {codAnu} ({detail}) : chargez la nomenclature de l'année."),
  CVEC_REQUISE: e(422, 'Attestation CVEC requise pour le régime {codRgi} (formation initiale).', 'nonpresentinput'),
  CVEC_FORMAT_INVALIDE: e(422, "Numéro d'attestation CVEC invalide : 3 lettres (code du Crous) puis 6 à 20 lettres ou chiffres."),
  NUMERO_BOURSIER_INVALIDE: e(422, 'Numéro de boursier invalide : 13 caractères au plus, lettres et chiffres.'),
  NATIONALITE_INCONNUE: e(422, "Nationalité inconnue : indiquez codPayNat (l'individu n'a pas d'OPI qui la donne).", 'nonpresentinput'),
  INSCRIPTION_INTROUVABLE: e(404, "Aucune inscription avec l'identifiant {id}.", 'nullretrieve', 'data'),
  TRANSITION_INTERDITE: e(409, "Impossible de passer de l'état {de} à {vers}.", 'noncoherentinput', 'data'),
  PAIEMENT_MONTANT_INCORRECT: e(422, 'Montant payé ({paye} €) différent du montant dû ({du} €).'),
  // --- supporting documents (PJ) -----------------------------------------------------------------
  PJ_TYPE_INCONNU: e(422, 'Type de pièce justificative inconnu ou hors service : {code}.'),
  PJ_VIDE: e(422, 'Le fichier est vide.', 'nonpresentinput'),
  PJ_TROP_VOLUMINEUX: e(413, 'Le fichier ({taille}) dépasse la taille maximale de ce type de pièce ({max}).'),
  PJ_TYPE_NON_AUTORISE: e(422, 'Type de fichier refusé : {detecte} (lu dans le contenu, pas dans le nom) ; types acceptés pour {codTpj} : {autorises}.'),
  PJ_PDF_ILLISIBLE: e(422, 'Le PDF ne peut pas être ouvert (fichier endommagé ou incomplet) ; envoyez un PDF lisible.'),
  PJ_PDF_CHIFFRE: e(422, 'Le PDF est protégé par un mot de passe ou chiffré ; envoyez-le sans protection.'),
  PJ_IDENTITE_INCOHERENTE: e(422, "Le {champ} envoyé ({envoye}) ne correspond pas à celui de l'OPI {codOpiIntEpo}."),
  PJ_INTROUVABLE: e(404, 'Aucune pièce {codTpj} reçue pour {individu}.', 'nullretrieve', 'data'),
  MOTIF_REFUS_REQUIS: e(422, 'Un refus de pièce demande un motif (nomenclature motifs-refus-pj).', 'nonpresentinput'),
  MOTIF_REFUS_PJ_INCONNU: e(422, 'Motif de refus de pièce inconnu ou hors service : {code}.'),
  // --- platform imports ----------------------------------------------------------------------------
  FORMATION_NON_CORRESPONDANTE: e(
    422,
    "Formation {code} de {plateforme} sans correspondance : ajoutez-la à la nomenclature correspondances-formations (ou utilisez le code de l'étape).",
  ),
  LIGNE_EN_DOUBLE: e(422, "Ligne en double : le candidat {candidat} figure déjà, à l'identique, ligne {ligne}."),
  LIGNE_CONTRADICTOIRE: e(422, "Ligne contradictoire : le candidat {candidat} figure déjà ligne {ligne} avec d'autres valeurs ; corrigez l'une des deux."),
  FORMAT_IMPORT_INCONNU: e(400, "Format d'import inconnu : {format} (formats possibles : {formats})."),
  FICHIER_NON_CONFORME: e(422, "Le fichier n'est pas au format {format} : {detail}."),
  ARCHIVE_REFUSEE: e(422, 'Archive refusée : {detail}.'),
  NUMERO_CANDIDAT_INVALIDE: e(422, 'Numéro de candidat invalide : {numero} ({attendu}).'),
  // --- resources --------------------------------------------------------------------------------
  OPI_INTROUVABLE: e(404, 'Aucune OPI avec le numéro {codOpiIntEpo}.', 'nullretrieve', 'data'),
  RESSOURCE_INTROUVABLE: e(404, 'Ressource introuvable : {ressource}.', 'nullretrieve', 'data'),
  METHODE_NON_AUTORISEE: e(405, 'Méthode {methode} non autorisée sur {ressource} (méthodes possibles : {autorisees}).'),
  CONFLIT_CONCURRENT: e(409, 'Conflit avec une écriture concurrente ; la requête peut être renvoyée telle quelle.', 'transaction', 'data'),
  // --- technical ----------------------------------------------------------------------------------
  ARRET_EN_COURS: e(
    503,
    "La passerelle s'arrête : rien n'a été fait, renvoyez la requête (un autre nœud ou celui-ci redémarré la servira).",
    'transaction',
    'data',
  ),
  BASE_INDISPONIBLE: e(503, "La base de données ne répond pas ; rien n'a été enregistré, la requête peut être renvoyée.", 'transaction', 'data'),
  ERREUR_INTERNE: e(500, "Erreur interne ; rien n'a été enregistré. Référence : {requestId}.", 'transaction', 'data'),
  // --- warnings (stored and reported, do not reject) ---------------------------------------------
  DOUBLON_INE: w("Doublon possible : le même INE est porté par l'OPI {autre}."),
  DOUBLON_COD_ETU: w("Doublon possible : le même numéro étudiant est porté par l'OPI {autre}."),
  INES_INDISPONIBLE: w("Le service INES n'a pas répondu : la clé de l'INE (forme 9 chiffres + 2 lettres) n'a pas pu être vérifiée en ligne."),
  DOUBLON_ETAT_CIVIL: w("Doublon possible : même nom de naissance, prénom et date de naissance que l'OPI {autre}."),
  // --- SOAP door ------------------------------------------------------------------------------------
  OPERATION_SOAP_INCONNUE: e(400, 'Opération SOAP inconnue du service {service} : {operation} ; opérations offertes : {operations}.'),
  // --- reminders of missing supporting documents -----------------------------------------------------
  MESSAGERIE_NON_CONFIGUREE: e(
    503,
    "Aucun serveur de messagerie n'est configuré (SMTP_URL) : les relances par courriel sont indisponibles ; rien n'a été envoyé.",
    'transaction',
    'data',
  ),
  RELANCE_EN_COURS: e(
    409,
    'Une relance des pièces manquantes est déjà en cours (sur cette instance ou une autre) ; réessayez après sa fin.',
    'transaction',
    'data',
  ),
  // --- outgoing notifications (Parcoursup back-channel) ------------------------------------------------
  NOTIFICATION_INTROUVABLE: e(404, "Aucune notification sortante avec l'identifiant {id}.", 'nullretrieve', 'data'),
  NOTIFICATION_DEJA_ENVOYEE: e(
    409,
    'La notification {id} a déjà été reçue par son destinataire : la renvoyer pourrait défaire un état plus récent.',
    'noncoherentinput',
    'data',
  ),
} as const satisfies Record<string, EntreeCatalogue>;

export type CodeErreur = keyof typeof CATALOGUE;

/** One problem about one field: what REST lists in `errors[]` and SOAP in `messages/item`. */
export interface Probleme {
  code: CodeErreur;
  /** Field path in the canonical record, e.g. `individu.etatCivil.codNneIndOpi`, `voeux[1].codEtp`; `''` = the whole request. */
  path: string;
  message: string;
}

export function probleme(code: CodeErreur, path: string, params: Record<string, unknown> = {}): Probleme {
  return { code, path, message: formater(CATALOGUE[code].message, params) };
}

function formater(modele: string, params: Record<string, unknown>): string {
  return modele.replace(/\{(\w+)\}/g, (tout, nom: string) => (params[nom] === undefined || params[nom] === null ? tout : String(params[nom])));
}

export function estAvertissement(p: Probleme): boolean {
  return CATALOGUE[p.code].gravite === 'avertissement';
}

/** An operation refused for one or more reasons; nothing was written. */
export class ErreurMetier extends Error {
  readonly problemes: Probleme[];
  readonly status: number;
  constructor(problemes: Probleme[], status?: number) {
    super(problemes.map((p) => `${p.code}${p.path ? ` [${p.path}]` : ''} ${p.message}`).join(' ; '));
    this.name = 'ErreurMetier';
    this.problemes = problemes;
    this.status = status ?? statusPour(problemes);
  }
  static une(code: CodeErreur, path = '', params: Record<string, unknown> = {}): ErreurMetier {
    return new ErreurMetier([probleme(code, path, params)]);
  }
}

/** The status of a set of problems: the most specific one among them (422 wins over 400 for data). */
function statusPour(problemes: Probleme[]): number {
  const statuses = problemes.map((p) => CATALOGUE[p.code].status);
  if (statuses.length === 0) return 422;
  if (statuses.every((s) => s === statuses[0])) return statuses[0];
  return statuses.includes(422) ? 422 : Math.max(...statuses);
}

/** Apogée-style dotted fault code: `technical.<domaine>.<nature>.<element>`. */
export function codeApogee(p: Probleme): { type: string; domaine: string; nature: string; element: string; code: string } {
  const entree = CATALOGUE[p.code];
  const element = derniereComposante(p.path) || 'requete';
  return {
    type: 'technical',
    domaine: entree.domaine,
    nature: entree.nature,
    element,
    code: `technical.${entree.domaine}.${entree.nature}.${element}`,
  };
}

function derniereComposante(path: string): string {
  const parts = path.split('.').filter(Boolean);
  const last = parts[parts.length - 1] ?? '';
  return last.replace(/\[\d+\]$/, '');
}
