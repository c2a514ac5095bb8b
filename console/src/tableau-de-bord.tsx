/**
 * The campaign dashboard: records received per day and per door/platform, inscriptions by state,
 * documents by state and still owed, rejects by class — as charts (Chart.js), each with its figures
 * in a table beside it (what a screen reader, or a printout, reads).
 */
import { useEffect, useRef, useState } from 'react';
import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip } from 'chart.js';
import { appeler, messageErreur } from './api';
import { Tableau } from './tableau';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Legend, Tooltip);

interface Statistiques {
  codAnu: string;
  recusParJour: { jour: string; porte: string; client: string; n: number }[];
  inscriptionsParEtat: { etat: string; n: number }[];
  piecesParStatut: { statut: string; n: number }[];
  piecesDues: { individus: number; pieces: number };
  rejetsParClasse: { classe: string; libelle: string; n: number }[];
}

const COULEURS = ['#1f3a5f', '#c84c09', '#2e7d32', '#6a1b9a', '#00838f', '#ad1457', '#5d4037', '#455a64'];

/** A chart on a canvas, redrawn when its data change. */
function Graphique({
  titre,
  type,
  etiquettes,
  series,
}: {
  titre: string;
  type: 'bar' | 'doughnut';
  etiquettes: string[];
  series: { nom: string; valeurs: number[] }[];
}) {
  const toile = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!toile.current || !etiquettes.length) return;
    const g = new Chart(toile.current, {
      type,
      data: {
        labels: etiquettes,
        datasets: series.map((s, i) => ({
          label: s.nom,
          data: s.valeurs,
          backgroundColor: type === 'doughnut' ? etiquettes.map((_, k) => COULEURS[k % COULEURS.length]) : COULEURS[i % COULEURS.length],
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: 'bottom' } },
        ...(type === 'bar' ? { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } } : {}),
      },
    });
    return () => g.destroy();
  }, [type, etiquettes, series]);
  if (!etiquettes.length) return <p>{titre} : aucune donnée pour l’instant.</p>;
  return (
    <figure>
      <figcaption>{titre}</figcaption>
      <div style={{ position: 'relative', height: '16rem' }}>
        <canvas ref={toile} role="img" aria-label={`${titre} (les chiffres sont dans le tableau qui suit)`} />
      </div>
    </figure>
  );
}

export function PageTableauDeBord() {
  const [s, setS] = useState<Statistiques | null>(null);
  const [erreur, setErreur] = useState('');
  useEffect(() => {
    appeler<Statistiques>('GET', '/statistiques?jours=30').then(setS, (e) => setErreur(messageErreur(e)));
  }, []);
  if (erreur)
    return (
      <p className="alerte" role="alert">
        {erreur}
      </p>
    );
  if (!s) return <p role="status">Chargement…</p>;
  const jours = [...new Set(s.recusParJour.map((r) => r.jour))];
  const sources = [...new Set(s.recusParJour.map((r) => `${r.porte} ${r.client}`))];
  const series = sources.map((src) => ({
    nom: src,
    valeurs: jours.map((j) => s.recusParJour.filter((r) => r.jour === j && `${r.porte} ${r.client}` === src).reduce((n, r) => n + r.n, 0)),
  }));
  return (
    <section aria-labelledby="titre-tableau">
      <h1 id="titre-tableau">Tableau de bord — campagne {s.codAnu}</h1>
      <p role="status">
        Pièces dues : <strong>{s.piecesDues.pieces}</strong> pièce(s) pour <strong>{s.piecesDues.individus}</strong> candidat(s).
      </p>
      <Graphique titre="Messages acceptés par jour, par porte et plateforme (30 jours)" type="bar" etiquettes={jours} series={series} />
      <Tableau
        legende="Messages acceptés par jour"
        colonnes={['Jour', 'Porte et client', 'Nombre']}
        lignes={s.recusParJour.map((r) => [r.jour, `${r.porte} ${r.client}`, r.n])}
      />
      <Graphique
        titre="Rejets par classe (30 jours)"
        type="bar"
        etiquettes={s.rejetsParClasse.map((r) => r.libelle)}
        series={[{ nom: 'Rejets', valeurs: s.rejetsParClasse.map((r) => r.n) }]}
      />
      <Tableau legende="Rejets par classe" colonnes={['Classe', 'Nombre']} lignes={s.rejetsParClasse.map((r) => [r.libelle, r.n])} />
      <Graphique
        titre="Inscriptions par état"
        type="doughnut"
        etiquettes={s.inscriptionsParEtat.map((r) => r.etat)}
        series={[{ nom: 'Inscriptions', valeurs: s.inscriptionsParEtat.map((r) => r.n) }]}
      />
      <Tableau legende="Inscriptions par état" colonnes={['État', 'Nombre']} lignes={s.inscriptionsParEtat.map((r) => [r.etat, r.n])} />
      <Tableau legende="Pièces reçues par état" colonnes={['État', 'Nombre']} lignes={s.piecesParStatut.map((r) => [r.statut, r.n])} />
    </section>
  );
}
