/** What each column of a laissez-passer file expects, in the words of the staff who fill it (the template's help sheet). */
import type { AideColonne } from './modele-xlsx';

export const AIDE_LP: AideColonne[] = [
  {
    colonne: 'typLpa',
    obligatoire: 'oui',
    attendu: 'IAPRIMO : première inscription d’un candidat connu par son numéro d’OPI ; REINS : réinscription d’un étudiant connu par son numéro étudiant.',
  },
  { colonne: 'codAnu', obligatoire: 'oui', attendu: 'Année de la campagne, sur 4 chiffres (2026 pour 2026-2027).' },
  {
    colonne: 'numOPI',
    obligatoire: 'pour IAPRIMO',
    attendu: 'Numéro d’OPI du candidat (lettres et chiffres, 10 caractères au plus), tel que la plateforme l’a donné.',
  },
  { colonne: 'codEtu', obligatoire: 'pour REINS', attendu: 'Numéro étudiant, chiffres seulement (8 au plus) ; les zéros de tête sont ignorés.' },
  { colonne: 'ine', obligatoire: 'non', attendu: 'INE de l’étudiant : 11 caractères, 10 chiffres et une lettre ou 9 chiffres et 2 lettres.' },
  { colonne: 'codEtp', obligatoire: 'oui', attendu: 'Code de l’étape, de la liste (feuille « codes ») : les étapes en service.' },
  { colonne: 'codVrsVet', obligatoire: 'oui', attendu: 'Version de l’étape, un nombre (voir la feuille « codes »).' },
  { colonne: 'codDip', obligatoire: 'non', attendu: 'Code du diplôme ; par défaut celui de l’étape.' },
  { colonne: 'codVrsVdi', obligatoire: 'non', attendu: 'Version du diplôme, un nombre ; par défaut celle de l’étape.' },
  { colonne: 'codRgi', obligatoire: 'non', attendu: 'Régime d’inscription, de la liste ; il doit être autorisé sur l’étape ; par défaut celui de l’étape.' },
  { colonne: 'codStu', obligatoire: 'non', attendu: 'Statut de l’étudiant, de la liste (deux chiffres : 01, pas 1).' },
  { colonne: 'libCmtLpa', obligatoire: 'non', attendu: 'Commentaire libre, 200 caractères au plus.' },
  { colonne: 'codCatOuiSi', obligatoire: 'non', attendu: 'Catégorie « Oui Si », de la liste, si l’admission est conditionnelle.' },
  { colonne: 'mtfCat', obligatoire: 'avec codCatOuiSi', attendu: 'Motif de la catégorie « Oui Si », 100 caractères au plus.' },
  { colonne: 'codCatExoExt', obligatoire: 'non', attendu: 'Situation droits (exonération, tarif), de la liste.' },
  { colonne: 'codCge', obligatoire: 'non', attendu: 'Centre de gestion, de la liste ; par défaut celui de l’étape.' },
  { colonne: 'dateDebutValidite', obligatoire: 'non', attendu: 'Début de validité du laissez-passer : une date (cellule date, ou AAAA-MM-JJ).' },
  { colonne: 'dateFinValidite', obligatoire: 'non', attendu: 'Fin de validité : une date, après le début.' },
];
