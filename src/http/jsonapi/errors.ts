// JSON:API error documents, as Open Event Server answers them:
// {"errors":[{"status":"422","title":"…","detail":"…","source":{"pointer":"/data/attributes/x"}}],
//  "jsonapi":{"version":"1.0"}}
// Route code throws ApiError; the app's error handler turns anything thrown into such a document.

export interface ErrorObject {
  status: string;
  title: string;
  detail: string;
  source?: { pointer?: string; parameter?: string };
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? 'Error';
}

export type ErrorSource = { pointer: string } | { parameter: string };

export class ApiError extends Error {
  readonly status: number;
  readonly errors: ErrorObject[];
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string, source?: ErrorSource, headers: Record<string, string> = {}) {
    super(detail);
    this.status = status;
    this.headers = headers;
    this.errors = [{ status: String(status), title: titleFor(status), detail, ...(source ? { source } : {}) }];
  }

  /** Several problems of one request at once (e.g. every invalid attribute), all with one status. */
  static many(status: number, problems: { detail: string; source?: ErrorSource }[]): ApiError {
    const error = new ApiError(status, problems[0]?.detail ?? titleFor(status), problems[0]?.source);
    error.errors.splice(
      0,
      1,
      ...problems.map((p) => ({
        status: String(status),
        title: titleFor(status),
        detail: p.detail,
        ...(p.source ? { source: p.source } : {}),
      })),
    );
    return error;
  }
}

export const attributePointer = (name: string) => ({ pointer: `/data/attributes/${name}` });
export const relationshipPointer = (name: string) => ({ pointer: `/data/relationships/${name}` });

export const badRequest = (detail: string, source?: ErrorSource) => new ApiError(400, detail, source);
export const unauthorized = (detail = 'Authentication is required: send Authorization: JWT <token>') =>
  new ApiError(401, detail, undefined, { 'www-authenticate': 'JWT realm="openevent"' });
export const forbidden = (detail: string) => new ApiError(403, detail);
export const notFound = (detail = 'Not found') => new ApiError(404, detail);
export const conflict = (detail: string, source?: ErrorSource) => new ApiError(409, detail, source);
export const unprocessable = (detail: string, source?: ErrorSource) => new ApiError(422, detail, source);

export function errorDocument(errors: ErrorObject[]) {
  return { errors, jsonapi: { version: '1.0' } };
}
