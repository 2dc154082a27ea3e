/** Every error code a client can receive. Codes are stable: clients branch on them. */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  WEAK_PASSWORD: 400,
  INVALID_TOKEN: 400,
  NO_FACE_IN_PHOTO: 422,
  MULTIPLE_FACES: 422,
  FACE_TOO_SMALL: 422,
  UNSUPPORTED_IMAGE: 415,
  UNSUPPORTED_VIDEO: 415,
  NO_VIDEO_STREAM: 415,
  EMPTY_FILE: 400,
  MEDIA_LIMIT_EXCEEDED: 422,
  QUOTA_EXCEEDED: 413,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_DISABLED: 403,
  REGISTRATION_CLOSED: 403,
  PRIORITY_RESERVED: 403,
  WRONG_PASSWORD: 400,
  SESSION_EXPIRED: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  USERNAME_TAKEN: 409,
  EMAIL_TAKEN: 409,
  INVALID_STATE: 409,
  DUPLICATE_VIDEO: 409,
  IN_USE: 409,
  LAST_ADMIN: 409,
  PAYLOAD_TOO_LARGE: 413,
  RANGE_NOT_SATISFIABLE: 416,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  LIMIT_REACHED: 429,
  UNREACHABLE: 422,
  AUTH_REQUIRED: 422,
  UNSUPPORTED_STREAM: 422,
  TIMEOUT: 422,
  URL_NOT_ALLOWED: 422,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** An expected failure, carried as a value with a stable code and mapped to HTTP in one place. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
