/** Sign-in with a staff account, or through the establishment's CAS when the gateway offers it. */
import { useEffect, useState } from 'react';
import { appeler, type Session, messageErreur } from './api';

export function Connexion({ surConnexion, message }: { surConnexion: (s: Session) => void; message?: string }) {
  const [identifiant, setIdentifiant] = useState('');
  const [motDePasse, setMotDePasse] = useState('');
  const [erreur, setErreur] = useState('');
  const [cas, setCas] = useState(false);
  useEffect(() => {
    appeler<{ cas: boolean }>('GET', '/session/options').then(
      (o) => setCas(o.cas),
      () => setCas(false),
    );
  }, []);
  const envoyer = async (e: React.FormEvent) => {
    e.preventDefault();
    setErreur('');
    try {
      surConnexion(await appeler<Session>('POST', '/session', { identifiant, motDePasse }));
    } catch (err) {
      setErreur(messageErreur(err));
    }
  };
  return (
    <main>
      <h1>Console de la scolarité</h1>
      {message && (
        <p className="alerte" role="alert">
          {message}
        </p>
      )}
      <form className="connexion" onSubmit={envoyer} aria-describedby={erreur ? 'erreur-connexion' : undefined}>
        <label>
          Identifiant
          <input name="identifiant" autoComplete="username" required value={identifiant} onChange={(e) => setIdentifiant(e.target.value)} />
        </label>
        <label>
          Mot de passe
          <input
            name="motDePasse"
            type="password"
            autoComplete="current-password"
            required
            value={motDePasse}
            onChange={(e) => setMotDePasse(e.target.value)}
          />
        </label>
        {erreur && (
          <p id="erreur-connexion" className="alerte" role="alert">
            {erreur}
          </p>
        )}
        <button className="principal" type="submit">
          Se connecter
        </button>
      </form>
      {cas && (
        <p>
          <a href={`/api/v1/session/cas?retour=${encodeURIComponent(location.pathname)}`}>Se connecter avec le compte de l’université (CAS)</a>
        </p>
      )}
    </main>
  );
}
