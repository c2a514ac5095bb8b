import { expect } from 'chai';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ErreurConfiguration, lireBase, lireConfig } from '../../src/config';

/* Racine du dépôt vue depuis dist/test/unit. */
const RACINE = path.resolve(__dirname, '..', '..', '..');

/** lireConfig doit lever une ErreurConfiguration dont le message nomme la variable. */
function erreur(env: NodeJS.ProcessEnv): ErreurConfiguration {
  try {
    lireConfig(env);
  } catch (e) {
    expect(e).to.be.instanceOf(ErreurConfiguration);
    return e as ErreurConfiguration;
  }
  throw new Error(`lireConfig(${JSON.stringify(env)}) n'a pas levé d'erreur`);
}

describe('config — lireConfig', () => {
  it('WORKERS : un processus par cœur par défaut sur MariaDB/MySQL, toujours 1 sur SQLite', () => {
    const mysql = 'mysql://u@h:3306/b';
    expect(lireConfig({ DATABASE_URL: mysql }).processus).to.equal(availableParallelism());
    expect(lireConfig({ DATABASE_URL: mysql, WORKERS: 'auto' }).processus).to.equal(availableParallelism());
    expect(lireConfig({ DATABASE_URL: mysql, WORKERS: '3' }).processus).to.equal(3);
    expect(lireConfig({}).processus).to.equal(1);
    expect(lireConfig({ WORKERS: 'auto' }).processus).to.equal(1);
    expect(lireConfig({ WORKERS: '1' }).processus).to.equal(1);
    expect(erreur({ WORKERS: '4' }).message).to.match(/WORKERS=4.*SQLite n'a qu'un écrivain/);
    expect(erreur({ DATABASE_URL: mysql, WORKERS: '0' }).message).to.contain('WORKERS=0 : auto (un processus par cœur) ou un entier de 1 à 64');
    expect(erreur({ DATABASE_URL: mysql, WORKERS: 'beaucoup' }).message).to.contain('WORKERS=beaucoup');
  });

  it('valeurs par défaut (environnement vide)', () => {
    const c = lireConfig({});
    expect(c.port).to.equal(8080);
    expect(c.host).to.equal('0.0.0.0');
    expect(c.niveauLog).to.equal('info');
    expect(c.base).to.deep.equal({
      type: 'sqlite',
      url: path.join(RACINE, 'data', 'passerelle.sqlite'),
      pool: 10,
      delaiRequeteMs: 30_000,
      delaiAcquisitionMs: 10_000,
    });
    expect(path.isAbsolute(c.base.url)).to.equal(true);
    expect(c.dossierNomenclatures).to.equal(path.join(RACINE, 'fixtures', 'nomenclatures'));
    expect(c.tailleMaxCorps).to.equal(10 * 1024 * 1024);
    expect(c.tailleMaxSoap).to.equal(20 * 1024 * 1024);
  });

  it('API_KEYS absent ou blanc : aucune clé (mode ouvert)', () => {
    expect(lireConfig({}).clesApi.size).to.equal(0);
    expect(lireConfig({ API_KEYS: '  ' }).clesApi.size).to.equal(0);
  });

  it('API_KEYS=client:clé[:portée+portée],… lu en table client → clé et portées (aucune portée = admin)', () => {
    const c = lireConfig({ API_KEYS: 'parcoursup:0123456789abcdef, ecandidat:fedcba9876543210:opi:ecrire+lp:lire ,' });
    expect([...c.clesApi.entries()]).to.deep.equal([
      ['parcoursup', { cle: '0123456789abcdef', portees: ['admin'] }],
      ['ecandidat', { cle: 'fedcba9876543210', portees: ['opi:ecrire', 'lp:lire'] }],
    ]);
  });

  it('API_KEYS : une portée inconnue → ErreurConfiguration qui la nomme et liste les portées possibles', () => {
    const m = erreur({ API_KEYS: 'ecandidat:fedcba9876543210:opi:ecrire+opi:tout' }).message;
    expect(m).to.include('client ecandidat, portée(s) inconnue(s) opi:tout');
    expect(m).to.include('portées possibles : opi:lire');
  });

  it('limites de débit, Redis, relais de confiance et délais HTTP : valeurs par défaut, lues, refusées avec le nom de la variable', () => {
    const c = lireConfig({});
    expect(c.limitesDebit).to.deep.equal({ parClient: 6000, parAdresse: 600 });
    expect(c.redisUrl).to.equal(undefined);
    expect(c.confianceProxy).to.equal('loopback');
    expect(c.delais).to.deep.equal({ entetesMs: 20_000, inactiviteMs: 60_000, arretMs: 25_000 });
    const d = lireConfig({ RATE_LIMIT_CLIENT: '0', REDIS_URL: 'redis://127.0.0.1:6379', TRUST_PROXY: '2', SHUTDOWN_TIMEOUT_MS: '5000' });
    expect(d.limitesDebit.parClient).to.equal(0);
    expect(d.redisUrl).to.equal('redis://127.0.0.1:6379');
    expect(d.confianceProxy).to.equal(2);
    expect(d.delais.arretMs).to.equal(5000);
    expect(lireConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.5' }).confianceProxy).to.equal('10.0.0.0/8, 192.168.1.5');
    expect(erreur({ REDIS_URL: 'localhost:6379' }).message).to.include('REDIS_URL');
    expect(erreur({ TRUST_PROXY: '$(rm)' }).message).to.include('TRUST_PROXY');
    expect(erreur({ RATE_LIMIT_ADRESSE: 'beaucoup' }).message).to.include('RATE_LIMIT_ADRESSE');
  });

  it('AUTH : « desactivee » seulement ; HOST gardé tel que donné, METRICS_PORT lu', () => {
    expect(lireConfig({}).authDesactivee).to.equal(false);
    expect(lireConfig({ AUTH: 'desactivee' }).authDesactivee).to.equal(true);
    expect(erreur({ AUTH: 'non' }).message).to.include('AUTH=non');
    expect(lireConfig({}).hoteDemande).to.equal(undefined);
    expect(lireConfig({ HOST: '0.0.0.0' }).hoteDemande).to.equal('0.0.0.0');
    expect(lireConfig({ METRICS_PORT: '9464' }).portMetriques).to.equal(9464);
    expect(lireConfig({}).portMetriques).to.equal(undefined);
    expect(lireConfig({ DATABASE_QUERY_TIMEOUT_MS: '1500', DATABASE_ACQUIRE_TIMEOUT_MS: '800' }).base).to.include({
      delaiRequeteMs: 1500,
      delaiAcquisitionMs: 800,
    });
  });

  it('API_KEYS : clé trop courte, client invalide ou en double → ErreurConfiguration nommant API_KEYS et le client', () => {
    expect(erreur({ API_KEYS: 'parcoursup:court' }).message).to.match(/^Configuration invalide : API_KEYS : l'entrée n° 1 \(client parcoursup\)/);
    expect(erreur({ API_KEYS: 'par coursup:0123456789abcdef' }).message).to.include('API_KEYS');
    expect(erreur({ API_KEYS: 'a:0123456789abcdef,a:fedcba9876543210' }).message).to.equal('Configuration invalide : API_KEYS : client a en double.');
  });

  // Regression: an entry without « : » used to be quoted in the message, leaking the key into the logs.
  it('API_KEYS mal formé : le message ne divulgue pas la clé secrète', () => {
    const sansDeuxPoints = erreur({ API_KEYS: 'parcoursup=S3cretS3cretS3cret' });
    expect(sansDeuxPoints.message).to.include('API_KEYS');
    expect(sansDeuxPoints.message).to.not.include('S3cretS3cret');
    const sansClient = erreur({ API_KEYS: ':S3cretS3cretS3cret' });
    expect(sansClient.message).to.not.include('S3cretS3cret');
  });

  it("une variable vide vaut absente pour les entiers et l'hôte", () => {
    const c = lireConfig({ PORT: '', HOST: '', DATABASE_URL: '', DATABASE_POOL: '' });
    expect(c.port).to.equal(8080);
    expect(c.host).to.equal('0.0.0.0');
    expect(c.base.type).to.equal('sqlite');
    expect(c.base.pool).to.equal(10);
  });

  it('valeurs fournies lues et typées', () => {
    const c = lireConfig({
      PORT: '9090',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'DEBUG',
      DATABASE_POOL: '25',
      MAX_BODY_BYTES: '2048',
      NOMENCLATURES_DIR: 'fixtures/nomenclatures',
    });
    expect(c.port).to.equal(9090);
    expect(c.host).to.equal('127.0.0.1');
    expect(c.niveauLog).to.equal('debug');
    expect(c.base.pool).to.equal(25);
    expect(c.tailleMaxCorps).to.equal(2048);
    expect(path.isAbsolute(c.dossierNomenclatures)).to.equal(true);
  });

  it('PORT=abc → ErreurConfiguration nommant PORT', () => {
    const e = erreur({ PORT: 'abc' });
    expect(e.name).to.equal('ErreurConfiguration');
    expect(e.message).to.equal("Configuration invalide : PORT=abc n'est pas un entier.");
  });

  it('PORT hors bornes (70000) ou non entier (-1, 80.5) → ErreurConfiguration nommant PORT', () => {
    expect(erreur({ PORT: '70000' }).message).to.equal('Configuration invalide : PORT=70000 hors bornes [0, 65535].');
    expect(erreur({ PORT: '-1' }).message).to.match(/PORT=-1/);
    expect(erreur({ PORT: '80.5' }).message).to.match(/PORT=80\.5/);
    expect(lireConfig({ PORT: '65535' }).port).to.equal(65535);
    expect(lireConfig({ PORT: '0' }).port).to.equal(0);
  });

  it('DATABASE_POOL=0 et MAX_BODY_BYTES trop petit → ErreurConfiguration nommant la variable', () => {
    expect(erreur({ DATABASE_POOL: '0' }).message).to.match(/DATABASE_POOL=0/);
    expect(erreur({ MAX_BODY_BYTES: '10' }).message).to.match(/MAX_BODY_BYTES=10/);
    expect(erreur({ MAX_SOAP_BYTES: 'x' }).message).to.match(/MAX_SOAP_BYTES=x/);
  });

  it('LOG_LEVEL=loud → ErreurConfiguration nommant LOG_LEVEL et les valeurs possibles', () => {
    const e = erreur({ LOG_LEVEL: 'loud' });
    expect(e.message).to.match(/LOG_LEVEL=loud/);
    expect(e.message).to.include('error, warn, info, http, verbose, debug, silly');
  });

  it('DATABASE_URL=mysql://root@127.0.0.1:3306/test → mysql', () => {
    const c = lireConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' });
    expect(c.base).to.deep.equal({ type: 'mysql', url: 'mysql://root@127.0.0.1:3306/test', pool: 10, delaiRequeteMs: 30_000, delaiAcquisitionMs: 10_000 });
  });

  it('mariadb:// accepté comme mysql (URL réécrite en mysql://)', () => {
    const c = lireConfig({ DATABASE_URL: 'mariadb://app:secret@db.example.org:3307/passerelle', DATABASE_POOL: '5' });
    expect(c.base).to.deep.equal({
      type: 'mysql',
      url: 'mysql://app:secret@db.example.org:3307/passerelle',
      pool: 5,
      delaiRequeteMs: 30_000,
      delaiAcquisitionMs: 10_000,
    });
  });

  it('mysql:// sans base (ou sans hôte) → ErreurConfiguration nommant DATABASE_URL', () => {
    for (const url of ['mysql://host', 'mysql://host/', 'mysql:///base', 'mariadb://h']) {
      expect(erreur({ DATABASE_URL: url }).message, url).to.include(`DATABASE_URL=${url}`);
    }
  });

  it('schéma non supporté (postgres://x) → ErreurConfiguration nommant DATABASE_URL', () => {
    const e = erreur({ DATABASE_URL: 'postgres://x' });
    expect(e.message).to.equal('Configuration invalide : DATABASE_URL=postgres://x : schéma non supporté (sqlite:, mysql:// ou mariadb://).');
    expect(erreur({ DATABASE_URL: './passerelle.sqlite' }).message).to.include('DATABASE_URL=');
  });

  it('sqlite:./x.sqlite → sqlite, chemin absolu (résolu depuis le répertoire courant)', () => {
    const c = lireConfig({ DATABASE_URL: 'sqlite:./x.sqlite' });
    expect(c.base.type).to.equal('sqlite');
    expect(path.isAbsolute(c.base.url)).to.equal(true);
    expect(c.base.url).to.equal(path.resolve(process.cwd(), 'x.sqlite'));
  });

  it('autres formes sqlite : sqlite:///abs, sqlite::memory:, sqlite: vide refusé', () => {
    expect(lireBase('sqlite:///var/lib/p.sqlite').url).to.equal(path.resolve('/var/lib/p.sqlite'));
    expect(lireBase('sqlite::memory:')).to.deep.equal({ type: 'sqlite', url: ':memory:', pool: 10 });
    expect(() => lireBase('sqlite:')).to.throw(ErreurConfiguration, /DATABASE_URL=sqlite:/);
  });
});

describe('config — campagne, lots, INES', () => {
  it('CAMPAGNE_COD_ANU : une année sur 4 chiffres, sinon une erreur qui nomme la variable', () => {
    expect(lireConfig({ CAMPAGNE_COD_ANU: '2026' }).anneeCampagne).to.equal('2026');
    expect(lireConfig({}).anneeCampagne).to.equal(undefined);
    expect(erreur({ CAMPAGNE_COD_ANU: '26' }).message).to.contain('CAMPAGNE_COD_ANU=26');
  });
  it('MAX_BULK_BYTES et BULK_DIR', () => {
    const c = lireConfig({ MAX_BULK_BYTES: '4096', BULK_DIR: 'tmp/lots' });
    expect(c.tailleMaxLot).to.equal(4096);
    expect(path.isAbsolute(c.dossierLots)).to.equal(true);
    expect(erreur({ MAX_BULK_BYTES: '1k' }).message).to.contain('MAX_BULK_BYTES');
  });
  it('INES_URL : absente = pas de vérification en ligne ; présente = URL http(s), délai borné', () => {
    expect(lireConfig({}).ines).to.equal(undefined);
    expect(lireConfig({ INES_URL: 'https://ines.example/api', INES_TIMEOUT_MS: '1500' }).ines).to.deep.equal({
      url: 'https://ines.example/api',
      delaiMs: 1500,
      jeton: undefined,
    });
    expect(erreur({ INES_URL: 'ftp://x' }).message).to.contain('INES_URL');
    expect(erreur({ INES_URL: 'https://x', INES_TIMEOUT_MS: '10' }).message).to.contain('INES_TIMEOUT_MS');
  });
});
