/**
 * Before a process listens: the schemas compiled, and the OPI write path run a few dozen times in
 * simulation (written, then rolled back: nothing kept, no journal row, no metric). Measured: without it
 * a fresh process answered its first second of traffic at 200 requests/s with a p99 of 560 ms (the
 * OPI schema compiled on the first request, the hot path interpreted); with it, 140–290 ms — the HTTP
 * layer still warms on real traffic, which is why a balancer should bring a new node in slowly
 * (docs/deployment.md).
 */
import { randomUUID } from 'node:crypto';
import { compilerSchemas } from './validation';
import type { Pipeline } from './pipeline';

/** A record of the shape a platform sends (whether its étapes exist here or not, the path is the same up to the rules). */
function exemple(i: number) {
  const code = `ZZ${String(i).padStart(8, '0')}`;
  return {
    corps: {
      individu: {
        codOpiIntEpo: code,
        etatCivil: { libNomPatIndOpi: 'Préchauffage', libPr1IndOpi: 'Camille', codSexEtuOpi: 'F' },
        donneesNaissance: {
          dateNaiIndOpi: '2005-06-07',
          temDateNaiRelOpi: 'N',
          codPayNat: '100',
          codTypDepPayNai: 'D',
          codDepPayNai: '035',
          libVilNaiEtuOpi: 'Rennes',
        },
        donneesPersonnelles: { adrMailOpi: 'prechauffage@example.org', codRgi: '1', codStu: '01' },
      },
      voeux: [{ numCls: 1, codCge: 'DRT', codEtp: 'LDRT1', codVrsVet: 2, codDecVeu: 'F', codDemDos: 'C', codRge: '1', temValPsd: 'N' }],
    },
    codOpiIntEpo: code,
  };
}

export async function prechauffer(pipeline: Pipeline, fois = 40): Promise<void> {
  compilerSchemas();
  const ctx = { porte: 'REST' as const, client: 'prechauffage', requestId: randomUUID() };
  for (let i = 0; i < fois; i++) {
    // A refusal (an étape this institution does not have) is fine: the point is to have run the code.
    await pipeline.executer(ctx, 'opi.enregistrer', exemple(i), { simulation: true }).catch(() => undefined);
  }
}
