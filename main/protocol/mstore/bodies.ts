// Request bodies of the mstore API, exactly as mstore-protocol.md and mstore-client-notes.md show them.
// Pure: every input (time, ids, boundaries) is passed in.
import { toBase64, utf8, concatBytes } from '../../../shared/bytes.js';
import type { FolderKind, GreetingType } from '../../../shared/domain/mstore.js';
import { FLAG_SEEN, FOLDER_PATHS } from './urls.js';

/** Page size used for search (the TCL config caps search and bulk delete at 100 per request). */
export const MAX_ENTRIES = 100;

/** `/objects/operations/search` body: Not PurgedObject, Date descending; `fromCursor` only after the first page. */
export function searchBody(folderResourceUrl: string, cursor?: string): unknown {
  return {
    selectionCriteria: {
      maxEntries: MAX_ENTRIES,
      ...(cursor !== undefined && { fromCursor: cursor }),
      searchScope: { resourceURL: folderResourceUrl },
      searchCriteria: { operator: 'Not', criterion: [{ type: 'PurgedObject', value: '' }] },
      sortCriteria: { criterion: [{ type: 'Date', order: 'Descending' }] },
    },
  };
}

/** `/objects/operations/bulkUpdate` body: AddFlag/RemoveFlag on every listed object URL. */
export function bulkUpdateBody(objectUrls: string[], operation: 'AddFlag' | 'RemoveFlag', flags: string[]): unknown {
  return {
    bulkUpdate: {
      objects: { objectReference: objectUrls.map((resourceURL) => ({ resourceURL })) },
      operation,
      flags: { flag: flags },
    },
  };
}

/** `/objects/operations/bulkDelete` body. */
export function bulkDeleteBody(objectUrls: string[]): unknown {
  return { bulkDelete: { objects: { objectReference: objectUrls.map((resourceURL) => ({ resourceURL })) } } };
}

/** Profile PUT body with only the given attributes (PUT has POST semantics: omitted ones stay as they are). */
export function profileUpdateBody(attributes: Record<string, string>): unknown {
  return {
    vvmserviceProfile: {
      attributes: { attribute: Object.entries(attributes).map(([name, value]) => ({ name, value: [value] })) },
    },
  };
}

/** Activate or deactivate visual voicemail: only `vvmon`, written lower case. */
export function vvmOnBody(on: boolean): unknown {
  return profileUpdateBody({ vvmon: on ? 'true' : 'false' });
}

/** PIN change: only OLD_PWD and PWD (mstore-protocol.md `/vvmserviceProfile`). */
export function pinChangeBody(oldPin: string, newPin: string): unknown {
  return profileUpdateBody({ OLD_PWD: oldPin, PWD: newPin });
}

/** Serialises a JSON body as UTF-8. */
export function jsonBytes(value: unknown): Uint8Array {
  return utf8(JSON.stringify(value));
}

/** What goes into a greeting upload besides the audio. */
export interface UploadMeta {
  folder: FolderKind;
  /** Whole seconds (from the AMR frame count). */
  durationS: number;
  /** ISO instant. */
  date: string;
  /** Epoch milliseconds as a string (what the reference client sends). */
  messageId: string;
  subject: string;
  type: GreetingType;
}

/** The root-fields JSON document of an upload. */
export function uploadRootFields(meta: UploadMeta): unknown {
  const attr = (name: string, value: string) => ({ name, value: [value] });
  return {
    object: {
      attributes: {
        attribute: [
          attr('content-duration', String(meta.durationS)),
          attr('date', meta.date),
          attr('Message-Id', meta.messageId),
          attr('mime-version', '1.0'),
          attr('subject', meta.subject),
          attr('x-cns-greeting-type', meta.type),
        ],
      },
      flags: { flag: [FLAG_SEEN] },
      parentFolderPath: FOLDER_PATHS[meta.folder],
    },
  };
}

/** Base64 with 76-character lines, each ending in LF, as the reference client's encoder writes it. */
export function base64Lines(data: Uint8Array): string {
  const b64 = toBase64(data);
  let out = '';
  for (let i = 0; i < b64.length; i += 76) out += b64.slice(i, i + 76) + '\n';
  return out;
}

/** A built multipart body and its Content-Type header value. */
export interface Multipart {
  contentType: string;
  body: Uint8Array;
}

/**
 * The greeting upload body, byte for byte the layout of mstore-client-notes.md (CRLF line ends; the
 * attachment is a nested multipart/mixed with its own boundary; every part carries a Content-Length).
 */
export function greetingMultipart(meta: UploadMeta, amr: Uint8Array, outerBoundary: string, innerBoundary: string): Multipart {
  if (outerBoundary === innerBoundary) throw new RangeError('inner and outer boundaries must differ');
  const json = jsonBytes(uploadRootFields(meta));
  const data = utf8(base64Lines(amr));
  const rootHeader = utf8(
    `--${outerBoundary}\r\n` +
      'Content-Disposition: form-data; name="root-fields"\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${json.length}\r\n\r\n`,
  );
  const dataHeader = utf8(
    `--${innerBoundary}\r\n` +
      'Content-Disposition: attachment;filename="audio.amr"\r\n' +
      'Content-Transfer-Encoding: base64\r\n' +
      'Content-Type: audio/amr\r\n' +
      `Content-Length: ${data.length}\r\n\r\n`,
  );
  const dataFooter = utf8(`\r\n--${innerBoundary}--\r\n`);
  const innerLength = dataHeader.length + data.length + dataFooter.length;
  const attachmentHeader = utf8(
    `\r\n--${outerBoundary}\r\n` +
      'Content-Disposition: form-data;name="attachments"\r\n' +
      `Content-Type: multipart/mixed; boundary=${innerBoundary}\r\n` +
      `Content-Length: ${innerLength}\r\n\r\n`,
  );
  const outerFooter = utf8(`\r\n--${outerBoundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${outerBoundary}`,
    body: concatBytes(rootHeader, json, attachmentHeader, dataHeader, data, dataFooter, outerFooter),
  };
}
