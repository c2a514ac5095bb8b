/**
 * Supporting documents over SOAP (Apogée 6.70 PjOpiMetier contract, as eCandidat calls it), end to
 * end, on every test database: the served WSDL declares exactly Apogée's names; a node-soap client
 * generated from it sends a PDF, REST gives the very same bytes back, the same PDF again is stored
 * once; a refusal is a WebBaseException fault; no decoded copy is left behind. The raw requests
 * (test/golden/recupererPiecesJustificativesOPIWS__*) are played by golden-soap.test.ts, the zeep
 * client by interop-zeep.test.ts.
 */
import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sax from 'sax';
import * as soap from 'soap';
import { BASES } from '../helpers/bases';
import { lancer, RACINE, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';

const NS = 'gouv.education.apogee.commun.servicesmetiers.PjOpiMetier';
const WSDL = 'http://schemas.xmlsoap.org/wsdl/';
const WSDL_SOAP = 'http://schemas.xmlsoap.org/wsdl/soap/';
const XSD = 'http://www.w3.org/2001/XMLSchema';
const PJ = (nom: string) => readFileSync(path.join(RACINE, 'fixtures', 'pj', nom));

/* ---------- a small namespace-aware DOM of the served WSDL (sax) ---------- */

interface Noeud {
  uri: string;
  local: string;
  attributs: Record<string, string>;
  ns: Record<string, string>;
  enfants: Noeud[];
}

function lireXml(texte: string): Noeud {
  const p = sax.parser(true, { xmlns: true });
  const pile: Noeud[] = [];
  let racine: Noeud | undefined;
  p.onerror = (e) => {
    throw e;
  };
  p.onopentag = (t) => {
    const tag = t as sax.QualifiedTag;
    const attributs = Object.fromEntries(
      Object.values(tag.attributes)
        .filter((a) => a.prefix !== 'xmlns' && a.name !== 'xmlns')
        .map((a) => [a.local, a.value]),
    );
    const n: Noeud = { uri: tag.uri, local: tag.local, ns: tag.ns, attributs, enfants: [] };
    if (pile.length > 0) pile[pile.length - 1].enfants.push(n);
    else racine = n;
    pile.push(n);
  };
  p.onclosetag = () => {
    pile.pop();
  };
  p.write(texte).close();
  return racine!;
}

const tous = (n: Noeud, local: string, uri: string) => n.enfants.filter((e) => e.local === local && e.uri === uri);
const un = (n: Noeud, local: string, uri: string) => {
  const x = tous(n, local, uri);
  expect(x, `${n.local} : un seul ${local}`).to.have.length(1);
  return x[0];
};
/** A QName attribute, resolved: `{uri}local`. */
const qn = (n: Noeud, v: string) => {
  const [prefixe, local] = v.includes(':') ? v.split(':') : ['', v];
  return `{${n.ns[prefixe]}}${local}`;
};
/** The elements of a sequence: name, resolved type, and the occurrence / nil attributes given. */
const sequence = (complexe: Noeud) =>
  tous(un(complexe, 'sequence', XSD), 'element', XSD).map((e) => ({
    nom: e.attributs.name,
    type: qn(e, e.attributs.type),
    minOccurs: e.attributs.minOccurs ?? '1',
    maxOccurs: e.attributs.maxOccurs ?? '1',
    nillable: e.attributs.nillable ?? 'false',
  }));

async function soapBrut(gw: PasserelleDeTest, corps: string): Promise<{ status: number; texte: string }> {
  const r = await fetch(`${gw.url}/ws/PjOpiMetier`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' }, body: corps });
  return { status: r.status, texte: await r.text() };
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] pièces justificatives — SOAP PjOpiMetier`, function () {
    let gw: PasserelleDeTest;
    const reception = () => path.join(gw.dossierPj, 'reception');
    const copiesLaissees = () => (existsSync(reception()) ? readdirSync(reception()) : []);
    before(async () => {
      gw = await lancer(nomBase);
      for (const code of ['PS26000001', 'PS26000002']) {
        const r = await gw.json('PUT', `/api/v1/opi/${code}`, opiExemple(code));
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
      }
    });
    after(async () => {
      await gw?.fermer();
    });

    it('le WSDL servi déclare exactement les noms du contrat Apogée (service, port, binding, portType, opération, champs, DTO, fault)', async () => {
      const r = await fetch(`${gw.url}/ws/PjOpiMetier?wsdl`);
      expect(r.status).to.equal(200);
      const defs = lireXml(await r.text());
      expect([defs.uri, defs.local, defs.attributs.targetNamespace]).to.deep.equal([WSDL, 'definitions', NS]);

      const schema = un(un(defs, 'types', WSDL), 'schema', XSD);
      expect(schema.attributs).to.include({ targetNamespace: NS, elementFormDefault: 'unqualified' });
      const elements = Object.fromEntries(tous(schema, 'element', XSD).map((e) => [e.attributs.name, e]));
      const types = Object.fromEntries(tous(schema, 'complexType', XSD).map((e) => [e.attributs.name, e]));
      expect(Object.keys(elements)).to.have.members(['recupererPiecesJustificativesOPIWS', 'recupererPiecesJustificativesOPIWSResponse', 'fault']);
      expect(Object.keys(types)).to.have.members(['PjOpiRetourDTO', 'WebBaseException', 'TableauString']);

      // The request: six fields in this order, all required, none nillable.
      const chaine = `{${XSD}}string`;
      const requis = { minOccurs: '1', maxOccurs: '1', nillable: 'false' };
      expect(sequence(un(elements.recupererPiecesJustificativesOPIWS, 'complexType', XSD))).to.deep.equal([
        { nom: '_codOpiIntEpo', type: chaine, ...requis },
        { nom: '_libNomPatIndOpi', type: chaine, ...requis },
        { nom: '_libPr1IndOpi', type: chaine, ...requis },
        { nom: '_codTpj', type: chaine, ...requis },
        { nom: '_nomFic', type: chaine, ...requis },
        { nom: '_pj', type: `{${XSD}}base64Binary`, ...requis },
      ]);
      expect(sequence(un(elements.recupererPiecesJustificativesOPIWSResponse, 'complexType', XSD))).to.deep.equal([
        { nom: 'recupererPiecesJustificativesOPIWSReturn', type: `{${NS}}PjOpiRetourDTO`, ...requis },
      ]);
      expect(sequence(types.PjOpiRetourDTO)).to.deep.equal([
        { nom: 'erreurDescription', type: chaine, minOccurs: '1', maxOccurs: '1', nillable: 'true' },
        { nom: 'msg', type: chaine, minOccurs: '1', maxOccurs: '1', nillable: 'true' },
      ]);
      // The fault: element `fault` of type WebBaseException, as in the other services.
      expect(qn(elements.fault, elements.fault.attributs.type)).to.equal(`{${NS}}WebBaseException`);
      expect(sequence(types.WebBaseException).map((e) => [e.nom, e.type, e.nillable])).to.deep.equal([
        ['domaine', chaine, 'true'],
        ['element', chaine, 'true'],
        ['messages', `{${NS}}TableauString`, 'true'],
        ['nature', chaine, 'true'],
        ['type', chaine, 'true'],
        ['lastErrorMsg', chaine, 'true'],
      ]);

      // Messages, portType, binding, service, port.
      const messages = Object.fromEntries(
        tous(defs, 'message', WSDL).map((m) => [m.attributs.name, tous(m, 'part', WSDL).map((p) => [p.attributs.name, qn(p, p.attributs.element)])]),
      );
      expect(messages).to.deep.equal({
        recupererPiecesJustificativesOPIWS: [['parameters', `{${NS}}recupererPiecesJustificativesOPIWS`]],
        recupererPiecesJustificativesOPIWSResponse: [['parameters', `{${NS}}recupererPiecesJustificativesOPIWSResponse`]],
        WebBaseException: [['fault', `{${NS}}fault`]],
      });
      const portType = un(defs, 'portType', WSDL);
      expect(portType.attributs.name).to.equal('PjOpiMetierServiceInterface');
      const op = un(portType, 'operation', WSDL);
      expect(op.attributs.name).to.equal('recupererPiecesJustificativesOPIWS');
      expect(qn(op, un(op, 'input', WSDL).attributs.message)).to.equal(`{${NS}}recupererPiecesJustificativesOPIWS`);
      expect(qn(op, un(op, 'output', WSDL).attributs.message)).to.equal(`{${NS}}recupererPiecesJustificativesOPIWSResponse`);
      expect(un(op, 'fault', WSDL).attributs).to.deep.equal({ name: 'WebBaseException', message: 'tns:WebBaseException' });

      const binding = un(defs, 'binding', WSDL);
      expect(binding.attributs.name).to.equal('PjOpiMetierSoapBinding');
      expect(qn(binding, binding.attributs.type)).to.equal(`{${NS}}PjOpiMetierServiceInterface`);
      expect(un(binding, 'binding', WSDL_SOAP).attributs).to.deep.equal({ style: 'document', transport: 'http://schemas.xmlsoap.org/soap/http' });
      const bop = un(binding, 'operation', WSDL);
      expect(bop.attributs.name).to.equal('recupererPiecesJustificativesOPIWS');
      expect(un(bop, 'operation', WSDL_SOAP).attributs).to.deep.equal({ soapAction: '', style: 'document' });
      for (const sens of ['input', 'output']) expect(un(un(bop, sens, WSDL), 'body', WSDL_SOAP).attributs).to.deep.equal({ use: 'literal' });
      expect(un(un(bop, 'fault', WSDL), 'fault', WSDL_SOAP).attributs).to.deep.equal({ name: 'WebBaseException', use: 'literal' });

      const service = un(defs, 'service', WSDL);
      expect(service.attributs.name).to.equal('PjOpiMetierServiceInterfaceService');
      const port = un(service, 'port', WSDL);
      expect(port.attributs.name).to.equal('PjOpiMetier');
      expect(qn(port, port.attributs.binding)).to.equal(`{${NS}}PjOpiMetierSoapBinding`);
      expect(un(port, 'address', WSDL_SOAP).attributs.location).to.equal(`${gw.url}/ws/PjOpiMetier`);
    });

    it('un client node-soap généré depuis le WSDL servi dépose un PDF : REST rend les mêmes octets ; renvoyé, il est stocké une fois (version 1)', async () => {
      const client = await soap.createClientAsync(`${gw.url}/ws/PjOpiMetier?wsdl`);
      expect(Object.keys(client.describe().PjOpiMetierServiceInterfaceService.PjOpiMetier)).to.deep.equal(['recupererPiecesJustificativesOPIWS']);
      const pdf = PJ('valide.pdf');
      const demande = {
        _codOpiIntEpo: 'PS26000001',
        _libNomPatIndOpi: 'LEFEVRE',
        _libPr1IndOpi: 'ELODIE',
        _codTpj: 'IDENT',
        _nomFic: 'carte-identite.pdf',
        _pj: pdf.toString('base64'),
      };
      const [r1] = await client.recupererPiecesJustificativesOPIWSAsync(demande);
      expect(r1.recupererPiecesJustificativesOPIWSReturn.msg).to.equal("Pièce IDENT enregistrée pour l'OPI PS26000001");
      expect(r1.recupererPiecesJustificativesOPIWSReturn.erreurDescription ?? null).to.equal(null);
      expect(client.lastResponse).to.contain('<erreurDescription xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true">');

      const contenu = await fetch(`${gw.url}/api/v1/opi/PS26000001/pj/IDENT/contenu`);
      expect(contenu.status).to.equal(200);
      expect(contenu.headers.get('content-type')).to.equal('application/pdf');
      expect(Buffer.from(await contenu.arrayBuffer()).equals(pdf)).to.equal(true);

      const [r2] = await client.recupererPiecesJustificativesOPIWSAsync(demande);
      expect(r2.recupererPiecesJustificativesOPIWSReturn.msg).to.equal("Pièce IDENT déjà reçue pour l'OPI PS26000001, inchangée");
      const liste = await gw.json('GET', '/api/v1/opi/PS26000001/pj');
      const recues = liste.body.pieces.filter((p: { version: number | null }) => p.version !== null);
      expect(recues.map((p: Record<string, unknown>) => [p.codTpj, p.version, p.statut, p.nomFichier, p.typeMedia, p.taille])).to.deep.equal([
        ['IDENT', 1, 'DEPOSEE', 'carte-identite.pdf', 'application/pdf', pdf.length],
      ]);
      const journal = await gw.json('GET', '/api/v1/journal?porte=SOAP&operation=pj.deposer');
      expect(journal.body.entrees.map((l: { resultat: string }) => l.resultat)).to.include.members(['CREE', 'INCHANGE']);
      expect(copiesLaissees()).to.deep.equal([]);
    });

    it('un refus est un fault WebBaseException (jamais dans erreurDescription), et ne stocke rien', async () => {
      const client = await soap.createClientAsync(`${gw.url}/ws/PjOpiMetier?wsdl`);
      const e = await client
        .recupererPiecesJustificativesOPIWSAsync({
          _codOpiIntEpo: 'PS26000002',
          _libNomPatIndOpi: 'Lefèvre',
          _libPr1IndOpi: 'Élodie',
          _codTpj: 'IDENT',
          _nomFic: 'programme.pdf',
          _pj: PJ('programme.pdf').toString('base64'),
        })
        .then(
          () => null,
          (x: { root: any }) => x,
        );
      const fault = e!.root.Envelope.Body.Fault;
      expect(fault.faultcode).to.equal('soapenv:Server');
      expect(fault.faultstring).to.equal('technical.parameter.noncoherentinput.pj');
      expect(fault.detail.fault).to.include({ domaine: 'parameter', element: 'pj', nature: 'noncoherentinput', type: 'technical' });
      expect(fault.detail.fault.messages.item).to.match(/^PJ_TYPE_NON_AUTORISE \[pj\] Type de fichier refusé : application\/x-elf/);
      const liste = await gw.json('GET', '/api/v1/opi/PS26000002/pj');
      expect(liste.body.pieces.filter((p: { version: number | null }) => p.version !== null)).to.deep.equal([]);
      expect(copiesLaissees()).to.deep.equal([]);
    });

    it('chaque champ a le chemin de la porte REST ; base64 invalide → TYPE_INVALIDE [pj] ; base64 en lignes accepté', async () => {
      const enveloppe = (champs: Record<string, string>) =>
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
        + `<p:recupererPiecesJustificativesOPIWS xmlns:p="${NS}">`
        + Object.entries(champs)
          .map(([k, v]) => `<${k}>${v}</${k}>`)
          .join('')
        + '</p:recupererPiecesJustificativesOPIWS></soapenv:Body></soapenv:Envelope>';
      const items = (texte: string) => [...texte.matchAll(/<item>([^<]*)<\/item>/g)].map((m) => m[1].split(' ').slice(0, 2).join(' '));
      const base = { _codOpiIntEpo: 'PS26000002', _libNomPatIndOpi: 'LEFEVRE', _libPr1IndOpi: 'ELODIE', _codTpj: 'IDENT', _nomFic: 'x.pdf' };

      // Names and type absent or wrong: every problem at the path REST uses.
      const noms = await soapBrut(
        gw,
        enveloppe({ ...base, _libNomPatIndOpi: '', _libPr1IndOpi: 'Zoé', _codTpj: 'XXXX', _pj: PJ('valide.pdf').toString('base64') }),
      );
      expect(noms.status).to.equal(500);
      expect(items(noms.texte)).to.deep.equal(['CHAMP_OBLIGATOIRE [libNomPatIndOpi]', 'PJ_IDENTITE_INCOHERENTE [libPr1IndOpi]', 'PJ_TYPE_INCONNU [codTpj]']);
      const code = await soapBrut(gw, enveloppe({ ...base, _codOpiIntEpo: '', _pj: 'QQ==' }));
      expect(items(code.texte)[0]).to.equal('CHAMP_OBLIGATOIRE [codOpiIntEpo]');

      for (const invalide of ['JVBERi0xLjQK%%%%', 'QQ=', 'QQ==QQ==', 'QU-_', 'Q===']) {
        const r = await soapBrut(gw, enveloppe({ ...base, _pj: invalide }));
        expect(r.status).to.equal(500);
        expect(r.texte).to.contain('<faultstring>technical.parameter.noncoherentinput.pj</faultstring>');
        expect(items(r.texte), invalide).to.deep.equal(['TYPE_INVALIDE [pj]']);
      }
      // Lines of 76 characters (CRLF), blanks around.
      const enLignes = PJ('photo.jpg')
        .toString('base64')
        .replace(/(.{76})/g, '$1\r\n');
      const photo = await soapBrut(gw, enveloppe({ ...base, _codTpj: 'PHOTO', _nomFic: 'photo.jpg', _pj: `\n  ${enLignes}\n` }));
      expect(photo.status, photo.texte).to.equal(200);
      const lu = await fetch(`${gw.url}/api/v1/opi/PS26000002/pj/PHOTO/contenu`);
      expect(Buffer.from(await lu.arrayBuffer()).equals(PJ('photo.jpg'))).to.equal(true);
      // Other bytes for the same document replace it: version 2.
      const png = await soapBrut(gw, enveloppe({ ...base, _codTpj: 'PHOTO', _nomFic: 'photo.png', _pj: PJ('image.png').toString('base64') }));
      expect(png.texte).to.contain('<msg>Pièce PHOTO remplacée pour l&apos;OPI PS26000002 (version 2)</msg>');
      const liste = await gw.json('GET', '/api/v1/opi/PS26000002/pj');
      expect(
        liste.body.pieces.filter((p: { version: number | null }) => p.version !== null).map((p: Record<string, unknown>) => [p.codTpj, p.version, p.typeMedia]),
      ).to.deep.equal([['PHOTO', 2, 'image/png']]);
      expect(copiesLaissees()).to.deep.equal([]);
    });

    it('refus par la porte SOAP, chacun avec son code, rien de stocké : exécutable renommé, HTML nommé .pdf, vide, trop gros, prénom faux, OPI inconnue', async () => {
      const env = (champs: Record<string, string>) =>
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
        + `<p:recupererPiecesJustificativesOPIWS xmlns:p="${NS}">`
        + Object.entries(champs)
          .map(([k, v]) => `<${k}>${v}</${k}>`)
          .join('')
        + '</p:recupererPiecesJustificativesOPIWS></soapenv:Body></soapenv:Envelope>';
      const base = { _codOpiIntEpo: 'PS26000001', _libNomPatIndOpi: 'LEFEVRE', _libPr1IndOpi: 'ELODIE', _codTpj: 'IDENT', _nomFic: 'x.pdf' };
      const trop = Buffer.concat([PJ('photo.jpg'), Buffer.alloc(2_200_000, 0)]);
      const cas: [string, Record<string, string>, string][] = [
        ['exécutable renommé', { ...base, _pj: PJ('programme.pdf').toString('base64') }, 'PJ_TYPE_NON_AUTORISE [pj]'],
        ['HTML nommé .pdf', { ...base, _pj: PJ('page.pdf').toString('base64') }, 'PJ_TYPE_NON_AUTORISE [pj]'],
        ['fichier vide', { ...base, _pj: '' }, 'PJ_VIDE [pj]'],
        ['trop gros pour le type', { ...base, _codTpj: 'PHOTO', _pj: trop.toString('base64') }, 'PJ_TROP_VOLUMINEUX [pj]'],
        ['prénom faux', { ...base, _libPr1IndOpi: 'Zoé', _pj: PJ('valide.pdf').toString('base64') }, 'PJ_IDENTITE_INCOHERENTE [libPr1IndOpi]'],
        ['OPI inconnue', { ...base, _codOpiIntEpo: 'ZZ99999999', _pj: PJ('valide.pdf').toString('base64') }, 'OPI_INTROUVABLE [codOpiIntEpo]'],
      ];
      const avant = (await gw.json('GET', '/api/v1/opi/PS26000001/pj')).body.pieces.filter((p: { version: number | null }) => p.version !== null);
      for (const [titre, champs, attendu] of cas) {
        const r = await soapBrut(gw, env(champs));
        expect(r.status, titre).to.equal(500);
        expect(r.texte, titre).to.contain('<soapenv:Fault>');
        expect(
          [...r.texte.matchAll(/<item>([A-Z_]+ \[[^\]]*\])/g)].map((m) => m[1]),
          titre,
        ).to.include(attendu);
      }
      const apres = (await gw.json('GET', '/api/v1/opi/PS26000001/pj')).body.pieces.filter((p: { version: number | null }) => p.version !== null);
      expect(apres).to.deep.equal(avant);
      expect(copiesLaissees()).to.deep.equal([]);
      const j = await gw.json('GET', '/api/v1/journal?porte=SOAP&operation=pj.deposer&resultat=REJETE&limite=100');
      expect(j.body.entrees.length).to.be.at.least(cas.length);
    });
  });
}
