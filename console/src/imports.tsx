/**
 * OPI imports from a platform's file (Parcoursup, Études en France, Pégase): the format, the file (or
 * the Pégase pair), checked without writing (simulation), then sent; the same progress and report as
 * the laissez-passer page.
 */
import { useState } from 'react';
import { appeler, peut, type Session, messageErreur } from './api';
import { Avancement, suivreJob, type Resultat } from './rapport';

const FORMATS = [
  { nom: 'parcoursup-csv', libelle: 'Parcoursup — export CSV (admis, ou export de gestion d’une formation)' },
  { nom: 'eef-csv', libelle: 'Études en France — export CSV' },
  { nom: 'pegase', libelle: 'Pégase — fichiers candidat et candidature (les deux, ou un ZIP)' },
  { nom: 'pegase-inscription', libelle: 'Pégase — inscriptions' },
];

export function PageImports({ session }: { session: Session }) {
  const [format, setFormat] = useState(FORMATS[0].nom);
  const [fichiers, setFichiers] = useState<File[]>([]);
  const [codeFormation, setCodeFormation] = useState('');
  const [verification, setVerification] = useState<Resultat | null>(null);
  const [job, setJob] = useState<Resultat | null>(null);
  const [erreur, setErreur] = useState('');
  const [occupe, setOccupe] = useState(false);

  const lancer = async (simulation: boolean) => {
    setErreur('');
    setOccupe(true);
    const f = new FormData();
    f.append('format', format);
    if (simulation) f.append('simulation', 'true');
    if (codeFormation.trim()) f.append('codeFormationPsup', codeFormation.trim());
    for (const x of fichiers) f.append('fichiers', x, x.name);
    try {
      const accepte = await appeler<Resultat>('POST', '/imports', f);
      await suivreJob(accepte, simulation ? setVerification : setJob);
    } catch (e) {
      setErreur(messageErreur(e));
    } finally {
      setOccupe(false);
    }
  };

  return (
    <section aria-labelledby="titre-imports">
      <h1 id="titre-imports">Imports d’OPI des plateformes</h1>
      <label htmlFor="format-import">Format du fichier</label>
      <select id="format-import" value={format} onChange={(e) => setFormat(e.target.value)}>
        {FORMATS.map((x) => (
          <option key={x.nom} value={x.nom}>
            {x.libelle}
          </option>
        ))}
      </select>
      <label>
        Fichier(s) de la plateforme
        <input
          type="file"
          multiple
          accept=".csv,.txt,.zip"
          onChange={(e) => {
            setFichiers([...(e.target.files ?? [])]);
            setVerification(null);
            setJob(null);
          }}
        />
      </label>
      {format === 'parcoursup-csv' && (
        <label>
          Code Parcoursup de la formation (export de gestion d’une seule formation ; sinon vide)
          <input value={codeFormation} onChange={(e) => setCodeFormation(e.target.value)} />
        </label>
      )}
      <p>
        <button type="button" onClick={() => lancer(true)} disabled={!fichiers.length || occupe}>
          Vérifier sans rien écrire
        </button>{' '}
        <button
          type="button"
          className="principal"
          onClick={() => lancer(false)}
          disabled={!fichiers.length || occupe || !verification || !peut(session, 'opi:importer')}
        >
          Importer
        </button>
        {!peut(session, 'opi:importer') && <span> (votre rôle ne permet pas d’importer des OPI)</span>}
      </p>
      {erreur && (
        <p className="alerte" role="alert">
          {erreur}
        </p>
      )}
      {verification && !job && <Avancement job={verification} />}
      {job && <Avancement job={job} />}
    </section>
  );
}
