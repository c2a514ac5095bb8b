/** The jobs: past and running, who sent them, when, outcome; a running one can be cancelled. */
import { useCallback, useEffect, useState } from 'react';
import { appeler, peut, type Session, messageErreur } from './api';

export interface EtatJob {
  id: string;
  type: string;
  etat: string;
  simulation: boolean;
  nomFichier: string | null;
  client: string;
  lignesLues: number;
  lignesRejetees: number;
  creees: number;
  misesAJour: number;
  inchangees: number;
  lignesTotal: number | null;
  debit: number | null;
  resteSecondes: number | null;
  creeLe: string;
  finLe: string | null;
}

export const ETATS: Record<string, string> = {
  EN_ATTENTE: 'en attente',
  EN_COURS: 'en cours',
  TERMINE: 'terminé',
  REJETE: 'rejeté',
  ECHOUE: 'échoué',
  ANNULE: 'annulé',
};

const date = (d: string) => new Date(d).toLocaleString('fr-FR');

export function PageChargements({ session }: { session: Session }) {
  const [jobs, setJobs] = useState<EtatJob[]>([]);
  const [erreur, setErreur] = useState('');
  const charger = useCallback(() => {
    appeler<{ jobs: EtatJob[] }>('GET', '/jobs?limite=100').then(
      (r) => setJobs(r.jobs),
      (e) => setErreur(messageErreur(e)),
    );
  }, []);
  useEffect(() => {
    charger();
    const t = setInterval(charger, 2000);
    return () => clearInterval(t);
  }, [charger]);
  const annuler = async (id: string) => {
    try {
      await appeler('POST', `/jobs/${id}/annulation`);
      charger();
    } catch (e) {
      setErreur(messageErreur(e));
    }
  };
  return (
    <section aria-labelledby="titre-chargements">
      <h1 id="titre-chargements">Chargements</h1>
      {erreur && (
        <p className="alerte" role="alert">
          {erreur}
        </p>
      )}
      <table>
        <caption className="visuellement-cache">Chargements, du plus récent au plus ancien</caption>
        <thead>
          <tr>
            <th scope="col">Reçu le</th>
            <th scope="col">Type</th>
            <th scope="col">Fichier</th>
            <th scope="col">Envoyé par</th>
            <th scope="col">État</th>
            <th scope="col">Lignes</th>
            <th scope="col">Créées / mises à jour / inchangées / rejetées</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id}>
              <td>{date(j.creeLe)}</td>
              <td>
                {j.type}
                {j.simulation ? ' (simulation)' : ''}
              </td>
              <td>{j.nomFichier ?? '—'}</td>
              <td>{j.client}</td>
              <td>{ETATS[j.etat] ?? j.etat}</td>
              <td>
                {j.lignesLues}
                {j.lignesTotal ? ` / ${j.lignesTotal}` : ''}
              </td>
              <td>
                {j.creees} / {j.misesAJour} / {j.inchangees} / {j.lignesRejetees}
              </td>
              <td>
                {j.lignesRejetees > 0 && <a href={`/api/v1/jobs/${j.id}/rejets?format=csv`}>Rapport des rejets (CSV)</a>}{' '}
                {(j.etat === 'EN_COURS' || j.etat === 'EN_ATTENTE') && peut(session, 'jobs:annuler') && (
                  <button type="button" onClick={() => annuler(j.id)}>
                    Annuler
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
