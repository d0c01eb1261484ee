// The Ua chain from the vectors: MILENAGE set 1 CK/IK -> Ks -> Ks_NAF (TS 33.220 B.3) for the NAF_Id built
// by buildNafId -> base64 password -> the relay digest of digest.json row 6. Ties the KDF, NAF_Id, B-TID
// and digest vectors together, so a change in any of them shows here.
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toBase64, utf8 } from '../../../../shared/bytes.js';
import { deriveKsNaf } from '../../../../main/protocol/gba/kdf.js';
import { buildNafId } from '../../../../main/protocol/gba/naf-id.js';
import { checkBtid } from '../../../../main/protocol/gba/btid.js';
import { computeDigestResponse, decodedUri } from '../../../../main/protocol/digest/response.js';
import kdf from '../../../fixtures/vectors/gba-kdf.json' with { type: 'json' };
import digest from '../../../fixtures/vectors/digest.json' with { type: 'json' };

describe('Ua chain: KDF vector -> NAF password -> relay digest vector', () => {
  it('derives the row-6 password and response', () => {
    const k = kdf.vectors[0];
    const row = digest.vectors[5];
    if (!k || !row) throw new Error('vectors missing');
    const ksNaf = deriveKsNaf(concatBytes(fromHex(k.CK), fromHex(k.IK)), 'gba-me', fromHex(k.RAND), k.IMPI, buildNafId(k.NAF_FQDN, k.Ua_security_protocol_id));
    const password = toBase64(ksNaf);
    expect(password).toBe(k.Ks_NAF_base64);
    expect(password).toBe(row.password);
    expect(checkBtid(row.username)).toBe(k.B_TID_example);
    const uri = decodedUri(row.uri.replace('tel:+', 'tel%3A%2B'));
    expect(uri).toBe(row.uri);
    const response = computeDigestResponse({ algorithm: 'MD5', username: row.username, realm: row.realm, password: utf8(password), method: row.method, uri, nonce: row.nonce, qop: 'auth', nc: row.nc, cnonce: row.cnonce });
    expect(response).toBe(row.response);
  });
});
