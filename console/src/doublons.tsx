/** Possible duplicate individuals side by side, with the decision « même personne » / « personnes différentes », recorded. */
import { useCallback, useEffect, useState } from 'react';
import { appeler, peut, type Session, messageErreur } from './api';

interface Fiche {
  codOpiIntEpo: string;
  nom: string | null;
  prenom: string | null;
  dateNaissance: string | null;
  ine: string | null;
  codEtu: number | null;
}
interface Paire {
  id: number;
  motif: string;
  decision: string | null;
  decidePar: string | null;
  nouvelle: Fiche | null;
  existante: Fiche | null;
}

const MOTIFS: Record<string, string> = { DOUBLON_INE: 'même INE', DOUBLON_COD_ETU: 'même numéro étudiant', DOUBLON_ETAT_CIVIL: 'même état civil' };
const CHAMPS: [keyof Fiche, string][] = [
  ['codOpiIntEpo', 'OPI'],
  ['nom', 'Nom'],
  ['prenom', 'Prénom'],
  ['dateNaissance', 'Naissance'],
  ['ine', 'INE'],
  ['codEtu', 'N° étudiant'],
];

export function PageDoublons({ session }: { session: Session }) {
  const [paires, setPaires] = useState<Paire[]>([]);
  const [message, setMessage] = useState('');
  const charger = useCallback(() => {
    appeler<{ paires: Paire[] }>('GET', '/doublons?decidees=false').then(
      (r) => setPaires(r.paires),
      (e) => setMessage(messageErreur(e)),
    );
  }, []);
  useEffect(charger, [charger]);
  const decider = async (p: Paire, decision: 'MEME_PERSONNE' | 'PERSONNES_DIFFERENTES') => {
    try {
      await appeler('POST', `/doublons/${p.id}/decision`, { decision });
      setMessage(
        `Paire ${p.nouvelle?.codOpiIntEpo} / ${p.existante?.codOpiIntEpo} : ${decision === 'MEME_PERSONNE' ? 'même personne' : 'personnes différentes'}.`,
      );
      charger();
    } catch (e) {
      setMessage(messageErreur(e));
    }
  };
  return (
    <section aria-labelledby="titre-doublons">
      <h1 id="titre-doublons">Doublons possibles</h1>
      {message && <p role="status">{message}</p>}
      {!paires.length && <p>Aucune paire à décider.</p>}
      {paires.map((p) => (
        <article key={p.id} aria-label={`Paire ${p.nouvelle?.codOpiIntEpo} et ${p.existante?.codOpiIntEpo}`}>
          <h2>
            {p.nouvelle?.codOpiIntEpo} et {p.existante?.codOpiIntEpo} — {MOTIFS[p.motif] ?? p.motif}
          </h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Champ</th>
                <th scope="col">OPI reçue</th>
                <th scope="col">OPI existante</th>
              </tr>
            </thead>
            <tbody>
              {CHAMPS.map(([k, libelle]) => (
                <tr key={k}>
                  <th scope="row">{libelle}</th>
                  <td className={p.nouvelle?.[k] !== p.existante?.[k] ? 'erreur' : undefined}>{String(p.nouvelle?.[k] ?? '—')}</td>
                  <td className={p.nouvelle?.[k] !== p.existante?.[k] ? 'erreur' : undefined}>{String(p.existante?.[k] ?? '—')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {peut(session, 'doublons:decider') && (
            <p>
              <button type="button" onClick={() => decider(p, 'MEME_PERSONNE')}>
                Même personne
              </button>{' '}
              <button type="button" onClick={() => decider(p, 'PERSONNES_DIFFERENTES')}>
                Personnes différentes
              </button>
            </p>
          )}
        </article>
      ))}
    </section>
  );
}
