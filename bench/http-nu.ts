/**
 * A bare HTTP service in front of the same tables, for what HTTP itself costs on this machine: Express
 * with its JSON body parser (the gateway's own) and one route, `PUT /api/v1/opi/{code}`, that does
 * what a careful hand-written upsert would — read the stored hash; the same hash: a journal row, 200;
 * absent: the raw driver's transaction of bench/enregistrements-opi.ts (individu, vœux, journal), 201.
 * No validation, no canonical form, no duplicate search, no authentication: the floor under any HTTP
 * door on this machine, measured beside the gateway and the driver alone (bench/opi-unitaire.ts).
 *
 * Child process: `DATABASE_URL=… PORT=… CONNEXIONS=8 node dist/bench/http-nu.js`, "pret" on stdout.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import express from 'express';
import mysql from 'mysql2/promise';
import { ecrireBrutCorps, type opiJson } from './enregistrements-opi';
import { optionsConnexion } from './lp-bulk';

type Corps = ReturnType<typeof opiJson>['corps'];

async function servir(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL!);
  const pool = mysql.createPool({
    ...optionsConnexion(url.toString()),
    database: url.pathname.slice(1),
    connectionLimit: Number(process.env.CONNEXIONS ?? 8),
    // As the gateway's own pool: no stack captured on every query.
    trace: false,
  });
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.put('/api/v1/opi/:code', async (req, res) => {
    const code = req.params.code;
    const corps = req.body as Corps;
    if (corps?.individu?.codOpiIntEpo !== code) {
      res.status(422).json({ erreur: 'individu.codOpiIntEpo différent du numéro de l’adresse' });
      return;
    }
    const donnees = JSON.stringify(corps);
    const empreinte = createHash('sha256').update(donnees).digest('hex');
    try {
      const [lignes] = await pool.execute<mysql.RowDataPacket[]>('SELECT empreinte FROM individu_opi WHERE codOpiIntEpo = ?', [code]);
      if (lignes.length && lignes[0].empreinte === empreinte) {
        await pool.execute(
          "INSERT INTO journal (recuLe, porte, operation, client, requestId, cle, individu, empreinte, resultat, statut, codes, dureeMs, details, nombre) VALUES (?, 'REST', 'opi.enregistrer', 'bench', ?, ?, ?, ?, 'INCHANGE', 200, NULL, 0, NULL, 1)",
          [new Date(), randomBytes(8).toString('hex'), code, `OPI:${code}`, empreinte],
        );
        res.status(200).json({ resultat: 'INCHANGE', codOpiIntEpo: code });
        return;
      }
      // The benchmark sends only new and unchanged records: an update is not this floor's business.
      if (lignes.length) {
        res.status(409).json({ erreur: 'modification non prise en charge par ce service nu' });
        return;
      }
      await ecrireBrutCorps(pool, code, corps, empreinte, donnees);
      res.status(201).json({ resultat: 'CREE', codOpiIntEpo: code });
    } catch (err) {
      res.status(500).json({ erreur: String(err) });
    }
  });
  const serveur = app.listen(Number(process.env.PORT), '127.0.0.1');
  await once(serveur, 'listening');
  process.once('SIGTERM', () => {
    serveur.close();
    serveur.closeAllConnections();
    void pool.end().finally(() => process.exit(0));
  });
  process.stdout.write('pret\n');
}

/** The bare service on `url` (a database the gateway's migrations made), ready to answer on `port`. */
export async function lancerHttpNu(url: string, port: number, connexions: number): Promise<{ pids: number[]; arreter(): Promise<void> }> {
  const p = spawn(process.execPath, [path.join(__dirname, 'http-nu.js')], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), CONNEXIONS: String(connexions) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((ok, echec) => {
    let lu = '';
    p.stdout!.on('data', (b: Buffer) => {
      lu += b.toString();
      if (lu.includes('pret\n')) ok();
    });
    p.once('exit', (c) => echec(new Error(`le service HTTP nu s'est arrêté (code ${c})`)));
  });
  return {
    pids: [p.pid!],
    async arreter() {
      if (p.exitCode !== null) return;
      p.kill('SIGTERM');
      await once(p, 'exit');
    },
  };
}

if (require.main === module)
  servir().catch((err) => {
    console.error(err);
    process.exit(1);
  });
