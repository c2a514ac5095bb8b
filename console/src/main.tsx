/** The staff console: sign-in, then the pages of the scolarité, one per path under /console/. */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { appeler, ErreurApi, retenirCsrf, surSessionPerdue, type Session } from './api';
import { Connexion } from './connexion';
import { PageChargements } from './chargements';
import { PageLaissezPasser } from './laissez-passer';
import { PageRejets } from './rejets';
import { PageNomenclatures } from './nomenclatures';
import { PageRecherche } from './recherche';
import { PageTableauDeBord } from './tableau-de-bord';
import { PageImports } from './imports';
import { PageDoublons } from './doublons';
import { PagePieces } from './pieces';

const PAGES = [
  { chemin: 'tableau-de-bord', titre: 'Tableau de bord', Composant: PageTableauDeBord },
  { chemin: 'laissez-passer', titre: 'Laissez-passer en masse', Composant: PageLaissezPasser },
  { chemin: 'imports', titre: 'Imports d’OPI', Composant: PageImports },
  { chemin: 'chargements', titre: 'Chargements', Composant: PageChargements },
  { chemin: 'rejets', titre: 'Rejets', Composant: PageRejets },
  { chemin: 'recherche', titre: 'Recherche', Composant: PageRecherche },
  { chemin: 'doublons', titre: 'Doublons', Composant: PageDoublons },
  { chemin: 'pieces', titre: 'Pièces dues', Composant: PagePieces },
  { chemin: 'nomenclatures', titre: 'Nomenclatures', Composant: PageNomenclatures },
] as const;

function pageCourante(): string {
  const p = location.pathname.replace(/^\/console\/?/, '').split('/')[0];
  return PAGES.some((x) => x.chemin === p) ? p : 'tableau-de-bord';
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [page, setPage] = useState(pageCourante());
  const [expiree, setExpiree] = useState(false);
  useEffect(() => {
    surSessionPerdue(() => {
      setExpiree(true);
      setSession(null);
    });
    appeler<Session>('GET', '/session').then(
      (s) => {
        retenirCsrf(s.csrf);
        setSession(s);
      },
      () => setSession(null),
    );
    const retour = () => setPage(pageCourante());
    window.addEventListener('popstate', retour);
    return () => window.removeEventListener('popstate', retour);
  }, []);
  useEffect(() => {
    const p = PAGES.find((x) => x.chemin === page);
    document.title = `${p?.titre ?? 'Console'} — console de la scolarité`;
  }, [page]);

  if (session === undefined) return <p role="status">Chargement…</p>;
  if (session === null)
    return (
      <Connexion
        message={expiree ? 'Votre session a expiré (inactivité ou déconnexion) : reconnectez-vous.' : undefined}
        surConnexion={(s) => {
          retenirCsrf(s.csrf);
          setExpiree(false);
          setSession(s);
        }}
      />
    );
  const aller = (chemin: string) => (e: React.MouseEvent) => {
    e.preventDefault();
    history.pushState(null, '', `/console/${chemin}`);
    setPage(chemin);
  };
  const deconnecter = async () => {
    try {
      await appeler('DELETE', '/session');
    } catch (err) {
      if (!(err instanceof ErreurApi)) throw err;
    }
    retenirCsrf('');
    setSession(null);
  };
  const Courante = PAGES.find((x) => x.chemin === page)!.Composant;
  return (
    <>
      <header className="barre">
        <strong>Scolarité</strong>
        <nav aria-label="Pages de la console">
          {PAGES.map((p) => (
            <a key={p.chemin} href={`/console/${p.chemin}`} aria-current={p.chemin === page ? 'page' : undefined} onClick={aller(p.chemin)}>
              {p.titre}
            </a>
          ))}
          <a href="/api/v1/docs">Documentation de l’API</a>
        </nav>
        <span>
          {session.compte} ({session.role})
        </span>
        <button type="button" onClick={deconnecter}>
          Se déconnecter
        </button>
      </header>
      <main>
        <Courante session={session} />
      </main>
    </>
  );
}

createRoot(document.getElementById('racine')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
