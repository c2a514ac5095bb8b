/**
 * Every operation of the OpenAPI document carries an example (its body, its parameters, or what it
 * answers), and the bodies are real: sent through the pipeline of the in-memory gateway, each write is
 * accepted (the OPI, the laissez-passer, a list of them, the IA and its payment), the others pass their schema.
 */
import { expect } from 'chai';
import { documentOpenApi } from '../../src/adapters/rest/openapi';
import { EXEMPLES } from '../../src/adapters/rest/openapi-exemples';
import { validerSchema } from '../../src/application/validation';
import { composerEnMemoire, contexte } from '../fakes/passerelle-memoire';

type Op = {
  operationId?: string;
  parameters?: { example?: unknown }[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { example?: unknown }> }>;
};

describe('OpenAPI : un exemple par opération', () => {
  const doc = documentOpenApi(['parcoursup-csv']) as { paths: Record<string, Record<string, Op>> };
  const ops = Object.values(doc.paths).flatMap((item) => Object.values(item).filter((o): o is Op => typeof o === 'object' && o !== null && 'responses' in o));

  it('chaque opération a un exemple dans son corps, ses paramètres ou sa réponse', () => {
    const sans = ops
      .filter(
        (o) =>
          !Object.values(o.requestBody?.content ?? {}).some((c) => c.example !== undefined)
          && !(o.parameters ?? []).some((p) => p.example !== undefined)
          && !Object.entries(o.responses).some(([code, r]) => code.startsWith('2') && Object.values(r.content ?? {}).some((c) => c.example !== undefined)),
      )
      .map((o) => o.operationId);
    expect(sans).to.deep.equal([]);
    // And no example for an operation the document does not have.
    const ids = new Set(ops.map((o) => o.operationId));
    expect(Object.keys(EXEMPLES).filter((id) => !ids.has(id))).to.deep.equal([]);
  });

  it('les corps d’exemple sont acceptés par la passerelle (écritures réelles, en mémoire) ou par leur schéma', async () => {
    const p = await composerEnMemoire();
    try {
      const ctx = contexte();
      const opi = await p.pipeline.executer(ctx, 'opi.enregistrer', { corps: EXEMPLES.enregistrerOpi.corps, codOpiIntEpo: 'EC26000001' });
      expect(opi.statut).to.equal(201);
      expect((await p.pipeline.executer(ctx, 'lp.enregistrer', EXEMPLES.enregistrerLaissezPasser.corps)).statut).to.be.oneOf([200, 201]);
      const lot = await p.pipeline.executer<{ resultats: { statut: string }[] }>(ctx, 'lp.enregistrerEnMasse', {
        items: EXEMPLES.enregistrerLotLaissezPasser.corps,
        mode: 'partiel',
        cheminListe: '',
      });
      expect(lot.valeur!.resultats.every((r) => r.statut !== 'REJETE')).to.equal(true);
      const ia = await p.pipeline.executer<{ inscription: { id: number } }>(ctx, 'ia.creer', EXEMPLES.creerInscription.corps);
      expect(ia.statut).to.equal(201);
      const paye = await p.pipeline.executer(ctx, 'ia.payer', { id: String(ia.valeur!.inscription.id), corps: EXEMPLES.payerInscription.corps });
      expect(paye.statut).to.equal(200);
      validerSchema('annulation', EXEMPLES.annulerInscription.corps);
      validerSchema('decision-pj', EXEMPLES.statuerPieceJustificative.corps);
    } finally {
      await p.fermer();
    }
  });
});
