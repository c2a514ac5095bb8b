/** The rejects queue: refused messages from the journal, filterable; each can be replayed after a fix (a nomenclature loaded…). */
import { useCallback, useEffect, useState } from 'react';
import { appeler, peut, type Session, messageErreur } from './api';

interface Entree {
  id: number;
  recuLe: string;
  porte: string;
  operation: string;
  client: string;
  cle: string | null;
  individu: string | null;
  codes: string[];
  details?: { code: string; path: string; message: string }[];
  rejouable: boolean;
}

interface Rejeu {
  rejeu: { resultat: string; statut: number; codes: string[]; simulation: boolean };
  difference: { chemin: string }[] | null;
}

export function PageRejets({ session }: { session: Session }) {
  const [entrees, setEntrees] = useState<Entree[]>([]);
  const [porte, setPorte] = useState('');
  const [client, setClient] = useState('');
  const [depuis, setDepuis] = useState('');
  const [code, setCode] = useState('');
  const [issues, setIssues] = useState<Record<number, string>>({});
  const [erreur, setErreur] = useState('');
  const charger = useCallback(() => {
    const q = new URLSearchParams({ resultat: 'REJETE', limite: '200' });
    if (porte) q.set('porte', porte);
    if (client) q.set('client', client);
    if (depuis) q.set('depuis', depuis);
    if (code) q.set('code', code);
    appeler<{ entrees: Entree[] }>('GET', `/journal?${q}`).then(
      (r) => {
        setEntrees(r.entrees);
        setErreur('');
      },
      (e) => setErreur(messageErreur(e)),
    );
  }, [porte, client, depuis, code]);
  useEffect(charger, [charger]);
  const rejouer = async (id: number, simulation: boolean) => {
    try {
      const r = await appeler<Rejeu>('POST', `/journal/${id}/rejouer${simulation ? '?simulation=true' : ''}`);
      const dit = `${simulation ? 'Simulation' : 'Rejeu'} : ${r.rejeu.resultat}${r.rejeu.codes.length ? ` (${r.rejeu.codes.join(', ')})` : ''}`;
      setIssues((x) => ({ ...x, [id]: dit }));
    } catch (e) {
      setIssues((x) => ({ ...x, [id]: messageErreur(e) }));
    }
  };
  const rejeuPossible = peut(session, 'journal:rejouer');
  return (
    <section aria-labelledby="titre-rejets">
      <h1 id="titre-rejets">Rejets</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          charger();
        }}
      >
        <label htmlFor="filtre-porte">Porte</label>
        <select id="filtre-porte" value={porte} onChange={(e) => setPorte(e.target.value)}>
          <option value="">toutes</option>
          <option value="REST">REST</option>
          <option value="SOAP">SOAP</option>
          <option value="BATCH">fichiers</option>
        </select>
        <label>
          Plateforme ou client
          <input value={client} onChange={(e) => setClient(e.target.value)} />
        </label>
        <label>
          Code d’erreur
          <input value={code} onChange={(e) => setCode(e.target.value)} placeholder="ETAPE_INCONNUE" />
        </label>
        <label>
          Depuis le
          <input type="date" value={depuis} onChange={(e) => setDepuis(e.target.value)} />
        </label>
      </form>
      {erreur && (
        <p className="alerte" role="alert">
          {erreur}
        </p>
      )}
      <table>
        <caption className="visuellement-cache">Messages refusés, du plus récent au plus ancien</caption>
        <thead>
          <tr>
            <th scope="col">Reçu le</th>
            <th scope="col">Porte / opération</th>
            <th scope="col">Client</th>
            <th scope="col">Individu</th>
            <th scope="col">Problèmes</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {entrees.map((e) => (
            <tr key={e.id}>
              <td>{new Date(e.recuLe).toLocaleString('fr-FR')}</td>
              <td>
                {e.porte} {e.operation}
              </td>
              <td>{e.client}</td>
              <td>{e.individu ?? e.cle ?? '—'}</td>
              <td>
                <ul>
                  {(e.details ?? e.codes.map((c) => ({ code: c, path: '', message: c }))).slice(0, 5).map((d) => (
                    <li key={`${d.code}|${d.path}|${d.message}`}>
                      {d.path && <strong>{d.path} : </strong>}
                      {d.message}
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                {rejeuPossible && e.rejouable && (
                  <>
                    <button type="button" onClick={() => rejouer(e.id, true)} aria-label={`Simuler le rejeu du message ${e.id}`}>
                      Simuler
                    </button>{' '}
                    <button type="button" onClick={() => rejouer(e.id, false)} aria-label={`Rejouer le message ${e.id}`}>
                      Rejouer
                    </button>
                  </>
                )}
                {!e.rejouable && <small>non gardé : à renvoyer</small>}
                {issues[e.id] && <p role="status">{issues[e.id]}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
