/** Who still owes which supporting document (owed and not received, or refused), filterable by document type and formation. */
import { useCallback, useEffect, useState } from 'react';
import { appeler, messageErreur } from './api';

interface Manquante {
  codTpj: string;
  libelle: string;
  statut: string;
}
interface EnAttente {
  codOpiIntEpo: string;
  libNomPatIndOpi: string;
  libPr1IndOpi: string;
  adresse: string | null;
  manquantes: Manquante[];
}

export function PagePieces() {
  const [individus, setIndividus] = useState<EnAttente[]>([]);
  const [codTpj, setCodTpj] = useState('');
  const [codEtp, setCodEtp] = useState('');
  const [erreur, setErreur] = useState('');
  const charger = useCallback(() => {
    const q = new URLSearchParams({ limite: '200' });
    if (codTpj) q.set('codTpj', codTpj);
    if (codEtp) q.set('codEtp', codEtp);
    appeler<{ individus: EnAttente[] }>('GET', `/pj/en-attente?${q}`).then(
      (r) => {
        setIndividus(r.individus);
        setErreur('');
      },
      (e) => setErreur(messageErreur(e)),
    );
  }, [codTpj, codEtp]);
  useEffect(charger, [charger]);
  return (
    <section aria-labelledby="titre-pieces">
      <h1 id="titre-pieces">Pièces dues</h1>
      <label>
        Type de pièce (code)
        <input value={codTpj} onChange={(e) => setCodTpj(e.target.value.toUpperCase())} placeholder="PHOTO" />
      </label>
      <label>
        Étape (code)
        <input value={codEtp} onChange={(e) => setCodEtp(e.target.value.toUpperCase())} placeholder="LDRT1" />
      </label>
      {erreur && (
        <p className="alerte" role="alert">
          {erreur}
        </p>
      )}
      <p role="status">{individus.length} candidat(s) doivent encore une pièce (200 au plus affichés).</p>
      <table>
        <caption className="visuellement-cache">Candidats qui doivent encore une pièce</caption>
        <thead>
          <tr>
            <th scope="col">Candidat</th>
            <th scope="col">Courriel</th>
            <th scope="col">Pièces dues</th>
          </tr>
        </thead>
        <tbody>
          {individus.map((i) => (
            <tr key={i.codOpiIntEpo}>
              <td>
                <a href={`/console/recherche?opi=${encodeURIComponent(i.codOpiIntEpo)}`}>
                  {i.libNomPatIndOpi} {i.libPr1IndOpi} ({i.codOpiIntEpo})
                </a>
              </td>
              <td>{i.adresse ?? '—'}</td>
              <td>
                <ul>
                  {i.manquantes.map((m) => (
                    <li key={m.codTpj}>
                      {m.libelle} — {m.statut === 'REFUSEE' ? 'refusée, à redéposer' : 'non reçue'}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
