/**
 * Laissez-passer from a spreadsheet: choose or drop a CSV/XLSX file, check it on the server without
 * writing anything (the same job type, in simulation), then send it and watch it run; the report
 * lists every rejected row with its problems and downloads as CSV; the corrected file is sent again.
 */
import { useRef, useState } from 'react';
import { appeler, peut, type Session, messageErreur } from './api';
import { Avancement, suivreJob, TableRejets, type Resultat } from './rapport';

const formulaire = (fichier: File) => {
  const f = new FormData();
  f.append('fichier', fichier, fichier.name);
  return f;
};

export function PageLaissezPasser({ session }: { session: Session }) {
  const [fichier, setFichier] = useState<File | null>(null);
  const [survol, setSurvol] = useState(false);
  const [apercu, setApercu] = useState<Resultat | null>(null);
  const [job, setJob] = useState<Resultat | null>(null);
  const [erreur, setErreur] = useState('');
  const [occupe, setOccupe] = useState(false);
  const champ = useRef<HTMLInputElement>(null);
  const ecrire = peut(session, 'lp:ecrire');

  const choisir = (f: File | undefined | null) => {
    setFichier(f ?? null);
    setApercu(null);
    setJob(null);
    setErreur('');
  };
  const echec = (e: unknown) => setErreur(messageErreur(e));

  const verifier = async () => {
    if (!fichier) return;
    setOccupe(true);
    try {
      setApercu(await appeler<Resultat>('POST', '/laissez-passer/bulk?simulation=true&attendre=1&mode=partial&apercu=20', formulaire(fichier)));
    } catch (e) {
      echec(e);
    } finally {
      setOccupe(false);
    }
  };

  const envoyer = async () => {
    if (!fichier) return;
    setOccupe(true);
    try {
      await suivreJob(await appeler<Resultat>('POST', '/laissez-passer/bulk?mode=partial', formulaire(fichier)), setJob);
    } catch (e) {
      echec(e);
    } finally {
      setOccupe(false);
    }
  };

  return (
    <section aria-labelledby="titre-lp">
      <h1 id="titre-lp">Laissez-passer en masse</h1>
      <p>
        Modèles à remplir : <a href="/api/v1/laissez-passer/modele.xlsx">classeur XLSX</a> · <a href="/api/v1/laissez-passer/modele.csv">CSV</a>. Le fichier est
        d’abord vérifié sans rien écrire ; chaque problème est signalé dans sa cellule.
      </p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a shortcut; the file field inside is the accessible way. */}
      <div
        className={`depot${survol ? ' survol' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setSurvol(true);
        }}
        onDragLeave={() => setSurvol(false)}
        onDrop={(e) => {
          e.preventDefault();
          setSurvol(false);
          choisir(e.dataTransfer.files[0]);
        }}
      >
        <label>
          Fichier de laissez-passer (CSV ou XLSX) — ou déposez-le ici
          <input ref={champ} type="file" name="fichier" accept=".csv,.xlsx,.json,text/csv" onChange={(e) => choisir(e.target.files?.[0])} />
        </label>
        {fichier && <p>Fichier choisi : {fichier.name}</p>}
      </div>
      <p>
        <button type="button" onClick={verifier} disabled={!fichier || occupe}>
          Vérifier sans rien écrire
        </button>{' '}
        <button type="button" className="principal" onClick={envoyer} disabled={!fichier || occupe || !ecrire || !apercu}>
          Envoyer le fichier
        </button>
        {!ecrire && <span> (votre rôle ne permet pas d’écrire des laissez-passer)</span>}
      </p>
      {erreur && (
        <p className="alerte" role="alert">
          {erreur}
        </p>
      )}
      {apercu && !job && (
        <div role="status">
          <p className={apercu.lignesRejetees ? 'alerte' : 'succes'}>
            Vérification : {apercu.lignesLues} ligne(s) lue(s) ; {apercu.creees} seraient créées, {apercu.misesAJour} mises à jour, {apercu.inchangees}{' '}
            inchangées, <strong>{apercu.lignesRejetees} rejetée(s)</strong>.
          </p>
          {apercu.apercu && apercu.apercu.length > 0 && (
            <TableRejets
              rejets={apercu.apercu.map((l) => ({
                ligne: l.ligne,
                valeurs: l.valeurs,
                erreurs: apercu.rejets?.find((r) => r.ligne === l.ligne)?.erreurs ?? [],
              }))}
              legende={`Aperçu des ${apercu.apercu.length} premières lignes`}
            />
          )}
          {apercu.rejets && apercu.rejets.length > 0 && <TableRejets rejets={apercu.rejets} legende="Lignes à corriger avant l’envoi" />}
        </div>
      )}
      {job && <Avancement job={job} />}
    </section>
  );
}
